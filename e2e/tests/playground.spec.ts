/**
 * The playground (`npm run playground`) keeps working: the click-through a newcomer does
 * by hand ends on the dashboard with the sign-up credited to the partner. Both documented
 * variants run in-process: plain localhost (host-only cookie) on PORTS.playground (4150–4153)
 * and PLAYGROUND_DOMAIN=example.test (www./app. subdomains, shared cookie) four ports up.
 */
import { startPlayground, type Playground } from '../../playground/playground.mjs'
import { PORTS } from '../servers/config.mjs'
import { clickIdCookies, expect, partnerKey, signUpWithBetterAuth, storedCookie, test, uniqueEmail } from './support'

const VARIANTS = [
  { domain: 'localhost', portBase: PORTS.playground, cookieDomain: 'localhost' },
  { domain: 'example.test', portBase: PORTS.playground + 4, cookieDomain: '.example.test' },
]

for (const { domain, portBase, cookieDomain } of VARIANTS) {
  test.describe(`playground on ${domain}`, () => {
    let playground: Playground
    test.beforeAll(async () => {
      playground = await startPlayground({ portBase, domain })
    })
    test.afterAll(async () => {
      await playground?.close()
    })

    test(`playground (${domain}): partner link → Better Auth sign-up → dashboard shows the credited partner`, async ({ page }) => {
      const { urls } = playground
      const key = partnerKey('jane')
      const email = uniqueEmail('newcomer')

      await page.goto(`${urls.site}/?via=${key}`)
      await expect(page.locator('#referral')).toContainText('Referral stored')
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
  })
}
