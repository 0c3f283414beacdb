/**
 * `refport/next`: the first-party landing middleware for Next.js, as a `proxy.ts` (Next 16)
 * or `middleware.ts` function. A thin adapter over the Fetch core of `refport`
 * (`createRefportLanding`).
 */
import { NextResponse, type NextFetchEvent, type NextRequest } from 'next/server'
import { createLandingHandler } from './landing/handler'
import type { RefportLandingOptions } from './landing/options'

export type { RefportLandingOptions } from './landing/options'

/**
 * The function {@link refportProxy} returns. Export it as `proxy` (or call it from your own
 * proxy with the response your proxy built, to compose).
 *
 * @example
 * ```ts
 * const refport: RefportProxy = refportProxy()
 * export const proxy = refport
 * ```
 */
export type RefportProxy = (
  request: NextRequest,
  event?: NextFetchEvent | { waitUntil(promise: Promise<unknown>): void },
  response?: Response,
) => Promise<Response>

/**
 * The first-party landing middleware for Next.js 16's `proxy.ts` (and `middleware.ts` of
 * earlier versions). It sets `refp_id` from the site's own server on landings with
 * `?refp_id=` or a partner key (`?via=jane`, registered server to server, the page held at
 * most `waitMs`), renews it on later page loads (Safari keeps server-set cookies for their
 * whole lifetime), and hands the click still on its way to `event.waitUntil`.
 *
 * `redirect` defaults to `true` here: a landing answers with a `307` to the same URL
 * without `refp_id` and the partner key, before any HTML, so neither shows in the address
 * bar or comes back with the App Router. Prefetches (`Next-Router-Prefetch`), RSC requests
 * and `/_next/` files are never touched; keep `config.matcher` to pages anyway.
 *
 * To compose with a proxy you already have (auth, i18n), build your response first and
 * pass it as the third argument: the landing cookies are added to it, and a redirect of
 * yours (a sign-in page) wins over the clean-URL redirect.
 *
 * @example
 * ```ts
 * // proxy.ts
 * import { refportProxy } from 'refport/next'
 *
 * export const proxy = refportProxy() // REFPORT_API_KEY from the environment
 *
 * export const config = { matcher: ['/((?!api|_next/static|_next/image|favicon.ico).*)'] }
 * ```
 *
 * @example
 * ```ts
 * // proxy.ts, with an i18n (or auth) proxy of your own
 * import type { NextFetchEvent, NextRequest } from 'next/server'
 * import createIntlMiddleware from 'next-intl/middleware'
 * import { refportProxy } from 'refport/next'
 *
 * const intl = createIntlMiddleware(routing)
 * const refport = refportProxy()
 *
 * export async function proxy(request: NextRequest, event: NextFetchEvent) {
 *   return refport(request, event, intl(request))
 * }
 * ```
 */
export function refportProxy(options: RefportLandingOptions = {}): RefportProxy {
  const handle = createLandingHandler({ redirect: true, ...options }, {})
  return async (request, event, response) => {
    const landing = await handle(request)
    if (landing.pending) {
      try {
        event?.waitUntil(landing.pending)
      } catch {
        // An event without a working waitUntil: the Node server keeps the request going anyway.
      }
    }
    let out: Response
    if (landing.redirectTo && (!response || isPassThrough(response))) {
      out = NextResponse.redirect(new URL(landing.redirectTo, request.url), 307)
    } else {
      out = response ?? NextResponse.next()
    }
    if (!landing.setCookies.length) return out
    out = withMutableHeaders(out)
    for (const value of landing.setCookies) out.headers.append('set-cookie', value)
    if (landing.cacheControl) out.headers.set('cache-control', landing.cacheControl)
    return out
  }
}

/** A response that lets the request go on to the page (`NextResponse.next()` or a rewrite), rather than answering it. */
const isPassThrough = (response: Response): boolean =>
  response.headers.has('x-middleware-next') || response.headers.has('x-middleware-rewrite')

/** `Response.redirect()` and fetched responses have immutable headers: copy them into one that is not. */
function withMutableHeaders(response: Response): Response {
  try {
    response.headers.append('x-refport-probe', '1')
    response.headers.delete('x-refport-probe')
    return response
  } catch {
    return new NextResponse(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    })
  }
}
