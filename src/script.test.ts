import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  documentCookieAt,
  freshPage,
  page,
  recordCookieWrites,
  setCookieAs,
  settle,
  stubFetch,
  useTrackerPage,
} from './test-utils'

useTrackerPage()

type Method = 'init' | 'getClickId' | 'grantConsent' | 'revokeConsent'

/** `window.refport` once the script ran: callable, with the methods attached. */
type Global = ((method: Method, ...args: unknown[]) => unknown) & {
  init(options?: object): void
  getClickId(): string | null
  grantConsent(): void
  revokeConsent(): void
  q?: IArguments[]
}

/** The snippet sites paste before the script tag, so calls made before it loads are kept. */
function installStub(): (...args: unknown[]) => void {
  const stub = function () {
    // biome-ignore lint/complexity/noArguments: the snippet queues the Arguments object itself
    // biome-ignore lint/suspicious/noAssignInExpressions: the snippet as pages paste it
    ;(stub.q = stub.q || []).push(arguments)
  } as ((...args: unknown[]) => void) & { q?: IArguments[] }
  page.refport = stub
  return stub
}

/**
 * Loads `src/script.ts` as the `<script>` tag `<script src=".../refport.js" data-…>` on a
 * fresh page at `url`: `document.currentScript` is the tag while the module evaluates.
 */
async function loadScript(url: string, data: Record<string, string> = {}, before?: () => void): Promise<Global> {
  await freshPage(url)
  delete page.refport
  before?.()
  const tag = document.createElement('script')
  for (const [name, value] of Object.entries(data)) tag.setAttribute(`data-${name}`, value)
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => tag })
  await import('./script')
  // A classic script's currentScript is null again once it has run.
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => null })
  return page.refport as Global
}

const stay = (event: Event): void => event.preventDefault()
beforeEach(() => addEventListener('click', stay))
afterEach(() => removeEventListener('click', stay))

describe('window.refport', () => {
  it('exposes init, getClickId, grantConsent and revokeConsent', async () => {
    const refport = await loadScript('https://www.acme.com/?refp_id=cl_1')
    expect(typeof refport).toBe('function')
    for (const method of ['init', 'getClickId', 'grantConsent', 'revokeConsent'] as const)
      expect(typeof refport[method]).toBe('function')
    expect(refport.getClickId()).toBe('cl_1')
  })

  it("is callable as refport('method', ...args)", async () => {
    const refport = await loadScript('https://www.acme.com/?refp_id=cl_1', { consent: 'pending' })
    expect(refport('getClickId')).toBeNull()
    refport('grantConsent')
    expect(refport('getClickId')).toBe('cl_1')
    refport('revokeConsent')
    expect(refport('getClickId')).toBeNull()
  })

  it('an unknown method name does not throw into the page', async () => {
    const refport = await loadScript('https://www.acme.com/')
    expect(() => refport('track' as Method, 'signup')).not.toThrow()
  })
})

