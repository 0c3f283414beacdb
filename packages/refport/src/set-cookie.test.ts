import { describe, expect, it } from 'vitest'
import { getClickIdFromCookie } from './request-cookie'
import { clearClickIdSetCookies, clickIdSetCookie } from './set-cookie'
import { parseSetCookie } from '@refport/test-support/set-cookie'

const ID = 'cl_AbC-123_xyz'

describe('clickIdSetCookie', () => {
  it('issues refp_id with the contract attributes: Path=/, SameSite=Lax, 90 days', () => {
    const cookie = parseSetCookie(clickIdSetCookie(ID))
    expect(cookie).toEqual({
      name: 'refp_id',
      value: ID,
      attributes: { path: '/', 'max-age': String(90 * 86400), samesite: 'Lax' },
    })
  })

  it('takes domain, path, lifetime, Secure and a custom name', () => {
    const cookie = parseSetCookie(
      clickIdSetCookie(ID, { domain: 'acme.com', path: '/app', expiresInDays: 30, secure: true, name: 'ref' }),
    )
    expect(cookie).toEqual({
      name: 'ref',
      value: ID,
      attributes: { path: '/app', 'max-age': String(30 * 86400), domain: 'acme.com', samesite: 'Lax', secure: true },
    })
  })

  it('round-trips through getClickIdFromCookie', () => {
    const pair = clickIdSetCookie(ID).split(';')[0]
    expect(getClickIdFromCookie(pair)).toBe(ID)
  })

  it.each<[string, string, object]>([
    ['an invalid click ID', 'a;Domain=evil.com', {}],
    ['an empty click ID is fine only for clearing, not here', ' ', {}],
    ['a domain with ;', ID, { domain: 'acme.com; Secure' }],
    ['a path with ;', ID, { path: '/; Domain=evil.com' }],
    ['a name with a space', ID, { name: 'a b' }],
  ])('refuses %s (TypeError, nothing written)', (_name, clickId, options) => {
    expect(() => clickIdSetCookie(clickId, options)).toThrow(TypeError)
  })
})

describe('clearClickIdSetCookies', () => {
  const variants = (lines: string[]) =>
    lines.map((line) => {
      const { attributes } = parseSetCookie(line)
      return `${attributes.domain ?? '(host-only)'} ${attributes.path}`
    })

  it.each<[string, string | undefined, string[]]>([
    ['www.acme.com', 'www.acme.com', ['(host-only) /', 'acme.com /', 'www.acme.com /']],
    ['a port is ignored', 'app.acme.com:3000', ['(host-only) /', 'acme.com /', 'app.acme.com /']],
    [
      'two-label public suffix (browsers ignore co.uk)',
      'www.acme.co.uk',
      ['(host-only) /', 'co.uk /', 'acme.co.uk /', 'www.acme.co.uk /'],
    ],
    ['upper case and a trailing dot', 'WWW.Acme.COM.', ['(host-only) /', 'acme.com /', 'www.acme.com /']],
    ['localhost: host-only only', 'localhost:3000', ['(host-only) /']],
    ['IPv4: host-only only', '127.0.0.1:8080', ['(host-only) /']],
    ['IPv6: host-only only', '[::1]:3000', ['(host-only) /']],
    ['missing Host', undefined, ['(host-only) /']],
    ['hostile Host with ; skips the bad labels', 'evil.com;domain=x.acme.com', ['(host-only) /', 'acme.com /']],
    ['hostile Host with spaces', 'a b.acme.com', ['(host-only) /', 'acme.com /']],
  ])('%s', (_name, host, expected) => {
    expect(variants(clearClickIdSetCookies({ host }))).toEqual(expected)
  })

  it('every value expires the cookie at once (Max-Age ≤ 0, RFC 6265 §5.2.2) with an empty value', () => {
    for (const line of clearClickIdSetCookies({ host: 'www.acme.com', secure: true })) {
      const { name, value, attributes } = parseSetCookie(line)
      expect({ name, value }).toEqual({ name: 'refp_id', value: '' })
      expect(Number(attributes['max-age'])).toBeLessThanOrEqual(0)
      if (attributes.expires !== undefined) expect(Date.parse(String(attributes.expires))).toBeLessThan(Date.now())
      expect(attributes).toHaveProperty('secure')
    }
  })

  it('clears a custom path too, besides /', () => {
    expect(variants(clearClickIdSetCookies({ host: 'www.acme.com', path: '/app' }))).toEqual([
      '(host-only) /',
      'acme.com /',
      'www.acme.com /',
      '(host-only) /app',
      'acme.com /app',
      'www.acme.com /app',
    ])
  })

  it('adds a configured domain that is not a parent of the host, once', () => {
    expect(variants(clearClickIdSetCookies({ host: 'localhost', domain: 'acme.test' }))).toEqual([
      '(host-only) /',
      'acme.test /',
    ])
    expect(variants(clearClickIdSetCookies({ host: 'www.acme.com', domain: 'acme.com' }))).toEqual([
      '(host-only) /',
      'acme.com /',
      'www.acme.com /',
    ])
  })

  it('uses a custom cookie name', () => {
    expect(clearClickIdSetCookies({ host: 'acme.com', name: 'ref' }).every((line) => line.startsWith('ref=;'))).toBe(
      true,
    )
  })

  it.each<[string, object]>([
    ['a path with ;', { path: '/a;Domain=evil.com' }],
    ['a domain with a space', { domain: 'acme .com' }],
    ['an invalid name', { name: 'a;b' }],
  ])("throws a TypeError for the caller's own invalid option: %s", (_name, options) => {
    expect(() => clearClickIdSetCookies({ host: 'www.acme.com', ...options })).toThrow(TypeError)
  })
})

