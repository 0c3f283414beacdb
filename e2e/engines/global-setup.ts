/**
 * Starts the e2e servers (e2e/servers/start.mjs) in the vitest main process for both
 * engine files. Outside CI, servers already answering on the ports (a Playwright run, or
 * `node e2e/servers/start.mjs` left running with the same E2E_PORT_OFFSET) are reused, as
 * Playwright's `reuseExistingServer` does.
 */
import { ORIGINS } from '../servers/config.mjs'
import { startE2eServers } from '../servers/start.mjs'

export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  const running = await fetch(`${ORIGINS.siteIp}/__health`).then(
    (response) => response.ok,
    () => false,
  )
  if (running && !process.env.CI) {
    console.log(`reusing the e2e servers already running (${ORIGINS.siteIp})`)
    return undefined
  }
  return startE2eServers()
}