describe('configuration from data-* attributes', () => {
  it('data-publishable-key, data-api-host and data-query-params ("ref, via") drive the click request', async () => {
    const fetch = stubFetch()
    const refport = await loadScript('https://www.acme.com/?ref=jane', {
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
      clickId: expect.stringMatching(/^[\w-]{22}$/),
      url: 'https://www.acme.com/?ref=jane',
      referrer: document.referrer,
    })
  })

  it.each([
    ['?via=bob', 'bob'],
    ['?ref=jane&via=bob', 'jane'],
  ])('data-query-params "ref, via" on %s registers %s', async (query, key) => {
    const fetch = stubFetch()
    await loadScript(`https://www.acme.com/${query}`, { 'publishable-key': 'pk', 'query-params': ' ref ,via ' })
    await settle()
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toMatchObject({ key })
  })

  it.each([[''], [' '], [',']])('data-query-params="%s" (left empty) keeps the default ?via=', async (value) => {
    const fetch = stubFetch()
    await loadScript('https://www.acme.com/?via=jane', { 'publishable-key': 'pk', 'query-params': value })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string)).toMatchObject({ key: 'jane' })
  })

  it('without data-api-host posts to https://api.refport.io', async () => {
    const fetch = stubFetch()
    await loadScript('https://www.acme.com/?via=jane', { 'publishable-key': 'pk' })
    await settle()
    expect(fetch.mock.calls[0]![0]).toBe('https://api.refport.io/track/click')
  })

  it('data-attribution-model="first-click" keeps an earlier click ID', async () => {
    const fetch = stubFetch()
    const refport = await loadScript(
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
    await loadScript('https://app.eu.acme.com/?refp_id=cl_1', { 'cookie-domain': 'eu.acme.com' })
    expect(writes.filter((write) => /^refp_id=[^;]/.test(write))).toEqual([
      'refp_id=cl_1; Path=/; Max-Age=7776000; Domain=eu.acme.com; SameSite=Lax; Secure',
    ])
    expect(documentCookieAt('https://www.eu.acme.com/')).toBe('refp_id=cl_1')
  })

  it('data-consent="pending" waits for refport("grantConsent")', async () => {
    const fetch = stubFetch()
    const refport = await loadScript('https://www.acme.com/?via=jane', { 'publishable-key': 'pk', consent: 'pending' })
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(document.cookie).toBe('')

    refport('grantConsent')
    await vi.waitFor(() => expect(refport.getClickId()).toBe('cl_minted'))
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('data-outbound-domains ("app.acme.io, *.acme.dev") decorates links to those hosts', async () => {
    await loadScript('https://www.acme.com/?refp_id=cl_1', { 'outbound-domains': 'app.acme.io, *.acme.dev' })
    const links = ['https://app.acme.io/x', 'https://docs.acme.dev/y', 'https://other.test/z'].map((href) => {
      const anchor = document.createElement('a')
      anchor.href = href
      document.body.append(anchor)
      anchor.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))
      return anchor.href
    })
    expect(links).toEqual(['https://app.acme.io/x?refp_id=cl_1', 'https://docs.acme.dev/y?refp_id=cl_1', 'https://other.test/z'])
  })

  it('data-debug turns on console logging; without it the script is silent', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    await loadScript('https://www.acme.com/?via=jane')
    await settle()
    expect(info).not.toHaveBeenCalled()

    await loadScript('https://www.acme.com/?via=jane', { debug: '' })
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
    const refport = await loadScript('https://www.acme.com/?refp_id=cl_debug', { debug: value })
    await settle()
    // Positive control: the tracker ran (the landing was stored) whether or not it logged.
    expect(refport.getClickId()).toBe('cl_debug')
    expect(info.mock.calls.length > 0).toBe(logs)
  })

  it('a tag without data-* attributes stores a ?refp_id= landing', async () => {
    const refport = await loadScript('https://www.acme.com/?refp_id=cl_plain')
    expect(refport.getClickId()).toBe('cl_plain')
  })

  it('works when document.currentScript is null (injected by a tag manager as a module)', async () => {
    await freshPage('https://www.acme.com/?refp_id=cl_1')
    delete page.refport
    Object.defineProperty(document, 'currentScript', { configurable: true, get: () => null })
    await import('./script')
    expect((page.refport as Global).getClickId()).toBe('cl_1')
  })
})

describe('calls queued before the script loaded', () => {
  it('are replayed in order (grant then revoke leaves no cookie)', async () => {
    const refport = await loadScript('https://www.acme.com/?refp_id=cl_1', { consent: 'pending' }, () => {
      const stub = installStub()
      stub('grantConsent')
      stub('revokeConsent')
    })
    expect(refport.getClickId()).toBeNull()
  })

  it('are replayed in order (revoke then grant stores the click)', async () => {
    const refport = await loadScript('https://www.acme.com/?refp_id=cl_1', { consent: 'pending' }, () => {
      const stub = installStub()
      stub('revokeConsent')
      stub('grantConsent')
    })
    expect(refport.getClickId()).toBe('cl_1')
  })

  it('a queued grantConsent registers the ?via= click once', async () => {
    const fetch = stubFetch()
    const refport = await loadScript('https://www.acme.com/?via=jane', { 'publishable-key': 'pk', consent: 'pending' }, () => {
      installStub()('grantConsent')
    })
    await vi.waitFor(() => expect(refport.getClickId()).toBe('cl_minted'))
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('replace the stub with the real API', async () => {
    let stub: unknown
    const refport = await loadScript('https://www.acme.com/', {}, () => (stub = installStub()))
    expect(refport).not.toBe(stub)
    expect(typeof refport.getClickId).toBe('function')
  })

  it('an unknown queued call does not stop the calls after it', async () => {
    const refport = await loadScript('https://www.acme.com/?refp_id=cl_1', { consent: 'pending' }, () => {
      const stub = installStub()
      stub('track', 'signup')
      stub('grantConsent')
    })
    expect(refport.getClickId()).toBe('cl_1')
  })
})

describe('the script on a page twice', () => {
  it('registers one click and keeps the first window.refport', async () => {
    const fetch = stubFetch()
    const first = await loadScript('https://www.acme.com/?via=jane', { 'publishable-key': 'pk' })
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
    await loadScript('https://www.acme.com/?via=jane', { 'publishable-key': 'pk' })
    vi.resetModules()
    const bundled = await import('./index')
    bundled.init({ publishableKey: 'pk' })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
  })
})
