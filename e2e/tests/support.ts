/**
 * What every spec shares: a `page` that fails the test on any page error, console error or
 * unhandled rejection; a view of the mock Refport API's state; and names unique per test,
 * so specs running side by side against one mock never see each other's clicks or leads.
 */
import { test as base, expect, type BrowserContext, type Cookie, type Page, type Request } from '@playwright/test'
import { ORIGINS, PUBLISHABLE_KEY } from '../servers/config.mjs'

export { expect }
export { ORIGINS, PUBLISHABLE_KEY }
export { clicksFor, leadsFor, shortLinkClick, mockState, partnerKey, uniqueEmail } from '../helpers/mock-api'

/**
 * Console messages Chromium itself writes for a failed HTTP request ("Failed to load
 * resource: the server responded with a status of 500", "net::ERR_BLOCKED_BY_CLIENT").
 * Page code cannot prevent or catch them; everything else on the console counts.
 */
const BROWSER_NETWORK_LOG = /^Failed to load resource: /

export const test = base.extend<{ problems: string[] }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from its destructured first parameter, and this one has none
  problems: async ({}, use) => {
    await use([])
  },
  page: async ({ page, problems }, use) => {
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    page.on('console', (message) => {
      if (message.type() === 'error' && !BROWSER_NETWORK_LOG.test(message.text()))
        problems.push(`console.error: ${message.text()}`)
    })
    // Unhandled rejections and CSP violations surface as console errors, caught above.
    await page.addInitScript(() => {
      addEventListener('unhandledrejection', (event) => console.error(`unhandledrejection: ${String(event.reason)}`))
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective}`),
      )
    })
    await use(page)
    expect(problems, 'the page logged errors').toEqual([])
  },
})

/** The `refp_id` cookies of the context, wherever they sit. */
export const clickIdCookies = async (context: BrowserContext): Promise<Cookie[]> =>
  (await context.cookies()).filter((cookie) => cookie.name === 'refp_id')

/** Waits until exactly one `refp_id` cookie exists and returns it. */
export async function storedCookie(context: BrowserContext): Promise<Cookie> {
  await expect.poll(async () => (await clickIdCookies(context)).length, { message: 'refp_id cookie written' }).toBe(1)
  return (await clickIdCookies(context))[0]!
}

/**
 * Puts `refp_id=clickId` on `.example.test` as the tracker writes it with `document.cookie`,
 * with the 7 days Safari caps such a cookie at (WebKit's script-written cookie cap), so a
 * test can show the server renewing it.
 */
export async function addScriptWrittenClickId(context: BrowserContext, clickId: string): Promise<void> {
  await context.addCookies([
    {
      name: 'refp_id',
      value: clickId,
      domain: '.example.test',
      path: '/',
      expires: Math.floor(Date.now() / 1000) + 7 * 86400,
      sameSite: 'Lax',
    },
  ])
}

/** True for the tracker's click request. */
export const isClickRequest = (request: Request): boolean => new URL(request.url()).pathname === '/track/click'

/** Records every click request the page makes from now on. */
export function recordClickRequests(page: Page): Request[] {
  const requests: Request[] = []
  page.on('request', (request) => {
    if (isClickRequest(request)) requests.push(request)
  })
  return requests
}

/**
 * Resolves with the click ID the mock mints for the page's next click request. Call it
 * before the action that triggers the click, await it after.
 */
export async function nextMintedClickId(page: Page): Promise<string> {
  const response = await page.waitForResponse((response) => isClickRequest(response.request()))
  return ((await response.json()) as { clickId: string }).clickId
}

/**
 * Lands on `url` and waits for the tracker's click to be answered and stored. Returns the
 * click ID the mock minted.
 */
export async function landWithClick(page: Page, url: string): Promise<string> {
  const minted = nextMintedClickId(page)
  await page.goto(url)
  const clickId = await minted
  await expect.poll(async () => (await clickIdCookies(page.context())).map((cookie) => cookie.value)).toContain(clickId)
  return clickId
}

/**
 * The positive control of every "nothing happened" check: the script tag's tracker was
 * loaded and ran on this page (only it defines `window.refport`) and reads no click ID. A
 * missing or failing /refport.js would otherwise pass as "no request, no cookie": its 404 is
 * browser network noise, not a page error.
 */
export async function expectTrackerRanWithoutClick(page: Page): Promise<void> {
  expect(
    await page.evaluate(() => {
      const api = (window as { refport?: { getClickId?: () => unknown } }).refport
      return typeof api?.getClickId === 'function' ? { clickId: api.getClickId() } : 'tracker missing'
    }),
  ).toEqual({ clickId: null })
}

/**
 * A round trip through the page's event loop: by the time it returns, every task queued
 * while the page loaded (a deferred script's fetch, a promise callback) has had its turn.
 */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)))
}

/** Fills and sends the sign-up form of the Express or Hono backend; returns `#result`'s data. */
export async function signUpWithForm(page: Page, email: string, name = 'Test User') {
  await page.fill('input[name=email]', email)
  await page.fill('input[name=name]', name)
  await page.click('button[type=submit]')
  const result = page.locator('#result')
  await result.waitFor()
  return {
    status: await result.getAttribute('data-status'),
    clickId: await result.getAttribute('data-click-id'),
    partner: await result.getAttribute('data-partner'),
  }
}

/**
 * Fills and sends the Better Auth sign-up form (the e2e backend's and the playground's) and
 * waits for Better Auth to answer it with a signed-up user.
 */
export async function signUpWithBetterAuth(
  page: Page,
  { email, name, password }: { email: string; name: string; password: string },
) {
  await page.fill('input[name=email]', email)
  await page.fill('input[name=name]', name)
  await page.fill('input[name=password]', password)
  await page.click('button[type=submit]')
  await expect(page.locator('#result')).toHaveAttribute('data-status', 'signed-up')
}
