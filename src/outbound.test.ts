import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadTracker, settle, useTrackerPage, type Tracker } from '@refport/test-support/tracker-page'

useTrackerPage()

const outboundDomains = ['app.acme.io', '*.acme.dev']

// The tests only look at what the tracker did to the element; following the link or
// submitting the form would navigate the test window away.
const stay = (event: Event): void => event.preventDefault()
beforeEach(() => {
  for (const type of ['click', 'auxclick', 'submit']) addEventListener(type, stay)
})
afterEach(() => {
  for (const type of ['click', 'auxclick', 'submit']) removeEventListener(type, stay)
})

/** A page that landed with `?refp_id=cl_1` and runs the tracker with `outboundDomains`. */
async function landed(options: Parameters<Tracker['init']>[0] = {}): Promise<Tracker> {
  const tracker = await loadTracker('https://www.acme.com/?refp_id=cl_1')
  tracker.init({ outboundDomains, ...options })
  return tracker
}

function link(href: string): HTMLAnchorElement {
  const anchor = document.createElement('a')
  anchor.href = href
  anchor.textContent = 'go'
  document.body.append(anchor)
  return anchor
}

const click = (element: Element, type = 'click', button = 0): void =>
  void element.dispatchEvent(new MouseEvent(type, { bubbles: true, cancelable: true, button }))

const submit = (form: HTMLFormElement): void =>
  void form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }))

function form(method: 'get' | 'post', action: string): HTMLFormElement {
  const element = document.createElement('form')
  element.method = method
  element.action = action
  element.innerHTML = '<input name="email" value="a@b.test"><button type="submit">Sign up</button>'
  document.body.append(element)
  return element
}

describe('links to outboundDomains carry ?refp_id=', () => {
  it.each([
    ['https://app.acme.io/x?a=1#h', 'https://app.acme.io/x?a=1&refp_id=cl_1#h'],
    ['https://app.acme.io', 'https://app.acme.io/?refp_id=cl_1'],
    ['https://app.acme.io/signup?refp_id=someone_else', 'https://app.acme.io/signup?refp_id=cl_1'],
    ['https://APP.Acme.IO/x', 'https://app.acme.io/x?refp_id=cl_1'],
    ['https://app.acme.io:8443/x', 'https://app.acme.io:8443/x?refp_id=cl_1'],
    ['https://x.acme.dev/p', 'https://x.acme.dev/p?refp_id=cl_1'],
    ['https://a.b.acme.dev/p', 'https://a.b.acme.dev/p?refp_id=cl_1'],
  ])('%s becomes %s', async (href, expected) => {
    await landed()
    const anchor = link(href)
    click(anchor)
    expect(anchor.href).toBe(expected)
  })

  it.each([
    ['the *.acme.dev apex', 'https://acme.dev/'],
    ['a host merely ending in the pattern', 'https://evilacme.dev/'],
    ['a listed host as a subdomain of another site', 'https://app.acme.io.evil.test/'],
    ['a listed host as userinfo', 'https://app.acme.io@evil.test/'],
    ['a subdomain of an exact entry', 'https://x.app.acme.io/'],
    ['an unrelated host', 'https://other.test/x?a=1'],
    ['the own site', 'https://www.acme.com/about'],
    ['a relative link', '/pricing'],
    ['mailto:', 'mailto:sales@app.acme.io'],
    ['a fragment', '#top'],
  ])('%s is left alone (%s)', async (_, href) => {
    await landed()
    const anchor = link(href)
    const before = anchor.href
    click(anchor)
    expect(anchor.href).toBe(before)
    expect(anchor.href).not.toContain('refp_id')
  })

  it.each([
    ['javascript:', 'javascript:void(0)'],
    ['mailto:', 'mailto:sales@acme.com'],
    ['tel:', 'tel:+15550100'],
    ['data:', 'data:text/plain,hi'],
  ])(
    'an empty outboundDomains entry (data-outbound-domains="", a trailing comma) leaves a %s link alone',
    async (_, href) => {
      await landed({ outboundDomains: ['app.acme.io', ''] })
      const anchor = link(href)
      click(anchor)
      expect(anchor.href).toBe(href)
    },
  )

  it('works for links added after init()', async () => {
    await landed()
    await Promise.resolve()
    const anchor = link('https://app.acme.io/late')
    click(anchor)
    expect(anchor.href).toBe('https://app.acme.io/late?refp_id=cl_1')
  })

  it('works when the click lands on an element inside the link', async () => {
    await landed()
    const anchor = link('https://app.acme.io/x')
    anchor.innerHTML = '<span><b>Open the app</b></span>'
    click(anchor.querySelector('b')!)
    expect(anchor.href).toBe('https://app.acme.io/x?refp_id=cl_1')
  })

  it('works for a link inside a web component (an open shadow root)', async () => {
    await landed()
    const host = document.createElement('x-button')
    document.body.append(host)
    const shadow = host.attachShadow({ mode: 'open' })
    shadow.innerHTML = '<a href="https://app.acme.io/signup"><span>Sign up</span></a>'
    const anchor = shadow.querySelector('a')!
    const label = anchor.firstElementChild!
    // A browser retargets the click to the shadow host before it reaches a document
    // listener; happy-dom does not, so the event carries what a browser reports there.
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true })
    const path = [label, anchor, shadow, host, document.body, document.documentElement, document, window]
    Object.defineProperty(event, 'composedPath', { value: () => path })
    host.dispatchEvent(event)
    expect(anchor.href).toBe('https://app.acme.io/signup?refp_id=cl_1')
  })

  it('works for a link around a web component (the click lands inside its shadow root)', async () => {
    await landed()
    const anchor = link('https://app.acme.io/x')
    const icon = anchor.appendChild(document.createElement('x-icon'))
    const shadow = icon.attachShadow({ mode: 'open' })
    shadow.innerHTML = '<svg></svg>'
    const event = new MouseEvent('click', { bubbles: true, cancelable: true, composed: true })
    const path = [shadow.firstChild!, shadow, icon, anchor, document.body, document.documentElement, document, window]
    Object.defineProperty(event, 'composedPath', { value: () => path })
    icon.dispatchEvent(event)
    expect(anchor.href).toBe('https://app.acme.io/x?refp_id=cl_1')
  })

  it.each([
    ['middle click (auxclick)', 'auxclick', 1],
    ['"open in new tab" menu (contextmenu)', 'contextmenu', 2],
  ])('works for %s', async (_, type, button) => {
    await landed()
    const anchor = link('https://app.acme.io/x')
    click(anchor, type, button)
    expect(anchor.href).toBe('https://app.acme.io/x?refp_id=cl_1')
  })

  it('a link clicked twice carries refp_id once', async () => {
    await landed()
    const anchor = link('https://app.acme.io/x')
    click(anchor)
    click(anchor)
    expect(anchor.href).toBe('https://app.acme.io/x?refp_id=cl_1')
  })

  it('works for an image-map <area>', async () => {
    await landed()
    const map = document.createElement('map')
    const area = document.createElement('area')
    area.href = 'https://app.acme.io/area'
    map.append(area)
    document.body.append(map)
    click(area)
    expect(area.href).toBe('https://app.acme.io/area?refp_id=cl_1')
  })

  it('uses the click ID stored now, not the one at init()', async () => {
    const { getClickId } = await landed()
    document.cookie = 'refp_id=cl_newer; Path=/; Domain=acme.com'
    expect(getClickId()).toBe('cl_newer')
    const anchor = link('https://app.acme.io/x')
    click(anchor)
    expect(anchor.href).toBe('https://app.acme.io/x?refp_id=cl_newer')
  })
})

