/** Reading `Set-Cookie` values back in tests. */

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

/** `Set-Cookie` values that expire cookie `name`, as `domain|path` keys (`host-only|/`). */
export function expiredVariants(setCookies: readonly string[], name = 'refp_id'): string[] {
  return setCookies
    .map(parseSetCookie)
    .filter((c) => c.name == name && c.value == '' && c.attributes['max-age'] == '0')
    .map((c) => `${c.attributes['domain'] ?? 'host-only'}|${c.attributes['path']}`)
    .sort()
}
