/**
 * A site's middleware re-issues the click ID cookie from the server with
 * getClickIdFromRequest() + clickIdSetCookie(): an HTTP-set cookie keeps its full lifetime
 * where the browser caps cookies written by script (Safari: 7 days).
 */
import type { AddressInfo } from 'node:net'
import express from 'express'
import { NextRequest, NextResponse } from 'next/server'
import { describe, expect, it } from 'vitest'
import { clickIdSetCookie, getClickIdFromRequest } from './index'

describe('server-set cookie helpers in middleware', () => {
  it('Next.js middleware re-issues the tracker cookie from the server (past Safari’s 7-day cap)', () => {
    function middleware(request: NextRequest) {
      const response = NextResponse.next()
      const clickId = getClickIdFromRequest(request)
      if (clickId)
        response.headers.append('Set-Cookie', clickIdSetCookie(clickId, { domain: 'acme.com', secure: true }))
      return response
    }
    const withCookie = middleware(
      new NextRequest('https://www.acme.com/pricing', { headers: { cookie: 'refp_id=cl_abc' } }),
    )
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
