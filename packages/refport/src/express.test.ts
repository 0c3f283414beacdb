/**
 * `refport/express` over real HTTP: an Express 5 app behind `refportMiddleware()` and the
 * mock Refport API, driven with the headers a browser sends on a page load.
 */
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { refportMiddleware } from './express'
import { MOCK_API_KEY, startMockRefportApi, type MockRefportApi } from './testing'
import type { RefportLandingOptions } from './landing/options'
import { parseSetCookie } from '@refport/test-support/set-cookie'
import { isMintedClickId } from '@refport/test-support/click-ids'

const PAGE_LOAD = {
  'sec-fetch-dest': 'document',
  'sec-fetch-mode': 'navigate',
  accept: 'text/html',
  'user-agent': 'TestBrowser/2.0',
}

let mock: MockRefportApi
beforeAll(async () => {
  mock = await startMockRefportApi({ partners: ['jane', 'bob'] })
})
beforeEach(() => mock.reset())
afterAll(() => mock.close())

const servers: Server[] = []
afterAll(() =>
  Promise.all(
    servers.map(
      (server) =>
        new Promise((resolve) => {
          server.close(resolve)
          server.closeAllConnections()
        }),
    ),
  ),
)

/** An app like a user's: the middleware first, then a page route and a route that sets its own headers. */
async function site(options: RefportLandingOptions = {}): Promise<string> {
  const app = express()
  app.use(refportMiddleware({ apiKey: MOCK_API_KEY, baseUrl: mock.url, ...options }))
  app.get('/', (_req, res) => void res.set('cache-control', 'public, max-age=3600').type('html').send('<h1>home</h1>'))
  app.get('/session', (_req, res) => void res.cookie('sid', 'abc').type('html').send('<h1>session</h1>'))
  app.get('/raw', (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html',
      'Cache-Control': 'public, max-age=60',
      'set-cookie': 'theme=dark',
    })
    res.end('<h1>raw</h1>')
  })
  app.post('/', (_req, res) => void res.send('posted'))
  const server = createServer(app)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  servers.push(server)
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/**
 * A request with exactly these headers. (Node's fetch would replace `Sec-Fetch-Mode:
 * navigate` with `cors`, as the Fetch standard has it for a script's request.)
 */
async function get(url: string, headers: Record<string, string> = PAGE_LOAD, method = 'GET') {
  const started = performance.now()
  const {
    status,
    headers: answer,
    body,
  } = await new Promise<{ status: number; headers: Headers; body: string }>((resolve, reject) => {
    request(url, { method, headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => {
        const headers = new Headers()
        for (const [name, value] of Object.entries(res.headers))
          for (const item of ([] as (string | undefined)[]).concat(value))
            if (item !== undefined) headers.append(name, item)
        resolve({ status: res.statusCode!, headers, body: Buffer.concat(chunks).toString('utf8') })
      })
    })
      .on('error', reject)
      .end()
  })
  const cookies = answer.getSetCookie().map(parseSetCookie)
  return {
    response: { status, headers: answer },
    body,
    cookies,
    ms: performance.now() - started,
    cookie: (name: string) => cookies.find((c) => c.name === name),
  }
}

