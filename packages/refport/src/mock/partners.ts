/**
 * The partners the mock API knows: who a click's answer names, with which picture and
 * which discount. Configured from code (`startMockRefportApi({ partners })`,
 * `mock.setPartners()`), over HTTP (`POST /__mock/partners`) and from the CLI.
 */
import { isPartnerKey, type Discount, type PagePartner } from '@refport/contract'

/**
 * One partner of the mock, as a test configures it. Only `key` is required; the rest
 * default to what the API answers for a partner with no profile.
 *
 * @example
 * ```ts
 * const jane: MockPartner = {
 *   key: 'jane',
 *   name: 'Jane Doe',
 *   avatarUrl: 'https://cdn.acme.com/jane.png',
 *   discount: { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 },
 * }
 * await startMockRefportApi({ partners: [jane] })
 * ```
 */
export interface MockPartner {
  /** Partner key, as in `?via=jane`. */
  key: string
  /** Display name; default the key. */
  name?: string
  /** `https` URL of the partner's picture; default `null`. */
  avatarUrl?: string | null
  /** Discount the partner's link gives; default `null` (none). */
  discount?: Discount | null
}

/**
 * The partners of a mock: a list of keys or {@link MockPartner}s, or a record from key to
 * profile. Only these keys are accepted then: a click for any other is a `404`.
 *
 * @example
 * ```ts
 * const keysOnly: MockPartners = ['jane', 'bob']
 * const byKey: MockPartners = { jane: { name: 'Jane Doe', discount: { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: null } } }
 * const mixed: MockPartners = ['bob', { key: 'jane', name: 'Jane Doe' }]
 * ```
 */
export type MockPartners = ReadonlyArray<string | MockPartner> | Readonly<Record<string, Omit<MockPartner, 'key'>>>

/** Longest partner name and discount code the mock accepts, in characters. */
const MAX_TEXT_LENGTH = 255
/** Longest avatar URL. */
const MAX_URL_LENGTH = 2048

/** A validated partner list: key → the partner as a click answer shows it. */
export type PartnerDirectory = ReadonlyMap<string, PagePartner>

/** Result of {@link parsePartners}: the directory, or what is wrong with the input. */
export type PartnersParse = { ok: true; partners: PartnerDirectory } | { ok: false; problem: string }

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks partners coming from code, `POST /__mock/partners` or a `--partners` file, and
 * fills in the defaults. Names, URLs and codes end up on pages under test: they are held
 * to what the real API would serve, so a test never passes on data production cannot send.
 */
export function parsePartners(input: unknown): PartnersParse {
  const entries: [string, unknown][] = []
  if (Array.isArray(input)) {
    for (const [index, item] of input.entries()) {
      if (typeof item === 'string') entries.push([item, {}])
      else if (isPlainObject(item)) entries.push([item.key as string, item])
      else
        return {
          ok: false,
          problem: `partners[${index}] must be a partner key or an object { key, name, avatarUrl, discount }`,
        }
    }
  } else if (isPlainObject(input)) {
    for (const [key, profile] of Object.entries(input)) entries.push([key, profile ?? {}])
  } else {
    return {
      ok: false,
      problem:
        'partners must be a list such as ["jane", { "key": "bob", "name": "Bob" }] or a record such as { "jane": { "name": "Jane Doe" } }',
    }
  }

  const partners = new Map<string, PagePartner>()
  for (const [key, profile] of entries) {
    if (!isPartnerKey(key))
      return { ok: false, problem: `partner key ${JSON.stringify(key)} must be 1–128 characters of A–Z a–z 0–9 _ -` }
    if (partners.has(key)) return { ok: false, problem: `partner ${key} is listed twice` }
    const parsed = parseProfile(key, profile)
    if (typeof parsed === 'string') return { ok: false, problem: parsed }
    partners.set(key, parsed)
  }
  return { ok: true, partners }
}

