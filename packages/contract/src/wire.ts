/**
 * The Refport API wire format, as types. The browser tracker and the landing middleware
 * send clicks, the server SDK sends leads and sales, and the mock API in `refport/testing`
 * answers them all; every side uses these shapes so that a change to the wire shows up as
 * a type error everywhere at once.
 */

/** Path of the click endpoint, relative to the API host. */
export const CLICK_PATH = '/track/click'

/** Path of the lead endpoint, relative to the API host. */
export const LEAD_PATH = '/track/lead'

/** Path of the sale endpoint, relative to the API host. */
export const SALE_PATH = '/track/sale'

/**
 * Body of `POST /track/click`. Sent as `text/plain` so the request is a CORS "simple
 * request" (Fetch standard, CORS-safelisted request-header) and costs no preflight.
 */
export interface ClickRequest {
  publishableKey: string
  /** The partner key from the landing URL, e.g. `jane` from `?via=jane`. */
  key: string
  /**
   * The click ID the tracker minted ({@link mintClickId}) and already stored in the
   * cookie. The API registers the click under it, so the same ID sent twice is one click.
   * Absent only where the browser has no `crypto.getRandomValues`: the API mints one then.
   */
  clickId?: string
  /** The full landing URL. */
  url: string
  /** `document.referrer`, or an empty string. */
  referrer: string
}

/**
 * Body of `POST /track/click` sent by a site's own server (the first-party landing
 * middleware), with `Authorization: Bearer <apiKey>` instead of a publishable key.
 *
 * @example
 * ```ts
 * const click: ServerClickRequest = {
 *   key: 'jane', clickId: mintClickId()!, url: 'https://www.acme.com/?via=jane',
 *   referrer: '', userAgent: 'Mozilla/5.0 …', ip: '203.0.113.7',
 * }
 * ```
 */
export interface ServerClickRequest {
  key: string
  /** Minted by the server with {@link mintClickId}; already in the visitor's `Set-Cookie`. */
  clickId: string
  url: string
  referrer: string
  /** The visitor's `User-Agent` header ('' when absent). */
  userAgent: string
  /** The visitor's IP address as the site's server sees it ('' when unknown). */
  ip: string
}

/**
 * A discount a partner's link gives the visitor.
 *
 * @example
 * ```ts
 * const discount: Discount = { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 }
 * ```
 */
export interface Discount {
  /** Coupon or promotion code to show or apply. */
  code: string
  /** Percent off (`type: 'percentage'`) or an amount in the currency's minor unit (`'flat'`). */
  amount: number
  type: 'percentage' | 'flat'
  /** How many months it applies for; `null` for once or forever, as the program defines it. */
  durationMonths: number | null
}

/**
 * The partner behind a click, as the API names it.
 *
 * @example
 * ```ts
 * const partner: Partner = { key: 'jane', name: 'Jane Doe', avatarUrl: null }
 * ```
 */
export interface Partner {
  key: string
  /** Display name; the key itself when the program gave none. */
  name: string
  /** `https` URL of the partner's picture, or `null`. */
  avatarUrl: string | null
}

/**
 * What a page may show about the partner who referred this visitor ("Jane sent you: 20%
 * off"): the click answer's partner and discount, kept for the cookie's lifetime. Plain
 * text and numbers; render them as text, never as markup.
 *
 * @example
 * ```ts
 * const partner: PagePartner | null = getPartner()
 * if (partner?.discount) banner.textContent = `${partner.name} sent you: ${partner.discount.amount}% off`
 * ```
 */
export interface PagePartner extends Partner {
  discount: Discount | null
}

/** `200` answer of `POST /track/click`. */
export interface ClickResponse {
  /** The click ID the click is registered under: the one sent, or one the API minted. */
  clickId: string
  partner: Partner
  discount: Discount | null
}

/**
 * Body of `POST /track/lead` (with `Authorization: Bearer <apiKey>`).
 *
 * @example
 * ```ts
 * const lead: LeadRequest = { clickId: 'cl_7Hq2Lk', eventName: 'Sign Up', customerExternalId: 'user_42' }
 * await refport.track.lead(lead)
 * ```
 */
export interface LeadRequest {
  clickId: string
  eventName: string
  customerExternalId: string
  customerEmail?: string
  customerName?: string
  customerAvatar?: string
  metadata?: Record<string, unknown>
}

/**
 * What `track.lead` accepts: a {@link LeadRequest} whose optional customer fields may also
 * be `null`, as auth libraries hand them over (a Better Auth `user.image` is
 * `string | null | undefined`). `null` and blank values are dropped before sending, so the
 * body on the wire is always a {@link LeadRequest} without them.
 *
 * @example
 * ```ts
 * const lead: LeadInput = { clickId, eventName: 'Sign Up', customerExternalId: user.id, customerAvatar: user.image }
 * await refport.track.lead(lead)
 * ```
 */
export interface LeadInput extends Omit<LeadRequest, 'customerEmail' | 'customerName' | 'customerAvatar' | 'metadata'> {
  customerEmail?: string | null
  customerName?: string | null
  customerAvatar?: string | null
  metadata?: Record<string, unknown> | null
}

