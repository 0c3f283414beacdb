/**
 * `refport/stripe` against the mock API, with events signed by the real `stripe` package
 * (`generateTestHeaderString`) and verified by it (`constructEvent`), as a webhook route
 * would. No network: Stripe is never called, the mock listens on loopback.
 */
import type { AddressInfo } from 'node:net'
import express from 'express'
import Stripe from 'stripe'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { mintClickId } from '@refport/contract'
import { Refport, RefportError } from './index'
import { handleStripeEvent, type HandleStripeEventOptions, type StripeEventResult } from './stripe'
import { registerClick } from '@refport/test-support/mock-api'
import { MOCK_API_KEY, startMockRefportApi } from './testing'

const mock = await startMockRefportApi()
afterAll(() => mock.close())
beforeEach(() => mock.reset())

const stripe = new Stripe('sk_test_refport_unit_tests')
const WEBHOOK_SECRET = 'whsec_refport_unit_tests'
const refport = new Refport({ apiKey: MOCK_API_KEY, baseUrl: mock.url, retryBaseDelayMs: 1 })

let eventCount = 0
/** The raw body Stripe would POST for an event of `type` about `object`, and its signature header. */
function signedWebhook(type: string, object: Record<string, unknown>): { payload: string; signature: string } {
  const payload = JSON.stringify({
    id: `evt_test_${++eventCount}`,
    object: 'event',
    api_version: '2025-10-29.clover',
    created: 1_767_225_600,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
    data: { object },
  })
  return { payload, signature: stripe.webhooks.generateTestHeaderString({ payload, secret: WEBHOOK_SECRET }) }
}

/** Signs, verifies as a route would (constructEvent), and handles the event. */
function deliver(
  type: string,
  object: Record<string, unknown>,
  options: Partial<HandleStripeEventOptions> = {},
): Promise<StripeEventResult> {
  const { payload, signature } = signedWebhook(type, object)
  const event = stripe.webhooks.constructEvent(payload, signature, WEBHOOK_SECRET)
  return handleStripeEvent(event, { refport, ...options })
}

/** A Checkout Session as Stripe sends it, paid, for a subscription whose first invoice is `in_first`. */
const session = (overrides: Record<string, unknown> = {}) => ({
  id: 'cs_test_a1',
  object: 'checkout.session',
  mode: 'subscription',
  client_reference_id: null,
  customer: 'cus_jane_buyer',
  customer_details: { email: 'buyer@example.com', name: 'Bea Buyer' },
  customer_email: null,
  amount_total: 4900,
  currency: 'usd',
  payment_status: 'paid',
  status: 'complete',
  invoice: 'in_first',
  metadata: {},
  ...overrides,
})

const invoice = (overrides: Record<string, unknown> = {}) => ({
  id: 'in_renewal_1',
  object: 'invoice',
  customer: 'cus_jane_buyer',
  customer_email: 'buyer@example.com',
  amount_paid: 4900,
  currency: 'usd',
  status: 'paid',
  billing_reason: 'subscription_cycle',
  metadata: {},
  ...overrides,
})

describe('the signing set-up of these tests', () => {
  it('verifies a genuine payload and refuses a tampered one, so every event below went through constructEvent', () => {
    const { payload, signature } = signedWebhook('invoice.paid', invoice())
    expect(stripe.webhooks.constructEvent(payload, signature, WEBHOOK_SECRET).type).toBe('invoice.paid')
    const tampered = payload.replace('"amount_paid":4900', '"amount_paid":1')
    expect(() => stripe.webhooks.constructEvent(tampered, signature, WEBHOOK_SECRET)).toThrow(/signature/i)
  })
})

