// @ts-check
/**
 * The Stripe side of the sign-up app, as a real app wires it: a checkout route that opens a
 * Checkout Session for the signed-in user (their user ID in `metadata`), and the webhook
 * route that verifies Stripe's signature with the official library and hands the event to
 * `handleStripeEvent` from `refport/stripe`. Sessions are opened on the Stripe Checkout
 * stand-in (fake-stripe.mjs); the webhook code is what production runs.
 */
import express from 'express'
import { handleStripeEvent } from 'refport/stripe'
import Stripe from 'stripe'

/**
 * @typedef {object} StripeWiring
 * @property {string} checkoutApi origin of the Checkout stand-in (its `POST /v1/checkout/sessions`)
 * @property {string} webhookSecret the `whsec_…` secret the webhooks are signed with
 * @property {string} [product] what the signed-in user buys; default `test_acme_pro`
 * @property {string} [successUrl] where checkout sends the buyer back
 */

/** The metadata key the checkout route puts the user ID under, and the webhook reads. */
const USER_ID = 'userId'

/**
 * Adds `POST /checkout` and `POST /api/stripe/webhook` to `app`.
 * @param {import('express').Express} app
 * @param {{ refport: import('refport').Refport, wiring: StripeWiring, currentUser: (req: import('express').Request) => Promise<{ id: string, email: string } | null> }} options
 */
export function addStripeRoutes(app, { refport, wiring, currentUser }) {
  // Signature checks only: the library calls no Stripe API here.
  const stripe = new Stripe('sk_test_refport_signup_app')
  /**
   * The app's own record of which Stripe customer each user became (a real app keeps it on
   * the user row): a renewal's invoice names only the Stripe customer.
   * @type {Map<string, string>}
   */
  const userByStripeCustomer = new Map()

  app.post('/checkout', async (req, res) => {
    const user = await currentUser(req)
    if (!user)
      return void res.status(401).type('text').send('Sign up or sign in first: checkout is for a signed-in user.')
    const response = await fetch(`${wiring.checkoutApi}/v1/checkout/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        product: wiring.product ?? 'test_acme_pro',
        customer_email: user.email,
        metadata: { [USER_ID]: user.id },
        success_url: wiring.successUrl,
      }),
    })
    if (!response.ok)
      return void res
        .status(502)
        .type('text')
        .send(`Checkout could not start: ${await response.text()}`)
    const session = /** @type {{ url: string }} */ (await response.json())
    res.redirect(303, session.url)
  })

  // The raw body: the signature covers the exact bytes Stripe sent, so parse only after verifying.
  app.post('/api/stripe/webhook', express.raw({ type: 'application/json' }), async (req, res) => {
    /** @type {Stripe.Event} */
    let event
    try {
      event = stripe.webhooks.constructEvent(req.body, req.headers['stripe-signature'] ?? '', wiring.webhookSecret)
    } catch (error) {
      return void res
        .status(400)
        .json({ error: `invalid Stripe signature: ${error instanceof Error ? error.message : String(error)}` })
    }
    if (event.type === 'checkout.session.completed') {
      const { customer, metadata } = event.data.object
      const userId = metadata?.[USER_ID]
      if (typeof customer === 'string' && userId) userByStripeCustomer.set(customer, userId)
    }
    try {
      const result = await handleStripeEvent(event, {
        refport,
        // The user ID the sign-up's lead was reported under, so the sale joins that lead;
        // a buyer who never signed up stays the Stripe customer.
        customerExternalId: ({ metadata, stripeCustomerId }) =>
          metadata[USER_ID] ?? (stripeCustomerId && userByStripeCustomer.get(stripeCustomerId)) ?? stripeCustomerId,
      })
      // 200 for every verified event, reported or not; Stripe retries anything else for days.
      res.json({ received: true, result })
    } catch (error) {
      // Refport unreachable or failing: 500 makes Stripe deliver again; the calls are idempotent.
      res.status(500).json({ error: error instanceof Error ? error.message : String(error) })
    }
  })
}
