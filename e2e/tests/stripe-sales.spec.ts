/**
 * Sales through Stripe, end to end in Chromium: partner link → (sign-up →) Stripe Checkout
 * stand-in (e2e/servers/fake-stripe.mjs) → signed webhook → the Better Auth app's webhook
 * route (`stripe.webhooks.constructEvent` + `handleStripeEvent`) → the sale in the mock
 * Refport API, credited to the partner. buy.stripe.com is never reached: the browser's
 * requests for it are sent to the stand-in, URL and query as the tracker left them.
 */
import type { Page } from '@playwright/test'
import type { RecordedSale } from '@refport/contract'
import { registerClick } from '@refport/test-support/mock-api'
import Stripe from 'stripe'
import { PORTS } from '../servers/config.mjs'
import { API_VERSION, FAKE_WEBHOOK_SECRET } from '../servers/fake-stripe.mjs'
import {
  ORIGINS,
  expect,
  landWithClick,
  mockState,
  partnerKey,
  signUpWithBetterAuth,
  test,
  uniqueEmail,
} from './support'

/** Sends the page's Payment Link navigations (https://buy.stripe.com/<link>?…) to the stand-in's /b/<link>?…. */
async function paymentLinksToStandIn(page: Page): Promise<void> {
  await page.route('https://buy.stripe.com/**', (route) => {
    const url = new URL(route.request().url())
    return route.fulfill({ status: 302, headers: { location: `${ORIGINS.fakeStripe}/b${url.pathname}${url.search}` } })
  })
}

/** Pays on the stand-in's checkout page and waits for the webhook deliveries to be answered. */
async function pay(page: Page, email: string): Promise<void> {
  await expect(page).toHaveURL(new RegExp(`^${ORIGINS.fakeStripe}/c/pay/cs_`))
  await page.fill('input[name=email]', email)
  await page.click('#pay')
  await expect(page.locator('#paid')).toBeVisible()
}

/** Status codes the app's webhook route answered, as the checkout page lists them. */
const deliveries = (page: Page) => page.locator('tr.delivery td:nth-child(3)').allTextContents()

const salesWhere = async (match: (sale: RecordedSale) => boolean): Promise<RecordedSale[]> =>
  (await mockState()).sales.filter(match)

test('stripe sales: partner link → sign-up → checkout → webhook credits the sale; the same webhook twice is one sale; a renewal is a second sale', async ({
  page,
}) => {
  const key = partnerKey('jane')
  const email = uniqueEmail('buyer')
  await landWithClick(page, `${ORIGINS.site}/?via=${key}`)
  await page.goto(`${ORIGINS.betterAuth}/signup`)
  await signUpWithBetterAuth(page, { email, name: 'Buyer', password: 'stripe-e2e-password' })
  const userId = (await page.locator('#result').getAttribute('data-user-id'))!
  expect(userId).toBeTruthy()

  await page.click('#buy button')
  await pay(page, email)
  // checkout.session.completed, then invoice.paid for the same first invoice: both accepted, one sale.
  expect(await deliveries(page)).toEqual(['200', '200'])
  const forUser = (sale: RecordedSale) => sale.customerExternalId === userId
  const [first, ...others] = await salesWhere(forUser)
  expect(others).toEqual([])
  expect(first).toMatchObject({ amount: 4900, currency: 'usd', paymentProcessor: 'stripe', partner: { key } })
  expect(first!.invoiceId).toMatch(/^in_/)

  await test.step('the same webhook delivered again records nothing new', async () => {
    await page.locator('button.redeliver').first().click()
    await expect.poll(() => deliveries(page)).toEqual(['200', '200', '200'])
    expect(await salesWhere(forUser)).toEqual([first])
  })

  await test.step('a renewal (invoice.paid) is a second sale, credited to the same partner', async () => {
    await page.click('#renew')
    await expect.poll(() => deliveries(page)).toHaveLength(4)
    expect((await deliveries(page))[3]).toBe('200')
    const sales = await salesWhere(forUser)
    expect(sales).toHaveLength(2)
    expect(sales[1]).toMatchObject({ amount: 4900, currency: 'usd', partner: { key } })
    expect(sales[1]!.invoiceId).not.toBe(first!.invoiceId)
  })
})

