/**
 * Loading the script-tag build (`src/script.ts`, which `refport-js/script` resolves to in
 * the vitest and tsc configs) as `<script src=".../refport.js" data-…>` on a fresh
 * happy-dom page. Pair with `useTrackerPage()`, which undoes all of it after each test.
 */
import { freshPage, page } from './tracker-page'

export type ScriptMethod = 'init' | 'getClickId' | 'grantConsent' | 'revokeConsent'

/** `window.refport` once the script ran: callable, with the methods attached. */
export type ScriptGlobal = ((method: ScriptMethod, ...args: unknown[]) => unknown) & {
  init(options?: object): void
  getClickId(): string | null
  grantConsent(): void
  revokeConsent(): void
  q?: IArguments[]
}

/** The snippet sites paste before the script tag, so calls made before it loads are kept. */
export function installSnippetStub(): (...args: unknown[]) => void {
  const stub = function () {
    // biome-ignore lint/complexity/noArguments: the snippet queues the Arguments object itself
    // biome-ignore lint/suspicious/noAssignInExpressions: the snippet as pages paste it
    ;(stub.q = stub.q || []).push(arguments)
  } as ((...args: unknown[]) => void) & { q?: IArguments[] }
  page.refport = stub
  return stub
}

/**
 * Loads `src/script.ts` on a fresh page at `url` as a tag with the `data-*` attributes
 * `data` (named without the prefix: `{ 'publishable-key': 'pk' }`). `before` runs on the
 * fresh page just before the script evaluates (to install the snippet stub, record cookie
 * writes, …). `document.currentScript` is the tag while the module evaluates and `null`
 * again once it has run, as for a classic script. Returns `window.refport`.
 */
export async function loadScriptTag(
  url: string,
  data: Record<string, string> = {},
  before?: () => void,
): Promise<ScriptGlobal> {
  await freshPage(url)
  delete page.refport
  before?.()
  const tag = document.createElement('script')
  for (const [name, value] of Object.entries(data)) tag.setAttribute(`data-${name}`, value)
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => tag })
  await import('refport-js/script')
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => null })
  return page.refport as ScriptGlobal
}
