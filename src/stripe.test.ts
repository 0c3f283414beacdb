import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadScriptTag } from '@refport/test-support/script-tag'
import { loadTracker, page, stubFetch, useTrackerPage, type Tracker } from '@refport/test-support/tracker-page'

useTrackerPage()

// Each test loads a fresh copy of the tracker; the observers and window listeners of the
// earlier copies would otherwise keep decorating this test's elements.
const observers: MutationObserver[] = []
const windowListeners: Array<[string, EventListenerOrEventListenerObject]> = []
beforeEach(() => {
  const Native = MutationObserver
  vi.stubGlobal(
    'MutationObserver',
    class extends Native {
      constructor(callback: MutationCallback) {
        super(callback)
        observers.push(this)
      }
    },
  )
  const add = window.addEventListener
  vi.spyOn(window, 'addEventListener').mockImplementation(function (this: Window, type, listener, options) {
    if (type === 'refport:clickid') windowListeners.push([type, listener!])
    add.call(this, type, listener, options)
  })
  for (const type of ['click', 'auxclick', 'contextmenu']) addEventListener(type, stay)
})
afterEach(() => {
  for (const observer of observers.splice(0)) observer.disconnect()
  for (const [type, listener] of windowListeners.splice(0)) removeEventListener(type, listener)
  for (const type of ['click', 'auxclick', 'contextmenu']) removeEventListener(type, stay)
})

// Following a link would navigate the test window away; the tests look at the href only.
const stay = (event: Event): void => event.preventDefault()

const ATTRIBUTE = 'client-reference-id'

/** A page that landed with `?refp_id=cl_1` and runs the tracker. */
async function landed(options: Parameters<Tracker['init']>[0] = {}): Promise<Tracker> {
  const tracker = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1')
  tracker.init(options)
  return tracker
}

function link(href: string): HTMLAnchorElement {
  const anchor = document.createElement('a')
  anchor.href = href
  anchor.textContent = 'Buy'
  document.body.append(anchor)
  return anchor
}

const follow = (element: Element, type = 'click', button = 0): void =>
  void element.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, button }))

/** Appends a Stripe element (no Stripe JS: a plain unknown element, as before Stripe's script loads). */
function stripeElement(tag: 'stripe-pricing-table' | 'stripe-buy-button', own?: string): HTMLElement {
  const element = document.createElement(tag)
  element.setAttribute('publishable-key', 'pk_test_x')
  if (own != null) element.setAttribute(ATTRIBUTE, own)
  document.body.append(element)
  return element
}

/** Lets the MutationObserver callbacks run (they are microtasks). */
const observed = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

