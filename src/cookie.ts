import { domainCandidates, readClickIdCookie, serializeClickIdCookie } from '@refport/contract'
import type { RefportCookieOptions } from './options'

/** Test cookie used to find the registrable domain; lives for a second at most. */
const PROBE = 'refp_probe'

/** The stored, validated click ID, or `null` (also where cookies are blocked). */
export function readClickId(): string | null {
  try {
    return readClickIdCookie(document.cookie)
  } catch {
    return null // sandboxed iframes throw a SecurityError on `document.cookie`
  }
}

/**
 * Finds the registrable domain (eTLD+1) by writing a test cookie on each parent domain,
 * shortest first: browsers refuse public suffixes (`com`, `co.uk`, `github.io`), so the
 * first one that sticks is the site's own. No public-suffix list ships in the script.
 */
function probeDomain(hostname: string): string | undefined {
  return domainCandidates(hostname).find((domain) => {
    document.cookie = serializeClickIdCookie('1', { domain, expiresInDays: 1 / 86400 }, PROBE)
    const accepted = readClickIdCookie(document.cookie, PROBE) == '1'
    document.cookie = serializeClickIdCookie('', { domain, expiresInDays: 0 }, PROBE)
    return accepted
  })
}

/**
 * Expires `refp_id` on every Domain and Path this tracker could have written it with:
 * a cookie is only replaced or removed by one with the same name, Domain and Path
 * (RFC 6265 §5.3 step 11), so a clear that misses a variant clears nothing.
 */
export function clearClickId({ domain, path }: RefportCookieOptions = {}): void {
  for (const d of [undefined, domain, ...domainCandidates(location.hostname)])
    for (const p of ['/', path]) if (p) document.cookie = serializeClickIdCookie('', { domain: d, path: p, expiresInDays: 0 })
}

/** Stores a validated click ID, replacing any earlier one on whichever variant it sat. */
export function writeClickId(clickId: string, options: RefportCookieOptions = {}): void {
  clearClickId(options)
  document.cookie = serializeClickIdCookie(clickId, {
    ...options,
    domain: options.domain || probeDomain(location.hostname),
    // Secure only where it can be honoured: browsers drop Secure cookies set from http pages.
    secure: location.protocol == 'https:',
  })
}