describe('checkout.session.completed', () => {
  it('with a click ID: a lead, then the sale under the Stripe customer ID and the invoice ID', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    const result = await deliver('checkout.session.completed', session({ client_reference_id: clickId }))
    expect(result).toMatchObject({
      handled: true,
      eventType: 'checkout.session.completed',
      customerExternalId: 'cus_jane_buyer',
    })
    const { leads, sales } = mock.state()
    expect(leads).toEqual([
      expect.objectContaining({
        clickId,
        eventName: 'Sign Up',
        customerExternalId: 'cus_jane_buyer',
        customerEmail: 'buyer@example.com',
        customerName: 'Bea Buyer',
        partner: { key: 'jane' },
      }),
    ])
    expect(sales).toEqual([
      expect.objectContaining({
        customerExternalId: 'cus_jane_buyer',
        amount: 4900,
        currency: 'usd',
        invoiceId: 'in_first',
        paymentProcessor: 'stripe',
        eventName: 'Purchase',
        clickId,
        partner: { key: 'jane' },
      }),
    ])
    expect(result.handled && result.sale).toEqual({ sale: sales[0], duplicate: false })
  })

  it('then invoice.paid: the first invoice is the same sale (duplicate), a renewal is a new one credited to the same partner', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    await deliver('checkout.session.completed', session({ client_reference_id: clickId }))
    const first = await deliver('invoice.paid', invoice({ id: 'in_first', billing_reason: 'subscription_create' }))
    expect(first).toMatchObject({ handled: true, sale: { duplicate: true } })
    const renewal = await deliver('invoice.paid', invoice({ id: 'in_renewal_1', amount_paid: 5900 }))
    expect(renewal).toMatchObject({
      handled: true,
      lead: null,
      sale: { duplicate: false, sale: { amount: 5900, partner: { key: 'jane' } } },
    })
    expect(mock.state().sales.map((sale) => sale.invoiceId)).toEqual(['in_first', 'in_renewal_1'])
  })

  it('is one sale when the first invoice.paid arrives before the checkout event', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    const early = await deliver('invoice.paid', invoice({ id: 'in_first' }))
    expect(early).toMatchObject({ handled: false, reason: expect.stringContaining('not recorded') })
    await deliver('checkout.session.completed', session({ client_reference_id: clickId }))
    await deliver('invoice.paid', invoice({ id: 'in_first' })) // Stripe retries the refused one
    expect(mock.state().sales).toHaveLength(1)
  })

  it('a Payment Link bought at once, with no Customer object: the email names the customer, the session ID is the invoice ID', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    const result = await deliver(
      'checkout.session.completed',
      session({
        mode: 'payment',
        customer: null,
        invoice: null,
        client_reference_id: clickId,
        amount_total: 1999,
        currency: 'eur',
      }),
    )
    expect(result).toMatchObject({ handled: true, customerExternalId: 'buyer@example.com' })
    expect(mock.state().sales).toEqual([
      expect.objectContaining({
        customerExternalId: 'buyer@example.com',
        invoiceId: 'cs_test_a1',
        amount: 1999,
        currency: 'eur',
      }),
    ])
  })

  it('reads an expanded customer or invoice object by its id', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    await deliver(
      'checkout.session.completed',
      session({ client_reference_id: clickId, customer: { id: 'cus_x' }, invoice: { id: 'in_x' } }),
    )
    expect(mock.state().sales).toEqual([expect.objectContaining({ customerExternalId: 'cus_x', invoiceId: 'in_x' })])
  })

  it('a delayed payment (unpaid) is reported when checkout.session.async_payment_succeeded arrives', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    const pending = await deliver(
      'checkout.session.completed',
      session({ client_reference_id: clickId, payment_status: 'unpaid' }),
    )
    expect(pending).toEqual({
      handled: false,
      eventType: 'checkout.session.completed',
      reason: expect.stringContaining('checkout.session.async_payment_succeeded'),
    })
    expect(mock.state()).toMatchObject({ leads: [], sales: [] })
    const paid = await deliver('checkout.session.async_payment_succeeded', session({ client_reference_id: clickId }))
    expect(paid).toMatchObject({ handled: true, eventType: 'checkout.session.async_payment_succeeded' })
    expect(mock.state().sales).toHaveLength(1)
  })

  it('nothing to pay (a free trial): the lead only, sale null', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    const result = await deliver(
      'checkout.session.completed',
      session({ client_reference_id: clickId, payment_status: 'no_payment_required', amount_total: 0 }),
    )
    expect(result).toMatchObject({ handled: true, sale: null, lead: { duplicate: false } })
    expect(mock.state()).toMatchObject({ leads: [{ clickId }], sales: [] })
  })

  it('without a click ID, a sale for a customer a lead created; a customer no partner referred is not reported', async () => {
    const stranger = await deliver('checkout.session.completed', session({ customer: 'cus_stranger' }))
    expect(stranger).toMatchObject({
      handled: false,
      reason: expect.stringMatching(/^sale not recorded: no lead for customerExternalId "cus_stranger"/),
    })
    // Positive control: the same event for a referred customer is a sale.
    await refport.track.lead({
      clickId: await registerClick(mock.url, 'jane'),
      eventName: 'Sign Up',
      customerExternalId: 'cus_referred',
    })
    const referred = await deliver('checkout.session.completed', session({ customer: 'cus_referred' }))
    expect(referred).toMatchObject({ handled: true, lead: null, sale: { sale: { partner: { key: 'jane' } } } })
    expect(mock.state().sales).toHaveLength(1)
  })

  it.each<[string, unknown]>([
    ['a value with a space', 'user 42'],
    ['markup', '<img src=x onerror=alert(1)>'],
    ['129 characters', 'c'.repeat(129)],
    ['a number', 42],
  ])('ignores a client_reference_id that is not a click ID (%s): no lead is sent', async (_name, reference) => {
    const result = await deliver('checkout.session.completed', session({ client_reference_id: reference }))
    expect(result).toMatchObject({ handled: false })
    expect(mock.state().leads).toEqual([])
  })

  it('a click ID the API never received: not reported, with the reason', async () => {
    const result = await deliver('checkout.session.completed', session({ client_reference_id: mintClickId() }))
    expect(result).toMatchObject({
      handled: false,
      reason: expect.stringMatching(/^lead not recorded: unknown clickId/),
    })
  })

  it('takes leadEventName, saleEventName and a customerExternalId rule (your own user ID from metadata)', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    await deliver(
      'checkout.session.completed',
      session({ client_reference_id: clickId, metadata: { userId: 'user_42' } }),
      {
        leadEventName: 'Trial Started',
        saleEventName: 'Subscription',
        customerExternalId: ({ metadata, stripeCustomerId }) => metadata.userId ?? stripeCustomerId,
      },
    )
    expect(mock.state()).toMatchObject({
      leads: [{ eventName: 'Trial Started', customerExternalId: 'user_42' }],
      sales: [{ eventName: 'Subscription', customerExternalId: 'user_42' }],
    })
  })
})

