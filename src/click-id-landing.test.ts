import { describe, expect, it } from 'vitest'
import {
  cookiesAt,
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

const DAY = 86400

/**
 * The Set string that stored refp_id: the last one with a value. Clears before it have an
 * empty value, and writes the browser refused (a public-suffix Domain) come before it.
 */
const storeWrite = (writes: string[]): string | undefined => writes.filter((write) => /^refp_id=[^;]/.test(write)).pop()

describe('?refp_id= landing', () => {
  it('stores the click ID from the URL as is, without any request', async () => {
    const fetch = stubFetch()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_Abc-123')
    init({ publishableKey: 'pk_test' })
    await settle()

    expect(getClickId()).toBe('cl_Abc-123')
    expect(document.cookie).toBe('refp_id=cl_Abc-123')
    expect(fetch).not.toHaveBeenCalled()
  })

  it('works without a publishableKey (a short-link click needs no API call)', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init()
    expect(getClickId()).toBe('cl_1')
  })

  it('writes Path=/, SameSite=Lax, Secure and a 90-day Max-Age on an https page', async () => {
    const writes = recordCookieWrites()
    const { init } = await loadTracker('https://www.acme.com/pricing?refp_id=cl_1')
    const before = Date.now()
    init()

    expect(storeWrite(writes)).toBe(`refp_id=cl_1; Path=/; Max-Age=${90 * DAY}; Domain=acme.com; SameSite=Lax; Secure`)
    const [cookie] = await cookiesAt('https://www.acme.com/')
    expect(cookie).toMatchObject({ name: 'refp_id', value: 'cl_1', path: '/', secure: true, domain: 'acme.com' })
    expect(cookie!.expires! - before).toBeGreaterThanOrEqual(90 * DAY * 1000 - 1000)
    expect(cookie!.expires! - before).toBeLessThanOrEqual(90 * DAY * 1000 + 1000)
  })

  it.each([
    ['the same click ID (the server set it, or a reload)', 'cl_1', 0],
    ['another click ID (positive control)', 'cl_old', 1],
  ])('with %s already stored, rewrites the cookie only when it changes', async (_, storedId, rewrites) => {
    // Safari caps a cookie written by script at 7 days: rewriting a server-set refp_id with
    // its own value would cut its 90 days back to 7.
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1&a=1')
    setCookieAs('https://www.acme.com/', `refp_id=${storedId}; Path=/; Domain=acme.com; Max-Age=${90 * DAY}`)
    const writes = recordCookieWrites()
    const announced = nextClickIdEvent()
    init()
    expect(writes.filter((write) => write.startsWith('refp_id=cl_1;'))).toHaveLength(rewrites)
    expect(getClickId()).toBe('cl_1')
    expect(await announced).toBe('cl_1')
    expect(location.href).toBe('https://www.acme.com/?a=1')
  })

  it('omits Secure on an http page, where the browser would drop a Secure cookie', async () => {
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker('http://www.acme.com/?refp_id=cl_1')
    init()

    expect(storeWrite(writes)).toBe(`refp_id=cl_1; Path=/; Max-Age=${90 * DAY}; Domain=acme.com; SameSite=Lax`)
    expect(getClickId()).toBe('cl_1')
  })

  it.each([
    [1, DAY],
    [30, 30 * DAY],
    [365, 365 * DAY],
    [0.5, DAY / 2],
  ])('cookieOptions.expiresInDays %s sets Max-Age=%s', async (expiresInDays, maxAge) => {
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    init({ cookieOptions: { expiresInDays } })

    expect(storeWrite(writes)).toContain(`; Max-Age=${maxAge};`)
    expect(getClickId()).toBe('cl_1')
  })

  it('cookieOptions.path scopes the cookie to that path', async () => {
    const writes = recordCookieWrites()
    const { init } = await loadTracker('https://www.acme.com/app/welcome?refp_id=cl_1')
    init({ cookieOptions: { path: '/app' } })

    expect(storeWrite(writes)).toContain('; Path=/app;')
    expect(documentCookieAt('https://www.acme.com/app/settings')).toBe('refp_id=cl_1')
    expect(documentCookieAt('https://www.acme.com/blog')).toBe('')
  })

  it('keeps the landing URL captured at import even if a router rewrites the URL before init()', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_early')
    history.replaceState(null, '', '/en')
    init()
    expect(getClickId()).toBe('cl_early')
  })
})

