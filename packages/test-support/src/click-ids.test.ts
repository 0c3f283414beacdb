import { describe, expect, it } from 'vitest'
import { MINTED_CLICK_ID_LENGTH, mintClickId } from '@refport/contract'
import { isMintedClickId } from './click-ids'

describe('isMintedClickId', () => {
  it('accepts what mintClickId() mints', () => {
    for (let i = 0; i < 100; i++) expect(mintClickId()).toSatisfy(isMintedClickId)
  })

  it.each([
    ['one character short', 'a'.repeat(MINTED_CLICK_ID_LENGTH - 1)],
    ['one character long', 'a'.repeat(MINTED_CLICK_ID_LENGTH + 1)],
    ['a character outside A–Z a–z 0–9 _ -', `${'a'.repeat(MINTED_CLICK_ID_LENGTH - 1)}.`],
    ['not a string', 42],
    ['null', null],
  ])('rejects %s', (_, value) => {
    expect(isMintedClickId(value)).toBe(false)
  })
})