describe('Payment Links carry client_reference_id when followed', () => {
  it.each([
    ['https://buy.stripe.com/test_14k', 'https://buy.stripe.com/test_14k?client_reference_id=cl_1'],
    ['http://buy.stripe.com/test_14k', 'http://buy.stripe.com/test_14k?client_reference_id=cl_1'],
    ['https://BUY.Stripe.COM/test_14k', 'https://buy.stripe.com/test_14k?client_reference_id=cl_1'],
    ['https://buy.stripe.com:443/test_14k', 'https://buy.stripe.com/test_14k?client_reference_id=cl_1'],
    ['https://buy.stripe.com/test_14k#plan', 'https://buy.stripe.com/test_14k?client_reference_id=cl_1#plan'],
    // The site's other params stay exactly as written (no re-encoding: %40 stays, %20 is no `+`).
    [
      'https://buy.stripe.com/test_14k?prefilled_email=a%40b.test&locale=fr&note=a%20b',
      'https://buy.stripe.com/test_14k?prefilled_email=a%40b.test&locale=fr&note=a%20b&client_reference_id=cl_1',
    ],
    // An empty value (a template with nothing to fill in) is no value: replaced, not duplicated.
    [
      'https://buy.stripe.com/test_14k?client_reference_id=&locale=fr',
      'https://buy.stripe.com/test_14k?locale=fr&client_reference_id=cl_1',
    ],
  ])('%s becomes %s', async (href, expected) => {
    await landed()
    const anchor = link(href)
    follow(anchor)
    expect(anchor.href).toBe(expected)
  })

  it.each([
    ['a javascript: URL naming the host', 'javascript://buy.stripe.com/%0Aalert(1)'],
    ['ftp: on the host', 'ftp://buy.stripe.com/test_14k'],
    ['the host as a subdomain of another site', 'https://buy.stripe.com.evil.test/test_14k'],
    ['the host as userinfo', 'https://buy.stripe.com@evil.test/test_14k'],
    ['the host in a path', 'https://evil.test/buy.stripe.com/test_14k'],
    ['the host in a query', 'https://evil.test/?next=https://buy.stripe.com/test_14k'],
    ['another port', 'https://buy.stripe.com:8443/test_14k'],
    ['another Stripe host', 'https://checkout.stripe.com/c/pay/cs_test_1'],
    ['a look-alike host', 'https://buy-stripe.com/test_14k'],
    ['the own site', 'https://www.acme.com/checkout'],
    ['a relative link', '/pricing'],
    ['mailto:', 'mailto:billing@buy.stripe.com'],
  ])('%s is left alone (%s)', async (_, href) => {
    await landed()
    const anchor = link(href)
    const before = anchor.href
    follow(anchor)
    expect(anchor.href).toBe(before)
  })

  it.each([
    ['a value of its own', 'https://buy.stripe.com/test_14k?client_reference_id=user_42'],
    ['a value of its own, its name percent-encoded', 'https://buy.stripe.com/test_14k?client%5Freference%5Fid=user_42'],
    ['a value of its own and other params', 'https://buy.stripe.com/test_14k?locale=fr&client_reference_id=user_42'],
  ])("the site's own client_reference_id is kept: %s", async (_, href) => {
    await landed()
    const anchor = link(href)
    follow(anchor)
    expect(anchor.href).toBe(href)
  })

  it.each([
    ['middle click (auxclick)', 'auxclick', 1],
    ['"open in new tab" menu (contextmenu)', 'contextmenu', 2],
  ])('works for %s', async (_, type, button) => {
    await landed()
    const anchor = link('https://buy.stripe.com/test_14k')
    follow(anchor, type, button)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k?client_reference_id=cl_1')
  })

  it('works for links added after init(), clicked on an element inside them, and clicked twice', async () => {
    await landed()
    await observed()
    const anchor = link('https://buy.stripe.com/test_14k')
    anchor.innerHTML = '<span><b>Buy now</b></span>'
    follow(anchor.querySelector('b')!)
    follow(anchor)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k?client_reference_id=cl_1')
  })

  it('works for an image-map <area>', async () => {
    await landed()
    const area = document.body.appendChild(document.createElement('map')).appendChild(document.createElement('area'))
    area.href = 'https://buy.stripe.com/test_14k'
    follow(area)
    expect(area.href).toBe('https://buy.stripe.com/test_14k?client_reference_id=cl_1')
  })

  it('uses the click ID stored now, not the one at init()', async () => {
    const { getClickId } = await landed()
    document.cookie = 'refp_id=cl_newer; Path=/; Domain=acme.com'
    expect(getClickId()).toBe('cl_newer')
    const anchor = link('https://buy.stripe.com/test_14k')
    follow(anchor)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k?client_reference_id=cl_newer')
  })
})

