/**
 * The Next.js App Router app of e2e/next-app (built with `next build`, served by
 * `next start`): `refportProxy()` in `proxy.ts` and `<RefportTracker />` in the server root
 * layout, sign-up through a Server Action (`cookies()`) and through a Route Handler
 * (`getClickIdFromRequest`).
 *
 * The proxy registers a landing's click server to server and answers it with a redirect to
 * the clean URL that sets `refp_id`; the tracker then finds nothing left to send. So each
 * landing is one click at the API, and the browser itself sends none.
 */
import type { Page } from '@playwright/test'
import {
  ORIGINS,
  clicksFor,
  expect,
  leadsFor,
  partnerKey,
  recordClickRequests,
  settle,
  storedCookie,
  test,
  uniqueEmail,
  addScriptWrittenClickId,
} from './support'

/**
 * Lands on `url` (carrying `?via=<key>`) and waits for the one click the proxy registered
 * for `key` and the cookie holding it. Returns the click ID.
 */
async function landThroughProxy(page: Page, url: string, key: string): Promise<string> {
  await page.goto(url)
  await expect.poll(async () => (await clicksFor(key)).length, { message: `one click for ${key}` }).toBe(1)
  const [click] = await clicksFor(key)
  expect(click!.source).toBe('server')
  expect((await storedCookie(page.context())).value).toBe(click!.clickId)
  return click!.clickId
}

async function signUp(page: Page, button: 'sign-up-action' | 'sign-up-route', email: string) {
  await page.getByTestId('nav-sign-up').click()
  await expect(page.getByTestId('page-sign-up')).toBeVisible()
  await page.getByTestId('email').fill(email)
  await page.getByTestId('name').fill('Next User')
  await page.getByTestId(button).click()
  const result = page.getByTestId('sign-up-result')
  await expect(result).toHaveAttribute('data-via', button === 'sign-up-action' ? 'action' : 'route')
  return {
    clickId: await page.getByTestId('server-click-id').textContent(),
    leadTracked: await page.getByTestId('lead-tracked').textContent(),
  }
}

test('Next.js App Router: <RefportTracker /> in the layout, Server Action sign-up credits the partner', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('next-action')
  const clickId = await landThroughProxy(page, `${ORIGINS.next}/?via=${key}`, key)
  expect(await storedCookie(page.context())).toMatchObject({ value: clickId, domain: '.example.test' })

  expect(await signUp(page, 'sign-up-action', email)).toEqual({ clickId, leadTracked: 'yes' })
  expect(await leadsFor(email)).toMatchObject([{ clickId, eventName: 'Sign Up', partner: { key } }])
})

test('Next.js App Router: <Link> navigation after a ?via= landing sends no further click', async ({ page }) => {
  const key = partnerKey('jane')
  const clicks = recordClickRequests(page)
  const clickId = await landThroughProxy(page, `${ORIGINS.next}/?via=${key}`, key)
  // Survives client-side navigation only: a full page load would start a fresh window.
  await page.evaluate(() => ((window as unknown as { landingWindow?: boolean }).landingWindow = true))

  for (const [link, heading] of [
    ['nav-pricing', 'page-pricing'],
    ['nav-sign-up', 'page-sign-up'],
    ['nav-home', 'page-home'],
    ['nav-pricing', 'page-pricing'],
  ] as const) {
    await page.getByTestId(link).click()
    await expect(page.getByTestId(heading)).toBeVisible()
    // Effects of the new route (a re-rendered <RefportTracker />) have run by now.
    await settle(page)
  }

  expect(await page.evaluate(() => (window as unknown as { landingWindow?: boolean }).landingWindow)).toBe(true)
  // The landing's one click was the proxy's; the browser sent none, then or since.
  expect(clicks).toHaveLength(0)
  expect(await clicksFor(key)).toHaveLength(1)
  expect((await storedCookie(page.context())).value).toBe(clickId)
})

test('Next.js App Router: Route Handler sign-up with getClickIdFromRequest credits the partner', async ({ page }) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('next-route')
  const clickId = await landThroughProxy(page, `${ORIGINS.next}/?via=${key}`, key)

  expect(await signUp(page, 'sign-up-route', email)).toEqual({ clickId, leadTracked: 'yes' })
  expect(await leadsFor(email)).toMatchObject([{ clickId, partner: { key } }])
})

test('Next.js App Router: a page that router.replace()s away at once still counts its referral, once', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const clicks = recordClickRequests(page)
  const clickId = await landThroughProxy(page, `${ORIGINS.next}/redirect?via=${key}`, key)
  await expect(page.getByTestId('page-pricing')).toBeVisible()
  await expect(page).toHaveURL(`${ORIGINS.next}/pricing`)
  expect((await storedCookie(page.context())).value).toBe(clickId)
  await settle(page)
  expect(clicks).toHaveLength(0)
  expect(await clicksFor(key)).toHaveLength(1)
})

test('Next.js proxy.ts + <RefportTracker />: a ?via= landing is one click, the address bar clean, the landing not cacheable', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const clicks = recordClickRequests(page)
  const response = await page.goto(`${ORIGINS.next}/pricing?via=${key}&plan=team`)
  await expect(page.getByTestId('page-pricing')).toBeVisible()
  await expect(page).toHaveURL(`${ORIGINS.next}/pricing?plan=team`)
  const landing = await response!.request().redirectedFrom()!.response()
  expect(landing!.status()).toBe(307)
  expect(landing!.headers()['cache-control']).toBe('private, no-store')
  await expect.poll(async () => (await clicksFor(key)).length).toBe(1)
  expect((await storedCookie(page.context())).value).toBe((await clicksFor(key))[0]!.clickId)
  // Reload of the clean page: still one click.
  await page.reload()
  await expect(page.getByTestId('page-pricing')).toBeVisible()
  await settle(page)
  expect(clicks).toHaveLength(0)
  expect(await clicksFor(key)).toHaveLength(1)
})

test('Next.js proxy.ts: a page load renews a refp_id the tracker wrote to a full 90 days, not cacheable', async ({
  page,
  context,
}) => {
  const clickId = `cl_${partnerKey('renew')}`
  // As the tracker writes it with document.cookie: Safari would cap it at 7 days.
  await addScriptWrittenClickId(context, clickId)
  const response = await page.goto(`${ORIGINS.next}/pricing`)
  expect(response!.headers()['cache-control']).toBe('private, no-store')
  const cookie = await storedCookie(context)
  expect(cookie.value).toBe(clickId)
  expect(cookie.expires - Date.now() / 1000).toBeGreaterThan(90 * 86400 - 120)
})
