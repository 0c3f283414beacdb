/**
 * `refport/playwright/global-setup`: Playwright's `globalSetup` that starts the hub at the
 * fixed `REFPORT_API_URL` for the whole run (in the runner process, so it outlives the
 * workers, which Playwright replaces after a failed test).
 */
import type { FullConfig } from '@playwright/test'
import { hubUrl, resolveFixtureOptions, type RefportFixtureOptions } from './playwright/options'
import { startRefportHub } from './playwright/hub'

/**
 * Starts the hub on the port of `refportOptions.port` (or `REFPORT_MOCK_PORT`, or 4010) and
 * returns its teardown. Name it in the config; do not call it yourself.
 *
 * @example
 * ```ts
 * // playwright.config.ts
 * export default defineConfig({ globalSetup: 'refport/playwright/global-setup' })
 * ```
 */
export default async function refportGlobalSetup(config: FullConfig): Promise<() => Promise<void>> {
  const ports = new Set(config.projects.map((project) => resolveFixtureOptions(optionsOf(project.use)).port))
  const hubs = await Promise.all([...ports].map(startOrReuse))
  return async () => {
    await Promise.all(hubs.map((hub) => hub?.close()))
  }
}

function optionsOf(use: unknown): RefportFixtureOptions | undefined {
  return (use as { refportOptions?: RefportFixtureOptions } | undefined)?.refportOptions
}

async function startOrReuse(port: number) {
  try {
    return await startRefportHub({ port })
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error
    // Like Playwright's reuseExistingServer: outside CI, a hub left running is fine.
    const health = await fetch(`${hubUrl(port)}/__hub/health`).then(
      (r) => r.ok,
      () => false,
    )
    if (health && !process.env.CI) return undefined
    throw new Error(
      `refport/playwright: port ${port} is taken${health ? ' by another test run' : ''}; the app's REFPORT_API_URL must be ${hubUrl(port)}. ` +
        'Free the port or pick another with refportOptions.port (or REFPORT_MOCK_PORT) and pass refportServerEnv({ port }) to the webServer.',
    )
  }
}
