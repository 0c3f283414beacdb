/**
 * The `<script>` tag build. Configures itself from its own `data-*` attributes, exposes
 * `window.refport` and replays calls queued on a stub before it loaded:
 *
 *   window.refport = window.refport || function () { (refport.q = refport.q || []).push(arguments) }
 *   refport('grantConsent')
 *
 * Loaded as a file (no inline code, no eval), so it runs under `script-src 'self'`.
 */
import { getClickId, getPartner, grantConsent, init, revokeConsent } from './index'
import { DEBUG } from './log'
import type { RefportGlobal } from './global'
import type { RefportTrackerOptions } from './options'

type Api = typeof api
// The published type of the global (refport-js/global) must list exactly these methods.
const api = { init, getClickId, getPartner, grantConsent, revokeConsent } satisfies {
  [Method in keyof RefportGlobal]: RefportGlobal[Method]
}
const page = window as unknown as { refport?: { q?: Iterable<unknown>[]; getClickId?: unknown } }

// A second copy of this script on the page leaves the first one in charge.
if (!page.refport?.getClickId) {
  try {
    const queue = page.refport?.q || []
    // An unknown method name is ignored, not thrown into the page.
    const call = (name: keyof Api, ...args: unknown[]): unknown =>
      (api[name] as ((...a: unknown[]) => unknown) | undefined)?.(...args)
    page.refport = Object.assign(call, api)
    // currentScript is set while a classic script (also async or defer) first runs.
    // Queued calls first: a consent decision made before the file loaded then counts from
    // the start (a queued revoke never lets a cookie be written), and a queued init with
    // options of its own replaces the data-* configuration.
    queue.forEach((args) => call(...(args as [keyof Api])))
    const data = (document.currentScript as HTMLScriptElement | null)?.dataset || {}
    // A list attribute left empty (a template with nothing to fill in) means the default,
    // not a list of one empty name: data-query-params="" must not switch ?via= off.
    const list = (value?: string): string[] | undefined => value?.match(/[^\s,]+/g) || undefined
    // The dataset already carries most option names (data-api-host → apiHost).
    init({
      ...data,
      queryParams: list(data.queryParams),
      outboundDomains: list(data.outboundDomains),
      cookieOptions: { domain: data.cookieDomain },
      stripe: data.stripe != 'off',
      // Only the debug build reads it: the others keep no trace of the option. Presence
      // turns it on (data-debug, data-debug="true"), as for an HTML boolean attribute;
      // "false" and "0" are what people write to turn it off, so they do.
      ...(DEBUG && { debug: data.debug != null && !/^\s*(false|0)\s*$/i.test(data.debug) }),
    } as RefportTrackerOptions)
  } catch {
    // Never throw into the host page.
  }
}
