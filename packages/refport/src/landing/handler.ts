/**
 * The landing decision: given a request, which cookies to set, whether to redirect to the
 * clean URL, and which click is still on its way. Fetch `Request` in, plain data out, so
 * the Express and Next.js adapters (and any Fetch framework) only translate.
 */
import {
  CLICK_ID_PARAM,
  CLICK_PATH,
  DEFAULT_API_HOST,
  LANDING_HANDLED_COOKIE,
  PARTNER_COOKIE,
  PENDING_CLICK_COOKIE,
  hostnameOf,
  isClickId,
  isPartnerKey,
  mintClickId,
  readClickIdCookie,
  readPagePartner,
  readPendingClick,
  serializePagePartner,
  serializePendingClick,
  type PagePartner,
  type PendingClick,
} from '@refport/contract'
import { apiKeyProblem, resolveApiUrl } from '../config'
import { readEnv } from '../env'
import { clickIdSetCookie, type ClickIdSetCookieOptions } from '../set-cookie'
import { cookieDomainFor } from './cookie-domain'
import { resolveLandingOptions, type RefportLandingOptions, type ResolvedLandingOptions } from './options'
import { sendServerClick } from './register-click'
import { publicUrlOf, readCookie, visitorIp } from './request-facts'
import { skipReason } from './request-kind'

/**
 * Name of the marker that throttles renewals: its value is the click ID last re-issued and
 * it lives for {@link RENEW_EVERY_DAYS}. While it names the stored click ID, later page loads
 * leave `refp_id` alone, so the server needs no state to renew at most once a day, and a
 * click ID the tracker just wrote (Safari: 7 days) is renewed at its first page load.
 */
export const RENEWED_COOKIE = 'refp_renewed'
/** A renewal at most once a day keeps Safari's window within a day of the full 90. */
const RENEW_EVERY_DAYS = 1
/**
 * Lifetime of the `refp_landed` marker: one minute covers the landing page's own load
 * (the tracker reads it there) and a reload right after, and it is gone before the
 * visitor could land again through another link.
 */
const LANDED_MARKER_DAYS = 60 / 86400

/**
 * What the landing middleware decided for one request.
 *
 * @example
 * ```ts
 * const landing = await handleLanding(request)
 * if (landing.action == 'registered') console.log('click registered by the server')
 * ```
 */
export interface LandingResult {
  /**
   * What happened: `'none'` (not a page load, no consent, nothing to do), `'stored'` (a
   * `?refp_id=` stored), `'registered'` (a `?via=` click confirmed within the wait),
   * `'unconfirmed'` (cookie set, the click still on its way), `'rejected'` (the API
   * refused the partner key: no cookie), `'renewed'` (a stored click ID re-issued).
   */
  action: 'none' | 'stored' | 'registered' | 'unconfirmed' | 'rejected' | 'renewed'
  /** `Set-Cookie` values to append to the response (never `set`: they are several). */
  setCookies: string[]
  /**
   * `'private, no-store'` whenever `setCookies` holds `refp_id`: set it as the response's
   * `Cache-Control`, replacing any other, or a shared cache would serve this visitor's click
   * to everyone. `null` otherwise.
   */
  cacheControl: string | null
  /** Where to redirect (`307`, a path relative to the site) instead of serving the page, or `null`. */
  redirectTo: string | null
  /** The click request still running: hand it to `waitUntil` where the runtime has one. `null` when none. */
  pending: Promise<void> | null
}

/**
 * Per-request facts only the framework knows.
 *
 * @example
 * ```ts
 * const context: LandingContext = { ip: req.socket.remoteAddress }
 * ```
 */
export interface LandingContext {
  /** The visitor's IP address as the server sees it (Express: `req.ip`). */
  ip?: string
}

/**
 * Handles one request; see {@link createRefportLanding}.
 *
 * @example
 * ```ts
 * const handleLanding: LandingHandler = createRefportLanding()
 * const landing = await handleLanding(request, { ip })
 * ```
 */
export type LandingHandler = (request: Request, context?: LandingContext) => Promise<LandingResult>

/** Runtime hooks the adapters pass (Node 18 has no global `crypto`). */
export interface LandingRuntime {
  random?: Pick<Crypto, 'getRandomValues'>
  warn?: (message: string) => void
}

const NOTHING: LandingResult = Object.freeze({
  action: 'none',
  setCookies: [],
  cacheControl: null,
  redirectTo: null,
  pending: null,
}) as LandingResult

/**
 * RFC 9111 §5.2.2.7 and §5.2.2.5: `private` keeps shared caches (CDNs) from storing one
 * visitor's click for everyone, `no-store` keeps any cache from replaying the cookie.
 */
const NOT_CACHEABLE = 'private, no-store'

