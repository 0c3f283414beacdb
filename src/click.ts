import { CLICK_PATH, type ClickRequest } from '@refport/contract'

/** Milliseconds the click request may take: slow mobile networks are where clicks get lost. */
const DEFAULT_TIMEOUT_MS = 8000

/**
 * Registers a click with the Refport API and resolves to the `clickId` field of its
 * answer — unvalidated, the caller checks it — or `false` for a non-2xx answer; rejects
 * on a network error, a timeout, a blocked request or a body that is not JSON (the caller
 * catches and logs it).
 *
 * The body is a JSON string with no explicit content type, so fetch sends it as
 * `text/plain`: with no custom headers that is a CORS simple request (Fetch standard,
 * "CORS-safelisted request-header"), one round trip instead of a preflight plus the POST.
 * `keepalive` lets the request finish if the visitor navigates away at once.
 */
export async function registerClick(apiHost: string, body: ClickRequest, timeoutMs?: number): Promise<unknown> {
  // Not `/\/+$/`: it restarts at every slash of a run that does not end the string
  // (quadratic); this one starts only at the string's start or after a non-slash.
  const response = await fetch(apiHost.replace(/(^|[^/])\/+$/, '$1') + CLICK_PATH, {
    method: 'POST',
    body: JSON.stringify(body),
    keepalive: true,
    // Browsers without AbortSignal.timeout (Safari < 16) wait for the network instead.
    // No timeout, or one that is not a positive number (data-timeout-ms="abc" arrives as a
    // string), means the default; a numeric string counts as its number.
    signal: AbortSignal.timeout?.((timeoutMs as number) > 0 ? timeoutMs! : DEFAULT_TIMEOUT_MS),
  })
  return response.ok && ((await response.json()) as { clickId?: unknown }).clickId
}
