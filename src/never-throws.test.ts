/**
 * "Never break the host": whatever the network, the API, the page or the caller does,
 * the tracker neither throws into the page nor leaves an unhandled promise rejection
 * (useTrackerPage fails any test that leaves one), and it stores nothing it did not
 * validate.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest'
import {
  breakDocumentCookie,
  clickResponse,
  loadTracker,
  recordCookieWrites,
  setCookieAs,
  settle,
  stubFetch,
  useTrackerPage,
  withoutCrypto,
  type Tracker,
} from '@refport/test-support/tracker-page'
import { nextClickIdEvent } from '@refport/test-support/click-id-event'
import { isMintedClickId } from '@refport/test-support/click-ids'

useTrackerPage()

/** Runs every public call on a `?via=jane` landing and expects none of them to throw. */
async function exercise(
  tracker: Tracker,
  options: Parameters<Tracker['init']>[0] = { publishableKey: 'pk_test' },
): Promise<void> {
  expect(() => tracker.init(options)).not.toThrow()
  await settle()
  expect(() => tracker.getClickId()).not.toThrow()
  expect(() => tracker.grantConsent()).not.toThrow()
  await settle()
}

describe('a click request that fails stores nothing and throws nothing on the request-first path (no crypto)', () => {
  beforeEach(withoutCrypto)
  it.each<[string, () => Response | Promise<Response>]>([
    ['fetch rejects (offline, blocked by an ad blocker)', () => Promise.reject(new TypeError('Failed to fetch'))],
    [
      'fetch throws synchronously',
      () => {
        throw new TypeError('Illegal invocation')
      },
    ],
    ['a non-JSON 200 body', () => new Response('<html>proxy error</html>', { status: 200 })],
    ['an empty 200 body', () => new Response('', { status: 200 })],
    ['a 500 that still carries a clickId', () => clickResponse({ clickId: 'cl_from_500' }, 500)],
    ['a 404', () => clickResponse({ error: { code: 'not_found', message: 'unknown key' } }, 404)],
    ['a 429', () => clickResponse({ error: { code: 'rate_limited', message: 'slow down' } }, 429)],
    ['a redirect-like 302 with a clickId', () => clickResponse({ clickId: 'cl_302' }, 302)],
    ['JSON without clickId', () => clickResponse({ partner: { key: 'jane' } })],
    ['JSON null', () => clickResponse('null')],
    ['a JSON array', () => clickResponse('[{"clickId":"cl_1"}]')],
    ['a JSON string', () => clickResponse('"cl_1"')],
    ['a JSON number', () => clickResponse('42')],
    ['truncated JSON', () => clickResponse('{"clickId":"cl_')],
  ])('%s', async (_, respond) => {
    const fetch = stubFetch(respond)
    const writes = recordCookieWrites()
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    await exercise(tracker)

    expect(fetch).toHaveBeenCalledTimes(1)
    expect(tracker.getClickId()).toBeNull()
    expect(writes.filter((write) => /^refp_id=[^;]/.test(write))).toEqual([])
    expect(location.href).toBe('https://www.acme.com/?via=jane')
  })

  it('fetch missing altogether', async () => {
    vi.stubGlobal('fetch', undefined)
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    await exercise(tracker)
    expect(tracker.getClickId()).toBeNull()
  })
})