/**
 * Creates the first-party landing middleware as a Fetch-standard function: a `Request` in,
 * the cookies to set, an optional redirect and the click still on its way out. Works on any
 * runtime with `fetch` (Node 18+, Bun, Deno, edge runtimes); `refport/express` and
 * `refport/next` wrap it.
 *
 * On a top-level page load (never a prefetch, a framework data request, an asset or an
 * API route) whose URL carries `?refp_id=<clickId>` it stores that ID; with a partner key
 * (`?via=jane`) it mints a click ID, registers the click server to server (Bearer API key,
 * the visitor's user agent and IP, the landing URL and referrer) and waits at most `waitMs`
 * for the answer: a `404`/`409` sets nothing, no answer in time sets the cookie and lets
 * the click go on (`pending`). Later page loads renew a stored `refp_id` to its full
 * lifetime at most once a day. Every response that sets `refp_id` carries
 * `Cache-Control: private, no-store`.
 *
 * A landing the server handled also gets `refp_landed=<clickId>` (host-only, one minute):
 * the browser tracker on the same page sees it equal to `refp_id` and sends no second click,
 * and a reload within that minute (which sends `?via=` again) is not a second click either.
 *
 * @throws TypeError for option values that are bugs in the calling code.
 *
 * @example
 * ```ts
 * // Hono (any Fetch framework works the same way)
 * import { createRefportLanding } from 'refport'
 *
 * const landing = createRefportLanding({ apiKey: process.env.REFPORT_API_KEY })
 *
 * app.use(async (c, next) => {
 *   const result = await landing(c.req.raw)
 *   if (result.pending) c.executionCtx.waitUntil(result.pending)
 *   if (result.redirectTo) c.res = new Response(null, { status: 307, headers: { location: result.redirectTo } })
 *   else await next()
 *   for (const value of result.setCookies) c.res.headers.append('set-cookie', value)
 *   if (result.cacheControl) c.res.headers.set('cache-control', result.cacheControl)
 * })
 * ```
 */
export function createRefportLanding(options: RefportLandingOptions = {}): LandingHandler {
  return createLandingHandler(options, {})
}

/** {@link createRefportLanding} with runtime hooks, for the adapters. */
export function createLandingHandler(options: RefportLandingOptions, runtime: LandingRuntime): LandingHandler {
  const settings = resolveLandingOptions(options)
  const warned = new Set<string>()
  const warnOnce = (message: string) => {
    if (warned.has(message)) return
    warned.add(message)
    ;(runtime.warn ?? console.warn)(message)
  }
  return async (request, context = {}) => {
    try {
      return await decide(request, context, options, settings, runtime, warnOnce)
    } catch (error) {
      // A landing must never break the page: whatever went wrong, the page is served as is.
      warnOnce(
        `refport: landing middleware skipped a request: ${error instanceof Error ? error.message : String(error)}`,
      )
      return NOTHING
    }
  }
}

