/**
 * `refport/stripe`: Stripe webhook events to Refport leads and sales. It reads an event
 * that `stripe.webhooks.constructEvent` already verified; it never calls Stripe and never
 * imports the `stripe` package, so it runs wherever your webhook route runs (Node, edge).
 */
import { isClickId, type LeadResponse, type SaleResponse } from '@refport/contract'
import type { RefportTrack } from './client'

/**
 * The parts of a Stripe event this module reads. A `Stripe.Event` from
 * `stripe.webhooks.constructEvent` (any recent `stripe` version) fits it as is.
 *
 * @example
 * ```ts
 * const event: StripeEventLike = stripe.webhooks.constructEvent(rawBody, signature, secret)
 * ```
 */
export interface StripeEventLike {
  /** `evt_…`; keys the idempotency of the calls made for this event. */
  id: string
  /** `checkout.session.completed`, `invoice.paid`, … */
  type: string
  data: { object: object }
}

/**
 * What {@link HandleStripeEventOptions.customerExternalId} is given to name the customer.
 *
 * @example
 * ```ts
 * const byUserId = (customer: StripeCustomer) => customer.metadata.userId ?? customer.stripeCustomerId
 * ```
 */
export interface StripeCustomer {
  /** The Stripe Customer ID (`cus_…`), or `null` for a one-off payment made without a Customer object. */
  stripeCustomerId: string | null
  /** The email the buyer gave at checkout (or the invoice's `customer_email`), or `null`. */
  email: string | null
  /**
   * The Checkout Session's `metadata`; for an invoice, its subscription's metadata
   * (`subscription_data.metadata` at checkout) overlaid with the invoice's own.
   */
  metadata: Record<string, string>
}

/**
 * Options of {@link handleStripeEvent}.
 *
 * @example
 * ```ts
 * const options: HandleStripeEventOptions = {
 *   refport: new Refport({ apiKey: process.env.REFPORT_API_KEY! }),
 *   leadEventName: 'Trial Started',
 *   // The customer ID your sign-up gave track.lead, put on the Checkout Session as metadata.
 *   customerExternalId: ({ metadata, stripeCustomerId }) => metadata.userId ?? stripeCustomerId,
 * }
 * ```
 */
export interface HandleStripeEventOptions {
  /** Your Refport client (`new Refport({ apiKey })`); `track.lead` and `track.sale` are used. */
  refport: { track: Pick<RefportTrack, 'lead' | 'sale'> }
  /**
   * `eventName` of the lead sent for a checkout that carries a click ID
   * (`client_reference_id`). Default `'Sign Up'`. The API deduplicates it per customer and
   * event name, so a customer who signed up through your app already is not counted twice.
   */
  leadEventName?: string
  /** `eventName` of the sales; default the API's `'Purchase'`. */
  saleEventName?: string
  /**
   * Names the customer, as `customerExternalId` of the lead and the sales. Default: the
   * Stripe Customer ID (`cus_…`), so `invoice.paid` renewals find the customer with no
   * lookup; for a one-off payment without a Customer object, the checkout email. Return
   * your own user ID (from `metadata`) to join the sales to the lead your sign-up sent.
   * `null`/`undefined`/`''` means the customer cannot be named: the event is not reported.
   */
  customerExternalId?: (customer: StripeCustomer) => string | null | undefined
  /** Aborts the calls to Refport, retries included. */
  signal?: AbortSignal
}

/**
 * What {@link handleStripeEvent} did. `handled: false` is a normal outcome (an event type
 * it does not use, a payment not yet made, a customer no partner referred): answer Stripe
 * `200` all the same, or it retries the event for days.
 *
 * @example
 * ```ts
 * const result: StripeEventResult = await handleStripeEvent(event, { refport })
 * if (result.handled) console.log('credited to', result.sale?.sale.partner.key ?? result.lead?.lead.partner.key)
 * else console.log('not reported:', result.reason)
 * ```
 */
export type StripeEventResult =
  | {
      handled: true
      eventType: string
      /** The `customerExternalId` the lead and sale were reported under. */
      customerExternalId: string
      /** The lead sent for a checkout with a click ID; `null` when none was sent. */
      lead: LeadResponse | null
      /** The sale; `null` when nothing was paid (a free trial, a 100 % coupon). */
      sale: SaleResponse | null
    }
  | { handled: false; eventType: string; reason: string }

/** The checkout events that mean "paid": at once, or later for delayed methods (SEPA, ACH, Boleto…). */
const CHECKOUT_PAID_EVENTS = ['checkout.session.completed', 'checkout.session.async_payment_succeeded']