describe('cookie Domain, found by probing', () => {
  it.each([
    ['https://www.acme.com/', 'acme.com', 'https://app.acme.com/'],
    ['https://acme.com/', 'acme.com', 'https://app.acme.com/'],
    ['https://www.acme.co.uk/', 'acme.co.uk', 'https://shop.acme.co.uk/'],
    ['https://a.b.acme.com/', 'acme.com', 'https://c.acme.com/'],
    ['https://acme.github.io/', 'acme.github.io', 'https://acme.github.io/docs'],
    ['https://www.acme.com:8443/', 'acme.com', 'https://app.acme.com/'],
    ['https://www.bücher.example/', 'xn--bcher-kva.example', 'https://shop.xn--bcher-kva.example/'],
  ])('on %s the cookie is written for %s and seen by %s', async (landing, domain, sibling) => {
    const writes = recordCookieWrites()
    const { init } = await loadTracker(`${landing}?refp_id=cl_1`)
    init()

    expect(storeWrite(writes)).toContain(`; Domain=${domain};`)
    expect(documentCookieAt(sibling)).toBe('refp_id=cl_1')
  })

  it('is not visible to another site sharing only the public suffix', async () => {
    const { init } = await loadTracker('https://www.acme.co.uk/?refp_id=cl_1')
    init()
    expect(documentCookieAt('https://www.other.co.uk/')).toBe('')
  })

  it('leaves no test cookie behind and nothing on the public suffix', async () => {
    const { init } = await loadTracker('https://www.acme.co.uk/?refp_id=cl_1')
    init()

    for (const url of ['https://www.acme.co.uk/', 'https://shop.acme.co.uk/'])
      expect((await cookiesAt(url)).map(({ name, domain }) => [name, domain])).toEqual([['refp_id', 'acme.co.uk']])
    expect(await cookiesAt('https://www.other.co.uk/')).toEqual([])
  })

  it.each([['http://localhost:3000/'], ['http://127.0.0.1:8080/'], ['http://[::1]:3000/'], ['http://intranet/']])(
    'is host-only on %s (no Domain attribute)',
    async (landing) => {
      const writes = recordCookieWrites()
      const { init, getClickId } = await loadTracker(`${landing}?refp_id=cl_1`)
      init()

      expect(getClickId()).toBe('cl_1')
      expect(storeWrite(writes)).not.toMatch(/domain=/i)
      expect(writes.filter((write) => /domain=/i.test(write))).toEqual([])
    },
  )

  it('cookieOptions.domain overrides the probe', async () => {
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker('https://app.eu.acme.com/?refp_id=cl_1')
    init({ cookieOptions: { domain: 'eu.acme.com' } })

    expect(getClickId()).toBe('cl_1')
    expect(writes.filter((write) => /^refp_id=[^;]/.test(write))).toEqual([
      `refp_id=cl_1; Path=/; Max-Age=${90 * DAY}; Domain=eu.acme.com; SameSite=Lax; Secure`,
    ])
    expect(documentCookieAt('https://www.eu.acme.com/')).toBe('refp_id=cl_1')
    expect(documentCookieAt('https://www.acme.com/')).toBe('')
  })
})

describe('attribution model', () => {
  it.each([
    ['a parent-domain cookie', 'refp_id=cl_old; Path=/; Domain=acme.com'],
    ['a host-only cookie', 'refp_id=cl_old; Path=/'],
  ])('last-click (default) replaces %s', async (_, existing) => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_new')
    setCookieAs('https://www.acme.com/', existing)
    init()

    expect(getClickId()).toBe('cl_new')
    expect(document.cookie).toBe('refp_id=cl_new')
  })

  it('last-click replaces a cookie a sibling subdomain wrote on the parent domain', async () => {
    const { init } = await loadTracker('https://www.acme.com/?refp_id=cl_new')
    setCookieAs('https://app.acme.com/', 'refp_id=cl_old; Path=/; Domain=acme.com')
    init()
    expect(documentCookieAt('https://app.acme.com/')).toBe('refp_id=cl_new')
  })

  it('first-click keeps an existing click ID from a refp_id landing', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_new')
    setCookieAs('https://www.acme.com/', 'refp_id=cl_old; Path=/; Domain=acme.com')
    init({ attributionModel: 'first-click' })
    expect(getClickId()).toBe('cl_old')
  })

  it('first-click keeps an existing click ID and makes no request for ?via=', async () => {
    const fetch = stubFetch()
    const { init, getClickId } = await loadTracker('https://www.acme.com/?via=jane')
    setCookieAs('https://www.acme.com/', 'refp_id=cl_old; Path=/; Domain=acme.com')
    init({ publishableKey: 'pk_test', attributionModel: 'first-click' })
    await settle()

    expect(fetch).not.toHaveBeenCalled()
    expect(getClickId()).toBe('cl_old')
  })

  it('first-click stores the click when there is none yet', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_first')
    init({ attributionModel: 'first-click' })
    expect(getClickId()).toBe('cl_first')
  })
})

