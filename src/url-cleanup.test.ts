import { describe, expect, it, vi } from 'vitest'
import { nextClickIdEvent } from '@refport/test-support/click-id-event'
import { loadTracker, settle, stubFetch, useTrackerPage, withoutCrypto } from '@refport/test-support/tracker-page'

useTrackerPage()

describe('address bar cleanup after storing', () => {
  it('removes refp_id and keeps every other param, the hash and history.state', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/pricing?a=1&refp_id=cl_1&b=2#plans')
    history.replaceState({ router: 'tree', n: 7 }, '', location.href)
    const replaceState = vi.spyOn(history, 'replaceState')
    init()

    expect(getClickId()).toBe('cl_1')
    expect(location.href).toBe('https://www.acme.com/pricing?a=1&b=2#plans')
    expect(history.state).toEqual({ router: 'tree', n: 7 })
    expect(replaceState).toHaveBeenCalledTimes(1)
  })

  it('leaves no bare "?" when refp_id was the only param', async () => {
    const { init } = await loadTracker('https://www.acme.com/welcome?refp_id=cl_1#top')
    init()
    expect(location.href).toBe('https://www.acme.com/welcome#top')
  })

  // A path that starts with `//` must not read as a URL on another host (replaceState
  // would refuse it and the click ID would stay in the address bar).
  it.each(['https://www.acme.com//evil.test/x?refp_id=cl_1&a=1', 'https://www.acme.com//?refp_id=cl_1&a=1'])(
    'cleans %s on its own origin',
    async (landing) => {
      const { init, getClickId } = await loadTracker(landing)
      init()
      expect(getClickId()).toBe('cl_1')
      expect(location.href).toBe(landing.replace('refp_id=cl_1&', ''))
    },
  )

  it('removes every refp_id when the param is repeated', async () => {
    const { init } = await loadTracker('https://www.acme.com/?refp_id=cl_1&x=1&refp_id=cl_2')
    init()
    expect(location.href).toBe('https://www.acme.com/?x=1')
  })

  it('keeps ?via= by default, so analytics on the page still see the campaign', async () => {
    stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?via=jane&refp_id=bad;id')
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })
    await stored
    expect(location.href).toBe('https://www.acme.com/?via=jane')
  })

  // URLSearchParams decodes names, so the tracker stores from `refp%5Fid=` too; the shared
  // URL must then not keep carrying that click.
  it.each([
    ['a percent-encoded name', 'https://www.acme.com/?refp%5Fid=cl_1&x=1', 'https://www.acme.com/?x=1'],
    [
      'a percent-encoded name, twice',
      'https://www.acme.com/?refp%5Fid=cl_1&x=%20&refp_%69d=cl_2',
      'https://www.acme.com/?x=%20',
    ],
  ])('removes the stored click ID however its name was encoded: %s', async (_, landing, expected) => {
    const { init, getClickId } = await loadTracker(landing)
    init()
    expect(getClickId()).toBe('cl_1')
    expect(location.href).toBe(expected)
  })

  it("urlCleanup: 'all' also removes the partner-key params", async () => {
    stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?ref=jane&via=x&keep=1#h')
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test', queryParams: ['ref', 'via'], urlCleanup: 'all' })
    await stored
    expect(location.href).toBe('https://www.acme.com/?keep=1#h')
  })

  it("urlCleanup: 'all' removes refp_id and via on a refp_id landing", async () => {
    const { init } = await loadTracker('https://www.acme.com/?via=jane&refp_id=cl_1&keep=1')
    init({ urlCleanup: 'all' })
    expect(location.href).toBe('https://www.acme.com/?keep=1')
  })

  it("urlCleanup: 'none' keeps everything", async () => {
    const replaceState = vi.spyOn(history, 'replaceState')
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1&via=jane#h')
    init({ urlCleanup: 'none' })

    expect(getClickId()).toBe('cl_1')
    expect(location.href).toBe('https://www.acme.com/?refp_id=cl_1&via=jane#h')
    expect(replaceState).not.toHaveBeenCalled()
  })

  it('uses the current URL, so a router change made before the store is not undone', async () => {
    withoutCrypto()
    stubFetch()
    const { init } = await loadTracker('https://www.acme.com/?refp_id=bad;id&via=jane')
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })
    // The SPA navigates while the click request is in flight.
    history.pushState({ page: 2 }, '', '/docs?refp_id=x&tab=api#install')
    await stored
    expect(location.href).toBe('https://www.acme.com/docs?tab=api#install')
    expect(history.state).toEqual({ page: 2 })
  })
})