describe('a hostile clickId in the API answer is never written on the request-first path (no crypto)', () => {
  beforeEach(withoutCrypto)
  it.each<[string, unknown]>([
    ['semicolon', 'a;b'],
    ['attribute injection', 'x; Domain=evil.test; Path=/'],
    ['CR/LF header injection', 'x\r\nSet-Cookie: y=1'],
    ['HTML', '<script>alert(1)</script>'],
    ['10 KB', 'a'.repeat(10 * 1024)],
    ['129 characters', 'a'.repeat(129)],
    ['unicode', 'cl_été'],
    ['emoji', 'cl_😀'],
    ['empty string', ''],
    ['space', 'cl 1'],
    ['NUL', 'cl\u00001'],
    ['a number', 12345],
    ['an object', { id: 'cl_1' }],
    ['an array', ['cl_1']],
    ['true', true],
    ['null', null],
  ])('%s', async (_, clickId) => {
    stubFetch(() => clickResponse({ clickId, partner: { key: 'jane' } }))
    const writes = recordCookieWrites()
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    const listener = vi.fn()
    addEventListener('refport:clickid', listener)
    await exercise(tracker)
    removeEventListener('refport:clickid', listener)

    expect(tracker.getClickId()).toBeNull()
    expect(document.cookie).toBe('')
    expect(writes).toEqual([])
    expect(listener).not.toHaveBeenCalled()
  })
})

describe('click timeout on the request-first path (no crypto)', () => {
  beforeEach(withoutCrypto)
  /** A fetch that, like the real one, rejects with the signal's reason when it aborts. */
  function fetchHonouringSignal(): { aborted: Promise<unknown>; answer: (response: Response) => void } {
    let answer!: (response: Response) => void
    let onAbort!: (reason: unknown) => void
    const aborted = new Promise((resolve) => (onAbort = resolve))
    stubFetch(
      (_, init) =>
        new Promise<Response>((resolve, reject) => {
          answer = resolve
          init!.signal!.addEventListener('abort', () => {
            reject(init!.signal!.reason)
            onAbort(init!.signal!.reason)
          })
        }),
    )
    return { aborted, answer: (response) => answer(response) }
  }

  it('defaults to a generous 8 seconds', async () => {
    const timeout = vi.spyOn(AbortSignal, 'timeout')
    stubFetch()
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    const stored = nextClickIdEvent()
    tracker.init({ publishableKey: 'pk_test' })
    await stored
    expect(timeout).toHaveBeenCalledWith(8000)
  })

  it('an answer arriving after timeoutMs is not stored', async () => {
    const { aborted, answer } = fetchHonouringSignal()
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    tracker.init({ publishableKey: 'pk_test', timeoutMs: 20 })

    expect(await aborted).toMatchObject({ name: 'TimeoutError' })
    answer(clickResponse({ clickId: 'cl_late' }))
    await settle()
    expect(tracker.getClickId()).toBeNull()
    expect(document.cookie).toBe('')
  })

  it('a body still streaming at timeoutMs is not stored', async () => {
    stubFetch((_, init) => {
      const encoder = new TextEncoder()
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(encoder.encode('{"clickId":"cl_'))
          // The rest never comes; the real fetch errors the body stream on abort.
          init!.signal!.addEventListener('abort', () => controller.error(init!.signal!.reason))
        },
      })
      return new Response(body, { status: 200 })
    })
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    tracker.init({ publishableKey: 'pk_test', timeoutMs: 20 })
    const [, init] = await vi.waitFor(() => vi.mocked(fetch).mock.calls[0]!)
    await new Promise((resolve) => init!.signal!.addEventListener('abort', resolve))
    await settle()
    expect(tracker.getClickId()).toBeNull()
  })

  it('still registers the click where AbortSignal.timeout is missing (Safari < 16)', async () => {
    // Shadows the inherited static for this test only.
    Object.defineProperty(AbortSignal, 'timeout', { configurable: true, value: undefined })
    try {
      const fetch = stubFetch()
      const tracker = await loadTracker('https://www.acme.com/?via=jane')
      const stored = nextClickIdEvent()
      tracker.init({ publishableKey: 'pk_test' })
      expect(await stored).toBe('cl_minted')
      expect(fetch.mock.calls[0]![1]!.signal).toBeUndefined()
    } finally {
      delete (AbortSignal as unknown as Record<string, unknown>).timeout
    }
  })
})

