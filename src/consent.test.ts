import { describe, expect, it, vi } from 'vitest'
import {
  documentCookieAt,
  loadTracker,
  recordCookieWrites,
  setCookieAs,
  settle,
  stubFetch,
  useTrackerPage,
  withoutCrypto,
} from '@refport/test-support/tracker-page'
import { nextClickIdEvent } from '@refport/test-support/click-id-event'

useTrackerPage()

/** A fetch whose answer the test releases, to act while the click request is in flight. */
function heldFetch(): { fetch: ReturnType<typeof stubFetch>; release: (clickId?: string) => void } {
  let release!: (clickId?: string) => void
  const answer = new Promise<Response>((resolve) => {
    release = (clickId = 'cl_late') => resolve(new Response(JSON.stringify({ clickId, partner: { key: 'jane' } })))
  })
  return { fetch: stubFetch(() => answer), release }
}

describe("consent: 'pending'", () => {
  it('writes no cookie and makes no request until consent', async () => {
    const fetch = stubFetch()
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test', consent: 'pending' })
    await settle()

    expect(fetch).not.toHaveBeenCalled()
    expect(writes).toEqual([])
    expect(getClickId()).toBeNull()
  })

  it('grantConsent() registers the pending ?via= click on the same page', async () => {
    withoutCrypto()
    const fetch = stubFetch()
    const { init, grantConsent, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test', consent: 'pending' })
    await settle()
    const stored = nextClickIdEvent()
    grantConsent()

    expect(await stored).toBe('cl_minted')
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toMatchObject({
      key: 'jane',
      url: 'https://www.acme.com/?via=jane',
    })
    expect(getClickId()).toBe('cl_minted')
  })

  it('grantConsent() stores a pending ?refp_id= at once and cleans the URL', async () => {
    const { init, grantConsent, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1&x=1')
    init({ consent: 'pending' })
    expect(getClickId()).toBeNull()
    expect(location.href).toBe('https://www.acme.com/?refp_id=cl_1&x=1')
    grantConsent()
    expect(getClickId()).toBe('cl_1')
    expect(location.href).toBe('https://www.acme.com/?x=1')
  })

  it('grantConsent() before init() is remembered', async () => {
    withoutCrypto()
    const fetch = stubFetch()
    const { init, grantConsent, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    grantConsent()
    expect(fetch).not.toHaveBeenCalled()
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test', consent: 'pending' })
    await stored
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(getClickId()).toBe('cl_minted')
  })

  it('grantConsent() twice registers one click', async () => {
    const fetch = stubFetch()
    const { init, grantConsent } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test', consent: 'pending' })
    grantConsent()
    grantConsent()
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('grantConsent() without consent: pending changes nothing (the click was registered once at init)', async () => {
    const fetch = stubFetch()
    const { init, grantConsent } = await loadTracker('https://www.acme.com/?via=jane')
    init({ publishableKey: 'pk_test' })
    await settle()
    grantConsent()
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('getClickId() reads a cookie stored on an earlier visit even while consent is pending', async () => {
    // Reading is not tracking: the server reads the same cookie on every request anyway.
    const { init, getClickId } = await loadTracker('https://www.acme.com/')
    document.cookie = 'refp_id=cl_earlier; Path=/'
    init({ consent: 'pending' })
    expect(getClickId()).toBe('cl_earlier')
  })
})

describe('revokeConsent()', () => {
  it('deletes the stored click ID', async () => {
    const { init, revokeConsent, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init()
    expect(getClickId()).toBe('cl_1')
    revokeConsent()
    expect(getClickId()).toBeNull()
    expect(documentCookieAt('https://app.acme.com/')).toBe('')
  })

  it.each([
    ['host-only', 'https://www.acme.com/', 'refp_id=cl_x; Path=/'],
    ['on the parent domain, written by a sibling', 'https://app.acme.com/', 'refp_id=cl_x; Path=/; Domain=acme.com'],
    ['on the parent domain with a leading dot', 'https://www.acme.com/', 'refp_id=cl_x; Path=/; Domain=.acme.com'],
    ['on the host as a Domain cookie', 'https://www.acme.com/', 'refp_id=cl_x; Path=/; Domain=www.acme.com'],
  ])('deletes a cookie %s', async (_, writer, cookie) => {
    const { init, revokeConsent, getClickId } = await loadTracker('https://www.acme.com/')
    setCookieAs(writer, cookie)
    init()
    expect(getClickId()).toBe('cl_x')
    revokeConsent()
    expect(document.cookie).toBe('')
  })

  it('deletes every variant at once (host-only, parent domain and a custom path)', async () => {
    const { init, revokeConsent } = await loadTracker('https://www.acme.com/app/home')
    document.cookie = 'refp_id=cl_a; Path=/'
    document.cookie = 'refp_id=cl_b; Path=/; Domain=acme.com'
    document.cookie = 'refp_id=cl_c; Path=/app; Domain=acme.com'
    init({ cookieOptions: { path: '/app' } })
    expect(document.cookie.match(/refp_id=/g)).toHaveLength(3)
    revokeConsent()
    expect(document.cookie).toBe('')
  })

  it('works before init() (deletes a cookie from an earlier visit)', async () => {
    const { revokeConsent, getClickId } = await loadTracker('https://www.acme.com/')
    setCookieAs('https://app.acme.com/', 'refp_id=cl_old; Path=/; Domain=acme.com')
    expect(getClickId()).toBe('cl_old')
    revokeConsent()
    expect(getClickId()).toBeNull()
  })

  it('before init() keeps the landing from being applied until grantConsent()', async () => {
    withoutCrypto()
    const fetch = stubFetch()
    const { init, revokeConsent, grantConsent, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    revokeConsent()
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(getClickId()).toBeNull()

    const stored = nextClickIdEvent()
    grantConsent()
    expect(await stored).toBe('cl_minted')
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('a later grantConsent() does not register the landing again', async () => {
    withoutCrypto()
    const fetch = stubFetch()
    const { init, revokeConsent, grantConsent, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })
    await stored
    revokeConsent()
    grantConsent()
    await settle()

    expect(fetch).toHaveBeenCalledTimes(1)
    expect(getClickId()).toBeNull()
  })

  it('a click answer arriving after revokeConsent() is not stored', async () => {
    withoutCrypto()
    const { fetch, release } = heldFetch()
    const { init, revokeConsent, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    const events: Array<string | null> = []
    const onEvent = (event: Event): void => void events.push((event as CustomEvent).detail)
    addEventListener('refport:clickid', onEvent)
    init({ publishableKey: 'pk_test' })
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1))
    revokeConsent()
    release('cl_late')
    await settle()
    removeEventListener('refport:clickid', onEvent)

    expect(getClickId()).toBeNull()
    expect(document.cookie).toBe('')
    expect(events).toEqual([null])
    expect(location.href).toBe('https://www.acme.com/?via=jane')
  })

  it('writes only expired cookies', async () => {
    const { init, revokeConsent } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init()
    const writes = recordCookieWrites()
    revokeConsent()
    expect(writes.length).toBeGreaterThan(0)
    for (const write of writes)
      expect(write).toMatch(/^refp_(id|pending|partner)=;.*(Max-Age=(0|-\d+)|Expires=Thu, 01 Jan 1970)/)
    expect(writes.filter((write) => write.startsWith('refp_id=;')).length).toBeGreaterThan(0)
  })
})

describe('CLICK_ID_EVENT', () => {
  it("is 'refport:clickid'", async () => {
    const { CLICK_ID_EVENT } = await loadTracker('https://www.acme.com/')
    expect(CLICK_ID_EVENT).toBe('refport:clickid')
  })

  it('fires on window with the click ID when one is stored, after the cookie is readable', async () => {
    const { init, getClickId, CLICK_ID_EVENT } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    const seen: Array<[unknown, string | null]> = []
    const onEvent = (event: Event): void => void seen.push([(event as CustomEvent).detail, getClickId()])
    addEventListener(CLICK_ID_EVENT, onEvent)
    init()
    removeEventListener(CLICK_ID_EVENT, onEvent)
    expect(seen).toEqual([['cl_1', 'cl_1']])
  })

  it('fires with detail null on revokeConsent()', async () => {
    const { init, revokeConsent, CLICK_ID_EVENT } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init()
    const details: unknown[] = []
    const onEvent = (event: Event): void => void details.push((event as CustomEvent).detail)
    addEventListener(CLICK_ID_EVENT, onEvent)
    revokeConsent()
    removeEventListener(CLICK_ID_EVENT, onEvent)
    expect(details).toEqual([null])
  })

  it('does not fire when nothing is stored', async () => {
    withoutCrypto()
    stubFetch(() => new Response('nope', { status: 500 }))
    const { init, CLICK_ID_EVENT } = await loadTracker('https://www.acme.com/?via=jane')
    const listener = vi.fn()
    addEventListener(CLICK_ID_EVENT, listener)
    init({ publishableKey: 'pk_test' })
    await settle()
    removeEventListener(CLICK_ID_EVENT, listener)
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('revokeConsent() clears every variant even with an invalid cookie option', () => {
  it.each([
    ['a path without a leading slash', { path: 'app' }],
    ['a path with ;', { path: '/a;b' }],
    ['a domain with a space', { domain: 'acme .com' }],
  ])('%s: the parent-domain cookie is still deleted', async (_, cookieOptions) => {
    const { init, revokeConsent, getClickId } = await loadTracker('https://www.acme.com/')
    setCookieAs('https://app.acme.com/', 'refp_id=cl_old; Path=/; Domain=acme.com')
    init({ cookieOptions })
    revokeConsent()
    expect(getClickId()).toBeNull()
    expect(documentCookieAt('https://app.acme.com/')).toBe('')
  })
})

describe('consent calls reach the tracker copy that runs the page', () => {
  it("grantConsent() from a second copy applies the first copy's pending landing", async () => {
    const first = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    first.init({ consent: 'pending' })
    // A second bundle on the same page: a fresh module graph, the page guard left in place.
    vi.resetModules()
    const second: typeof first = await import('./index')
    second.init({})
    second.grantConsent()
    await settle()
    expect(first.getClickId()).toBe('cl_1')
    expect(location.href).toBe('https://www.acme.com/')
  })

  it('revokeConsent() from a second copy stops the first copy writing an in-flight click', async () => {
    let answer!: (response: Response) => void
    stubFetch(() => new Promise<Response>((resolve) => (answer = resolve)))
    const first = await loadTracker('https://www.acme.com/?via=jane')
    first.init({ publishableKey: 'pk_test' })
    vi.resetModules()
    const second: typeof first = await import('./index')
    second.revokeConsent()
    answer(new Response(JSON.stringify({ clickId: 'cl_late', partner: { key: 'jane' } })))
    await settle()
    expect(first.getClickId()).toBeNull()
  })
})
