/** `data-consent="pending"`: the tracker writes and sends nothing until consent is granted. */
import {
  ORIGINS,
  clickIdCookies,
  clicksFor,
  expect,
  nextMintedClickId,
  partnerKey,
  recordClickRequests,
  settle,
  storedCookie,
  test,
} from './support'

test('consent pending: nothing written or sent until granted; granting registers the click and stores the cookie', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const clicks = recordClickRequests(page)
  await page.goto(`${ORIGINS.site}/consent?via=${key}`)
  await settle(page)
  expect(clicks).toEqual([])
  expect(await page.context().cookies()).toEqual([]) // not even the domain probe
  expect(await clicksFor(key)).toEqual([])

  const minted = nextMintedClickId(page)
  await page.click('#accept')
  const clickId = await minted
  expect((await storedCookie(page.context())).value).toBe(clickId)
  expect(clicks).toHaveLength(1)
})

test('consent pending then rejected: nothing is ever written or sent', async ({ page }) => {
  const key = partnerKey('jane')
  const clicks = recordClickRequests(page)
  await page.goto(`${ORIGINS.site}/consent?via=${key}`)
  await page.click('#reject')
  await settle(page)
  expect(clicks).toEqual([])
  expect(await clickIdCookies(page.context())).toEqual([])
})

test('a consent manager that reloads the page on accept: the reloaded landing registers the click once', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const clicks = recordClickRequests(page)
  await page.goto(`${ORIGINS.site}/consent-reload?via=${key}`)
  await settle(page)
  expect(clicks).toEqual([])

  const minted = nextMintedClickId(page)
  await page.click('#accept')
  const clickId = await minted
  expect(
    await page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type),
  ).toBe('reload')
  expect((await storedCookie(page.context())).value).toBe(clickId)

  // A further reload finds the click stored and sends nothing.
  await page.reload()
  await settle(page)
  expect(clicks).toHaveLength(1)
  expect(await clicksFor(key)).toHaveLength(1)
})
