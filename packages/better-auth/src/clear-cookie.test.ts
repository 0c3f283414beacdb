import { describe, expect, it } from 'vitest'
import { appendSetCookies, clearingSetCookies } from './clear-cookie'
import { addressedHosts, requestHosts } from './request'
import { expiredVariants, isExpiry, parseSetCookie } from '@refport/test-support/set-cookie'

const ctxWith = (headers: Record<string, string>, extra: { url?: string; baseURL?: string } = {}) => ({
  headers: new Headers(headers),
  request: extra.url ? new Request(extra.url) : undefined,
  context: { baseURL: extra.baseURL },
})

describe('clearingSetCookies: every Domain/Path variant the tracker could have written', () => {
  it.each([
    // [what, request headers, expected domain|path variants]
    [
      'a subdomain: host-only plus each parent domain',
      { host: 'www.acme.com' },
      ['acme.com|/', 'host-only|/', 'www.acme.com|/'],
    ],
    ['the port is ignored', { host: 'www.acme.com:8443' }, ['acme.com|/', 'host-only|/', 'www.acme.com|/']],
    [
      'a two-level public suffix: the browser refuses Domain=co.uk, harmless',
      { host: 'app.acme.co.uk' },
      ['acme.co.uk|/', 'app.acme.co.uk|/', 'co.uk|/', 'host-only|/'],
    ],
    ['localhost: host-only only (browsers reject Domain=localhost)', { host: 'localhost:3000' }, ['host-only|/']],
    ['an IPv4 address: host-only only', { host: '127.0.0.1:3000' }, ['host-only|/']],
    ['an IPv6 literal: host-only only', { host: '[::1]:3000' }, ['host-only|/']],
    ['no Host at all: host-only still cleared', {}, ['host-only|/']],
    ['a hostile Host cannot inject attributes', { host: 'evil.com; Domain=victim.com' }, ['host-only|/']],
    ['mixed-case host is lowercased', { host: 'WWW.Acme.COM' }, ['acme.com|/', 'host-only|/', 'www.acme.com|/']],
  ])('%s', (_what, headers, expected) => {
    expect(expiredVariants(clearingSetCookies(ctxWith(headers), { name: 'refp_id' }))).toEqual(expected)
  })

  it('clears the host the proxy forwarded as well as the Host it received (trustProxy)', () => {
    const values = clearingSetCookies(
      ctxWith({ host: 'auth-internal:8080', 'x-forwarded-host': 'app.acme.com, proxy.internal' }),
      { name: 'refp_id' },
      true,
    )
    expect(expiredVariants(values)).toEqual(['acme.com|/', 'app.acme.com|/', 'host-only|/'])
  })

  it('ignores X-Forwarded-Host by default: any client can send one', () => {
    const ctx = ctxWith({ host: 'www.acme.com', 'x-forwarded-host': 'www.evil.test' })
    expect(expiredVariants(clearingSetCookies(ctx, { name: 'refp_id' }))).toEqual([
      'acme.com|/',
      'host-only|/',
      'www.acme.com|/',
    ])
  })

  it('uses the request URL and baseURL when no Host header is present (auth.api call without headers)', () => {
    const values = clearingSetCookies(
      { context: { baseURL: 'https://login.acme.com/api/auth' }, request: new Request('https://www.acme.io/x') },
      { name: 'refp_id' },
    )
    expect(expiredVariants(values)).toEqual([
      'acme.com|/',
      'acme.io|/',
      'host-only|/',
      'login.acme.com|/',
      'www.acme.io|/',
    ])
  })

  it('adds the tracker’s custom path and domain, and keeps Path=/', () => {
    const values = clearingSetCookies(ctxWith({ host: 'www.acme.com' }), {
      name: 'refp_id',
      path: '/app',
      domain: 'acme.com',
    })
    expect(expiredVariants(values)).toEqual([
      'acme.com|/',
      'acme.com|/app',
      'host-only|/',
      'host-only|/app',
      'www.acme.com|/',
      'www.acme.com|/app',
    ])
  })

  it('honours a custom cookie name', () => {
    const values = clearingSetCookies(ctxWith({ host: 'localhost' }), { name: 'ref_click' })
    expect(values.map((v) => parseSetCookie(v).name)).toEqual(['ref_click'])
  })

  it('writes an expiry (RFC 6265 §5.2.2) with SameSite=Lax and without Secure, so plain-http hosts accept it', () => {
    const [value] = clearingSetCookies(ctxWith({ host: 'localhost:3000' }), { name: 'refp_id' })
    const cookie = parseSetCookie(value!)
    expect(cookie).toMatchObject({ name: 'refp_id', value: '' })
    expect(isExpiry(cookie)).toBe(true)
    expect(cookie.attributes).toMatchObject({ path: '/', samesite: 'Lax' })
    expect(cookie.attributes.secure).toBeUndefined()
  })

  it.each(['__Secure-refp_id', '__Host-refp_id'])(
    'adds Secure for the prefixed name %s (RFC 6265bis §4.1.3)',
    (name) => {
      const values = clearingSetCookies(ctxWith({ host: 'www.acme.com' }), { name })
      expect(values.length).toBeGreaterThan(0)
      for (const value of values) expect(parseSetCookie(value).attributes.secure).toBe(true)
    },
  )

  it('lists each value once when several sources name the same host', () => {
    const values = clearingSetCookies(
      ctxWith(
        { host: 'www.acme.com:443', 'x-forwarded-host': 'www.acme.com' },
        { url: 'https://www.acme.com/api/auth/sign-up/email', baseURL: 'https://www.acme.com' },
      ),
      { name: 'refp_id' },
    )
    expect(values).toHaveLength(3)
    expect(new Set(values).size).toBe(values.length)
  })
})

