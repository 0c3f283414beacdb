import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { LEAD_DEDUPE_WINDOW_MS, MINTED_CLICK_ID_LENGTH, isClickId } from '@refport/contract'
import {
  MOCK_API_KEY,
  startMockRefportApi,
  type Fault,
  type MockRefportApi,
  type MockRefportApiOptions,
} from '../testing'
import { registerClick } from '@refport/test-support/mock-api'

let clock = Date.parse('2026-01-01T00:00:00Z')
const mock: MockRefportApi = await startMockRefportApi({ now: () => clock })
afterAll(() => mock.close())
beforeEach(() => {
  mock.reset()
  clock = Date.parse('2026-01-01T00:00:00Z')
})

const clickBody = {
  publishableKey: 'pk_test_refport',
  key: 'jane',
  url: 'https://www.acme.com/?via=jane',
  referrer: '',
}

function postClick(body: unknown, init: RequestInit = {}) {
  return fetch(`${mock.url}/track/click`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...init.headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

const newClick = () => registerClick(mock.url)

/** Runs `use` against a mock of its own, started with `options`, and closes it afterwards. */
async function withOwnMock(options: MockRefportApiOptions, use: (own: MockRefportApi) => Promise<void>): Promise<void> {
  const own = await startMockRefportApi(options)
  try {
    await use(own)
  } finally {
    await own.close()
  }
}

function postLead(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${mock.url}/track/lead`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MOCK_API_KEY}`, 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
}

/** Resolves when an HTTP server in this process has received the next request (an event, not a sleep). */
function nextServerRequest(): Promise<void> {
  return new Promise((resolve) => {
    const onRequest = () => {
      unsubscribe('http.server.request.start', onRequest)
      // The handler runs right after the channel fires; let it reach its await first.
      setImmediate(resolve)
    }
    subscribe('http.server.request.start', onRequest)
  })
}

const lead = (clickId: string, overrides: object = {}) => ({
  clickId,
  eventName: 'Sign Up',
  customerExternalId: 'user_1',
  ...overrides,
})

describe('POST /track/click', () => {
  it('mints a random valid click ID for a text/plain JSON body without clickId and records the click', async () => {
    const response = await postClick(clickBody, {
      headers: { origin: 'https://www.acme.com', 'user-agent': 'TestBrowser/1' },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    const body = (await response.json()) as { clickId: string; partner: { key: string } }
    expect(isClickId(body.clickId)).toBe(true)
    expect(body.clickId.length).toBeGreaterThanOrEqual(MINTED_CLICK_ID_LENGTH)
    expect(body).toEqual({
      clickId: body.clickId,
      partner: { key: 'jane', name: 'jane', avatarUrl: null },
      discount: null,
    })
    // A second click without clickId gets an ID of its own.
    expect(((await (await postClick(clickBody)).json()) as { clickId: string }).clickId).not.toBe(body.clickId)
    expect(mock.state().clicks[0]).toEqual({
      clickId: body.clickId,
      key: 'jane',
      url: clickBody.url,
      referrer: '',
      origin: 'https://www.acme.com',
      source: 'browser',
      userAgent: 'TestBrowser/1',
      ip: '127.0.0.1',
      createdAt: '2026-01-01T00:00:00.000Z',
    })
  })

  it('accepts an application/json body too', async () => {
    const response = await fetch(`${mock.url}/track/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(clickBody),
    })
    expect(response.status).toBe(200)
  })

  it('answers a CORS preflight and counts it', async () => {
    const response = await fetch(`${mock.url}/track/click`, {
      method: 'OPTIONS',
      headers: { origin: 'https://www.acme.com', 'access-control-request-method': 'POST' },
    })
    expect(response.status).toBe(204)
    expect(response.headers.get('access-control-allow-origin')).toBe('*')
    expect(response.headers.get('access-control-allow-methods')).toContain('POST')
    expect(mock.state().preflights).toBe(1)
  })

  it.each<[string, unknown, number, string | undefined]>([
    ['not JSON', '{oops', 400, undefined],
    // JSON of the wrong shape is an invalid body (422), not unreadable (400).
    ['a JSON array', '[]', 422, 'body'],
    ['a JSON string', '"jane"', 422, 'body'],
    ['JSON null', 'null', 422, 'body'],
    ['no publishableKey', { ...clickBody, publishableKey: undefined }, 422, 'publishableKey'],
    ['a wrong publishableKey', { ...clickBody, publishableKey: 'pk_other' }, 401, undefined],
    ['a partner key with ;', { ...clickBody, key: 'jane;x' }, 422, 'key'],
    ['a relative url', { ...clickBody, url: '/landing' }, 422, 'url'],
    ['no referrer', { ...clickBody, referrer: undefined }, 422, 'referrer'],
  ])('refuses %s with the error shape', async (_name, body, status, field) => {
    const response = await postClick(body)
    expect(response.status).toBe(status)
    const error = ((await response.json()) as { error: { code: string; message: string; field?: string } }).error
    expect(typeof error.code).toBe('string')
    expect(error.message.length).toBeGreaterThan(0)
    expect(error.field).toBe(field)
    expect(mock.state().clicks).toEqual([])
  })

  it('with a partner list, answers 404 for an unknown partner', async () => {
    await withOwnMock({ partners: ['jane'] }, async (strict) => {
      const post = (key: string) =>
        fetch(`${strict.url}/track/click`, { method: 'POST', body: JSON.stringify({ ...clickBody, key }) })
      expect((await post('jane')).status).toBe(200)
      const unknown = await post('bob')
      expect(unknown.status).toBe(404)
      expect(await unknown.json()).toMatchObject({ error: { code: 'not_found' } })
    })
  })
})

describe('POST /track/lead', () => {
  it('records a lead for a known click, crediting its partner', async () => {
    const clickId = await newClick()
    const response = await postLead(lead(clickId, { customerEmail: 'jane@acme.com', metadata: { plan: 'pro' } }))
    expect(response.status).toBe(200)
    const body = (await response.json()) as { lead: Record<string, unknown>; duplicate: boolean }
    expect(body.duplicate).toBe(false)
    expect(body.lead).toMatchObject({
      clickId,
      eventName: 'Sign Up',
      customerExternalId: 'user_1',
      customerEmail: 'jane@acme.com',
      metadata: { plan: 'pro' },
      partner: { key: 'jane' },
      createdAt: '2026-01-01T00:00:00.000Z',
    })
    expect(mock.state().leads).toEqual([body.lead])
  })

  it.each<[string, Record<string, string>]>([
    ['no Authorization', { authorization: '' }],
    ['a wrong key', { authorization: 'Bearer nope' }],
    ['Basic instead of Bearer', { authorization: `Basic ${MOCK_API_KEY}` }],
  ])('answers 401 for %s', async (_name, headers) => {
    const response = await postLead(lead(await newClick()), headers)
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } })
    expect(mock.state().leads).toEqual([])
  })

  it('answers 400 for a body that is not JSON', async () => {
    const response = await postLead('not json')
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } })
  })

  // The contract: 422 for an invalid body. An array or a number is JSON, just not a lead.
  it.each([
    ['an array', '[]'],
    ['an array holding the lead', 'LEAD_IN_ARRAY'],
    ['a number', '42'],
    ['a string', '"Sign Up"'],
    ['null', 'null'],
  ])('answers 422 naming body for JSON that is not an object: %s', async (_name, text) => {
    const body = text === 'LEAD_IN_ARRAY' ? JSON.stringify([lead(await newClick())]) : text
    const response = await postLead(body)
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request', field: 'body' } })
    expect(mock.state().leads).toEqual([])
  })

  it.each<[string, object, string]>([
    ['a bad clickId', { clickId: 'a b' }, 'clickId'],
    ['no eventName', { eventName: '' }, 'eventName'],
    ['a numeric customerExternalId', { customerExternalId: 7 }, 'customerExternalId'],
    ['a bad email', { customerEmail: 'nope' }, 'customerEmail'],
  ])('answers 422 naming the field for %s', async (_name, overrides, field) => {
    const response = await postLead(lead(await newClick(), overrides))
    expect(response.status).toBe(422)
    const { error } = (await response.json()) as { error: { code: string; message: string; field: string } }
    expect(error).toMatchObject({ code: 'invalid_request', field })
    expect(error.message).toContain(field)
  })

  it('answers 404 for a click it never minted', async () => {
    const response = await postLead(lead('cl_unknown'))
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({ error: { code: 'not_found' } })
  })

  it('deduplicates customerExternalId + eventName within 7 days, by its injectable clock', async () => {
    const clickId = await newClick()
    const first = (await (await postLead(lead(clickId))).json()) as { lead: { id: string }; duplicate: boolean }
    clock += LEAD_DEDUPE_WINDOW_MS - 1
    const again = (await (await postLead(lead(clickId))).json()) as { lead: { id: string }; duplicate: boolean }
    expect(again).toEqual({ lead: first.lead, duplicate: true })
    // Another event of the same customer, or another customer, is a new lead.
    expect(
      ((await (await postLead(lead(clickId, { eventName: 'Purchase' }))).json()) as { duplicate: boolean }).duplicate,
    ).toBe(false)
    expect(
      ((await (await postLead(lead(clickId, { customerExternalId: 'user_2' }))).json()) as { duplicate: boolean })
        .duplicate,
    ).toBe(false)
    expect(mock.state().leads).toHaveLength(3)
    clock += 1 // the window has passed
    const later = (await (await postLead(lead(clickId))).json()) as { lead: { id: string }; duplicate: boolean }
    expect(later.duplicate).toBe(false)
    expect(later.lead.id).not.toBe(first.lead.id)
    expect(mock.state().leads).toHaveLength(4)
  })

  it('replays the first answer for a repeated Idempotency-Key and records once', async () => {
    const clickId = await newClick()
    const body = JSON.stringify(lead(clickId))
    const first = await postLead(body, { 'idempotency-key': 'k1' })
    const retry = await postLead(body, { 'idempotency-key': 'k1' })
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    // The replay is the first answer (duplicate: false), not a dedupe hit.
    expect(await retry.json()).toEqual(await first.json())
    expect(mock.state().leads).toHaveLength(1)
  })

  it('answers 409 when an Idempotency-Key comes back with another body', async () => {
    const clickId = await newClick()
    await postLead(lead(clickId), { 'idempotency-key': 'k2' })
    const response = await postLead(lead(clickId, { eventName: 'Other' }), { 'idempotency-key': 'k2' })
    expect(response.status).toBe(409)
    expect(await response.json()).toMatchObject({ error: { code: 'idempotency_conflict' } })
  })
})

describe('faults', () => {
  it('answers an injected status with the error shape, then recovers after `times`', async () => {
    mock.setFaults({ lead: { status: 503, times: 2 } })
    const clickId = await newClick()
    for (let i = 0; i < 2; i++) {
      const response = await postLead(lead(clickId))
      expect(response.status).toBe(503)
      expect(await response.json()).toMatchObject({ error: { code: 'internal_error' } })
    }
    expect((await postLead(lead(clickId))).status).toBe(200)
    expect(mock.state().leads).toHaveLength(1)
  })

  it('answers a custom body', async () => {
    mock.setFaults({ click: { status: 200, body: 'not json' } })
    const response = await postClick(clickBody)
    expect(await response.text()).toBe('not json')
    expect(mock.state().clicks).toEqual([])
  })

  it('adds latency', async () => {
    mock.setFaults({ click: { delayMs: 60 } })
    const start = performance.now()
    expect((await postClick(clickBody)).status).toBe(200)
    expect(performance.now() - start).toBeGreaterThanOrEqual(55)
  })

  it('hangs until the client gives up', async () => {
    mock.setFaults({ lead: { hang: true } })
    const controller = new AbortController()
    const received = nextServerRequest()
    let settled = false
    const pending = fetch(`${mock.url}/track/lead`, { method: 'POST', body: '{}', signal: controller.signal })
    void pending.finally(() => (settled = true)).catch(() => {})
    await received
    expect(settled).toBe(false)
    controller.abort()
    await expect(pending).rejects.toThrow()
  })

  it('drops the connection (a network error for the client)', async () => {
    mock.setFaults({ lead: { drop: true } })
    await expect(postLead(lead(await newClick()))).rejects.toThrow(TypeError)
  })

  it('can be switched over HTTP, and reset restores the start-up faults', async () => {
    const set = await fetch(`${mock.url}/__mock/faults`, {
      method: 'POST',
      body: JSON.stringify({ click: { status: 500 } }),
    })
    expect(await set.json()).toEqual({ faults: { click: { status: 500 } } })
    expect((await postClick(clickBody)).status).toBe(500)
    await fetch(`${mock.url}/__mock/reset`, { method: 'POST' })
    expect((await postClick(clickBody)).status).toBe(200)
  })

  it.each<[string, unknown]>([
    ['an unknown target', { pageview: { status: 500 } }],
    ['a status out of range', { lead: { status: 99 } }],
    ['a negative delay', { lead: { delayMs: -1 } }],
    ['times of 0', { lead: { times: 0 } }],
    ['hang not a boolean', { lead: { hang: 'yes' } }],
    ['an array', []],
  ])('refuses %s (422 over HTTP, TypeError from code)', async (_name, faults) => {
    const response = await fetch(`${mock.url}/__mock/faults`, { method: 'POST', body: JSON.stringify(faults) })
    expect(response.status).toBe(422)
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_request' } })
    expect(() => mock.setFaults(faults as never)).toThrow(TypeError)
  })

  it('applies faults given at start-up', async () => {
    await withOwnMock({ faults: { click: { status: 429 } } }, async (faulty) => {
      const response = await fetch(`${faulty.url}/track/click`, { method: 'POST', body: JSON.stringify(clickBody) })
      expect(response.status).toBe(429)
      expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } })
    })
  })
})

describe('/__mock endpoints and routing', () => {
  it('serves the state over HTTP and resets it', async () => {
    await newClick()
    const state = await (await fetch(`${mock.url}/__mock/state`)).json()
    expect(state).toEqual(mock.state())
    expect(state).toMatchObject({ clicks: [{ key: 'jane' }], leads: [], sales: [], preflights: 0 })
    expect((await fetch(`${mock.url}/__mock/reset`, { method: 'POST' })).status).toBe(200)
    expect(mock.state()).toEqual({ clicks: [], leads: [], sales: [], preflights: 0 })
  })

  it('hands out copies: mutating the state changes nothing', async () => {
    await newClick()
    mock.state().clicks.length = 0
    expect(mock.state().clicks).toHaveLength(1)
  })

  it.each<[string, string, number, string]>([
    ['GET', '/nope', 404, 'not_found'],
    ['GET', '/track/lead', 405, 'method_not_allowed'],
    ['POST', '/__mock/state', 405, 'method_not_allowed'],
  ])('%s %s → %i', async (method, path, status, code) => {
    const response = await fetch(mock.url + path, { method })
    expect(response.status).toBe(status)
    expect(await response.json()).toMatchObject({ error: { code } })
  })

  it('refuses a body over 1 MB with 413', async () => {
    const response = await postClick('x'.repeat(1_000_001))
    expect(response.status).toBe(413)
  })
})

describe('lifecycle', () => {
  it('listens on 127.0.0.1 by default on a random port, and on a chosen port', async () => {
    const random = await startMockRefportApi()
    expect(random.url).toBe(`http://127.0.0.1:${random.port}`)
    expect(random.port).toBeGreaterThan(0)
    const { port } = random
    await random.close()
    const chosen = await startMockRefportApi({ port })
    expect(chosen.url).toBe(`http://127.0.0.1:${port}`)
    expect((await fetch(`${chosen.url}/__mock/state`)).status).toBe(200)
    await chosen.close()
  })

  it('rejects when the port is taken', async () => {
    await expect(startMockRefportApi({ port: mock.port })).rejects.toThrow(/EADDRINUSE/)
  })

  it.each<[string, Fault]>([
    ['a hanging request', { hang: true }],
    ['a request waiting on an injected delay', { delayMs: 60_000 }],
  ])('close() ends %s instead of waiting for it', async (_what, fault) => {
    const own = await startMockRefportApi({ faults: { lead: fault } })
    const received = nextServerRequest()
    const pending = fetch(`${own.url}/track/lead`, { method: 'POST', body: '{}' }).catch((error: unknown) => error)
    await received
    await own.close()
    expect(await pending).toBeInstanceOf(Error)
  })
})
