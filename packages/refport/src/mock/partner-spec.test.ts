import { describe, expect, it } from 'vitest'
import { parsePartnerSpec } from './partner-spec'

describe('parsePartnerSpec (refport-mock --partner)', () => {
  it.each<[string, unknown]>([
    ['jane', { key: 'jane' }],
    ['jane:Jane Doe', { key: 'jane', name: 'Jane Doe' }],
    [
      'jane:Jane Doe:20%:JANE20',
      {
        key: 'jane',
        name: 'Jane Doe',
        discount: { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: null },
      },
    ],
    [
      'jane:Jane Doe:12.5%:JANE12:3',
      {
        key: 'jane',
        name: 'Jane Doe',
        discount: { code: 'JANE12', amount: 12.5, type: 'percentage', durationMonths: 3 },
      },
    ],
    ['bob::500:BOB5', { key: 'bob', discount: { code: 'BOB5', amount: 500, type: 'flat', durationMonths: null } }],
    ['bob:Bob:', { key: 'bob', name: 'Bob' }],
  ])('reads %s', (spec, partner) => {
    expect(parsePartnerSpec(spec)).toEqual(partner)
  })

  it.each<[string, RegExp]>([
    ['jane:Jane:20%:J:3:extra', /too many ':' parts/],
    ['jane:Jane::JANE20', /code or months without a discount/],
    ['jane:Jane:20 %:JANE20', /percentage such as 20%/],
    ['jane:Jane:-5:JANE20', /percentage such as 20%/],
    ['jane:Jane:20%', /needs its code/],
    ['jane:Jane:20%:JANE20:three', /months must be a whole number/],
  ])('refuses %s, saying what to write', (spec, problem) => {
    expect(parsePartnerSpec(spec)).toMatch(problem)
  })
})
