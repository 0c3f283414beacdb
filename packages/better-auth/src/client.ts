/**
 * `@refport/better-auth/client`: the client half of the plugin. The server plugin adds no
 * endpoints, so this carries types only; registering it keeps the client's plugin list in
 * step with the server's and lets Better Auth infer from the server plugin.
 *
 * Imports nothing at runtime: safe in browser bundles, where the server plugin (and the
 * server SDK behind it) must never land.
 */
import type { BetterAuthClientPlugin } from 'better-auth'
import type { refportPlugin } from './index'

/**
 * Creates the Better Auth client plugin matching {@link refportPlugin}.
 *
 * @example
 * ```ts
 * import { refportPluginClient } from '@refport/better-auth/client'
 * import { createAuthClient } from 'better-auth/client'
 *
 * export const authClient = createAuthClient({
 *   plugins: [refportPluginClient()],
 * })
 * ```
 */
export function refportPluginClient() {
  return {
    // Same literal as REFPORT_PLUGIN_ID; repeated so this entry does not import the server one.
    id: 'refport',
    $InferServerPlugin: {} as ReturnType<typeof refportPlugin>,
  } satisfies BetterAuthClientPlugin
}
