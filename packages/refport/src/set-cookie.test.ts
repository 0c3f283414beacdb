import { describe, expect, it } from 'vitest'
import { getClickIdFromCookie } from './request-cookie'
import { clearClickIdSetCookies, clickIdSetCookie } from './set-cookie'
import { parseSetCookie } from './test/set-cookie'

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
    ['two-label public suffix (browsers ignore co.uk)', 'www.acme.co.uk', ['(host-only) /', 'co.uk /', 'acme.co.uk /', 'www.acme.co.uk /']],
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
      '(host-only) /', 'acme.com /', 'www.acme.com /',
      '(host-only) /app', 'acme.com /app', 'www.acme.com /app',
    ])
  })

  it('adds a configured domain that is not a parent of the host, once', () => {
    expect(variants(clearClickIdSetCookies({ host: 'localhost', domain: 'acme.test' }))).toEqual(['(host-only) /', 'acme.test /'])
    expect(variants(clearClickIdSetCookies({ host: 'www.acme.com', domain: 'acme.com' }))).toEqual([
      '(host-only) /', 'acme.com /', 'www.acme.com /',
    ])
  })

  it('uses a custom cookie name', () => {
    expect(clearClickIdSetCookies({ host: 'acme.com', name: 'ref' }).every((line) => line.startsWith('ref=;'))).toBe(true)
  })

  it.each<[string, object]>([
    ['a path with ;', { path: '/a;Domain=evil.com' }],
    ['a domain with a space', { domain: 'acme .com' }],
    ['an invalid name', { name: 'a;b' }],
  ])("throws a TypeError for the caller's own invalid option: %s", (_name, options) => {
    expect(() => clearClickIdSetCookies({ host: 'www.acme.com', ...options })).toThrow(TypeError)
  })
})
