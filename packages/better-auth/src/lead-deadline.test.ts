import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LeadDeadlineError, withDeadline } from './lead-deadline'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Follows a promise's outcome without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  )
  return state
}

/** A call that settles only when its signal aborts, as the SDK does against a hanging API. */
function hangUntilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
  )
}

describe('withDeadline', () => {
  it('passes through what the call resolves with and leaves no timer behind', async () => {
    await expect(withDeadline(3000, async () => 'recorded')).resolves.toBe('recorded')
    expect(vi.getTimerCount()).toBe(0)
  })

  it('passes through what the call rejects with before the deadline', async () => {
    const failure = new Error('503')
    await expect(withDeadline(3000, async () => Promise.reject(failure))).rejects.toBe(failure)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('gives up exactly at the deadline, aborting the signal with the same LeadDeadlineError it rejects with', async () => {
    let seen: AbortSignal | undefined
    const outcome = watch(
      withDeadline(3000, (signal) => {
        seen = signal
        return hangUntilAborted(signal)
      }),
    )

    await vi.advanceTimersByTimeAsync(2999)
    expect(outcome.settled).toBe(false)
    expect(seen!.aborted).toBe(false)

    await vi.advanceTimersByTimeAsync(1)
    expect(outcome.error).toBeInstanceOf(LeadDeadlineError)
    expect(outcome.error).toMatchObject({
      timeoutMs: 3000,
      message: expect.stringContaining('leadTimeoutMs (3000 ms)'),
    })
    expect(seen!.aborted).toBe(true)
    expect(seen!.reason).toBe(outcome.error)
  })

  it('settles at the deadline even when the call ignores the signal (a stand-in SDK)', async () => {
    const outcome = watch(withDeadline(500, () => new Promise<never>(() => {})))
    await vi.advanceTimersByTimeAsync(500)
    expect(outcome.error).toBeInstanceOf(LeadDeadlineError)
  })

  it('turns a call that throws synchronously into a rejection and clears its timer', async () => {
    const failure = new TypeError('bad lead')
    const call = (): Promise<never> => {
      throw failure
    }
    await expect(withDeadline(3000, call)).rejects.toBe(failure)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('ignores a call that settles after it gave up (no unhandled rejection, no second outcome)', async () => {
    let lateReject!: (error: Error) => void
    const outcome = watch(withDeadline(100, () => new Promise<never>((_resolve, reject) => (lateReject = reject))))
    await vi.advanceTimersByTimeAsync(100)
    lateReject(new Error('late'))
    await vi.advanceTimersByTimeAsync(0)
    expect(outcome.error).toBeInstanceOf(LeadDeadlineError)
  })
})
