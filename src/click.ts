import { CLICK_PATH, type ClickRequest } from '@refport/contract'

/** Milliseconds the click request may take: slow mobile networks are where clicks get lost. */
const DEFAULT_TIMEOUT_MS = 8000

/**
 * Sends a click to the Refport API; resolves to its response, rejects on a network error,
 * a timeout or a blocked request (the caller decides what each outcome means).
 *
 * The body is a JSON string with no explicit content type, so fetch sends it as
 * `text/plain`: with no custom headers that is a CORS simple request (Fetch standard,
 * "CORS-safelisted request-header"), one round trip instead of a preflight plus the POST.
 * `keepalive` lets the request finish when the visitor follows a link or closes the tab
 * at once (Fetch standard, "keepalive": the fetch outlives its document).
 */
export const sendClick = (apiHost: string, body: ClickRequest, timeoutMs?: number): Promise<Response> =>
  // Not `/\/+$/`: it restarts at every slash of a run that does not end the string
  // (quadratic); this one starts only at the string's start or after a non-slash.
  fetch(apiHost.replace(/(^|[^/])\/+$/, '$1') + CLICK_PATH, {
    method: 'POST',
    body: JSON.stringify(body),
    keepalive: true,
    // Browsers without AbortSignal.timeout (Safari < 16) wait for the network instead.
    // No timeout, or one that is not a positive number (data-timeout-ms="abc" arrives as a
    // string), means the default; a numeric string counts as its number.
    signal: AbortSignal.timeout?.((timeoutMs as number) > 0 ? timeoutMs! : DEFAULT_TIMEOUT_MS),
  })

/**
 * True for an answer that rejects the click for good: `404` (unknown partner), `409` (the
 * ID is another partner's) and every other 4xx but `408` (timeout) and `429` (rate
 * limited), which, like `5xx`, say "not now" and leave the click to be sent again.
 */
export const isRejection = (status: number): boolean => status > 399 && status < 500 && status != 408 && status != 429
