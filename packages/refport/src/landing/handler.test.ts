import { readPagePartner, readPendingClick, type ServerClickRequest } from '@refport/contract'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseSetCookie, type ParsedSetCookie } from '@refport/test-support/set-cookie'
import { createRefportLanding, type LandingResult } from './handler'
import type { RefportLandingOptions } from './options'
import { isMintedClickId } from '@refport/test-support/click-ids'

const NAVIGATE = {
  'sec-fetch-dest': 'document',
  'sec-fetch-mode': 'navigate',
  accept: 'text/html',
  'user-agent': 'TestBrowser/1.0',
}
const NINETY_DAYS = String(90 * 86400)

interface Call {
  url: string
  authorization: string | null
  body: ServerClickRequest
}

type Answer = { status: number; body?: unknown } | 'hang' | 'network-error'

/** A stand-in for the Refport API: records each click and answers as told (default: registers it). */
function fakeApi(
  answer: (click: ServerClickRequest) => Answer = (click) => ({ status: 200, body: { clickId: click.clickId } }),
) {
  const calls: Call[] = []
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as ServerClickRequest
    calls.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization'), body })
    const reply = answer(body)
    if (reply === 'network-error') throw new TypeError('fetch failed')
    if (reply === 'hang')
      return new Promise<Response>((_, reject) =>
        init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)),
      )
    return new Response(JSON.stringify(reply.body ?? { error: { code: 'x', message: 'x' } }), { status: reply.status })
  }) as typeof globalThis.fetch
  return { calls, fetch }
}

function landing(options: RefportLandingOptions = {}, api = fakeApi()) {
  const handle = createRefportLanding({ apiKey: 'sk_test', baseUrl: 'https://api.test', fetch: api.fetch, ...options })
  const visit = (url: string, headers: Record<string, string> = {}, ip?: string) =>
    handle(new Request(url, { headers: { ...NAVIGATE, ...headers } }), ip === undefined ? {} : { ip })
  return { visit, api }
}

const cookie = (result: LandingResult, name = 'refp_id'): ParsedSetCookie | undefined =>
  result.setCookies.map(parseSetCookie).find((c) => c.name === name)

afterEach(() => vi.restoreAllMocks())

