/** Reading `Set-Cookie` values back in tests of `refport` and `@refport/better-auth` (not published). */

/** Parsed attributes of one `Set-Cookie` value, names lowercased. */
export interface ParsedSetCookie {
  name: string
  value: string
  attributes: Record<string, string | true>
}

/** Splits a `Set-Cookie` value (RFC 6265 §5.2) into name, value and attributes. */
export function parseSetCookie(header: string): ParsedSetCookie {
  const [pair = '', ...rest] = header.split(';')
  const eq = pair.indexOf('=')
  const attributes: Record<string, string | true> = {}
  for (const part of rest) {
    const i = part.indexOf('=')
    if (i < 0) attributes[part.trim().toLowerCase()] = true
    else attributes[part.slice(0, i).trim().toLowerCase()] = part.slice(i + 1).trim()
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes }
}

/**
 * True when a browser deletes the cookie on receipt: RFC 6265 §5.2.2 turns a Max-Age of
 * zero or less into "the earliest representable time"; otherwise a past Expires (§5.2.1)
 * does it. Max-Age wins over Expires when both are present (§5.3 step 3).
 */
export function isExpiry(cookie: ParsedSetCookie): boolean {
  const maxAge = cookie.attributes['max-age']
  if (typeof maxAge === 'string') return /^-?\d+$/.test(maxAge) && Number(maxAge) <= 0
  const expires = cookie.attributes.expires
  return typeof expires === 'string' && Date.parse(expires) <= Date.now()
}

/** `Set-Cookie` values that expire cookie `name`, as sorted `domain|path` keys (`host-only|/`). */
export function expiredVariants(setCookies: readonly string[], name = 'refp_id'): string[] {
  return setCookies
    .map(parseSetCookie)
    .filter((c) => c.name === name && c.value === '' && isExpiry(c))
    .map((c) => `${c.attributes.domain ?? 'host-only'}|${c.attributes.path}`)
    .sort()
}
