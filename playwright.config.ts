import { defineConfig } from '@playwright/test'
import { HOST_RESOLVER_RULES, ORIGINS } from './e2e/servers/config.mjs'

/**
 * End-to-end attribution in Debian's Chromium, fully hermetic: every host name resolves to
 * 127.0.0.1 and every server (mock Refport API, marketing site, sign-up backends) runs on
 * loopback, started by e2e/servers/start.mjs. Needs `npm run build` first.
 */
export default defineConfig({
  testDir: './e2e/tests',
  // Specs share one mock API: each test uses its own partner keys and emails, so files can
  // run side by side. Two workers suit the two cores of CI.
  workers: 2,
  timeout: 20_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: '.reports/playwright.json' }]],
  use: {
    browserName: 'chromium',
    headless: true,
    // The self-signed certificate of https://www.example.test:4101 (Secure cookies).
    ignoreHTTPSErrors: true,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        `--host-resolver-rules=${HOST_RESOLVER_RULES}`,
      ],
    },
  },
  webServer: [
    {
      command: 'node e2e/servers/start.mjs',
      url: `${ORIGINS.siteIp}/__health`,
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
      stdout: 'pipe',
    },
  ],
})
