/**
 * The minted click in a real browser: on a `?via=` landing the tracker mints the click ID,
 * writes the cookie before any request and registers the click with a keepalive request;
 * a click the API did not confirm is resent, with the same ID, from a later page view.
 *
 * Each test runs its own mock API (faults and partners are global to a mock), so these
 * tests run side by side with every other spec. Everything waits on events (a request
 * leaving, a response, the mock's state), never on time.
 */
import type { BrowserContext, Page, Request } from '@playwright/test'
import { startMockRefportApi, type MockRefportApi } from 'refport/testing'
import { API_KEY, PUBLISHABLE_KEY } from '../servers/config.mjs'
import { ORIGINS, expect, isClickRequest, leadsFor, partnerKey, signUpWithForm, test, uniqueEmail } from './support'

let mock: MockRefportApi
test.beforeEach(async () => {
  mock = await startMockRefportApi({ apiKey: API_KEY, publishableKey: PUBLISHABLE_KEY })
})
test.afterEach(async () => {
  await mock.close()
})

/** The landing URL of minted.html, talking to this test's mock. */
const landing = (key: string): string => `${ORIGINS.site}/minted?via=${key}&api=${encodeURIComponent(mock.url)}`

const cookie = async (context: BrowserContext, name: string): Promise<string | undefined> =>
  (await context.cookies(ORIGINS.site)).find((candidate) => candidate.name === name)?.value

/** The click ID a click request carried. */
const sentId = (request: Request): string => JSON.parse(request.postData()!).clickId

/** Clicks this test's mock recorded, as [clickId, key]. */
const recorded = (): Array<[string, string]> => mock.state().clicks.map((click) => [click.clickId, click.key])

/** Lands and returns the click request as it leaves the page. */
async function land(page: Page, key: string): Promise<Request> {
  const request = page.waitForRequest(isClickRequest)
  await page.goto(landing(key))
  return await request
}

test('API delayed 2 s, the visitor follows a link at once: cookie on the next page, one click, sign-up on the app subdomain credited', async ({
  page,
}) => {
  mock.setFaults({ click: { delayMs: 2000 } })
  const key = partnerKey('jane')
  const request = await land(page, key)
  const clickId = sentId(request)
  // Still unanswered: the visitor leaves for another page of the site right away.
  expect(recorded()).toEqual([])
  await page.click('#pricing')
  await expect(page).toHaveURL(`${ORIGINS.site}/pricing`)
  expect(
    await page.evaluate(() => (window as unknown as { refport: { getClickId(): string } }).refport.getClickId()),
  ).toBe(clickId)
  // The keepalive request outlived the landing page: the click arrives, once, with that ID.
  await expect.poll(recorded, { timeout: 10_000 }).toEqual([[clickId, key]])
  // /pricing talks to the shared mock API: it found the click still pending and resent it
  // there, with the same ID, so the site's sign-up backend (on the shared API) credits it.
  const email = uniqueEmail('minted')
  await page.goto(`${ORIGINS.express}/signup`)
  const result = await signUpWithForm(page, email)
  expect(result).toEqual({ status: 'lead-recorded', clickId, partner: key })
  expect(await leadsFor(email)).toHaveLength(1)
})

test('the visitor closes the tab right after landing: the click is still recorded, with the cookie’s ID', async ({
  page,
  context,
}) => {
  mock.setFaults({ click: { delayMs: 2000 } })
  const key = partnerKey('jane')
  const request = await land(page, key)
  const clickId = await cookie(context, 'refp_id')
  expect(clickId).toBe(sentId(request))
  await page.close()
  await expect.poll(recorded, { timeout: 10_000 }).toEqual([[clickId, key]])
})

test('API down during the landing, back on the next page view: the click is recorded exactly once', async ({
  page,
  context,
}) => {
  mock.setFaults({ click: { drop: true } })
  const key = partnerKey('jane')
  const failed = page.waitForEvent('requestfailed', { predicate: isClickRequest })
  await page.goto(landing(key))
  const clickId = sentId(await failed)
  expect(await cookie(context, 'refp_id')).toBe(clickId)
  expect(await cookie(context, 'refp_pending')).toBe(`${clickId}|${key}|`)
  expect(recorded()).toEqual([])

  mock.setFaults({})
  const resent = page.waitForResponse((response) => isClickRequest(response.request()))
  await page.click('#next')
  const response = await resent
  expect(response.status()).toBe(200)
  expect(sentId(response.request())).toBe(clickId)
  expect(recorded()).toEqual([[clickId, key]])
  await expect.poll(() => cookie(context, 'refp_pending')).toBeUndefined()

  // Confirmed: a further page view has nothing pending to send, and sends nothing.
  const requests: Request[] = []
  page.on('request', (candidate) => isClickRequest(candidate) && requests.push(candidate))
  await page.reload()
  await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 3000 })))
  expect(requests).toEqual([])
  expect(recorded()).toEqual([[clickId, key]])
})

test('a hung API: the cookie exists by DOMContentLoaded', async ({ page }) => {
  mock.setFaults({ click: { hang: true } })
  await page.addInitScript(() => {
    document.addEventListener(
      'DOMContentLoaded',
      () => ((window as unknown as { cookieAtDomContentLoaded: string }).cookieAtDomContentLoaded = document.cookie),
    )
  })
  const request = await land(page, partnerKey('jane'))
  const atDomContentLoaded = await page.evaluate(
    () => (window as unknown as { cookieAtDomContentLoaded: string }).cookieAtDomContentLoaded,
  )
  expect(atDomContentLoaded).toContain(`refp_id=${sentId(request)}`)
})

test('an unknown partner after an earlier valid click: the earlier click ID is back in the cookie', async ({
  page,
  context,
}) => {
  const known = partnerKey('jane')
  mock.setPartners({ [known]: { name: 'Jane Doe' } })
  const first = page.waitForResponse((response) => isClickRequest(response.request()))
  await page.goto(landing(known))
  const earlier = sentId((await first).request())
  await expect.poll(() => cookie(context, 'refp_pending')).toBeUndefined()

  const rejected = page.waitForResponse((response) => isClickRequest(response.request()))
  await page.goto(landing(partnerKey('nobody')))
  expect((await rejected).status()).toBe(404)
  await expect.poll(() => cookie(context, 'refp_id')).toBe(earlier)
  expect(await cookie(context, 'refp_pending')).toBeUndefined()
  expect(
    await page.evaluate(() => (window as unknown as { refport: { getPartner(): unknown } }).refport.getPartner()),
  ).toEqual({
    key: known,
    name: 'Jane Doe',
    avatarUrl: null,
    discount: null,
  })
  expect(recorded()).toEqual([[earlier, known]])
})

test('a server that answers with its own click ID: that ID ends in the cookie, one click', async ({
  page,
  context,
}) => {
  const key = partnerKey('jane')
  // An older API that mints its own ID: the request reaches the mock without the tracker's.
  await page.route(/\/track\/click$/, async (route) => {
    const { clickId: _ignored, ...older } = JSON.parse(route.request().postData()!)
    await route.fulfill({ response: await route.fetch({ postData: JSON.stringify(older) }) })
  })
  const answered = page.waitForResponse((response) => isClickRequest(response.request()))
  await page.goto(landing(key))
  const { clickId: serverId } = await (await answered).json()
  expect(serverId).not.toBe(sentId((await answered).request()))
  await expect.poll(() => cookie(context, 'refp_id')).toBe(serverId)
  expect(recorded()).toEqual([[serverId, key]])
  expect(await cookie(context, 'refp_pending')).toBeUndefined()
})
