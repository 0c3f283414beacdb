/** The click protocol of the mock API: client-minted IDs, partners and discounts, server-to-server clicks. */
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { MINTED_CLICK_ID_LENGTH, mintClickId, type ClickResponse } from '@refport/contract'
import {
  MOCK_API_KEY,
  MOCK_PUBLISHABLE_KEY,
  startMockRefportApi,
  type MockPartners,
  type MockRefportApi,
} from '../testing'

const jane20 = { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 } as const
const startupPartners: MockPartners = {
  jane: { name: 'Jane Doe', avatarUrl: 'https://cdn.acme.com/jane.png', discount: jane20 },
  bob: {},
}
const mock: MockRefportApi = await startMockRefportApi({ partners: startupPartners })
afterAll(() => mock.close())
beforeEach(() => mock.reset())

const url = 'https://www.acme.com/?via=jane'
const browserClick = (overrides: object = {}) => ({
  publishableKey: MOCK_PUBLISHABLE_KEY,
  key: 'jane',
  url,
  referrer: '',
  ...overrides,
})
const serverClick = (overrides: object = {}) => ({
  key: 'jane',
  url,
  referrer: 'https://janes-blog.example/',
  userAgent: 'Mozilla/5.0 (visitor)',
  ip: '203.0.113.7',
  ...overrides,
})

function post(body: unknown, headers: Record<string, string> = {}, target: MockRefportApi = mock) {
  return fetch(`${target.url}/track/click`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
    body: JSON.stringify(body),
  })
}
const postServer = (body: unknown, key = MOCK_API_KEY) =>
  post(body, { authorization: `Bearer ${key}`, 'content-type': 'application/json' })

async function json<T = unknown>(response: Response): Promise<{ status: number; body: T }> {
  return { status: response.status, body: (await response.json()) as T }
}

const newId = () => mintClickId()!
const janeAnswer = (clickId: string): ClickResponse => ({
  clickId,
  partner: { key: 'jane', name: 'Jane Doe', avatarUrl: 'https://cdn.acme.com/jane.png' },
  discount: jane20,
})

