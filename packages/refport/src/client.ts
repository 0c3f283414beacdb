/**
 * The Refport API client. Fetch only, no Node built-ins: it runs on Node 18+, Bun, Deno
 * and edge runtimes (Vercel, Cloudflare Workers).
 */
import {
  DEFAULT_API_HOST,
  LEAD_PATH,
  SALE_PATH,
  type ApiErrorBody,
  type LeadInput,
  type LeadRequest,
  type LeadResponse,
  type SaleRequest,
  type SaleResponse,
} from '@refport/contract'
import { apiKeyProblem, plainHttpWarning, resolveApiUrl } from './config'
import { readEnv } from './env'
import { codeForStatus } from './error-codes'
import {
  RefportAuthError,
  RefportConfigError,
  RefportError,
  RefportNetworkError,
  RefportNotFoundError,
  RefportRateLimitError,
  RefportTimeoutError,
  RefportValidationError,
} from './errors'
import { validateLeadRequest } from './lead-validation'
import { validateSaleRequest } from './sale-validation'
import { isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry'

/**
 * Options of {@link Refport}. All optional.
 *
 * @example
 * ```ts
 * const options: RefportClientOptions = {
 *   apiKey: process.env.REFPORT_API_KEY,
 *   baseUrl: 'https://www.acme.com/_refport', // a first-party proxy in front of the API
 *   timeoutMs: 3000,
 *   maxRetries: 1,
 * }
 * const refport = new Refport(options)
 * ```
 */
export interface RefportClientOptions {
  /**
   * Secret API key, sent as `Authorization: Bearer <apiKey>`. Default: `REFPORT_API_KEY`,
   * read when a call is made; `''` counts as missing.
   */
  apiKey?: string
  /**
   * API origin, optionally with a path prefix (`https://acme.com/_refport`). Default:
   * `REFPORT_API_URL`, then `https://api.refport.io`. Point it at the mock in tests.
   */
  baseUrl?: string
  /** Time allowed for each attempt (connect, headers and body), in ms: 1 to 2 147 483 647 (about 24.8 days). Default 10 000. */
  timeoutMs?: number
  /** Retries after the first attempt, on network errors, timeouts, 408, 429 and 5xx. Default 2. */
  maxRetries?: number
  /** Base of the exponential backoff between retries, in ms (jittered, doubled per retry). Default 500. */
  retryBaseDelayMs?: number
  /** A `fetch` to use instead of the global one (for instrumentation or an older runtime). */
  fetch?: typeof fetch
}

/**
 * The server SDK's options under their former name, which the browser tracker's options also
 * had (`refport-js` exports those as `RefportTrackerOptions`).
 *
 * @deprecated Use {@link RefportClientOptions}, the same type. This alias is kept for one
 * release.
 *
 * @example
 * ```ts
 * const options: RefportClientOptions = { apiKey: process.env.REFPORT_API_KEY } // was: RefportOptions
 * ```
 */
export type RefportOptions = RefportClientOptions

/**
 * Per-call options of `track.lead`.
 *
 * @example
 * ```ts
 * const options: TrackLeadOptions = {
 *   idempotencyKey: `signup:${user.id}`, // a job retried by the queue is recorded once
 *   signal: AbortSignal.timeout(5000), // give up on the whole call, retries included
 * }
 * await refport.track.lead({ clickId, eventName: 'Sign Up', customerExternalId: user.id }, options)
 * ```
 */
export interface TrackLeadOptions {
  /**
   * Sent as the `Idempotency-Key` header on every attempt of this call, so a retried
   * request is recorded once. Default: a fresh random key per call. Pass your own (e.g.
   * `signup:${user.id}`) to make retries across processes (a job queue) safe as well.
   */
  idempotencyKey?: string
  /** Aborts the call, including retries; it then rejects with the signal's reason. */
  signal?: AbortSignal
}

/**
 * Per-call options of `track.sale`: the same as {@link TrackLeadOptions}.
 *
 * @example
 * ```ts
 * const options: TrackSaleOptions = { idempotencyKey: `sale:${invoice.id}` }
 * await refport.track.sale({ customerExternalId: user.id, amount: 4900, currency: 'usd', invoiceId: invoice.id }, options)
 * ```
 */
export type TrackSaleOptions = TrackLeadOptions

/**
 * The tracking calls, as `refport.track`.
 *
 * @example
 * ```ts
 * // Depend on the narrow interface to accept a real client or a test double.
 * async function onSignUp(track: RefportTrack, user: { id: string }, clickId: string) {
 *   const { duplicate } = await track.lead({ clickId, eventName: 'Sign Up', customerExternalId: user.id })
 *   return duplicate
 * }
 * await onSignUp(refport.track, user, clickId)
 * ```
 */
export interface RefportTrack {
  /**
   * Reports a lead (a sign-up) for the click that brought the visitor.
   * `POST {baseUrl}/track/lead` with `Authorization: Bearer <apiKey>`.
   *
   * The lead is validated first (a {@link RefportValidationError} naming the field, no
   * request sent). Network errors, timeouts, 408, 429 and 5xx are retried with jittered
   * exponential backoff, all attempts carrying one `Idempotency-Key`; other 4xx are not.
   * Resolves with the recorded lead and `duplicate: true` when the same
   * `customerExternalId` + `eventName` was already recorded within 7 days.
   */
  lead(lead: LeadInput, options?: TrackLeadOptions): Promise<LeadResponse>
  /**
   * Reports a sale (a payment) by a customer a lead created, crediting the partner of that
   * lead. `POST {baseUrl}/track/sale` with `Authorization: Bearer <apiKey>`.
   *
   * `amount` is an integer in the currency's minor unit (`4900` is $49.00; `500` is ¥500)
   * and `currency` an ISO 4217 code (sent lowercase). `eventName` defaults to `'Purchase'`
   * and `paymentProcessor` to `'custom'` on the API. The sale follows the customer's latest
   * lead, or the one named by `leadEventName`; pass `clickId` to credit a sale with no lead
   * before it (a Payment Link bought at once). Pass the processor's `invoiceId`: the same
   * invoice reported twice, by a retry or a second webhook, is one sale and resolves with
   * `duplicate: true` and the earlier record.
   *
   * Validation, typed errors, retries and the `Idempotency-Key` work exactly as for
   * {@link RefportTrack.lead}; a `404` ({@link RefportNotFoundError}) means the API knows
   * neither a lead of this customer nor the `clickId`.
   *
   * @example
   * ```ts
   * const { sale, duplicate } = await refport.track.sale({
   *   customerExternalId: user.id, // as given to track.lead
   *   amount: 4900,                // $49.00, in cents
   *   currency: 'usd',
   *   invoiceId: invoice.id,       // one sale per invoice, however often it is reported
   *   paymentProcessor: 'paddle',
   * })
   * console.log(sale.partner.key, duplicate) // 'jane', false
   * ```
   */
  sale(sale: SaleRequest, options?: TrackSaleOptions): Promise<SaleResponse>
}

/**
 * One tracking endpoint: where it lives, how its input is checked, and which key of its
 * answer holds the record (`{ lead, duplicate }`, `{ sale, duplicate }`).
 */
interface Endpoint<Input, Body = Input> {
  path: string
  record: 'lead' | 'sale'
  validate(input: Input): { ok: true; body: Body } | { ok: false; field: string; message: string }
}

const LEAD_ENDPOINT: Endpoint<LeadInput, LeadRequest> = {
  path: LEAD_PATH,
  record: 'lead',
  validate(input) {
    const result = validateLeadRequest(input)
    return result.ok ? { ok: true, body: result.lead } : result
  },
}

const SALE_ENDPOINT: Endpoint<SaleRequest> = {
  path: SALE_PATH,
  record: 'sale',
  validate(input) {
    const result = validateSaleRequest(input)
    return result.ok ? { ok: true, body: result.sale } : result
  },
}

const DEFAULT_TIMEOUT_MS = 10_000
/** Plain-http warnings already printed: once per process is enough to be seen. */
const warnedPlainHttp = new Set<string>()
const DEFAULT_MAX_RETRIES = 2
const DEFAULT_RETRY_BASE_DELAY_MS = 500
/**
 * The longest `timeoutMs` (and `leadTimeoutMs` of `@refport/better-auth`): 2 147 483 647 ms,
 * about 24.8 days. `setTimeout` stores its delay as a signed 32-bit integer (HTML timers,
 * Node), and a longer one fires after 1 ms, so every attempt would time out at once.
 *
 * @example
 * ```ts
 * import { MAX_TIMEOUT_MS, Refport } from 'refport'
 *
 * const timeoutMs = Math.min(Number(process.env.REFPORT_TIMEOUT_MS) || 10_000, MAX_TIMEOUT_MS)
 * const refport = new Refport({ timeoutMs })
 * ```
 */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1

/**
 * The Refport server SDK client. Creating one never throws over configuration read from
 * the environment: a missing API key or a bad `baseUrl` rejects the first call with a
 * {@link RefportConfigError}, so a module-scope client cannot break an import or a build.
 *
 * @example
 * ```ts
 * import { Refport } from 'refport'
 *
 * const refport = new Refport({ apiKey: process.env.REFPORT_API_KEY! })
 *
 * const { lead, duplicate } = await refport.track.lead({
 *   clickId,
 *   eventName: 'Sign Up',
 *   customerExternalId: user.id,
 *   customerEmail: user.email,
 * })
 * ```
 */
export class Refport {
  /** Lead and sale tracking: `refport.track.lead({...})`, `refport.track.sale({...})`. */
  readonly track: RefportTrack

  private readonly options: RefportClientOptions
  private readonly timeoutMs: number
  private readonly maxRetries: number
  private readonly retryBaseDelayMs: number

  /**
   * @throws TypeError for option values that are bugs in the calling code (a negative
   * `timeoutMs`, a fractional `maxRetries`, a `fetch` that is not a function).
   */
  constructor(options: RefportClientOptions = {}) {
    this.options = options
    this.timeoutMs = checkNumber(
      'timeoutMs',
      options.timeoutMs,
      DEFAULT_TIMEOUT_MS,
      (n) => n > 0 && n <= MAX_TIMEOUT_MS,
      `1 to ${MAX_TIMEOUT_MS} ms`,
    )
    this.maxRetries = checkNumber(
      'maxRetries',
      options.maxRetries,
      DEFAULT_MAX_RETRIES,
      (n) => Number.isInteger(n) && n >= 0,
      'a whole number ≥ 0',
    )
    this.retryBaseDelayMs = checkNumber(
      'retryBaseDelayMs',
      options.retryBaseDelayMs,
      DEFAULT_RETRY_BASE_DELAY_MS,
      (n) => n >= 0,
      'a number of ms ≥ 0',
    )
    if (options.fetch !== undefined && typeof options.fetch !== 'function')
      throw new TypeError('refport: options.fetch must be a function such as globalThis.fetch')
    this.track = {
      lead: (lead, callOptions) => this.send(LEAD_ENDPOINT, lead, callOptions) as Promise<LeadResponse>,
      sale: (sale, callOptions) => this.send(SALE_ENDPOINT, sale, callOptions) as Promise<SaleResponse>,
    }
  }

  /** Validates `input`, then posts it with retries; resolves with the API's `{ <record>, duplicate }`. */
  private async send<Input, Body>(
    endpoint: Endpoint<Input, Body>,
    input: Input,
    callOptions: TrackLeadOptions = {},
  ): Promise<unknown> {
    const validation = endpoint.validate(input)
    if (!validation.ok)
      throw new RefportValidationError(`refport: ${validation.message}`, {
        code: 'invalid_request',
        field: validation.field,
      })
    const { apiKey, url, fetchFn } = this.resolveConfig(endpoint.path)
    const { signal } = callOptions
    const idempotencyKey = callOptions.idempotencyKey ?? newIdempotencyKey()
    // A header value must be visible ASCII (RFC 9110 §5.5); fetch would throw a TypeError
    // that looks like a network error and be retried for nothing.
    if (typeof idempotencyKey !== 'string' || !/^[!-~]{1,255}$/.test(idempotencyKey))
      throw new RefportValidationError('refport: idempotencyKey must be 1–255 visible ASCII characters', {
        code: 'invalid_request',
        field: 'idempotencyKey',
      })
    const init = {
      method: 'POST',
      // A redirect is not followed: fetch would turn the POST into a GET (RFC 9110 §15.4.3)
      // and the lead-shaped answer of another URL would count as recorded.
      redirect: 'manual' as const,
      headers: {
        authorization: `Bearer ${apiKey}`,
        'content-type': 'application/json',
        accept: 'application/json',
        'idempotency-key': idempotencyKey,
      },
      body: JSON.stringify(validation.body),
    }

    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted()
      let error: RefportError
      let retryable: boolean
      let retryAfterMs: number | undefined
      try {
        const answer = await fetchWithTimeout(fetchFn, url, init, this.timeoutMs, signal)
        if (answer.status >= 200 && answer.status < 300) return parseTrackResponse(answer, endpoint.record)
        error = errorFromAnswer(answer)
        retryable = isRetryableStatus(answer.status)
        retryAfterMs = parseRetryAfter(answer.retryAfter)
      } catch (cause) {
        if (signal?.aborted) throw signal.reason
        if (cause instanceof RefportError) error = cause
        else
          error = new RefportNetworkError(
            `refport: could not reach the Refport API at ${url} (${describeCause(cause)}); check baseUrl / REFPORT_API_URL and the network`,
            { code: 'network_error', cause },
          )
        retryable = error instanceof RefportNetworkError || error instanceof RefportTimeoutError
      }
      if (!retryable || attempt >= this.maxRetries) throw error
      await sleep(retryDelayMs(attempt, this.retryBaseDelayMs, retryAfterMs), signal)
    }
  }

  /** Resolved per call so a client created before the environment is set still works. */
  private resolveConfig(path: string): { apiKey: string; url: string; fetchFn: typeof fetch } {
    // An empty `apiKey` (`process.env.REFPORT_API_KEY!` when the variable is unset or
    // blank) counts as missing, so the environment fallback and the error agree.
    const apiKey = this.options.apiKey || readEnv('REFPORT_API_KEY')
    if (!apiKey)
      throw new RefportConfigError('refport: apiKey missing — pass { apiKey } or set REFPORT_API_KEY', {
        code: 'missing_api_key',
      })
    const keyProblem = apiKeyProblem(apiKey)
    if (keyProblem) {
      const source = this.options.apiKey ? 'the apiKey option' : 'REFPORT_API_KEY'
      throw new RefportConfigError(
        `refport: ${source} ${keyProblem}; an API key is visible ASCII only — copy it again from the Refport dashboard, without quotes or surrounding whitespace`,
        { code: 'invalid_api_key' },
      )
    }
    const baseUrl = this.options.baseUrl || readEnv('REFPORT_API_URL') || DEFAULT_API_HOST
    const apiUrl = resolveApiUrl(baseUrl, path)
    if (!apiUrl.ok)
      throw new RefportConfigError(
        `refport: baseUrl ${apiUrl.problem} — pass { baseUrl } such as https://api.refport.io or fix REFPORT_API_URL`,
        { code: 'invalid_base_url' },
      )
    const fetchFn = this.options.fetch ?? globalThis.fetch
    if (typeof fetchFn !== 'function')
      throw new RefportConfigError('refport: no fetch in this runtime — use Node 18+ or pass { fetch }', {
        code: 'missing_fetch',
      })
    const warning = plainHttpWarning(apiUrl.url)
    if (warning && !warnedPlainHttp.has(warning)) {
      warnedPlainHttp.add(warning)
      console.warn(warning)
    }
    return { apiKey, url: apiUrl.url, fetchFn }
  }
}

