/**
 * Expiring the click-ID cookie from inside a Better Auth hook.
 *
 * A browser replaces a cookie only when a new `Set-Cookie` has the same name, Domain
 * (or host-only flag) and Path (RFC 6265 §5.3 step 11). The tracker writes `refp_id` on
 * the registrable domain it probed (`Domain=acme.com`), host-only on `localhost` and IP
 * addresses, and with `Path=/` unless configured otherwise, so a single
 * `refp_id=; Max-Age=0` without attributes expires a cookie that does not exist and
 * leaves the real one in place. The server SDK's `clearClickIdSetCookies` lists every
 * variant for one host; this module picks the hosts, adds the headers to the response
 * and never throws.
 */
import { hostnameOf, serializeClickIdCookie } from '@refport/contract'
import { clearClickIdSetCookies } from 'refport'
import { addressedHosts, requestHeader, requestHosts, type HookRequest } from './request'

/** Where the tracker may have written the cookie, beyond what the request tells us. */
export interface ClickIdCookieLocation {
  /** The cookie name. */
  name: string
  /** `cookieOptions.path` given to the tracker, when not `/`. `/` is always cleared. */
  path?: string | undefined
  /** `cookieOptions.domain` given to the tracker. Parent domains of the host are always cleared. */
  domain?: string | undefined
}

/**
 * The `Set-Cookie` values that expire the click-ID cookie for the request in `ctx`: for
 * every host the request may have been addressed to, host-only and on every parent
 * domain, at `/` and at the configured path; when the request carries the cookie twice,
 * also on the Paths above the request path that another subdomain could have planted one
 * on. Duplicates across hosts are dropped. A request that names no host still gets the
 * host-only variants. `X-Forwarded-Host` counts only with `trustProxy`.
 *
 * @throws TypeError only for an invalid `location` (validated when the plugin is created).
 */
export function clearingSetCookies(ctx: HookRequest, location: ClickIdCookieLocation, trustProxy = false): string[] {
  const hosts = requestHosts(ctx, trustProxy)
  // The request's path and `Cookie` header, for the SDK's rule on a cookie planted on a
  // longer Path (expired on the request path's ancestors when the cookie comes twice).
  const request = { headers: { get: (name: string) => requestHeader(ctx, name) }, url: ctx.request?.url }
  // Cookie name prefixes (RFC 6265bis §4.1.3): `__Secure-` and `__Host-` cookies are only
  // accepted, and so only replaced, with the Secure attribute. Other names get no Secure
  // so that the expiry also works on plain-http development hosts, where a browser
  // rejects a Set-Cookie with Secure; replacing a Secure cookie from https needs no Secure.
  const secure = /^__(secure|host)-/i.test(location.name)
  const values = new Set<string>()
  for (const host of hosts.length ? hosts : [undefined]) {
    for (const value of clearClickIdSetCookies({
      host: host ?? null,
      request,
      path: location.path,
      domain: location.domain,
      secure,
      name: location.name,
    })) {
      values.add(value)
    }
  }
  // Frameworks that turn `Set-Cookie` headers into a name-keyed cookie store keep one value
  // per name, the last one: Better Auth's `nextCookies()` replays the headers through
  // Next.js `cookies().set()`, so a sign-up in a Server Action sends a single `refp_id`
  // expiry (see README, "Next.js Server Actions"). When the tracker's Domain is known, the
  // variant it wrote goes last, so that single survivor is the right one.
  const survivor = survivorVariant(addressedHosts(ctx, trustProxy), location, secure)
  if (survivor && values.delete(survivor)) values.add(survivor)
  return [...values]
}

/**
 * The variant to send last, at the tracker's path, when `cookieOptions.domain` is known:
 * - `Domain=<domain>` when it domain-matches a host the browser addressed (RFC 6265 §5.1.3);
 * - host-only otherwise. A browser ignores a Domain its host does not domain-match (§5.3
 *   step 6), so that variant can expire nothing here; on `localhost` and IP addresses,
 *   where a development build runs, the tracker's cookie is host-only.
 * Without a known domain the tracker's choice (the probed registrable domain) cannot be
 * told apart from the other parent domains without the Public Suffix List: no reordering.
 */
function survivorVariant(
  hosts: readonly string[],
  location: ClickIdCookieLocation,
  secure: boolean,
): string | undefined {
  const domain = location.domain?.toLowerCase().replace(/^\./, '')
  if (!domain) return undefined
  const applies = hosts.some((host) => {
    const hostname = hostnameOf(host)
    return hostname === domain || hostname.endsWith(`.${domain}`)
  })
  try {
    return serializeClickIdCookie(
      '',
      { domain: applies ? location.domain : undefined, path: location.path || '/', expiresInDays: 0, secure },
      location.name,
    )
  } catch {
    return undefined
  }
}

/** The writable part of a Better Auth endpoint context. */
export interface ResponseLike {
  responseHeaders?: Headers | undefined
}

/**
 * Appends `values` as `Set-Cookie` headers of the response Better Auth is building.
 *
 * Better Auth merges `ctx.responseHeaders` into the HTTP response, appending every
 * `set-cookie` (its dispatcher never collapses them), also when the endpoint ends in a
 * redirect or an error. `ctx.setCookie` would serialize the cookie a second time with
 * other rules; the values here come from the shared cookie contract.
 *
 * @returns `false` when the context has no response to write to (a direct call without
 * an endpoint context).
 */
export function appendSetCookies(ctx: ResponseLike, values: readonly string[]): boolean {
  const headers = ctx.responseHeaders
  if (typeof headers?.append !== 'function') return false
  for (const value of values) headers.append('set-cookie', value)
  return true
}