/** The answer's partner and discount for `key` when the mock has no list: the key is all it knows. */
export const defaultPartner = (key: string): PagePartner => ({ key, name: key, avatarUrl: null, discount: null })

function parseProfile(key: string, profile: unknown): PagePartner | string {
  if (!isPlainObject(profile)) return `partner ${key} must be an object { name, avatarUrl, discount }`
  const { name, avatarUrl, discount } = profile
  const partner = defaultPartner(key)
  if (name != null) {
    if (typeof name !== 'string' || !name.trim() || name.length > MAX_TEXT_LENGTH)
      return `partner ${key}: name must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters`
    partner.name = name
  }
  if (avatarUrl != null) {
    // https only: a page shows this picture, and an http one is mixed content on an https site.
    if (typeof avatarUrl !== 'string' || avatarUrl.length > MAX_URL_LENGTH || !isHttpsUrl(avatarUrl))
      return `partner ${key}: avatarUrl must be an https URL or null`
    partner.avatarUrl = avatarUrl
  }
  if (discount != null) {
    const parsed = parseDiscount(key, discount)
    if (typeof parsed === 'string') return parsed
    partner.discount = parsed
  }
  return partner
}

function parseDiscount(key: string, discount: unknown): Discount | string {
  const where = `partner ${key}: discount`
  if (!isPlainObject(discount)) return `${where} must be an object { code, amount, type, durationMonths } or null`
  const { code, amount, type, durationMonths } = discount
  if (typeof code !== 'string' || !code.trim() || code.length > MAX_TEXT_LENGTH)
    return `${where}.code must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters`
  if (type !== 'percentage' && type !== 'flat') return `${where}.type must be 'percentage' or 'flat'`
  if (type === 'percentage' && !(typeof amount === 'number' && amount > 0 && amount <= 100))
    return `${where}.amount must be a percentage above 0 and at most 100`
  // A flat amount is in the currency's minor unit, like every amount on the wire.
  if (type === 'flat' && !(Number.isSafeInteger(amount) && (amount as number) > 0))
    return `${where}.amount must be a positive integer in the currency's minor unit (500 for $5.00)`
  if (durationMonths != null && !(Number.isSafeInteger(durationMonths) && (durationMonths as number) > 0))
    return `${where}.durationMonths must be a positive whole number of months, or null`
  return { code, amount: amount as number, type, durationMonths: (durationMonths as number | null | undefined) ?? null }
}

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:' && !/\s/.test(value)
  } catch {
    return false
  }
}

/**
 * The partners a running mock knows, swappable at run time: without a list, any
 * well-formed key is a partner named after its key, as a fresh test workspace would answer.
 */
export class PartnerBook {
  private partners: PartnerDirectory | undefined

  /** `undefined` accepts any well-formed key. @throws TypeError for invalid partners. */
  constructor(partners: unknown) {
    const problem = this.set(partners)
    if (problem) throw new TypeError(`refport mock: ${problem}`)
  }

  /** Replaces the list (`undefined`: any key); returns what is wrong instead, changing nothing. */
  set(input: unknown): string | null {
    if (input === undefined) {
      this.partners = undefined
      return null
    }
    const parsed = parsePartners(input)
    if (!parsed.ok) return parsed.problem
    this.partners = parsed.partners
    return null
  }

  /** The partner for `key`, or `undefined` when a list is set and `key` is not on it. */
  find(key: string): PagePartner | undefined {
    const partner = this.partners ? this.partners.get(key) : defaultPartner(key)
    return partner && structuredClone(partner)
  }

  /** The configured partners, or `null` when any key is accepted. */
  list(): PagePartner[] | null {
    return this.partners ? structuredClone([...this.partners.values()]) : null
  }

  /** For error messages: which keys a click may name. */
  describe(): string {
    const keys = this.partners ? [...this.partners.keys()] : []
    return keys.length ? keys.map((key) => JSON.stringify(key)).join(', ') : 'no partner'
  }
}