describe('document.cookie throwing (sandboxed iframe)', () => {
  it.each([
    ['read and write throw', { read: true, write: true }],
    ['only reading throws', { read: true, write: false }],
    ['only writing throws', { read: false, write: true }],
  ])('%s: every call returns quietly, getClickId() is null', async (_, broken) => {
    stubFetch()
    const tracker = await loadTracker('https://www.acme.com/?via=jane&refp_id=cl_1')
    breakDocumentCookie(broken)
    await exercise(tracker, { publishableKey: 'pk_test', outboundDomains: ['app.acme.io'] })
    expect(() => tracker.revokeConsent()).not.toThrow()
    const anchor = document.createElement('a')
    anchor.href = 'https://app.acme.io/'
    document.body.append(anchor)
    const stay = (event: Event): void => event.preventDefault()
    addEventListener('click', stay)
    expect(() => anchor.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))).not.toThrow()
    removeEventListener('click', stay)
    expect(tracker.getClickId()).toBeNull()
  })

  it('getClickId() is null before init() too', async () => {
    const { getClickId } = await loadTracker('https://www.acme.com/')
    breakDocumentCookie()
    expect(getClickId()).toBeNull()
  })
})

describe('a page with broken or missing browser APIs', () => {
  it('history.replaceState throwing: the click ID is still stored', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    vi.spyOn(history, 'replaceState').mockImplementation(() => {
      throw new DOMException('Blocked', 'SecurityError')
    })
    expect(() => init()).not.toThrow()
    await settle()
    expect(getClickId()).toBe('cl_1')
  })

  it('performance.getEntriesByType missing: counts as a first visit', async () => {
    const fetch = stubFetch()
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    // Shadows the spy loadTracker installed; restoreAllMocks (after the test) removes both.
    Object.defineProperty(performance, 'getEntriesByType', { configurable: true, writable: true, value: undefined })
    await exercise(tracker)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(tracker.getClickId()).toBe('cl_minted')
  })

  it('performance.getEntriesByType throwing: the click is still registered and stored', async () => {
    const fetch = stubFetch(async (_, init) => clickResponse({ clickId: JSON.parse(init!.body as string).clickId }))
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    vi.spyOn(performance, 'getEntriesByType').mockImplementation(() => {
      throw new Error('blocked by a privacy extension')
    })
    await exercise(tracker)
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(tracker.getClickId()).toSatisfy(isMintedClickId)
    expect(JSON.parse(fetch.mock.calls[0]![1]!.body as string).clickId).toBe(tracker.getClickId())
  })

  it('performance.getEntriesByType throwing on a same-site revisit: the referrer rule still counts it once (control)', async () => {
    const fetch = stubFetch()
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    setCookieAs('https://www.acme.com/', 'refp_id=cl_1; Path=/; Domain=acme.com')
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://www.acme.com/blog')
    vi.spyOn(performance, 'getEntriesByType').mockImplementation(() => {
      throw new Error('blocked by a privacy extension')
    })
    await exercise(tracker)
    expect(fetch).not.toHaveBeenCalled()
    expect(tracker.getClickId()).toBe('cl_1')
  })

  it('CustomEvent missing: the click ID is still stored', async () => {
    const tracker = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    vi.stubGlobal('CustomEvent', undefined)
    await exercise(tracker, {})
    expect(tracker.getClickId()).toBe('cl_1')
    expect(() => tracker.revokeConsent()).not.toThrow()
  })

  it('debug: true on a page whose console.info throws', async () => {
    vi.spyOn(console, 'info').mockImplementation(() => {
      throw new Error('console disabled by the embed')
    })
    const tracker = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    await exercise(tracker, { debug: true })
    expect(() => tracker.init({ debug: true })).not.toThrow()
    await settle()
    expect(tracker.getClickId()).toBe('cl_1')
  })
})

