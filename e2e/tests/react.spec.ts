/**
 * A client-rendered React page with `<RefportTracker />` (built refport-js/react, bundled
 * by esbuild, StrictMode on). Its router drops the query on mount; the referral survives.
 */
import {
  ORIGINS,
  clicksFor,
  expect,
  leadsFor,
  nextMintedClickId,
  partnerKey,
  recordClickRequests,
  settle,
  signUpWithForm,
  storedCookie,
  test,
  uniqueEmail,
} from './support'

test('React SPA with <RefportTracker />: one click despite StrictMode and a router rewriting the URL; sign-up credited', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('react')
  const clicks = recordClickRequests(page)
  const minted = nextMintedClickId(page)
  await page.goto(`${ORIGINS.site}/react?via=${key}`)
  const clickId = await minted

  // useRefport() re-renders with the stored ID; the router had already dropped ?via=.
  await expect(page.locator('#click-id')).toHaveAttribute('data-click-id', clickId)
  await expect(page).toHaveURL(`${ORIGINS.site}/react`)
  expect(await storedCookie(page.context())).toMatchObject({ value: clickId, domain: '.example.test' })
  await settle(page)
  expect(clicks).toHaveLength(1)
  expect(await clicksFor(key)).toHaveLength(1)

  await page.click('#signup-express')
  expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId, partner: key })
  expect(await leadsFor(email)).toHaveLength(1)
})
