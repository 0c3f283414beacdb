import { defineConfig } from 'vitest/config'

/**
 * The attribution scenarios in Firefox and WebKit (e2e/engines), `npm run test:browsers`.
 * Runs against the built packages, like the Playwright suite: `npm run build` first. One
 * file per engine, side by side on the two cores; inside a file, one browser serves
 * every test, each in a fresh profile.
 */
export default defineConfig({
  test: {
    include: ['e2e/engines/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['e2e/engines/global-setup.ts'],
    pool: 'forks',
    // One worker per engine file (vitest's default on two cores would be one in all).
    maxWorkers: 2,
    testTimeout: 30_000,
    // Waits are on state (cookies, the mock's records), polled; as Playwright's expect, 5 s.
    expect: { poll: { timeout: 5_000, interval: 25 } },
    hookTimeout: 60_000,
    // A failed test is a fact about an engine; running it again would hide a flaky one.
    retry: 0,
  },
})
