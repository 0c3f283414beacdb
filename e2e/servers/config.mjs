// @ts-check
/**
 * Ports and origins of the e2e servers: one table read by the servers (start.mjs), the
 * Playwright config and the specs, so a port changes in one place.
 *
 * Everything listens on 127.0.0.1. Chromium maps the *.example.test and other-brand.test
 * names to 127.0.0.1 (--host-resolver-rules in playwright.config.ts), which gives the
 * tests real registrable domains: Chromium refuses `Domain=localhost`, so cross-subdomain
 * cookies need a name with a dot. Cookies ignore ports (RFC 6265 §8.5), so
 * www.example.test:4100 and app.example.test:4110 share a `Domain=example.test` cookie.
 *
 * Range: 4010–4011 mock Refport APIs, 4100–4199 sites (4150–4159: the playground spec,
 * 4175: the Stripe Checkout stand-in; 4170–4173 belong to the fixture suite, e2e/fixture).
 * E2E_PORT_OFFSET=<n> shifts them all, to run the suite beside something that holds them
 * (the Next.js app's API host is fixed at its build, so its spec expects offset 0).
 * `npm test` runs the Firefox/WebKit suite (e2e/engines) beside this one at offset + 7, where
 * no suite listens: keep a new port clear of its 7-port shadow.
 */

const offset = Number(process.env.E2E_PORT_OFFSET || 0)

export const PORTS = Object.freeze({
  /** Mock Refport API shared by every spec that does not inject faults. */
  mockApi: 4010 + offset,
  /** Second mock API, steered with faults by faults.spec.ts only (faults are global to a mock). */
  faultApi: 4011 + offset,
  /** Marketing site (static fixture pages), http. */
  site: 4100 + offset,
  /** Marketing site, https with a self-signed certificate for *.example.test. */
  siteHttps: 4101 + offset,
  /** The same site behind `refportMiddleware()` (landing-site.mjs), for the WebKit tracking-prevention specs. */
  siteFirstParty: 4102 + offset,
  /** Express sign-up backend: getClickIdFromCookie(req.headers.cookie). */
  express: 4110 + offset,
  /** Hono sign-up backend (Fetch API): getClickIdFromRequest(request). */
  hono: 4120 + offset,
  /** Express + Better Auth with the Refport plugin. */
  betterAuth: 4130 + offset,
  /** Next.js App Router app from e2e/next-app (started by playwright.config.ts). */
  next: 4140 + offset,
  /** The playground, started in-process by playground.spec.ts (five ports from here, per variant). */
  playground: 4150 + offset,
  /** The marketing site's pages behind Express and refportMiddleware() (refport/express). */
  landing: 4160 + offset,
  /** Stripe Checkout stand-in (fake-stripe.mjs); its webhooks go to the Better Auth app. */
  fakeStripe: 4175 + offset,
})

/** The mock API's own default keys (refport/testing): the servers, the Next.js app and the specs all use them. */
export { MOCK_API_KEY as API_KEY, MOCK_PUBLISHABLE_KEY as PUBLISHABLE_KEY } from 'refport/testing'

export const ORIGINS = Object.freeze({
  mockApi: `http://127.0.0.1:${PORTS.mockApi}`,
  faultApi: `http://127.0.0.1:${PORTS.faultApi}`,
  site: `http://www.example.test:${PORTS.site}`,
  siteHttps: `https://www.example.test:${PORTS.siteHttps}`,
  siteFirstParty: `http://www.example.test:${PORTS.siteFirstParty}`,
  /** The marketing site on a bare IP: the cookie must stay host-only there. */
  siteIp: `http://127.0.0.1:${PORTS.site}`,
  express: `http://app.example.test:${PORTS.express}`,
  /** The same Express app under another brand's domain, for cross-domain attribution. */
  otherBrand: `http://other-brand.test:${PORTS.express}`,
  hono: `http://app.example.test:${PORTS.hono}`,
  betterAuth: `http://app.example.test:${PORTS.betterAuth}`,
  next: `http://app.example.test:${PORTS.next}`,
  /** The marketing site behind the first-party landing middleware. */
  landing: `http://www.example.test:${PORTS.landing}`,
  /** On the loopback IP: it sets no cookies, and Node (the webhook sender) resolves no test names. */
  fakeStripe: `http://127.0.0.1:${PORTS.fakeStripe}`,
})

/** Chromium flag that resolves the test names to loopback; nothing reaches a real DNS. */
export const HOST_RESOLVER_RULES =
  'MAP *.example.test 127.0.0.1, MAP example.test 127.0.0.1, MAP other-brand.test 127.0.0.1, MAP *.other-brand.test 127.0.0.1'

/**
 * Debian's Chromium (Playwright cannot download browsers here) and the flags it needs on
 * this closed network: without the background-networking ones it keeps trying to reach
 * Google's hosts. Shared by the Playwright config, the benchmarks and the playground's
 * screenshot script.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium'
export const CHROMIUM_ARGS = Object.freeze([
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
])
