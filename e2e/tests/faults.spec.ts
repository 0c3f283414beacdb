/**
 * The Refport API failing must never break the host page: no thrown error, no console
 * error from the tracker, no unhandled rejection (the `page` fixture fails the test on any
 * of them), and the page stays interactive. The click ID the tracker minted is in the
 * cookie before the request, and a click the API did not confirm stays marked pending
 * (refp_pending) for a later page to resend.
 *
 * These tests steer the second mock API (faults are global to a mock), so they run one
 * after another in this file and never disturb specs using the shared mock.
 */
import type { Page, Request } from '@playwright/test'
import { ORIGINS, clicksFor, expect, isClickRequest, partnerKey, test } from './support'

test.describe.configure({ mode: 'serial' })

async function setFaults(faults: object): Promise<void> {
  const response = await fetch(`${ORIGINS.faultApi}/__mock/faults`, { method: 'POST', body: JSON.stringify(faults) })
  expect(response.ok).toBe(true)
}

test.afterEach(async () => {
  await fetch(`${ORIGINS.faultApi}/__mock/reset`, { method: 'POST' })
})

/** The host page's own script still answers clicks. */
/** The ID the click request carried: minted by the tracker and already in the cookie. */
const sentClickId = (request: Request): string => JSON.parse(request.postData()!).clickId

/** The refp_id value and whether the click is still marked pending. */
async function stored(page: Page): Promise<{ clickId?: string; pending: boolean }> {
  const cookies = await page.context().cookies()
  return {
    clickId: cookies.find((c) => c.name === 'refp_id')?.value,
    pending: cookies.some((c) => c.name === 'refp_pending'),
  }
}

async function expectPageWorks(page: Page): Promise<void> {
  await page.click('#counter')
  await page.click('#counter')
  await expect(page.locator('#counter')).toHaveText('Clicked 2 times')
}

test('faults: the API answers 500 → page works, no errors, the minted click stays pending', async ({ page }) => {
  await setFaults({ click: { status: 500 } })
  const response = page.waitForResponse((response) => isClickRequest(response.request()))
  await page.goto(`${ORIGINS.site}/faults?via=${partnerKey('jane')}`)
  expect((await response).status()).toBe(500)
  await expectPageWorks(page)
  expect(await stored(page)).toEqual({ clickId: sentClickId((await response).request()), pending: true })
})

test('faults: the API answers 200 with a hostile click ID → ignored, the minted ID kept and confirmed', async ({
  page,
}) => {
  await setFaults({
    click: { status: 200, body: JSON.stringify({ clickId: 'x; Domain=evil.test', partner: { key: 'jane' } }) },
  })
  const response = page.waitForResponse((response) => isClickRequest(response.request()))
  await page.goto(`${ORIGINS.site}/faults?via=${partnerKey('jane')}`)
  await (await response).finished()
  await expectPageWorks(page)
  await expect.poll(() => stored(page)).toEqual({ clickId: sentClickId((await response).request()), pending: false })
  expect(JSON.stringify(await page.context().cookies())).not.toContain('evil')
})

test('faults: the API hangs → page stays interactive meanwhile, the tracker gives up silently, the minted click stays pending', async ({
  page,
}) => {
  await setFaults({ click: { hang: true } })
  const request = page.waitForRequest(isClickRequest)
  await page.goto(`${ORIGINS.site}/faults?via=${partnerKey('jane')}`)
  const hanging = await request
  let givenUp = false
  // The fixture's data-timeout-ms="1500" (timeoutMs) ends the request; 8 s by default.
  // Waiting at most 5 s also proves the script tag honours that attribute.
  const failed = page.waitForEvent('requestfailed', { predicate: (candidate) => candidate === hanging, timeout: 5_000 })
  void failed.then(
    () => (givenUp = true),
    () => {},
  )
  // Rendering and the page's own handlers do not wait for the tracker.
  await expectPageWorks(page)
  expect(givenUp, 'the page answered while the click request was still pending').toBe(false)
  expect((await failed).failure()?.errorText).toBe('net::ERR_ABORTED')
  await page.click('#counter')
  await expect(page.locator('#counter')).toHaveText('Clicked 3 times')
  expect(await stored(page)).toEqual({ clickId: sentClickId(hanging), pending: true })
})

test('faults: the request is blocked (as an ad blocker would) → page works, no errors, the minted click stays pending', async ({
  page,
}) => {
  const key = partnerKey('jane')
  await page.route(/\/track\/click$/, (route) => route.abort('blockedbyclient'))
  const failed = page.waitForEvent('requestfailed', { predicate: isClickRequest })
  await page.goto(`${ORIGINS.site}/faults?via=${key}`)
  expect((await failed).failure()?.errorText).toMatch(/^net::ERR_BLOCKED_BY_CLIENT/)
  await expectPageWorks(page)
  expect(await stored(page)).toEqual({ clickId: sentClickId(await failed), pending: true })
  expect(await clicksFor(key, ORIGINS.faultApi)).toEqual([])
})
