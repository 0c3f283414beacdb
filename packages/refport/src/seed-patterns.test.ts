/**
 * The user's documented patterns (manual lead tracking), written as our own tests: Express 5
 * with getClickIdFromCookie(req.headers.cookie), a Fetch-API handler (Hono) with
 * getClickIdFromRequest(request), a Next.js Route Handler with a NextRequest, each against
 * the mock API over real HTTP, plus the server-set cookie helpers in middleware.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import express from 'express'
import { Hono } from 'hono'
import { NextRequest, NextResponse } from 'next/server'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { Refport, clearClickIdSetCookies, clickIdSetCookie, getClickIdFromCookie, getClickIdFromRequest } from './index'
import { mintClick as mintClickOn } from './test/click'
import { MOCK_API_KEY, startMockRefportApi } from './testing'

const mock = await startMockRefportApi()
afterAll(() => mock.close())
beforeEach(() => mock.reset())

// The seed's module-scope client: env points it at the mock.
process.env.REFPORT_API_KEY = MOCK_API_KEY
process.env.REFPORT_API_URL = mock.url
afterAll(() => {
  delete process.env.REFPORT_API_KEY
  delete process.env.REFPORT_API_URL
})
const seedRefport = new Refport({ apiKey: process.env.REFPORT_API_KEY! })
/** The seed client, swapped for a fast-failing one in the failure tests (same code path, shorter waits). */
let refport = seedRefport

const yourAuthProvider = {
  async createUser(input: { email: string }) {
    // Stable per email, as a real provider's id is per account: the same person signing up
    // again is the same customerExternalId, which is what the 7-day dedupe keys on.
    const id = `user_${input.email.replace(/\W/g, '_')}`
    return { id, email: input.email, name: input.email.split('@')[0]! }
  },
}

const mintClick = () => mintClickOn(mock.url)

describe('Express 5: getClickIdFromCookie(req.headers.cookie)', () => {
  const app = express()
  app.use(express.json())
  const router = express.Router()
  router.post('/signup', async (req, res) => {
    const user = await yourAuthProvider.createUser(req.body)
    try {
      const clickId = getClickIdFromCookie(req.headers.cookie)
      if (clickId) {
        await refport.track.lead({
          clickId,
          eventName: 'Sign Up',
          customerExternalId: user.id,
          customerEmail: user.email,
          customerName: user.name,
        })
        res.append('Set-Cookie', clearClickIdSetCookies({ host: req.headers.host }))
      }
    } catch {
      /* tracking never blocks sign-up */
    }
    res.json(user)
  })
  app.use(router)
  const server = app.listen(0, '127.0.0.1')
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/signup`

  const signUp = (cookie?: string) =>
    fetch(url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
      body: JSON.stringify({ email: 'jane@acme.com' }),
    })

  it('credits the sign-up to the partner and clears the cookie on every variant', async () => {
    const clickId = await mintClick()
    const response = await signUp(`theme=dark; refp_id=${clickId}`)
    expect(response.status).toBe(200)
    const user = (await response.json()) as { id: string }
    expect(mock.state().leads).toMatchObject([
      { clickId, customerExternalId: user.id, customerEmail: 'jane@acme.com', customerName: 'jane', partner: { key: 'jane' } },
    ])
    expect(response.headers.getSetCookie()).toEqual(clearClickIdSetCookies({ host: new URL(url()).host }))
  })

  it('skips tracking without the cookie', async () => {
    expect((await signUp('theme=dark')).status).toBe(200)
    expect(mock.state().leads).toEqual([])
  })

  it.each([
    ['the API is down', { status: 503 }],
    ['the API hangs past the timeout', { hang: true }],
    ['the connection drops', { drop: true }],
    ['the API refuses the key', { status: 401 }],
  ])('still signs the user up when %s', async (_name, fault) => {
    const clickId = await mintClick()
    mock.setFaults({ lead: fault })
    refport = new Refport({ timeoutMs: 50, retryBaseDelayMs: 1 })
    try {
      const response = await signUp(`refp_id=${clickId}`)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ email: 'jane@acme.com' })
      expect(response.headers.getSetCookie()).toEqual([])
      expect(mock.state().leads).toEqual([])
    } finally {
      refport = seedRefport
    }
  })
})

describe('Generic Fetch pattern (Hono over real HTTP): getClickIdFromRequest(request)', () => {
  async function handleSignUp(request: Request) {
    const user = await yourAuthProvider.createUser((await request.json()) as { email: string })
    try {
      const clickId = getClickIdFromRequest(request)
      if (clickId) {
        await refport.track.lead({
          clickId,
          eventName: 'Sign Up',
          customerExternalId: user.id,
          customerEmail: user.email,
          customerName: user.name,
        })
      }
    } catch {
      /* never let tracking failure surface to the user */
    }
    return Response.json(user)
  }

  const app = new Hono()
  app.post('/signup', (c) => handleSignUp(c.req.raw))
  let port = 0
  const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => (port = info.port))
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it('credits the sign-up and dedupes a repeat within 7 days', async () => {
    const clickId = await mintClick()
    const post = () =>
      fetch(`http://127.0.0.1:${port}/signup`, {
        method: 'POST',
        headers: { cookie: `refp_id=${clickId}`, 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'jane@acme.com' }),
      })
    expect((await post()).status).toBe(200)
    expect(mock.state().leads).toMatchObject([{ clickId, partner: { key: 'jane' } }])
    // The same user signing up again within 7 days: still a 200, still one lead.
    expect((await post()).status).toBe(200)
    expect(mock.state().leads.filter((lead) => lead.clickId === clickId)).toHaveLength(1)
  })
})