function checkNumber(
  name: string,
  value: number | undefined,
  fallback: number,
  valid: (n: number) => boolean,
  expected: string,
): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || !valid(value))
    throw new TypeError(
      `refport: options.${name} is invalid (${String(value)}); use ${expected}, or leave it out for the default ${fallback}`,
    )
  return value
}

interface Answer {
  status: number
  text: string
  retryAfter: string | null
}

/**
 * One attempt. The timer covers the body too: a server that sends headers and then
 * stalls must not hang the caller.
 */
async function fetchWithTimeout(
  fetchFn: typeof fetch,
  url: string,
  init: RequestInit,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<Answer> {
  const controller = new AbortController()
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, timeoutMs)
  const onAbort = () => controller.abort()
  signal?.addEventListener('abort', onAbort)
  try {
    const response = await fetchFn(url, { ...init, signal: controller.signal })
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400))
      throw new RefportConfigError(
        `refport: the Refport API at ${url} answered with a redirect (${response.status || 'opaque'}); the SDK does not follow redirects — set baseUrl / REFPORT_API_URL to the final address`,
        { code: 'redirect', status: response.status || undefined },
      )
    return { status: response.status, text: await response.text(), retryAfter: response.headers.get('retry-after') }
  } catch (cause) {
    if (timedOut)
      throw new RefportTimeoutError(
        `refport: no answer from the Refport API within ${timeoutMs} ms — raise { timeoutMs } if the network is slow`,
        { code: 'timeout', cause },
      )
    throw cause
  } finally {
    clearTimeout(timer)
    signal?.removeEventListener('abort', onAbort)
  }
}

