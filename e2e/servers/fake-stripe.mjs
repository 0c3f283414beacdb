// @ts-check
/**
 * A stand-in for Stripe Checkout on loopback, for the e2e suite and the playground: no
 * Stripe account, no network. It does the few things of Stripe the Refport chain touches:
 *
 * - Payment Links: `GET /b/<link>?client_reference_id=…` is what `https://buy.stripe.com/<link>?…`
 *   is on Stripe (the browser is sent here instead, see the e2e spec and the playground's
 *   pricing page); it opens a Checkout Session carrying `client_reference_id`.
 * - `POST /v1/checkout/sessions` (JSON): a server creating a session for a signed-in
 *   customer, with `metadata`, answered with the session and its `url`.
 * - The checkout page `GET /c/pay/<session>`; "Pay" completes the session and sends
 *   `checkout.session.completed`; a subscription can then be renewed (`invoice.paid`) and
 *   any event delivered again, as Stripe retries a delivery.
 *
 * Events are signed with the official `stripe` library's `generateTestHeaderString`, so the
 * receiving app verifies them with `stripe.webhooks.constructEvent` exactly as in
 * production. Objects carry only the fields Refport's Stripe handler and a reader need;
 * they are shaped like Stripe's (API version in `API_VERSION`).
 */
import { randomBytes } from 'node:crypto'
import Stripe from 'stripe'
import { escapeHtml } from './signup-common.mjs'

/** The Stripe API version the events claim to be. */
export const API_VERSION = '2025-03-31.basil'

/** Webhook signing secret of the e2e suite and the playground (a `whsec_` test value). */
export const FAKE_WEBHOOK_SECRET = 'whsec_refport_fake_stripe_not_a_secret'

/**
 * @typedef {object} Product
 * @property {string} name
 * @property {number} amount minor units (cents)
 * @property {string} currency lowercase ISO 4217
 * @property {'payment' | 'subscription'} mode
 */

/** @type {Record<string, Product>} Payment Links (`buy.stripe.com/<id>`) and prices the stand-in sells. */
export const PRODUCTS = {
  test_acme_pro: { name: 'Acme Pro', amount: 4900, currency: 'usd', mode: 'subscription' },
  test_acme_team: { name: 'Acme Team', amount: 9900, currency: 'usd', mode: 'subscription' },
  test_acme_lifetime: { name: 'Acme Lifetime', amount: 19900, currency: 'usd', mode: 'payment' },
}

const id = (/** @type {string} */ prefix) => `${prefix}_test_${randomBytes(9).toString('base64url')}`

/**
 * @typedef {object} Session a Checkout Session, as much of it as the chain reads
 * @property {string} id
 * @property {'checkout.session'} object
 * @property {'payment' | 'subscription'} mode
 * @property {'open' | 'complete'} status
 * @property {'unpaid' | 'paid'} payment_status
 * @property {number} amount_total
 * @property {number} amount_subtotal
 * @property {string} currency
 * @property {string | null} client_reference_id
 * @property {Record<string, string>} metadata
 * @property {string | null} customer
 * @property {string | null} customer_email
 * @property {{ email: string | null, name: string | null } | null} customer_details
 * @property {string | null} payment_link
 * @property {string | null} subscription
 * @property {string | null} invoice
 * @property {string | null} success_url
 * @property {string} url
 * @property {number} created
 * @property {string} product the stand-in's own: which product (not a Stripe field)
 */

/**
 * @typedef {object} Delivery one webhook delivery, for the pages and the tests
 * @property {string} eventId
 * @property {string} type
 * @property {number} status HTTP status the webhook answered (0: unreachable)
 * @property {string} body first 500 characters of its answer
 */

/**
 * @param {{ webhookUrl: string, webhookSecret?: string, publicUrl: string }} options
 *   `publicUrl`: the stand-in's own origin as the browser reaches it (for session URLs).
 */
