/** Two partners in sequence: who gets the sign-up under last-click and first-click. */
import {
  ORIGINS,
  clicksFor,
  expect,
  landWithClick,
  leadsFor,
  partnerKey,
  recordClickRequests,
  settle,
  signUpWithForm,
  storedCookie,
  test,
  uniqueEmail,
} from './support'

test('last-click (default): the second partner replaces the first and is credited', async ({ page }) => {
  const alice = partnerKey('alice')
  const bob = partnerKey('bob')
  const email = uniqueEmail('last')
  await landWithClick(page, `${ORIGINS.site}/?via=${alice}`)
  const bobClick = await landWithClick(page, `${ORIGINS.site}/?via=${bob}`)
  expect((await storedCookie(page.context())).value).toBe(bobClick)

  await page.click('#signup-express')
  expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId: bobClick, partner: bob })
  expect(await leadsFor(email)).toMatchObject([{ partner: { key: bob } }])
})

test('first-click: the first partner keeps the cookie and is credited; the second costs no request', async ({
  page,
}) => {
  const alice = partnerKey('alice')
  const bob = partnerKey('bob')
  const email = uniqueEmail('first')
  const aliceClick = await landWithClick(page, `${ORIGINS.site}/first-click?via=${alice}`)
  const clicks = recordClickRequests(page)
  await page.goto(`${ORIGINS.site}/first-click?via=${bob}`)
  await settle(page)
  expect(clicks).toEqual([])
  expect(await clicksFor(bob)).toEqual([])
  expect((await storedCookie(page.context())).value).toBe(aliceClick)

  await page.click('#signup-express')
  expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId: aliceClick, partner: alice })
})
