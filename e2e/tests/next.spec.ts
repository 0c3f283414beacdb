/**
 * The Next.js App Router app of e2e/next-app (built with `next build`, served by
 * `next start`): `<RefportTracker />` in the server root layout, sign-up through a Server
 * Action (`cookies()`) and through a Route Handler (`getClickIdFromRequest`).
 */
import type { Page } from '@playwright/test'
import { ORIGINS, clicksFor, expect, isClickRequest, landWithClick, leadsFor, partnerKey, recordClickRequests, settle, storedCookie, test, uniqueEmail } from './support'

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
  const response = page.waitForResponse((response) => isClickRequest(response.request()))
  await page.goto(`${ORIGINS.next}/redirect?via=${key}`)
  await expect(page.getByTestId('page-pricing')).toBeVisible()
  await expect(page).toHaveURL(`${ORIGINS.next}/pricing`)
  const { clickId } = (await (await response).json()) as { clickId: string }
  expect((await storedCookie(page.context())).value).toBe(clickId)
  await settle(page)
  expect(clicks).toHaveLength(1)
  expect(await clicksFor(key)).toHaveLength(1)
})
