/**
 * How long a sign-up response may wait for the lead call, and how that wait is cut short.
 */

/**
 * Default `leadTimeoutMs`. A healthy lead is one round trip (well under a second), and
 * 3 s still leaves room for the SDK's first retries after fast failures (a 5xx or reset
 * connection: its jittered backoff waits at most 0.5 s, then 1 s). A sign-up that takes
 * 3 s longer is slow but completes. Without a deadline the SDK's defaults (10 s per
 * attempt, 2 retries, up to 1.5 s of backoff) hold it for up to 31.5 s, past API
 * Gateway's 29 s integration timeout and the 10 s limit of many serverless plans.
 */
export const DEFAULT_LEAD_TIMEOUT_MS = 3000

/** The abort reason when the deadline passes before the call settles. */
export class LeadDeadlineError extends Error {
  override readonly name = 'LeadDeadlineError'

  constructor(readonly timeoutMs: number) {
    super(`refport: no answer within leadTimeoutMs (${timeoutMs} ms)`)
  }
}

/**
 * Runs `call` with a signal that aborts after `timeoutMs` (reason: a
 * {@link LeadDeadlineError}) and settles by then in every case. The signal stops the
 * SDK's request and its retries; the race covers a `refport` stand-in that ignores the
 * signal, so the sign-up does not depend on every implementation honouring it.
 */
export async function withDeadline<T>(timeoutMs: number, call: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const reason = new LeadDeadlineError(timeoutMs)
      controller.abort(reason)
      reject(reason)
    }, timeoutMs)
  })
  try {
    // Promise.race subscribes to both, so whichever loses never becomes an unhandled rejection.
    return await Promise.race([call(controller.signal), expired])
  } finally {
    // A settled call must not leave a timer behind: it would keep a Node process alive
    // and, in a test with fake timers, show up as pending work.
    clearTimeout(timer)
  }
}
