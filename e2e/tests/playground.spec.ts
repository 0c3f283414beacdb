/**
 * The playground (`npm run playground`) keeps working: the click-through a newcomer does
 * by hand ends on the dashboard with the sign-up and the sale credited to the partner.
 * Both documented variants run in-process: plain localhost (host-only cookie) on
 * PORTS.playground (five ports from 4150) and PLAYGROUND_DOMAIN=example.test (www./app.
 * subdomains, shared cookie) five ports up. The playground's mock knows the partners
 * `jane` (20 % off) and `alex`; each test starts from an empty mock.
 */
import { startPlayground, type Playground } from '../../playground/playground.mjs'
import { PORTS } from '../servers/config.mjs'
import { clickIdCookies, expect, signUpWithBetterAuth, storedCookie, test, uniqueEmail } from './support'

const VARIANTS = [
  { domain: 'localhost', portBase: PORTS.playground, cookieDomain: 'localhost' },
  { domain: 'example.test', portBase: PORTS.playground + 5, cookieDomain: '.example.test' },
]

for (const { domain, portBase, cookieDomain } of VARIANTS) {
  test.describe(`playground on ${domain}`, () => {
    // One playground per variant, one mock: the tests of a variant take turns.
    test.describe.configure({ mode: 'serial' })
    let playground: Playground
    test.beforeAll(async () => {
      playground = await startPlayground({ portBase, domain })
    })
    test.beforeEach(async () => {
      await fetch(`${playground.urls.api}/__mock/reset`, { method: 'POST' })
    })
    test.afterAll(async () => {
      await playground?.close()
    })

    test(`playground (${domain}): partner link → Better Auth sign-up → dashboard shows the credited partner`, async ({
      page,
    }) => {
      const { urls } = playground
      const key = 'jane'
      const email = uniqueEmail('newcomer')

      await page.goto(`${urls.site}/?via=${key}`)
      await expect(page.locator('#referral')).toContainText('Referral stored')
      // The partner data of the click answer, on the landing page.
      await expect(page.locator('#offer')).toContainText('Jane sent you: 20% off')
      // localhost takes no Domain attribute (host-only, shared by every port); a real domain does.
      expect(await storedCookie(page.context())).toMatchObject({ domain: cookieDomain })

      await page.click('#signup')
      await expect(page).toHaveURL(`${urls.app}/signup`)
      await signUpWithBetterAuth(page, { email, name: 'Newcomer', password: 'playground-password' })
      await expect.poll(() => clickIdCookies(page.context())).toEqual([])

      await page.click('#dashboard')
      await expect(page.locator('#leads tbody tr', { hasText: email })).toContainText(key)
      await expect(page.locator('#partners tbody tr', { hasText: key })).toContainText(/1\s*1/)
    })

    test(`playground (${domain}): sign-up → "Buy Acme Pro" → Stripe Checkout stand-in → the dashboard shows the sale and revenue for the partner`, async ({
      page,
    }) => {
      const { urls } = playground
      const email = uniqueEmail('buyer')
      await page.goto(`${urls.site}/?via=jane`)
      await expect(page.locator('#referral')).toContainText('Referral stored')
      await page.click('#signup')
      await signUpWithBetterAuth(page, { email, name: 'Buyer', password: 'playground-password' })

      await page.click('#buy button')
      await expect(page).toHaveURL(new RegExp(`^${urls.checkout}/c/pay/cs_`))
      await page.click('#pay')
      await expect(page.locator('#paid')).toBeVisible()
      await expect(page.locator('tr.delivery')).toHaveCount(2)
      await expect(page.locator('tr.delivery td:nth-child(3)')).toHaveText(['200', '200'])

      // "Back to the shop" is the dashboard in the playground.
      await page.click('#back')
      await expect(page).toHaveURL(new RegExp(`^${urls.dashboard}`))
      await expect(page.locator('#sales tbody tr', { hasText: email })).toContainText('$49.00')
      await expect(page.locator('#sales tbody tr', { hasText: email })).toContainText('jane')
      // Partner | clicks | sign-ups | sales | revenue
      await expect(page.locator('#partners tbody tr', { hasText: 'jane' })).toContainText(/1\s*1\s*1\s*\$49\.00/)
    })

    test(`playground (${domain}): the pricing page's Payment Link, bought at once, is credited to the partner through client_reference_id`, async ({
      page,
    }) => {
      const { urls } = playground
      await page.goto(`${urls.site}/pricing?via=alex`)
      const { value: clickId } = await storedCookie(page.context())
      await page.click('#buy-pro')
      // The URL the tracker decorated, carried to the stand-in by the page's pricing.js.
      await expect(page).toHaveURL(new RegExp(`^${urls.checkout}/c/pay/cs_`))
      await expect(page.locator('#client-reference-id')).toHaveText(clickId)
      const email = uniqueEmail('direct')
      await page.fill('input[name=email]', email)
      await page.click('#pay')
      await expect(page.locator('tr.delivery td:nth-child(3)')).toHaveText(['200', '200'])

      await page.goto(urls.dashboard)
      // One click, one lead (the webhook reports the Stripe customer as the sign-up), one sale.
      await expect(page.locator('#partners tbody tr', { hasText: 'alex' })).toContainText(/1\s*1\s*1\s*\$49\.00/)
      await expect(page.locator('#sales tbody tr')).toContainText([new RegExp(`${email}.*\\$49\\.00.*alex`)])
    })

    test(`playground (${domain}): every URL the playground prints answers a person who opens it`, async ({ page }) => {
      const printed = playground.welcome.match(/https?:\/\/[^\s)]+/g) ?? []
      // Positive control: the message lists the site, the API, the app, the dashboard and the checkout.
      expect(printed.length).toBeGreaterThanOrEqual(7)
      for (const url of printed) {
        const response = await page.goto(url)
        expect(response?.status(), url).toBe(200)
        // Not an empty page: a heading, a table or JSON describing the endpoint.
        // biome-ignore lint/performance/useDomNodeTextContent: a Playwright locator's innerText(), the text a visitor sees
        expect((await page.locator('body').innerText()).trim().length, url).toBeGreaterThan(20)
      }
    })
  })
}
