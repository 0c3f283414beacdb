/**
 * Regression tests for defects found in review: each `describe` names the promise that
 * was broken and proves it holds now.
 */
import { describe, expect, it, vi } from 'vitest'
import { clickResponse, documentCookieAt, loadTracker, page, recordCookieWrites, setCookieAs, settle, stubFetch, useTrackerPage, withoutCrypto } from './test-utils'

useTrackerPage()

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

describe('debug logs every decision', () => {
  const logged = (): string[] => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    return new Proxy([], { get: (_, key) => Reflect.get(info.mock.calls.map((call) => call.slice(1).join(' ')), key) })
  }

  it('consent pending, granted and revoked', async () => {
    const { init, grantConsent, revokeConsent } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    const lines = logged()
    init({ consent: 'pending', debug: true })
    expect(lines).toContain('consent pending')
    grantConsent()
    await settle()
    expect(lines).toContain('consent granted')
    expect(lines).toContain('stored cl_1')
    revokeConsent()
    expect(lines).toContain('consent revoked')
  })

  it('a cookie the browser refuses is reported, and the URL and event are left alone', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    const lines = logged()
    const events = vi.fn()
    addEventListener('refport:clickid', events)
    init({ cookieOptions: { domain: 'other.test' }, debug: true })
    await settle()
    removeEventListener('refport:clickid', events)
    expect(getClickId()).toBeNull()
    expect(lines).toContain('cookie refused cl_1')
    expect(lines).not.toContain('stored cl_1')
    expect(location.href).toBe('https://www.acme.com/?refp_id=cl_1')
    expect(events).not.toHaveBeenCalled()
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

describe('script tag: calls queued before the file loaded count from the start', () => {
  const loadScript = async (
    url: string,
    attributes: Record<string, string>,
    queued: unknown[][],
    beforeLoad: () => void = () => {},
  ): Promise<void> => {
    await loadTracker(url)
    beforeLoad()
    const script = document.createElement('script')
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value)
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script })
    const stub = Object.assign(() => {}, { q: queued })
    ;(page as unknown as { refport?: unknown }).refport = stub
    vi.resetModules()
    await import('./script')
    Reflect.deleteProperty(document, 'currentScript')
  }

  it('a queued revokeConsent() means no cookie is ever written on a ?refp_id= landing', async () => {
    let writes: string[] = []
    await loadScript('https://www.acme.com/?refp_id=cl_1', {}, [['revokeConsent']], () => (writes = recordCookieWrites()))
    await settle()
    expect(writes.filter((write) => write.startsWith('refp_id=cl_1'))).toEqual([])
    expect(document.cookie).toBe('')
  })

  it('a queued init() with options replaces the data-* configuration', async () => {
    const fetch = stubFetch()
    await loadScript('https://www.acme.com/?ref=jane', { 'data-publishable-key': 'pk_data' }, [
      ['init', { publishableKey: 'pk_queued', queryParams: ['ref'] }],
    ])
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(JSON.parse(String(fetch.mock.calls[0]![1]!.body))).toMatchObject({ publishableKey: 'pk_queued', key: 'jane' })
  })
})

describe('a timeout that is not a positive number means the default, not an instant abort', () => {
  it.each([['abc'], ['-5'], ['0']])('data-timeout-ms="%s" still registers the click', async (value) => {
    withoutCrypto()
    // A network answer takes a moment; a timeout of 0 ms would have aborted by then.
    const fetch = stubFetch(async (_, init) => {
      await new Promise((resolve) => setTimeout(resolve, 20))
      if (init!.signal!.aborted) throw new DOMException('aborted', 'AbortError')
      return clickResponse({ clickId: 'cl_ok', partner: { key: 'jane' } })
    })
    await loadTracker('https://www.acme.com/?via=jane')
    const script = document.createElement('script')
    script.setAttribute('data-publishable-key', 'pk_test')
    script.setAttribute('data-timeout-ms', value)
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script })
    vi.resetModules()
    await import('./script')
    Reflect.deleteProperty(document, 'currentScript')
    expect(fetch).toHaveBeenCalledTimes(1)
    await (fetch.mock.results[0]!.value as Promise<Response>).catch(() => {})
    await settle()
    expect(document.cookie).toBe('refp_id=cl_ok')
  })
})