/**
 * A lead as the API recorded it.
 *
 * @example
 * ```ts
 * const { lead } = await refport.track.lead(input)
 * console.log(lead.partner.key, lead.createdAt) // 'jane', '2026-11-21T18:00:00.000Z'
 * ```
 */
export interface RecordedLead extends LeadRequest {
  id: string
  /** Partner credited with the lead (from the click). */
  partner: { key: string }
  /** ISO 8601 time the lead was recorded. */
  createdAt: string
}

/**
 * `200` answer of `POST /track/lead`.
 *
 * @example
 * ```ts
 * const { duplicate }: LeadResponse = await refport.track.lead(input)
 * if (duplicate) console.log('already recorded within 7 days')
 * ```
 */
export interface LeadResponse {
  lead: RecordedLead
  /**
   * `true` when the same `customerExternalId` + `eventName` was already recorded within
   * the 7-day deduplication window; `lead` is then the earlier record and nothing new
   * was stored.
   */
  duplicate: boolean
}

/** Payment processors a sale can name; `custom` is the default. */
export const PAYMENT_PROCESSORS = ['stripe', 'paddle', 'lemonsqueezy', 'polar', 'custom'] as const

/**
 * One of {@link PAYMENT_PROCESSORS}.
 *
 * @example
 * ```ts
 * const processor: PaymentProcessor = 'stripe'
 * await refport.track.sale({ customerExternalId: 'cus_Q1', amount: 4900, currency: 'usd', paymentProcessor: processor })
 * ```
 */
export type PaymentProcessor = (typeof PAYMENT_PROCESSORS)[number]

/**
 * Body of `POST /track/sale` (with `Authorization: Bearer <apiKey>`).
 *
 * @example
 * ```ts
 * const sale: SaleRequest = {
 *   customerExternalId: 'user_42', amount: 4900, currency: 'usd',
 *   invoiceId: 'in_1Q…', paymentProcessor: 'stripe',
 * }
 * await refport.track.sale(sale)
 * ```
 */
export interface SaleRequest {
  /** The customer a lead created (`customerExternalId` of `track.lead`). */
  customerExternalId: string
  /** Integer amount in the currency's minor unit (cents for `usd`, yen for `jpy`). */
  amount: number
  /** ISO 4217 code, lowercase (`usd`, `eur`). */
  currency: string
  /** Default `'Purchase'`. */
  eventName?: string
  /** The processor's invoice (or payment) ID: the same invoice twice is one sale. */
  invoiceId?: string
  /** Default `'custom'`. */
  paymentProcessor?: PaymentProcessor
  /** Which of the customer's lead events the sale follows; default the latest. */
  leadEventName?: string
  metadata?: Record<string, unknown>
  /** The visitor's click ID, for a sale with no earlier lead (a Payment Link bought at once). */
  clickId?: string
}

/**
 * A sale as the API recorded it.
 *
 * @example
 * ```ts
 * const { sale } = await refport.track.sale(input)
 * console.log(sale.partner.key, sale.amount, sale.currency) // 'jane', 4900, 'usd'
 * ```
 */
export interface RecordedSale extends Omit<SaleRequest, 'eventName' | 'paymentProcessor'> {
  id: string
  eventName: string
  paymentProcessor: PaymentProcessor
  /** The click the sale is credited through. */
  clickId: string
  /** Partner credited with the sale. */
  partner: { key: string }
  /** ISO 8601 time the sale was recorded. */
  createdAt: string
}

/**
 * `200` answer of `POST /track/sale`.
 *
 * @example
 * ```ts
 * const { duplicate }: SaleResponse = await refport.track.sale(input)
 * if (duplicate) console.log('this invoice was already recorded')
 * ```
 */
export interface SaleResponse {
  sale: RecordedSale
  /** `true` when the same `invoiceId` was already recorded; `sale` is then that record. */
  duplicate: boolean
}

/**
 * Error codes the API uses, with the HTTP status each comes with.
 *
 * @example
 * ```ts
 * const retryable = (code: ApiErrorCode) => code == 'rate_limited' || code == 'internal_error'
 * ```
 */
export type ApiErrorCode =
  | 'unauthorized' // 401
  | 'not_found' // 404
  | 'conflict' // 409: a click ID already used for another partner or key
  | 'invalid_request' // 422 (and 400 for a body that is not JSON)
  | 'rate_limited' // 429
  | 'internal_error' // 5xx

/**
 * Body of every non-2xx answer.
 *
 * @example
 * ```ts
 * const body: ApiErrorBody = { error: { code: 'not_found', message: 'unknown click ID' } }
 * ```
 */
export interface ApiErrorBody {
  error: { code: ApiErrorCode | (string & {}); message: string }
}

/** Leads with the same `customerExternalId` + `eventName` within this window are one lead. */
export const LEAD_DEDUPE_WINDOW_MS = 7 * 24 * 60 * 60 * 1000

/** Production Refport API origin, used when no `apiHost` / `baseUrl` is given. */
export const DEFAULT_API_HOST = 'https://api.refport.io'