describe('the URL is left alone when nothing was stored', () => {
  it.each([
    ['a hostile refp_id', 'https://www.acme.com/?refp_id=a;b&x=1', {}],
    ['?via= without publishableKey', 'https://www.acme.com/?via=jane&refp_id=', {}],
    ['consent pending', 'https://www.acme.com/?refp_id=cl_1', { consent: 'pending' as const }],
  ])('%s', async (_, url, options) => {
    const { init } = await loadTracker(url)
    document.cookie = 'refp_id=cl_old; Path=/'
    const replaceState = vi.spyOn(history, 'replaceState')
    init(options)
    await settle()

    expect(replaceState).not.toHaveBeenCalled()
    expect(location.href).toBe(url)
  })

  it('first-click keeping an older click still takes refp_id out of the address bar (a shared URL must not carry it)', async () => {
    const { init } = await loadTracker('https://www.acme.com/?refp_id=cl_1&x=1#h')
    document.cookie = 'refp_id=cl_old; Path=/'
    init({ attributionModel: 'first-click' })
    await settle()

    expect(location.href).toBe('https://www.acme.com/?x=1#h')
    expect(document.cookie).toBe('refp_id=cl_old')
  })

  it('a failed click request leaves the URL alone', async () => {
    withoutCrypto()
    stubFetch(() => new Response('oops', { status: 500 }))
    const replaceState = vi.spyOn(history, 'replaceState')
    const { init } = await loadTracker('https://www.acme.com/?via=jane&refp_id=%3Cx%3E')
    init({ publishableKey: 'pk_test' })
    await settle()
    expect(replaceState).not.toHaveBeenCalled()
  })
})

describe('other params are kept exactly as written', () => {
  // A router or an analytics script may read the raw query: re-encoding `%20` as `+` or
  // turning a bare `flag` into `flag=` changes what they see.
  it.each([
    ['https://www.acme.com/?q=two%20words&refp_id=cl_1', 'https://www.acme.com/?q=two%20words'],
    ['https://www.acme.com/?refp_id=cl_1&flag', 'https://www.acme.com/?flag'],
    ['https://www.acme.com/?a=%2F&refp_id=cl_1&b=%7E', 'https://www.acme.com/?a=%2F&b=%7E'],
  ])('%s becomes %s', async (landing, expected) => {
    const { init } = await loadTracker(landing)
    init()
    expect(location.href).toBe(expected)
  })

  // Characters the URL parser leaves as they are or encodes once: writing the rest of the
  // query back must not encode them a second time.
  it.each([
    ['a quote and braces', "https://www.acme.com/?q='x'&refp_id=cl_1&j={1}", 'https://www.acme.com/?q=%27x%27&j={1}'],
    ['pipes, carets and backticks', 'https://www.acme.com/?a=|^`&refp_id=cl_1', 'https://www.acme.com/?a=|^`'],
    ['a malformed escape', 'https://www.acme.com/?a=%zz&refp_id=cl_1', 'https://www.acme.com/?a=%zz'],
    [
      'encoded UTF-8 and a raw non-ASCII letter',
      'https://www.acme.com/?a=%C3%A9&b=é&refp_id=cl_1',
      'https://www.acme.com/?a=%C3%A9&b=%C3%A9',
    ],
    [
      'plus signs, semicolons and empty pairs',
      'https://www.acme.com/?a=1+2;b&&refp_id=cl_1&=x',
      'https://www.acme.com/?a=1+2;b&&=x',
    ],
  ])('%s', async (_, landing, expected) => {
    const { init } = await loadTracker(landing)
    init()
    expect(location.href).toBe(expected)
  })

  it('a <base href> on another origin does not stop the cleanup', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1&x=1#h')
    document.head.innerHTML = '<base href="https://cdn.other.test/assets/">'
    init()
    expect(getClickId()).toBe('cl_1')
    expect(location.href).toBe('https://www.acme.com/pricing?x=1#h')
  })

  it('a ?via= landing with no refp_id to remove leaves an encoded query untouched', async () => {
    stubFetch()
    const replaceState = vi.spyOn(history, 'replaceState')
    const { init } = await loadTracker('https://www.acme.com/?via=jane&q=two%20words&flag')
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })
    await stored
    expect(location.href).toBe('https://www.acme.com/?via=jane&q=two%20words&flag')
    expect(replaceState).not.toHaveBeenCalled()
  })
})
