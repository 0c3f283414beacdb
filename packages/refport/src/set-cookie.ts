/**
 * `Set-Cookie` values for refp_id issued by the site's own server. Safari's tracking
 * prevention caps cookies written by JavaScript (`document.cookie`) at 7 days; a cookie set
 * in an HTTP response of the site itself keeps its full lifetime, so re-issuing the
 * tracker's cookie from the server restores the 90-day window. Every attribute comes from
 * the contract's `serializeClickIdCookie`.
 */
import { CLICK_ID_COOKIE, domainCandidates, hostnameOf, isCookieName, serializeClickIdCookie } from '@refport/contract'
import { requestHeaderOf, requestPathOf, type RequestLike } from './request-cookie'

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
 * const options: ClearClickIdSetCookiesOptions = { request, path: '/app', secure: true }
 * for (const value of clearClickIdSetCookies(options)) response.headers.append('Set-Cookie', value)
 * ```
 */
export interface ClearClickIdSetCookiesOptions {
  /**
   * The request being answered (Express `req`, a Fetch `Request`, Hono's `c`: anything
   * {@link getClickIdFromRequest} reads). Its `Host` header names the host to clear (unless
   * `host` is given); its path and `Cookie` header let the clear also remove a `refp_id`
   * planted on a longer Path (see {@link clearClickIdSetCookies}).
   */
  request?: RequestLike | null | undefined
  /**
   * The host the browser addressed (`www.acme.com:3000`; the port is ignored). Default: the
   * `request`'s `Host` header (and `X-Forwarded-Host` with `trustProxy`).
   */
  host?: string | null | undefined
  /**
   * Also clear the host named by the first `X-Forwarded-Host` of `request`. Default `false`:
   * any client can send that header, so turn it on only when a proxy you run sets it (and
   * overwrites what the client sent), as with Express's `trust proxy` setting.
   */
  trustProxy?: boolean
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
 * Most request-path ancestors a clear expires a duplicated cookie on. Browsers ignore a
 * Path attribute over 1024 bytes (RFC 6265bis, "Parsing the Set-Cookie header"), and real
 * routes are a few segments deep; 12 covers `/api/auth/sign-up/email` (7) under a base path.
 */
const MAX_PLANTED_PATHS = 12

/**
 * Returns the `Set-Cookie` header values that delete the click-ID cookie wherever the
 * browser tracker could have written it.
 *
 * A cookie is only replaced by one with the same name, Domain and Path (RFC 6265 §5.3
 * step 11), and the server cannot know which Domain the tracker's probe settled on. So this
 * expires the cookie host-only **and** on every parent domain of the host (the contract's
 * `domainCandidates`), for Path `/` plus `path`, plus `domain` when given. Browsers ignore
 * the variants they would have refused to store (public suffixes), so the extra ones are
 * harmless. Values of a hostile `Host` header that cannot form a Domain attribute are
 * skipped, and a host that cannot be real (over 253 characters, a label over 63, more than
 * 10 labels) adds no Domain at all; this never throws for any request.
 *
 * **A cookie planted on a longer Path.** Someone who controls another subdomain can set
 * `refp_id` on the shared parent domain with a Path such as `/api/auth`; the browser sends
 * it before the tracker's (longer paths first, RFC 6265 §5.4), and a clear at `/` leaves it
 * in place. When `request`'s `Cookie` header carries the cookie more than once, the
 * parent-domain variants are also expired on every Path that matches the request's path
 * (§5.1.4: `/api`, `/api/`, `/api/auth`, …, at most 12), so the planted value is gone after
 * this response.
 *
 * The output is bounded whatever the request says: at most 20 Domain variants (host-only,
 * the configured domain, 9 parents for each of at most 2 hosts) times at most 2 + 12 paths.
 *
 * @example
 * ```ts
 * // Express, after tracking the lead:
 * res.append('Set-Cookie', clearClickIdSetCookies({ request: req, secure: req.secure }))
 * ```
 */
export function clearClickIdSetCookies(options: ClearClickIdSetCookiesOptions): string[] {
  const { request, trustProxy, path, domain, secure, name = CLICK_ID_COOKIE } = options
  const hosts = options.host != null ? [options.host] : requestHosts(request, trustProxy)
  const parents = new Set(hosts.flatMap((host) => domainCandidates(hostnameOf(host))))
  const values: string[] = []
  const add = (d: string | undefined, p: string, own: boolean) => {
    try {
      values.push(serializeClickIdCookie('', { domain: d, path: p, expiresInDays: 0, secure }, name))
    } catch {
      // A label of a hostile Host header (`a;b.acme.com`) or a request path that cannot be
      // a Path: skip it. An invalid `path`, `domain` or `name` from the caller's own config
      // is rethrown.
      if (own) throw new TypeError(invalidOption(p, d, name))
    }
  }
  const domains: (string | undefined)[] = [undefined, ...parents]
  if (domain && !domains.includes(domain)) domains.push(domain)
  const paths = path && path !== '/' ? ['/', path] : ['/']
  for (const p of paths) for (const d of domains) add(d, p, d === undefined || d === domain)
  // Only another subdomain can plant a cookie the site did not write, and only on a shared
  // parent domain: host-only variants are not needed on these paths.
  for (const p of plantedPaths(request, name)) if (!paths.includes(p)) for (const d of domains) if (d) add(d, p, false)
  return values
}

/** `Host` and, with `trustProxy`, the first `X-Forwarded-Host` (the one the browser addressed). */
function requestHosts(request: RequestLike | null | undefined, trustProxy: boolean | undefined): string[] {
  try {
    const host = requestHeaderOf(request, 'host')
    const forwarded = trustProxy ? requestHeaderOf(request, 'x-forwarded-host')?.split(',', 1)[0] : null
    return [host, forwarded].filter((value): value is string => typeof value === 'string' && value !== '')
  } catch {
    return []
  }
}

/**
 * Every Path that path-matches the request's path (RFC 6265 §5.1.4: the path itself, and
 * each prefix that ends at a `/` boundary, with and without that `/`), shortest first, at
 * most {@link MAX_PLANTED_PATHS}; none unless the request carries the cookie more than once.
 */
function plantedPaths(request: RequestLike | null | undefined, name: string): string[] {
  let cookie: string | null | undefined
  try {
    cookie = requestHeaderOf(request, 'cookie')
  } catch {
    return []
  }
  if (!isCookieName(name) || typeof cookie !== 'string') return []
  // `name=` at the start of a pair (after `;`, or `,` where a Fetch Headers joined fields).
  const pairs = cookie.match(new RegExp(`(?:^|[;,])\\s*${name}\\s*=`, 'g'))
  const requestPath = requestPathOf(request)
  if (!pairs || pairs.length < 2 || !requestPath || requestPath.length > 1024) return []
  const paths = new Set<string>()
  for (
    let slash = requestPath.indexOf('/', 1);
    slash > 0 && paths.size < MAX_PLANTED_PATHS;
    slash = requestPath.indexOf('/', slash + 1)
  )
    paths.add(requestPath.slice(0, slash)).add(requestPath.slice(0, slash + 1))
  paths.add(requestPath)
  return [...paths].slice(0, MAX_PLANTED_PATHS)
}

function invalidOption(path: string, domain: string | undefined, name: string): string {
  return `refport: clearClickIdSetCookies got an invalid option (name ${JSON.stringify(name)}, path ${JSON.stringify(path)}, domain ${JSON.stringify(domain)})`
}
