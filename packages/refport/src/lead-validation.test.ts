import { describe, expect, it } from 'vitest'
import { validateLeadRequest } from './lead-validation'

const valid = { clickId: 'cl_abc', eventName: 'Sign Up', customerExternalId: 'user_1' }

describe('validateLeadRequest', () => {
  it('accepts the minimal lead and returns it unchanged', () => {
    expect(validateLeadRequest(valid)).toEqual({ ok: true, lead: valid })
  })

  it('keeps every optional field and drops unknown ones', () => {
    const full = {
      ...valid,
      customerEmail: 'jane@acme.com',
      customerName: 'Jane',
      customerAvatar: 'https://acme.com/jane.png',
      metadata: { plan: 'pro', seats: 3 },
    }
    expect(validateLeadRequest({ ...full, extra: 'ignored' })).toEqual({ ok: true, lead: full })
  })

  it('treats null optional fields as absent (user records often hold null)', () => {
    expect(
      validateLeadRequest({
        ...valid,
        customerName: null,
        customerAvatar: null,
        customerEmail: undefined,
        metadata: null,
      }),
    ).toEqual({
      ok: true,
      lead: valid,
    })
  })

  // A phone-only sign-up often has `email: ''`; a user without a photo `image: ''`. The lead
  // is still a lead: the blank field is left out instead of refusing everything.
  it.each<[string, Record<string, unknown>]>([
    ["customerEmail ''", { customerEmail: '' }],
    ["customerEmail '  '", { customerEmail: '  ' }],
    ["customerName ''", { customerName: '' }],
    ["customerAvatar ''", { customerAvatar: '' }],
    ['all three blank', { customerEmail: '', customerName: '\t', customerAvatar: ' ' }],
  ])('leaves out a blank optional field (%s) and accepts the lead', (_name, blank) => {
    expect(validateLeadRequest({ ...valid, ...blank })).toEqual({ ok: true, lead: valid })
  })

  const cyclic: Record<string, unknown> = {}
  cyclic.self = cyclic
  it.each<[string, unknown, string]>([
    ['not an object', 'lead', 'body'],
    ['null', null, 'body'],
    ['an array', [valid], 'body'],
    ['missing clickId', { ...valid, clickId: undefined }, 'clickId'],
    ['clickId with a ;', { ...valid, clickId: 'a;b' }, 'clickId'],
    ['clickId of 129 characters', { ...valid, clickId: 'a'.repeat(129) }, 'clickId'],
    ['empty eventName', { ...valid, eventName: '' }, 'eventName'],
    ['blank eventName', { ...valid, eventName: '   ' }, 'eventName'],
    ['eventName of 256 characters', { ...valid, eventName: 'e'.repeat(256) }, 'eventName'],
    ['numeric customerExternalId', { ...valid, customerExternalId: 42 }, 'customerExternalId'],
    ['missing customerExternalId', { ...valid, customerExternalId: undefined }, 'customerExternalId'],
    ['customerEmail without @', { ...valid, customerEmail: 'jane' }, 'customerEmail'],
    ['customerEmail with a space', { ...valid, customerEmail: 'ja ne@acme.com' }, 'customerEmail'],
    ['customerEmail not a string', { ...valid, customerEmail: ['jane@acme.com'] }, 'customerEmail'],
    ['customerName too long', { ...valid, customerName: 'n'.repeat(256) }, 'customerName'],
    ['customerAvatar javascript: URL', { ...valid, customerAvatar: 'javascript:alert(1)' }, 'customerAvatar'],
    ['metadata an array', { ...valid, metadata: [1] }, 'metadata'],
    ["metadata ''", { ...valid, metadata: '' }, 'metadata'],
    ['metadata a Date', { ...valid, metadata: new Date() }, 'metadata'],
    ['metadata with a cycle', { ...valid, metadata: cyclic }, 'metadata'],
    ['metadata with a BigInt', { ...valid, metadata: { n: 1n } }, 'metadata'],
    ['metadata over 10 000 characters', { ...valid, metadata: { big: 'x'.repeat(10_000) } }, 'metadata'],
  ])('refuses %s, naming the field', (_name, input, field) => {
    const result = validateLeadRequest(input)
    expect(result).toMatchObject({ ok: false, field })
    if (!result.ok && field !== 'body') expect(result.message).toContain(field)
  })
})
