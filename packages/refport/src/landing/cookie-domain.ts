/**
 * The `Domain` of the refp_id cookie a server sets: the registrable domain of the page's
 * host (eTLD+1), from the Public Suffix List. Browsers refuse a Domain that is a public
 * suffix (RFC 6265 §5.3 step 5) and use the same list, private section included
 * (`github.io`, `vercel.app`), so this is the Domain the browser tracker's probe settles
 * on too, and the server re-issues the tracker's cookie instead of writing a second one.
 */
import { getDomain, parse } from 'tldts'

/**
 * The Domain attribute for a cookie on `hostname` (as `hostnameOf` gives it: lowercase, no
 * port, an IPv6 literal in brackets), or `undefined` for a host-only cookie.
 *
 * Host-only where no Domain can be right: `localhost` and other single-label names
 * (browsers reject `Domain=localhost`), IP addresses (RFC 6265 §5.1.3: matching an IP is
 * exact), a host that is itself a public suffix (`github.io`), and anything that is not a
 * host name at all. `override` (the `cookieDomain` option) wins when it is a parent of, or
 * equal to, `hostname`; a Domain the browser would reject for this host is not sent.
 */
export function cookieDomainFor(hostname: string, override?: string): string | undefined {
  // RFC 1035 §2.3.4: a name longer than 253 characters cannot exist; it comes from a
  // hostile Host header, and no Domain is derived from it.
  if (!hostname || hostname.length > 253 || hostname.startsWith('[') || hostname.includes(':')) return undefined
  if (override) {
    const domain = override.replace(/^\./, '').toLowerCase()
    return hostname === domain || hostname.endsWith(`.${domain}`) ? domain : undefined
  }
  const parsed = parse(hostname, { allowPrivateDomains: true })
  if (parsed.isIp || !parsed.hostname || !hostname.includes('.')) return undefined
  return getDomain(hostname, { allowPrivateDomains: true }) ?? undefined
}
