import { clickIdCookieVariants, domainCandidates, readClickIdCookie, serializeClickIdCookie } from '@refport/contract'
import type { RefportCookieOptions } from './options'

/** `document.cookie`, or `''` where reading it throws (a sandboxed iframe's SecurityError) or on the server. */
export function readCookies(): string {
  try {
    return document.cookie
  } catch {
    return ''
  }
}

/** The stored, validated click ID, or `null` (also where cookies are blocked or on the server). */
export const readClickId = (): string | null => readClickIdCookie(readCookies())

/**
 * Expires cookie `names` on every Domain and Path this tracker could have written them with:
 * a cookie is only replaced or removed by one with the same name, Domain and Path
 * (RFC 6265 §5.3 step 11), so a clear that misses a variant clears nothing.
 */
export function clearCookies(names: string[], options?: RefportCookieOptions | null): void {
  for (const name of names)
    for (const variant of clickIdCookieVariants(location.hostname, options || {})) writeCookie(name, '', variant)
}

/**
 * Writes one cookie; an invalid `cookieOptions.domain` or `.path` (the contract refuses to
 * serialize it) skips that write and leaves the others alone.
 */
export function writeCookie(name: string, value: string, options: RefportCookieOptions = {}): void {
  try {
    document.cookie = serializeClickIdCookie(value, { ...options, secure: location.protocol == 'https:' }, name)
  } catch {}
}

/** Test cookie used to find the registrable domain; removed at once. */
const PROBE = 'refp_probe'

/**
 * Finds the registrable domain (eTLD+1) by writing a test cookie on each parent domain,
 * shortest first: browsers refuse public suffixes (`com`, `co.uk`, `github.io`;
 * RFC 6265 §5.3 step 5), so the first one that sticks is the site's own and no
 * public-suffix list ships in the script. The test cookie has `Path=/` so it is visible
 * here whatever `cookieOptions.path` says; `undefined` (host-only) when nothing sticks,
 * as on localhost and IP addresses. Each probe is a write and a read of `document.cookie`
 * (main-thread time): call it once per page at most.
 */
function probeDomain(): string | undefined {
  return domainCandidates(location.hostname).find((domain) => {
    writeCookie(PROBE, '1', { domain, expiresInDays: 1 / 86400 })
    // A refused test cookie left nothing behind to remove.
    if (readClickIdCookie(readCookies(), PROBE) != '1') return false
    writeCookie(PROBE, '', { domain })
    return true
  })
}

/**
 * The cookie options every write of this page uses: `cookieOptions` with the Domain set
 * (`cookieOptions.domain`, or the probed registrable domain). `Secure` is added per write,
 * only on https: browsers drop Secure cookies set from http pages.
 */
export const siteCookieOptions = (options?: RefportCookieOptions | null): RefportCookieOptions => ({
  ...options,
  domain: options?.domain || probeDomain(),
})
