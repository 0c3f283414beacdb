/**
 * `/__mock/*` is for tests and the developer's own tools, not for every website the
 * developer has open; the wire endpoints stay open to every origin, as the real API is.
 */
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { CLICK_PATH, LEAD_PATH } from '@refport/contract'
import { MOCK_API_KEY, startMockRefportApi } from '../testing'
import { registerClick } from '@refport/test-support/mock-api'
import { MAX_IDEMPOTENCY_KEYS, MockStore } from './store'

const DASHBOARD = 'http://localhost:4403'
const mock = await startMockRefportApi({ controlOrigins: [DASHBOARD] })
afterAll(() => mock.close())
beforeEach(() => mock.reset())

const EVIL = 'https://evil.example'

describe('/__mock/* from a browser page', () => {
  it.each<[string, string, RequestInit]>([
    ['reads the state (customers’ emails)', '/__mock/state', {}],
    [
      'sets faults with a text/plain POST (no preflight)',
      '/__mock/faults',
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"lead":{"status":500}}' },
    ],
    ['resets the mock', '/__mock/reset', { method: 'POST' }],
    ['preflights', '/__mock/faults', { method: 'OPTIONS', headers: { 'access-control-request-method': 'POST' } }],
  ])('another origin cannot: %s (403, no CORS header, nothing changed)', async (_what, path, init) => {
    const clickId = await registerClick(mock.url)
    const response = await fetch(`${mock.url}${path}`, { ...init, headers: { ...init.headers, origin: EVIL } })
    expect(response.status).toBe(403)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    const body = await response.text()
    expect(body).not.toContain(clickId)
    // Nothing changed: the click is still there, and a lead still goes through (no fault set).
    expect(mock.state().clicks.map((click) => click.clickId)).toEqual([clickId])
    const lead = await fetch(`${mock.url}${LEAD_PATH}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${MOCK_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ clickId, eventName: 'Sign Up', customerExternalId: 'u1', customerEmail: 'jane@acme.com' }),
    })
    expect(lead.status).toBe(200)
  })

  it('a listed control origin reads the state, with a CORS header naming it', async () => {
    await registerClick(mock.url)
    const response = await fetch(`${mock.url}/__mock/state`, { headers: { origin: DASHBOARD } })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe(DASHBOARD)
    expect(response.headers.get('vary')).toMatch(/origin/i)
    expect((await response.json()).clicks).toHaveLength(1)
  })

  it('a script or a test (no Origin) is served, without a CORS header', async () => {
    const response = await fetch(`${mock.url}/__mock/state`)
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('the wire endpoint still answers any origin (the tracker posts clicks from the user’s site)', async () => {
    const response = await fetch(`${mock.url}${CLICK_PATH}`, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'text/plain' },
      body: JSON.stringify({
        publishableKey: 'pk_test_refport',
        key: 'jane',
        url: 'https://www.acme.com/?via=jane',
        referrer: '',
      }),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
  })
})

describe('the idempotency store is capped', () => {
  const response = (id: string) => ({ lead: { id } as never, duplicate: false })

  it(`keeps at most ${MAX_IDEMPOTENCY_KEYS} keys, forgetting the oldest`, () => {
    const store = new MockStore(Date.now)
    for (let i = 0; i < MAX_IDEMPOTENCY_KEYS + 200; i++) store.remember(`key-${i}`, `body-${i}`, response(`lead_${i}`))
    expect(store.idempotencyKeys).toBe(MAX_IDEMPOTENCY_KEYS)
    expect(store.answeredFor('key-0', 'body-0')).toBeUndefined()
    expect(store.answeredFor(`key-${MAX_IDEMPOTENCY_KEYS + 199}`, `body-${MAX_IDEMPOTENCY_KEYS + 199}`)).toEqual(
      response(`lead_${MAX_IDEMPOTENCY_KEYS + 199}`),
    )
  })

  it('still tells a replay from a conflict without keeping the body', () => {
    const store = new MockStore(Date.now)
    const big = JSON.stringify({ padding: 'x'.repeat(900_000) })
    store.remember('k', big, response('lead_1'))
    expect(store.answeredFor('k', big)).toEqual(response('lead_1'))
    expect(store.answeredFor('k', `${big} `)).toBe('conflict')
    // What the store holds for the key is a digest, not the 900 KB body.
    expect(
      JSON.stringify((store as unknown as { answered: Map<string, unknown> }).answered.get('k')).length,
    ).toBeLessThan(200)
  })
})
