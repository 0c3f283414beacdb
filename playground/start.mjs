// @ts-check
/**
 * `npm run playground`: builds the packages (the npm script does), starts the playground
 * and prints where to click. Ctrl-C stops every server.
 *
 * Options (environment): PLAYGROUND_PORT (first of five ports, default 4400) and
 * PLAYGROUND_DOMAIN (default localhost; e.g. example.test for www./app. subdomains).
 */
import { startPlayground } from './playground.mjs'

const portBase = Number(process.env.PLAYGROUND_PORT || 4400)
const domain = process.env.PLAYGROUND_DOMAIN || 'localhost'

if (!Number.isInteger(portBase) || portBase < 1 || portBase > 65531) {
  console.error(`playground: PLAYGROUND_PORT must be a port number, got ${process.env.PLAYGROUND_PORT}`)
  process.exit(1)
}

let playground
try {
  playground = await startPlayground({ portBase, domain })
} catch (error) {
  const inUse = /** @type {NodeJS.ErrnoException} */ (error).code == 'EADDRINUSE'
  console.error(
    inUse
      ? `playground: port ${/** @type {any} */ (error).port} is in use — stop what runs there or pick other ports: PLAYGROUND_PORT=4500 npm run playground`
      : `playground: could not start — ${error instanceof Error ? error.message : String(error)}`,
  )
  process.exit(1)
}

const { urls } = playground
console.log(`
Refport playground is running (Ctrl-C to stop)

  1. Open the partner link      ${urls.site}/?via=jane
     (React version)            ${urls.site}/react?via=jane
  2. Click "Sign up", create an account on the sign-up app (Better Auth),
     then "Buy Acme Pro" and pay on the Stripe Checkout stand-in
  3. Watch the credit arrive     ${urls.dashboard}
  Or buy at once, no sign-up:   ${urls.site}/pricing?via=alex   (a Stripe Payment Link)

  Mock Refport API              ${urls.api}   (GET /__mock/state, POST /__mock/reset)
  Sign-up app                   ${urls.app}/signup
  Stripe Checkout stand-in      ${urls.checkout}   (sessions and webhook deliveries)
${domain == 'localhost' ? '\n  Cookies are host-only on localhost. For the cross-subdomain variant see playground/README.md.\n' : ''}`)

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  console.log('\nplayground: stopping…')
  await playground.close()
  process.exit(0)
}
process.once('SIGINT', stop)
process.once('SIGTERM', stop)
