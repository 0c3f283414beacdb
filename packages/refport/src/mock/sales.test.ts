/** `POST /track/sale` on the mock API: who a sale is credited to, and when it is one sale. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { LEAD_DEDUPE_WINDOW_MS, type SaleResponse } from '@refport/contract'
import { registerClick } from '@refport/test-support/mock-api'
import { MOCK_API_KEY, startMockRefportApi, type MockRefportApi } from '../testing'

let clock = Date.parse('2026-01-01T00:00:00Z')
const mock: MockRefportApi = await startMockRefportApi({ now: () => clock })
afterAll(() => mock.close())
beforeEach(() => {
  mock.reset()
  clock = Date.parse('2026-01-01T00:00:00Z')
})

function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${mock.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MOCK_API_KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}
async function sale(
  body: object,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: SaleResponse & { error?: { code: string; message: string; field?: string } } }> {
  const response = await post('/track/sale', body, headers)
  return { status: response.status, body: (await response.json()) as never }
}
async function lead(clickId: string, customerExternalId = 'user_1', eventName = 'Sign Up') {
  const response = await post('/track/lead', { clickId, eventName, customerExternalId })
  expect(response.status).toBe(200)
}
const purchase = (overrides: object = {}) => ({
  customerExternalId: 'user_1',
  amount: 4900,
  currency: 'usd',
  ...overrides,
})

describe('POST /track/sale', () => {
  it("credits the partner of the customer's lead, with the defaults filled in", async () => {
    const clickId = await registerClick(mock.url, 'jane')
    await lead(clickId)
    const { status, body } = await sale(purchase({ currency: 'EUR', metadata: { plan: 'pro' } }))
    expect(status).toBe(200)
    expect(body).toEqual({
      sale: {
        id: expect.stringMatching(/^sale_/),
        customerExternalId: 'user_1',
        amount: 4900,
        currency: 'eur',
        eventName: 'Purchase',
        paymentProcessor: 'custom',
        metadata: { plan: 'pro' },
        clickId,
        partner: { key: 'jane' },
        createdAt: '2026-01-01T00:00:00.000Z',
      },
      duplicate: false,
    })
    expect(mock.state().sales).toEqual([body.sale])
  })

  it('follows the latest lead of the customer, or the one named by leadEventName', async () => {
    const janeClick = await registerClick(mock.url, 'jane')
    const bobClick = await registerClick(mock.url, 'bob')
    await lead(janeClick, 'user_1', 'Sign Up')
    await lead(bobClick, 'user_1', 'Demo Booked')
    expect((await sale(purchase())).body.sale.partner.key).toBe('bob')
    expect((await sale(purchase({ leadEventName: 'Sign Up' }))).body.sale).toMatchObject({
      partner: { key: 'jane' },
      clickId: janeClick,
    })
  })

  it('credits a sale with no lead before it through clickId (a Payment Link bought at once)', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    const { status, body } = await sale(purchase({ customerExternalId: 'cus_new', clickId }))
    expect(status).toBe(200)
    expect(body.sale).toMatchObject({ customerExternalId: 'cus_new', clickId, partner: { key: 'jane' } })
  })

  it("prefers the customer's lead over a clickId the sale also carries", async () => {
    const janeClick = await registerClick(mock.url, 'jane')
    const bobClick = await registerClick(mock.url, 'bob')
    await lead(janeClick)
    expect((await sale(purchase({ clickId: bobClick }))).body.sale.partner.key).toBe('jane')
  })

  it.each<[string, () => Promise<object>, RegExp]>([
    [
      'an unknown customer and no clickId',
      async () => purchase({ customerExternalId: 'stranger' }),
      /no lead for customerExternalId "stranger" — call track.lead .* or pass the visitor's clickId/,
    ],
    [
      'an unknown customer and an unknown clickId',
      async () => purchase({ customerExternalId: 'stranger', clickId: 'V1StGXR8_Z5jdHi6B-myTq' }),
      /unknown clickId "V1StGXR8_Z5jdHi6B-myTq"/,
    ],
    [
      'a known customer without a lead of leadEventName',
      async () => {
        await lead(await registerClick(mock.url))
        return purchase({ leadEventName: 'Trial Started' })
      },
      /no "Trial Started" lead for customerExternalId "user_1"/,
    ],
  ])('is a 404 for %s, saying what to do, and records nothing', async (_name, body, message) => {
    const { status, body: answer } = await sale(await body())
    expect(status).toBe(404)
    expect(answer.error).toMatchObject({ code: 'not_found', message: expect.stringMatching(message) })
    expect(mock.state().sales).toEqual([])
  })

  it('makes the same invoiceId one sale forever: duplicate: true with the earlier record', async () => {
    await lead(await registerClick(mock.url))
    const first = await sale(purchase({ invoiceId: 'in_1' }))
    clock += 10 * LEAD_DEDUPE_WINDOW_MS
    const again = await sale(purchase({ invoiceId: 'in_1', amount: 9999 }))
    expect(again).toEqual({ status: 200, body: { sale: first.body.sale, duplicate: true } })
    // Another invoice, or a sale without one, is a new sale.
    expect((await sale(purchase({ invoiceId: 'in_2' }))).body.duplicate).toBe(false)
    expect((await sale(purchase())).body.duplicate).toBe(false)
    expect((await sale(purchase())).body.duplicate).toBe(false)
    expect(mock.state().sales.map((recorded) => recorded.invoiceId)).toEqual(['in_1', 'in_2', undefined, undefined])
  })

  it('replays the first answer for a repeated Idempotency-Key and records once; another body is a 409', async () => {
    await lead(await registerClick(mock.url))
    const first = await sale(purchase(), { 'idempotency-key': 's1' })
    const replay = await post('/track/sale', purchase(), { 'idempotency-key': 's1' })
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(await replay.json()).toEqual(first.body)
    expect(mock.state().sales).toHaveLength(1)
    const conflict = await sale(purchase({ amount: 1 }), { 'idempotency-key': 's1' })
    expect(conflict.status).toBe(409)
    expect(conflict.body.error?.code).toBe('idempotency_conflict')
  })

  it.each<[string, Record<string, string>]>([
    ['no Authorization', { authorization: '' }],
    ['a wrong key', { authorization: 'Bearer nope' }],
  ])('is a 401 with %s', async (_name, headers) => {
    await lead(await registerClick(mock.url))
    const { status, body } = await sale(purchase(), headers)
    expect(status).toBe(401)
    expect(body.error?.code).toBe('unauthorized')
    expect(mock.state().sales).toEqual([])
  })

  it.each<[string, object, string]>([
    ['a fractional amount', { amount: 49.99 }, 'amount'],
    ['a currency symbol', { currency: '$' }, 'currency'],
    ['an unknown processor', { paymentProcessor: 'paypal' }, 'paymentProcessor'],
  ])('is a 422 naming the field for %s', async (_name, overrides, field) => {
    const { status, body } = await sale(purchase(overrides))
    expect(status).toBe(422)
    expect(body.error).toMatchObject({ code: 'invalid_request', field })
  })

  it('is a 400 for a body that is not JSON and a 422 naming body for JSON that is not an object', async () => {
    expect((await post('/track/sale', 'nope')).status).toBe(400)
    expect((await sale([purchase()])).body.error).toMatchObject({ field: 'body' })
  })

  it('takes faults like the other endpoints, then recovers', async () => {
    await lead(await registerClick(mock.url))
    mock.setFaults({ sale: { status: 503, times: 1 } })
    expect((await sale(purchase())).status).toBe(503)
    expect((await sale(purchase())).status).toBe(200)
    expect(mock.state().sales).toHaveLength(1)
  })

  it('shows sales in GET /__mock/state and forgets them on reset', async () => {
    await lead(await registerClick(mock.url))
    await sale(purchase())
    expect(await (await fetch(`${mock.url}/__mock/state`)).json()).toMatchObject({ sales: [{ amount: 4900 }] })
    await fetch(`${mock.url}/__mock/reset`, { method: 'POST' })
    expect(mock.state().sales).toEqual([])
  })
})
