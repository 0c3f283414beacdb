import { defineConfig } from '@playwright/test'
import { API_KEY, CHROMIUM_ARGS, CHROMIUM_PATH, HOST_RESOLVER_RULES, ORIGINS, PORTS } from './e2e/servers/config.mjs'

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
    // A failed test keeps its trace: actions, network, DOM snapshots. Not the screencast,
    // whose frames Chromium encodes all through every test (some 6% of the suite's CPU).
    trace: { mode: 'retain-on-failure', screenshots: false },
    launchOptions: {
      executablePath: CHROMIUM_PATH,
      args: [...CHROMIUM_ARGS, `--host-resolver-rules=${HOST_RESOLVER_RULES}`],
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
    {
      // The Next.js App Router app (its layout renders <RefportTracker />), built beforehand
      // (`npm run next-app:build`).
      // Its tracker's API host (NEXT_PUBLIC_REFPORT_API_HOST) is fixed at build time and
      // defaults to the shared mock, http://127.0.0.1:4010; the server side reads these:
      command: `npx next start e2e/next-app -p ${PORTS.next} -H 127.0.0.1`,
      url: `http://127.0.0.1:${PORTS.next}/pricing`,
      env: { REFPORT_API_KEY: API_KEY, REFPORT_API_URL: ORIGINS.mockApi, NEXT_TELEMETRY_DISABLED: '1' },
      reuseExistingServer: !process.env.CI,
      timeout: 30_000,
    },
  ],
})
