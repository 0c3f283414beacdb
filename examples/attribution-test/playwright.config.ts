import { defineConfig } from '@playwright/test'
import { refportServerEnv, type RefportWorkerOptions } from 'refport/playwright'

const port = Number(process.env.PORT ?? 3000)

// biome-ignore lint/complexity/noBannedTypes: `{}` is Playwright's own type for "no test options"
export default defineConfig<{}, RefportWorkerOptions>({
  testDir: './tests',
  // Starts the fixed REFPORT_API_URL that forwards the server's calls to each worker's mock.
  globalSetup: 'refport/playwright/global-setup',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    // The key the production page carries: the fixture's mock accepts it.
    refportOptions: { publishableKey: 'pk_live_acme' },
    // This repository's CI runs Debian's Chromium with flags for a closed network. In your
    // project, drop launchOptions and run `npx playwright install chromium` instead.
    launchOptions: process.env.CHROMIUM_PATH
      ? {
          executablePath: process.env.CHROMIUM_PATH,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        }
      : undefined,
  },
  webServer: {
    command: 'node server.mjs',
    url: `http://127.0.0.1:${port}`,
    // The one thing the server needs: REFPORT_API_URL (and the mock's API key).
    env: { ...refportServerEnv(), PORT: String(port) },
    reuseExistingServer: !process.env.CI,
  },
})
