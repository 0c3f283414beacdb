/**
 * The whole chain: partner link → script tag on the marketing site (www) → sign-up on the
 * app (another subdomain) → the backend reads the cookie with the server SDK → the lead
 * lands in the mock Refport API with the click ID it minted for the partner.
 */
import {
  ORIGINS,
  clickIdCookies,
  clicksFor,
  expect,
  landWithClick,
  leadsFor,
  partnerKey,
  signUpWithBetterAuth,
  signUpWithForm,
  storedCookie,
  test,
  uniqueEmail,
} from './support'

test('script tag on www, Express sign-up on app: getClickIdFromCookie + track.lead credits the partner', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('ada')
  const clickId = await landWithClick(page, `${ORIGINS.site}/?via=${key}`)
  expect((await clicksFor(key)).map((click) => click.clickId)).toEqual([clickId])
  expect(await storedCookie(page.context())).toMatchObject({ value: clickId, domain: '.example.test' })

  await page.click('#signup-express')
  await expect(page).toHaveURL(`${ORIGINS.express}/signup`)
  expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId, partner: key })

  const leads = await leadsFor(email)
  expect(leads).toHaveLength(1)
  expect(leads[0]).toMatchObject({ clickId, eventName: 'Sign Up', partner: { key }, customerName: 'Test User' })
})

test('script tag on www, Hono (Fetch API) sign-up on app: getClickIdFromRequest + track.lead credits the partner', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('grace')
  const clickId = await landWithClick(page, `${ORIGINS.site}/?via=${key}`)

  await page.click('#signup-hono')
  await expect(page).toHaveURL(`${ORIGINS.hono}/signup`)
  expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId, partner: key })
  expect(await leadsFor(email)).toMatchObject([{ clickId, partner: { key } }])
})

test('Better Auth sign-up: the plugin reports the lead and the refp_id cookie is gone afterwards', async ({ page }) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('linus')
  const clickId = await landWithClick(page, `${ORIGINS.site}/?via=${key}`)

  await page.click('#signup-better-auth')
  await expect(page).toHaveURL(`${ORIGINS.betterAuth}/signup`)
  await signUpWithBetterAuth(page, { email, name: 'Linus', password: 'correct-horse-battery' })

  const leads = await leadsFor(email)
  expect(leads).toHaveLength(1)
  const userId = await page.locator('#result').getAttribute('data-user-id')
  expect(leads[0]).toMatchObject({ clickId, eventName: 'Sign Up', customerExternalId: userId, partner: { key } })
  // Expired on every Domain it could sit on: none is left, neither for www nor for app.
  await expect.poll(() => clickIdCookies(page.context())).toEqual([])
})

test('dedupe: the same user signing up twice within 7 days is one lead', async ({ page }) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('twice')
  const clickId = await landWithClick(page, `${ORIGINS.site}/?via=${key}`)

  await page.goto(`${ORIGINS.express}/signup`)
  expect(await signUpWithForm(page, email)).toMatchObject({ status: 'lead-recorded', clickId })
  await page.goto(`${ORIGINS.express}/signup`)
  expect(await signUpWithForm(page, email)).toMatchObject({ status: 'duplicate', clickId, partner: key })

  expect(await leadsFor(email)).toHaveLength(1)
})