describe('a client-minted clickId', () => {
  it('registers the click under the ID the tracker sent and answers with the partner and discount', async () => {
    const clickId = newId()
    expect(await json(await post(browserClick({ clickId })))).toEqual({ status: 200, body: janeAnswer(clickId) })
    expect(mock.state().clicks).toMatchObject([{ clickId, key: 'jane', source: 'browser' }])
  })

  it('is one click when the same ID comes twice, and both answers are the same', async () => {
    const clickId = newId()
    const first = await json(await post(browserClick({ clickId })))
    const again = await json(await post(browserClick({ clickId })))
    expect(again).toEqual(first)
    expect(first.body).toEqual(janeAnswer(clickId))
    expect(mock.state().clicks).toHaveLength(1)
  })

  it('is one click when the landing middleware registered it first and the tracker sends it again', async () => {
    const clickId = newId()
    const fromServer = await json(await postServer(serverClick({ clickId })))
    const fromBrowser = await json(await post(browserClick({ clickId })))
    expect(fromBrowser).toEqual(fromServer)
    expect(mock.state().clicks).toMatchObject([{ clickId, source: 'server' }])
  })

  it.each<[string, (clickId: string) => Promise<Response>]>([
    ['from the browser', (clickId) => post(browserClick({ clickId, key: 'bob' }))],
    ['from a server', (clickId) => postServer(serverClick({ clickId, key: 'bob' }))],
  ])('is a 409 conflict when the ID comes again for another partner, %s', async (_name, sendForBob) => {
    const clickId = newId()
    expect((await post(browserClick({ clickId }))).status).toBe(200)
    const { status, body } = await json<{ error: { code: string; message: string; field: string } }>(
      await sendForBob(clickId),
    )
    expect(status).toBe(409)
    expect(body.error).toMatchObject({ code: 'conflict', field: 'clickId' })
    expect(body.error.message).toContain('jane')
    expect(mock.state().clicks).toMatchObject([{ clickId, key: 'jane' }])
  })

  it.each<[string, unknown]>([
    ['one character shorter than a minted ID', 'a'.repeat(MINTED_CLICK_ID_LENGTH - 1)],
    ['a short ID such as cl_1', 'cl_1'],
    ['an empty string', ''],
    ['a space inside', `${'a'.repeat(MINTED_CLICK_ID_LENGTH)} b`],
    ['a ; inside', `${'a'.repeat(MINTED_CLICK_ID_LENGTH)};b`],
    ['a non-ASCII letter', 'é'.repeat(MINTED_CLICK_ID_LENGTH)],
    ['129 characters', 'a'.repeat(129)],
    ['a number', 1e21],
    ['null', null],
    ['an array', [newId()]],
  ])('is refused with 422 naming clickId for %s, and nothing is recorded', async (_name, clickId) => {
    const { status, body } = await json<{ error: { code: string; field: string } }>(
      await post(browserClick({ clickId })),
    )
    expect(status).toBe(422)
    expect(body.error).toMatchObject({ code: 'invalid_request', field: 'clickId' })
    expect(mock.state().clicks).toEqual([])
  })

  it.each<[string, string]>([
    ['exactly the minted length', 'A'.repeat(MINTED_CLICK_ID_LENGTH)],
    ['128 characters', '_-'.repeat(64)],
  ])('is accepted at the bounds: %s', async (_name, clickId) => {
    expect(await json(await post(browserClick({ clickId })))).toEqual({ status: 200, body: janeAnswer(clickId) })
  })

  it('is minted by the mock when an old tracker sends none, a new one per click', async () => {
    const first = await json<ClickResponse>(await post(browserClick()))
    const second = await json<ClickResponse>(await post(browserClick()))
    expect(first.body).toEqual(janeAnswer(first.body.clickId))
    expect(first.body.clickId.length).toBeGreaterThanOrEqual(MINTED_CLICK_ID_LENGTH)
    expect(second.body.clickId).not.toBe(first.body.clickId)
    expect(mock.state().clicks).toHaveLength(2)
  })

  it('is a 404 for an unknown partner key, and is not registered', async () => {
    const clickId = newId()
    const { status, body } = await json<{ error: { code: string; message: string } }>(
      await post(browserClick({ clickId, key: 'mallory' })),
    )
    expect(status).toBe(404)
    expect(body.error.code).toBe('not_found')
    expect(body.error.message).toContain('"jane", "bob"')
    // Positive control: the same ID with a known partner is then accepted, not a conflict.
    expect((await post(browserClick({ clickId }))).status).toBe(200)
    expect(mock.state().clicks).toHaveLength(1)
  })

  it('a lead for a click ID the API never received is a 404, even one minted correctly', async () => {
    const lead = (clickId: string) =>
      fetch(`${mock.url}/track/lead`, {
        method: 'POST',
        headers: { authorization: `Bearer ${MOCK_API_KEY}`, 'content-type': 'application/json' },
        body: JSON.stringify({ clickId, eventName: 'Sign Up', customerExternalId: 'user_1' }),
      })
    expect((await lead(newId())).status).toBe(404)
    const sent = newId()
    await post(browserClick({ clickId: sent }))
    expect((await lead(sent)).status).toBe(200)
  })
})

describe('a server-to-server click (Authorization: Bearer)', () => {
  it("records the visitor's userAgent and ip from the body, with source 'server'", async () => {
    const clickId = newId()
    expect(await json(await postServer(serverClick({ clickId })))).toEqual({ status: 200, body: janeAnswer(clickId) })
    expect(mock.state().clicks).toEqual([
      {
        clickId,
        key: 'jane',
        url,
        referrer: 'https://janes-blog.example/',
        origin: null,
        source: 'server',
        userAgent: 'Mozilla/5.0 (visitor)',
        ip: '203.0.113.7',
        createdAt: expect.any(String),
      },
    ])
  })

  it.each<[string, Record<string, string>]>([
    ['a wrong API key', { authorization: 'Bearer sk_wrong' }],
    ['the publishable key as a Bearer', { authorization: `Bearer ${MOCK_PUBLISHABLE_KEY}` }],
    ['Basic instead of Bearer', { authorization: `Basic ${MOCK_API_KEY}` }],
    ['an empty Authorization', { authorization: '' }],
  ])('is a 401 with %s, and nothing is recorded', async (_name, headers) => {
    const { status, body } = await json<{ error: { code: string } }>(
      await post(serverClick({ clickId: newId() }), headers),
    )
    expect(status).toBe(401)
    expect(body.error.code).toBe('unauthorized')
    expect(mock.state().clicks).toEqual([])
  })

  it.each<[string, object, string]>([
    ['no clickId (a server always mints)', { clickId: undefined }, 'clickId'],
    ['a short clickId', { clickId: 'cl_1' }, 'clickId'],
    ['no userAgent', { userAgent: undefined }, 'userAgent'],
    ['a numeric ip', { ip: 7 }, 'ip'],
    ['a relative url', { url: '/?via=jane' }, 'url'],
    ['an unknown-format key', { key: 'ja ne' }, 'key'],
  ])('is a 422 for %s', async (_name, overrides, field) => {
    const { status, body } = await json<{ error: { field: string } }>(
      await postServer(serverClick({ clickId: newId(), ...overrides })),
    )
    expect(status).toBe(422)
    expect(body.error.field).toBe(field)
    expect(mock.state().clicks).toEqual([])
  })

  it("accepts empty userAgent and ip ('' when the visitor's request had none)", async () => {
    expect((await postServer(serverClick({ clickId: newId(), userAgent: '', ip: '' }))).status).toBe(200)
  })
})

