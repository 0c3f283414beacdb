import {
  CLICK_ID_COOKIE,
  CLICK_ID_PARAM,
  DEFAULT_API_HOST,
  domainCandidates,
  LANDING_HANDLED_COOKIE,
  PARTNER_COOKIE,
  PENDING_CLICK_COOKIE,
  isClickId,
  isPartnerKey,
  mintClickId,
  readClickIdCookie,
  readPagePartner,
  readPendingClick,
  serializePagePartner,
  serializePendingClick,
  toPagePartner,
  type PagePartner,
} from '@refport/contract'
import { isRejection, sendClick } from './click'
import { clearCookies, readClickId, readCookies, siteCookieOptions, writeCookie } from './cookie'
import { isRevisit, landingHref, removeParams } from './landing'
import { DEBUG, log, setDebug } from './log'
import type { RefportCookieOptions, RefportTrackerOptions } from './options'
import { decorateOutbound } from './outbound'
import { decorateStripeElements, handOffToStripe } from './stripe'

export type { RefportCookieOptions, RefportOptions, RefportTrackerOptions } from './options'
export type { Discount, PagePartner } from '@refport/contract'
export type { RefportGlobal } from './global'

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
 * Name of the `window` event fired with the partner who referred the visitor: on the page
 * where the API confirms the click, and on every later page where one is stored;
 * `event.detail` is a {@link PagePartner}, or `null` when a click is rejected without an
 * earlier partner to fall back to, or after {@link revokeConsent}.
 *
 * @example
 * ```ts
 * addEventListener(PARTNER_EVENT, (event) => {
 *   const partner = (event as CustomEvent<PagePartner | null>).detail
 *   if (partner) banner.textContent = `${partner.name} sent you`
 * })
 * ```
 */
