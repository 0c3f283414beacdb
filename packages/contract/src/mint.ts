/**
 * Minting click IDs where the click happens (the browser tracker, the landing middleware),
 * so the cookie exists before any network round trip and a resent click keeps its ID.
 */

/**
 * Length of a minted click ID: 22 characters of a 64-symbol alphabet carry 132 random
 * bits, more than a v4 UUID's 122, so two visitors never share an ID.
 *
 * @example
 * ```ts
 * mintClickId()!.length === MINTED_CLICK_ID_LENGTH // true
 * ```
 */
export const MINTED_CLICK_ID_LENGTH = 22

/** The click-ID alphabet in 64 symbols: `byte & 63` picks one with no modulo bias (256 = 4 × 64). */
const SYMBOLS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

/**
 * A new click ID of {@link MINTED_CLICK_ID_LENGTH} characters from
 * `crypto.getRandomValues`, or `undefined` where no such source exists (a very old
 * browser, an odd sandbox): the caller then lets the API mint one. Never throws.
 *
 * @example
 * ```ts
 * const clickId = mintClickId() // e.g. 'V1StGXR8_Z5jdHi6B-myTq'
 * ```
 */
export function mintClickId(random: Pick<Crypto, 'getRandomValues'> | undefined = globalThis.crypto): string | undefined {
  try {
    let id = ''
    for (const byte of random!.getRandomValues(new Uint8Array(MINTED_CLICK_ID_LENGTH))) id += SYMBOLS[byte & 63]
    return id
  } catch {
    return undefined
  }
}
