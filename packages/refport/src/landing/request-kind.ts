/**
 * Which requests the landing middleware may act on: a top-level page load the visitor
 * asked for. Prefetches, prerenders, framework data requests, subresources, API calls
 * and anything but GET pass through untouched, so a hovered link never counts as a click
 * and a cookie is never set on an image response.
 */

/** Why a request is not a page load the middleware acts on (`null`: it is one). */
export type SkipReason = 'method' | 'prefetch' | 'framework-data' | 'not-a-document' | 'asset' | 'api'

/**
 * Paths of API routes and framework internals: a landing is a page, never one of these.
 * `/_next/` (Next.js build output and data), `/api/` (the common API route prefix),
 * `/__` (dev tools and health checks), and a file name with an extension (`.js`, `.png`,
 * `.json`, `favicon.ico`), which is an asset whatever it is requested with.
 */
const NOT_A_PAGE_PATH = /^\/(?:_next\/|api(?:\/|$)|__)|\.[a-z0-9]{1,8}$/i

/**
 * Classifies `request`; `url` is its URL, already parsed by the caller.
 *
 * - Only `GET`: a `HEAD` asks for no page, and a form `POST` is not a landing.
 * - Prefetches and prerenders: `Sec-Purpose: prefetch` (Fetch standard, sent with
 *   `prefetch`/`prerender` speculation rules), the legacy `Purpose: prefetch`
 *   (`<link rel=prefetch>` in older Chromium), and Next.js's `Next-Router-Prefetch`.
 *   The visitor may never open the page, so nothing may be recorded.
 * - Framework data requests: React Server Components payloads (`RSC: 1`, `?_rsc=`) are
 *   fetched by a client router for a page already open.
 * - Top-level documents: `Sec-Fetch-Dest: document` and `Sec-Fetch-Mode: navigate`
 *   (Fetch Metadata, sent by every current browser); an `<iframe>` load is `iframe`, not
 *   `document`. Where those headers are absent (an old browser, a proxy that strips them),
 *   `Accept` must list `text/html`, which page loads do and `fetch()` calls do not.
 */
export function skipReason(request: Request, url: URL): SkipReason | null {
  if (request.method !== 'GET') return 'method'
  const headers = request.headers
  if (
    /prefetch|prerender/i.test(
      (headers.get('sec-purpose') ?? '') + (headers.get('purpose') ?? '') + (headers.get('x-purpose') ?? ''),
    )
  )
    return 'prefetch'
  if (headers.has('next-router-prefetch')) return 'prefetch'
  if (headers.has('rsc') || url.searchParams.has('_rsc')) return 'framework-data'
  const dest = headers.get('sec-fetch-dest')
  const mode = headers.get('sec-fetch-mode')
  if (dest !== null || mode !== null) {
    if (dest !== null && dest !== 'document') return 'not-a-document'
    if (mode !== null && mode !== 'navigate') return 'not-a-document'
  } else if (!/text\/html/i.test(headers.get('accept') ?? '')) return 'not-a-document'
  if (NOT_A_PAGE_PATH.test(url.pathname)) return url.pathname.startsWith('/api') ? 'api' : 'asset'
  return null
}