describe('Next.js Route Handler: getClickIdFromRequest(NextRequest)', () => {
  async function POST(request: NextRequest) {
    const body = (await request.json()) as { email: string }
    const user = await yourAuthProvider.createUser(body)
    try {
      const clickId = getClickIdFromRequest(request)
      if (clickId) {
        await refport.track.lead({
          clickId,
          eventName: 'Sign Up',
          customerExternalId: user.id,
          customerEmail: user.email,
          customerName: user.name,
        })
      }
    } catch {
      /* ignore */
    }
    return NextResponse.json(user)
  }

  it('credits the sign-up', async () => {
    const clickId = await mintClick()
    const request = new NextRequest('https://www.acme.com/api/signup', {
      method: 'POST',
      headers: { cookie: `refp_id=${clickId}` },
      body: JSON.stringify({ email: 'jane@acme.com' }),
    })
    const response = await POST(request)
    expect(response.status).toBe(200)
    expect(mock.state().leads).toMatchObject([{ clickId }])
  })
})

describe('server-set cookie helpers in middleware', () => {
  it('Next.js middleware re-issues the tracker cookie from the server (past Safari’s 7-day cap)', () => {
    function middleware(request: NextRequest) {
      const response = NextResponse.next()
      const clickId = getClickIdFromRequest(request)
      if (clickId) response.headers.append('Set-Cookie', clickIdSetCookie(clickId, { domain: 'acme.com', secure: true }))
      return response
    }
    const withCookie = middleware(new NextRequest('https://www.acme.com/pricing', { headers: { cookie: 'refp_id=cl_abc' } }))
    expect(withCookie.headers.getSetCookie()).toEqual([
      `refp_id=cl_abc; Path=/; Max-Age=${90 * 86400}; Domain=acme.com; SameSite=Lax; Secure`,
    ])
    const without = middleware(new NextRequest('https://www.acme.com/pricing'))
    expect(without.headers.getSetCookie()).toEqual([])
  })

  it('Express middleware re-issues the cookie, over real HTTP', async () => {
    const app = express()
    app.use((req, res, next) => {
      const clickId = getClickIdFromRequest(req)
      if (clickId) res.append('Set-Cookie', clickIdSetCookie(clickId, { secure: req.secure }))
      next()
    })
    app.get('/', (_req, res) => {
      res.send('ok')
    })
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
        headers: { cookie: 'refp_id=cl_abc' },
      })
      expect(response.headers.getSetCookie()).toEqual([`refp_id=cl_abc; Path=/; Max-Age=${90 * 86400}; SameSite=Lax`])
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