describe('clearClickIdSetCookies: the request, X-Forwarded-Host and a cookie planted on a longer Path', () => {
  const variants = (lines: string[]) =>
    lines.map((line) => {
      const { attributes } = parseSetCookie(line)
      return `${attributes.domain ?? '(host-only)'} ${attributes.path}`
    })
  const expressReq = (headers: Record<string, string>, originalUrl = '/signup') => ({
    headers,
    originalUrl,
    url: originalUrl,
  })

  it.each<[string, object, string[]]>([
    [
      'Express req: its Host',
      { request: expressReq({ host: 'www.acme.com' }) },
      ['(host-only) /', 'acme.com /', 'www.acme.com /'],
    ],
    [
      'Fetch Request: its Host header',
      { request: new Request('https://internal:8080/signup', { headers: { host: 'www.acme.com' } }) },
      ['(host-only) /', 'acme.com /', 'www.acme.com /'],
    ],
    [
      'Hono c: c.req.raw',
      { request: { req: { raw: new Request('https://x/', { headers: { host: 'app.acme.com' } }) } } },
      ['(host-only) /', 'acme.com /', 'app.acme.com /'],
    ],
    [
      'X-Forwarded-Host is ignored by default',
      { request: expressReq({ host: 'localhost:3000', 'x-forwarded-host': 'www.evil.test' }) },
      ['(host-only) /'],
    ],
    [
      'trustProxy: the first X-Forwarded-Host is cleared too',
      {
        request: expressReq({ host: 'localhost:3000', 'x-forwarded-host': 'www.acme.com, proxy.internal' }),
        trustProxy: true,
      },
      ['(host-only) /', 'acme.com /', 'www.acme.com /'],
    ],
    [
      'an explicit host wins over the request',
      { host: 'acme.com', request: expressReq({ host: 'www.other.test' }) },
      ['(host-only) /', 'acme.com /'],
    ],
    ['no request, no host', {}, ['(host-only) /']],
    [
      'a request whose headers throw',
      {
        request: {
          headers: {
            get: () => {
              throw new Error('boom')
            },
          },
        },
      },
      ['(host-only) /'],
    ],
  ])('%s', (_case, options, expected) => {
    expect(variants(clearClickIdSetCookies(options))).toEqual(expected)
  })

  it('one refp_id: nothing beyond / (positive control for the planted-path rule below)', () => {
    const request = expressReq({ host: 'www.acme.com', cookie: 'refp_id=cl_victim' }, '/api/auth/sign-up/email')
    expect(variants(clearClickIdSetCookies({ request }))).toEqual(['(host-only) /', 'acme.com /', 'www.acme.com /'])
  })

  it('two refp_id: expires the parent-domain variants on every Path that matches the request path', () => {
    const request = expressReq(
      { host: 'www.acme.com', cookie: 'refp_id=cl_attacker; refp_id=cl_victim' },
      '/api/auth/sign-up/email?x=1',
    )
    const lines = variants(clearClickIdSetCookies({ request }))
    expect(lines.slice(0, 3)).toEqual(['(host-only) /', 'acme.com /', 'www.acme.com /'])
    for (const path of [
      '/api',
      '/api/',
      '/api/auth',
      '/api/auth/',
      '/api/auth/sign-up',
      '/api/auth/sign-up/',
      '/api/auth/sign-up/email',
    ])
      expect(lines).toEqual(expect.arrayContaining([`acme.com ${path}`, `www.acme.com ${path}`]))
    expect(lines.filter((line) => line.startsWith('(host-only)'))).toEqual(['(host-only) /'])
    expect(lines).toHaveLength(3 + 7 * 2)
  })

  it('the planted cookie is really gone: a browser-like jar keeps the victim only', () => {
    // Jar keyed by Domain + Path, as RFC 6265 §5.3 step 11 replaces cookies.
    const jar = new Map([
      ['acme.com /api/auth', 'cl_attacker'],
      ['acme.com /', 'cl_victim'],
    ])
    const cookie = [...jar.values()].map((value) => `refp_id=${value}`).join('; ')
    expect(getClickIdFromCookie(cookie)).toBe('cl_attacker') // longer path first: the attacker's wins this once
    for (const line of clearClickIdSetCookies({
      request: expressReq({ host: 'www.acme.com', cookie }, '/api/auth/sign-up/email'),
    }))
      jar.delete(`${parseSetCookie(line).attributes.domain} ${parseSetCookie(line).attributes.path}`)
    expect(jar.size).toBe(0)
  })

  it('a Fetch Request: the path of its URL, duplicates joined by a Headers', () => {
    const request = new Request('https://www.acme.com/api/auth/sign-up', {
      headers: { host: 'www.acme.com', cookie: 'refp_id=a, refp_id=b' },
    })
    expect(variants(clearClickIdSetCookies({ request }))).toContain('acme.com /api/auth')
  })
})