describe('hostile options', () => {
  // Outcome: 'minted' (the click ID was minted and stored), 'none' (nothing stored, nothing sent).
  it.each<[string, unknown, 'minted' | 'none']>([
    ['null', null, 'none'],
    ['a string', 'pk_test', 'none'],
    ['queryParams as a string', { publishableKey: 'pk_test', queryParams: 'via' }, 'none'],
    ['queryParams with non-strings', { publishableKey: 'pk_test', queryParams: [null, 42, {}] }, 'none'],
    ['outboundDomains as a string', { publishableKey: 'pk_test', outboundDomains: 'app.acme.io' }, 'minted'],
    ['outboundDomains with null', { publishableKey: 'pk_test', outboundDomains: [null] }, 'minted'],
    // The cookie is written before the request, so a broken apiHost loses nothing: the
    // click stays pending for a later page.
    ['apiHost as a number', { publishableKey: 'pk_test', apiHost: 42 }, 'minted'],
    ['a negative timeoutMs', { publishableKey: 'pk_test', timeoutMs: -1 }, 'minted'],
    ['timeoutMs NaN', { publishableKey: 'pk_test', timeoutMs: Number.NaN }, 'minted'],
    ['cookieOptions null', { publishableKey: 'pk_test', cookieOptions: null }, 'minted'],
    ['expiresInDays NaN', { publishableKey: 'pk_test', cookieOptions: { expiresInDays: Number.NaN } }, 'minted'],
  ])('init(%s) does not throw', async (_, options, outcome) => {
    stubFetch(() => new Promise<Response>(() => {}))
    const tracker = await loadTracker('https://www.acme.com/?via=jane')
    await exercise(tracker, options as never)
    if (outcome === 'minted') expect(tracker.getClickId()).toSatisfy(isMintedClickId)
    else expect(tracker.getClickId()).toBeNull()
    const anchor = document.createElement('a')
    anchor.href = 'https://app.acme.io/'
    document.body.append(anchor)
    const stay = (event: Event): void => event.preventDefault()
    addEventListener('click', stay)
    expect(() => anchor.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }))).not.toThrow()
    removeEventListener('click', stay)
  })

  it.each([
    ['attribute injection', 'acme.com; Path=/admin'],
    ['CR/LF', 'acme.com\r\nX: y'],
    ['space', 'acme .com'],
    ['another site', 'evil.test'],
  ])('cookieOptions.domain with %s writes no cookie carrying it', async (_, domain) => {
    const writes = recordCookieWrites()
    const { init } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    expect(() => init({ cookieOptions: { domain } })).not.toThrow()
    await settle()
    for (const write of writes) expect(write).not.toMatch(/admin|X: y|acme \.com/)
    expect(document.cookie).not.toContain('admin')
  })

  it.each([
    ['attribute injection', '/; Domain=evil.test'],
    ['no leading slash', 'app'],
    ['CR/LF', '/\r\nX: y'],
  ])('cookieOptions.path with %s writes no cookie carrying it', async (_, path) => {
    const writes = recordCookieWrites()
    const { init } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    expect(() => init({ cookieOptions: { path } })).not.toThrow()
    await settle()
    for (const write of writes) expect(write).not.toMatch(/evil|X: y|Path=app/)
  })
})

describe('cookieOptions: null (a config file that nulls what it does not set)', () => {
  it('stores, resends and revokes as with no cookieOptions', async () => {
    stubFetch(() => clickResponse({ error: { code: 'rate_limited', message: 'later' } }, 429))
    const tracker = await loadTracker('https://www.acme.com/pricing')
    setCookieAs('https://www.acme.com/', 'refp_id=cl_1; Path=/; Domain=acme.com')
    setCookieAs('https://www.acme.com/', 'refp_pending=cl_1|jane|; Path=/; Domain=acme.com')
    tracker.init({ publishableKey: 'pk_test', cookieOptions: null } as never)
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1))
    expect(() => tracker.revokeConsent()).not.toThrow()
    expect(document.cookie).toBe('')
  })
})