describe('invoice.paid', () => {
  it('a renewal of a customer a lead created is a sale under the invoice ID; no lookup needed', async () => {
    await refport.track.lead({
      clickId: await registerClick(mock.url, 'bob'),
      eventName: 'Sign Up',
      customerExternalId: 'cus_jane_buyer',
    })
    const result = await deliver('invoice.paid', invoice())
    expect(result).toMatchObject({
      handled: true,
      customerExternalId: 'cus_jane_buyer',
      sale: { sale: { invoiceId: 'in_renewal_1', partner: { key: 'bob' } } },
    })
  })

  it.each<[string, Record<string, unknown>]>([
    [
      'parent.subscription_details (API 2025-03-31 and later)',
      { parent: { subscription_details: { metadata: { userId: 'user_42' } } } },
    ],
    ['subscription_details (earlier API versions)', { subscription_details: { metadata: { userId: 'user_42' } } }],
    ["the invoice's own metadata", { metadata: { userId: 'user_42' } }],
  ])("gives the customerExternalId rule the subscription's metadata from %s", async (_name, fields) => {
    await refport.track.lead({
      clickId: await registerClick(mock.url, 'jane'),
      eventName: 'Sign Up',
      customerExternalId: 'user_42',
    })
    const result = await deliver('invoice.paid', invoice(fields), {
      customerExternalId: ({ metadata, stripeCustomerId }) => metadata.userId ?? stripeCustomerId,
    })
    expect(result).toMatchObject({
      handled: true,
      customerExternalId: 'user_42',
      sale: { sale: { partner: { key: 'jane' } } },
    })
  })

  it('an invoice of 0 (a trial) is not a sale', async () => {
    await refport.track.lead({
      clickId: await registerClick(mock.url),
      eventName: 'Sign Up',
      customerExternalId: 'cus_jane_buyer',
    })
    expect(await deliver('invoice.paid', invoice({ amount_paid: 0 }))).toMatchObject({
      handled: false,
      reason: expect.stringContaining('amount_paid 0'),
    })
    expect(mock.state().sales).toEqual([])
  })
})