describe('clearClickIdSetCookies: a hostile request costs a bounded clear', () => {
  /** `n` labels: `a.a.…a.acme.com`. */
  const deepHost = (labels: number) => `${'a.'.repeat(labels - 2)}acme.com`
  const bytes = (lines: string[]) => lines.reduce((sum, line) => sum + line.length, 0)

  it.each<[string, number, object]>([
    ['a 1,608-byte Host', 1, { host: deepHost(804) }],
    ['a 3,208-byte Host', 1, { host: deepHost(1604) }],
    ['a 16 KB Host (the Express recipe)', 1, { request: { headers: { host: deepHost(8000) } } }],
    [
      'a 12 KB X-Forwarded-Host, trusted',
      3,
      { request: { headers: { host: 'www.acme.com', 'x-forwarded-host': deepHost(6004) } }, trustProxy: true },
    ],
    ['the deepest real host (positive control)', 10, { host: deepHost(10) }],
  ])('%s → %i Set-Cookie values', (_case, count, options) => {
    const started = performance.now()
    const lines = clearClickIdSetCookies(options as never)
    expect(lines).toHaveLength(count)
    expect(bytes(lines)).toBeLessThan(count * 200)
    expect(performance.now() - started).toBeLessThan(500)
  })

  it('the worst request (two hosts, duplicated cookie, deep path, 16 KB of everything) stays under 300 values and 64 KB', () => {
    const request = {
      headers: {
        host: deepHost(10),
        'x-forwarded-host': `b.${deepHost(9)}`,
        cookie: 'refp_id=a; '.repeat(1500),
      },
      originalUrl: '/a'.repeat(500),
    }
    const lines = clearClickIdSetCookies({ request, trustProxy: true, path: '/app', domain: 'acme.test' })
    // 1 host-only + 10 parents + 1 configured domain, at `/` and `/app`; 11 Domain variants × 12 planted paths.
    expect(lines.length).toBeLessThanOrEqual(2 * 12 + 11 * 12)
    expect(lines.length).toBeGreaterThan(24) // the planted-path rule did run
    expect(bytes(lines)).toBeLessThan(64 * 1024)
    // A path no browser would store a cookie for (over 1024 bytes) adds nothing.
    const tooLong = { ...request, originalUrl: '/a'.repeat(513) }
    expect(
      clearClickIdSetCookies({ request: tooLong, trustProxy: true, path: '/app', domain: 'acme.test' }),
    ).toHaveLength(24)
  })
})