/** `domain|path` of a Set-Cookie value, as `expiredVariants` spells it. */
const variantOf = (value: string | undefined) => {
  const { attributes } = parseSetCookie(value ?? '')
  return `${attributes.domain ?? 'host-only'}|${attributes.path}`
}

describe('clearingSetCookies: the tracker’s known Domain goes last (name-keyed stores keep the last value)', () => {
  it.each<[string, Record<string, string>, { path?: string; domain?: string }, string]>([
    [
      'the configured registrable domain on a subdomain',
      { host: 'www.acme.com' },
      { domain: 'acme.com' },
      'acme.com|/',
    ],
    [
      'the configured domain at the tracker’s custom path',
      { host: 'www.acme.com' },
      { domain: 'acme.com', path: '/app' },
      'acme.com|/app',
    ],
    ['the configured domain equal to the host', { host: 'acme.com:3000' }, { domain: 'acme.com' }, 'acme.com|/'],
    [
      'a configured domain with a leading dot and capitals',
      { host: 'www.acme.com' },
      { domain: '.Acme.com' },
      '.Acme.com|/',
    ],
    [
      'a configured domain matching only the forwarded host',
      { host: 'auth:8080', 'x-forwarded-host': 'app.acme.com' },
      { domain: 'acme.com' },
      'acme.com|/',
    ],
  ])('%s', (_what, headers, location, last) => {
    const values = clearingSetCookies(ctxWith(headers), { name: 'refp_id', ...location }, true)
    expect(variantOf(values.at(-1))).toBe(last)
    expect(new Set(values).size).toBe(values.length)
  })

  it.each<[string, Record<string, string>, { path?: string }, string]>([
    ['localhost in development', { host: 'localhost:3000' }, {}, 'host-only|/'],
    ['an IP address, at the tracker’s custom path', { host: '127.0.0.1:3000' }, { path: '/app' }, 'host-only|/app'],
    ['a host that only shares a suffix', { host: 'notacme.com' }, {}, 'host-only|/'],
    [
      'several hosts, none under it',
      { host: 'localhost:3000', 'x-forwarded-host': 'preview.notacme.com' },
      {},
      'host-only|/',
    ],
  ])('a configured domain that does not apply (%s) is not the last: host-only is', (_what, headers, location, last) => {
    // The browser ignores a Domain its host does not domain-match (RFC 6265 §5.3 step 6).
    const values = clearingSetCookies(ctxWith(headers), { name: 'refp_id', domain: 'acme.com', ...location }, true)
    expect(variantOf(values.at(-1))).toBe(last)
    expect(values.map(variantOf)).toContain('acme.com|/')
  })

  it('judges the domain by the host the browser addressed, not by a baseURL on another host', () => {
    const ctx = ctxWith({ host: 'localhost:3000' }, { baseURL: 'https://www.acme.com/api/auth' })
    const values = clearingSetCookies(ctx, { name: 'refp_id', domain: 'acme.com' })
    expect(variantOf(values.at(-1))).toBe('host-only|/')
    // With no Host header at all, baseURL is all there is to go by.
    const headerless = clearingSetCookies(
      { context: { baseURL: 'https://www.acme.com/api/auth' } },
      { name: 'refp_id', domain: 'acme.com' },
    )
    expect(variantOf(headerless.at(-1))).toBe('acme.com|/')
  })

  it('without a configured domain the order is the server SDK’s (host-only, then parent domains shortest first)', () => {
    const values = clearingSetCookies(ctxWith({ host: 'www.acme.com' }), { name: 'refp_id' })
    expect(values.map(variantOf)).toEqual(['host-only|/', 'acme.com|/', 'www.acme.com|/'])
  })
})

