/**
 * `refport`: the Refport server SDK. Read the click ID the browser tracker stored in the
 * `refp_id` cookie, report leads and sales, and (re)issue or clear the cookie from the server.
 *
 * This entry uses fetch only and imports no Node built-in, so it runs on Node 18+, Bun,
 * Deno and edge runtimes. The mock API for tests lives in `refport/testing`, Stripe
 * webhooks in `refport/stripe`.
 */
export {
  MAX_TIMEOUT_MS,
  Refport,
  type RefportClientOptions,
  type RefportOptions,
  type RefportTrack,
  type TrackLeadOptions,
  type TrackSaleOptions,
} from './client'
export {
  RefportError,
  RefportAuthError,
  RefportConfigError,
  RefportNetworkError,
  RefportNotFoundError,
  RefportRateLimitError,
  RefportTimeoutError,
  RefportValidationError,
  type RefportErrorOptions,
} from './errors'
export { getClickIdFromCookie, getClickIdFromRequest, type RequestLike } from './request-cookie'
export {
  clearClickIdSetCookies,
  clickIdSetCookie,
  type ClearClickIdSetCookiesOptions,
  type ClickIdSetCookieOptions,
} from './set-cookie'
export {
  createRefportLanding,
  type LandingContext,
  type LandingHandler,
  type LandingResult,
  type RefportLandingOptions,
} from './landing'
export { CLICK_ID_COOKIE, isClickId } from '@refport/contract'
export type {
  LeadInput,
  LeadRequest,
  LeadResponse,
  RecordedLead,
  SaleRequest,
  SaleResponse,
  RecordedSale,
  PaymentProcessor,
  ApiErrorBody,
  ApiErrorCode,
} from '@refport/contract'