/**
 * Reports a verified Stripe event to Refport:
 *
 * - `checkout.session.completed` (with `payment_status` `paid` or `no_payment_required`) and
 *   `checkout.session.async_payment_succeeded`: when `client_reference_id` is a click ID
 *   (the browser tracker adds it to Payment Links, the pricing table and the buy button),
 *   a lead for it; then a sale of `amount_total` in `currency` with the invoice ID
 *   (`session.invoice`) or else the session ID as `invoiceId`, and `paymentProcessor:
 *   'stripe'`. A completed session still `unpaid` (a delayed payment method) is left for
 *   `async_payment_succeeded`.
 * - `invoice.paid`: a sale of `amount_paid` for the invoice's customer (renewals). The
 *   first invoice of a subscription bought through Checkout carries the same invoice ID as
 *   the checkout's sale, so it is one sale, whichever event comes first.
 * - Anything else: `{ handled: false, reason: 'ignored event type …' }`.
 *
 * A `404` from Refport (a customer no partner referred, an unknown click) and a payment
 * Refport cannot take resolve with `handled: false` and the reason. Network errors, `5xx`
 * after retries, and a bad API key reject: answer Stripe `500` so it sends the event again;
 * every call is idempotent per event and per invoice, so the retry records nothing twice.
 *
 * @example
 * ```ts
 * // Express: the raw body is what Stripe signed; parse JSON after verifying, never before.
 * import express from 'express'
 * import Stripe from 'stripe'
 * import { Refport } from 'refport'
 * import { handleStripeEvent } from 'refport/stripe'
 *
 * const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!)
 * const refport = new Refport({ apiKey: process.env.REFPORT_API_KEY! })
 *
 * app.post('/webhooks/stripe', express.raw({ type: 'application/json' }), async (req, res) => {
 *   let event: Stripe.Event
 *   try {
 *     event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature']!, process.env.STRIPE_WEBHOOK_SECRET!)
 *   } catch {
 *     return res.status(400).send('invalid signature')
 *   }
 *   try {
 *     await handleStripeEvent(event, { refport })
 *     res.json({ received: true })
 *   } catch (error) {
 *     res.status(500).send('refport unavailable, retry') // Stripe retries; the calls are idempotent
 *   }
 * })
 * ```
 */
export async function handleStripeEvent(
  event: StripeEventLike,
  options: HandleStripeEventOptions,
): Promise<StripeEventResult> {
  const track = options?.refport?.track
  if (typeof track?.lead !== 'function' || typeof track.sale !== 'function')
    throw new TypeError(
      'refport/stripe: handleStripeEvent needs your Refport client — handleStripeEvent(event, { refport: new Refport({ apiKey }) })',
    )
  const object = (event as Partial<StripeEventLike> | null)?.data?.object
  if (typeof event?.type !== 'string' || typeof event.id !== 'string' || typeof object !== 'object' || object === null)
    throw new TypeError(
      'refport/stripe: pass the event returned by stripe.webhooks.constructEvent(rawBody, signature, secret)',
    )

  if (CHECKOUT_PAID_EVENTS.includes(event.type)) return handleCheckout(event, object as CheckoutSession, options)
  if (event.type === 'invoice.paid') return handleInvoice(event, object as Invoice, options)
  return { handled: false, eventType: event.type, reason: `ignored event type ${event.type}` }
}

/** The fields of a Checkout Session that are read; each one is checked before use. */
interface CheckoutSession {
  id?: unknown
  client_reference_id?: unknown
  customer?: unknown
  customer_details?: { email?: unknown; name?: unknown } | null
  customer_email?: unknown
  amount_total?: unknown
  currency?: unknown
  payment_status?: unknown
  invoice?: unknown
  metadata?: unknown
}

/** The fields of an Invoice that are read. */
interface Invoice {
  id?: unknown
  customer?: unknown
  customer_email?: unknown
  amount_paid?: unknown
  currency?: unknown
  metadata?: unknown
  /** Where API versions from 2025-03-31 put the subscription's metadata. */
  parent?: { subscription_details?: { metadata?: unknown } | null } | null
  /** Where earlier API versions put it. */
  subscription_details?: { metadata?: unknown } | null
}

