/**
 * The plugin with Better Auth's `nextCookies()` inside Next.js's real request scope, to
 * prove what the README says about Server Actions and route handlers.
 *
 * In a Server Action, `auth.api.signUpEmail` returns no Response: `nextCookies()` copies
 * the `Set-Cookie` headers into Next.js `cookies()` (better-auth/dist/integrations/next-js:
 * `parseSetCookieHeader` into a Map keyed by cookie name, then `cookies().set()` per name),
 * and Next.js `ResponseCookies` is keyed by name too. So one `refp_id` Set-Cookie reaches
 * the browser, however many the plugin wrote. These tests run that code unchanged: the
 * scope is built with Next's own request-store factories, in the `action` phase that
 * Next's action handler sets before running a Server Action.
 */
// Next's server entry installs AsyncLocalStorage on globalThis before its stores load.
import 'next/dist/server/node-environment-baseline.js'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextCookies, toNextJsHandler } from 'better-auth/next-js'
import {
  ALL_VARIANTS,
  newUser,
  SITE_HOST,
  SITE_ORIGIN,
  startHarness,
  type Harness,
  type HarnessOptions,
} from '@refport/test-support/better-auth-harness'
import { expiredVariants } from '@refport/test-support/set-cookie'

const { workAsyncStorage } = await import('next/dist/server/app-render/work-async-storage.external.js')
const { workUnitAsyncStorage } = await import('next/dist/server/app-render/work-unit-async-storage.external.js')
const { createRequestStoreForRender } = await import('next/dist/server/async-storage/request-store.js')
const { createWorkStore } = await import('next/dist/server/async-storage/work-store.js')

vi.setConfig({ testTimeout: 15_000 })

let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

async function start(options: HarnessOptions = {}): Promise<Harness> {
  harness = await startHarness({ ...options, auth: { plugins: [nextCookies()] } })
  return harness
}

/**
 * Runs `fn` as Next.js runs a Server Action (or a route handler) for a request with
 * `headers`, and resolves with its result and the `Set-Cookie` values Next.js would send.
 */
async function inNextRequestScope<T>(
  headers: Headers,
  fn: () => Promise<T>,
): Promise<{ result: T; nextSetCookies: string[] }> {
  let nextSetCookies: string[] = []
  const requestStore = createRequestStoreForRender(
    { headers } as never,
    undefined,
    new URL('/sign-up', SITE_ORIGIN) as never,
    {},
    undefined as never,
    (cookies: string[]) => {
      nextSetCookies = cookies
    },
    undefined,
    false,
    undefined,
    null,
    null,
    undefined,
  )
  // What next/dist/server/app-render/action-handler does before calling the action.
  requestStore.phase = 'action'
  const workStore = createWorkStore({
    page: '/sign-up/page',
    renderOpts: { experimental: {} },
    isPrefetchRequest: false,
    buildId: 'test',
    previouslyRevalidatedTags: [],
  } as never)
  const result = await workAsyncStorage.run(workStore, () => workUnitAsyncStorage.run(requestStore, fn))
  return { result, nextSetCookies }
}

/** A Server Action: `'use server'; await auth.api.signUpEmail({ body, headers: await headers() })`. */
async function signUpInServerAction(h: Harness, clickId: string, host = SITE_HOST) {
  const headers = new Headers({ host, cookie: `refp_id=${clickId}`, 'next-action': 'a1b2c3' })
  const { result, nextSetCookies } = await inNextRequestScope(headers, () =>
    h.auth.api.signUpEmail({ body: newUser(), headers, returnHeaders: true }),
  )
  return { pluginSetCookies: result.headers.getSetCookie(), nextSetCookies }
}

describe('Next.js Server Action with nextCookies()', () => {
  it('only one refp_id Set-Cookie reaches the browser: the tracker’s Domain=example.test cookie is left in place', async () => {
    const h = await start()
    const { pluginSetCookies, nextSetCookies } = await signUpInServerAction(h, await h.mintClickId())
    expect(h.api.state().leads).toHaveLength(1)
    // The plugin wrote every variant…
    expect(expiredVariants(pluginSetCookies)).toEqual(ALL_VARIANTS)
    // …but Next.js sends one per cookie name, and it is not the tracker's (registrable-domain) one.
    expect(nextSetCookies.filter((c) => c.startsWith('refp_id='))).toHaveLength(1)
    expect(expiredVariants(nextSetCookies)).not.toContain('example.test|/')
    expect(nextSetCookies.some((c) => c.startsWith('better-auth.session_token='))).toBe(true)
  })

  it('with cookieOptions.domain the one that gets through is the tracker’s cookie', async () => {
    const h = await start({ plugin: { cookieOptions: { domain: 'example.test' } } })
    const { nextSetCookies } = await signUpInServerAction(h, await h.mintClickId())
    expect(h.api.state().leads).toHaveLength(1)
    expect(expiredVariants(nextSetCookies)).toEqual(['example.test|/'])
  })

  it('with cookieOptions.domain, a development sign-up on localhost expires the host-only cookie the tracker wrote there', async () => {
    const h = await start({ plugin: { cookieOptions: { domain: 'example.test' } } })
    const { nextSetCookies } = await signUpInServerAction(h, await h.mintClickId(), 'localhost:3000')
    expect(expiredVariants(nextSetCookies)).toEqual(['host-only|/'])
  })
})

describe('Next.js route handler (toNextJsHandler)', () => {
  it('every variant reaches the browser, next to the session cookie', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    const { POST } = toNextJsHandler(h.auth)
    const request = new Request(`${SITE_ORIGIN}/api/auth/sign-up/email`, {
      method: 'POST',
      headers: {
        host: SITE_HOST,
        origin: SITE_ORIGIN,
        'content-type': 'application/json',
        cookie: `refp_id=${clickId}`,
      },
      body: JSON.stringify(newUser()),
    })
    const { result: response, nextSetCookies } = await inNextRequestScope(request.headers, () => POST(request))
    expect(response.status).toBe(200)
    expect(h.api.state().leads).toHaveLength(1)
    const setCookies = response.headers.getSetCookie()
    expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
    expect(setCookies.some((c) => c.startsWith('better-auth.session_token='))).toBe(true)
    // nextCookies() leaves router responses alone: the headers go out with the Response.
    expect(nextSetCookies).toEqual([])
  })
})
