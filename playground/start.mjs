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
  const inUse = /** @type {NodeJS.ErrnoException} */ (error).code === 'EADDRINUSE'
  console.error(
    inUse
      ? `playground: port ${/** @type {any} */ (error).port} is in use — stop what runs there or pick other ports: PLAYGROUND_PORT=4500 npm run playground`
      : `playground: could not start — ${error instanceof Error ? error.message : String(error)}`,
  )
  process.exit(1)
}

console.log(playground.welcome)

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