describe('requestHosts', () => {
  it('reads headers given as a plain object (auth.api called with a headers record)', () => {
    expect(requestHosts({ headers: { host: 'www.acme.com' } })).toEqual(['www.acme.com'])
  })

  it('prefers the context’s own getHeader', () => {
    expect(
      requestHosts({ getHeader: (name) => (name === 'host' ? 'a.acme.com' : null), headers: { host: 'ignored.com' } }),
    ).toEqual(['a.acme.com'])
  })

  it('addressedHosts: Host and (with trustProxy) X-Forwarded-Host when present, else every source', () => {
    const forwarded = ctxWith(
      { host: 'localhost:3000', 'x-forwarded-host': 'App.acme.com, proxy' },
      { baseURL: 'https://x.test' },
    )
    expect(addressedHosts(forwarded, true)).toEqual(['localhost:3000', 'app.acme.com'])
    expect(addressedHosts(forwarded)).toEqual(['localhost:3000'])
    expect(requestHosts(forwarded)).toEqual(['localhost:3000', 'x.test'])
    expect(addressedHosts(ctxWith({}, { url: 'https://www.acme.io/a', baseURL: 'https://x.test' }))).toEqual([
      'www.acme.io',
      'x.test',
    ])
  })

  it('never throws on broken contexts', () => {
    const throwing = {
      getHeader() {
        throw new Error('boom')
      },
      context: { baseURL: 'not a url' },
    }
    expect(requestHosts(throwing)).toEqual([])
  })
})

describe('appendSetCookies', () => {
  it('appends every value as its own Set-Cookie header, keeping ones already there', () => {
    const responseHeaders = new Headers()
    responseHeaders.append('set-cookie', 'better-auth.session_token=abc; Path=/')
    expect(appendSetCookies({ responseHeaders }, ['a=; Max-Age=0', 'b=; Max-Age=0'])).toBe(true)
    expect(responseHeaders.getSetCookie()).toEqual([
      'better-auth.session_token=abc; Path=/',
      'a=; Max-Age=0',
      'b=; Max-Age=0',
    ])
  })

  it('reports false when the context has no response to write to', () => {
    expect(appendSetCookies({}, ['a=; Max-Age=0'])).toBe(false)
  })
})

describe('isExpiry (the test helper every cookie assertion relies on)', () => {
  it.each([
    ['refp_id=; Max-Age=0', true],
    ['refp_id=; Max-Age=-1', true],
    ['refp_id=; Expires=Thu, 01 Jan 1970 00:00:00 GMT', true],
    ['refp_id=; Max-Age=-1; Expires=Fri, 01 Jan 2100 00:00:00 GMT', true],
    ['refp_id=; Max-Age=60', false],
    ['refp_id=; Expires=Fri, 01 Jan 2100 00:00:00 GMT', false],
    ['refp_id=; Path=/', false],
  ])('%s → %s', (header, expected) => {
    expect(isExpiry(parseSetCookie(header))).toBe(expected)
  })
})

describe('clearingSetCookies: a hostile request costs a bounded clear', () => {
  /** `n` labels: `a.a.…a.acme.com`. */
  const deepHost = (labels: number) => `${'a.'.repeat(labels - 2)}acme.com`
  const bytes = (values: string[]) => values.reduce((sum, value) => sum + value.length, 0)

  it.each<[string, Record<string, string>, boolean, string[]]>([
    ['a 1,608-byte Host', { host: deepHost(804) }, false, ['host-only|/']],
    [
      'a 12 KB X-Forwarded-Host, not trusted',
      { host: 'www.acme.com', 'x-forwarded-host': deepHost(6004) },
      false,
      ['acme.com|/', 'host-only|/', 'www.acme.com|/'],
    ],
    [
      'a 12 KB X-Forwarded-Host, trusted',
      { host: 'www.acme.com', 'x-forwarded-host': deepHost(6004) },
      true,
      ['acme.com|/', 'host-only|/', 'www.acme.com|/'],
    ],
  ])('%s', (_what, headers, trustProxy, expected) => {
    const started = performance.now()
    const values = clearingSetCookies(ctxWith(headers), { name: 'refp_id' }, trustProxy)
    expect(expiredVariants(values)).toEqual(expected)
    expect(bytes(values)).toBeLessThan(1000)
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('a refp_id planted on /api/auth by another subdomain is expired too (the request carries two)', () => {
    const ctx = ctxWith(
      { host: 'www.acme.com', cookie: 'refp_id=cl_attacker; refp_id=cl_victim' },
      { url: 'https://www.acme.com/api/auth/sign-up/email' },
    )
    const variants = expiredVariants(clearingSetCookies(ctx, { name: 'refp_id' }))
    expect(variants).toContain('acme.com|/api/auth')
    expect(variants).toContain('acme.com|/api/auth/')
    expect(variants).toContain('acme.com|/')
    // Positive control: with one refp_id, only `/`.
    const single = ctxWith(
      { host: 'www.acme.com', cookie: 'refp_id=cl_victim' },
      { url: 'https://www.acme.com/api/auth/sign-up/email' },
    )
    expect(expiredVariants(clearingSetCookies(single, { name: 'refp_id' }))).toEqual([
      'acme.com|/',
      'host-only|/',
      'www.acme.com|/',
    ])
  })
})
