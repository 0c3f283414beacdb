/**
 * A social (OAuth 2) sign-up: the user is created inside Better Auth's `/callback/:id`,
 * which answers with a redirect. A generic OAuth provider whose token endpoint is a
 * loopback server stands in for Google or GitHub; the rest is Better Auth's own code path.
 */
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { genericOAuth } from 'better-auth/plugins'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ALL_VARIANTS, SITE_ORIGIN, startHarness, type Harness } from '@refport/test-support/better-auth-harness'
import { expiredVariants } from '@refport/test-support/set-cookie'

vi.setConfig({ testTimeout: 15_000 })

let harness: Harness | undefined
let tokenServer: Server | undefined
afterEach(async () => {
  await harness?.close()
  tokenServer?.close()
  harness = tokenServer = undefined
})

/** A token endpoint that hands out an access token for any code. */
async function startTokenEndpoint(): Promise<string> {
  tokenServer = createServer((req, res) => {
    req.resume().on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ access_token: 'at_1', token_type: 'Bearer', expires_in: 3600 }))
    })
  })
  tokenServer.listen(0, '127.0.0.1')
  await once(tokenServer, 'listening')
  return `http://127.0.0.1:${(tokenServer.address() as AddressInfo).port}/token`
}

async function startWithProvider(): Promise<Harness> {
  const tokenUrl = await startTokenEndpoint()
  harness = await startHarness({
    auth: {
      plugins: [
        genericOAuth({
          config: [
            {
              providerId: 'acme-idp',
              clientId: 'client',
              clientSecret: 'secret',
              authorizationUrl: 'https://idp.example.test/authorize',
              tokenUrl,
              getUserInfo: async () => ({
                id: 'idp_1',
                email: 'social@example.test',
                name: 'Social User',
                emailVerified: true,
              }),
            },
          ],
        }),
      ],
    },
  })
  return harness
}

/** Starts the social sign-in and returns the callback URL and cookies the provider's redirect would bring back. */
async function beginSignIn(h: Harness): Promise<{ callback: string; cookies: string }> {
  const start = await h.auth.handler(
    new Request(`${SITE_ORIGIN}/api/auth/sign-in/social`, {
      method: 'POST',
      headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'acme-idp', callbackURL: '/welcome' }),
    }),
  )
  expect(start.status).toBe(200)
  const state = new URL(((await start.json()) as { url: string }).url).searchParams.get('state')
  const cookies = start.headers
    .getSetCookie()
    .map((cookie) => cookie.split(';')[0])
    .join('; ')
  return { callback: `${SITE_ORIGIN}/api/auth/callback/acme-idp?code=code_1&state=${state}`, cookies }
}

describe('a referred sign-up through a social provider (OAuth callback)', () => {
  it('records the lead and expires every variant of the cookie on the callback’s redirect', async () => {
    const h = await startWithProvider()
    const clickId = await h.mintClickId()
    const { callback, cookies } = await beginSignIn(h)
    // The provider redirects the browser back: a top-level GET, so the SameSite=Lax refp_id comes along.
    const response = await h.auth.handler(
      new Request(callback, { headers: { cookie: `${cookies}; refp_id=${clickId}` } }),
    )

    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/welcome')
    expect(h.api.state().leads).toEqual([
      expect.objectContaining({
        clickId,
        customerEmail: 'social@example.test',
        customerName: 'Social User',
        partner: { key: 'jane' },
      }),
    ])
    expect(expiredVariants(response.headers.getSetCookie())).toEqual(ALL_VARIANTS)
    expect(response.headers.getSetCookie().some((c) => c.startsWith('better-auth.session_token='))).toBe(true)
  })

  it('a returning social user (no user created) is not a new lead, and the cookie stays', async () => {
    const h = await startWithProvider()
    const first = await beginSignIn(h)
    await h.auth.handler(new Request(first.callback, { headers: { cookie: first.cookies } }))
    const clickId = await h.mintClickId()
    const again = await beginSignIn(h)
    const response = await h.auth.handler(
      new Request(again.callback, { headers: { cookie: `${again.cookies}; refp_id=${clickId}` } }),
    )

    expect(response.status).toBe(302)
    expect(h.api.state().leads).toEqual([])
    expect(expiredVariants(response.headers.getSetCookie())).toEqual([])
  })

  it('a failing Refport API still completes the social sign-up', async () => {
    const h = await startWithProvider()
    const clickId = await h.mintClickId()
    h.api.setFaults({ lead: { status: 503 } })
    const { callback, cookies } = await beginSignIn(h)
    const response = await h.auth.handler(
      new Request(callback, { headers: { cookie: `${cookies}; refp_id=${clickId}` } }),
    )

    expect(response.status).toBe(302)
    expect(response.headers.get('location')).toBe('/welcome')
    expect(response.headers.getSetCookie().some((c) => c.startsWith('better-auth.session_token='))).toBe(true)
    expect(h.pluginLogs('error')).toHaveLength(1)
  })
})
