/**
 * The Next.js App Router app of e2e/next-app (built with `next build`, served by
 * `next start`): `<RefportTracker />` in the server root layout, sign-up through a Server
 * Action (`cookies()`) and through a Route Handler (`getClickIdFromRequest`).
 */
import type { Page } from '@playwright/test'
import { ORIGINS, clicksFor, expect, landWithClick, leadsFor, nextMintedClickId, partnerKey, recordClickRequests, settle, storedCookie, test, uniqueEmail } from './support'

async function signUp(page: Page, button: 'sign-up-action' | 'sign-up-route', email: string) {
  await page.getByTestId('nav-sign-up').click()
  await expect(page.getByTestId('page-sign-up')).toBeVisible()
  await page.getByTestId('email').fill(email)
  await page.getByTestId('name').fill('Next User')
  await page.getByTestId(button).click()
  const result = page.getByTestId('sign-up-result')
  await expect(result).toHaveAttribute('data-via', button == 'sign-up-action' ? 'action' : 'route')
  return { clickId: await page.getByTestId('server-click-id').textContent(), leadTracked: await page.getByTestId('lead-tracked').textContent() }
}

test('Next.js App Router: <RefportTracker /> in the layout, Server Action sign-up credits the partner', async ({ page }) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('next-action')
  const clickId = await landWithClick(page, `${ORIGINS.next}/?via=${key}`)
  expect(await storedCookie(page.context())).toMatchObject({ value: clickId, domain: '.example.test' })

  expect(await signUp(page, 'sign-up-action', email)).toEqual({ clickId, leadTracked: 'yes' })
  expect(await leadsFor(email)).toMatchObject([{ clickId, eventName: 'Sign Up', partner: { key } }])
})

test('Next.js App Router: <Link> navigation after a ?via= landing sends no further click', async ({ page }) => {
  const key = partnerKey('jane')
  const clicks = recordClickRequests(page)
  const clickId = await landWithClick(page, `${ORIGINS.next}/?via=${key}`)
  // Survives client-side navigation only: a full page load would start a fresh window.
  await page.evaluate(() => ((window as unknown as { landingWindow?: boolean }).landingWindow = true))

  for (const [link, heading] of [
    ['nav-pricing', 'page-pricing'],
    ['nav-sign-up', 'page-sign-up'],
    ['nav-home', 'page-home'],
    ['nav-pricing', 'page-pricing'],
  ] as const) {
    await page.getByTestId(link).click()
    await expect(page.getByTestId(heading)).toBeVisible()
    // Effects of the new route (a re-rendered <RefportTracker />) have run by now.
    await settle(page)
  }

  expect(await page.evaluate(() => (window as unknown as { landingWindow?: boolean }).landingWindow)).toBe(true)
  expect(clicks).toHaveLength(1)
  expect(await clicksFor(key)).toHaveLength(1)
  expect((await storedCookie(page.context())).value).toBe(clickId)
})

test('Next.js App Router: Route Handler sign-up with getClickIdFromRequest credits the partner', async ({ page }) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('next-route')
  const clickId = await landWithClick(page, `${ORIGINS.next}/?via=${key}`)

  expect(await signUp(page, 'sign-up-route', email)).toEqual({ clickId, leadTracked: 'yes' })
  expect(await leadsFor(email)).toMatchObject([{ clickId, partner: { key } }])
})

test('Next.js App Router: a page that router.replace()s away at once still counts its referral, once', async ({ page }) => {
  const key = partnerKey('jane')
  const clicks = recordClickRequests(page)
  const minted = nextMintedClickId(page)
  await page.goto(`${ORIGINS.next}/redirect?via=${key}`)
  await expect(page.getByTestId('page-pricing')).toBeVisible()
  await expect(page).toHaveURL(`${ORIGINS.next}/pricing`)
  const clickId = await minted
  expect((await storedCookie(page.context())).value).toBe(clickId)
  await settle(page)
  expect(clicks).toHaveLength(1)
  expect(await clicksFor(key)).toHaveLength(1)
})