describe('<stripe-pricing-table> and <stripe-buy-button> carry client-reference-id', () => {
  it('on elements already on the page at init()', async () => {
    const tracker = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1')
    const table = stripeElement('stripe-pricing-table')
    const button = stripeElement('stripe-buy-button')
    tracker.init()
    expect(table.getAttribute(ATTRIBUTE)).toBe('cl_1')
    expect(button.getAttribute(ATTRIBUTE)).toBe('cl_1')
  })

  it('on elements added later, also inside other elements', async () => {
    await landed()
    const table = stripeElement('stripe-pricing-table')
    const wrapper = document.createElement('section')
    wrapper.innerHTML = '<div><stripe-buy-button buy-button-id="buy_btn_1"></stripe-buy-button></div>'
    document.body.append(wrapper)
    await observed()
    expect(table.getAttribute(ATTRIBUTE)).toBe('cl_1')
    expect(wrapper.querySelector('stripe-buy-button')!.getAttribute(ATTRIBUTE)).toBe('cl_1')
  })

  it.each([
    ['on the page at init()', false],
    ['added later', true],
  ])("the site's own value is kept on elements %s", async (_, later) => {
    const tracker = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1')
    const own = () => [stripeElement('stripe-pricing-table', 'user_42'), stripeElement('stripe-buy-button', 'user_42')]
    const elements = later ? [] : own()
    tracker.init()
    if (later) elements.push(...own())
    // Positive control: an element without a value of its own, added at the same time.
    const control = stripeElement('stripe-buy-button')
    await observed()
    expect(control.getAttribute(ATTRIBUTE)).toBe('cl_1')
    for (const element of elements) expect(element.getAttribute(ATTRIBUTE)).toBe('user_42')
  })

  it('an empty value of the site (a template with nothing to fill in) is replaced', async () => {
    const tracker = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1')
    const table = stripeElement('stripe-pricing-table', '')
    tracker.init()
    expect(table.getAttribute(ATTRIBUTE)).toBe('cl_1')
  })

  it('other elements are left alone', async () => {
    await landed()
    const others = ['stripe-checkout', 'div', 'stripe-pricing-tables'].map((tag) =>
      document.body.appendChild(document.createElement(tag)),
    )
    const control = stripeElement('stripe-pricing-table')
    await observed()
    expect(control.getAttribute(ATTRIBUTE)).toBe('cl_1')
    for (const element of others) expect(element.hasAttribute(ATTRIBUTE)).toBe(false)
  })

  it('a click ID stored after init() (a ?via= landing) reaches the elements already there', async () => {
    stubFetch()
    const tracker = await loadTracker('https://www.acme.com/pricing?via=jane')
    const table = stripeElement('stripe-pricing-table')
    tracker.init({ publishableKey: 'pk_test_1' })
    await expect.poll(() => tracker.getClickId()).not.toBeNull()
    expect(table.getAttribute(ATTRIBUTE)).toBe(tracker.getClickId())
  })

  it("a new landing replaces the earlier click ID the tracker wrote (last click), never the site's", async () => {
    const tracker = await loadTracker('https://www.acme.com/pricing?refp_id=cl_new')
    document.cookie = 'refp_id=cl_old; Path=/; Domain=acme.com'
    const table = stripeElement('stripe-pricing-table')
    const own = stripeElement('stripe-buy-button', 'user_42')
    tracker.init()
    expect(tracker.getClickId()).toBe('cl_new')
    expect(table.getAttribute(ATTRIBUTE)).toBe('cl_new')
    expect(own.getAttribute(ATTRIBUTE)).toBe('user_42')
  })

  it('visitors with no click ID get no attribute, on elements on the page or added later', async () => {
    const tracker = await loadTracker('https://www.acme.com/pricing')
    const table = stripeElement('stripe-pricing-table')
    tracker.init()
    stripeElement('stripe-buy-button')
    await observed()
    expect(document.querySelectorAll(`[${ATTRIBUTE}]`)).toHaveLength(0)
    // Positive control: the tracker runs, and hands over a click ID as soon as one exists.
    document.cookie = 'refp_id=cl_later; Path=/; Domain=acme.com'
    tracker.grantConsent()
    expect(table.getAttribute(ATTRIBUTE)).toBe('cl_later')
  })

  it('a page without Stripe elements reads no cookie for the hand-off, at start or when the DOM changes', async () => {
    const reads = async (options: Parameters<Tracker['init']>[0]): Promise<number> => {
      const tracker = await loadTracker('https://www.acme.com/?refp_id=cl_1')
      const read = vi.spyOn(document, 'cookie', 'get')
      tracker.init(options)
      document.body.append(document.createElement('div'))
      await observed()
      const count = read.mock.calls.length
      read.mockRestore()
      return count
    }
    const withHandOff = await reads({})
    expect(withHandOff).toBe(await reads({ stripe: false }))
    // Positive control: with a Stripe element on the page, the hand-off reads the click ID.
    stripeElement('stripe-pricing-table')
    expect(await reads({})).toBeGreaterThan(withHandOff)
  })

  it.each([
    ['a value with a space', 'refp_id=cl 1'],
    ['markup', 'refp_id=%3Cb%3E'],
    ['129 characters', `refp_id=${'a'.repeat(129)}`],
    ['quotes inside', 'refp_id=cl"1'],
  ])('an invalid click ID in the cookie is never written (%s)', async (_, cookie) => {
    const tracker = await loadTracker('https://www.acme.com/pricing')
    document.cookie = `${cookie}; Path=/`
    const table = stripeElement('stripe-pricing-table')
    tracker.init()
    const anchor = link('https://buy.stripe.com/test_14k')
    follow(anchor)
    expect(tracker.getClickId()).toBeNull()
    expect(table.hasAttribute(ATTRIBUTE)).toBe(false)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k')
  })
})

