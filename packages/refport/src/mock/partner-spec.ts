/**
 * The `refport-mock` command line's partner syntax, so a shell can configure partners
 * without a file: `--partner key[:name[:discount[:code[:months]]]]`.
 */
import type { MockPartner } from './partners'

/** The syntax, for usage and error messages. */
export const PARTNER_SPEC_SYNTAX = 'key[:name[:discount[:code[:months]]]]'

/**
 * Reads one `--partner` value. `discount` is `20%` (percent off) or `500` (a flat amount in
 * the currency's minor unit); a discount needs its `code`. Empty parts take the default, so
 * `jane::10%:JANE10` keeps the name `jane`. The rest (key format, ranges) is checked with
 * the JS API's own rules afterwards.
 *
 * @example `jane:Jane Doe:20%:JANE20:3` → Jane Doe, 20 % off with code JANE20 for 3 months.
 * @returns the partner, or a message saying what is wrong.
 */
export function parsePartnerSpec(spec: string): MockPartner | string {
  const parts = spec.split(':')
  if (parts.length > 5)
    return `--partner ${JSON.stringify(spec)} has too many ':' parts; use ${PARTNER_SPEC_SYNTAX}, or --partners <file.json> for a name or URL with ':' in it`
  const [key = '', name, discount, code, months] = parts
  const partner: MockPartner = { key }
  if (name) partner.name = name
  if (!discount) {
    if (code || months)
      return `--partner ${JSON.stringify(spec)} gives a code or months without a discount; use ${PARTNER_SPEC_SYNTAX}`
    return partner
  }
  const match = /^(\d+(?:\.\d+)?)(%?)$/.exec(discount)
  if (!match)
    return `--partner ${JSON.stringify(spec)}: the discount must be a percentage such as 20% or a flat amount in minor units such as 500`
  if (!code)
    return `--partner ${JSON.stringify(spec)}: a discount needs its code, e.g. ${key}:${name ?? ''}:${discount}:${key.toUpperCase()}${match[1]}`
  if (months !== undefined && months !== '' && !/^\d+$/.test(months))
    return `--partner ${JSON.stringify(spec)}: months must be a whole number, or left out for once/forever`
  partner.discount = {
    code,
    amount: Number(match[1]),
    type: match[2] ? 'percentage' : 'flat',
    durationMonths: months ? Number(months) : null,
  }
  return partner
}
