/**
 * What the plugin needs to know about the HTTP request behind a Better Auth hook: its
 * `Cookie` header and the host names the browser may have used to reach it.
 *
 * A hook context comes in several shapes: a request through `auth.handler` /
 * `toNodeHandler` carries a `Request`, a server-side `auth.api.*` call carries only the
 * `headers` it was given (or nothing at all). Every reader here accepts all of them and
 * answers `null` / `[]` instead of throwing.
 */

/** The parts of a Better Auth endpoint context this module reads (not `refport`'s `RequestLike`, which is a framework request). */
export interface HookRequest {
  headers?: HeadersInit | undefined
  request?: Request | undefined
  getHeader?: ((name: string) => string | null) | undefined
  context?: { baseURL?: string | undefined } | undefined
}

/** One request header, or `null` when the context has no request headers. */
export function requestHeader(ctx: HookRequest, name: string): string | null {
  try {
    if (typeof ctx.getHeader === 'function') return ctx.getHeader(name)
    const headers = ctx.headers ?? ctx.request?.headers
    return headers ? new Headers(headers).get(name) : null
  } catch {
    return null
  }
}

/**
 * Every host the browser may have used for this request (`Host`-header form, port
 * included), without duplicates. Values are not validated here: the cookie helper skips
 * anything that cannot form a Domain attribute, and a host that cannot be real adds none.
 *
 * The cookie to clear was sent by the browser, so it is host-only on the host the browser
 * addressed or scoped to one of that host's parent domains. Which header names that host
 * depends on the deployment: `Host` when the app is reached directly or through a proxy
 * that keeps it, `X-Forwarded-Host` behind proxies that rewrite it (read only with
 * `trustProxy`: any client can send it), the request URL and Better Auth's `baseURL`
 * otherwise. Listing all of them costs a few header bytes: a browser ignores a `Set-Cookie`
 * whose Domain does not domain-match the host it talked to (RFC 6265 §5.3 step 6), so a
 * variant for the wrong host is a no-op, while a missing variant leaves the cookie in place.
 */
export function requestHosts(ctx: HookRequest, trustProxy = false): string[] {
  return unique([...headerHosts(ctx, trustProxy), hostOfUrl(ctx.request?.url), hostOfUrl(ctx.context?.baseURL)])
}

/**
 * The hosts the request's headers say the browser addressed (`Host`, and the first
 * `X-Forwarded-Host` with `trustProxy`); only when there is none, every host of
 * {@link requestHosts}. Better Auth's `baseURL` may name another host than the one in use
 * (a production `BETTER_AUTH_URL` while developing on localhost), so it is a fallback, not
 * a witness.
 */
export function addressedHosts(ctx: HookRequest, trustProxy = false): string[] {
  const fromHeaders = unique(headerHosts(ctx, trustProxy))
  return fromHeaders.length ? fromHeaders : requestHosts(ctx, trustProxy)
}

function headerHosts(ctx: HookRequest, trustProxy: boolean): (string | null | undefined)[] {
  // A proxy chain lists one host per hop; the first is the one the browser addressed.
  return [requestHeader(ctx, 'host'), trustProxy ? requestHeader(ctx, 'x-forwarded-host')?.split(',', 1)[0] : null]
}

/** Trimmed, lowercased, without empty values and duplicates. */
function unique(candidates: (string | null | undefined)[]): string[] {
  const hosts: string[] = []
  for (const candidate of candidates) {
    const host = candidate?.trim().toLowerCase()
    if (host && !hosts.includes(host)) hosts.push(host)
  }
  return hosts
}

function hostOfUrl(url: string | undefined): string | null {
  if (!url) return null
  try {
    return new URL(url).host
  } catch {
    return null
  }
}