describe('partner configuration', () => {
  it('answers a partner with no profile named after its key, with no picture and no discount', async () => {
    const clickId = newId()
    expect((await json(await post(browserClick({ clickId, key: 'bob' })))).body).toEqual({
      clickId,
      partner: { key: 'bob', name: 'bob', avatarUrl: null },
      discount: null,
    })
  })

  it.each<[string, MockPartners]>([
    ['a list of keys', ['jane']],
    ['a list of profiles', [{ key: 'jane', name: 'Jane Doe' }]],
    ['a record', { jane: { name: 'Jane Doe' } }],
  ])('takes %s and then refuses other keys', async (_name, partners) => {
    const own = await startMockRefportApi({ partners })
    try {
      expect((await post(browserClick(), {}, own)).status).toBe(200)
      expect((await post(browserClick({ key: 'bob' }), {}, own)).status).toBe(404)
    } finally {
      await own.close()
    }
  })

  it('accepts any well-formed key when no partners are given', async () => {
    const own = await startMockRefportApi()
    try {
      const { body } = await json<ClickResponse>(await post(browserClick({ key: 'anyone_at_all' }), {}, own))
      expect(body.partner).toEqual({ key: 'anyone_at_all', name: 'anyone_at_all', avatarUrl: null })
    } finally {
      await own.close()
    }
  })

  it('changes at run time with setPartners; reset restores the start-up partners; a resent click keeps its answer', async () => {
    const clickId = newId()
    await post(browserClick({ clickId }))
    mock.setPartners([
      { key: 'carol', name: 'Carol', discount: { code: 'C5', amount: 500, type: 'flat', durationMonths: null } },
    ])
    const carol = await json<ClickResponse>(await post(browserClick({ key: 'carol' })))
    expect(carol.body).toMatchObject({
      partner: { key: 'carol', name: 'Carol' },
      discount: { amount: 500, type: 'flat' },
    })
    expect((await post(browserClick({ clickId: newId() }))).status).toBe(404) // jane is gone
    expect((await json(await post(browserClick({ clickId })))).body).toEqual(janeAnswer(clickId)) // registered before
    mock.setPartners(undefined)
    expect((await post(browserClick({ key: 'dave' }))).status).toBe(200)
    mock.reset()
    expect((await post(browserClick({ key: 'carol' }))).status).toBe(404)
    expect((await json(await post(browserClick({ clickId })))).body).toEqual(janeAnswer(clickId))
  })

  it('changes over HTTP with POST /__mock/partners (null: any key)', async () => {
    const set = await fetch(`${mock.url}/__mock/partners`, { method: 'POST', body: JSON.stringify(['erin']) })
    expect(await json(set)).toEqual({
      status: 200,
      body: { partners: [{ key: 'erin', name: 'erin', avatarUrl: null, discount: null }] },
    })
    expect((await post(browserClick({ key: 'erin' }))).status).toBe(200)
    expect((await post(browserClick())).status).toBe(404)
    const open = await fetch(`${mock.url}/__mock/partners`, { method: 'POST', body: 'null' })
    expect(await json(open)).toEqual({ status: 200, body: { partners: null } })
    expect((await post(browserClick({ key: 'frank' }))).status).toBe(200)
  })

  it('refuses an invalid list: TypeError from code, 422 over HTTP, and keeps the partners it had', async () => {
    const invalid = [{ key: 'jane', avatarUrl: 'http://insecure.example/jane.png' }]
    expect(() => mock.setPartners(invalid)).toThrow(/avatarUrl must be an https URL/)
    const response = await fetch(`${mock.url}/__mock/partners`, { method: 'POST', body: JSON.stringify(invalid) })
    expect(await json(response)).toMatchObject({
      status: 422,
      body: { error: { code: 'invalid_request', field: 'partners' } },
    })
    expect((await json(await post(browserClick({ clickId: newId() })))).body).toMatchObject({
      partner: { name: 'Jane Doe' },
    })
    await expect(startMockRefportApi({ partners: ['ja ne'] })).rejects.toThrow(TypeError)
  })
})
