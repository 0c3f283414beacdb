import { describe, expect, it } from 'vitest'
import { validateSaleRequest } from './sale-validation'

const valid = { customerExternalId: 'user_1', amount: 4900, currency: 'usd' }

describe('validateSaleRequest', () => {
  it('accepts the minimal sale and returns it unchanged', () => {
    expect(validateSaleRequest(valid)).toEqual({ ok: true, sale: valid })
  })

  it('keeps every optional field, lowercases the currency and drops unknown fields', () => {
    const full = {
      ...valid,
      eventName: 'Upgrade',
      invoiceId: 'in_1Q2w3E',
      paymentProcessor: 'stripe',
      leadEventName: 'Sign Up',
      metadata: { plan: 'pro' },
      clickId: 'V1StGXR8_Z5jdHi6B-myTq',
    }
    expect(validateSaleRequest({ ...full, currency: 'USD', extra: 1 })).toEqual({ ok: true, sale: full })
  })

  it.each<[string, Record<string, unknown>]>([
    [
      'null optional fields',
      { eventName: null, invoiceId: null, paymentProcessor: null, leadEventName: null, metadata: null, clickId: null },
    ],
    [
      'blank optional fields',
      { eventName: '', invoiceId: ' ', paymentProcessor: '', leadEventName: '\t', clickId: '' },
    ],
  ])('leaves out %s, for the API to apply its defaults', (_name, blanks) => {
    expect(validateSaleRequest({ ...valid, ...blanks })).toEqual({ ok: true, sale: valid })
  })

  it.each<[string, number]>([
    ['zero (a free order)', 0],
    ['the largest safe integer', Number.MAX_SAFE_INTEGER],
  ])('accepts an amount of %s', (_name, amount) => {
    expect(validateSaleRequest({ ...valid, amount })).toMatchObject({ ok: true, sale: { amount } })
  })

  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  it.each<[string, unknown, string]>([
    ['not an object', 'sale', 'body'],
    ['an array', [valid], 'body'],
    ['null', null, 'body'],
    ['no customerExternalId', { ...valid, customerExternalId: undefined }, 'customerExternalId'],
    ['a numeric customerExternalId', { ...valid, customerExternalId: 42 }, 'customerExternalId'],
    ['a blank customerExternalId', { ...valid, customerExternalId: '  ' }, 'customerExternalId'],
    ['a customerExternalId of 256 characters', { ...valid, customerExternalId: 'u'.repeat(256) }, 'customerExternalId'],
    ['no amount', { ...valid, amount: undefined }, 'amount'],
    ['a fractional amount (dollars, not cents)', { ...valid, amount: 49.99 }, 'amount'],
    ['a negative amount', { ...valid, amount: -1 }, 'amount'],
    ['an amount as a string', { ...valid, amount: '4900' }, 'amount'],
    ['NaN', { ...valid, amount: Number.NaN }, 'amount'],
    ['Infinity', { ...valid, amount: Infinity }, 'amount'],
    ['an amount past the safe integers', { ...valid, amount: 2 ** 53 }, 'amount'],
    ['no currency', { ...valid, currency: undefined }, 'currency'],
    ['a two-letter currency', { ...valid, currency: 'us' }, 'currency'],
    ['a four-letter currency', { ...valid, currency: 'usdt' }, 'currency'],
    ['a currency symbol', { ...valid, currency: '$' }, 'currency'],
    ['a numeric ISO code', { ...valid, currency: '840' }, 'currency'],
    ['a currency with a space', { ...valid, currency: 'us d' }, 'currency'],
    ['an eventName of 256 characters', { ...valid, eventName: 'e'.repeat(256) }, 'eventName'],
    ['a numeric invoiceId', { ...valid, invoiceId: 7 }, 'invoiceId'],
    ['an unknown paymentProcessor', { ...valid, paymentProcessor: 'paypal' }, 'paymentProcessor'],
    ['a paymentProcessor in capitals', { ...valid, paymentProcessor: 'Stripe' }, 'paymentProcessor'],
    ['a leadEventName that is an array', { ...valid, leadEventName: ['Sign Up'] }, 'leadEventName'],
    ['metadata an array', { ...valid, metadata: [1] }, 'metadata'],
    ['metadata with a cycle', { ...valid, metadata: cyclic }, 'metadata'],
    ['metadata over 10 000 characters', { ...valid, metadata: { big: 'x'.repeat(10_000) } }, 'metadata'],
    ['a clickId with a ;', { ...valid, clickId: 'a;b' }, 'clickId'],
    ['a clickId of 129 characters', { ...valid, clickId: 'c'.repeat(129) }, 'clickId'],
  ])('refuses %s, naming the field', (_name, input, field) => {
    const result = validateSaleRequest(input)
    expect(result).toMatchObject({ ok: false, field })
    if (!result.ok && field !== 'body') expect(result.message).toContain(field)
  })
})
