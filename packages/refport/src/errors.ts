/**
 * Typed errors of the server SDK. Every error a caller can meet is a {@link RefportError}
 * carrying the API's `code` and the HTTP `status` (when there was a response), so callers
 * branch on `instanceof` or `code` instead of parsing messages.
 */

/**
 * Options shared by every Refport error: the second argument of each error constructor.
 *
 * @example
 * ```ts
 * // A test double of the client that fails the way the real one does.
 * const options: RefportErrorOptions = { code: 'rate_limited', status: 429 }
 * const refport = { track: { lead: async () => { throw new RefportRateLimitError('slow down', options) } } }
 * ```
 */
export interface RefportErrorOptions {
  /** The API's error code (`unauthorized`, `invalid_request`, …) or an SDK-side one. */
  code: string
  /** HTTP status of the answer, or `undefined` when no answer came (network, timeout, config). */
  status?: number
  /** The underlying error (a fetch `TypeError`, an `AbortError`, …). */
  cause?: unknown
}

/**
 * Base class of every error thrown by `refport`.
 *
 * @example
 * ```ts
 * try {
 *   await refport.track.lead({ clickId, eventName: 'Sign Up', customerExternalId: user.id })
 * } catch (err) {
 *   if (err instanceof RefportError) logger.warn('refport', err.code, err.status, err.message)
 * }
 * ```
 */
export class RefportError extends Error {
  /** The API's error code, or an SDK-side one such as `network_error` or `timeout`. */
  readonly code: string
  /** HTTP status of the answer; `undefined` when the request got no answer. */
  readonly status: number | undefined

  constructor(message: string, options: RefportErrorOptions) {
    // The `cause` option (ES2022) is set by hand so it also exists on older runtimes.
    super(message)
    this.name = new.target.name
    this.code = options.code
    this.status = options.status
    if (options.cause !== undefined) (this as { cause?: unknown }).cause = options.cause
  }
}

/**
 * The API key is missing or was refused (`401` / `403`).
 *
 * @example
 * ```ts
 * if (err instanceof RefportAuthError) console.error('check REFPORT_API_KEY')
 * ```
 */
export class RefportAuthError extends RefportError {}

/**
 * The lead was refused as invalid: either by the SDK before sending (status `undefined`)
 * or by the API (`422`, or `400` for a body that is not JSON). `field` names the culprit.
 *
 * @example
 * ```ts
 * if (err instanceof RefportValidationError) console.error(`bad ${err.field}: ${err.message}`)
 * ```
 */
export class RefportValidationError extends RefportError {
  /** The request field that failed validation, e.g. `clickId`, when known. */
  readonly field: string | undefined

  constructor(message: string, options: RefportErrorOptions & { field?: string }) {
    super(message, options)
    this.field = options.field
  }
}

/**
 * The API does not know the click ID (`404`): it expired, was never registered, or belongs
 * to another workspace; for a sale, it knows neither a lead of the customer nor the
 * `clickId`. Retrying cannot help.
 *
 * @example
 * ```ts
 * if (err instanceof RefportNotFoundError) res.append('Set-Cookie', clearClickIdSetCookies({ host }))
 * ```
 */
export class RefportNotFoundError extends RefportError {}

/**
 * Too many requests (`429`) and the retries were used up.
 *
 * @example
 * ```ts
 * if (err instanceof RefportRateLimitError) queue.retryLater(lead, err.retryAfterMs)
 * ```
 */
export class RefportRateLimitError extends RefportError {
  /** The server's `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined

  constructor(message: string, options: RefportErrorOptions & { retryAfterMs?: number }) {
    super(message, options)
    this.retryAfterMs = options.retryAfterMs
  }
}

/**
 * The request never got an answer (DNS, refused connection, reset socket) on any attempt.
 *
 * @example
 * ```ts
 * if (err instanceof RefportNetworkError) console.warn('refport unreachable', err.cause)
 * ```
 */
export class RefportNetworkError extends RefportError {}

/**
 * No answer within `timeoutMs` on any attempt.
 *
 * @example
 * ```ts
 * const refport = new Refport({ timeoutMs: 3000 })
 * // … err instanceof RefportTimeoutError when the API is slower than 3 s on every attempt
 * ```
 */
export class RefportTimeoutError extends RefportError {}

/**
 * The client is misconfigured: no API key (`missing_api_key`), a key an HTTP header cannot
 * carry such as one with a trailing newline (`invalid_api_key`), or a `baseUrl` that is not
 * an absolute http(s) URL (`invalid_base_url`), or an API address that answers with a
 * redirect, which the SDK never follows (`redirect`). Nothing is retried.
 * Raised by the first call, not by the constructor, so a client created at module scope
 * never breaks an import or a build where the environment is not set.
 *
 * @example
 * ```ts
 * // REFPORT_API_KEY unset:
 * await new Refport().track.lead(lead) // rejects with RefportConfigError, code 'missing_api_key'
 * ```
 */
export class RefportConfigError extends RefportError {}