describe('a ?via= landing: the click is registered server to server and the cookie set from the server', () => {
  it('mints a click ID, sends it with the Bearer key, the user agent, IP, URL and referrer, and stores the same ID for 90 days', async () => {
    const { visit, api } = landing()
    const result = await visit(
      'https://www.acme.com/pricing?via=jane&plan=pro',
      { referer: 'https://blog.jane.test/post' },
      '203.0.113.7',
    )

    expect(result.action).toBe('registered')
    expect(api.calls).toHaveLength(1)
    const [call] = api.calls
    expect(call!.url).toBe('https://api.test/track/click')
    expect(call!.authorization).toBe('Bearer sk_test')
    expect(call!.body).toEqual({
      key: 'jane',
      clickId: expect.toSatisfy(isMintedClickId),
      url: 'https://www.acme.com/pricing?via=jane&plan=pro',
      referrer: 'https://blog.jane.test/post',
      userAgent: 'TestBrowser/1.0',
      ip: '203.0.113.7',
    })
    expect(cookie(result)).toEqual({
      name: 'refp_id',
      value: call!.body.clickId,
      attributes: { path: '/', 'max-age': NINETY_DAYS, domain: 'acme.com', samesite: 'Lax', secure: true },
    })
    expect(result.cacheControl).toBe('private, no-store')
    expect(result.redirectTo).toBeNull()
    expect(result.pending).toBeNull()
  })

  it('marks the landing as handled for the tracker on the page: refp_landed = the click ID, host-only, one minute', async () => {
    const { visit, api } = landing()
    const result = await visit('https://www.acme.com/?via=jane')
    expect(cookie(result, 'refp_landed')).toEqual({
      name: 'refp_landed',
      value: api.calls[0]!.body.clickId,
      attributes: { path: '/', 'max-age': '60', samesite: 'Lax', secure: true },
    })
  })

  it("keeps the answer's partner and discount for the page where the tracker reads them (refp_partner, same Domain and lifetime)", async () => {
    const partner = { key: 'jane', name: 'Jane Doe', avatarUrl: 'https://cdn.test/jane.png' }
    const discount = { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 }
    const api = fakeApi((click) => ({ status: 200, body: { clickId: click.clickId, partner, discount } }))
    const result = await landing({}, api).visit('https://www.acme.com/?via=jane')
    const set = cookie(result, 'refp_partner')!
    expect(set.attributes).toMatchObject({ domain: 'acme.com', 'max-age': NINETY_DAYS, secure: true })
    const clickId = api.calls[0]!.body.clickId
    expect(readPagePartner(`refp_id=${clickId}; refp_partner=${set.value}`)).toEqual({ ...partner, discount })
  })

  it('writes no refp_partner for a partner answer that is not valid (markup in the name)', async () => {
    const api = fakeApi((click) => ({
      status: 200,
      body: {
        clickId: click.clickId,
        partner: { key: 'jane', name: '<img src=x onerror=alert(1)>', avatarUrl: null },
        discount: null,
      },
    }))
    const result = await landing({}, api).visit('https://www.acme.com/?via=jane')
    expect(cookie(result)).toBeDefined()
    expect(cookie(result, 'refp_partner')).toBeUndefined()
  })

  it('marks an unconfirmed click pending (refp_pending), so a tracker on a later page resends it with the same ID', async () => {
    const api = fakeApi(() => ({ status: 503 }))
    const result = await landing({}, api).visit('https://www.acme.com/?via=jane', { cookie: 'refp_id=cl_before' })
    const clickId = api.calls[0]!.body.clickId
    const pending = cookie(result, 'refp_pending')!
    expect(pending.attributes).toMatchObject({ domain: 'acme.com', 'max-age': NINETY_DAYS })
    expect(readPendingClick(`refp_id=${clickId}; refp_pending=${pending.value}`)).toEqual({
      clickId,
      key: 'jane',
      previous: 'cl_before',
    })
  })

  it('adopts a different valid click ID the API answers with, and keeps its own when the answer is not one', async () => {
    const adopted = await landing(
      {},
      fakeApi(() => ({ status: 200, body: { clickId: 'api_minted_1' } })),
    ).visit('https://www.acme.com/?via=jane')
    expect(cookie(adopted)?.value).toBe('api_minted_1')
    const api = fakeApi(() => ({ status: 200, body: { clickId: 'bad;Domain=evil.test' } }))
    const kept = await landing({}, api).visit('https://www.acme.com/?via=jane')
    expect(cookie(kept)?.value).toBe(api.calls[0]!.body.clickId)
  })

  it.each([404, 409, 401, 422])('sets no cookie when the API refuses the click for good (%i)', async (status) => {
    const { visit, api } = landing(
      {},
      fakeApi(() => ({ status })),
    )
    const result = await visit('https://www.acme.com/?via=ghost')
    expect(api.calls).toHaveLength(1)
    expect(result.action).toBe('rejected')
    expect(result.setCookies).toEqual([])
    expect(result.cacheControl).toBeNull()
  })

  it("a refused click keeps the visitor's previous click (renewed, not replaced)", async () => {
    const { visit } = landing(
      {},
      fakeApi(() => ({ status: 404 })),
    )
    const result = await visit('https://www.acme.com/?via=ghost', { cookie: 'refp_id=cl_previous' })
    expect(result.action).toBe('rejected')
    expect(cookie(result)?.value).toBe('cl_previous')
    expect(cookie(result, 'refp_landed')).toBeUndefined()
  })

  it.each<[string, Answer]>([
    ['a 503', { status: 503 }],
    ['a 429', { status: 429 }],
    ['a 408', { status: 408 }],
    ['a network error', 'network-error'],
  ])('sets the cookie when the API answers %s: the click is not lost, only unconfirmed', async (_name, answer) => {
    const { visit, api } = landing(
      {},
      fakeApi(() => answer),
    )
    const result = await visit('https://www.acme.com/?via=jane')
    expect(result.action).toBe('unconfirmed')
    expect(cookie(result)?.value).toBe(api.calls[0]!.body.clickId)
    expect(result.cacheControl).toBe('private, no-store')
  })

  it('serves the page within the wait when the API hangs, and hands the click still running to waitUntil', async () => {
    const { visit, api } = landing(
      { waitMs: 150, clickTimeoutMs: 400 },
      fakeApi(() => 'hang'),
    )
    const started = performance.now()
    const result = await visit('https://www.acme.com/?via=jane')
    const waited = performance.now() - started
    expect(waited).toBeGreaterThanOrEqual(140)
    expect(waited).toBeLessThan(400)
    expect(result.action).toBe('unconfirmed')
    expect(cookie(result)?.value).toBe(api.calls[0]!.body.clickId)
    expect(result.pending).toBeInstanceOf(Promise)
    // The click request is given up after clickTimeoutMs; `pending` settles then, without rejecting.
    await expect(result.pending).resolves.toBeUndefined()
    expect(performance.now() - started).toBeGreaterThanOrEqual(390)
  })

  it('reads another partner-key parameter when queryParams says so', async () => {
    const { visit, api } = landing({ queryParams: ['ref', 'via'] })
    await visit('https://www.acme.com/?ref=jane')
    expect(api.calls.map((call) => call.body.key)).toEqual(['jane'])
  })
})

