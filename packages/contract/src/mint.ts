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

/**
 * A new click ID of {@link MINTED_CLICK_ID_LENGTH} characters from
 * `crypto.getRandomValues`, or `undefined` where no such source exists (a very old
 * browser, an odd sandbox): the caller then lets the API mint one. Never throws.
 *
 * Each byte gives the symbol of its low six bits (256 = 4 × 64, so no modulo bias) in the
 * click-ID alphabet, ordered `A–Z a–z 0–9 _ -`: computed from the character codes rather
 * than spelled out, which keeps 64 characters of text out of the browser bundle.
 *
 * @example
 * ```ts
 * const clickId = mintClickId() // e.g. 'V1StGXR8_Z5jdHi6B-myTq'
 * ```
 */
export function mintClickId(
  random: Pick<Crypto, 'getRandomValues'> | undefined = globalThis.crypto,
): string | undefined {
  try {
    let id = ''
    for (let byte of random!.getRandomValues(new Uint8Array(MINTED_CLICK_ID_LENGTH)))
      id += String.fromCharCode(
        // biome-ignore lint/suspicious/noAssignInExpressions: computing the symbol inline keeps the browser bundle smaller (measured)
        (byte &= 63) < 26 ? byte + 65 : byte < 52 ? byte + 71 : byte < 62 ? byte - 4 : byte < 63 ? 95 : 45,
      )
    return id
  } catch {
    return undefined
  }
}
