/**
 * The first-party landing middleware (`refportMiddleware()` from `refport/express`) in
 * front of the marketing site's pages: the site's own server records the click and sets
 * `refp_id`, so a partner keeps the credit when the page runs no JavaScript at all and when
 * an ad blocker stops both `refport.js` and the browser's click request.
 */
import type { BrowserContext, Cookie } from '@playwright/test'
import {
  ORIGINS,
  clickIdCookies,
  clicksFor,
  expect,
  leadsFor,
  partnerKey,
  recordClickRequests,
  signUpWithForm,
  storedCookie,
  test,
  uniqueEmail,
  addScriptWrittenClickId,
} from './support'

const NINETY_DAYS_S = 90 * 86400

/** The one click the server registered for `key`, once the mock has it. */
async function serverClick(key: string) {
  await expect.poll(async () => (await clicksFor(key)).length, { message: `one click for ${key}` }).toBe(1)
  const [click] = await clicksFor(key)
  expect(click!.source).toBe('server')
  return click!
}

/** The refp_id cookie lives ~90 days: set by the server, not capped like a script's. */
function expectFullLifetime(cookie: Cookie) {
  const remaining = cookie.expires - Date.now() / 1000
  expect(remaining).toBeGreaterThan(NINETY_DAYS_S - 120)
  expect(remaining).toBeLessThanOrEqual(NINETY_DAYS_S + 5)
}

/** Blocks the tracker script and the click API as an ad blocker's filter list would. */
async function blockTracking(context: BrowserContext): Promise<string[]> {
  const blocked: string[] = []
  await context.route(/\/refport\.js$|\/track\/click$/, (route) => {
    blocked.push(new URL(route.request().url()).pathname)
    return route.abort('blockedbyclient')
  })
  return blocked
}

test.describe('JavaScript disabled', () => {
  test.use({ javaScriptEnabled: false })

  test('a ?via= landing: the server sets refp_id (90 days, registrable domain), records the click, and the sign-up is credited', async ({
    page,
  }) => {
    const key = partnerKey('jane')
    const email = uniqueEmail('nojs')
    const response = await page.goto(`${ORIGINS.landing}/?via=${key}`)
    expect(response?.headers()['cache-control']).toBe('private, no-store')
    const click = await serverClick(key)
    expect(click.userAgent).toMatch(/Chrom/)
    expect(click.ip).toBe('127.0.0.1')
    expect(click.url).toBe(`${ORIGINS.landing}/?via=${key}`)

    const cookie = await storedCookie(page.context())
    expect(cookie).toMatchObject({ value: click.clickId, domain: '.example.test', sameSite: 'Lax', httpOnly: false })
    expectFullLifetime(cookie)

    await page.click('#signup-express')
    await expect(page).toHaveURL(`${ORIGINS.express}/signup`)
    expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId: click.clickId, partner: key })
    expect(await leadsFor(email)).toMatchObject([{ clickId: click.clickId, partner: { key } }])
  })

  test('a reload of the landing is not a second click', async ({ page }) => {
    const key = partnerKey('jane')
    await page.goto(`${ORIGINS.landing}/?via=${key}`)
    const click = await serverClick(key)
    await page.reload()
    await page.goto(`${ORIGINS.landing}/pricing`)
    expect(await clicksFor(key)).toHaveLength(1)
    expect((await storedCookie(page.context())).value).toBe(click.clickId)
  })

  test('a ?refp_id= landing from a short link is stored by the server as is, with no click sent', async ({ page }) => {
    const clickId = `cl_${partnerKey('short')}`
    await page.goto(`${ORIGINS.landing}/?refp_id=${clickId}`)
    expect((await storedCookie(page.context())).value).toBe(clickId)
  })

  test('a later page load re-issues refp_id with a fresh 90-day lifetime', async ({ page, context }) => {
    // A cookie the tracker wrote with document.cookie: Safari would have capped it at 7 days.
    const clickId = `cl_${partnerKey('renew')}`
    await addScriptWrittenClickId(context, clickId)
    const response = await page.goto(`${ORIGINS.landing}/pricing`)
    expect(response?.headers()['cache-control']).toBe('private, no-store')
    const cookie = await storedCookie(context)
    expect(cookie.value).toBe(clickId)
    expectFullLifetime(cookie)
  })
})

test("an ad blocker stops refport.js and the browser's click request: the server-set cookie still credits the sign-up", async ({
  page,
  context,
}) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('adblock')
  const blocked = await blockTracking(context)
  const browserClicks = recordClickRequests(page)

  await page.goto(`${ORIGINS.landing}/?via=${key}`)
  const click = await serverClick(key)
  expect((await storedCookie(context)).value).toBe(click.clickId)

  await page.click('#signup-express')
  await expect(page).toHaveURL(`${ORIGINS.express}/signup`)
  expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId: click.clickId, partner: key })
  // The blocker was really in the way: the tracker never loaded, on either site.
  expect(blocked).toContain('/refport.js')
  expect(browserClicks).toEqual([])
  expect(await clickIdCookies(context)).toHaveLength(1)
})

test('with the tracker on the same page: one click per landing (refp_landed), the tracker sends none', async ({
  page,
  context,
}) => {
  const key = partnerKey('jane')
  const browserClicks = recordClickRequests(page)
  await page.goto(`${ORIGINS.landing}/?via=${key}&utm_source=blog`)
  const click = await serverClick(key)
  // The tracker ran on this landing: it took the landed marker (and expires it) and reports the server's click ID.
  await expect.poll(async () => (await context.cookies()).some((cookie) => cookie.name === 'refp_landed')).toBe(false)
  expect(
    await page.evaluate(() => (window as unknown as { refport: { getClickId(): string | null } }).refport.getClickId()),
  ).toBe(click.clickId)

  await page.click('#pricing')
  await expect(page).toHaveURL(`${ORIGINS.landing}/pricing`)
  expect(browserClicks).toEqual([])
  expect(await clicksFor(key)).toHaveLength(1)
  expect((await storedCookie(context)).value).toBe(click.clickId)
})
