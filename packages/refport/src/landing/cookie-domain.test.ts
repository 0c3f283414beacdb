import { hostnameOf } from '@refport/contract'
import { describe, expect, it } from 'vitest'
import { cookieDomainFor } from './cookie-domain'

describe('the Domain of a server-set refp_id: the registrable domain from the Public Suffix List', () => {
  it.each<[string, string | undefined]>([
    ['www.acme.com', 'acme.com'],
    ['acme.com', 'acme.com'],
    ['a.b.c.acme.com', 'acme.com'],
    ['acme.co.uk', 'acme.co.uk'],
    ['www.acme.co.uk', 'acme.co.uk'],
    // The private section of the list: each github.io / vercel.app site is its own site.
    ['foo.github.io', 'foo.github.io'],
    ['www.foo.github.io', 'foo.github.io'],
    ['shop-acme.vercel.app', 'shop-acme.vercel.app'],
    ['www.example.test', 'example.test'],
    // A public suffix itself can only have host-only cookies (RFC 6265 §5.3 step 5).
    ['co.uk', undefined],
    ['github.io', undefined],
    // Single labels and IPs: host-only (RFC 6265 §5.1.3).
    ['localhost', undefined],
    ['127.0.0.1', undefined],
    ['[::1]', undefined],
    ['[2001:db8::1]', undefined],
    ['', undefined],
    [`${'a'.repeat(254)}.com`, undefined],
  ])('%s → %s', (host, domain) => {
    expect(cookieDomainFor(host)).toBe(domain)
  })

  it.each<[string, string | undefined]>([
    ['[::1]:3000', undefined],
    ['[2001:DB8::1]:443', undefined],
    ['WWW.Acme.CO.UK:8443', 'acme.co.uk'],
    ['localhost:3000', undefined],
  ])('from a Host header %s → %s', (host, domain) => {
    expect(cookieDomainFor(hostnameOf(host))).toBe(domain)
  })

  it.each<[string, string, string | undefined]>([
    ['www.acme.com', 'acme.com', 'acme.com'],
    ['www.acme.com', '.acme.com', 'acme.com'],
    ['shop.acme.com', 'shop.acme.com', 'shop.acme.com'],
    // A Domain the browser would reject for this host is not sent at all.
    ['www.other.com', 'acme.com', undefined],
    ['evilacme.com', 'acme.com', undefined],
    ['localhost', 'acme.com', undefined],
  ])('cookieDomain on %s: %s → %s', (host, override, domain) => {
    expect(cookieDomainFor(host, override)).toBe(domain)
  })
})
