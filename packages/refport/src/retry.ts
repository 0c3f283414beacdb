/**
 * When and how long to wait before retrying a request to the API.
 */

/** Statuses worth retrying: the request may succeed as is a moment later (RFC 9110 §15.5.9, §15.6; RFC 6585 §4). */
export const isRetryableStatus = (status: number): boolean => status === 408 || status === 429 || status >= 500

/** Longest wait between two attempts, whatever the server asks for in `Retry-After`. */
export const MAX_RETRY_DELAY_MS = 10_000

/**
 * Exponential backoff with "full jitter" (a random wait between 0 and base·2^attempt), so
 * many servers retrying after the same outage do not hammer the API in lockstep.
 * A server's `Retry-After` wins when it is longer, capped at {@link MAX_RETRY_DELAY_MS}.
 */
export function retryDelayMs(
  attempt: number,
  baseDelayMs: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const backoff = random() * baseDelayMs * 2 ** attempt
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(backoff, retryAfterMs ?? 0))
}

/**
 * Parses `Retry-After` (RFC 9110 §10.2.3): delay-seconds or an HTTP-date.
 * @returns milliseconds to wait, or `undefined` when absent or unreadable.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000
  // An HTTP-date always names a month; without this, Date.parse reads '-1' as the year 1 BC.
  if (!/[a-z]{3}/i.test(value)) return undefined
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}
