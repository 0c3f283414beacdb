import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  clickResponse,
  loadTracker,
  recordCookieWrites,
  settle,
  stubFetch,
  useTrackerPage,
  withoutCrypto,
  type FetchStub,
  type NavigationType,
} from '@refport/test-support/tracker-page'
import { nextClickIdEvent } from '@refport/test-support/click-id-event'

useTrackerPage()

/** The one request the tracker made: its URL, its init and the parsed body. */
function onlyRequest(fetch: FetchStub): { url: string; init: RequestInit; body: unknown } {
  expect(fetch).toHaveBeenCalledTimes(1)
  const [url, init] = fetch.mock.calls[0]!
  return { url: String(url), init: init!, body: JSON.parse(init!.body as string) }
}

describe('?via= landing registers one click', () => {
  it('POSTs {publishableKey, key, url, referrer} to https://api.refport.io/track/click and stores the answer', async () => {
    withoutCrypto()
    const fetch = stubFetch()
    const { init, getClickId } = await loadTracker('https://www.acme.com/pricing?via=jane&utm_source=x#plans')
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://janes-blog.example/post')
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test_123' })

    expect(await stored).toBe('cl_minted')
    expect(getClickId()).toBe('cl_minted')
    expect(document.cookie).toBe('refp_id=cl_minted')
    const { url, body } = onlyRequest(fetch)
    expect(url).toBe('https://api.refport.io/track/click')
    expect(body).toEqual({
      publishableKey: 'pk_test_123',
      key: 'jane',
      url: 'https://www.acme.com/pricing?via=jane&utm_source=x#plans',
      referrer: 'https://janes-blog.example/post',
    })
  })

  it('is a CORS simple request: a string body (sent as text/plain), no headers of ours, keepalive, with a timeout signal', async () => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test' })
    await settle()

    const { init: request } = onlyRequest(fetch)
    expect(request.method).toBe('POST')
    expect(typeof request.body).toBe('string')
    expect(request.headers).toBeUndefined()
    expect(request.keepalive).toBe(true)
    expect(request.signal).toBeInstanceOf(AbortSignal)
    expect(request.signal!.aborted).toBe(false)
    // What fetch itself makes of that init: text/plain, so no CORS preflight.
    expect(new Request('https://api.refport.io/track/click', request).headers.get('content-type')).toMatch(
      /^text\/plain/,
    )
  })

  it('sends an empty referrer when there is none', async () => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane')
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('')
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(onlyRequest(fetch).body).toMatchObject({ referrer: '' })
  })

  it.each([
    ['https://api.example.test', 'https://api.example.test/track/click'],
    ['https://api.example.test/', 'https://api.example.test/track/click'],
    ['https://www.acme.com/_refport', 'https://www.acme.com/_refport/track/click'],
    ['/_refport', '/_refport/track/click'],
    ['/_refport/', '/_refport/track/click'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/track/click'],
  ])('apiHost %s posts to %s', async (apiHost, expected) => {
    const fetch = stubFetch()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test', apiHost })
    await settle()

    expect(onlyRequest(fetch).url).toBe(expected)
    expect(getClickId()).toBe('cl_minted')
  })

  it.each([
    ['?ref=jane', 'jane'],
    ['?via=jane', 'jane'],
    ['?ref=jane&via=bob', 'jane'],
    ['?via=bob&ref=jane', 'jane'],
    ['?ref=&via=bob', 'bob'],
  ])("queryParams ['ref', 'via'] on %s registers partner %s (first non-empty wins)", async (query, key) => {
    const fetch = stubFetch()
    const { init } = await loadTracker(`https://www.acme.com/${query}`)
    init({ publishableKey: 'pk_test', queryParams: ['ref', 'via'] })
    await settle()
    expect(onlyRequest(fetch).body).toMatchObject({ key })
  })

  it("queryParams ['ref'] ignores ?via=", async () => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test', queryParams: ['ref'] })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('prefers ?refp_id= over ?via=: the short link already registered the click', async () => {
    const fetch = stubFetch()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?via=jane&refp_id=cl_short')
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(getClickId()).toBe('cl_short')
  })

  it('last-click replaces an existing cookie with the newly registered click', async () => {
    withoutCrypto()
    stubFetch()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    document.cookie = 'refp_id=cl_old; Path=/; Domain=acme.com'
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })
    await stored
    expect(getClickId()).toBe('cl_minted')
    expect(document.cookie).toBe('refp_id=cl_minted')
  })
})