describe('a ?refp_id= landing (a short link already registered the click)', () => {
  it('stores the click ID as is, with no request to the API', async () => {
    const { visit, api } = landing()
    const result = await visit('https://www.acme.com/?refp_id=cl_7Hq2Lk')
    expect(result.action).toBe('stored')
    expect(cookie(result)).toMatchObject({
      value: 'cl_7Hq2Lk',
      attributes: { 'max-age': NINETY_DAYS, domain: 'acme.com' },
    })
    expect(api.calls).toEqual([])
  })

  it('is stored without an API key too', async () => {
    vi.stubEnv('REFPORT_API_KEY', '')
    const handle = createRefportLanding({ fetch: fakeApi().fetch })
    const result = await handle(new Request('https://www.acme.com/?refp_id=cl_1', { headers: NAVIGATE }))
    expect(cookie(result)?.value).toBe('cl_1')
  })
})

describe('hostile parameters are ignored: no cookie, no click', () => {
  it.each([
    ['refp_id', 'a;Domain=evil.test'],
    ['refp_id', 'a b'],
    ['refp_id', 'x'.repeat(129)],
    ['refp_id', '<script>'],
    ['refp_id', ''],
    ['refp_id', 'cl_1\r\nSet-Cookie: admin=1'],
    ['via', 'jane;Domain=evil.test'],
    ['via', '../../admin'],
    ['via', 'x'.repeat(129)],
    ['via', ''],
    ['via', 'jane%00'],
    ['via', 'ja ne'],
  ])('?%s=%j', async (param, value) => {
    const { visit, api } = landing()
    const result = await visit(`https://www.acme.com/?${param}=${encodeURIComponent(value)}`)
    expect(result.setCookies).toEqual([])
    expect(api.calls).toEqual([])
    // Positive control: the same middleware acts on a good value.
    expect((await visit(`https://www.acme.com/?${param}=jane_ok`)).setCookies).not.toEqual([])
  })
})

