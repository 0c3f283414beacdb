/**
 * The playground (`npm run playground`) keeps working: the click-through a newcomer does
 * by hand, on plain localhost with host-only cookies, ends on the dashboard with the
 * sign-up credited to the partner. Runs the playground in-process on PORTS.playground (4150–4153).
 */
import { startPlayground, type Playground } from '../../playground/playground.mjs'
import { PORTS } from '../servers/config.mjs'
import { clickIdCookies, expect, partnerKey, storedCookie, test, uniqueEmail } from './support'

let playground: Playground
test.beforeAll(async () => {
  playground = await startPlayground({ portBase: PORTS.playground })
})
test.afterAll(async () => {
  await playground?.close()
})

test('playground: partner link on localhost → Better Auth sign-up → dashboard shows the credited partner', async ({ page }) => {
  const { urls } = playground
  const key = partnerKey('jane')
  const email = uniqueEmail('newcomer')

  await page.goto(`${urls.site}/?via=${key}`)
  await expect(page.locator('#referral')).toContainText('Referral stored')
  // localhost takes no Domain attribute: the cookie is host-only, shared by every port.
  expect(await storedCookie(page.context())).toMatchObject({ domain: 'localhost' })

  await page.click('#signup')
  await page.fill('input[name=email]', email)
  await page.fill('input[name=name]', 'Newcomer')
  await page.fill('input[name=password]', 'playground-password')
  await page.click('button[type=submit]')
  await expect(page.locator('#result')).toHaveAttribute('data-status', 'signed-up')
  await expect.poll(() => clickIdCookies(page.context())).toEqual([])

  await page.click('#dashboard')
  const lead = page.locator('#leads tbody tr', { hasText: email })
  await expect(lead).toContainText(key)
  await expect(page.locator('#partners tbody tr', { hasText: key })).toContainText(/1\s*1/)
})
