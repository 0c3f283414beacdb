/**
 * The companion cookies of `refp_id`: {@link PENDING_CLICK_COOKIE} (a click the API has
 * not confirmed yet) and {@link PARTNER_COOKIE} (who referred the visitor, for the page).
 *
 * Values are fields, each percent-encoded with `encodeURIComponent` and joined by `|`
 * (which that encoding always escapes): never raw JSON, and nothing a cookie value cannot
 * hold (RFC 6265 §4.1.1). Each value starts with the click ID it belongs to and counts only
 * while that ID is the one in `refp_id`: a later landing, a server-set cookie or a restore
 * makes an older companion inert without a single extra cookie write. Everything read back
 * is validated again, since a sibling subdomain can write any value under these names.
 */
import { PARTNER_COOKIE, PENDING_CLICK_COOKIE, isClickId, isPartnerKey, readClickIdCookie } from './cookie'
import type { Discount, PagePartner, Partner } from './wire'

/**
 * A click stored in `refp_id` whose registration the API has not confirmed yet.
 *
 * @example
 * ```ts
 * const pending: PendingClick = { clickId: 'V1StGXR8_Z5jdHi6B-myTq', key: 'jane', previous: null }
 * ```
 */
export interface PendingClick {
  /** The click ID in `refp_id`, sent again as is: the API counts an ID once. */
  clickId: string
  /** The partner key of the landing (`?via=`). */
  key: string
  /** The click ID `refp_id` held before, restored if the API rejects this click; `null` if none. */
  previous: string | null
}

/** `fields` percent-encoded and joined by `|`; `null` / `undefined` become empty. */
const encodeFields = (fields: unknown[]): string =>
  fields.map((field) => encodeURIComponent((field ?? '') as string)).join('|')

/**
 * The decoded fields of companion cookie `name` when its first field is the click ID in
 * `refp_id`, else none (absent cookie, another click's). Throws only on a malformed escape,
 * which the readers below turn into `null`: the common case, a page with no companion,
 * raises no exception (each one builds an error and a stack trace on the main thread).
 */
function companionFields(cookieHeader: string, name: string): string[] {
  const fields =
    // biome-ignore lint/suspicious/noNonNullAssertedOptionalChain: a match always has group 1; the optional chain is for no match
    new RegExp('(?:^|;)\\s*' + name + '=([^;\\s]*)').exec(cookieHeader)?.[1]!.split('|').map(decodeURIComponent) || []
  return fields[0] == readClickIdCookie(cookieHeader) ? fields : []
}

/**
 * The value of {@link PENDING_CLICK_COOKIE} for `click`.
 *
 * @example
 * ```ts
 * serializePendingClick({ clickId: 'V1StGXR8_Z5jdHi6B-myTq', key: 'jane', previous: null })
 * // 'V1StGXR8_Z5jdHi6B-myTq|jane|'
 * ```
 */
export const serializePendingClick = ({ clickId, key, previous }: PendingClick): string =>
  encodeFields([clickId, key, previous])

/**
 * The unconfirmed click in a `Cookie` header (or `document.cookie`): only when
 * {@link PENDING_CLICK_COOKIE} names the click ID that `refp_id` holds and every field is
 * valid; `null` otherwise. Never throws.
 *
 * @example
 * ```ts
 * readPendingClick('refp_id=abc; refp_pending=abc|jane|') // { clickId: 'abc', key: 'jane', previous: null }
 * ```
 */
export function readPendingClick(cookieHeader: string): PendingClick | null {
  try {
    const [clickId, key, previous] = companionFields(cookieHeader, PENDING_CLICK_COOKIE)
    if (isPartnerKey(key) && (!previous || isClickId(previous)))
      return { clickId: clickId!, key, previous: previous || null }
  } catch {}
  return null
}

/** Display names: plain text, no control characters and no markup brackets. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class lists the control characters a name may not hold
const NAME = /^[^\0-\x1f\x7f<>]{1,100}$/

/** Discount codes: what a checkout accepts as a promotion code. */
const CODE = /^[\w-]{1,64}$/

/** Avatars: an absolute https URL with nothing that could leave an attribute or a CSS `url()`. */
const AVATAR = /^https:\/\/[^\0-\x20\x7f"'<>\\`()]{1,500}$/

const matches = (pattern: RegExp, value: unknown): value is string => typeof value == 'string' && pattern.test(value)

/**
 * A {@link PagePartner} from a click answer's `partner` and `discount`, or `null` when
 * anything in them is not what the API contract promises: a key outside the click-ID
 * alphabet, a name that is empty, over 100 characters or holds `<`, `>` or a control
 * character, an avatar that is not an https URL, a discount with a malformed code, a
 * non-positive amount, more than 100 percent, a fractional flat amount or an unknown type.
 * Unknown fields are dropped. Never throws.
 *
 * @example
 * ```ts
 * toPagePartner({ key: 'jane', name: 'Jane Doe', avatarUrl: null }, null)
 * // { key: 'jane', name: 'Jane Doe', avatarUrl: null, discount: null }
 * toPagePartner({ key: 'jane', name: '<img src=x onerror=alert(1)>', avatarUrl: null }, null) // null
 * ```
 */
export function toPagePartner(partner: unknown, discount: unknown): PagePartner | null {
  try {
    const { key, name, avatarUrl = null } = partner as Partner
    const { code, amount, type, durationMonths = null } = (discount || {}) as Discount
    if (
      isPartnerKey(key) &&
      matches(NAME, name) &&
      (avatarUrl === null || matches(AVATAR, avatarUrl)) &&
      (discount == null ||
        (matches(CODE, code) &&
          Number.isFinite(amount) &&
          amount > 0 &&
          (type == 'percentage' ? amount <= 100 : type == 'flat' && Number.isSafeInteger(amount)) &&
          (durationMonths === null ||
            (Number.isSafeInteger(durationMonths) && durationMonths > 0 && durationMonths < 1200))))
    )
      return { key, name, avatarUrl, discount: discount == null ? null : { code, amount, type, durationMonths } }
  } catch {}
  return null
}

/**
 * The value of {@link PARTNER_COOKIE} for the confirmed click `clickId`.
 *
 * @example
 * ```ts
 * serializePagePartner('abc', { key: 'jane', name: 'Jane Doe', avatarUrl: null, discount: null })
 * // 'abc|jane|Jane%20Doe|||||'
 * ```
 */
export const serializePagePartner = (clickId: string, { key, name, avatarUrl, discount }: PagePartner): string =>
  encodeFields([
    clickId,
    key,
    name,
    avatarUrl,
    discount?.code,
    discount?.amount,
    discount?.type,
    discount?.durationMonths,
  ])

/**
 * The partner of the click in `refp_id`, from a `Cookie` header (or `document.cookie`),
 * validated as {@link toPagePartner} does; `null` when there is none, it belongs to another
 * click, or anything in it is invalid. Never throws.
 *
 * @example
 * ```ts
 * readPagePartner(document.cookie)?.name // 'Jane Doe'
 * ```
 */
export function readPagePartner(cookieHeader: string): PagePartner | null {
  try {
    const [, key, name, avatarUrl, code, amount, type, months] = companionFields(cookieHeader, PARTNER_COOKIE)
    return toPagePartner(
      { key, name, avatarUrl: avatarUrl || null },
      code ? { code, amount: +amount!, type, durationMonths: months ? +months : null } : null,
    )
  } catch {
    return null
  }
}