describe('other events and errors', () => {
  it.each([
    'checkout.session.async_payment_failed',
    'checkout.session.expired',
    'invoice.payment_failed',
    'customer.subscription.deleted',
    'payment_intent.succeeded',
  ])('ignores %s with a clear reason and calls nothing', async (type) => {
    expect(await deliver(type, session())).toEqual({
      handled: false,
      eventType: type,
      reason: `ignored event type ${type}`,
    })
    expect(mock.state()).toMatchObject({ leads: [], sales: [] })
  })

  it('rejects when Refport cannot be reached, so the route answers 500 and Stripe retries; the retry records once', async () => {
    const clickId = await registerClick(mock.url, 'jane')
    const { payload, signature } = signedWebhook(
      'checkout.session.completed',
      session({ client_reference_id: clickId }),
    )
    const event = stripe.webhooks.constructEvent(payload, signature, WEBHOOK_SECRET)
    mock.setFaults({ sale: { status: 503 } })
    const noRetries = new Refport({ apiKey: MOCK_API_KEY, baseUrl: mock.url, maxRetries: 0 })
    await expect(handleStripeEvent(event, { refport: noRetries })).rejects.toBeInstanceOf(RefportError)
    mock.setFaults({})
    expect(await handleStripeEvent(event, { refport: noRetries })).toMatchObject({ handled: true })
    expect(mock.state().leads).toHaveLength(1)
    expect(mock.state().sales).toHaveLength(1)
  })

  it('a bad API key rejects (fix the key; Stripe resends the event)', async () => {
    const wrongKey = new Refport({ apiKey: 'sk_wrong', baseUrl: mock.url })
    await expect(deliver('invoice.paid', invoice(), { refport: wrongKey })).rejects.toMatchObject({ status: 401 })
  })

  it.each<[string, unknown, unknown, RegExp]>([
    ['no refport', {}, { id: 'evt', type: 'invoice.paid', data: { object: {} } }, /needs your Refport client/],
    [
      'a refport without track.sale',
      { refport: { track: { lead: async () => ({}) } } },
      { id: 'evt', type: 'invoice.paid', data: { object: {} } },
      /needs your Refport client/,
    ],
    ['the raw body instead of the event', { refport }, '{"type":"invoice.paid"}', /stripe.webhooks.constructEvent/],
    ['an event without data', { refport }, { id: 'evt', type: 'invoice.paid' }, /stripe.webhooks.constructEvent/],
  ])('throws a TypeError for %s', async (_name, options, event, message) => {
    await expect(handleStripeEvent(event as never, options as never)).rejects.toThrow(message)
  })
})

describe('the documented webhook routes', () => {
  it('Express with express.raw and constructEvent', async () => {
    const app = express()
    app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
      let event: Stripe.Event
      try {
        event = stripe.webhooks.constructEvent(req.body as Buffer, req.headers['stripe-signature']!, WEBHOOK_SECRET)
      } catch {
        res.status(400).send('invalid signature')
        return
      }
      try {
        const result = await handleStripeEvent(event, { refport })
        res.json({ received: true, handled: result.handled })
      } catch {
        res.status(500).send('refport unavailable, retry')
      }
    })
    const server = app.listen(0, '127.0.0.1')
    await new Promise((resolve) => server.once('listening', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`
      const clickId = await registerClick(mock.url, 'jane')
      const { payload, signature } = signedWebhook(
        'checkout.session.completed',
        session({ client_reference_id: clickId }),
      )
      const post = (body: string, sig: string) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': sig }, body })
      expect((await post(payload, 't=1,v1=forged')).status).toBe(400)
      const delivered = await post(payload, signature)
      expect(await delivered.json()).toEqual({ received: true, handled: true })
      expect(mock.state().sales).toHaveLength(1)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('Fetch (Next.js route handler, edge) with request.text() and constructEventAsync over Web Crypto', async () => {
    const cryptoProvider = Stripe.createSubtleCryptoProvider()
    async function POST(request: Request): Promise<Response> {
      let event: Stripe.Event
      try {
        event = await stripe.webhooks.constructEventAsync(
          await request.text(),
          request.headers.get('stripe-signature') ?? '',
          WEBHOOK_SECRET,
          undefined,
          cryptoProvider,
        )
      } catch {
        return new Response('invalid signature', { status: 400 })
      }
      try {
        const result = await handleStripeEvent(event, { refport })
        return Response.json({ received: true, handled: result.handled })
      } catch {
        return new Response('refport unavailable, retry', { status: 500 })
      }
    }
    const clickId = await registerClick(mock.url, 'jane')
    const { payload, signature } = signedWebhook(
      'checkout.session.completed',
      session({ client_reference_id: clickId }),
    )
    const request = (sig: string) =>
      new Request('https://www.acme.com/api/webhooks/stripe', {
        method: 'POST',
        headers: { 'stripe-signature': sig },
        body: payload,
      })
    expect((await POST(request('t=1,v1=forged'))).status).toBe(400)
    expect(await (await POST(request(signature))).json()).toEqual({ received: true, handled: true })
    expect(mock.state().sales).toHaveLength(1)
  })
})
