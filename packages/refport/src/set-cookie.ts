/**
 * `Set-Cookie` values for refp_id issued by the site's own server. Safari's tracking
 * prevention caps cookies written by JavaScript (`document.cookie`) at 7 days; a cookie set
 * in an HTTP response of the site itself keeps its full lifetime, so re-issuing the
 * tracker's cookie from the server restores the 90-day window. Every attribute comes from
 * the contract's `serializeClickIdCookie`.
 */
import { CLICK_ID_COOKIE, domainCandidates, hostnameOf, serializeClickIdCookie } from '@refport/contract'

/**
 * Options of {@link clickIdSetCookie}.
 *
 * @example
 * ```ts
 * // The same attributes the browser tracker was given, so both write one cookie.
 * const options: ClickIdSetCookieOptions = { domain: 'acme.com', secure: true }
 * res.append('Set-Cookie', clickIdSetCookie(clickId, options))
 * ```
 */
export interface ClickIdSetCookieOptions {
  /**
   * `Domain` attribute. Use the same value as the browser tracker, normally the registrable
   * domain (`acme.com` for `www.acme.com`), so the two write the same cookie instead of two.
   * Omitted → a host-only cookie.
   */
  domain?: string
  /** `Path`; default `/`. */
  path?: string
  /** Lifetime in days; default 90. */
  expiresInDays?: number
  /** Adds `Secure`; set it in production (https). */
  secure?: boolean
  /** Cookie name; default `refp_id`. */
  name?: string
}

/**
 * Returns one `Set-Cookie` header value that (re)issues the click-ID cookie from the server
 * with the contract's attributes (`Path=/`, `SameSite=Lax`, 90 days unless told otherwise).
 *
 * @throws TypeError when `clickId` is not a valid click ID or `domain`/`path` contain
 * characters that could start another attribute. Pass a value read with
 * {@link getClickIdFromRequest}, which is always valid.
 *
 * @example
 * ```ts
 * // Next.js middleware: extend the tracker's cookie past Safari's 7-day cap.
 * const clickId = getClickIdFromRequest(request)
 * const response = NextResponse.next()
 * if (clickId) response.headers.append('Set-Cookie', clickIdSetCookie(clickId, { domain: 'acme.com', secure: true }))
 * return response
 * ```
 */
export function clickIdSetCookie(clickId: string, options: ClickIdSetCookieOptions = {}): string {
  const { name, ...attributes } = options
  return serializeClickIdCookie(clickId, attributes, name)
}

/**
 * Options of {@link clearClickIdSetCookies}.
 *
 * @example
 * ```ts
 * // The tracker was initialised with cookieOptions: { path: '/app' }.
 * const options: ClearClickIdSetCookiesOptions = { host: request.headers.get('host'), path: '/app', secure: true }
 * for (const value of clearClickIdSetCookies(options)) response.headers.append('Set-Cookie', value)
 * ```
 */
export interface ClearClickIdSetCookiesOptions {
  /** The request's `Host` header (`www.acme.com:3000`); the port is ignored. */
  host: string | null | undefined
  /** A custom `Path` the tracker was configured with; `/` is always cleared too. */
  path?: string
  /** A custom `Domain` the tracker was configured with (`cookieOptions.domain`). */
  domain?: string
  /** Adds `Secure` to the expiring cookies. */
  secure?: boolean
  /** Cookie name; default `refp_id`. */
  name?: string
}

/**
 * Returns the `Set-Cookie` header values that delete the click-ID cookie wherever the
 * browser tracker could have written it.
 *
 * A cookie is only replaced by one with the same name, Domain and Path (RFC 6265 §5.3
 * step 11), and the server cannot know which Domain the tracker's probe settled on. So this
 * expires the cookie host-only **and** on every parent domain of `host` (the contract's
 * `domainCandidates`), for Path `/` plus `path`, plus `domain` when given. Browsers ignore
 * the variants they would have refused to store (public suffixes), so the extra ones are
 * harmless. Values of a hostile `Host` header that cannot form a Domain attribute are
 * skipped; this never throws for any `host`.
 *
 * @example
 * ```ts
 * // Express, after tracking the lead:
 * res.append('Set-Cookie', clearClickIdSetCookies({ host: req.headers.host, secure: true }))
 * ```
 */
export function clearClickIdSetCookies(options: ClearClickIdSetCookiesOptions): string[] {
  const { host, path, domain, secure, name = CLICK_ID_COOKIE } = options
  const domains: (string | undefined)[] = [undefined, ...domainCandidates(hostnameOf(host))]
  if (domain && !domains.includes(domain)) domains.push(domain)
  const paths = path && path != '/' ? ['/', path] : ['/']
  const values: string[] = []
  for (const p of paths)
    for (const d of domains) {
      try {
        values.push(serializeClickIdCookie('', { domain: d, path: p, expiresInDays: 0, secure }, name))
      } catch {
        // A label of a hostile Host header (`a;b.acme.com`) cannot be a Domain: skip it.
        // An invalid `path`, `domain` or `name` from the caller's own config is rethrown below.
        if (d === undefined || d === domain) throw new TypeError(invalidOption(p, d, name))
      }
    }
  return values
}

function invalidOption(path: string, domain: string | undefined, name: string): string {
  return `refport: clearClickIdSetCookies got an invalid option (name ${JSON.stringify(name)}, path ${JSON.stringify(path)}, domain ${JSON.stringify(domain)})`
}