describe('without a publishableKey', () => {
  it('makes no request, writes no cookie and stays silent', async () => {
    const fetch = stubFetch()
    const console = {
      info: vi.spyOn(globalThis.console, 'info'),
      log: vi.spyOn(globalThis.console, 'log'),
      warn: vi.spyOn(globalThis.console, 'warn'),
      error: vi.spyOn(globalThis.console, 'error'),
      debug: vi.spyOn(globalThis.console, 'debug'),
    }
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    init()
    await settle()

    expect(fetch).not.toHaveBeenCalled()
    expect(writes).toEqual([])
    expect(getClickId()).toBeNull()
    for (const spy of Object.values(console)) expect(spy).not.toHaveBeenCalled()
  })

  it('explains itself in the console with debug: true', async () => {
    const fetch = stubFetch()
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const { init } = await loadTracker('https://www.acme.com/?via=jane')
    init({ debug: true })
    await settle()

    expect(fetch).not.toHaveBeenCalled()
    expect(info).toHaveBeenCalled()
    expect(info.mock.calls.every(([prefix]) => prefix === '[refport]')).toBe(true)
  })
})

describe('one click per landing', () => {
  it('a second init() on the same page makes no second request', async () => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test' })
    init({ publishableKey: 'pk_test' })
    init({ publishableKey: 'pk_other', apiHost: '/_refport' })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('a second copy of the tracker (another bundle) on the same page makes no second request', async () => {
    const fetch = stubFetch()
    const first = await loadTracker('https://www.acme.com/?via=jane')
    first.init({ publishableKey: 'pk_test' })
    vi.resetModules()
    const second = (await import('./index')) as typeof first
    expect(second).not.toBe(first)
    second.init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it.each<[NavigationType, string | null, number]>([
    ['reload', 'cl_first', 0],
    ['back_forward', 'cl_first', 0],
    ['navigate', 'cl_first', 1],
    ['prerender', 'cl_first', 1],
    [null, 'cl_first', 1],
    // The first load stored nothing (it waited for consent, or its request failed): counting
    // now is the only chance, and nothing is counted twice.
    ['reload', null, 1],
    ['back_forward', null, 1],
  ])('navigation type %s with stored click ID %s makes %i request(s)', async (navigationType, stored, requests) => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane', navigationType)
    if (stored) document.cookie = `refp_id=${stored}; Path=/`
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(requests)
  })

  it('a consent manager that reloads the page on "accept" still gets the ?via= click counted', async () => {
    withoutCrypto()
    const fetch = stubFetch()
    const waiting = await loadTracker('https://www.acme.com/?via=jane')
    waiting.init({ publishableKey: 'pk_test', consent: 'pending' })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    // "Accept" reloads the page; the consent manager now starts the tracker with consent.
    const reloaded = await loadTracker('https://www.acme.com/?via=jane', 'reload')
    const stored = nextClickIdEvent()
    reloaded.init({ publishableKey: 'pk_test' })
    expect(await stored).toBe('cl_minted')
    expect(onlyRequest(fetch).body).toMatchObject({ key: 'jane' })
  })

  it.each<[string, string, string | null, number]>([
    ['a link on this site carried ?via= along', 'https://www.acme.com/blog/post', 'cl_first', 0],
    ['the same site, but nothing stored yet', 'https://www.acme.com/blog/post', null, 1],
    ['another subdomain of the site (another origin)', 'https://blog.acme.com/post', 'cl_first', 1],
    ['a look-alike host that starts with the origin', 'https://www.acme.com.evil.test/', 'cl_first', 1],
    ['the partner’s page', 'https://janes-blog.example/post', 'cl_first', 1],
    ['no referrer (Referrer-Policy: no-referrer)', '', 'cl_first', 1],
  ])('referrer: %s (%s, stored %s) → %i request(s)', async (_, referrer, stored, requests) => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/pricing?via=jane')
    vi.spyOn(document, 'referrer', 'get').mockReturnValue(referrer)
    if (stored) document.cookie = `refp_id=${stored}; Path=/`
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(requests)
  })

  it('a client-side navigation to another ?via= URL registers nothing more', async () => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane')
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })
    await stored
    history.pushState(null, '', '/pricing?via=bob')
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toMatchObject({ key: 'jane' })
  })

  it('sends the landing URL even when a router rewrote the address bar before init()', async () => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane&utm_campaign=spring')
    history.replaceState(null, '', '/en')
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(onlyRequest(fetch).body).toMatchObject({
      key: 'jane',
      url: 'https://www.acme.com/?via=jane&utm_campaign=spring',
    })
  })

  it('passes timeoutMs to the request signal', async () => {
    const timeout = vi.spyOn(AbortSignal, 'timeout')
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test', timeoutMs: 15000 })
    await settle()
    expect(timeout).toHaveBeenCalledWith(15000)
    expect(onlyRequest(fetch).init.signal).toBe(timeout.mock.results[0]!.value)
  })

  it('a reload of a ?refp_id= landing re-stores the same ID without a request', async () => {
    const fetch = stubFetch()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1', 'reload')
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(getClickId()).toBe('cl_1')
  })

  it('a page without referral params makes no request and writes nothing', async () => {
    const fetch = stubFetch()
    const writes = recordCookieWrites()
    const { init } = await loadTracker('https://www.acme.com/pricing?utm_source=newsletter')
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(writes).toEqual([])
  })
})