describe('forms to outboundDomains carry the click ID', () => {
  it('a POST form gets ?refp_id= on its action', async () => {
    await landed()
    const element = form('post', 'https://app.acme.io/signup?plan=pro')
    submit(element)
    expect(element.action).toBe('https://app.acme.io/signup?plan=pro&refp_id=cl_1')
  })

  it('a GET form gets a hidden refp_id field (its fields replace the action query)', async () => {
    await landed()
    const element = form('get', 'https://app.acme.io/search')
    submit(element)
    const fields = element.querySelectorAll<HTMLInputElement>('input[name="refp_id"]')
    expect(fields).toHaveLength(1)
    expect(fields[0]!.type).toBe('hidden')
    expect(fields[0]!.value).toBe('cl_1')
    expect(new FormData(element).getAll('refp_id')).toEqual(['cl_1'])
  })

  // Also proven in a real browser by e2e/tests/cross-brand.spec.ts: the tracker finds the field
  // it added earlier as form.refp_id (a form's named properties), which happy-dom resolves only
  // on the element the event path gives (not on one from form.closest()).
  it('a GET form submitted twice carries one refp_id field', async () => {
    await landed()
    const element = form('get', 'https://app.acme.io/search')
    submit(element)
    submit(element)
    expect(new FormData(element).getAll('refp_id')).toEqual(['cl_1'])
  })

  it('revokeConsent() removes the refp_id field of a GET form on its next submit', async () => {
    const { revokeConsent } = await landed()
    const element = form('get', 'https://app.acme.io/search')
    submit(element)
    revokeConsent()
    submit(element)
    expect(new FormData(element).getAll('refp_id')).toEqual([])
  })

  it.each([
    ['another host', 'https://other.test/signup'],
    ['the own site', 'https://www.acme.com/contact'],
  ])('a form to %s is left alone', async (_, action) => {
    await landed()
    const post = form('post', action)
    const get = form('get', action)
    submit(post)
    submit(get)
    expect(post.action).toBe(action)
    expect(get.action).toBe(action)
    expect(document.querySelectorAll('input[name="refp_id"]')).toHaveLength(0)
  })
})

