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
    for (const p of ['/', path])
      try {
        if (p) document.cookie = serializeClickIdCookie('', { domain: d, path: p })
      } catch {
        // An invalid cookieOptions.domain or .path: skip that variant, clear the others.
      }
}

/** Test cookie used to find the registrable domain; removed at once. */
const PROBE = 'refp_probe'

/**
 * Finds the registrable domain (eTLD+1) by writing a test cookie on each parent domain,
 * shortest first: browsers refuse public suffixes (`com`, `co.uk`, `github.io`;
 * RFC 6265 §5.3 step 5), so the first one that sticks is the site's own and no
 * public-suffix list ships in the script. The test cookie has `Path=/` so it is visible
 * here whatever `cookieOptions.path` says; `undefined` (host-only) when nothing sticks,
 * as on localhost and IP addresses.
 */
function probeDomain(): string | undefined {
  return domainCandidates(location.hostname).find((domain) => {
    document.cookie = serializeClickIdCookie('1', { domain, expiresInDays: 1 / 86400 }, PROBE)
    // A refused test cookie left nothing behind to remove.
    if (readClickIdCookie(document.cookie, PROBE) != '1') return false
    document.cookie = serializeClickIdCookie('', { domain }, PROBE)
    return true
  })
}

/**
 * Stores a validated click ID on `cookieOptions.domain` or the probed registrable domain,
 * first clearing an existing one from every variant so an older one on another Domain
 * cannot shadow it.
 */
export function writeClickId(clickId: string, options: RefportCookieOptions = {}): void {
  // Each cookie write costs main-thread time; a first landing has nothing to clear.
  if (readClickId()) clearClickId(options)
  document.cookie = serializeClickIdCookie(clickId, {
    ...options,
    domain: options.domain || probeDomain(),
    // Secure only where it can be honoured: browsers drop Secure cookies set from http pages.
    secure: location.protocol == 'https:',
  })
}
