import { describe, expect, it } from 'vitest'
import { MAX_RETRY_DELAY_MS, isRetryableStatus, parseRetryAfter, retryDelayMs } from './retry'

describe('isRetryableStatus', () => {
  it.each([408, 429, 500, 502, 503, 504])('retries %i', (status) => expect(isRetryableStatus(status)).toBe(true))
  it.each([400, 401, 403, 404, 409, 422])('does not retry %i', (status) =>
    expect(isRetryableStatus(status)).toBe(false),
  )
})

describe('retryDelayMs', () => {
  it('doubles the ceiling per attempt, with full jitter', () => {
    expect(retryDelayMs(0, 100, undefined, () => 1)).toBe(100)
    expect(retryDelayMs(2, 100, undefined, () => 1)).toBe(400)
    expect(retryDelayMs(2, 100, undefined, () => 0.5)).toBe(200)
    expect(retryDelayMs(2, 100, undefined, () => 0)).toBe(0)
  })

  it('waits at least the Retry-After, capped', () => {
    expect(retryDelayMs(0, 100, 3000, () => 1)).toBe(3000)
    expect(retryDelayMs(0, 100, 60_000, () => 1)).toBe(MAX_RETRY_DELAY_MS)
    expect(retryDelayMs(20, 100, undefined, () => 1)).toBe(MAX_RETRY_DELAY_MS)
  })
})

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  it.each<[string | null, number | undefined]>([
    [null, undefined],
    ['', undefined],
    ['3', 3000],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:00:05 GMT', 5000],
    ['Wed, 31 Dec 2025 23:59:00 GMT', 0],
    ['soon', undefined],
    ['-1', undefined],
  ])('%j → %j', (value, expected) => expect(parseRetryAfter(value, now)).toBe(expected))
})
