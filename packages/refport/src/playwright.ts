/**
 * `refport/playwright`: attribution tests in a user's own app. A Playwright fixture that
 * gives each worker its own mock Refport API (reset before every test), routes the
 * browser's tracker requests to it, and asserts that a partner was credited — with a
 * failure message that says where the chain broke.
 *
 * The app's server is started once by Playwright's `webServer`, before any worker, so it
 * reports to one fixed URL (`REFPORT_API_URL`, see {@link refportServerEnv}); the global
 * setup (`refport/playwright/global-setup`) runs a hub there that forwards each call to the
 * worker whose browser it is about.
 */
import { randomBytes } from 'node:crypto'
import {
  expect as baseExpect,
  test as base,
  type Browser,
  type Expect,
  type Fixtures,
  type PlaywrightTestArgs,
  type PlaywrightTestOptions,
  type PlaywrightWorkerArgs,
  type PlaywrightWorkerOptions,
  type TestType,
} from '@playwright/test'
import { startMockRefportApi } from './mock/server'
import { WORKER_TAG_PRODUCT } from './playwright/hub'
import { hubUrl, resolveFixtureOptions, type RefportFixtureOptions } from './playwright/options'
import { RefportSession, type SessionWorker } from './playwright/session'

export { DEFAULT_REFPORT_PORT, refportServerEnv, type RefportFixtureOptions } from './playwright/options'
export { RefportSession, type CreditOptions, type LandingOptions } from './playwright/session'
export type { CreditExpectation } from './playwright/diagnose'
export type { StripeCheckoutOptions, StripeWebhookResult } from './playwright/stripe'
export type { Fault, FaultMap } from './mock/faults'
export type { MockPartner, MockPartners } from './mock/partners'
export type { MockClick, MockState } from './mock/store'

/**
 * Fixtures a test receives from `refport/playwright`.
 *
 * @example
 * ```ts
 * test('credited', async ({ page, refport }: RefportTestFixtures & { page: Page }) => {
 *   await refport.landViaPartner(page, '/', 'jane')
 * })
 * ```
 */
export interface RefportTestFixtures {
  /** This test's attribution helpers, over a mock reset for it. */
  refport: RefportSession
}

/**
 * The option of `refport/playwright` as `playwright.config.ts` sets it: the type argument
 * of `defineConfig` that lets `use` carry `refportOptions`.
 *
 * @example
 * ```ts
 * import { defineConfig } from '@playwright/test'
 * import type { RefportWorkerOptions } from 'refport/playwright'
 *
 * export default defineConfig<{}, RefportWorkerOptions>({
 *   use: { refportOptions: { apiHosts: ['https://track.acme.com'] } },
 * })
 * ```
 */
export interface RefportWorkerOptions {
  /** Options; see {@link RefportFixtureOptions}. */
  refportOptions: RefportFixtureOptions
}

/**
 * Worker-scoped fixtures and options of `refport/playwright`.
 *
 * @example
 * ```ts
 * test.use({ refportOptions: { apiHosts: ['https://track.acme.com'] } })
 * ```
 */
export interface RefportWorkerFixtures extends RefportWorkerOptions {
  /** @internal The worker's mock and its registration with the hub. */
  refportWorker: SessionWorker
}

/**
 * The fixtures, to merge into a test type of your own.
 *
 * @example
 * ```ts
 * import { test as base } from '@playwright/test'
 * import { refportFixtures, type RefportTestFixtures, type RefportWorkerFixtures } from 'refport/playwright'
 *
 * export const test = base.extend<RefportTestFixtures & { account: Account }, RefportWorkerFixtures>({
 *   ...refportFixtures,
 *   account: async ({}, use) => use(await createAccount()),
 * })
 * ```
 */
export const refportFixtures: Fixtures<
  RefportTestFixtures,
  RefportWorkerFixtures,
  PlaywrightTestArgs & PlaywrightTestOptions,
  PlaywrightWorkerArgs & PlaywrightWorkerOptions
> = {
  refportOptions: [{}, { scope: 'worker', option: true }],
  refportWorker: [
    async ({ refportOptions, browser }, use) => {
      const options = resolveFixtureOptions(refportOptions)
      const mock = await startMockRefportApi({
        apiKey: options.apiKey,
        publishableKey: options.publishableKey,
        partners: options.partners,
      })
      const tag = randomBytes(12).toString('hex')
      const url = hubUrl(options.port)
      // Without the hub only the browser side works; the failure messages say so.
      await register(url, tag, mock.url)
      try {
        await use({ mock, tag, hubUrl: url, options, defaultUserAgent: await defaultUserAgent(browser) })
      } finally {
        await fetch(`${url}/__hub/workers/${tag}`, { method: 'DELETE' }).catch(() => {})
        await mock.close()
      }
    },
    { scope: 'worker' },
  ],
  refport: [
    async ({ refportWorker, context, baseURL, userAgent, extraHTTPHeaders }, use) => {
      refportWorker.mock.reset()
      // The app's server forwards the visitor's User-Agent with a server-side click: the
      // tag in it tells the hub which worker's mock the click belongs to.
      const agent = `${userAgent ?? refportWorker.defaultUserAgent} ${WORKER_TAG_PRODUCT}/${refportWorker.tag}`
      await context.setExtraHTTPHeaders({ ...extraHTTPHeaders, 'user-agent': agent })
      const session = new RefportSession(refportWorker, context, baseURL)
      await session.install()
      await use(session)
    },
    { auto: true },
  ],
}

/**
 * Playwright's `test` with the `refport` fixture: every page's tracker requests go to a
 * mock reset for the test.
 *
 * @example
 * ```ts
 * import { test } from 'refport/playwright'
 *
 * test('the partner gets the sign-up', async ({ page, refport }) => {
 *   await refport.landViaPartner(page, '/', 'jane')
 *   await page.getByLabel('Email').fill('ada@example.com')
 *   await page.getByRole('button', { name: 'Sign up' }).click()
 *   await refport.expectCredited({ partner: 'jane', event: 'Sign Up' })
 * })
 * ```
 */
// Typed from @playwright/test by name, so the published .d.ts imports only that package
// (an inferred type would name `playwright/test`, which strict installs do not expose).
export const test: TestType<
  PlaywrightTestArgs & PlaywrightTestOptions & RefportTestFixtures,
  PlaywrightWorkerArgs & PlaywrightWorkerOptions & RefportWorkerFixtures
> = base.extend<RefportTestFixtures, RefportWorkerFixtures>(refportFixtures)

/**
 * Playwright's `expect`, re-exported so a spec needs one import.
 *
 * @example
 * ```ts
 * import { expect, test } from 'refport/playwright'
 *
 * test('one click', async ({ page, refport }) => {
 *   await refport.landViaPartner(page, '/', 'jane')
 *   expect(refport.clicks()).toHaveLength(1)
 * })
 * ```
 */
// biome-ignore lint/complexity/noBannedTypes: `{}` is Playwright's own type for "no custom matchers"
export const expect: Expect<{}> = baseExpect

async function register(url: string, tag: string, mockUrl: string): Promise<void> {
  try {
    await fetch(`${url}/__hub/workers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tag, url: mockUrl }),
    })
  } catch {
    // No hub: the browser side still works; expectCredited explains what is missing.
  }
}

/** The browser's own User-Agent, to which the worker's tag is appended. */
async function defaultUserAgent(browser: Browser): Promise<string> {
  const page = await browser.newPage()
  try {
    return await page.evaluate(() => navigator.userAgent)
  } finally {
    await page.close()
  }
}
