// @ts-check
/**
 * The playground: the whole attribution chain on loopback, to click through in your own
 * browser. Mock Refport API → marketing site (script tag page and React page) → sign-up
 * app (Express + Better Auth + the Refport plugin) → dashboard listing clicks and leads.
 *
 * The servers are the e2e suite's (e2e/servers/), so what a newcomer clicks through is
 * exactly what the tests prove. Runs on the built packages: `npm run build` first.
 */
import { Refport } from 'refport'
import { MOCK_API_KEY, MOCK_PUBLISHABLE_KEY, startMockRefportApi } from 'refport/testing'
import { createBetterAuthApp } from '../e2e/servers/better-auth-app.mjs'
import { createFakeStripe, FAKE_WEBHOOK_SECRET } from '../e2e/servers/fake-stripe.mjs'
import { close, createStaticSite, listen } from '../e2e/servers/static-site.mjs'

const here = (/** @type {string} */ path) => new URL(path, import.meta.url).pathname

/**
 * @typedef {object} PlaygroundOptions
 * @property {number} [portBase] mock API on portBase, marketing site +1, sign-up app +2, dashboard +3,
 *   Stripe Checkout stand-in +4; default 4400
 * @property {string} [domain] `localhost` (default: host-only cookies, shared across ports)
 *   or a domain such as `example.test`, served as www.<domain> and app.<domain> (cookie on
 *   the registrable domain; the names must resolve to 127.0.0.1, see README)
 */

/**
 * The playground's partners: names and a discount for the landing page to show.
 * @type {import('refport/testing').MockPartners}
 */
export const PLAYGROUND_PARTNERS = {
  jane: { name: 'Jane', discount: { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 } },
  alex: { name: 'Alex', discount: null },
}

/**
 * Starts every playground server. Resolves once all listen.
 * @param {PlaygroundOptions} [options]
 */
export async function startPlayground({ portBase = 4400, domain = 'localhost' } = {}) {
  const ports = {
    api: portBase,
    site: portBase + 1,
    app: portBase + 2,
    dashboard: portBase + 3,
    checkout: portBase + 4,
  }
  const isLocalhost = domain === 'localhost'
  const urls = {
    api: `http://127.0.0.1:${ports.api}`,
    site: `http://${isLocalhost ? 'localhost' : `www.${domain}`}:${ports.site}`,
    app: `http://${isLocalhost ? 'localhost' : `app.${domain}`}:${ports.app}`,
    dashboard: `http://localhost:${ports.dashboard}`,
    checkout: `http://localhost:${ports.checkout}`,
  }
  /** @type {Array<() => Promise<unknown>>} */
  const stops = []
  const stop = () =>
    Promise.allSettled(
      stops
        .splice(0)
        .reverse()
        .map((fn) => fn()),
    )
  try {
    // The mock's default keys, which the Refport client and the tracker below use too.
    // The dashboard page reads /__mock/state from its own origin.
    const mock = await startMockRefportApi({
      port: ports.api,
      partners: PLAYGROUND_PARTNERS,
      controlOrigins: [urls.dashboard],
    })
    stops.push(() => mock.close())
    const refport = new Refport({ apiKey: MOCK_API_KEY, baseUrl: mock.url })
    const tracker = { apiHost: mock.url, publishableKey: MOCK_PUBLISHABLE_KEY }

    const { app } = createBetterAuthApp({
      refport,
      baseURL: urls.app,
      trustedOrigins: [`http://127.0.0.1:${ports.app}`],
      dashboardUrl: urls.dashboard,
      stylesheet: `${urls.site}/style.css`,
      stripe: {
        checkoutApi: `http://127.0.0.1:${ports.checkout}`,
        webhookSecret: FAKE_WEBHOOK_SECRET,
        successUrl: urls.dashboard,
      },
      ...tracker,
    })
    const appServer = await listen(app, { port: ports.app })
    stops.push(() => close(appServer))

    // Stripe posts webhooks from its servers: the stand-in posts to the app on loopback.
    const stripe = createFakeStripe({
      webhookUrl: `http://127.0.0.1:${ports.app}/api/stripe/webhook`,
      publicUrl: urls.checkout,
    })
    const checkoutServer = await listen(stripe.handler, { port: ports.checkout })
    stops.push(() => close(checkoutServer))

    const vars = {
      API_HOST: mock.url,
      PUBLISHABLE_KEY: MOCK_PUBLISHABLE_KEY,
      SIGNUP_URL: `${urls.app}/signup`,
      SITE_URL: urls.site,
      DASHBOARD_URL: urls.dashboard,
      CHECKOUT_URL: urls.checkout,
    }
    const site = await createStaticSite({
      root: here('./site/'),
      reactEntry: here('../e2e/fixtures/react-page.tsx'),
      vars,
    })
    const siteServer = await listen(site, { port: ports.site })
    stops.push(() => close(siteServer))

    const dashboard = await createStaticSite({ root: here('./dashboard/'), vars })
    const dashboardServer = await listen(dashboard, { port: ports.dashboard })
    stops.push(() => close(dashboardServer))
  } catch (error) {
    await stop()
    throw error
  }
  return { urls, ports, welcome: welcome(urls, domain), close: stop }
}

/**
 * What `npm run playground` prints: where to click. Every URL in it answers a person who
 * opens it (playground.spec.ts visits each one).
 * @param {{ api: string, site: string, app: string, dashboard: string, checkout: string }} urls
 * @param {string} domain
 */
function welcome(urls, domain) {
  return `
Refport playground is running (Ctrl-C to stop)

  1. Open the partner link      ${urls.site}/?via=jane
     (React version)            ${urls.site}/react?via=jane
  2. Click "Sign up", create an account on the sign-up app (Better Auth),
     then "Buy Acme Pro" and pay on the Stripe Checkout stand-in
  3. Watch the credit arrive    ${urls.dashboard}
  Or buy at once, no sign-up:   ${urls.site}/pricing?via=alex   (a Stripe Payment Link)

  Mock Refport API              ${urls.api}   (what it serves; its state: ${urls.api}/__mock/state)
  Sign-up app                   ${urls.app}/signup
  Stripe Checkout stand-in      ${urls.checkout}   (its sessions and webhook deliveries)
${domain === 'localhost' ? '\n  Cookies are host-only on localhost. For the cross-subdomain variant see playground/README.md.\n' : ''}`
}
