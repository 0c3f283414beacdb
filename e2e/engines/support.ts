/**
 * Steps the scenarios share, over any engine's {@link BrowserSession}. They assert
 * outcomes a visitor and the Refport API can see (the cookie, the clicks and leads the mock
 * recorded), never the order of the tracker's requests, and wait on state, never on time.
 */
import { expect } from 'vitest'
import { clicksFor } from '../helpers/mock-api'
import type { BrowserCookie, BrowserSession } from './session'

export { clicksFor, leadsFor, shortLinkClick, mockState, partnerKey, uniqueEmail } from '../helpers/mock-api'
export { ORIGINS } from '../servers/config.mjs'

const DAY = 86_400

/** The `refp_id` cookies the current page's URL would be sent. */
export const clickIdCookies = async (session: BrowserSession): Promise<BrowserCookie[]> =>
  (await session.cookies()).filter((cookie) => cookie.name === 'refp_id')

/** Waits until the current page sees exactly one `refp_id` cookie and returns it. */
export async function storedCookie(session: BrowserSession): Promise<BrowserCookie> {
  await expect.poll(async () => (await clickIdCookies(session)).length, { message: 'one refp_id cookie' }).toBe(1)
  return (await clickIdCookies(session))[0]!
}

/** Days from now until the cookie expires (a session cookie: `NaN`). */
export const daysLeft = (cookie: BrowserCookie): number => ((cookie.expires ?? NaN) - Date.now() / 1000) / DAY

/**
 * Lands on `url` (a `?via=<key>` link) and waits until the mock recorded one click for
 * `key` and the page's cookie holds that click's ID. Returns the click ID.
 */
export async function landWithClick(session: BrowserSession, url: string, key: string): Promise<string> {
  await session.goto(url)
  const clickId = await theClickFor(key)
  await expect.poll(async () => (await clickIdCookies(session)).map((cookie) => cookie.value)).toEqual([clickId])
  return clickId
}

/** Waits until the mock recorded exactly one click for `key`; returns its click ID. */
export async function theClickFor(key: string): Promise<string> {
  await expect.poll(async () => (await clicksFor(key)).length, { message: `one click recorded for ${key}` }).toBe(1)
  return (await clicksFor(key))[0]!.clickId
}

/**
 * A round trip through the page's event loop: by the time it returns, every task queued
 * while the page loaded (a deferred script's request, a promise callback) has had its turn.
 */
export async function settle(session: BrowserSession): Promise<void> {
  await session.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))
}

/**
 * The positive control of every "nothing happened" check: the script tag's tracker was
 * loaded and ran on this page (`window.refport` is only defined by it), and reads no click ID.
 */
export async function expectTrackerRanWithoutClick(session: BrowserSession): Promise<void> {
  expect(
    await session.evaluate(() => {
      const api = (window as { refport?: { getClickId?: () => unknown } }).refport
      return typeof api?.getClickId === 'function' ? { clickId: api.getClickId() } : 'tracker missing'
    }),
  ).toEqual({ clickId: null })
}

/** The Navigation Timing type of the current document: `navigate`, `reload` or `back_forward`. */
export const navigationType = (session: BrowserSession): Promise<string | undefined> =>
  session.evaluate(
    () => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.type,
  )

/** Fills and sends the sign-up form of the Express or Hono backend; returns `#result`'s data. */
export async function signUpWithForm(session: BrowserSession, email: string, name = 'Test User') {
  await session.fill('input[name=email]', email)
  await session.fill('input[name=name]', name)
  await session.click('button[type=submit]', { navigates: true })
  return waitForResult(session, ['status', 'clickId', 'partner'])
}

/** Fills and sends the Better Auth sign-up form; resolves once the user is signed up. */
export async function signUpWithBetterAuth(
  session: BrowserSession,
  { email, name, password }: { email: string; name: string; password: string },
) {
  await session.fill('input[name=email]', email)
  await session.fill('input[name=name]', name)
  await session.fill('input[name=password]', password)
  await session.click('button[type=submit]')
  const result = await waitForResult(session, ['status', 'userId'])
  expect(result.status).toBe('signed-up')
  return result
}

/** Waits for the `#result` element and returns the `data-*` values named. */
async function waitForResult(session: BrowserSession, names: string[]): Promise<Record<string, string | null>> {
  const read = () =>
    session.evaluate((keys: string[]) => {
      const element = document.querySelector<HTMLElement>('#result')
      return element?.dataset.status ? Object.fromEntries(keys.map((key) => [key, element.dataset[key] ?? null])) : null
    }, names)
  await expect.poll(read, { message: '#result shown' }).not.toBeNull()
  return (await read())!
}