/** Hostile partner keys, raw in the query string. */
const hostilePartnerKeys: Array<[string, string]> = [
  ['semicolon', 'a;b'],
  ['attribute injection', 'jane;domain=evil.test'],
  ['equals sign', 'a=b'],
  ['space', 'jane%20doe'],
  ['CR/LF', 'jane%0D%0AX-Injected:%201'],
  ['HTML', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
  ['JSON breaking quote', 'jane%22,%22publishableKey%22:%22pk_evil'],
  ['10 KB', 'j'.repeat(10 * 1024)],
  ['unicode', 'j%C3%A4ne'],
  ['NUL byte', 'jane%00'],
  ['path traversal', '..%2F..%2Fadmin'],
  ['only whitespace', '%20%20'],
]

describe('hostile ?via= values', () => {
  it.each(hostilePartnerKeys)('%s: no request, no cookie', async (_, raw) => {
    const fetch = stubFetch()
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker(`https://www.acme.com/?via=${raw}`)
    init({ publishableKey: 'pk_test' })
    await settle()

    expect(fetch).not.toHaveBeenCalled()
    expect(writes).toEqual([])
    expect(getClickId()).toBeNull()
  })

  it('an empty ?via= is no referral', async () => {
    const fetch = stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=')
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
  })

  it.each([
    ['jane', 'jane'],
    ['Jane_Doe-2', 'Jane_Doe-2'],
    ['j'.repeat(128), 'j'.repeat(128)],
  ])('a valid key %s is sent as is', async (raw, key) => {
    const fetch = stubFetch()
    const { init } = await loadTracker(`https://www.acme.com/?via=${raw}`)
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(onlyRequest(fetch).body).toMatchObject({ key })
  })
})

describe('click API answers on the request-first path (no crypto)', () => {
  beforeEach(withoutCrypto)
  it.each([
    ['200 with a valid clickId', () => clickResponse({ clickId: 'cl_OK-1', partner: { key: 'jane' } }), 'cl_OK-1'],
    ['200 with extra fields', () => clickResponse({ clickId: 'cl_2', partner: { key: 'jane' }, extra: [1] }), 'cl_2'],
    ['200 with a 128-character clickId', () => clickResponse({ clickId: 'c'.repeat(128) }), 'c'.repeat(128)],
  ])('%s: stored', async (_, respond, expected) => {
    stubFetch(respond)
    const { init, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })
    expect(await stored).toBe(expected)
    expect(getClickId()).toBe(expected)
  })
})