async function handleCheckout(
  event: StripeEventLike,
  session: CheckoutSession,
  options: HandleStripeEventOptions,
): Promise<StripeEventResult> {
  const eventType = event.type
  const paymentStatus = text(session.payment_status)
  if (paymentStatus === 'unpaid')
    return {
      handled: false,
      eventType,
      reason:
        'payment not made yet (payment_status unpaid): checkout.session.async_payment_succeeded will report the sale',
    }
  const email = text(session.customer_details?.email) ?? text(session.customer_email)
  const customerExternalId = nameCustomer(options, {
    stripeCustomerId: idOf(session.customer),
    email,
    metadata: metadataOf(session.metadata),
  })
  if (!customerExternalId)
    return {
      handled: false,
      eventType,
      reason: `checkout session ${String(session.id)} has no customer or email to name the customer by`,
    }
  // client_reference_id is the site's field: anything that is not a click ID is not ours.
  const clickId = isClickId(session.client_reference_id) ? session.client_reference_id : undefined
  const callOptions = (what: string) => ({ idempotencyKey: `stripe:${event.id}:${what}`, signal: options.signal })

  let lead: LeadResponse | null = null
  if (clickId) {
    const sent = await unlessRefused(() =>
      options.refport.track.lead(
        {
          clickId,
          eventName: options.leadEventName ?? 'Sign Up',
          customerExternalId,
          customerEmail: email ?? undefined,
          customerName: text(session.customer_details?.name) ?? undefined,
        },
        callOptions('lead'),
      ),
    )
    if ('refused' in sent) return { handled: false, eventType, reason: `lead not recorded: ${sent.refused}` }
    lead = sent.answer
  }

  const amount = session.amount_total
  if (paymentStatus === 'no_payment_required' || amount === 0 || amount == null) {
    if (lead) return { handled: true, eventType, customerExternalId, lead, sale: null }
    return { handled: false, eventType, reason: 'nothing paid and no click ID: nothing to report' }
  }
  const sold = await unlessRefused(() =>
    options.refport.track.sale(
      {
        customerExternalId,
        amount: amount as number,
        currency: session.currency as string,
        eventName: options.saleEventName,
        // The first invoice of a subscription also comes as invoice.paid: one ID, one sale.
        invoiceId: idOf(session.invoice) ?? text(session.id) ?? undefined,
        paymentProcessor: 'stripe',
        clickId,
        metadata: { stripeEventId: event.id },
      },
      callOptions('sale'),
    ),
  )
  if ('refused' in sold) return { handled: false, eventType, reason: `sale not recorded: ${sold.refused}` }
  return { handled: true, eventType, customerExternalId, lead, sale: sold.answer }
}

async function handleInvoice(
  event: StripeEventLike,
  invoice: Invoice,
  options: HandleStripeEventOptions,
): Promise<StripeEventResult> {
  const eventType = event.type
  if (invoice.amount_paid === 0)
    return {
      handled: false,
      eventType,
      reason: `invoice ${String(invoice.id)} paid nothing (amount_paid 0, e.g. a trial)`,
    }
  const customerExternalId = nameCustomer(options, {
    stripeCustomerId: idOf(invoice.customer),
    email: text(invoice.customer_email),
    metadata: {
      ...metadataOf(invoice.parent?.subscription_details?.metadata ?? invoice.subscription_details?.metadata),
      ...metadataOf(invoice.metadata),
    },
  })
  if (!customerExternalId)
    return { handled: false, eventType, reason: `invoice ${String(invoice.id)} has no customer to name` }
  const sold = await unlessRefused(() =>
    options.refport.track.sale(
      {
        customerExternalId,
        amount: invoice.amount_paid as number,
        currency: invoice.currency as string,
        eventName: options.saleEventName,
        invoiceId: text(invoice.id) ?? undefined,
        paymentProcessor: 'stripe',
        metadata: { stripeEventId: event.id },
      },
      { idempotencyKey: `stripe:${event.id}:sale`, signal: options.signal },
    ),
  )
  if ('refused' in sold) return { handled: false, eventType, reason: `sale not recorded: ${sold.refused}` }
  return { handled: true, eventType, customerExternalId, lead: null, sale: sold.answer }
}

/**
 * Runs a Refport call, turning the answers that a retry cannot change (unknown customer or
 * click, a payment the API cannot take) into a reason; everything else rejects.
 */
async function unlessRefused<T>(call: () => Promise<T>): Promise<{ answer: T } | { refused: string }> {
  try {
    return { answer: await call() }
  } catch (error) {
    if (isFinalRefusal(error)) return { refused: (error as Error).message }
    throw error
  }
}

/**
 * A `RefportNotFoundError` or `RefportValidationError`, told by `status` and `code` rather
 * than `instanceof`: the CommonJS build of this entry and of `refport` each hold their own
 * copy of the error classes.
 */
function isFinalRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const { status, code } = error as { status?: unknown; code?: unknown }
  return status === 404 || status === 400 || status === 422 || (status === undefined && code === 'invalid_request')
}

function nameCustomer(options: HandleStripeEventOptions, customer: StripeCustomer): string | null {
  const named = options.customerExternalId
    ? options.customerExternalId(customer)
    : (customer.stripeCustomerId ?? customer.email)
  return typeof named === 'string' && named.trim() ? named : null
}

const text = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null)

/** A Stripe reference is an ID string, or the object itself when the field was expanded. */
const idOf = (value: unknown): string | null =>
  text(value) ?? (typeof value === 'object' && value !== null ? text((value as { id?: unknown }).id) : null)

function metadataOf(value: unknown): Record<string, string> {
  const metadata: Record<string, string> = {}
  if (typeof value === 'object' && value !== null)
    for (const [key, entry] of Object.entries(value)) if (typeof entry === 'string') metadata[key] = entry
  return metadata
}
