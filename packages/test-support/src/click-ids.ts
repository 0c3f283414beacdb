/**
 * What a click ID looks like, for assertions: always the contract's own rules
 * (`isClickId`, `MINTED_CLICK_ID_LENGTH` from `@refport/contract`), never a second regex.
 */
import { MINTED_CLICK_ID_LENGTH, isClickId } from '@refport/contract'

/**
 * True for a click ID as `mintClickId()` makes them: the contract's format, exactly
 * `MINTED_CLICK_ID_LENGTH` characters. Use as `expect(id).toSatisfy(isMintedClickId)` or
 * `expect.toSatisfy(isMintedClickId)`.
 */
export const isMintedClickId = (value: unknown): value is string =>
  isClickId(value) && value.length === MINTED_CLICK_ID_LENGTH

export { isClickId }