/** The answer's body when it is `{ <record>: {...}, duplicate: boolean }`, else an `invalid_response` error. */
function parseTrackResponse(answer: Answer, record: 'lead' | 'sale'): unknown {
  const body = parseJson(answer.text) as Record<string, unknown> | null | undefined
  if (
    typeof body !== 'object' ||
    body === null ||
    typeof body[record] !== 'object' ||
    body[record] === null ||
    typeof body.duplicate !== 'boolean'
  )
    throw new RefportError(
      `refport: the Refport API answered ${answer.status} with an unexpected body: ${snippet(answer.text)}`,
      {
        code: 'invalid_response',
        status: answer.status,
      },
    )
  return body
}

function errorFromAnswer({ status, text, retryAfter }: Answer): RefportError {
  const apiError = (parseJson(text) as Partial<ApiErrorBody> | undefined)?.error
  const code = typeof apiError?.code === 'string' ? apiError.code : codeForStatus(status)
  const message =
    typeof apiError?.message === 'string'
      ? apiError.message
      : `refport: the Refport API answered ${status}: ${snippet(text)}`
  const options = { code, status }
  if (status === 401 || status === 403) return new RefportAuthError(message, options)
  if (status === 404) return new RefportNotFoundError(message, options)
  if (status === 400 || status === 422) {
    const field = (apiError as { field?: unknown } | undefined)?.field
    return new RefportValidationError(message, { ...options, field: typeof field === 'string' ? field : undefined })
  }
  if (status === 429)
    return new RefportRateLimitError(message, { ...options, retryAfterMs: parseRetryAfter(retryAfter) })
  return new RefportError(message, options)
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const snippet = (text: string) => JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text)

const describeCause = (cause: unknown) => {
  const inner = (cause as { cause?: { code?: unknown } } | null)?.cause?.code
  return String((cause as Error | null)?.message ?? cause) + (typeof inner === 'string' ? ` ${inner}` : '')
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** A random key; `crypto.randomUUID` exists on Node 19+, Bun, Deno and edge runtimes. */
function newIdempotencyKey(): string {
  const uuid = globalThis.crypto?.randomUUID?.()
  if (uuid) return uuid
  // Node 18 without the global Web Crypto: uniqueness is all an idempotency key needs.
  return `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`
}