describe('reload, first-click and last-click', () => {
  it('a reload of a landing the server handled (refp_landed = refp_id) is not a second click', async () => {
    const { visit, api } = landing()
    const first = await visit('https://www.acme.com/?via=jane')
    const clickId = cookie(first)!.value
    const reload = await visit('https://www.acme.com/?via=jane', {
      cookie: `refp_id=${clickId}; refp_landed=${clickId}; refp_renewed=${clickId}`,
    })
    expect(api.calls).toHaveLength(1)
    expect(reload.action).toBe('none')
  })

  it('last-click (default): a new partner link replaces the stored click', async () => {
    const { visit, api } = landing()
    const result = await visit('https://www.acme.com/?via=bob', { cookie: 'refp_id=cl_jane' })
    expect(api.calls.map((call) => call.body.key)).toEqual(['bob'])
    expect(cookie(result)?.value).toBe(api.calls[0]!.body.clickId)
  })

  it('first-click: a stored click is kept, no new click is sent; a first landing is still recorded', async () => {
    const { visit, api } = landing({ attributionModel: 'first-click' })
    const kept = await visit('https://www.acme.com/?via=bob', { cookie: 'refp_id=cl_jane' })
    expect(api.calls).toEqual([])
    expect(cookie(kept)?.value).toBe('cl_jane')
    const keptId = await visit('https://www.acme.com/?refp_id=cl_other', { cookie: 'refp_id=cl_jane' })
    expect(cookie(keptId)?.value).toBe('cl_jane')
    const fresh = await visit('https://www.acme.com/?via=bob')
    expect(api.calls).toHaveLength(1)
    expect(cookie(fresh)?.value).toBe(api.calls[0]!.body.clickId)
  })
})

describe('renewal: a later page load re-issues a valid refp_id with its full lifetime, at most once a day', () => {
  it('re-issues the stored ID with Max-Age 90 days and a one-day marker', async () => {
    const { visit, api } = landing()
    const result = await visit('https://www.acme.com/pricing', { cookie: 'theme=dark; refp_id=cl_7Hq2Lk' })
    expect(result.action).toBe('renewed')
    expect(cookie(result)).toMatchObject({
      value: 'cl_7Hq2Lk',
      attributes: { 'max-age': NINETY_DAYS, domain: 'acme.com' },
    })
    expect(cookie(result, 'refp_renewed')).toMatchObject({ value: 'cl_7Hq2Lk', attributes: { 'max-age': '86400' } })
    expect(result.cacheControl).toBe('private, no-store')
    expect(api.calls).toEqual([])
  })

  it("renews the tracker's companions of the stored click (partner, pending) with it, and no stale one", async () => {
    const { visit } = landing()
    const result = await visit('https://www.acme.com/pricing', {
      cookie: 'refp_id=cl_1; refp_partner=cl_1|jane|Jane%20Doe|||||; refp_pending=cl_1|jane|',
    })
    expect(cookie(result, 'refp_partner')).toMatchObject({
      value: 'cl_1|jane|Jane%20Doe|||||',
      attributes: { 'max-age': NINETY_DAYS, domain: 'acme.com' },
    })
    expect(cookie(result, 'refp_pending')).toMatchObject({
      value: 'cl_1|jane|',
      attributes: { 'max-age': NINETY_DAYS },
    })
    const stale = await visit('https://www.acme.com/pricing', {
      cookie: 'refp_id=cl_2; refp_partner=cl_1|jane|Jane%20Doe|||||',
    })
    expect(cookie(stale)?.value).toBe('cl_2')
    expect(cookie(stale, 'refp_partner')).toBeUndefined()
  })

  it('is throttled: while the marker names the stored ID, nothing is set', async () => {
    const { visit } = landing()
    const result = await visit('https://www.acme.com/pricing', { cookie: 'refp_id=cl_7Hq2Lk; refp_renewed=cl_7Hq2Lk' })
    expect(result).toMatchObject({ action: 'none', setCookies: [], cacheControl: null })
  })

  it('renews at once a click ID the tracker wrote since (the marker names another one)', async () => {
    const { visit } = landing()
    const result = await visit('https://www.acme.com/pricing', { cookie: 'refp_id=cl_new; refp_renewed=cl_old' })
    expect(cookie(result)?.value).toBe('cl_new')
  })

  it('never renews an invalid stored value', async () => {
    const { visit } = landing()
    expect((await visit('https://www.acme.com/', { cookie: 'refp_id=a%3Bb' })).setCookies).toEqual([])
  })

  it('finds refp_id at the end of a 16 KB Cookie header, quickly', async () => {
    const { visit } = landing()
    const filler = Array.from({ length: 400 }, (_, i) => `c${i}=${'v'.repeat(36)}`).join('; ')
    expect(filler.length).toBeGreaterThan(16_000)
    const started = performance.now()
    const result = await visit('https://www.acme.com/', { cookie: `${filler}; refp_id=cl_tail` })
    expect(performance.now() - started).toBeLessThan(100)
    expect(cookie(result)?.value).toBe('cl_tail')
  })

  it('a 16 KB hostile Cookie header (no pair separators, quotes, no value) sets nothing and does not stall', async () => {
    const { visit } = landing()
    for (const hostile of [
      `refp_id=${'a'.repeat(16_384)}`,
      `refp_id="${'"'.repeat(16_384)}`,
      ';'.repeat(16_384),
      ' refp_id ='.repeat(1600),
    ]) {
      const started = performance.now()
      const result = await visit('https://www.acme.com/', { cookie: hostile })
      expect(performance.now() - started).toBeLessThan(100)
      expect(result.setCookies).toEqual([])
    }
  })
})

