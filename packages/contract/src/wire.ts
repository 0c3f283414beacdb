/**
 * The Refport API wire format, as types. The browser tracker sends clicks, the server SDK
 * sends leads, and the mock API in `refport/testing` answers both; all three use these
 * shapes so that a change to the wire shows up as a type error everywhere at once.
 */

/** Path of the click endpoint, relative to the API host. */
export const CLICK_PATH = '/track/click'

/** Path of the lead endpoint, relative to the API host. */
export const LEAD_PATH = '/track/lead'

/**
 * Body of `POST /track/click`. Sent as `text/plain` so the request is a CORS "simple
 * request" (Fetch standard, CORS-safelisted request-header) and costs no preflight.
 */
export interface ClickRequest {
  publishableKey: string
  /** The partner key from the landing URL, e.g. `jane` from `?via=jane`. */
  key: string
  /** The full landing URL. */
  url: string
  /** `document.referrer`, or an empty string. */
  referrer: string
}

/** `200` answer of `POST /track/click`. */
export interface ClickResponse {
  clickId: string
  partner: { key: string }
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