export function createFakeStripe({ webhookUrl, webhookSecret = FAKE_WEBHOOK_SECRET, publicUrl }) {
  // Only for signing: the library makes no request unless asked to.
  const stripe = new Stripe('sk_test_refport_fake_stripe')
  /** @type {Map<string, Session>} */
  const sessions = new Map()
  /** @type {Map<string, string>} event ID → the exact payload sent, for redelivery */
  const events = new Map()
  /** @type {Delivery[]} */
  const deliveries = []

  /**
   * Signs and posts an event payload to the webhook, as Stripe does.
   * @param {string} payload
   */
  async function deliver(payload) {
    const { id: eventId, type } = JSON.parse(payload)
    const signature = stripe.webhooks.generateTestHeaderString({ payload, secret: webhookSecret })
    /** @type {Delivery} */
    let delivery
    try {
      const response = await fetch(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'stripe-signature': signature,
          'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        },
        body: payload,
      })
      delivery = { eventId, type, status: response.status, body: (await response.text()).slice(0, 500) }
    } catch (error) {
      delivery = { eventId, type, status: 0, body: error instanceof Error ? error.message : String(error) }
    }
    deliveries.push(delivery)
    return delivery
  }

  /**
   * Builds, records and delivers a new event about `object`.
   * @param {string} type
   * @param {object} object
   */
  function send(type, object) {
    const event = {
      id: id('evt'),
      object: 'event',
      api_version: API_VERSION,
      created: now(),
      livemode: false,
      pending_webhooks: 1,
      type,
      data: { object },
    }
    const payload = JSON.stringify(event, null, 2)
    events.set(event.id, payload)
    return deliver(payload)
  }

  /**
   * @param {string} product key of PRODUCTS
   * @param {{ client_reference_id?: unknown, metadata?: unknown, customer_email?: unknown, success_url?: unknown, payment_link?: string }} fields
   * @returns {Session}
   */
  function openSession(product, fields) {
    const { amount, currency, mode } = /** @type {Product} */ (PRODUCTS[product])
    const sessionId = id('cs')
    /** @type {Session} */
    const session = {
      id: sessionId,
      object: 'checkout.session',
      mode,
      status: 'open',
      payment_status: 'unpaid',
      amount_total: amount,
      amount_subtotal: amount,
      currency,
      client_reference_id:
        typeof fields.client_reference_id === 'string' && fields.client_reference_id
          ? fields.client_reference_id
          : null,
      metadata: stringRecord(fields.metadata),
      customer: null,
      customer_email: typeof fields.customer_email === 'string' ? fields.customer_email : null,
      customer_details: null,
      payment_link: fields.payment_link ?? null,
      subscription: null,
      invoice: null,
      success_url: typeof fields.success_url === 'string' ? fields.success_url : null,
      url: `${publicUrl}/c/pay/${sessionId}`,
      created: now(),
      product,
    }
    sessions.set(sessionId, session)
    return session
  }

  /**
   * Completes a session as a successful payment and sends `checkout.session.completed`; a
   * subscription's first invoice is paid too (`invoice.paid`, the same invoice ID), as on
   * Stripe, where the two events come in either order.
   * @param {Session} session
   * @param {{ email: string, name: string }} buyer
   */
  async function pay(session, { email, name }) {
    session.status = 'complete'
    session.payment_status = 'paid'
    session.customer = id('cus')
    session.customer_details = { email, name }
    session.invoice = session.mode === 'subscription' ? id('in') : null
    session.subscription = session.mode === 'subscription' ? id('sub') : null
    await send('checkout.session.completed', session)
    if (session.invoice) await invoicePaid(session, session.invoice, 'subscription_create')
  }

  /**
   * Sends `invoice.paid` for a subscription bought through `session`.
   * @param {Session} session
   * @param {string} invoiceId
   * @param {'subscription_create' | 'subscription_cycle'} reason
   */
  function invoicePaid(session, invoiceId, reason) {
    const invoice = {
      id: invoiceId,
      object: 'invoice',
      status: 'paid',
      billing_reason: reason,
      customer: session.customer,
      customer_email: session.customer_details?.email ?? null,
      amount_paid: session.amount_total,
      amount_due: session.amount_total,
      currency: session.currency,
      // An invoice's own metadata is empty; the subscription's (copied from the session)
      // sits under `parent` since API version 2025-03-31.basil.
      metadata: {},
      parent: {
        type: 'subscription_details',
        subscription_details: { subscription: session.subscription, metadata: session.metadata },
      },
      lines: {
        object: 'list',
        data: [
          {
            id: id('il'),
            object: 'line_item',
            amount: session.amount_total,
            currency: session.currency,
            description: PRODUCTS[session.product]?.name ?? session.product,
          },
        ],
      },
      created: now(),
    }
    return send('invoice.paid', invoice)
  }

  /**
   * The next month of a subscription: a new invoice, paid.
   * @param {Session} session
   */
  const renew = (session) => invoicePaid(session, id('in'), 'subscription_cycle')

  /** @type {import('node:http').RequestListener} */
  const handler = async (req, res) => {
    const url = new URL(req.url ?? '/', publicUrl)
    const path = url.pathname
    /** @param {number} status @param {string} body @param {Record<string, string>} [headers] */
    const send = (status, body, headers = {}) => {
      res.writeHead(status, { 'cache-control': 'no-store', 'content-type': 'text/html; charset=utf-8', ...headers })
      res.end(body)
    }
    const json = (/** @type {number} */ status, /** @type {unknown} */ body) =>
      send(status, JSON.stringify(body, null, 2), { 'content-type': 'application/json' })
    try {
      if (req.method === 'GET' && path === '/__health') return send(200, 'ok', { 'content-type': 'text/plain' })
      if (req.method === 'GET' && path === '/')
        return send(200, indexPage({ publicUrl, sessions: [...sessions.values()], deliveries }))
      // What the tests and the playground's pages read: every session and delivery so far.
      if (req.method === 'GET' && path === '/__fake/state')
        return json(200, { sessions: [...sessions.values()], deliveries })

      const link = /^\/b\/([\w-]+)$/.exec(path)
      if (req.method === 'GET' && link) {
        const product = /** @type {string} */ (link[1])
        if (!PRODUCTS[product])
          return send(
            404,
            page(
              'No such Payment Link',
              `<p>The stand-in sells ${Object.keys(PRODUCTS)
                .map((key) => `<code>${key}</code>`)
                .join(', ')}.</p>`,
            ),
          )
        const session = openSession(product, {
          client_reference_id: url.searchParams.get('client_reference_id'),
          customer_email: url.searchParams.get('prefilled_email'),
          payment_link: `plink_${product}`,
        })
        return send(303, '', { location: session.url })
      }

      if (req.method === 'POST' && path === '/v1/checkout/sessions') {
        const body = await readJson(req)
        const product = typeof body.product === 'string' ? body.product : ''
        if (!PRODUCTS[product])
          return json(400, {
            error: {
              type: 'invalid_request_error',
              message: `unknown product ${JSON.stringify(product)}; the stand-in sells ${Object.keys(PRODUCTS).join(', ')}`,
            },
          })
        return json(200, openSession(product, body))
      }

      const checkout = /^\/c\/(pay|renew|redeliver)\/([\w-]+)$/.exec(path)
      if (checkout) {
        const [, action, key] = /** @type {[string, string, string]} */ (checkout)
        if (action === 'redeliver') {
          const payload = events.get(key)
          if (req.method !== 'POST' || !payload)
            return send(404, page('No such event', '<p>Nothing to deliver again.</p>'))
          await deliver(payload)
          // Back to the page the button was on: a checkout page, or the front page.
          const back = sessionOf(req.headers.referer ?? '')
          return send(303, '', { location: back ? `/c/pay/${back}` : '/' })
        }
        const session = sessions.get(key)
        if (!session)
          return send(
            404,
            page(
              'No such checkout',
              '<p>This checkout session does not exist (the stand-in forgets everything when it restarts).</p>',
            ),
          )
        if (action === 'pay' && req.method === 'POST') {
          if (session.status === 'open') {
            const form = new URLSearchParams(await readText(req))
            await pay(session, {
              email: form.get('email') || session.customer_email || 'buyer@example.test',
              name: form.get('name') || 'Test Buyer',
            })
          }
          return send(303, '', { location: `/c/pay/${session.id}` })
        }
        if (action === 'renew' && req.method === 'POST') {
          if (session.status === 'complete' && session.subscription) await renew(session)
          return send(303, '', { location: `/c/pay/${session.id}` })
        }
        if (action === 'pay' && req.method === 'GET') return send(200, checkoutPage(session, deliveries, events))
      }
      send(404, page('Not found', `<p>Nothing here. Start at <a href="/">the stand-in's front page</a>.</p>`))
    } catch (error) {
      send(500, page('Error', `<p>${escapeHtml(error instanceof Error ? error.message : String(error))}</p>`))
    }
  }
  return { handler, sessions, deliveries }
}