describe('requests the middleware leaves untouched even with ?via=', () => {
  it.each<[string, Record<string, string>, string]>([
    ['a prefetch', { 'sec-purpose': 'prefetch' }, '/?via=jane'],
    ['a Next.js router prefetch', { 'next-router-prefetch': '1' }, '/?via=jane'],
    ['an RSC request', { rsc: '1', 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' }, '/?via=jane'],
    ['an API route', {}, '/api/session?via=jane'],
    ['an asset', {}, '/app.js?via=jane'],
  ])('%s', async (_name, headers, path) => {
    const { visit, api } = landing()
    const result = await visit(`https://www.acme.com${path}`, { ...headers, cookie: 'refp_id=cl_1' })
    expect(result).toMatchObject({ action: 'none', setCookies: [] })
    expect(api.calls).toEqual([])
    // Positive control: the same landing as a page load is handled.
    expect((await visit('https://www.acme.com/?via=jane')).action).toBe('registered')
  })
})

describe('consent', () => {
  it.each<[string, string | undefined]>([
    ['no consent cookie yet', undefined],
    ['consent refused', 'denied'],
    ['consent withdrawn', 'false'],
    ['an empty value', ''],
  ])('with consentCookie, does nothing on %s', async (_name, value) => {
    const { visit, api } = landing({ consentCookie: 'cookie_consent' })
    const cookieHeader = `refp_id=cl_1${value === undefined ? '' : `; cookie_consent=${value}`}`
    expect(await visit('https://www.acme.com/?via=jane', { cookie: cookieHeader })).toMatchObject({
      action: 'none',
      setCookies: [],
    })
    expect(await visit('https://www.acme.com/', { cookie: cookieHeader })).toMatchObject({
      action: 'none',
      setCookies: [],
    })
    expect(api.calls).toEqual([])
  })

  it.each(['granted', 'true', 'yes', '1', 'accepted', '"granted"'])(
    'acts once the consent cookie is %s',
    async (value) => {
      const { visit, api } = landing({ consentCookie: 'cookie_consent' })
      const result = await visit('https://www.acme.com/?via=jane', { cookie: `cookie_consent=${value}` })
      expect(result.action).toBe('registered')
      expect(api.calls).toHaveLength(1)
    },
  )

  it("reads a consent manager's own format through isConsentGranted", async () => {
    const { visit } = landing({
      consentCookie: 'cmp',
      isConsentGranted: (value) => decodeURIComponent(value).includes('marketing:1'),
    })
    expect(
      (await visit('https://www.acme.com/?via=jane', { cookie: 'cmp=analytics%3A1%2Cmarketing%3A0' })).action,
    ).toBe('none')
    expect(
      (await visit('https://www.acme.com/?via=jane', { cookie: 'cmp=analytics%3A1%2Cmarketing%3A1' })).action,
    ).toBe('registered')
  })
})

describe('without an API key', () => {
  it('an empty apiKey counts as missing and is named as such', async () => {
    vi.stubEnv('REFPORT_API_KEY', '')
    const warn = vi.fn()
    const { createLandingHandler } = await import('./handler')
    const handle = createLandingHandler({ apiKey: '', fetch: fakeApi().fetch }, { warn })
    await handle(new Request('https://www.acme.com/?via=jane', { headers: NAVIGATE }))
    expect(warn.mock.calls[0]![0]).toMatch(/no API key: pass \{ apiKey \} or set REFPORT_API_KEY/)
  })

  it('an API key with a stray newline is named, without the key itself', async () => {
    const warn = vi.fn()
    const { createLandingHandler } = await import('./handler')
    const handle = createLandingHandler({ apiKey: 'sk_secret\n', fetch: fakeApi().fetch }, { warn })
    await handle(new Request('https://www.acme.com/?via=jane', { headers: NAVIGATE }))
    expect(warn.mock.calls[0]![0]).toMatch(/the API key starts or ends with whitespace/)
    expect(warn.mock.calls[0]![0]).not.toContain('sk_secret')
  })

  it('leaves ?via= to the tracker and says why once, clearly', async () => {
    vi.stubEnv('REFPORT_API_KEY', '')
    const warn = vi.fn()
    const { createLandingHandler } = await import('./handler')
    const api = fakeApi()
    const handle = createLandingHandler({ fetch: api.fetch }, { warn })
    for (let i = 0; i < 3; i++) {
      const result = await handle(new Request('https://www.acme.com/?via=jane', { headers: NAVIGATE }))
      expect(result.setCookies).toEqual([])
    }
    expect(api.calls).toEqual([])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]![0]).toMatch(
      /\?via= landings to the browser tracker: no API key: pass \{ apiKey \} or set REFPORT_API_KEY\. \?refp_id= links are still stored/,
    )
  })
})

