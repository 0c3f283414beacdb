// @ts-check
/**
 * Sign-up app on Express 5 + Better Auth (email and password, memory adapter) with the
 * Refport plugin: the plugin reads `refp_id` from the sign-up request, reports the lead
 * and expires the cookie. The page posts to Better Auth's own endpoint from a same-origin
 * script, so the browser sends the `Origin` Better Auth checks against `baseURL`.
 */
import { fileURLToPath } from 'node:url'
import { refportPlugin } from '@refport/better-auth'
import { betterAuth } from 'better-auth'
import { memoryAdapter } from 'better-auth/adapters/memory'
import { fromNodeHeaders, toNodeHandler } from 'better-auth/node'
import express from 'express'
import { TRACKER_SCRIPT } from './static-site.mjs'
import { escapeHtml } from './signup-common.mjs'
import { addStripeRoutes } from './stripe-webhook.mjs'

const SIGN_UP_SCRIPT = fileURLToPath(new URL('./better-auth-signup.js', import.meta.url))

/**
 * @param {{ refport: import('refport').Refport, baseURL: string, trustedOrigins?: string[], apiHost: string, publishableKey: string, brand?: string, dashboardUrl?: string, stylesheet?: string, stripe?: import('./stripe-webhook.mjs').StripeWiring }} options
 *   `dashboardUrl`: where the playground's dashboard is, linked from the page.
 *   `stylesheet`: a stylesheet URL for the page (the playground's shared look).
 *   `stripe`: adds checkout for the signed-in user and the Stripe webhook route.
 */
export function createBetterAuthApp({
  refport,
  baseURL,
  trustedOrigins = [],
  apiHost,
  publishableKey,
  brand = 'Acme',
  dashboardUrl,
  stylesheet,
  stripe,
}) {
  /** @type {Record<string, unknown[]>} */
  const db = { user: [], session: [], account: [], verification: [] }
  const auth = betterAuth({
    baseURL,
    trustedOrigins,
    // A fixed secret is fine for a throwaway in-memory demo; never do this in production.
    secret: 'refport-e2e-and-playground-secret-not-for-production',
    database: memoryAdapter(db),
    emailAndPassword: { enabled: true },
    plugins: [refportPlugin({ refport })],
    logger: { level: 'error' },
    telemetry: { enabled: false },
  })

  const app = express()
  app.disable('x-powered-by')
  // Better Auth reads the raw body itself: mount it before any body parser.
  app.all('/api/auth/{*path}', toNodeHandler(auth))
  app.get('/__health', (_req, res) => void res.send('ok'))
  app.get('/refport.js', (_req, res) => res.sendFile(TRACKER_SCRIPT))
  app.get('/signup.js', (_req, res) => res.sendFile(SIGN_UP_SCRIPT))
  if (stripe) {
    const currentUser = async (/** @type {import('express').Request} */ req) =>
      (await auth.api.getSession({ headers: fromNodeHeaders(req.headers) }))?.user ?? null
    addStripeRoutes(app, { refport, wiring: stripe, currentUser })
  }
  const checkout = !!stripe
  app.get(
    ['/', '/signup'],
    (_req, res) =>
      void res.type('html').send(page({ brand, apiHost, publishableKey, dashboardUrl, stylesheet, checkout })),
  )
  return { app }
}

/** @param {{ brand: string, apiHost: string, publishableKey: string, dashboardUrl?: string, stylesheet?: string, checkout: boolean }} options */
function page({ brand, apiHost, publishableKey, dashboardUrl, stylesheet, checkout }) {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
${stylesheet ? `<link rel="stylesheet" href="${escapeHtml(stylesheet)}">` : ''}
<title>Sign up · ${escapeHtml(brand)} (Better Auth)</title>
<script src="/refport.js" data-publishable-key="${escapeHtml(publishableKey)}" data-api-host="${escapeHtml(apiHost)}" defer></script>
<script src="/signup.js" defer></script>
</head>
<body>
<header><b>${escapeHtml(brand)}</b> <span>sign-up app</span></header>
<main>
<h1>Create your ${escapeHtml(brand)} account</h1>
<p>Better Auth with <code>refportPlugin({ refport })</code>: the lead is reported on sign-up and the <code>refp_id</code> cookie is cleared.</p>
<form id="signup" class="card">
  <label>Email <input name="email" type="email" required></label>
  <label>Name <input name="name" required></label>
  <label>Password <input name="password" type="password" minlength="8" required></label>
  <button type="submit">Sign up</button>
</form>
<p id="result" class="status" role="status"></p>
${
  checkout
    ? `<form id="buy" method="post" action="/checkout" hidden>
  <p>Now upgrade: checkout carries your user ID in its metadata, and the Stripe webhook turns the payment into a sale credited to the partner who referred you.</p>
  <button type="submit">Buy Acme Pro ($49.00 / month)</button>
</form>`
    : ''
}
${dashboardUrl ? `<p>Then see who was credited on the <a id="dashboard" href="${escapeHtml(dashboardUrl)}">dashboard</a>.</p>` : ''}
</main>
</body>
</html>
`
}
