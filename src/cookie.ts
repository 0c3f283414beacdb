import { domainCandidates, readClickIdCookie, serializeClickIdCookie } from '@refport/contract'
import type { RefportCookieOptions } from './options'

/** The stored, validated click ID, or `null` (also where cookies are blocked or on the server). */
export function readClickId(): string | null {
  try {
    return readClickIdCookie(document.cookie)
  } catch {
    return null // no document, or a sandboxed iframe's SecurityError on `document.cookie`
  }
}

/**
 * Expires `refp_id` on every Domain and Path this tracker could have written it with:
 * a cookie is only replaced or removed by one with the same name, Domain and Path
 * (RFC 6265 §5.3 step 11), so a clear that misses a variant clears nothing.
 */
export function clearClickId({ domain, path }: RefportCookieOptions = {}): void {
  for (const d of [undefined, domain, ...domainCandidates(location.hostname)])
    for (const p of ['/', path]) if (p) document.cookie = serializeClickIdCookie('', { domain: d, path: p })
}

/**
 * Stores a validated click ID, first clearing it from every variant so an older one on
 * another Domain cannot shadow it.
 *
 * Without `cookieOptions.domain` the cookie goes on the registrable domain (eTLD+1),
 * found by probing: it is written on each parent domain, shortest first, until the
 * browser keeps it. Browsers refuse public suffixes (`com`, `co.uk`, `github.io`;
 * RFC 6265 §5.3 step 5), so the first Domain that sticks is the site's own and no
 * public-suffix list ships in the script. The probe is the real cookie: a refused write
 * leaves nothing behind, so there is no test cookie to clean up. Host-only when nothing
 * sticks (localhost, IP addresses).
 */
export function writeClickId(clickId: string, options: RefportCookieOptions = {}): void {
  clearClickId(options)
  const write = (domain?: string): boolean => {
    // Secure only where it can be honoured: browsers drop Secure cookies set from http pages.
    document.cookie = serializeClickIdCookie(clickId, { ...options, domain, secure: location.protocol == 'https:' })
    return readClickId() == clickId
  }
  if (options.domain) write(options.domain)
  else domainCandidates(location.hostname).find(write) || write()
}