describe('cookie attributes from the host', () => {
  it.each<[string, string | undefined, boolean | undefined]>([
    ['https://foo.github.io/?via=jane', 'foo.github.io', true],
    ['https://www.acme.co.uk/?via=jane', 'acme.co.uk', true],
    ['http://localhost:3000/?via=jane', undefined, undefined],
    ['http://127.0.0.1:3000/?via=jane', undefined, undefined],
    ['http://[::1]:3000/?via=jane', undefined, undefined],
    ['https://[2001:db8::1]/?via=jane', undefined, true],
  ])('%s → Domain %s, Secure %s', async (url, domain, secure) => {
    const result = await landing().visit(url)
    const set = cookie(result)!
    expect(set.attributes.domain).toBe(domain)
    expect(set.attributes.secure).toBe(secure)
  })

  it('X-Forwarded-Proto and -Host are ignored unless trustProxy', async () => {
    const forwarded = {
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'www.acme.com',
      'x-forwarded-for': '198.51.100.9, 10.0.0.1',
    }
    const plain = landing()
    const ignored = await plain.visit('http://10.0.0.5:3000/?via=jane', forwarded)
    expect(cookie(ignored)!.attributes).not.toHaveProperty('secure')
    expect(cookie(ignored)!.attributes).not.toHaveProperty('domain')
    expect(plain.api.calls[0]!.body).toMatchObject({ url: 'http://10.0.0.5:3000/?via=jane', ip: '' })

    const trusted = landing({ trustProxy: true })
    const used = await trusted.visit('http://10.0.0.5:3000/?via=jane', forwarded)
    expect(cookie(used)!.attributes).toMatchObject({ secure: true, domain: 'acme.com' })
    expect(trusted.api.calls[0]!.body).toMatchObject({ url: 'https://www.acme.com/?via=jane', ip: '198.51.100.9' })
  })

  it("the Host header names the site, not a server's internal request URL (next start: http://localhost:3000)", async () => {
    const { visit, api } = landing()
    const result = await visit('http://localhost:3000/?via=jane', { host: 'www.acme.com' })
    expect(cookie(result)!.attributes.domain).toBe('acme.com')
    expect(api.calls[0]!.body.url).toBe('http://www.acme.com/?via=jane')
  })

  it.each(['http://evil.test;x/?via=jane', 'http://evil.test!x/?via=jane', `http://${'a'.repeat(300)}.com/?via=jane`])(
    'a request URL whose host DNS could not have (%s) records nothing and sets nothing',
    async (url) => {
      const { visit, api } = landing()
      expect(await visit(url, { host: '' })).toMatchObject({ action: 'none', setCookies: [] })
      expect(api.calls).toEqual([])
    },
  )

  it.each(['evil.test/x', 'a b.com', 'www.acme.com;Domain=evil', 'x'.repeat(300), ''])(
    'a hostile Host header %j is not used',
    async (host) => {
      const { visit } = landing()
      const result = await visit('https://www.acme.com/?via=jane', { host })
      expect(cookie(result)!.attributes.domain).toBe('acme.com')
    },
  )

  it.each(['evil.test/x', 'a b.com', 'www.acme.com;Domain=evil', 'x'.repeat(300)])(
    'a hostile X-Forwarded-Host %j is not used, even with trustProxy',
    async (host) => {
      const { visit } = landing({ trustProxy: true })
      const result = await visit('https://www.acme.com/?via=jane', { 'x-forwarded-host': host })
      expect(cookie(result)!.attributes.domain).toBe('acme.com')
    },
  )

  it('a cookieDomain that does not cover the host is not sent', async () => {
    expect(
      cookie(await landing({ cookieDomain: 'acme.com' }).visit('https://shop.acme.com/?via=jane'))!.attributes.domain,
    ).toBe('acme.com')
    expect(
      cookie(await landing({ cookieDomain: 'acme.com' }).visit('https://other.test/?via=jane'))!.attributes.domain,
    ).toBeUndefined()
  })
})

