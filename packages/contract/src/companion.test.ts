import { describe, expect, it } from 'vitest'
import {
  readPagePartner,
  readPendingClick,
  serializePagePartner,
  serializePendingClick,
  toPagePartner,
} from './companion'
import { serializeClickIdCookie } from './cookie'

const jane = { key: 'jane', name: 'Jane Doe', avatarUrl: 'https://cdn.acme.com/jane.png' }
const discount = { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 }

describe('toPagePartner', () => {
  it.each<[string, unknown, unknown]>([
    ['partner and discount', jane, discount],
    ['no avatar, no discount', { ...jane, avatarUrl: null }, null],
    ['an older API without discount', jane, undefined],
    [
      'a flat discount in minor units, forever',
      jane,
      { code: 'SAVE-5', amount: 500, type: 'flat', durationMonths: null },
    ],
    ['a non-ASCII name', { ...jane, name: 'Zoë Ōkubo 🚀' }, null],
  ])('keeps %s', (_, partner, disc) => {
    const result = toPagePartner(partner, disc)
    expect(result).toEqual({ ...(partner as object), discount: disc ?? null })
  })

  it('drops fields the contract does not name', () => {
    expect(toPagePartner({ ...jane, email: 'jane@x' }, { ...discount, secret: 1 })).toEqual({ ...jane, discount })
  })

  it.each<[string, unknown, unknown]>([
    ['markup in the name', { ...jane, name: '<img src=x onerror=alert(1)>' }, null],
    ['a 10 KB name', { ...jane, name: 'a'.repeat(10 * 1024) }, null],
    ['a 101-character name', { ...jane, name: 'a'.repeat(101) }, null],
    ['an empty name', { ...jane, name: '' }, null],
    ['a control character in the name', { ...jane, name: 'Jane\nDoe' }, null],
    ['a number as name', { ...jane, name: 42 }, null],
    ['an object as name', { ...jane, name: { toString: () => 'Jane' } }, null],
    ['a hostile key', { ...jane, key: 'ja;ne' }, null],
    ['a missing key', { name: 'Jane', avatarUrl: null }, null],
    ['an http avatar', { ...jane, avatarUrl: 'http://cdn.acme.com/j.png' }, null],
    ['a javascript: avatar', { ...jane, avatarUrl: 'javascript:alert(1)' }, null],
    ['a data: avatar', { ...jane, avatarUrl: 'data:image/png;base64,AAAA' }, null],
    ['an avatar breaking out of an attribute', { ...jane, avatarUrl: 'https://x.test/"onerror="alert(1)' }, null],
    ['an avatar breaking out of url()', { ...jane, avatarUrl: 'https://x.test/a)background:red' }, null],
    ['a 10 KB avatar', { ...jane, avatarUrl: `https://x.test/${'a'.repeat(10 * 1024)}` }, null],
    ['a number as avatar', { ...jane, avatarUrl: 1 }, null],
    ['partner null', null, null],
    ['partner a string', 'jane', null],
    ['partner an array', [jane], null],
    ['a discount code with markup', jane, { ...discount, code: '<b>X</b>' }],
    ['a string amount', jane, { ...discount, amount: '20' }],
    ['a negative amount', jane, { ...discount, amount: -5 }],
    ['110 percent', jane, { ...discount, amount: 110 }],
    ['NaN amount', jane, { ...discount, amount: Number.NaN }],
    ['a fractional flat amount', jane, { ...discount, type: 'flat', amount: 4.5 }],
    ['an unknown type', jane, { ...discount, type: 'bogo' }],
    ['fractional months', jane, { ...discount, durationMonths: 1.5 }],
    ['months as a string', jane, { ...discount, durationMonths: '3' }],
    ['a discount that is a string', jane, 'JANE20'],
  ])('drops %s (never throws)', (_, partner, disc) => {
    expect(toPagePartner(partner, disc)).toBeNull()
  })
})

describe('the companion cookies round-trip through a Cookie header', () => {
  const header = (id: string, name: string, value: string): string => `a=1; refp_id=${id}; ${name}=${value}; b=2`

  it.each([
    [{ ...jane, discount }],
    [{ ...jane, name: 'Zoë | "Ō" ; 100%, =', avatarUrl: null, discount: null }],
    [{ ...jane, discount: { code: 'F', amount: 500, type: 'flat' as const, durationMonths: null } }],
  ])('partner %j', (partner) => {
    const value = serializePagePartner('cl_1', partner as never)
    // What the browser tracker writes is accepted by the one cookie serializer.
    expect(serializeClickIdCookie(value, {}, 'refp_partner')).toMatch(/^refp_partner=[^;\s]+; Path=\//)
    expect(readPagePartner(header('cl_1', 'refp_partner', value))).toEqual(partner)
    // It belongs to cl_1 only.
    expect(readPagePartner(header('cl_2', 'refp_partner', value))).toBeNull()
  })

  it('pending click', () => {
    const value = serializePendingClick({ clickId: 'cl_1', key: 'jane', previous: 'cl_0' })
    expect(value).toBe('cl_1|jane|cl_0')
    expect(readPendingClick(header('cl_1', 'refp_pending', value))).toEqual({
      clickId: 'cl_1',
      key: 'jane',
      previous: 'cl_0',
    })
    expect(readPendingClick(header('cl_1', 'refp_pending', 'cl_1|jane|'))).toEqual({
      clickId: 'cl_1',
      key: 'jane',
      previous: null,
    })
    expect(readPendingClick(header('cl_2', 'refp_pending', value))).toBeNull()
  })

  it.each([
    ['no cookie at all', ''],
    ['a malformed escape', 'refp_id=cl_1; refp_partner=cl_1|jane|%E0%A4%A|||||'],
    ['markup, encoded', 'refp_id=cl_1; refp_partner=cl_1|jane|%3Cb%3E|||||'],
    ['a wrong type', 'refp_id=cl_1; refp_partner=cl_1|jane|Jane||X|20|bogo|'],
    ['an http avatar', 'refp_id=cl_1; refp_partner=cl_1|jane|Jane|http%3A%2F%2Fx.test||||'],
    ['too few fields', 'refp_id=cl_1; refp_partner=cl_1'],
  ])('a hostile partner cookie (%s) reads as null', (_, cookieHeader) => {
    expect(readPagePartner(cookieHeader)).toBeNull()
  })

  it('the serializer refuses a companion value outside its alphabet, and a click-ID cookie with one', () => {
    expect(() => serializeClickIdCookie('a;b', {}, 'refp_partner')).toThrow(TypeError)
    expect(() => serializeClickIdCookie('a b', {}, 'refp_pending')).toThrow(TypeError)
    expect(() => serializeClickIdCookie('x'.repeat(2001), {}, 'refp_partner')).toThrow(TypeError)
    expect(() => serializeClickIdCookie('cl_1|jane|', {})).toThrow(TypeError)
    expect(() => serializeClickIdCookie('cl_1|jane|', {}, 'refp_landed')).toThrow(TypeError)
  })
})