test('stripe sales: a Payment Link bought with no sign-up is credited to the partner through client_reference_id', async ({
  page,
}) => {
  const key = partnerKey('alex')
  await paymentLinksToStandIn(page)
  const clickId = await landWithClick(page, `${ORIGINS.site}/stripe?via=${key}`)
  await page.click('#payment-link')
  await expect(page.locator('#client-reference-id')).toHaveText(clickId)
  await pay(page, uniqueEmail('direct'))
  expect(await deliveries(page)).toEqual(['200', '200'])

  const sales = await salesWhere((sale) => sale.clickId === clickId)
  expect(sales).toHaveLength(1)
  expect(sales[0]).toMatchObject({ amount: 4900, currency: 'usd', paymentProcessor: 'stripe', partner: { key } })
  // No sign-up: the buyer is the Stripe customer, and the webhook reported the lead too.
  expect(sales[0]!.customerExternalId).toMatch(/^cus_/)
  expect((await mockState()).leads.filter((lead) => lead.clickId === clickId)).toMatchObject([
    { customerExternalId: sales[0]!.customerExternalId },
  ])
})

test("stripe sales: a Payment Link with the site's own client_reference_id reaches checkout with it, and credits no partner", async ({
  page,
}) => {
  const key = partnerKey('jane')
  await paymentLinksToStandIn(page)
  const clickId = await landWithClick(page, `${ORIGINS.site}/stripe?via=${key}`)
  await page.click('#own-payment-link')
  await expect(page.locator('#client-reference-id')).toHaveText('user_42')
  await pay(page, uniqueEmail('own'))
  // The webhook is accepted (verified, 200) and reports nothing: user_42 is no click of any partner.
  expect(await deliveries(page)).toEqual(['200', '200'])
  const state = await mockState()
  expect(state.sales.filter((sale) => sale.clickId === clickId || sale.partner.key === key)).toEqual([])
  // Positive control: the visitor's click was stored and registered for the partner.
  expect(state.clicks.filter((click) => click.clickId === clickId)).toMatchObject([{ key }])
})

test.describe('the webhook route verifies Stripe signatures', () => {
  const webhook = `http://127.0.0.1:${PORTS.betterAuth}/api/stripe/webhook`
  const signer = new Stripe('sk_test_refport_e2e')
  const sign = (payload: string, secret = FAKE_WEBHOOK_SECRET) =>
    signer.webhooks.generateTestHeaderString({ payload, secret })

  /** A paid Payment Link checkout for a click registered now (as the tracker would), as Stripe would send it. */
  async function checkoutEvent(amount: number): Promise<{ payload: string; clickId: string }> {
    const clickId = await registerClick(ORIGINS.mockApi, partnerKey('jane'), `${ORIGINS.site}/`)
    const session = {
      id: `cs_test_${clickId}`,
      object: 'checkout.session',
      mode: 'payment',
      payment_status: 'paid',
      status: 'complete',
      amount_total: amount,
      currency: 'usd',
      client_reference_id: clickId,
      customer: `cus_test_${clickId}`,
      customer_details: { email: uniqueEmail('signed'), name: 'Signed' },
      invoice: null,
      metadata: {},
    }
    const event = {
      id: `evt_test_${clickId}`,
      object: 'event',
      type: 'checkout.session.completed',
      api_version: API_VERSION,
      created: 1,
      livemode: false,
      data: { object: session },
    }
    return { payload: JSON.stringify(event), clickId }
  }

  const post = (payload: string, signature?: string) =>
    fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
      body: payload,
    })

  const forgeries: Array<[string, (payload: string) => Promise<Response>]> = [
    ['no Stripe-Signature header', (payload) => post(payload)],
    ['a signature made with another secret', (payload) => post(payload, sign(payload, 'whsec_someone_else'))],
    [
      'a payload changed after signing (amount raised)',
      (payload) => post(payload.replace('"amount_total":1234', '"amount_total":999999'), sign(payload)),
    ],
    ["a signature that is not Stripe's format", (payload) => post(payload, 't=1,v1=00')],
  ]
  for (const [name, send] of forgeries)
    test(`${name} → 400, nothing recorded`, async () => {
      const { payload, clickId } = await checkoutEvent(1234)
      const response = await send(payload)
      expect(response.status).toBe(400)
      expect(await salesWhere((sale) => sale.clickId === clickId)).toEqual([])
    })

  test('positive control: the same event, signed with the secret, → 200 and the sale', async () => {
    const { payload, clickId } = await checkoutEvent(1234)
    const response = await post(payload, sign(payload))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ received: true, result: { handled: true } })
    expect(await salesWhere((sale) => sale.clickId === clickId)).toMatchObject([{ amount: 1234, currency: 'usd' }])
  })
})
