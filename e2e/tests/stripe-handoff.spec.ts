/**
 * The Stripe hand-off in Chromium: with a stored click ID, Payment Links carry
 * `client_reference_id` when followed and Stripe's elements carry `client-reference-id`
 * (stand-ins from e2e/fixtures/stripe-elements.js that read it the way Stripe's do). The
 * Payment Link host is never reached: every request to buy.stripe.com is answered here.
 */
import type { Page } from '@playwright/test'
import { ORIGINS, expect, landWithClick, partnerKey, storedCookie, test } from './support'

/** What each Stripe element would send to checkout (`null`: nothing). */
const checkoutReferences = (page: Page) =>
  page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('stripe-pricing-table, stripe-buy-button')].map((element) => [
        element.id,
        (element as HTMLElement & { checkoutReference: string | null }).checkoutReference,
      ]),
    ),
  )

/** Follows the link `selector` and returns the Payment Link URL the browser asked for. */
async function follow(page: Page, selector: string): Promise<URL> {
  const requested = new Promise<URL>((resolve) =>
    page.route('https://buy.stripe.com/**', (route) => {
      resolve(new URL(route.request().url()))
      return route.fulfill({ contentType: 'text/html', body: '<title>Stripe Checkout (stand-in)</title>' })
    }),
  )
  await page.click(selector)
  return await requested
}

test("stripe: after a partner link, Payment Links and Stripe elements (on the page and added later) get the click ID; the site's own values stay", async ({
  page,
}) => {
  const clickId = await landWithClick(page, `${ORIGINS.site}/stripe?via=${partnerKey('jane')}`)

  await page.click('#add-later')
  await expect
    .poll(() => checkoutReferences(page))
    .toEqual({
      'pricing-table': clickId,
      'buy-button': clickId,
      'own-buy-button': 'user_42',
      'later-button': clickId,
    })
  // Decorated when followed, not on load: the link in the DOM is as the site wrote it until then.
  await expect(page.locator('#payment-link')).toHaveAttribute('href', 'https://buy.stripe.com/test_acme_pro?locale=en')

  const bought = await follow(page, '#payment-link')
  expect(bought.origin + bought.pathname).toBe('https://buy.stripe.com/test_acme_pro')
  expect([...bought.searchParams]).toEqual([
    ['locale', 'en'],
    ['client_reference_id', clickId],
  ])
})

test("stripe: a Payment Link with the site's own client_reference_id is followed as written", async ({ page }) => {
  await landWithClick(page, `${ORIGINS.site}/stripe?via=${partnerKey('jane')}`)
  const bought = await follow(page, '#own-payment-link')
  expect(bought.href).toBe('https://buy.stripe.com/test_acme_team?client_reference_id=user_42')
})

test('stripe: a later page of the site hands over the stored click ID', async ({ page }) => {
  const clickId = await landWithClick(page, `${ORIGINS.site}/?via=${partnerKey('jane')}`)
  await page.goto(`${ORIGINS.site}/stripe`)
  await expect.poll(() => checkoutReferences(page)).toMatchObject({ 'pricing-table': clickId, 'buy-button': clickId })
  expect((await follow(page, '#payment-link')).searchParams.get('client_reference_id')).toBe(clickId)
})

/**
 * No Stripe element or Payment Link carries a reference, the one a page set itself stays,
 * also on an element added later.
 */
async function expectNothingHandedOver(page: Page): Promise<void> {
  await page.click('#add-later')
  await expect(page.locator('#later-button')).toHaveCount(1)
  expect(await checkoutReferences(page)).toEqual({
    'pricing-table': null,
    'buy-button': null,
    'own-buy-button': 'user_42',
    'later-button': null,
  })
  expect((await follow(page, '#payment-link')).search).toBe('?locale=en')
}

test('stripe: with no referral nothing is handed over', async ({ page }) => {
  await page.goto(`${ORIGINS.site}/stripe`)
  // Positive control: the tracker ran (its global exists) and found no click ID.
  await expect
    .poll(() => page.evaluate(() => typeof (window as { refport?: { getClickId?: unknown } }).refport?.getClickId))
    .toBe('function')
  await expectNothingHandedOver(page)
})

test('stripe: data-stripe="off" hands nothing over, while the click ID is stored', async ({ page }) => {
  const clickId = await landWithClick(page, `${ORIGINS.site}/stripe-off?via=${partnerKey('jane')}`)
  expect((await storedCookie(page.context())).value).toBe(clickId)
  await expectNothingHandedOver(page)
})
