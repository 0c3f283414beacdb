import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  clickResponse,
  documentCookieAt,
  freshPage,
  page,
  recordCookieWrites,
  setCookieAs,
  settle,
  stubFetch,
  useTrackerPage,
  withoutCrypto,
} from '@refport/test-support/tracker-page'
import {
  installSnippetStub,
  loadScriptTag,
  type ScriptGlobal,
  type ScriptMethod,
} from '@refport/test-support/script-tag'
import { isMintedClickId } from '@refport/test-support/click-ids'

useTrackerPage()

const stay = (event: Event): void => event.preventDefault()
beforeEach(() => addEventListener('click', stay))
afterEach(() => removeEventListener('click', stay))

describe('window.refport', () => {
  it('exposes init, getClickId, grantConsent and revokeConsent', async () => {
    const refport = await loadScriptTag('https://www.acme.com/?refp_id=cl_1')
    expect(typeof refport).toBe('function')
    for (const method of ['init', 'getClickId', 'grantConsent', 'revokeConsent'] as const)
      expect(typeof refport[method]).toBe('function')
    expect(refport.getClickId()).toBe('cl_1')
  })

  it("is callable as refport('method', ...args)", async () => {
    const refport = await loadScriptTag('https://www.acme.com/?refp_id=cl_1', { consent: 'pending' })
    expect(refport('getClickId')).toBeNull()
    refport('grantConsent')
    expect(refport('getClickId')).toBe('cl_1')
    refport('revokeConsent')
    expect(refport('getClickId')).toBeNull()
  })

  it('an unknown method name does not throw into the page', async () => {
    const refport = await loadScriptTag('https://www.acme.com/')
    expect(() => refport('track' as ScriptMethod, 'signup')).not.toThrow()
  })
})

describe('configuration from data-* attributes', () => {
  it('data-publishable-key, data-api-host and data-query-params ("ref, via") drive the click request', async () => {
    const fetch = stubFetch()
    const refport = await loadScriptTag('https://www.acme.com/?ref=jane', {
      'publishable-key': 'pk_script',
      'api-host': '/_refport',
      'query-params': 'ref, via',
    })
    await vi.waitFor(() => expect(refport.getClickId()).toBe('cl_minted'))

    expect(fetch).toHaveBeenCalledTimes(1)
    const [url, init] = fetch.mock.calls[0]!
    expect(url).toBe('/_refport/track/click')
    expect(JSON.parse(init!.body as string)).toEqual({
      publishableKey: 'pk_script',
      key: 'jane',
      clickId: expect.toSatisfy(isMintedClickId),
      url: 'https://www.acme.com/?ref=jane',
      referrer: document.referrer,
    })
  })

  it.each([
    ['?via=bob', 'bob'],
    ['?ref=jane&via=bob', 'jane'],
  ])('data-query-params "ref, via" on %s registers %s', async (query, key) => {
    const fetch = stubFetch()
    await loadScriptTag(`https://www.acme.com/${query}`, { 'publishable-key': 'pk', 'query-params': ' ref ,via ' })
    await settle()
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toMatchObject({ key })
  })

  it.each([[''], [' '], [',']])('data-query-params="%s" (left empty) keeps the default ?via=', async (value) => {
    const fetch = stubFetch()
    await loadScriptTag('https://www.acme.com/?via=jane', { 'publishable-key': 'pk', 'query-params': value })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toMatchObject({ key: 'jane' })
  })

  it('without data-api-host posts to https://api.refport.io', async () => {
    const fetch = stubFetch()
    await loadScriptTag('https://www.acme.com/?via=jane', { 'publishable-key': 'pk' })
    await settle()
    expect(fetch.mock.calls[0]![0]).toBe('https://api.refport.io/track/click')
  })

  it('data-attribution-model="first-click" keeps an earlier click ID', async () => {
    const fetch = stubFetch()
    const refport = await loadScriptTag(
      'https://www.acme.com/?via=jane',
      { 'publishable-key': 'pk', 'attribution-model': 'first-click' },
      () => setCookieAs('https://www.acme.com/', 'refp_id=cl_first; Path=/; Domain=acme.com'),
    )
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(refport.getClickId()).toBe('cl_first')
  })

  it('data-cookie-domain sets the cookie Domain', async () => {
    const writes = recordCookieWrites()
    await loadScriptTag('https://app.eu.acme.com/?refp_id=cl_1', { 'cookie-domain': 'eu.acme.com' })
    expect(writes.filter((write) => /^refp_id=[^;]/.test(write))).toEqual([
      'refp_id=cl_1; Path=/; Max-Age=7776000; Domain=eu.acme.com; SameSite=Lax; Secure',
    ])
    expect(documentCookieAt('https://www.eu.acme.com/')).toBe('refp_id=cl_1')
  })

  it('data-consent="pending" waits for refport("grantConsent")', async () => {
    const fetch = stubFetch()
    const refport = await loadScriptTag('https://www.acme.com/?via=jane', {
      'publishable-key': 'pk',
      consent: 'pending',
    })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(document.cookie).toBe('')

    refport('grantConsent')
    await vi.waitFor(() => expect(refport.getClickId()).toBe('cl_minted'))
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('data-outbound-domains ("app.acme.io, *.acme.dev") decorates links to those hosts', async () => {
    await loadScriptTag('https://www.acme.com/?refp_id=cl_1', { 'outbound-domains': 'app.acme.io, *.acme.dev' })
    const links = ['https://app.acme.io/x', 'https://docs.acme.dev/y', 'https://other.test/z'].map((href) => {
      const anchor = document.createElement('a')
      anchor.href = href
      document.body.append(anchor)
      anchor.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
      return anchor.href
    })
    expect(links).toEqual([
      'https://app.acme.io/x?refp_id=cl_1',
      'https://docs.acme.dev/y?refp_id=cl_1',
      'https://other.test/z',
    ])
  })

  it('data-debug turns on console logging; without it the script is silent', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    await loadScriptTag('https://www.acme.com/?via=jane')
    await settle()
    expect(info).not.toHaveBeenCalled()

    await loadScriptTag('https://www.acme.com/?via=jane', { debug: '' })
    await settle()
    expect(info).toHaveBeenCalled()
  })

  it.each([
    ['data-debug', '', true],
    ['data-debug="true"', 'true', true],
    ['data-debug="1"', '1', true],
    ['data-debug="false"', 'false', false],
    ['data-debug="FALSE"', 'FALSE', false],
    ['data-debug=" false "', ' false ', false],
    ['data-debug="0"', '0', false],
  ])('%s logs: %s', async (_, value, logs) => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const refport = await loadScriptTag('https://www.acme.com/?refp_id=cl_debug', { debug: value })
    await settle()
    // Positive control: the tracker ran (the landing was stored) whether or not it logged.
    expect(refport.getClickId()).toBe('cl_debug')
    expect(info.mock.calls.length > 0).toBe(logs)
  })

  it('a tag without data-* attributes stores a ?refp_id= landing', async () => {
    const refport = await loadScriptTag('https://www.acme.com/?refp_id=cl_plain')
    expect(refport.getClickId()).toBe('cl_plain')
  })

  it('works when document.currentScript is null (injected by a tag manager as a module)', async () => {
    await freshPage('https://www.acme.com/?refp_id=cl_1')
    delete page.refport
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => null })
    await import('./script')
    expect((page.refport as ScriptGlobal).getClickId()).toBe('cl_1')
  })
})

