/**
 * At most one click request per landing: none for a `?refp_id=` landing (the short link
 * already minted the click), none on reload or back/forward, none on other pages.
 */
import {
  ORIGINS,
  PUBLISHABLE_KEY,
  clicksFor,
  expect,
  expectTrackerRanWithoutClick,
  isClickRequest,
  landWithClick,
  leadsFor,
  shortLinkClick,
  mockState,
  partnerKey,
  recordClickRequests,
  settle,
  signUpWithForm,
  storedCookie,
  test,
  uniqueEmail,
} from './support'

test('?refp_id= landing: cookie set with zero click requests, address bar cleaned, lead credited', async ({ page }) => {
  const key = partnerKey('shortlink')
  const clickId = await shortLinkClick(key)
  const clicks = recordClickRequests(page)

  await page.goto(`${ORIGINS.site}/?utm_source=newsletter&refp_id=${clickId}&lang=en#pricing`)
  expect(await storedCookie(page.context())).toMatchObject({ value: clickId, domain: '.example.test' })
  // Only refp_id goes: other params and the hash stay, so the site's own analytics still work.
  await expect(page).toHaveURL(`${ORIGINS.site}/?utm_source=newsletter&lang=en#pricing`)
  await settle(page)
  expect(clicks).toEqual([])
  expect(await clicksFor(key)).toHaveLength(1) // the short link's, none from the browser

  const email = uniqueEmail('short')
  await page.click('#signup-express')
  expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId, partner: key })
  expect(await leadsFor(email)).toHaveLength(1)
})

test('?via= click is a CORS simple request: text/plain, no preflight', async ({ page }) => {
  const key = partnerKey('simple')
  const request = page.waitForRequest(isClickRequest)
  const clickId = await landWithClick(page, `${ORIGINS.site}/?via=${key}`)
  expect((await request).headers()['content-type']).toMatch(/^text\/plain/)
  expect(JSON.parse((await request).postData()!)).toEqual({
    publishableKey: PUBLISHABLE_KEY, // the key the fixture page was served with
    key,
    clickId, // minted by the tracker, already in the cookie
    url: `${ORIGINS.site}/?via=${key}`,
    referrer: '',
  })
  expect((await mockState()).preflights).toBe(0)
})

test('reload and back/forward to the landing page register no second click', async ({ page }) => {
  const key = partnerKey('jane')
  const clickId = await landWithClick(page, `${ORIGINS.site}/?via=${key}`)
  const clicks = recordClickRequests(page)

  await page.reload()
  await settle(page)
  await page.click('#pricing')
  await expect(page).toHaveURL(`${ORIGINS.site}/pricing`)
  await page.goBack()
  await expect(page).toHaveURL(`${ORIGINS.site}/?via=${key}`)
  // A real back/forward load (no-store pages stay out of the back/forward cache): the
  // tracker ran again on the landing URL and chose not to send.
  expect(
    await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type),
  ).toBe('back_forward')
  await settle(page)
  await page.goForward()
  await expect(page).toHaveURL(`${ORIGINS.site}/pricing`)
  await page.goBack()
  await settle(page)

  expect(clicks).toEqual([])
  expect(await clicksFor(key)).toHaveLength(1)
  expect((await storedCookie(page.context())).value).toBe(clickId)
})

test('pages without referral params send no request and write no cookie', async ({ page }) => {
  const clicks = recordClickRequests(page)
  for (const path of ['/', '/pricing', '/?utm_source=ads', '/?via=', '/?refp_id=']) {
    await page.goto(`${ORIGINS.site}${path}`)
    await settle(page)
    await expectTrackerRanWithoutClick(page)
  }
  expect(clicks).toEqual([])
  expect(await page.context().cookies()).toEqual([])
})
