/**
 * Reading the click ID back on the server. The lookup itself is the contract's
 * `readClickIdCookie` (the same code the browser tracker uses); this module only finds the
 * `Cookie` header on whatever request object a framework hands over.
 */
import { CLICK_ID_COOKIE, readClickIdCookie } from '@refport/contract'

/**
 * Anything {@link getClickIdFromRequest} can read a `Cookie` header from:
 * - a Fetch `Request` (Hono's `c.req.raw`, Bun, Deno, Next.js `NextRequest`) or a `Headers`;
 * - a Node `IncomingMessage` (Express `req`, Fastify's `request.raw`) or any `{ headers: { cookie } }`
 *   (the name in any case, as in an AWS API Gateway event's `headers.Cookie`);
 * - Hono's `c.req` (read through its `raw` Request) or the Context `c` itself.
 *
 * @example
 * ```ts
 * // A helper of your own that takes whatever request your framework hands over.
 * function referredBy(request: RequestLike): string | null {
 *   return getClickIdFromRequest(request)
 * }
 * referredBy(req)           // Express
 * referredBy(c)             // Hono (or c.req)
 * referredBy(request)       // Fetch Request, NextRequest
 * ```
 */
export type RequestLike =
  | { headers: { get(name: string): string | null } }
  | { headers: { cookie?: string | string[] | undefined } }
  | { get(name: string): string | null }
  | { raw: { headers: { get(name: string): string | null } } }
  | { req: { raw: { headers: { get(name: string): string | null } } } }

/**
 * Returns the validated click ID from a raw `Cookie` header, or `null`.
 *
 * Looks up the one cookie without parsing the header into an object. Values are not
 * percent-decoded (a click ID never needs encoding, so an encoded value was not written by
 * Refport); a value in double quotes is unwrapped. **Duplicates: the first valid value
 * wins**: browsers send the cookie with the longest Path first, then the oldest
 * (RFC 6265 §5.4), and a malformed `refp_id` tossed in by another subdomain cannot hide a
 * good one. A header whose cookies a Fetch `Headers` joined with `, ` (HTTP/2 split
 * cookies) is read too. Never throws, whatever it is given.
 *
 * @param cookieHeader the `Cookie` header (`req.headers.cookie`), `undefined` or `null`.
 * @param name cookie name; default `refp_id`.
 *
 * @example
 * ```ts
 * import { getClickIdFromCookie } from 'refport'
 *
 * const clickId = getClickIdFromCookie(req.headers.cookie) // Express
 * if (clickId) await refport.track.lead({ clickId, eventName: 'Sign Up', customerExternalId: user.id })
 * ```
 */
export function getClickIdFromCookie(
  cookieHeader: string | null | undefined,
  name: string = CLICK_ID_COOKIE,
): string | null {
  // The contract's reader checks both arguments' types first, so it cannot throw.
  const found = readClickIdCookie(cookieHeader, name)
  if (found !== null || typeof cookieHeader !== 'string' || !cookieHeader.includes(', ')) return found
  return readClickIdCookie(cookieHeader.replace(FETCH_JOIN, '; '), name)
}

/**
 * `, ` between two cookie pairs. Over HTTP/2 a browser may send each cookie as its own
 * `cookie` field (RFC 9113 §8.2.3), and a `Headers` that follows the Fetch standard to the
 * letter joins repeated fields with `, ` ("combine"), so `headers.get('cookie')` gives
 * `theme=dark, refp_id=cl_1` (Deno's server before its 2026 fix, happy-dom, polyfills).
 * Read as RFC 6265 asks, that is one cookie `theme` and no click ID. A click ID never
 * contains a comma, so splitting there again can only find one that was joined away; it is
 * tried only when the plain reading finds nothing.
 */
const FETCH_JOIN = /, (?=[^\s;,=]+\s*=)/g

/**
 * Returns the validated click ID from the `Cookie` header of a request, or `null`.
 *
 * Accepts a Fetch `Request` (Hono `c.req.raw`, Bun, Deno, Next.js `NextRequest`), a
 * `Headers`, a Node `IncomingMessage` (Express `req`), Hono's `c` or `c.req`, or anything with
 * `headers.get()` or `headers.cookie`. Same lookup and duplicate rule as
 * {@link getClickIdFromCookie}; never throws, even for `null` or a request whose getters throw.
 *
 * @param request the incoming request.
 * @param name cookie name; default `refp_id`.
 *
 * @example
 * ```ts
 * import { getClickIdFromRequest } from 'refport'
 *
 * export async function POST(request: Request) {
 *   const clickId = getClickIdFromRequest(request)
 *   // …
 * }
 * ```
 */
export function getClickIdFromRequest(
  request: RequestLike | null | undefined,
  name: string = CLICK_ID_COOKIE,
): string | null {
  try {
    return getClickIdFromCookie(requestHeaderOf(request, 'cookie'), name)
  } catch {
    return null
  }
}

// biome-ignore lint/suspicious/noExplicitAny: a request of any framework (Node, Fetch, Express, Hono, Next), read field by field with typeof checks
type Loose = { [key: string]: any } | null | undefined

/** The framework's request object inside what was passed (Hono's `c` → `c.req`). */
function unwrap(input: NonNullable<Loose>): NonNullable<Loose> {
  // Hono's Context `c` has a `get()` too, but it reads context variables, not headers: the
  // request is `c.req`. (Koa's ctx, which also has `req`, has `headers` and is read below.)
  return !('headers' in input) && input.req && typeof input.req === 'object' ? input.req : input
}

/**
 * One header of any {@link RequestLike} (`name` lowercase), repeated fields joined with
 * `"; "` for `cookie` and `", "` otherwise (RFC 9110 §5.3). May throw (a getter that throws).
 */
export function requestHeaderOf(input: Loose, name: string): string | null | undefined {
  if (!input || typeof input !== 'object') return null
  const request = unwrap(input)
  if (typeof request.get === 'function' && !('headers' in request)) return request.get(name)
  const headers: Loose = request.headers ?? request.raw?.headers
  if (!headers || typeof headers !== 'object') return null
  if (typeof headers.get === 'function') return headers.get(name)
  // Field names are case-insensitive (RFC 9110 §5.1). Node lowercases them, but a plain
  // record from elsewhere keeps what the client sent: an AWS API Gateway (REST, payload 1.0)
  // event has `headers.Cookie` for an HTTP/1.1 browser.
  let value = headers[name]
  if (value === undefined) value = headers[Object.keys(headers).find((key) => key.toLowerCase() === name) ?? '']
  // Node joins repeated Cookie headers with "; " (RFC 6265 §5.4 forbids more than one, but
  // HTTP/2 splits them: RFC 9113 §8.2.3); an array from a hand-built object is joined the same way.
  return Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value
}

/**
 * The URL path of any {@link RequestLike} (`/api/auth/sign-up/email`), without the query,
 * or `null`: a Fetch `Request`'s `url`, Express's `originalUrl` (the path before a router
 * stripped its mount point), Node's `url`. Never throws.
 */
export function requestPathOf(input: Loose): string | null {
  try {
    if (!input || typeof input !== 'object') return null
    const request = unwrap(input)
    const url: unknown = request.originalUrl ?? request.url ?? request.raw?.url
    if (typeof url !== 'string') return null
    const path = url.startsWith('/') ? url : new URL(url).pathname
    return path.replace(/[?#].*/, '')
  } catch {
    return null
  }
}
