import { describe, expect, it } from 'vitest'
import { isClickId } from './cookie'
import { MINTED_CLICK_ID_LENGTH, mintClickId } from './mint'

describe('mintClickId', () => {
  it('mints well-formed IDs of the minted length', () => {
    for (let i = 0; i < 200; i++) {
      const id = mintClickId()
      expect(isClickId(id)).toBe(true)
      expect(id).toHaveLength(MINTED_CLICK_ID_LENGTH)
    }
  })

  it('carries at least 128 random bits (22 symbols of 64)', () => {
    expect(MINTED_CLICK_ID_LENGTH * Math.log2(64)).toBeGreaterThanOrEqual(128)
    const ids = new Set(Array.from({ length: 5000 }, () => mintClickId()))
    expect(ids.size).toBe(5000)
  })

  it('uses every symbol of the alphabet, without bias towards any', () => {
    const counts = new Map<string, number>()
    for (let i = 0; i < 3000; i++) for (const c of mintClickId()!) counts.set(c, (counts.get(c) ?? 0) + 1)
    expect(counts.size).toBe(64)
    // 66,000 symbols over 64: each expected ~1,031; a biased mapping would leave some near 0 or 2×.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(800)
      expect(n).toBeLessThan(1300)
    }
  })

  it('maps each byte to the symbol of its low six bits', () => {
    const bytes = [0, 1, 25, 26, 51, 52, 61, 62, 63, 64, 255, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    const fixed = {
      getRandomValues: <T extends ArrayBufferView | null>(array: T) => {
        ;(array as unknown as Uint8Array).set(bytes)
        return array
      },
    }
    expect(mintClickId(fixed)).toBe('ABZaz09_-A-AAAAAAAAAAA')
  })

  it('no crypto on the global → undefined', () => {
    const original = Object.getOwnPropertyDescriptor(globalThis, 'crypto')!
    Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true })
    try {
      expect(mintClickId()).toBeUndefined()
    } finally {
      Object.defineProperty(globalThis, 'crypto', original)
    }
    expect(mintClickId()).toHaveLength(MINTED_CLICK_ID_LENGTH)
  })

  it.each([
    ['getRandomValues missing', {} as Crypto],
    [
      'getRandomValues throwing',
      {
        getRandomValues: () => {
          throw new Error('QuotaExceeded')
        },
      } as unknown as Crypto,
    ],
  ])('%s → undefined, never throws', (_, random) => {
    expect(mintClickId(random)).toBeUndefined()
  })
})