describe('calls queued before the script loaded', () => {
  it('are replayed in order (grant then revoke leaves no cookie)', async () => {
    const refport = await loadScriptTag('https://www.acme.com/?refp_id=cl_1', { consent: 'pending' }, () => {
      const stub = installSnippetStub()
      stub('grantConsent')
      stub('revokeConsent')
    })
    expect(refport.getClickId()).toBeNull()
  })

  it('are replayed in order (revoke then grant stores the click)', async () => {
    const refport = await loadScriptTag('https://www.acme.com/?refp_id=cl_1', { consent: 'pending' }, () => {
      const stub = installSnippetStub()
      stub('revokeConsent')
      stub('grantConsent')
    })
    expect(refport.getClickId()).toBe('cl_1')
  })

  it('a queued grantConsent registers the ?via= click once', async () => {
    const fetch = stubFetch()
    const refport = await loadScriptTag(
      'https://www.acme.com/?via=jane',
      { 'publishable-key': 'pk', consent: 'pending' },
      () => {
        installSnippetStub()('grantConsent')
      },
    )
    await vi.waitFor(() => expect(refport.getClickId()).toBe('cl_minted'))
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('replace the stub with the real API', async () => {
    let stub: unknown
    const refport = await loadScriptTag('https://www.acme.com/', {}, () => (stub = installSnippetStub()))
    expect(refport).not.toBe(stub)
    expect(typeof refport.getClickId).toBe('function')
  })

  it('an unknown queued call does not stop the calls after it', async () => {
    const refport = await loadScriptTag('https://www.acme.com/?refp_id=cl_1', { consent: 'pending' }, () => {
      const stub = installSnippetStub()
      stub('track', 'signup')
      stub('grantConsent')
    })
    expect(refport.getClickId()).toBe('cl_1')
  })
})

describe('the script on a page twice', () => {
  it('registers one click and keeps the first window.refport', async () => {
    const fetch = stubFetch()
    const first = await loadScriptTag('https://www.acme.com/?via=jane', { 'publishable-key': 'pk' })
    vi.resetModules()
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => null })
    await import('./script')
    await settle()

    expect(fetch).toHaveBeenCalledTimes(1)
    expect(page.refport).toBe(first)
    expect(first.getClickId()).toBe('cl_minted')
  })

  it('alongside an npm init() on the same page registers one click', async () => {
    const fetch = stubFetch()
    await loadScriptTag('https://www.acme.com/?via=jane', { 'publishable-key': 'pk' })
    vi.resetModules()
    const bundled = await import('./index')
    bundled.init({ publishableKey: 'pk' })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})

describe('script tag: calls queued before the file loaded count from the start', () => {
  it('a queued revokeConsent() means no cookie is ever written on a ?refp_id= landing', async () => {
    let writes: string[] = []
    await loadScriptTag('https://www.acme.com/?refp_id=cl_1', {}, () => {
      installSnippetStub()('revokeConsent')
      writes = recordCookieWrites()
    })
    await settle()
    expect(writes.filter((write) => write.startsWith('refp_id=cl_1'))).toEqual([])
    expect(document.cookie).toBe('')
  })

  it('a queued init() with options replaces the data-* configuration', async () => {
    const fetch = stubFetch()
    await loadScriptTag('https://www.acme.com/?ref=jane', { 'publishable-key': 'pk_data' }, () => {
      installSnippetStub()('init', { publishableKey: 'pk_queued', queryParams: ['ref'] })
    })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(JSON.parse(String(fetch.mock.calls[0]![1]!.body))).toMatchObject({
      publishableKey: 'pk_queued',
      key: 'jane',
    })
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
    await loadScriptTag('https://www.acme.com/?via=jane', { 'publishable-key': 'pk_test', 'timeout-ms': value })
    expect(fetch).toHaveBeenCalledTimes(1)
    await (fetch.mock.results[0]!.value as Promise<Response>).catch(() => {})
    await settle()
    expect(document.cookie).toBe('refp_id=cl_ok')
  })
})
