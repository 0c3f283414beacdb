/**
 * Marketing on www.example.test, sign-up on other-brand.test: no cookie can span the two
 * sites, so `data-outbound-domains` carries the click ID in the link (`?refp_id=`), and the
 * tracker on the other brand stores it in that site's own cookie.
 */
import type { Page } from '@playwright/test'
import {
  ORIGINS,
  clickIdCookies,
  expect,
  landWithClick,
  leadsFor,
  partnerKey,
  recordClickRequests,
  signUpWithForm,
  test,
  uniqueEmail,
} from './support'

async function followAndSignUp(page: Page, linkSelector: string, clickId: string, key: string): Promise<void> {
  const email = uniqueEmail('brand')
  const clicks = recordClickRequests(page)
  await page.click(linkSelector)
  // Stored on the other brand, then removed from its address bar.
  await expect
    .poll(async () => (await clickIdCookies(page.context())).map(({ domain, value }) => [domain, value]))
    .toContainEqual(['.other-brand.test', clickId])
  await expect(page).toHaveURL(new RegExp(`^${ORIGINS.otherBrand}/signup(\\?from=(late|shadow))?$`))
  expect(clicks).toEqual([]) // a ?refp_id= landing needs no click request

  expect(await signUpWithForm(page, email)).toEqual({ status: 'lead-recorded', clickId, partner: key })
  expect(await leadsFor(email)).toHaveLength(1)
}

test('cross-brand: an outbound link carries the click ID to other-brand.test, where the sign-up is credited', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const clickId = await landWithClick(page, `${ORIGINS.site}/cross-brand?via=${key}`)
  // Decorated when followed, not on load: the link in the DOM is untouched until then.
  await expect(page.locator('#to-other-brand')).toHaveAttribute('href', `${ORIGINS.otherBrand}/signup`)
  await followAndSignUp(page, '#to-other-brand', clickId, key)
})

test('cross-brand: a link added to the page after load is decorated too', async ({ page }) => {
  const key = partnerKey('jane')
  const clickId = await landWithClick(page, `${ORIGINS.site}/cross-brand?via=${key}`)
  await page.click('#add-link')
  await followAndSignUp(page, '#late-link', clickId, key)
})

// In a real browser the click on the link inside <brand-link>'s shadow root reaches the
// document retargeted to the host; only the event's composed path still holds the <a>.
test('cross-brand: a link inside a web component (open shadow root) is decorated too', async ({ page }) => {
  const key = partnerKey('jane')
  const clickId = await landWithClick(page, `${ORIGINS.site}/cross-brand?via=${key}`)
  // First a click the page cancels, to look at it: the listener runs after the tracker's.
  await page.evaluate(() =>
    document.addEventListener(
      'click',
      (event) => {
        ;(window as { seenTarget?: string }).seenTarget = (event.target as Element).localName
        event.preventDefault()
      },
      { capture: true, once: true },
    ),
  )
  await page.click('#shadow-link a') // Playwright's CSS reaches into open shadow roots
  expect(await page.evaluate(() => (window as { seenTarget?: string }).seenTarget)).toBe('brand-link')
  const shadowHref = () =>
    page.evaluate(() => document.querySelector('brand-link')!.shadowRoot!.querySelector('a')!.href)
  expect(await shadowHref()).toBe(`${ORIGINS.otherBrand}/signup?from=shadow&refp_id=${clickId}`)
  await followAndSignUp(page, '#shadow-link a', clickId, key)
})

// In a real browser: the tracker finds the field it added earlier as `form.refp_id` (a form's
// named properties, HTML Standard §4.10.3), which happy-dom only emulates.
test('cross-brand: a GET form to other-brand.test carries one refp_id field, however often it is submitted, and none after revokeConsent()', async ({
  page,
}) => {
  const clickId = await landWithClick(page, `${ORIGINS.site}/cross-brand?via=${partnerKey('jane')}`)
  const fields = await page.evaluate((action) => {
    const form = Object.assign(document.createElement('form'), { method: 'get', action })
    // Stay on the page: the tracker decorates in the capture phase, before this listener.
    form.addEventListener('submit', (event) => event.preventDefault())
    document.body.append(form)
    const submit = () => {
      form.requestSubmit()
      return [...form.querySelectorAll<HTMLInputElement>('input[name=refp_id]')].map((input) => input.value)
    }
    const first = submit()
    const second = submit()
    ;(window as unknown as { refport: { revokeConsent(): void } }).refport.revokeConsent()
    return { first, second, revoked: submit() }
  }, `${ORIGINS.otherBrand}/signup`)
  expect(fields).toEqual({ first: [clickId], second: [clickId], revoked: [] })
})