describe('the click ID is validated where it is written', () => {
  it.each([
    ['markup', '<img src=x onerror=alert(1)>'],
    ['a query string', 'cl_1&client_reference_id=evil'],
    ['a space', 'cl 1'],
    ['129 characters', 'a'.repeat(129)],
    ['an empty string', ''],
    ['a number', 42],
    ['an object', { toString: () => 'cl_1' }],
  ])('a getter returning %s hands nothing over', async (_, value) => {
    await loadTracker('https://www.acme.com/pricing')
    const { handOffToStripe } = await import('./stripe')
    const table = stripeElement('stripe-pricing-table')
    const anchor = link('https://buy.stripe.com/test_14k')
    handOffToStripe(() => value as string)
    follow(anchor)
    expect(table.hasAttribute(ATTRIBUTE)).toBe(false)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k')
  })

  it('positive control: a getter returning a valid click ID hands it over', async () => {
    await loadTracker('https://www.acme.com/pricing')
    const { handOffToStripe } = await import('./stripe')
    const table = stripeElement('stripe-pricing-table')
    const anchor = link('https://buy.stripe.com/test_14k')
    handOffToStripe(() => 'cl_ok-1')
    follow(anchor)
    expect(table.getAttribute(ATTRIBUTE)).toBe('cl_ok-1')
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k?client_reference_id=cl_ok-1')
  })
})

describe('consent', () => {
  it('nothing is handed over while consent is pending; grantConsent() hands the stored click ID over', async () => {
    const tracker = await loadTracker('https://www.acme.com/pricing')
    document.cookie = 'refp_id=cl_earlier; Path=/; Domain=acme.com'
    const table = stripeElement('stripe-pricing-table')
    tracker.init({ consent: 'pending' })
    const anchor = link('https://buy.stripe.com/test_14k')
    follow(anchor)
    expect(table.hasAttribute(ATTRIBUTE)).toBe(false)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k')
    tracker.grantConsent()
    expect(table.getAttribute(ATTRIBUTE)).toBe('cl_earlier')
    follow(anchor)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k?client_reference_id=cl_earlier')
  })

  it("revokeConsent() removes the value the tracker wrote and keeps the site's own", async () => {
    const tracker = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1')
    const table = stripeElement('stripe-pricing-table')
    const own = stripeElement('stripe-buy-button', 'user_42')
    tracker.init()
    expect(table.getAttribute(ATTRIBUTE)).toBe('cl_1')
    tracker.revokeConsent()
    expect(table.hasAttribute(ATTRIBUTE)).toBe(false)
    expect(own.getAttribute(ATTRIBUTE)).toBe('user_42')
    // Elements added after the revocation get nothing either.
    const later = stripeElement('stripe-buy-button')
    const anchor = link('https://buy.stripe.com/test_14k')
    follow(anchor)
    await observed()
    expect(later.hasAttribute(ATTRIBUTE)).toBe(false)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k')
  })
})

