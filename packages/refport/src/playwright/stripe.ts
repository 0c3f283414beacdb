/**
 * Stripe test webhooks for attribution tests: a `checkout.session.completed` event, signed
 * with the official `stripe` library's test header so the app's webhook route verifies it
 * with `stripe.webhooks.constructEvent` exactly as it verifies Stripe's own.
 */
import { randomBytes } from 'node:crypto'

/**
 * What `sendStripeCheckout` puts in the Checkout Session; everything else gets the values
 * of a paid one-off payment.
 *
 * @example
 * ```ts
 * const checkout: StripeCheckoutOptions = {
 *   secret: 'whsec_test_acme', // the app's STRIPE_WEBHOOK_SECRET in tests
 *   amountTotal: 4900,
 *   currency: 'usd',
 *   customerEmail: 'ada@example.com',
 * }
 * ```
 */
export interface StripeCheckoutOptions {
  /** The webhook signing secret the app verifies with (its `STRIPE_WEBHOOK_SECRET` in tests). */
  secret: string
  /**
   * `client_reference_id`: the click ID the tracker hands to Stripe. Default: the browser's
   * `refp_id` cookie; `null` for a checkout that carries none.
   */
  clickId?: string | null
  /** Integer amount in the currency's minor unit; default 4900. */
  amountTotal?: number
  /** ISO 4217, lowercase; default `usd`. */
  currency?: string
  customerEmail?: string
  customerName?: string
  /** Stripe customer ID; default a fresh `cus_test_…`. */
  customerId?: string
  /** Extra or replaced fields of the session object (`mode`, `subscription`, `invoice`, `metadata`…). */
  session?: Record<string, unknown>
}

/**
 * What the app's webhook route answered.
 *
 * @example
 * ```ts
 * const sent: StripeWebhookResult = await refport.sendStripeCheckout('/api/stripe/webhook', { secret })
 * expect(sent.status).toBe(200)
 * console.log(sent.event.data.object.id) // cs_test_…
 * ```
 */
export interface StripeWebhookResult {
  status: number
  body: string
  /** The event that was posted. */
  event: { id: string; type: string; data: { object: Record<string, unknown> } }
}

const testId = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('base64url').replace(/[-_]/g, 'x')}`

/** Builds the event, signs it and posts it to `url`. */
export async function postStripeCheckout(
  url: string,
  options: StripeCheckoutOptions,
  cookieClickId: string | null,
): Promise<StripeWebhookResult> {
  if (typeof options?.secret !== 'string' || !options.secret)
    throw new TypeError(
      'refport/playwright: sendStripeCheckout needs { secret }: the webhook signing secret your app verifies with',
    )
  const created = Math.floor(Date.now() / 1000)
  const amount = options.amountTotal ?? 4900
  const session: Record<string, unknown> = {
    id: testId('cs'),
    object: 'checkout.session',
    mode: 'payment',
    status: 'complete',
    payment_status: 'paid',
    client_reference_id: options.clickId === undefined ? cookieClickId : options.clickId,
    customer: options.customerId ?? testId('cus'),
    customer_details: { email: options.customerEmail ?? null, name: options.customerName ?? null },
    customer_email: options.customerEmail ?? null,
    amount_subtotal: amount,
    amount_total: amount,
    currency: options.currency ?? 'usd',
    invoice: null,
    subscription: null,
    payment_intent: testId('pi'),
    metadata: {},
    livemode: false,
    created,
    ...options.session,
  }
  const event = {
    id: testId('evt'),
    object: 'event',
    api_version: '2025-01-27.acacia',
    created,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type: 'checkout.session.completed',
    data: { object: session },
  }
  const payload = JSON.stringify(event)
  const header = (await stripeWebhooks()).generateTestHeaderString({ payload, secret: options.secret })
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': header },
    body: payload,
  })
  return { status: response.status, body: await response.text(), event }
}

interface Webhooks {
  generateTestHeaderString(options: { payload: string; secret: string }): string
}

async function stripeWebhooks(): Promise<Webhooks> {
  let module: { default?: unknown }
  try {
    module = (await import('stripe')) as { default?: unknown }
  } catch {
    throw new Error(
      'refport/playwright: sendStripeCheckout signs with the official Stripe library — install it: npm install -D stripe',
    )
  }
  const Stripe = (module.default ?? module) as new (key: string) => { webhooks: Webhooks }
  // A client is never used to call Stripe here: only its webhook signer.
  return new Stripe('sk_test_refport_playwright').webhooks
}