async function decide(
  request: Request,
  context: LandingContext,
  options: RefportLandingOptions,
  settings: ResolvedLandingOptions,
  runtime: LandingRuntime,
  warnOnce: (message: string) => void,
): Promise<LandingResult> {
  const url = publicUrlOf(request, settings.trustProxy)
  if (!url || skipReason(request, url)) return NOTHING
  const cookieHeader = request.headers.get('cookie')
  if (settings.consentCookie) {
    const consent = readCookie(cookieHeader, settings.consentCookie)
    if (consent === null || !settings.isConsentGranted(consent)) return NOTHING
  }

  const stored = readClickIdCookie(cookieHeader)
  const attributes: ClickIdSetCookieOptions = {
    domain: cookieDomainFor(hostnameOf(url.host), settings.cookieDomain),
    secure: url.protocol === 'https:',
    expiresInDays: settings.expiresInDays,
  }
  const renewal = (): LandingResult =>
    stored && readClickIdCookie(cookieHeader, RENEWED_COOKIE) !== stored
      ? {
          action: 'renewed',
          // The tracker's companions of this click (its partner for the page, a click still to
          // resend) are renewed with it, or Safari would drop them after 7 days.
          setCookies: issue(
            stored,
            attributes,
            companions(stored, readPagePartner(cookieHeader ?? ''), readPendingClick(cookieHeader ?? '')),
          ),
          cacheControl: NOT_CACHEABLE,
          redirectTo: null,
          pending: null,
        }
      : NOTHING
  const landed = (
    action: LandingResult['action'],
    clickId: string,
    markLanded: boolean,
    pending: Promise<void> | null,
    companion: Array<[string, string]> = [],
  ): LandingResult => ({
    action,
    setCookies: [
      ...issue(clickId, attributes, companion),
      // Host-only: the tracker reads it on this very page, and no other subdomain may take
      // its click for one it handled.
      ...(markLanded
        ? [
            clickIdSetCookie(clickId, {
              name: LANDING_HANDLED_COOKIE,
              expiresInDays: LANDED_MARKER_DAYS,
              secure: attributes.secure,
            }),
          ]
        : []),
    ],
    cacheControl: NOT_CACHEABLE,
    redirectTo: settings.redirect ? cleanPath(url, settings.queryParams) : null,
    pending,
  })

  const clickIdParam = url.searchParams.get(CLICK_ID_PARAM)
  if (isClickId(clickIdParam)) {
    // A short link's click ID: stored as is, no network (the link already registered it).
    if (settings.firstClick && stored && stored !== clickIdParam) return renewal()
    return landed('stored', clickIdParam, false, null)
  }

  const partnerKey = settings.queryParams.map((name) => url.searchParams.get(name)).find((value) => value !== null)
  if (!isPartnerKey(partnerKey)) return renewal()
  // Handled already: the marker of a landing this server answered less than a minute ago
  // names the stored click (a reload, which sends `?via=` again), or first-click keeps it.
  if (stored && (readClickIdCookie(cookieHeader, LANDING_HANDLED_COOKIE) === stored || settings.firstClick))
    return renewal()

  // '' counts as missing, as for the Refport client: an unset variable in a .env file.
  const apiKey = options.apiKey || readEnv('REFPORT_API_KEY')
  const keyProblem = !apiKey
    ? 'no API key: pass { apiKey } or set REFPORT_API_KEY'
    : apiKeyProblem(apiKey) && `the API key ${apiKeyProblem(apiKey)}`
  const endpoint = resolveApiUrl(options.baseUrl ?? readEnv('REFPORT_API_URL') ?? DEFAULT_API_HOST, CLICK_PATH)
  const problem = keyProblem || (!endpoint.ok && `baseUrl ${endpoint.problem}`)
  const clickId = mintClickId(runtime.random)
  if (problem || !endpoint.ok || !clickId) {
    warnOnce(
      `refport: the landing middleware leaves ?${settings.queryParams[0]}= landings to the browser tracker: ` +
        `${problem || 'this runtime has no crypto.getRandomValues to mint a click ID'}. ?refp_id= links are still stored.`,
    )
    return renewal()
  }

  const click = sendServerClick({
    url: endpoint.url,
    apiKey: apiKey!,
    fetch: options.fetch ?? fetch,
    waitMs: settings.waitMs,
    timeoutMs: settings.clickTimeoutMs,
    click: {
      key: partnerKey,
      clickId,
      url: url.href,
      referrer: (request.headers.get('referer') ?? '').slice(0, 2048),
      userAgent: (request.headers.get('user-agent') ?? '').slice(0, 1024),
      ip: visitorIp(request, context.ip, settings.trustProxy),
    },
  })
  const outcome = await click.withinWait
  if (outcome.kind === 'rejected') return { ...renewal(), action: 'rejected' }
  // The partner of a confirmed click goes where the tracker keeps it for the page
  // (getPartner()); an unconfirmed click is marked pending, so a tracker on a later page
  // resends it with the same ID (the API counts an ID once) if this request is lost.
  if (outcome.kind === 'registered')
    return landed('registered', outcome.clickId, true, null, companions(outcome.clickId, outcome.partner, null))
  return landed(
    'unconfirmed',
    clickId,
    true,
    click.done,
    companions(clickId, null, { clickId, key: partnerKey, previous: stored }),
  )
}

/** The companion cookies of `clickId` to write, as `[name, value]`. */
function companions(
  clickId: string,
  partner: PagePartner | null,
  pending: PendingClick | null,
): Array<[string, string]> {
  const list: Array<[string, string]> = []
  if (partner) list.push([PARTNER_COOKIE, serializePagePartner(clickId, partner)])
  if (pending) list.push([PENDING_CLICK_COOKIE, serializePendingClick(pending)])
  return list
}

/**
 * `Set-Cookie` values for the click ID, its companions (same Domain, Path and lifetime, as
 * the tracker writes them) and its renewal marker (host-only: each host renews its own).
 */
function issue(clickId: string, attributes: ClickIdSetCookieOptions, companion: Array<[string, string]>): string[] {
  return [
    clickIdSetCookie(clickId, attributes),
    ...companion.map(([name, value]) => clickIdSetCookie(value, { ...attributes, name })),
    clickIdSetCookie(clickId, { name: RENEWED_COOKIE, expiresInDays: RENEW_EVERY_DAYS, secure: attributes.secure }),
  ]
}

/**
 * The landing's path and query without `refp_id` and the partner-key parameters, keeping
 * every other parameter. A path that starts with `//` would be read as another host
 * (RFC 3986 §4.2 network-path reference): it is collapsed to one slash.
 */
function cleanPath(url: URL, queryParams: string[]): string {
  const clean = new URL(url.href)
  for (const name of [CLICK_ID_PARAM, ...queryParams]) clean.searchParams.delete(name)
  return clean.pathname.replace(/^\/+/, '/') + clean.search
}
