// @ts-check
/**
 * The marketing site served through a first-party landing step on its own server: a landing
 * whose URL carries `?refp_id=` is answered with `Set-Cookie: refp_id`, and every later page
 * view re-issues a valid `refp_id` with a fresh lifetime. Safari's tracking prevention caps
 * cookies written by scripts at 7 days, not cookies set in a response of the site itself;
 * the WebKit specs in e2e/engines prove both halves of that.
 *
 * `landingStep` is the one place that decides what the server does; it has the Connect
 * signature `(req, res, next)` of `refportMiddleware()` from `refport/express`, which can
 * take its place without touching the specs.
 */
import { clickIdSetCookie, getClickIdFromCookie, isClickId } from 'refport'

/** Page requests only: the tracker script and other assets never set the cookie. */
const PAGE_PATH = /^\/[\w-]*(?:\.html)?$/

/**
 * A Connect-style landing step: `?refp_id=` → `Set-Cookie`; a valid `refp_id` cookie on a
 * later page view → re-issued.
 * @param {{ cookieDomain: string }} options the registrable domain the tracker's probe finds
 * @returns {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, next: () => void) => void}
 */
export function firstPartyLandingStep({ cookieDomain }) {
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://site')
    if (req.method == 'GET' && PAGE_PATH.test(url.pathname)) {
      const fromUrl = url.searchParams.get('refp_id')
      const clickId = isClickId(fromUrl) ? fromUrl : getClickIdFromCookie(req.headers.cookie)
      if (clickId) {
        res.setHeader('set-cookie', clickIdSetCookie(clickId, { domain: cookieDomain }))
        // One visitor's click must never be served to another from a shared cache.
        res.setHeader('cache-control', 'private, no-store')
      }
    }
    next()
  }
}

/**
 * The site's request handler behind the landing step.
 * @param {import('node:http').RequestListener} site
 * @param {{ cookieDomain: string }} options
 * @returns {import('node:http').RequestListener}
 */
export function withFirstPartyLanding(site, options) {
  const landingStep = firstPartyLandingStep(options)
  return (req, res) => landingStep(req, res, () => site(req, res))
}
