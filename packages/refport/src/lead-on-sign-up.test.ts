/**
 * A sign-up handler that tracks the lead itself credits the partner of the visitor's click,
 * in each framework the README shows: Express 5 with getClickIdFromCookie(req.headers.cookie),
 * a Fetch-API handler (Hono) with getClickIdFromRequest(request), a Next.js Route Handler with
 * a NextRequest, each against the mock API over real HTTP. Tracking never blocks the sign-up.
 */
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import express from 'express'
import { Hono } from 'hono'
import { NextRequest, NextResponse } from 'next/server'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { Refport, clearClickIdSetCookies, getClickIdFromCookie, getClickIdFromRequest } from './index'
import { registerClick } from '@refport/test-support/mock-api'
import { MOCK_API_KEY, startMockRefportApi } from './testing'

const mock = await startMockRefportApi()
afterAll(() => mock.close())
beforeEach(() => mock.reset())

// One module-scope client, created from the environment as an app creates it; the
// environment points it at the mock.
process.env.REFPORT_API_KEY = MOCK_API_KEY
process.env.REFPORT_API_URL = mock.url
afterAll(() => {
  delete process.env.REFPORT_API_KEY
  delete process.env.REFPORT_API_URL
})
const appRefport = new Refport({ apiKey: process.env.REFPORT_API_KEY! })
/** The app's client, swapped for a fast-failing one in the failure tests (same code path, shorter waits). */
let refport = appRefport

const yourAuthProvider = {
  async createUser(input: { email: string }) {
    // Stable per email, as a real provider's id is per account: the same person signing up
    // again is the same customerExternalId, which is what the 7-day dedupe keys on.
    const id = `user_${input.email.replace(/\W/g, '_')}`
    return { id, email: input.email, name: input.email.split('@')[0]! }
  },
}

const newClick = () => registerClick(mock.url)

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
    const clickId = await newClick()
    const response = await signUp(`theme=dark; refp_id=${clickId}`)
    expect(response.status).toBe(200)
    const user = (await response.json()) as { id: string }
    expect(mock.state().leads).toMatchObject([
      {
        clickId,
        customerExternalId: user.id,
        customerEmail: 'jane@acme.com',
        customerName: 'jane',
        partner: { key: 'jane' },
      },
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
    const clickId = await newClick()
    mock.setFaults({ lead: fault })
    refport = new Refport({ timeoutMs: 50, retryBaseDelayMs: 1 })
    try {
      const response = await signUp(`refp_id=${clickId}`)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ email: 'jane@acme.com' })
      expect(response.headers.getSetCookie()).toEqual([])
      expect(mock.state().leads).toEqual([])
    } finally {
      refport = appRefport
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
    const clickId = await newClick()
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
    const clickId = await newClick()
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
