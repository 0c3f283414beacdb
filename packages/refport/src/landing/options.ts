/**
 * Options of the first-party landing middleware, shared by the Fetch core
 * (`createRefportLanding`), `refport/express` and `refport/next`.
 */

/**
 * Options of the landing middleware. All optional.
 *
 * @example
 * ```ts
 * const options: RefportLandingOptions = {
 *   apiKey: process.env.REFPORT_API_KEY,
 *   attributionModel: 'first-click',
 *   consentCookie: 'cookie_consent', // act only once the banner stored consent
 *   trustProxy: true, // behind a load balancer that sets X-Forwarded-Proto / -Host / -For
 * }
 * ```
 */
export interface RefportLandingOptions {
  /**
   * Secret API key, sent as `Authorization: Bearer <apiKey>` with the click. Default:
   * `REFPORT_API_KEY`. Without one, `?refp_id=` is still stored, and `?via=` landings are
   * left to the browser tracker (said once on the console).
   */
  apiKey?: string
  /** API origin, optionally with a path prefix. Default: `REFPORT_API_URL`, then `https://api.refport.io`. */
  baseUrl?: string
  /** Partner-key parameters, as the tracker's `queryParams`. Default `['via']`. */
  queryParams?: string[]
  /** `'last-click'` (default): a new landing replaces the stored click. `'first-click'`: a stored click is kept. */
  attributionModel?: 'last-click' | 'first-click'
  /** `Domain` of the cookie. Default: the registrable domain of the host (Public Suffix List); host-only on `localhost` and IPs. */
  cookieDomain?: string
  /** Cookie lifetime in days, renewed on later page loads. Default 90. */
  expiresInDays?: number
  /**
   * Longest time a landing page waits for the API's answer to the click, in ms. Default
   * 1000. A slower API does not hold the page: the cookie is set and the click keeps going.
   */
  waitMs?: number
  /** Time the click request may take in the background before it is abandoned, in ms. Default 10 000. */
  clickTimeoutMs?: number
  /**
   * Trust `X-Forwarded-Proto`, `X-Forwarded-Host` and `X-Forwarded-For` (for `Secure`, the
   * cookie Domain and the visitor's IP). Default `false`: any client can send them; turn it
   * on only behind a proxy that sets them.
   */
  trustProxy?: boolean
  /**
   * Name of the cookie in which the site's consent banner records consent. Given → the
   * middleware does nothing (no cookie, no click, no renewal) unless the request carries it
   * with a granting value (see {@link RefportLandingOptions.isConsentGranted}); a visitor
   * who withdraws consent is then never tracked again by the middleware.
   */
  consentCookie?: string
  /** Whether the consent cookie's value grants consent. Default: `granted`, `true`, `yes`, `1` or `accept…` (any case). */
  isConsentGranted?: (value: string) => boolean
  /**
   * Answer a landing that set the cookie with a `307` redirect to the same URL without
   * `refp_id` and the partner-key parameters, so neither stays in the address bar, a
   * bookmark or a shared link. Default `false` (`true` in `refport/next`).
   */
  redirect?: boolean
  /** A `fetch` to use instead of the global one. */
  fetch?: typeof fetch
}

/** The options with their defaults applied. */
export interface ResolvedLandingOptions {
  queryParams: string[]
  firstClick: boolean
  cookieDomain: string | undefined
  expiresInDays: number | undefined
  waitMs: number
  clickTimeoutMs: number
  trustProxy: boolean
  consentCookie: string | undefined
  isConsentGranted: (value: string) => boolean
  redirect: boolean
}

const GRANTED = /^(?:granted|true|yes|1|accept\w*)$/i

/**
 * Applies defaults and refuses option values that are bugs in the calling code, with a
 * message that says what to pass instead.
 */
export function resolveLandingOptions(options: RefportLandingOptions): ResolvedLandingOptions {
  const fail = (message: string) => {
    throw new TypeError(`refport: landing middleware: ${message}`)
  }
  const { queryParams = ['via'], attributionModel = 'last-click', waitMs = 1000, clickTimeoutMs = 10_000 } = options
  if (
    !Array.isArray(queryParams) ||
    queryParams.some((name) => typeof name !== 'string' || !/^[\w-]{1,64}$/.test(name))
  )
    fail('queryParams must be a list of parameter names such as ["via"]')
  if (attributionModel !== 'last-click' && attributionModel !== 'first-click')
    fail(`attributionModel must be 'last-click' or 'first-click', not ${JSON.stringify(attributionModel)}`)
  if (!(waitMs >= 0 && waitMs <= 10_000)) fail('waitMs must be 0 to 10000 ms (the page waits at most this long)')
  if (!(clickTimeoutMs > 0 && clickTimeoutMs <= 60_000)) fail('clickTimeoutMs must be 1 to 60000 ms')
  if (options.cookieDomain !== undefined && !/^\.?[a-z0-9.-]{1,253}$/i.test(options.cookieDomain))
    fail('cookieDomain must be a host name such as "acme.com"')
  if (options.consentCookie !== undefined && !/^[\w-]{1,128}$/.test(options.consentCookie))
    fail('consentCookie must be a cookie name of A–Z a–z 0–9 _ -')
  if (options.isConsentGranted !== undefined && typeof options.isConsentGranted !== 'function')
    fail('isConsentGranted must be a function (value) => boolean')
  if (options.fetch !== undefined && typeof options.fetch !== 'function')
    fail('fetch must be a function such as globalThis.fetch')
  return {
    queryParams,
    firstClick: attributionModel === 'first-click',
    cookieDomain: options.cookieDomain,
    expiresInDays: options.expiresInDays,
    waitMs,
    clickTimeoutMs,
    trustProxy: options.trustProxy === true,
    consentCookie: options.consentCookie,
    isConsentGranted: options.isConsentGranted ?? ((value) => GRANTED.test(value)),
    redirect: options.redirect === true,
  }
}
