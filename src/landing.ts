import { dropParams } from './params'

/**
 * The landing URL, read once when this module is first evaluated: that is before any
 * framework hydrates, so a client router that rewrites the URL right after (a redirect
 * from `/` to `/en`, a `router.replace` dropping the query) cannot lose the referral.
 * `undefined` on the server.
 */
export const landingHref: string = globalThis.location?.href

/**
 * True when this document is not a fresh arrival from elsewhere: it was loaded by a reload
 * or by back/forward (Navigation Timing Level 2 `type` `reload` / `back_forward`), or by a
 * link on this same origin that carried `?via=` along (the referrer is only a full
 * same-origin URL then: Referrer Policy, `strict-origin-when-cross-origin` by default).
 * Such a landing was counted when the visitor first arrived, if it was counted at all.
 * A Navigation Timing API that is missing or throws (a privacy extension) leaves the
 * referrer rule alone: never an exception, so the landing itself is never lost.
 */
export function isRevisit(): boolean {
  let type: string | undefined
  try {
    type = (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type
  } catch {}
  return /^[rb]/.test(type!) || document.referrer.startsWith(location.origin + '/')
}

/**
 * Removes `names` from the address bar with `history.replaceState`, keeping every other
 * param exactly as written, the hash and the router's `history.state` (Next.js keeps its
 * tree there). Does nothing when no param is removed.
 */
export function removeParams(names: string[]): void {
  const url = new URL(location.href)
  const query = dropParams(url.search, names)
  if (query == url.search.slice(1)) return
  // Setting `search` percent-encodes only what the URL parser already encoded in the query
  // (WHATWG URL, query percent-encode set), so the pairs left keep their exact spelling.
  url.search = query
  history.replaceState(history.state, '', url)
}
