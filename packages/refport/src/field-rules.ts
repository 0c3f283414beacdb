/**
 * Field checks shared by the lead and sale rules ({@link ./lead-validation},
 * {@link ./sale-validation}), so both events hold text, absence and metadata to one standard.
 */

/** Longest event name, customer ID, name or invoice ID, in characters. */
export const MAX_TEXT_LENGTH = 255
/** Largest `metadata`, measured as its JSON text. */
export const MAX_METADATA_JSON_LENGTH = 10_000

/** A non-blank string of at most `max` characters. */
export const isText = (value: unknown, max: number = MAX_TEXT_LENGTH): value is string =>
  typeof value === 'string' && value.trim().length > 0 && value.length <= max

/**
 * `null`, `undefined` and a blank string all mean "not given": user records hold `null` or
 * `''` for a missing name, image or email (a phone-only sign-up often has `email: ''`).
 * Refusing such a field would throw away the whole event for a detail it does not need.
 */
export const absent = (value: unknown): boolean => value == null || (typeof value === 'string' && value.trim() === '')

export const isPlainObject = (value: unknown): value is Record<string, unknown> => {
  if (typeof value !== 'object' || value === null) return false
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

/** Why `metadata` (given, not null) cannot be sent, or `null` when it can. */
export function metadataProblem(metadata: unknown): string | null {
  if (!isPlainObject(metadata)) return 'metadata must be a plain object'
  let json: string
  try {
    json = JSON.stringify(metadata)
  } catch {
    // Cycles and BigInt values make JSON.stringify throw.
    return 'metadata must be JSON-serialisable (no cycles, no BigInt)'
  }
  if (json.length > MAX_METADATA_JSON_LENGTH)
    return `metadata must be at most ${MAX_METADATA_JSON_LENGTH} characters as JSON`
  return null
}
