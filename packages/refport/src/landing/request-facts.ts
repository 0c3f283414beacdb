/**
 * What the landing middleware reads from a request besides its kind: the URL the visitor
 * sees (behind a proxy only when told to trust it), the visitor's IP and a cookie of the
 * site's own choosing (the consent signal).
 */
import { isCookieName } from '@refport/contract'

/** First entry of a comma-separated forwarding header, trimmed. */
const firstEntry = (value: string | null): string => (value ?? '').split(',')[0]!.trim()

/**
 * A `Host` value: a name or IPv4 (RFC 3986 reg-name, restricted to letters, digits, `-`,
 * `.` and the `_` some real hosts carry) or an IPv6 literal, with an optional port.
 */
const HOST = /^(?:[a-z0-9_](?:[a-z0-9_.-]{0,251}[a-z0-9_])?|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i

/**
 * The URL of the page as the visitor's browser addressed it, or `null` when the request's
 * own URL cannot be parsed.
 *
 * The host is the `Host` header's (RFC 9110 §7.2: the authority the client asked for),
 * not the request URL's: some servers hand their proxy an internal one (`next start` gives
 * `http://localhost:3000/…` whatever the browser asked for). `X-Forwarded-Proto` and
 * `X-Forwarded-Host` are read only with `trustProxy`: any client can send them, and a site
 * not behind a proxy that sets them would otherwise let a visitor choose the cookie's
 * `Secure` flag and Domain. Behind a proxy (a load balancer, Vercel, Cloudflare) the request
 * reaches the app as plain http on an internal host, and these headers are the only record
 * of `https://www.acme.com`.
 */
export function publicUrlOf(request: Request, trustProxy: boolean): URL | null {
  let url: URL
  try {
    url = new URL(request.url)
  } catch {
    return null
  }
  setHost(url, request.headers.get('host') ?? '')
  if (trustProxy) {
    const proto = firstEntry(request.headers.get('x-forwarded-proto')).toLowerCase()
    if (proto === 'http' || proto === 'https') url.protocol = proto
    setHost(url, firstEntry(request.headers.get('x-forwarded-host')))
  }
  // A host the URL parser lets through but DNS never would (`evil.test;x`): no landing is
  // recorded for it, since no cookie could be written for it either.
  return HOST.test(url.host) ? url : null
}

/** Puts `host` (`name[:port]`) into `url` when it is a well-formed host, dropping the old port when it has none. */
function setHost(url: URL, host: string): void {
  if (!HOST.test(host)) return
  url.host = host
  // The URL `host` setter keeps the old port when the new value has none.
  if (!/:\d+$/.test(host)) url.port = ''
}

/** An IPv4 or IPv6 address as it appears in forwarding headers (no port, no brackets). */
const IP = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:.]{2,45})$/i

/**
 * The visitor's IP for the click: `given` (the adapter's socket address, or Express's
 * `req.ip`), else with `trustProxy` the first `X-Forwarded-For` entry (the client as the
 * first proxy saw it), else `''`. Anything that is not an IP address is dropped.
 */
export function visitorIp(request: Request, given: string | undefined, trustProxy: boolean): string {
  const candidate = given ?? (trustProxy ? firstEntry(request.headers.get('x-forwarded-for')) : '')
  return IP.test(candidate) ? candidate : ''
}

/** Compiled readers per cookie name (names are checked with `isCookieName` first). */
const readers: Record<string, RegExp> = Object.create(null)

/**
 * The raw value of cookie `name` in a `Cookie` header (RFC 6265 §5.4: pairs joined with
 * `; `), or `null`. Any value up to 4096 characters (RFC 6265 §6.1's per-cookie minimum), not
 * only click IDs: a consent manager's cookie holds what it likes. The first one wins.
 */
export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader || !isCookieName(name)) return null
  let reader = readers[name]
  if (!reader) {
    reader = new RegExp(`(?:^|;)\\s*${name}\\s*=\\s*([^;]{0,4096})`)
    readers[name] = reader
  }
  const value = reader.exec(cookieHeader)?.[1]
  return value === undefined ? null : value.trim().replace(/^"(.*)"$/, '$1')
}
