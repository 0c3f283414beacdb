/**
 * The cookie's attributes in a real browser: Secure exactly on https, Domain = the
 * registrable domain (found by probing) so subdomains share it, host-only on an IP, and a
 * strict CSP that the script tag lives with.
 */
import { ORIGINS, expect, landWithClick, partnerKey, storedCookie, test } from './support'

test('https page: Secure cookie on the registrable domain, SameSite=Lax, about 90 days', async ({ page }) => {
  const clickId = await landWithClick(page, `${ORIGINS.siteHttps}/?via=${partnerKey('jane')}`)
  const cookie = await storedCookie(page.context())
  expect(cookie).toMatchObject({
    value: clickId,
    domain: '.example.test',
    path: '/',
    secure: true,
    sameSite: 'Lax',
    httpOnly: false,
  })
  const days = (cookie.expires * 1000 - Date.now()) / 86_400_000
  expect(days).toBeGreaterThan(89)
  expect(days).toBeLessThanOrEqual(90)
})

test('http page: cookie not Secure, shared with every subdomain (app.example.test sees it)', async ({ page }) => {
  const clickId = await landWithClick(page, `${ORIGINS.site}/?via=${partnerKey('jane')}`)
  expect(await storedCookie(page.context())).toMatchObject({ domain: '.example.test', secure: false })
  const sentToApp = await page.context().cookies(`${ORIGINS.express}/signup`)
  expect(sentToApp.find(({ name }) => name === 'refp_id')?.value).toBe(clickId)
  // The partner of the confirmed click travels with it; the pending mark is gone.
  await expect
    .poll(async () => (await page.context().cookies(`${ORIGINS.express}/signup`)).map(({ name }) => name).sort())
    .toEqual(['refp_id', 'refp_partner'])
  // The probe cookie the tracker writes to find the domain is gone.
  expect((await page.context().cookies()).map((cookie) => cookie.name).sort()).toEqual(['refp_id', 'refp_partner'])
})

test('IP host: the cookie is host-only', async ({ page }) => {
  const clickId = await landWithClick(page, `${ORIGINS.siteIp}/?via=${partnerKey('jane')}`)
  // Playwright reports a host-only cookie with its host as domain, without a leading dot.
  expect(await storedCookie(page.context())).toMatchObject({ value: clickId, domain: '127.0.0.1', secure: false })
})

test("strict CSP page (script-src 'self') with the script tag: click registered, cookie stored, no violation", async ({
  page,
}) => {
  const response = await page.goto(`${ORIGINS.site}/csp`)
  expect(response?.headers()['content-security-policy']).toContain("script-src 'self'")
  const clickId = await landWithClick(page, `${ORIGINS.site}/csp?via=${partnerKey('jane')}`)
  expect((await storedCookie(page.context())).value).toBe(clickId)
})
