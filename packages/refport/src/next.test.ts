/**
 * `refport/next` with Next.js's own `NextRequest` / `NextResponse` and the mock Refport
 * API: what a `proxy.ts` returns, alone and composed with a site's own proxy.
 */
import { NextRequest, NextResponse } from 'next/server'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { refportProxy } from './next'
import { MOCK_API_KEY, startMockRefportApi, type MockRefportApi } from './testing'
import { parseSetCookie } from '@refport/test-support/set-cookie'

const PAGE_LOAD = { 'sec-fetch-dest': 'document', 'sec-fetch-mode': 'navigate', accept: 'text/html' }

let mock: MockRefportApi
beforeAll(async () => {
  mock = await startMockRefportApi({ partners: ['jane'] })
})
beforeEach(() => mock.reset())
afterAll(() => mock.close())

const proxy = (options = {}) => refportProxy({ apiKey: MOCK_API_KEY, baseUrl: mock.url, ...options })
const page = (url: string, headers: Record<string, string> = {}) =>
  new NextRequest(url, { headers: { ...PAGE_LOAD, ...headers } })
const cookiesOf = (response: Response) => response.headers.getSetCookie().map(parseSetCookie)

describe('refportProxy()', () => {
  it('answers a ?via= landing with a 307 to the clean URL, refp_id and refp_landed set, not cacheable', async () => {
    const response = await proxy()(page('https://www.acme.com/pricing?via=jane&plan=pro'))
    expect(response.status).toBe(307)
    expect(response.headers.get('location')).toBe('https://www.acme.com/pricing?plan=pro')
    const [click] = mock.state().clicks
    expect(click).toMatchObject({ key: 'jane', source: 'server' })
    const cookies = cookiesOf(response)
    expect(cookies.find((c) => c.name === 'refp_id')).toMatchObject({
      value: click!.clickId,
      attributes: { domain: 'acme.com', secure: true },
    })
    expect(cookies.find((c) => c.name === 'refp_landed')?.value).toBe(click!.clickId)
    expect(response.headers.get('cache-control')).toBe('private, no-store')
  })

  it('lets every other request go on to the page (NextResponse.next()), renewing a stored refp_id', async () => {
    const response = await proxy()(page('https://www.acme.com/pricing', { cookie: 'refp_id=cl_1' }))
    expect(response.headers.get('x-middleware-next')).toBe('1')
    expect(cookiesOf(response).find((c) => c.name === 'refp_id')).toMatchObject({
      value: 'cl_1',
      attributes: { 'max-age': String(90 * 86400) },
    })
  })

  it.each<[string, Record<string, string>]>([
    ['a router prefetch', { 'next-router-prefetch': '1' }],
    ['an RSC request', { rsc: '1', 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' }],
  ])('does not touch %s', async (_name, headers) => {
    const response = await proxy()(page('https://www.acme.com/?via=jane', headers))
    expect(response.headers.get('x-middleware-next')).toBe('1')
    expect(cookiesOf(response)).toEqual([])
    expect(mock.state().clicks).toEqual([])
  })

  it('hands a click the API has not answered within the wait to event.waitUntil', async () => {
    mock.setFaults({ click: { delayMs: 400, times: 1 } })
    const waited: Promise<unknown>[] = []
    const response = await proxy({ waitMs: 50 })(page('https://www.acme.com/?via=jane'), {
      waitUntil: (promise: Promise<unknown>) => void waited.push(promise),
    })
    expect(response.status).toBe(307)
    expect(waited).toHaveLength(1)
    expect(mock.state().clicks).toEqual([])
    await waited[0]
    expect(mock.state().clicks.map((c) => c.clickId)).toEqual([
      cookiesOf(response).find((c) => c.name === 'refp_id')!.value,
    ])
  })

  describe("composed with a site's own proxy", () => {
    it("adds the cookies to the site's rewrite (i18n) and still cleans the URL", async () => {
      const request = page('https://www.acme.com/?via=jane')
      const rewrite = NextResponse.rewrite(new URL('/en', request.url))
      const response = await proxy()(request, undefined, rewrite)
      expect(response.status).toBe(307)
      expect(cookiesOf(response).map((c) => c.name)).toContain('refp_id')
    })

    it('a redirect of the site (sign-in) wins over the clean-URL redirect, and carries the cookies', async () => {
      const request = page('https://www.acme.com/account?via=jane')
      const signIn = NextResponse.redirect(new URL('/sign-in', request.url))
      signIn.cookies.set('return_to', '/account')
      const response = await proxy()(request, undefined, signIn)
      expect(response.headers.get('location')).toBe('https://www.acme.com/sign-in')
      expect(
        cookiesOf(response)
          .map((c) => c.name)
          .sort(),
      ).toEqual(['refp_id', 'refp_landed', 'refp_partner', 'refp_renewed', 'return_to'])
      expect(response.headers.get('cache-control')).toBe('private, no-store')
    })

    it('a Response.redirect() (immutable headers) is copied, not thrown on', async () => {
      const response = await proxy()(
        page('https://www.acme.com/?via=jane'),
        undefined,
        Response.redirect('https://www.acme.com/elsewhere', 302),
      )
      expect(response.status).toBe(302)
      expect(response.headers.get('location')).toBe('https://www.acme.com/elsewhere')
      expect(cookiesOf(response).map((c) => c.name)).toContain('refp_id')
    })

    it("a page answered by the site's proxy itself keeps its body and status", async () => {
      const response = await proxy()(
        page('https://www.acme.com/', { cookie: 'refp_id=cl_1' }),
        undefined,
        new Response('maintenance', { status: 503 }),
      )
      expect(response.status).toBe(503)
      expect(await response.text()).toBe('maintenance')
      expect(cookiesOf(response).map((c) => c.name)).toContain('refp_id')
    })
  })
})