const now = () => Math.floor(Date.now() / 1000)

/** Only string values survive, as in Stripe's metadata (500 characters each at most there). */
function stringRecord(/** @type {unknown} */ value) {
  if (!value || typeof value !== 'object') return {}
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => typeof entry === 'string'))
}

/** The session ID a checkout page URL names. */
const sessionOf = (/** @type {string} */ referer) => /\/c\/pay\/([\w-]+)/.exec(referer)?.[1] ?? ''

/** @param {import('node:http').IncomingMessage} req */
async function readText(req) {
  let text = ''
  for await (const chunk of req) {
    text += chunk
    if (text.length > 100_000) throw new Error('body too large')
  }
  return text
}

/** @param {import('node:http').IncomingMessage} req @returns {Promise<Record<string, unknown>>} */
async function readJson(req) {
  try {
    const body = JSON.parse(await readText(req))
    return body && typeof body === 'object' ? body : {}
  } catch {
    return {}
  }
}

/** @param {number} amount @param {string} currency */
const money = (amount, currency) => new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount / 100)

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f6f9fc;color:#1a1f36}
main{max-width:34rem;margin:3rem auto;padding:2rem;background:#fff;border-radius:10px;box-shadow:0 2px 12px #0001}
h1{font-size:1.4rem;margin-top:0} .muted{color:#697386;font-size:.9rem} code{font-size:.85rem}
label{display:block;margin:.75rem 0} input{display:block;width:100%;padding:.5rem;border:1px solid #d6dbe4;border-radius:6px;font:inherit;box-sizing:border-box}
button{padding:.6rem 1.2rem;background:#635bff;color:#fff;border:0;border-radius:6px;font:inherit;cursor:pointer}
.banner{background:#fff4d6;padding:.4rem 1rem;text-align:center;font-size:.85rem}
table{border-collapse:collapse;width:100%;font-size:.85rem} td,th{border-bottom:1px solid #eef0f5;padding:.3rem;text-align:left}
.ok{color:#0b7a3b} .failed{color:#b42318} form.inline{display:inline}`

/** @param {string} title @param {string} body */
function page(title, body) {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><link rel="icon" href="data:,">
<title>${escapeHtml(title)} · Stripe Checkout stand-in</title><style>${STYLE}</style></head>
<body><div class="banner">Stripe Checkout <b>stand-in</b> on your machine: no real payment, no Stripe account. Webhooks are signed like Stripe's.</div>
<main>${body}</main></body></html>`
}

/** @param {Delivery[]} deliveries */
function deliveryRows(deliveries) {
  return deliveries
    .map(
      (d) =>
        `<tr class="delivery"><td><code>${escapeHtml(d.type)}</code></td><td><code>${escapeHtml(d.eventId)}</code></td><td class="${d.status >= 200 && d.status < 300 ? 'ok' : 'failed'}">${d.status || 'unreachable'}</td>` +
        `<td><form class="inline" method="post" action="/c/redeliver/${escapeHtml(d.eventId)}"><button class="redeliver" type="submit">Deliver again</button></form></td></tr>`,
    )
    .join('')
}

/** @param {Session} session @param {Delivery[]} deliveries @param {Map<string, string>} events */
function checkoutPage(session, deliveries, events) {
  const product = PRODUCTS[session.product]
  const price = `${money(session.amount_total, session.currency)}${session.mode === 'subscription' ? ' / month' : ''}`
  const details = `<p class="muted">Session <code id="session-id">${escapeHtml(session.id)}</code> · client_reference_id <code id="client-reference-id">${escapeHtml(String(session.client_reference_id))}</code></p>`
  if (session.status === 'open')
    return page(
      `Pay ${product?.name}`,
      `<h1>${escapeHtml(product?.name ?? session.product)}</h1><p><b>${price}</b></p>${details}
<form method="post" action="/c/pay/${escapeHtml(session.id)}">
<label>Email <input name="email" type="email" required value="${escapeHtml(session.customer_email ?? '')}"></label>
<label>Name on card <input name="name" required value="Test Buyer"></label>
<label>Card <input value="4242 4242 4242 4242" disabled></label>
<button id="pay" type="submit">Pay ${price}</button></form>`,
    )
  const mine = deliveries.filter((d) => {
    const payload = events.get(d.eventId)
    return payload?.includes(session.id) || (session.subscription != null && payload?.includes(session.subscription))
  })
  return page(
    'Payment succeeded',
    `<h1 id="paid">Payment succeeded</h1><p>${escapeHtml(product?.name ?? session.product)} · ${price}</p>${details}
<h2>Webhook deliveries</h2><table><tr><th>Event</th><th>ID</th><th>Answer</th><th></th></tr>${deliveryRows(mine)}</table>
${session.subscription ? `<p><form class="inline" method="post" action="/c/renew/${escapeHtml(session.id)}"><button id="renew" type="submit">Renew: next month's invoice is paid</button></form></p>` : ''}
${session.success_url ? `<p><a id="back" href="${escapeHtml(session.success_url)}">Continue</a> (the success URL: <code>${escapeHtml(session.success_url)}</code>)</p>` : ''}`,
  )
}

/** @param {{ publicUrl: string, sessions: Session[], deliveries: Delivery[] }} state */
function indexPage({ publicUrl, sessions, deliveries }) {
  return page(
    'Stripe Checkout stand-in',
    `<h1>Stripe Checkout stand-in</h1>
<p>Plays Stripe for the Refport playground and e2e tests: Payment Links, Checkout Sessions and signed webhooks.</p>
<p>Payment Links (on Stripe: <code>https://buy.stripe.com/&lt;id&gt;</code>):</p>
<ul>${Object.entries(PRODUCTS)
      .map(
        ([key, p]) =>
          `<li><a href="/b/${key}">${publicUrl}/b/${key}</a> — ${escapeHtml(p.name)}, ${money(p.amount, p.currency)}${p.mode === 'subscription' ? ' / month' : ''}</li>`,
      )
      .join('')}</ul>
<p>Checkouts so far: ${sessions.length ? sessions.map((s) => `<a href="/c/pay/${s.id}"><code>${s.id}</code></a> (${s.status})`).join(', ') : 'none'}.</p>
<h2>Webhook deliveries</h2><table><tr><th>Event</th><th>ID</th><th>Answer</th><th></th></tr>${deliveryRows(deliveries)}</table>
<p class="muted">JSON: <a href="/__fake/state">/__fake/state</a></p>`,
  )
}