describe('redirect to the clean URL', () => {
  it('answers a landing with the same path and other parameters, without refp_id and the partner key', async () => {
    const { visit } = landing({ redirect: true })
    const viaLanding = await visit('https://www.acme.com/pricing?plan=pro&via=jane&utm_source=x#top')
    expect(viaLanding.redirectTo).toBe('/pricing?plan=pro&utm_source=x')
    expect(cookie(viaLanding)).toBeDefined()
    expect((await visit('https://www.acme.com/?refp_id=cl_1')).redirectTo).toBe('/')
  })

  it('never redirects to another host: a path starting with // is collapsed', async () => {
    const { visit } = landing({ redirect: true })
    expect((await visit('https://www.acme.com//evil.test/x?via=jane')).redirectTo).toBe('/evil.test/x')
    expect((await visit('https://www.acme.com/\\evil.test/?via=jane')).redirectTo).toBe('/evil.test/')
  })

  it('does not redirect a renewal or a refused click', async () => {
    const { visit } = landing(
      { redirect: true },
      fakeApi(() => ({ status: 404 })),
    )
    expect((await visit('https://www.acme.com/?via=ghost')).redirectTo).toBeNull()
    expect((await visit('https://www.acme.com/', { cookie: 'refp_id=cl_1' })).redirectTo).toBeNull()
  })
})

describe('options', () => {
  it.each<[string, RefportLandingOptions, RegExp]>([
    ['queryParams', { queryParams: ['a;b'] }, /queryParams must be a list/],
    [
      'attributionModel',
      { attributionModel: 'first' as never },
      /attributionModel must be 'last-click' or 'first-click'/,
    ],
    ['waitMs', { waitMs: -1 }, /waitMs must be 0 to 10000/],
    ['waitMs', { waitMs: Number.NaN }, /waitMs must be 0 to 10000/],
    ['clickTimeoutMs', { clickTimeoutMs: 0 }, /clickTimeoutMs must be 1 to 60000/],
    ['cookieDomain', { cookieDomain: 'acme.com; Secure' }, /cookieDomain must be a host name/],
    ['consentCookie', { consentCookie: 'a=b' }, /consentCookie must be a cookie name/],
  ])('refuses a bad %s with a message that says what to pass', (_name, options, message) => {
    expect(() => createRefportLanding(options)).toThrow(message)
  })

  it('never throws into the request: a failing fetch option is an unconfirmed click', async () => {
    const handle = createRefportLanding({
      apiKey: 'k',
      baseUrl: 'https://api.test',
      fetch: () => {
        throw new Error('boom')
      },
    })
    const result = await handle(new Request('https://www.acme.com/?via=jane', { headers: NAVIGATE }))
    expect(result.action).toBe('unconfirmed')
  })
})