describe('refportMiddleware() on Express', () => {
  it("a ?via= page load: the page, refp_id from the server, the click at the API with the visitor's user agent and IP", async () => {
    const origin = await site()
    const page = await get(`${origin}/?via=jane`)
    expect(page.body).toBe('<h1>home</h1>')
    const [click] = mock.state().clicks
    expect(click).toMatchObject({
      key: 'jane',
      source: 'server',
      userAgent: 'TestBrowser/2.0',
      url: `${origin}/?via=jane`,
    })
    expect(click!.ip).toMatch(/127\.0\.0\.1$/)
    expect(page.cookie('refp_id')).toMatchObject({
      value: click!.clickId,
      attributes: { 'max-age': String(90 * 86400), path: '/' },
    })
    expect(page.cookie('refp_id')!.attributes).not.toHaveProperty('domain') // an IP: host-only
    expect(page.cookie('refp_landed')).toMatchObject({ value: click!.clickId, attributes: { 'max-age': '60' } })
    // The route's own `public, max-age=3600` would let a CDN hand this click to everyone.
    expect(page.response.headers.get('cache-control')).toBe('private, no-store')
  })

  it('keeps the Set-Cookie of the page itself, set with res.cookie() or handed to writeHead', async () => {
    const origin = await site()
    const session = await get(`${origin}/session?via=jane`)
    expect(session.cookies.map((c) => c.name).sort()).toEqual([
      'refp_id',
      'refp_landed',
      'refp_partner',
      'refp_renewed',
      'sid',
    ])
    const raw = await get(`${origin}/raw?via=bob`)
    expect(raw.cookies.map((c) => c.name).sort()).toEqual([
      'refp_id',
      'refp_landed',
      'refp_partner',
      'refp_renewed',
      'theme',
    ])
    expect(raw.response.headers.get('cache-control')).toBe('private, no-store')
  })

  it('an unknown partner (404 within the wait): no cookie, the page as usual', async () => {
    const origin = await site()
    const page = await get(`${origin}/?via=ghost`)
    expect(page.body).toBe('<h1>home</h1>')
    expect(page.cookies).toEqual([])
    expect(page.response.headers.get('cache-control')).toBe('public, max-age=3600')
  })

  it('a hung API: the page is served within the wait, with the cookie', async () => {
    mock.setFaults({ click: { hang: true } })
    const origin = await site({ waitMs: 200, clickTimeoutMs: 1000 })
    const page = await get(`${origin}/?via=jane`)
    expect(page.body).toBe('<h1>home</h1>')
    expect(page.ms).toBeLessThan(900)
    expect(page.cookie('refp_id')?.value).toSatisfy(isMintedClickId)
  })

  it('a failing API (503): the page is served at once, with the cookie', async () => {
    mock.setFaults({ click: { status: 503 } })
    const origin = await site()
    const page = await get(`${origin}/?via=jane`)
    expect(page.ms).toBeLessThan(900)
    expect(page.cookie('refp_id')?.value).toSatisfy(isMintedClickId)
  })

  it("a slow API: the page does not wait, and the click still lands afterwards under the cookie's ID", async () => {
    mock.setFaults({ click: { delayMs: 600, times: 1 } })
    const origin = await site({ waitMs: 100 })
    const page = await get(`${origin}/?via=jane`)
    expect(page.ms).toBeLessThan(550)
    expect(mock.state().clicks).toEqual([])
    await vi.waitFor(() => expect(mock.state().clicks.map((c) => c.clickId)).toEqual([page.cookie('refp_id')!.value]), {
      timeout: 3000,
    })
  })

  it('a later page load renews refp_id once, then not again while the marker names it', async () => {
    const origin = await site()
    const first = await get(`${origin}/`, { ...PAGE_LOAD, cookie: 'refp_id=cl_from_tracker' })
    expect(first.cookie('refp_id')).toMatchObject({
      value: 'cl_from_tracker',
      attributes: { 'max-age': String(90 * 86400) },
    })
    const marker = first.cookie('refp_renewed')!
    const second = await get(`${origin}/`, {
      ...PAGE_LOAD,
      cookie: `refp_id=cl_from_tracker; refp_renewed=${marker.value}`,
    })
    expect(second.cookies).toEqual([])
    expect(mock.state().clicks).toEqual([])
  })

  it('redirect: true answers the landing with a 307 to the clean URL, cookie included', async () => {
    const origin = await site({ redirect: true })
    const page = await get(`${origin}/?via=jane&plan=pro`)
    expect(page.response.status).toBe(307)
    expect(page.response.headers.get('location')).toBe('/?plan=pro')
    expect(page.cookie('refp_id')?.value).toBe(mock.state().clicks[0]!.clickId)
    expect(page.response.headers.get('cache-control')).toBe('private, no-store')
  })

  it.each(['evil.test;x', 'a b', 'x'.repeat(300), '[::1'])(
    'serves the page and records nothing for a hostile Host header %j',
    async (host) => {
      const origin = await site()
      const page = await get(`${origin}/?via=jane`, { ...PAGE_LOAD, host })
      expect(page.response.status).toBe(200)
      expect(page.cookies).toEqual([])
      expect(mock.state().clicks).toEqual([])
    },
  )

  it.each<[string, Record<string, string>, string]>([
    ['a POST', PAGE_LOAD, 'POST'],
    ['a prefetch', { ...PAGE_LOAD, 'sec-purpose': 'prefetch' }, 'GET'],
    ['a fetch() call', { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors', accept: '*/*' }, 'GET'],
  ])('passes %s through untouched', async (_name, headers, method) => {
    const origin = await site()
    const page = await get(`${origin}/?via=jane`, headers, method)
    expect(page.response.status).toBe(200)
    expect(page.cookies).toEqual([])
    expect(mock.state().clicks).toEqual([])
    // Positive control: the page load itself is handled.
    expect((await get(`${origin}/?via=jane`)).cookie('refp_id')).toBeDefined()
  })
})