describe('the off switch', () => {
  it('stripe: false hands nothing over (links, elements on the page and added later)', async () => {
    const tracker = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1')
    const table = stripeElement('stripe-pricing-table')
    tracker.init({ stripe: false, outboundDomains: ['app.acme.io'] })
    // Positive control: the tracker runs, with the click ID stored and other links decorated.
    expect(tracker.getClickId()).toBe('cl_1')
    const app = link('https://app.acme.io/signup')
    follow(app)
    expect(app.href).toBe('https://app.acme.io/signup?refp_id=cl_1')

    const later = stripeElement('stripe-buy-button')
    const empty = stripeElement('stripe-buy-button', '')
    const anchor = link('https://buy.stripe.com/test_14k')
    follow(anchor)
    // Consent changes do not start it, nor touch an element.
    tracker.grantConsent()
    await observed()
    expect(empty.getAttribute(ATTRIBUTE)).toBe('')
    expect(table.hasAttribute(ATTRIBUTE)).toBe(false)
    expect(later.hasAttribute(ATTRIBUTE)).toBe(false)
    expect(anchor.href).toBe('https://buy.stripe.com/test_14k')
    expect(observers).toHaveLength(0)
  })

  /** Loads the script-tag build as `<script data-…>` on a page with a pricing table. */
  async function scriptTag(data: Record<string, string>): Promise<HTMLElement> {
    let table!: HTMLElement
    await loadScriptTag(
      'https://www.acme.com/pricing?refp_id=cl_1',
      data,
      () => (table = stripeElement('stripe-pricing-table')),
    )
    return table
  }

  it.each([
    ['data-stripe="off" hands nothing over', { stripe: 'off' }, null],
    ['no data-stripe hands the click ID over', {}, 'cl_1'],
    ['data-stripe="on" hands the click ID over', { stripe: 'on' }, 'cl_1'],
  ])('script tag: %s', async (_, data, expected) => {
    const table = await scriptTag(data)
    const anchor = link('https://buy.stripe.com/test_14k')
    follow(anchor)
    expect(table.getAttribute(ATTRIBUTE)).toBe(expected)
    expect(anchor.href).toBe(
      expected ? `https://buy.stripe.com/test_14k?client_reference_id=${expected}` : 'https://buy.stripe.com/test_14k',
    )
    expect((page.refport as Tracker).getClickId()).toBe('cl_1')
  })
})

describe('never throws into the page', () => {
  it('when the page broke setAttribute', async () => {
    const tracker = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1')
    stripeElement('stripe-pricing-table')
    vi.spyOn(Element.prototype, 'setAttribute').mockImplementation(() => {
      throw new Error('broken by the page')
    })
    expect(() => tracker.init()).not.toThrow()
    expect(tracker.getClickId()).toBe('cl_1')
  })

  it('when a click is on no link, or on a link with an unparsable href', async () => {
    await landed()
    const anchor = document.body.appendChild(document.createElement('a'))
    anchor.setAttribute('href', 'https://buy.stripe.com:99999/x')
    expect(() => follow(anchor)).not.toThrow()
    expect(() => follow(document.body)).not.toThrow()
    expect(anchor.getAttribute('href')).toBe('https://buy.stripe.com:99999/x')
  })
})
