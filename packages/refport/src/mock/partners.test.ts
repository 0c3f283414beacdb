import { describe, expect, it } from 'vitest'
import { PartnerBook, parsePartners } from './partners'

const listed = (input: unknown) => {
  const parsed = parsePartners(input)
  return parsed.ok ? [...parsed.partners.values()] : parsed.problem
}

describe('parsePartners', () => {
  it('fills in the defaults: name = key, no picture, no discount', () => {
    expect(listed(['jane'])).toEqual([{ key: 'jane', name: 'jane', avatarUrl: null, discount: null }])
    expect(listed({ jane: null })).toEqual([{ key: 'jane', name: 'jane', avatarUrl: null, discount: null }])
  })

  it('reads the three forms alike', () => {
    const jane = {
      key: 'jane',
      name: 'Jane Doe',
      avatarUrl: 'https://cdn.acme.com/jane.png',
      discount: { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 },
    }
    const { key: _key, ...profile } = jane
    expect(listed([jane])).toEqual([jane])
    expect(listed({ jane: profile })).toEqual([jane])
    expect(listed(['bob', jane])).toEqual([{ key: 'bob', name: 'bob', avatarUrl: null, discount: null }, jane])
  })

  it('defaults durationMonths to null and keeps a flat amount in minor units', () => {
    expect(listed({ jane: { discount: { code: 'FIVE', amount: 500, type: 'flat' } } })).toEqual([
      {
        key: 'jane',
        name: 'jane',
        avatarUrl: null,
        discount: { code: 'FIVE', amount: 500, type: 'flat', durationMonths: null },
      },
    ])
  })

  it.each<[string, unknown, RegExp]>([
    ['a string', 'jane', /partners must be a list/],
    ['null', null, /partners must be a list/],
    ['a number in the list', [7], /partners\[0\]/],
    ['a key with a space', ['ja ne'], /partner key "ja ne"/],
    ['a key with markup', ['<b>jane</b>'], /partner key/],
    ['an empty key', [''], /partner key ""/],
    ['a profile without key', [{ name: 'Jane' }], /partner key undefined/],
    ['the same key twice', ['jane', { key: 'jane' }], /listed twice/],
    ['an empty name', { jane: { name: ' ' } }, /name must be a non-empty string/],
    ['a numeric name', { jane: { name: 7 } }, /name must be/],
    ['an http avatar', { jane: { avatarUrl: 'http://cdn.acme.com/jane.png' } }, /avatarUrl must be an https URL/],
    ['a javascript: avatar', { jane: { avatarUrl: 'javascript:alert(1)' } }, /avatarUrl/],
    ['a discount without code', { jane: { discount: { amount: 20, type: 'percentage' } } }, /discount.code/],
    ['a discount of an unknown type', { jane: { discount: { code: 'X', amount: 20, type: 'bogo' } } }, /discount.type/],
    [
      'a percentage over 100',
      { jane: { discount: { code: 'X', amount: 120, type: 'percentage' } } },
      /discount.amount/,
    ],
    ['a percentage of 0', { jane: { discount: { code: 'X', amount: 0, type: 'percentage' } } }, /discount.amount/],
    ['a fractional flat amount', { jane: { discount: { code: 'X', amount: 4.99, type: 'flat' } } }, /minor unit/],
    [
      'a duration of 0 months',
      { jane: { discount: { code: 'X', amount: 5, type: 'percentage', durationMonths: 0 } } },
      /durationMonths/,
    ],
    ['a discount that is a string', { jane: { discount: '20%' } }, /discount must be an object/],
  ])('refuses %s, saying what is wrong', (_name, input, problem) => {
    expect(listed(input)).toMatch(problem)
  })
})

describe('PartnerBook', () => {
  it('accepts any key without a list, only the listed ones with one', () => {
    const book = new PartnerBook(undefined)
    expect(book.find('zed')).toEqual({ key: 'zed', name: 'zed', avatarUrl: null, discount: null })
    expect(book.list()).toBeNull()
    expect(book.set(['jane'])).toBeNull()
    expect(book.find('zed')).toBeUndefined()
    expect(book.find('jane')?.name).toBe('jane')
  })

  it('keeps its list when a new one is invalid', () => {
    const book = new PartnerBook(['jane'])
    expect(book.set(['ja ne'])).toMatch(/partner key/)
    expect(book.list()).toEqual([{ key: 'jane', name: 'jane', avatarUrl: null, discount: null }])
  })

  it('hands out copies', () => {
    const book = new PartnerBook({ jane: { name: 'Jane' } })
    book.find('jane')!.name = 'changed'
    expect(book.find('jane')!.name).toBe('Jane')
  })
})
