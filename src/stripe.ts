import { isClickId } from '@refport/contract'
import { CLICK_ID_EVENT } from './index'
import { dropParams } from './params'

/**
 * Hands the click ID to Stripe, so a purchase made at once, with no sign-up first, is
 * still credited: Stripe copies it into the Checkout Session's `client_reference_id`,
 * which `refport/stripe` reads from the `checkout.session.completed` webhook. Stripe takes
 * up to 200 of `A–Z a–z 0–9 _ -` there; a valid click ID (at most 128 of them) always fits.
 *
 * - Payment Links (`http(s)://buy.stripe.com/…`) get `client_reference_id` at the moment
 *   the visitor follows them, from a capturing listener on the document as for
 *   `outboundDomains`: links added at any time are covered without watching the DOM, and
 *   a site that rewrites the `href` later cannot drop it.
 * - `<stripe-pricing-table>` and `<stripe-buy-button>` get `client-reference-id`. Their
 *   buttons sit in a cross-origin iframe in the element's shadow root, so a click on them
 *   never reaches this document: they are decorated when they appear instead. Both list
 *   `client-reference-id` in `observedAttributes` and post a change to their iframe
 *   (HTML Standard, custom elements: `attributeChangedCallback`), so a value set after
 *   the element rendered still reaches checkout. Elements already on the page are decorated at start,
 *   when a click ID is stored and when consent changes ({@link decorateStripeElements});
 *   a MutationObserver catches elements added later (a single-page app that renders its
 *   pricing table after the tracker started). Each batch of DOM changes costs one tag-name
 *   query; the cookie is read only on a page that has a Stripe element.
 *
 * A value the site set itself (a signed-in user's ID, say) is never replaced: only an
 * empty value or the one this tracker wrote is, and revoking consent removes the latter.
 *
 * @example
 * ```ts
 * // In init(), unless `stripe: false`: the getter checks consent and reads the cookie.
 * handOffToStripe(() => consented() && readClickId())
 * ```
 */
export function handOffToStripe(getClickId: () => string | null | false): void {
  clickIdToShare = getClickId
  decorateStripeElements()
  // `childList` only: the tracker's own attribute writes do not call it back.
  new MutationObserver(decorateStripeElements).observe(document, { childList: true, subtree: true })
  addEventListener(CLICK_ID_EVENT, decorateStripeElements)
  // outbound.ts's list of events, `submit` included (a form is no link: ignored), so the
  // repeated line compresses to almost nothing in the script tag.
  ;['click', 'auxclick', 'contextmenu', 'submit'].forEach((type) =>
    document.addEventListener(type, decoratePaymentLink, true),
  )
}

/**
 * Brings `client-reference-id` on the Stripe elements of the page in line with the click
 * ID to share now: set where empty or ours, removed where ours when there is none.
 * Does nothing before {@link handOffToStripe}.
 *
 * @example
 * ```ts
 * // Consent granted or revoked: the elements follow at once.
 * decorateStripeElements()
 * ```
 */
export function decorateStripeElements(): void {
  try {
    const elements = document.querySelectorAll('stripe-pricing-table,stripe-buy-button')
    // Without a hand-off (`stripe: false`) nothing is set, nor anything of ours removed; a
    // page without Stripe elements does not even read the cookie.
    if (!clickIdToShare || !elements.length) return
    const clickId = current()
    elements.forEach((element) => {
      const value = element.getAttribute(ATTRIBUTE)
      if (!value || value == written)
        clickId ? element.setAttribute(ATTRIBUTE, clickId) : element.removeAttribute(ATTRIBUTE)
    })
    written = clickId
  } catch {
    // A host page that broke a DOM API: leave its Stripe elements alone.
  }
}

/** Adds `client_reference_id` to a Payment Link being followed, unless it has one. */
function decoratePaymentLink(event: Event): void {
  try {
    const link = event.composedPath().find((node) => (node as Element).matches?.('a,area')) as HTMLAnchorElement
    const url = new URL(link.href)
    const clickId = current()
    // Only web links: `javascript://buy.stripe.com/%0A…` has that host too (WHATWG URL), and a
    // query appended to it would be script text. `host`, not `hostname`: no other port.
    if (!clickId || !/^https?:/.test(url.href) || url.host != 'buy.stripe.com' || url.searchParams.get(PARAM)) return
    // String surgery, not `searchParams.set()`, which would re-encode the site's other params.
    url.search = [dropParams(url.search, [PARAM]), PARAM + '=' + clickId].filter(Boolean).join('&')
    link.href = url.href
  } catch {
    // No link, or an unparsable URL: leave the navigation alone.
  }
}

/** The attribute Stripe's pricing table and buy button read. */
const ATTRIBUTE = 'client-reference-id'
/** The Payment Link query parameter Stripe copies into the Checkout Session. */
const PARAM = 'client_reference_id'

/** Where the click ID to share comes from (consent checked); unset until {@link handOffToStripe}. */
let clickIdToShare: (() => string | null | false) | undefined
/** The value this tracker last wrote on the elements; any other value is the site's own. */
let written: string | false | undefined

/** The click ID to hand over, validated here like everything the tracker writes, or `false`. */
const current = (): string | false => {
  const clickId = clickIdToShare?.()
  return isClickId(clickId) && clickId
}