export const PARTNER_EVENT = 'refport:partner'

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
export function init(options: RefportTrackerOptions = {}): void {
  try {
    DEBUG && setDebug(options.debug)
    const page = window as RunningPage
    if (page.refportConsent) return void (DEBUG && log('already running'))
    // The copy of the tracker that runs the page owns its consent state; consent calls made
    // through another copy (a script tag beside the app bundle) are forwarded to it.
    page.refportConsent = setConsent
    settings = options
    // The landing first: the cookie is written before any other work of the tracker.
    void applyLanding()
    // Read when a link is followed, not now: options can change while the page lives.
    decorateOutbound(
      () => settings?.outboundDomains,
      () => consented() && readClickId(),
    )
    if (options.stripe !== false) handOffToStripe(() => consented() && readClickId())
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
 * The partner who referred this visitor, with their discount, as the click API named
 * them: kept for the cookie's lifetime and readable on every page of the site (on every
 * subdomain), or `null` (no referral, a click not confirmed yet, or data that failed
 * validation). Plain text: render it as text, never as markup. Safe before {@link init}
 * and on the server.
 *
 * @example
 * ```ts
 * const partner = getPartner()
 * if (partner?.discount) banner.textContent = `${partner.name} sent you: ${partner.discount.code}`
 * ```
 */
export const getPartner = (): PagePartner | null => readPagePartner(readCookies())

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

/**
 * `window.refportConsent`: the consent switch of the copy of the tracker that runs this
 * page (set by the first {@link init}); its presence also marks the page as running.
 * Named after the package because every copy on the page (a script tag, an app bundle, a
 * second bundle) must find the same one; `refport` is already the script tag's global.
 */
type RunningPage = { refportConsent?: (granted: boolean) => void }

const switchConsent = (granted: boolean): void => {
  try {
    ;((window as RunningPage).refportConsent || setConsent)(granted)
  } catch {}
}

function setConsent(granted: boolean): void {
  decision = granted
  decorateStripeElements()
  DEBUG && log(granted ? 'consent granted' : 'consent revoked')
  if (granted) return void applyLanding()
  clearCookies([CLICK_ID_COOKIE, PENDING_CLICK_COOKIE, PARTNER_COOKIE], settings?.cookieOptions)
  announce(null)
  emit(PARTNER_EVENT, null)
}

/** Options of the running tracker; `undefined` until {@link init}. */
let settings: RefportTrackerOptions | undefined
/** The landing is applied at most once per page, whatever calls arrive. */
let applied: boolean | undefined
/** The visitor's decision on this page: `undefined` until a consent call; it outranks the `consent` option. */
let decision: boolean | undefined

/**
 * True when the tracker may write and send: the visitor granted consent, or the site did
 * not ask to wait for it (`consent: 'pending'`) and the visitor did not revoke it.
 */
const consented = (): boolean => decision ?? settings?.consent != 'pending'

const emit = (type: string, detail: unknown): void => {
  dispatchEvent(new CustomEvent(type, { detail }))
}

const announce = (clickId: string | null): void => emit(CLICK_ID_EVENT, clickId)

/** Cookie options of this page's writes, with the Domain found on the first write (once per page). */
let site: RefportCookieOptions | undefined
const siteOptions = (): RefportCookieOptions => (site ||= siteCookieOptions(settings!.cookieOptions))

/** A shared URL must not carry this visitor's click, whether or not it was stored. */
function cleanUrl(): void {
  const { queryParams = ['via'], urlCleanup } = settings!
  removeParams(urlCleanup == 'none' ? [] : urlCleanup == 'all' ? [CLICK_ID_PARAM, ...queryParams] : [CLICK_ID_PARAM])
}

/** The click ID is stored: the URL is cleaned and the page told. */
function stored(clickId: string): void {
  DEBUG && log('stored', clickId)
  cleanUrl()
  announce(clickId)
}

/**
 * Writes `clickId` to refp_id, and cookie `companion` set to `value` beside it (an empty
 * value expires it), on this page's Domain. With `replacing`, every variant of the older
 * refp_id is cleared first, so one on another Domain or Path cannot shadow the new one.
 *
 * The click ID is its own domain probe: it is written on each parent domain, shortest
 * first, until reading `document.cookie` shows it (browsers refuse public suffixes,
 * RFC 6265 §5.3 step 5), so the first one that sticks is the registrable domain, and no
 * test cookie has to be written and removed: one write and one read on most sites, each a
 * synchronous main-thread round trip. False when the browser refused it everywhere (a
 * foreign `cookieOptions.domain`): the caller then leaves the URL and the page alone.
 */
function store(clickId: string, replacing: unknown, companion?: string | null, value = ''): boolean {
  const options = settings!.cookieOptions || {}
  // Each cookie write costs main-thread time; a first landing has nothing to clear.
  if (replacing) clearCookies([CLICK_ID_COOKIE], options)
  const candidates =
    site || options.domain
      ? [site || options]
      : // A cookie under another Path is invisible here: a separate Path=/ probe finds the Domain then.
        options.path && options.path != '/'
        ? [siteOptions()]
        : [...domainCandidates(location.hostname).map((domain) => ({ ...options, domain })), options]
  site = candidates.find((candidate) => {
    writeCookie(CLICK_ID_COOKIE, clickId, candidate)
    return readClickId() == clickId
  })
  if (!site) {
    DEBUG && log('cookie refused', clickId)
    return false
  }
  if (companion) writeCookie(companion, value, site)
  return true
}

/**
 * Registers a click and applies the answer. `clickId` is the minted ID already in the
 * cookie and marked pending, or `undefined` where the browser could not mint one (the API
 * mints it, the cookie waits for the answer). `previous` is the click ID the cookie held
 * before this one.
 *
 * - `2xx` with a JSON body confirms the click: the pending mark goes, the partner data is
 *   kept, and a different valid `clickId` in the answer (an API that mints its own) is
 *   adopted.
 * - A rejection for good ({@link isRejection}) restores `previous`, or removes the cookie.
 * - Anything else (network error, timeout, the visitor left, `5xx`, `408`, `429`, a body
 *   that is not the API's) leaves the click pending: a later page view sends it again with
 *   the same ID, and the API counts an ID once.
 */
async function register(key: string, clickId: string | undefined, previous: string | null): Promise<unknown> {
  try {
    const { apiHost = DEFAULT_API_HOST, publishableKey, timeoutMs } = settings!
    const response = await sendClick(
      apiHost,
      { publishableKey: publishableKey!, key, clickId, url: landingHref, referrer: document.referrer },
      timeoutMs,
    )
    // Consent revoked while in flight: the cookies are gone and must stay gone.
    if (!consented()) return
    if (isRejection(response.status)) {
      if (!clickId) return
      DEBUG && log('click rejected', response.status)
      previous
        ? store(previous, 1, PENDING_CLICK_COOKIE)
        : clearCookies([CLICK_ID_COOKIE, PENDING_CLICK_COOKIE], settings!.cookieOptions)
      announce(previous)
      return emit(PARTNER_EVENT, getPartner())
    }
    if (!response.ok) return void (DEBUG && log('click not confirmed', response.status))
    const body = await response.json()
    const confirmed = isClickId(body.clickId) ? body.clickId : clickId
    if (!confirmed) return void (DEBUG && log('click not stored', body.clickId))
    const partner = toPagePartner(body.partner, body.discount)
    const partnerCookie = partner && serializePagePartner(confirmed, partner)
    if (clickId) writeCookie(PENDING_CLICK_COOKIE, '', siteOptions())
    if (confirmed == clickId) {
      if (partnerCookie) writeCookie(PARTNER_COOKIE, partnerCookie, siteOptions())
    } else {
      if (!store(confirmed, clickId || previous, partnerCookie && PARTNER_COOKIE, partnerCookie!)) return
      stored(confirmed)
    }
    DEBUG && log('click confirmed', confirmed)
    if (partner) emit(PARTNER_EVENT, partner)
  } catch (error) {
    DEBUG && log('click not confirmed', error)
  }
}

async function applyLanding(): Promise<unknown> {
  try {
    if (!settings || applied) return
    if (!consented()) return void (DEBUG && log('consent pending'))
    applied = true
    const { queryParams = ['via'], publishableKey } = settings
    const params = new URL(landingHref).searchParams
    const key = queryParams.map((name) => params.get(name)).find(Boolean)
    const linked = params.get(CLICK_ID_PARAM)
    // One read of document.cookie serves every decision below.
    const jar = readCookies()
    const current = readClickIdCookie(jar)
    if (current && readClickIdCookie(jar, LANDING_HANDLED_COOKIE) == current) {
      // The site's own server registered this landing and set the cookie: nothing to send.
      writeCookie(LANDING_HANDLED_COOKIE, '')
      return stored(current)
    }
    if (settings.attributionModel == 'first-click' && current) {
      cleanUrl()
      DEBUG && log('first-click: kept')
    }
    // An invalid refp_id counts as absent; a partner key may still be there.
    // The same ID already stored is not written again: Safari caps a cookie written by
    // script at 7 days, and a rewrite would cut a server-set refp_id's 90 days to that.
    else if (isClickId(linked)) return (linked == current || store(linked, current)) && stored(linked)
    else if (!isPartnerKey(key)) DEBUG && log('no referral', key)
    else if (!publishableKey) DEBUG && log('?via= needs publishableKey')
    // Only when a click ID is stored: a first load that waited for consent (a consent
    // manager that reloads the page on "accept") or whose request failed counted nothing.
    else if (current && isRevisit()) DEBUG && log('already counted')
    else {
      const clickId = mintClickId()
      if (clickId) {
        // The cookie first, with no network before it: a visitor who follows a link or
        // leaves now is still credited, and the pending mark lets a later page resend.
        if (!store(clickId, current, PENDING_CLICK_COOKIE, serializePendingClick({ clickId, key, previous: current })))
          return
        stored(clickId)
      }
      return register(key, clickId, current)
    }
    // No new click on this page: resend one that was never confirmed, when the page is idle.
    const pending = readPendingClick(jar)
    if (pending && publishableKey)
      // requestIdleCallback with a deadline: the resend never competes with the page's own
      // start-up, yet happens even on a page that is never idle. Where it is missing (Safari
      // before 18), setTimeout reads the options object as a delay of 0.
      return (self.requestIdleCallback || (setTimeout as never))(
        () => consented() && register(pending.key, pending.clickId, pending.previous),
        { timeout: 2000 },
      )
    const partner = readPagePartner(jar)
    if (partner) emit(PARTNER_EVENT, partner)
  } catch (error) {
    DEBUG && log(error)
  }
}