/** Hostile `refp_id` values, raw in the query string as an attacker's link would carry them. */
const hostileClickIds: Array<[string, string]> = [
  ['semicolon', 'a;b'],
  ['attribute injection', 'x;domain=evil.test'],
  ['encoded attribute injection', 'x%3B%20Domain%3Devil.test%3B%20Path%3D%2F'],
  ['equals sign', 'a=b'],
  ['space', 'a%20b'],
  ['plus (a space in a query)', 'a+b'],
  ['CR/LF header injection', 'x%0D%0ASet-Cookie:%20evil=1'],
  ['HTML', '%3Cscript%3Ealert(1)%3C%2Fscript%3E'],
  ['10 KB', 'a'.repeat(10 * 1024)],
  ['129 characters', 'a'.repeat(129)],
  ['unicode', 'cl_%C3%A9t%C3%A9'],
  ['emoji', '%F0%9F%98%80'],
  ['NUL byte', 'cl%00x'],
  ['empty', ''],
  ['quote', '%22cl_1%22'],
  ['comma', 'a,b'],
  ['percent sign', 'a%25b'],
  ['dot', 'a.b'],
]

describe('hostile ?refp_id= values', () => {
  it.each(hostileClickIds)('%s: no cookie, no request, URL untouched', async (_, raw) => {
    const fetch = stubFetch()
    const writes = recordCookieWrites()
    const url = `https://www.acme.com/?refp_id=${raw}`
    const { init, getClickId } = await loadTracker(url)
    const href = location.href
    init({ publishableKey: 'pk_test' })
    await settle()

    expect(getClickId()).toBeNull()
    expect(document.cookie).toBe('')
    expect(documentCookieAt('https://evil.test/')).toBe('')
    expect(writes).toEqual([])
    expect(fetch).not.toHaveBeenCalled()
    expect(location.href).toBe(href)
  })

  it.each(hostileClickIds)('%s next to a valid ?via=: only the API click ID is stored', async (_, raw) => {
    withoutCrypto()
    stubFetch()
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker(`https://www.acme.com/?refp_id=${raw}&via=jane`)
    init({ publishableKey: 'pk_test' })
    await settle()

    expect(getClickId()).toBe('cl_minted')
    expect(document.cookie).toBe('refp_id=cl_minted')
    // Every string the tracker wrote is a well-formed refp_id cookie: nothing from the URL leaked in.
    for (const write of writes)
      expect(write).toMatch(
        /^refp_(id|probe)=[\w-]*; Path=\/; Max-Age=-?\d+;( Expires=[^;]+;)?( Domain=[\w.]+;)? SameSite=Lax(; Secure)?$/,
      )
    expect(writes.filter((write) => write.startsWith('refp_id=') && !/^refp_id=(cl_minted)?;/.test(write))).toEqual([])
  })
})

describe('cookieOptions.path that does not cover the landing page', () => {
  it('stores exactly one cookie, on the registrable domain, visible under that path', async () => {
    const writes = recordCookieWrites()
    const { init } = await loadTracker('https://www.acme.com/welcome?refp_id=cl_1')
    init({ cookieOptions: { path: '/app' } })

    expect(documentCookieAt('https://www.acme.com/app/home')).toBe('refp_id=cl_1')
    expect(documentCookieAt('https://app.acme.com/app/home')).toBe('refp_id=cl_1')
    expect(writes.filter((write) => /^refp_id=[^;]/.test(write))).toEqual([
      `refp_id=cl_1; Path=/app; Max-Age=${90 * DAY}; Domain=acme.com; SameSite=Lax; Secure`,
    ])
  })
})
