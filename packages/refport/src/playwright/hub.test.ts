import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { mintClickId } from '@refport/contract'
import { MOCK_API_KEY, startMockRefportApi, type MockRefportApi } from '../testing'
import { registerClick } from '@refport/test-support/mock-api'
import { WORKER_TAG_PRODUCT, startRefportHub, type HubLogEntry, type RefportHub } from './hub'

// Two workers' mocks behind one hub, as two Playwright workers run them.
let hub: RefportHub
let a: MockRefportApi
let b: MockRefportApi

beforeAll(async () => {
  ;[hub, a, b] = await Promise.all([startRefportHub({ port: 0 }), startMockRefportApi(), startMockRefportApi()])
})
afterAll(async () => {
  await Promise.all([hub.close(), a.close(), b.close()])
})
afterEach(async () => {
  a.reset()
  b.reset()
  a.setFaults({})
  for (const tag of ['workerA', 'workerB']) await fetch(`${hub.url}/__hub/workers/${tag}`, { method: 'DELETE' })
})

const register = (tag: string, url: string) =>
  fetch(`${hub.url}/__hub/workers`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ tag, url }),
  })

async function registerBoth() {
  expect((await register('workerA', a.url)).status).toBe(200)
  expect((await register('workerB', b.url)).status).toBe(200)
}

/** A call from the app's server to its REFPORT_API_URL (the hub). */
const post = (path: string, body: unknown) =>
  fetch(`${hub.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${MOCK_API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

const lead = (clickId: string, customer = 'user_1') => ({ clickId, eventName: 'Sign Up', customerExternalId: customer })

async function logOf(tag: string): Promise<{ requests: HubLogEntry[]; unrouted: HubLogEntry[] }> {
  return (await fetch(`${hub.url}/__hub/workers/${tag}/log?since=0`)).json() as Promise<{
    requests: HubLogEntry[]
    unrouted: HubLogEntry[]
  }>
}

describe('the hub routes each server call to the worker it is about', () => {
  it('a lead goes to the mock that holds its click, whichever registered first', async () => {
    await registerBoth()
    const clickInB = await registerClick(b.url, 'zoe')
    const clickInA = await registerClick(a.url, 'alice')
    expect((await post('/track/lead', lead(clickInB, 'user_b'))).status).toBe(200)
    expect((await post('/track/lead', lead(clickInA, 'user_a'))).status).toBe(200)
    expect(a.state().leads.map((l) => [l.clickId, l.partner.key])).toEqual([[clickInA, 'alice']])
    expect(b.state().leads.map((l) => [l.clickId, l.partner.key])).toEqual([[clickInB, 'zoe']])
  })

  it('a server-side click goes to the worker named by the visitor User-Agent tag', async () => {
    await registerBoth()
    const clickId = mintClickId()!
    const response = await post('/track/click', {
      key: 'jane',
      clickId,
      url: 'https://www.acme.com/?via=jane',
      referrer: '',
      userAgent: `Mozilla/5.0 HeadlessChrome/140 ${WORKER_TAG_PRODUCT}/workerB`,
      ip: '127.0.0.1',
    })
    expect(response.status).toBe(200)
    expect(b.state().clicks).toEqual([expect.objectContaining({ clickId, source: 'server' })])
    expect(a.state().clicks).toEqual([])
  })

  it('a sale without a clickId goes to the mock where its customer signed up', async () => {
    await registerBoth()
    await post('/track/lead', lead(await registerClick(b.url, 'zoe'), 'user_sale'))
    const response = await post('/track/sale', {
      customerExternalId: 'user_sale',
      amount: 4900,
      currency: 'usd',
      invoiceId: 'in_1',
    })
    expect(response.status).toBe(200)
    expect(b.state().sales).toEqual([expect.objectContaining({ partner: { key: 'zoe' }, amount: 4900 })])
    expect(a.state().sales).toEqual([])
  })

  it('passes the mock’s answer through: status, error body and Retry-After of a fault', async () => {
    await registerBoth()
    a.setFaults({ lead: { status: 429, times: 1 } })
    const response = await post('/track/lead', lead(await registerClick(a.url)))
    expect(response.status).toBe(429)
    expect(await response.json()).toMatchObject({ error: { code: 'rate_limited' } })
    const { requests } = await logOf('workerA')
    expect(requests).toEqual([
      expect.objectContaining({ path: '/track/lead', status: 429, message: expect.stringContaining('injected fault') }),
    ])
  })

  it('a dropped connection at the mock is a dropped connection for the app', async () => {
    await registerBoth()
    const clickId = await registerClick(a.url)
    a.setFaults({ lead: { drop: true } })
    await expect(post('/track/lead', lead(clickId))).rejects.toThrow(TypeError)
  })
})

describe('what the hub cannot route', () => {
  it('with two workers, a lead for a click no browser made is a 404 and is logged as unrouted', async () => {
    await registerBoth()
    const before = Date.now()
    const response = await post('/track/lead', lead('unknown_click_000000000000'))
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({
      error: { code: 'not_found', message: expect.stringContaining('clickId "unknown_click_000000000000"') },
    })
    const { unrouted } = await logOf('workerA')
    expect(unrouted).toEqual([
      expect.objectContaining({ path: '/track/lead', clickId: 'unknown_click_000000000000', status: 404 }),
    ])
    expect(unrouted[0]!.at).toBeGreaterThanOrEqual(before)
    expect(a.state().leads).toEqual([])
    expect(b.state().leads).toEqual([])
  })

  it('with one worker, everything goes to it and its mock answers (here: its own 404 for an unknown click)', async () => {
    expect((await register('workerA', a.url)).status).toBe(200)
    const response = await post('/track/lead', lead('unknown_click_000000000001'))
    expect(response.status).toBe(404)
    expect((await logOf('workerA')).requests).toEqual([
      expect.objectContaining({
        clickId: 'unknown_click_000000000001',
        status: 404,
        message: expect.stringContaining('unknown clickId'),
      }),
    ])
  })

  it('with no worker, a call is refused with a message that says why', async () => {
    const response = await post('/track/lead', lead('any_click_0000000000000000'))
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('no Playwright worker is running a test')
  })

  it.each([
    ['a mock URL off loopback', { tag: 'workerA', url: 'http://203.0.113.7:4010' }],
    ['a URL with a path', { tag: 'workerA', url: 'http://127.0.0.1:4010/evil' }],
    ['a tag with punctuation', { tag: 'a/../b', url: 'http://127.0.0.1:4010' }],
    ['no tag', { url: 'http://127.0.0.1:4010' }],
    ['not JSON', 'tag=workerA'],
  ])('refuses a registration with %s (the hub only forwards to loopback mocks)', async (_name, body) => {
    const response = await fetch(`${hub.url}/__hub/workers`, {
      method: 'POST',
      body: typeof body === 'string' ? body : JSON.stringify(body),
    })
    expect(response.status).toBe(422)
    expect(await (await fetch(`${hub.url}/__hub/health`)).json()).toEqual({ ok: true, workers: 0 })
  })
})

describe('startRefportHub', () => {
  it('rejects with EADDRINUSE when the port is taken, so the global setup can say so', async () => {
    const port = Number(new URL(hub.url).port)
    await expect(startRefportHub({ port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
  })
})