describe('nothing is decorated', () => {
  async function expectUntouched(): Promise<void> {
    const anchor = link('https://app.acme.io/x')
    const post = form('post', 'https://app.acme.io/signup')
    const get = form('get', 'https://app.acme.io/search')
    click(anchor)
    submit(post)
    submit(get)
    expect(anchor.href).toBe('https://app.acme.io/x')
    expect(post.action).toBe('https://app.acme.io/signup')
    expect(document.querySelectorAll('input[name="refp_id"]')).toHaveLength(0)
  }

  it('without a click ID', async () => {
    const { init } = await loadTracker('https://www.acme.com/')
    init({ outboundDomains })
    await expectUntouched()
  })

  it('while consent is pending, even with a click ID from an earlier visit', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/')
    document.cookie = 'refp_id=cl_earlier; Path=/'
    init({ outboundDomains, consent: 'pending' })
    expect(getClickId()).toBe('cl_earlier')
    await expectUntouched()
  })

  it('after revokeConsent()', async () => {
    const { revokeConsent } = await landed()
    revokeConsent()
    await expectUntouched()
  })

  it('after revokeConsent(), even if a click ID cookie comes back (written by another tab or subdomain)', async () => {
    const { revokeConsent } = await landed()
    revokeConsent()
    document.cookie = 'refp_id=cl_other_tab; Path=/'
    await expectUntouched()
  })

  it('on a link decorated before revokeConsent() (opened in a menu, followed later)', async () => {
    const { revokeConsent } = await landed()
    const anchor = link('https://app.acme.io/x?a=1')
    click(anchor, 'contextmenu', 2)
    expect(anchor.href).toBe('https://app.acme.io/x?a=1&refp_id=cl_1')
    revokeConsent()
    click(anchor)
    expect(anchor.href).toBe('https://app.acme.io/x?a=1')
  })

  it('without outboundDomains', async () => {
    const { init } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init()
    await expectUntouched()
  })

  it('and decoration starts once consent is granted', async () => {
    const { init, grantConsent } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init({ outboundDomains, consent: 'pending' })
    const anchor = link('https://app.acme.io/x')
    click(anchor)
    expect(anchor.href).toBe('https://app.acme.io/x')
    grantConsent()
    click(anchor)
    expect(anchor.href).toBe('https://app.acme.io/x?refp_id=cl_1')
  })
})

describe('only http(s) links and forms are decorated', () => {
  it.each([
    ['javascript://app.acme.io/%0Aalert(1)', 'a javascript: URL whose text names a listed host'],
    ['javascript://x.acme.dev/%0Aalert(1)', 'a javascript: URL under a wildcard host'],
    ['ftp://app.acme.io/file', 'an ftp: URL on a listed host'],
    ['ws://app.acme.io/socket', 'a ws: URL on a listed host'],
  ])('leaves %s alone (%s)', async (href) => {
    await landed()
    const anchor = link(href)
    const post = form('post', href)
    click(anchor)
    submit(post)
    expect(anchor.getAttribute('href')).toBe(href)
    expect(post.getAttribute('action')).toBe(href)
    // Positive control: an http link to the same host on the same page is decorated.
    const web = link('http://app.acme.io/x')
    click(web)
    expect(web.href).toBe('http://app.acme.io/x?refp_id=cl_1')
  })
})

describe('outboundDomains patterns', () => {
  const clickLink = (href: string): string => {
    const anchor = Object.assign(document.createElement('a'), { href })
    anchor.addEventListener('click', (event) => event.preventDefault())
    document.body.append(anchor)
    anchor.click()
    anchor.remove()
    return anchor.href
  }

  it('a bare * matches no host: the click ID never leaks to every site', async () => {
    const { init } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init({ outboundDomains: ['*'] })
    await settle()
    expect(clickLink('https://tracker.evil.test/x')).toBe('https://tracker.evil.test/x')
  })

  it('patterns are matched case-insensitively, as host names are', async () => {
    const { init } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init({ outboundDomains: ['App.Acme.IO', '*.Acme.Dev'] })
    await settle()
    expect(clickLink('https://app.acme.io/x')).toBe('https://app.acme.io/x?refp_id=cl_1')
    expect(clickLink('https://x.acme.dev/')).toBe('https://x.acme.dev/?refp_id=cl_1')
  })
})
