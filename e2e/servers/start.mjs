// @ts-check
/**
 * Starts every server the e2e suite needs, in one process, on the loopback ports of
 * config.mjs: two mock Refport APIs, the marketing site (http, https, and behind the
 * landing middleware), the Express, Hono and Better Auth sign-up backends, and the Stripe
 * Checkout stand-in. playwright.config.ts runs it as a `webServer` and waits for the
 * marketing site's /__health, which answers only once all are up; the Firefox and WebKit
 * runner (e2e/engines) calls `startE2eServers()` in-process.
 *
 * Needs the built packages: run `npm run build` first.
 */
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { Refport } from 'refport'
import { startMockRefportApi } from 'refport/testing'
import { API_KEY, ORIGINS, PORTS, PUBLISHABLE_KEY } from './config.mjs'
import { createBetterAuthApp } from './better-auth-app.mjs'
import { createFakeStripe, FAKE_WEBHOOK_SECRET } from './fake-stripe.mjs'
import { createExpressSignUpApp } from './express-signup.mjs'
import { createHonoSignUpApp } from './hono-signup.mjs'
import { createLandingSite } from './landing-site.mjs'
import { close, createStaticSite, listen } from './static-site.mjs'
import { selfSignedCertificate } from './tls.mjs'

const FIXTURES = new URL('../fixtures/', import.meta.url).pathname

/**
 * Starts a mock API on `port`. Outside CI, a mock already answering there (say
 * `npx refport-mock --port 4010` left running) is reused, as Playwright reuses servers.
 * @param {number} port
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
async function startMock(port) {
  try {
    return await startMockRefportApi({ port, apiKey: API_KEY, publishableKey: PUBLISHABLE_KEY })
  } catch (error) {
    const url = `http://127.0.0.1:${port}`
    const inUse = /** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE'
    if (
      !inUse ||
      process.env.CI ||
      !(await fetch(`${url}/__mock/state`).then(
        (r) => r.ok,
        () => false,
      ))
    )
      throw error
    console.log(`reusing the mock Refport API already running on ${url}`)
    return { url, close: async () => {} }
  }
}

/**
 * Starts every server; resolves once all listen, with a function that stops them all.
 * @returns {Promise<() => Promise<void>>}
 */
export async function startE2eServers() {
  /** @type {Array<() => Promise<unknown>>} */
  const stops = []
  const stop = async () => {
    await Promise.allSettled(stops.splice(0).map((fn) => fn()))
  }
  try {
    await startAll(stops)
  } catch (error) {
    await stop()
    throw error
  }
  return stop
}

/** @param {Array<() => Promise<unknown>>} stops */
async function startAll(stops) {
  const mock = await startMock(PORTS.mockApi)
  const faultMock = await startMock(PORTS.faultApi)
  stops.push(
    () => mock.close(),
    () => faultMock.close(),
  )

  // Retries would only slow a failing spec down; the mock answers at once or not at all.
  const refport = new Refport({ apiKey: API_KEY, baseUrl: mock.url, maxRetries: 0, timeoutMs: 5000 })
  const tracker = { apiHost: mock.url, publishableKey: PUBLISHABLE_KEY }

  const express = await listen(createExpressSignUpApp({ refport, ...tracker }), { port: PORTS.express })
  const hono = serve({
    fetch: createHonoSignUpApp({ refport, ...tracker }).fetch,
    port: PORTS.hono,
    hostname: '127.0.0.1',
  })
  await new Promise((resolve) => hono.once('listening', resolve))
  const { app: betterAuthApp } = createBetterAuthApp({
    refport,
    baseURL: ORIGINS.betterAuth,
    ...tracker,
    stripe: {
      checkoutApi: ORIGINS.fakeStripe,
      webhookSecret: FAKE_WEBHOOK_SECRET,
      successUrl: `${ORIGINS.betterAuth}/signup`,
    },
  })
  const betterAuth = await listen(betterAuthApp, { port: PORTS.betterAuth })
  const fakeStripe = createFakeStripe({
    webhookUrl: `http://127.0.0.1:${PORTS.betterAuth}/api/stripe/webhook`,
    publicUrl: ORIGINS.fakeStripe,
  })
  const stripe = await listen(fakeStripe.handler, { port: PORTS.fakeStripe })
  stops.push(
    () => close(express),
    () => new Promise((resolve) => hono.close(resolve)),
    () => close(betterAuth),
    () => close(stripe),
  )

  const site = await createStaticSite({
    root: FIXTURES,
    reactEntry: `${FIXTURES}react-page.tsx`,
    vars: {
      API_HOST: mock.url,
      FAULT_API_HOST: faultMock.url,
      PUBLISHABLE_KEY,
      SIGNUP_URL: `${ORIGINS.express}/signup`,
      HONO_SIGNUP_URL: `${ORIGINS.hono}/signup`,
      BETTER_AUTH_URL: `${ORIGINS.betterAuth}/signup`,
      OTHER_BRAND_SIGNUP_URL: `${ORIGINS.otherBrand}/signup`,
    },
  })
  const landing = await listen(createLandingSite({ site, apiKey: API_KEY, baseUrl: mock.url }), { port: PORTS.landing })
  stops.push(() => close(landing))
  const https = await listen(site, { port: PORTS.siteHttps, tls: await selfSignedCertificate() })
  stops.push(() => close(https))
  // The same site behind refportMiddleware() again, on the port the WebKit tracking-prevention
  // specs use (e2e/engines/webkit.test.ts).
  const firstParty = await listen(createLandingSite({ site, apiKey: API_KEY, baseUrl: mock.url }), {
    port: PORTS.siteFirstParty,
  })
  stops.push(() => close(firstParty))
  // Last: its /__health is what Playwright waits for.
  const http = await listen(site, { port: PORTS.site })
  stops.push(() => close(http))
  console.log(`e2e servers up: site ${ORIGINS.site}, mock API ${mock.url}, fault mock ${faultMock.url}`)
}

// `node e2e/servers/start.mjs`: run until interrupted.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  startE2eServers().then(
    (stop) => {
      const exit = () => stop().then(() => process.exit(0))
      process.once('SIGINT', exit)
      process.once('SIGTERM', exit)
    },
    (error) => {
      console.error('e2e servers failed to start:', error)
      process.exit(1)
    },
  )
}
