import { CLICK_ID_PARAM, DEFAULT_API_HOST, isClickId, isPartnerKey } from '@refport/contract'
import { registerClick } from './click'
import { clearClickId, readClickId, writeClickId } from './cookie'
import { isRevisit, landingHref, removeParams } from './landing'
import { log, setDebug } from './log'
import type { RefportOptions } from './options'
import { decorateOutbound } from './outbound'
import { decorateStripeElements, handOffToStripe } from './stripe'

export type { RefportCookieOptions, RefportOptions } from './options'

/**
 * Name of the `window` event fired when the stored click ID changes; `event.detail` is
 * the new click ID, or `null` after {@link revokeConsent}. Works across bundles, so a
 * script-tag tracker and an app's own code can talk.
 *
 * @example
 * ```ts
 * addEventListener(CLICK_ID_EVENT, (event) => console.log((event as CustomEvent).detail))
 * ```
 */
export const CLICK_ID_EVENT = 'refport:clickid'

/**
 * Starts the tracker once per page: reads `?refp_id=` (stored as is) or the partner key
 * (`?via=`, registered with the Refport API) from the landing URL and stores the click
 * ID in the first-party `refp_id` cookie. Further calls are ignored, so StrictMode, a
 * second bundle or a duplicated script tag can never register a second click.
 *
 * Never throws; does nothing on the server.
 *
 * @example
 * ```ts
 * import { init } from 'refport-js'
 *
 * init({ publishableKey: 'pk_live_123' })
 * ```
 */
export function init(options: RefportOptions = {}): void {
  try {
    setDebug(options.debug)
    const page = window as RunningPage
    if (page._refp) return log('already running')
    // The copy of the tracker that runs the page owns its consent state; consent calls made
    // through another copy (a script tag beside the app bundle) are forwarded to it.
    page._refp = setConsent
    settings = options
    // Read when a link is followed, not now: options can change while the page lives.
    decorateOutbound(() => settings?.outboundDomains, () => consented() && readClickId())
    if (options.stripe !== false) handOffToStripe(() => consented() && readClickId())
    void applyLanding()
  } catch {
    // No window (server), or a host page that broke a browser API: stay out of the way.
  }
}

/**
 * The stored click ID, or `null` when the visitor did not arrive through a referral
 * link (or cookies are unavailable). Safe to call before {@link init} and on the server.
 *
 * @example
 * ```ts
 * const clickId = getClickId() // e.g. 'cl_7Hq2Lk' or null
 * ```
 */
export const getClickId: () => string | null = readClickId

/**
 * Records consent: a landing captured under `consent: 'pending'` is applied now (cookie
 * written, click registered), on the same page. Can be called before {@link init}.
 *
 * @example
 * ```ts
 * init({ publishableKey: 'pk_live_123', consent: 'pending' })
 * onConsentBannerAccept(() => grantConsent())
 * ```
 */
export const grantConsent = (): void => switchConsent(true)

/**
 * Withdraws consent: deletes `refp_id` on every Domain and Path it could sit on and
 * stops writing, sending and decorating links on this page.
 *
 * @example
 * ```ts
 * onConsentBannerReject(() => revokeConsent())
 * ```
 */
export const revokeConsent = (): void => switchConsent(false)

type RunningPage = { _refp?: (granted: boolean) => void }

const switchConsent = (granted: boolean): void => {
  try {
    ;((window as RunningPage)._refp || setConsent)(granted)
  } catch {}
}

function setConsent(granted: boolean): void {
  decision = granted
  decorateStripeElements()
  log(granted ? 'consent granted' : 'consent revoked')
  if (granted) return void applyLanding()
  clearClickId(settings?.cookieOptions)
  announce(null)
}

/** Options of the running tracker; `undefined` until {@link init}. */
let settings: RefportOptions | undefined
/** The landing is applied at most once per page, whatever calls arrive. */
let applied: boolean | undefined
/** The visitor's decision on this page: `undefined` until a consent call; it outranks the `consent` option. */
let decision: boolean | undefined

/**
 * True when the tracker may write and send: the visitor granted consent, or the site did
 * not ask to wait for it (`consent: 'pending'`) and the visitor did not revoke it.
 */
const consented = (): boolean => decision ?? settings?.consent != 'pending'

const announce = (clickId: string | null): void => {
  dispatchEvent(new CustomEvent(CLICK_ID_EVENT, { detail: clickId }))
}

async function applyLanding(): Promise<void> {
  try {
    if (!settings || applied) return
    if (!consented()) return log('consent pending')
    applied = true
    const { queryParams = ['via'], publishableKey, urlCleanup } = settings
    // A shared URL must not carry this visitor's click, whether or not it was stored.
    const cleanUrl = (): void =>
      removeParams(urlCleanup == 'none' ? [] : urlCleanup == 'all' ? [CLICK_ID_PARAM, ...queryParams] : [CLICK_ID_PARAM])
    const params = new URL(landingHref).searchParams
    const key = queryParams.map((name) => params.get(name)).find(Boolean)
    let clickId: unknown = params.get(CLICK_ID_PARAM)
    if (settings.attributionModel == 'first-click' && readClickId()) return cleanUrl(), log('first-click: kept')
    // An invalid refp_id counts as absent; a partner key may still be there.
    if (!isClickId(clickId)) {
      if (!isPartnerKey(key)) return log('no referral', key)
      if (!publishableKey) return log('?via= needs publishableKey')
      // Only when a click ID is stored: a first load that waited for consent (a consent
      // manager that reloads the page on "accept") or whose request failed counted nothing.
      if (isRevisit() && readClickId()) return log('already counted')
      clickId = await registerClick(settings.apiHost ?? DEFAULT_API_HOST, { publishableKey, key, url: landingHref, referrer: document.referrer }, settings.timeoutMs)
      // Not stored: a failed or hostile answer, or consent revoked while in flight.
      if (!isClickId(clickId) || !consented()) return log('click not stored', clickId)
    }
    writeClickId(clickId, settings.cookieOptions)
    // The browser can refuse the cookie (a foreign cookieOptions.domain): keep the URL then.
    if (readClickId() != clickId) return log('cookie refused', clickId)
    log('stored', clickId)
    cleanUrl()
    announce(clickId)
  } catch (error) {
    log(error)
  }
}
