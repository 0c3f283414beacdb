import { CLICK_PATH, isClickId, type ClickRequest, type ClickResponse } from '@refport/contract'

/**
 * Registers a click with the Refport API and returns the click ID it minted, or `null`
 * on any failure (network, timeout, blocked, non-2xx, non-JSON, invalid click ID).
 *
 * The body is a JSON string with no explicit content type, so fetch sends it as
 * `text/plain`: with no custom headers that is a CORS simple request (Fetch standard
 * §4.1 "CORS-safelisted"), one round trip instead of a preflight plus the POST.
 * `keepalive` lets the request finish if the visitor navigates away at once.
 */
export async function registerClick(apiHost: string, body: ClickRequest, timeoutMs: number): Promise<string | null> {
  try {
    const response = await fetch(apiHost.replace(/\/+$/, '') + CLICK_PATH, {
      method: 'POST',
      body: JSON.stringify(body),
      keepalive: true,
      // Browsers without AbortSignal.timeout (Safari < 16) wait for the network instead.
      signal: AbortSignal.timeout?.(timeoutMs),
    })
    const clickId = response.ok && ((await response.json()) as Partial<ClickResponse>).clickId
    return isClickId(clickId) ? clickId : null
  } catch {
    return null
  }
}
