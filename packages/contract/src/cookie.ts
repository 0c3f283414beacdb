/**
 * The refp_id cookie contract: its name, the click-ID format, its attributes, how it is
 * read from a `Cookie` header (or `document.cookie`, which has the same shape) and how a
 * `Set-Cookie` / `document.cookie` string for it is built.
 *
 * The browser tracker, the React wrapper, the server SDK and the Better Auth plugin all
 * import this module; nothing else in the repository knows these rules. Code here runs in
 * the browser bundle too, so every byte counts: no classes, no dependencies.
 */

/**
 * Name of the first-party cookie that holds the click ID.
 *
 * @example
 * ```ts
 * const clickId = (await cookies()).get(CLICK_ID_COOKIE)?.value
 * ```
 */
export const CLICK_ID_COOKIE = 'refp_id'

/**
 * Landing-URL parameter carrying a click ID minted by a Refport short link.
 *
 * @example
 * ```ts
 * new URL(location.href).searchParams.get(CLICK_ID_PARAM) // 'cl_7Hq2Lk' on /?refp_id=cl_7Hq2Lk
 * ```
 */
export const CLICK_ID_PARAM = CLICK_ID_COOKIE

/**
 * Default lifetime of the cookie, in days.
 *
 * @example
 * ```ts
 * serializeClickIdCookie('cl_1') // '…; Max-Age=7776000; …' (90 days)
 * ```
 */
export const DEFAULT_EXPIRES_IN_DAYS = 90

const DAY_SECONDS = 86400

declare const __REFPORT_DEBUG__: boolean | undefined

/**
 * False only in the browser tracker's production builds, which define `__REFPORT_DEBUG__`
 * as `false`: there every error thrown here is caught and dropped unread, so its text is
 * bytes a visitor downloads for nothing. The server and the debug build keep every message.
 */
const MESSAGES: boolean = typeof __REFPORT_DEBUG__ == 'undefined' || __REFPORT_DEBUG__

/**
 * A click ID is 1–128 characters of `A–Z a–z 0–9 _ -`. This alphabet needs no encoding in
 * a cookie value (RFC 6265 §4.1.1 cookie-octet), a header or a URL, so a value that
 * passes can be written anywhere as is; anything else is rejected, never escaped.
 */
const CLICK_ID = /^[\w-]{1,128}$/

/**
 * True when `value` is a well-formed click ID.
 *
 * @example
 * ```ts
 * isClickId('cl_7Hq2Lk') // true
 * isClickId('a;Domain=evil.test') // false
 * ```
 */
export const isClickId = (value: unknown): value is string => typeof value == 'string' && CLICK_ID.test(value)

/**
 * Cookie names we read and write: the click-ID alphabet, a subset of the RFC 6265 §4.1.1
 * token that needs no escaping anywhere (not in a header, not in a RegExp).
 */
export const isCookieName: (value: unknown) => value is string = isClickId

/**
 * Partner keys (`?via=jane`) use the click-ID alphabet too: they are echoed into a JSON
 * body and a URL, and a key outside it is a typo or an attack, never a partner.
 */
export const isPartnerKey: (value: unknown) => value is string = isClickId

/**
 * Name, value, Domain and Path of a cookie to write, as the text that will be written,
 * joined with spaces (an absent Domain is empty): the name a token in the click-ID
 * alphabet, the value a click ID or empty (to expire it), the Domain host-name characters
 * only, the Path RFC 6265 §4.1.1 av-octet minus `;`, starting with `/`. No part can hold a
 * space, so the line splits one way only; and no part can hold `;`, whitespace or a line
 * break, so none can start a new attribute or header (§4.1.1: attributes are split on `;`).
 */
const COOKIE_PARTS = /^[\w-]{1,128} [\w-]{0,128} [\w.-]* \/[!-:<-~]*$/

/**
 * {@link COOKIE_PARTS} for a companion cookie (pending click, partner data): its value is
 * fields percent-encoded with `encodeURIComponent` and joined by `|`, which that encoding
 * always escapes. Everything there is an RFC 6265 §4.1.1 cookie-octet (no space, `"`, `,`,
 * `;` or `\\`), so no value can start an attribute; 2,000 characters keep name, value and
 * attributes well inside the 4,096 bytes browsers store per cookie (RFC 6265 §6.1).
 */
const COMPANION_PARTS = /^[\w-]{1,128} [\w.!~*'()%|-]{0,2000} [\w.-]* \/[!-:<-~]*$/

/**
 * Companion cookie of `refp_id` that marks a click the API has not confirmed yet: value
 * `<clickId>|<partnerKey>|<previousClickId>` (see `serializePendingClick`). Same Domain,
 * Path and lifetime as `refp_id`, so every page of the site, on every subdomain, can resend
 * the click; it counts only while its click ID is the one in `refp_id`.
 *
 * @example
 * ```ts
 * readPendingClick(document.cookie) // { clickId, key, previous } or null
 * ```
 */
export const PENDING_CLICK_COOKIE = 'refp_pending'

/**
 * Companion cookie of `refp_id` holding the partner and discount of the confirmed click,
 * encoded field by field (see `serializePagePartner`); it counts only while its click ID
 * is the one in `refp_id`.
 *
 * @example
 * ```ts
 * readPagePartner(document.cookie) // { key, name, avatarUrl, discount } or null
 * ```
 */
export const PARTNER_COOKIE = 'refp_partner'

/** Names whose parts are {@link COMPANION_PARTS}; every other cookie holds a click ID. */
const COMPANION_NAMES = [PENDING_CLICK_COOKIE, PARTNER_COOKIE]

/**
 * Finds the click ID in a `Cookie` header or in `document.cookie`.
 *
 * Looks up one cookie with one regular expression instead of parsing the whole header.
 * Pairs are split on `;` (RFC 6265 §5.4 joins them with `"; "`); whitespace around
 * the name, `=` and value are skipped as RFC 6265 §5.2 does; a value wrapped in double
 * quotes (§4.1.1) is unwrapped. Values are not percent-decoded: a click ID never needs
 * encoding, so an encoded value was not written by Refport and is rejected.
 *
 * Duplicates: when the header carries the name more than once (for example a host-only
 * cookie and a parent-domain one), the **first valid** value wins. Browsers list cookies
 * with longer paths first and then by creation time, oldest first (RFC 6265 §5.4 step 2),
 * and a malformed duplicate tossed in by another subdomain cannot hide a good one.
 *
 * Cookie names follow the click-ID alphabet (see {@link isCookieName}); any other name
 * finds nothing.
 *
 * @returns the validated click ID, or `null`. Never throws.
 */
export function readClickIdCookie(
  cookieHeader: string | null | undefined,
  name: string = CLICK_ID_COOKIE,
): string | null {
  // A new RegExp per call, with no cache of our own: V8 reuses the compiled pattern for an
  // identical source, so a read costs about a microsecond more, and the browser bundle
  // saves the cache's bytes on every page view.
  return typeof cookieHeader == 'string' && isCookieName(name)
    ? (new RegExp('(?:^|;)\\s*' + name + '\\s*=\\s*("?)([\\w-]{1,128})\\1\\s*(?:;|$)').exec(cookieHeader)?.[2] ?? null)
    : null
}

/** Attributes of a refp_id cookie. All optional; the defaults are the contract's. */
export interface ClickIdCookieAttributes {
  /**
   * `Domain` attribute. Omitted → a host-only cookie. The browser tracker sets it to the
   * registrable domain it finds by probing; see {@link domainCandidates}.
   */
  domain?: string
  /** `Path` attribute. Default `/`, so every page of the site sees the cookie. */
  path?: string
  /**
   * Lifetime in days. Default {@link DEFAULT_EXPIRES_IN_DAYS}, at most 400. Anything but a
   * positive number (`0`, negative, `NaN`) falls back to the default: a value is never
   * written already expired. An empty value always expires the cookie.
   */
  expiresInDays?: number
  /** Adds `Secure`; set it whenever the page is served over https. */
  secure?: boolean
}

/**
 * Builds the `name=value; attributes` string for a refp_id cookie, usable as a
 * `Set-Cookie` header value and as an assignment to `document.cookie`.
 *
 * Everything written is validated first: the value must be a click ID (or empty, to
 * expire it; for {@link PENDING_CLICK_COOKIE} and {@link PARTNER_COOKIE}, their encoded
 * value), the name a token, Domain and Path free of `;` and spaces. Anything invalid
 * throws a `TypeError` listing the name, value, domain and path it refused; callers that must not throw (the
 * browser tracker) catch it, so nothing unvalidated is ever written.
 *
 * `SameSite=Lax` keeps the cookie on top-level navigations from a partner's site (the
 * landing itself) while withholding it from cross-site subrequests. An empty `value`
 * expires the cookie with `Max-Age=-1`: RFC 6265 §5.2.2 turns a delta of zero or less
 * into "the earliest representable time", and unlike `Max-Age=0` no user agent can read
 * it as "still valid for this instant". Lifetimes are capped at 400 days, the limit
 * RFC 6265bis §5.6.2 makes browsers enforce anyway.
 */
export function serializeClickIdCookie(
  value: string,
  { domain = '', path = '/', expiresInDays, secure }: ClickIdCookieAttributes = {},
  name: string = CLICK_ID_COOKIE,
): string {
  const parts = [name, value, domain, path].join(' ')
  // A companion's value has an alphabet of its own; every other value is a click ID.
  if (!(COMPANION_NAMES.includes(name) ? COMPANION_PARTS : COOKIE_PARTS).test(parts))
    throw new TypeError(MESSAGES ? 'refport: invalid cookie ' + parts : '')
  return `${name}=${value}; Path=${path}; Max-Age=${
    value ? (Math.min(expiresInDays! > 0 ? expiresInDays! : DEFAULT_EXPIRES_IN_DAYS, 400) * DAY_SECONDS) | 0 : -1
  }${domain ? '; Domain=' + domain : ''}; SameSite=Lax${secure ? '; Secure' : ''}`
}

/**
 * The Domain values a cookie for `hostname` could carry, shortest first, excluding the
 * bare top-level label: `www.acme.co.uk` → `['co.uk', 'acme.co.uk', 'www.acme.co.uk']`.
 *
 * The browser tracker probes them in this order and keeps the first one the browser
 * accepts, which is the registrable domain (eTLD+1): browsers refuse public suffixes such
 * as `co.uk` (RFC 6265 §5.3 step 5), so no suffix list has to ship in the script. Servers
 * clear the cookie on every one of them because they cannot know which one was used.
 *
 * Returns `[]` for hosts on which only a host-only cookie makes sense: single-label names
 * such as `localhost` (RFC 6265 §5.1.3: a Domain must domain-match, and browsers reject
 * `Domain=localhost`) and IP addresses (§5.1.3: domain matching of IPs is exact).
 *
 * `hostname` is taken as `location.hostname` gives it: lowercase, no port, no trailing dot,
 * a name the browser resolved. A server must pass {@link hostnameOf}`(host)`, never a raw
 * `Host` header: the list, and every cookie built from it, grows with the name's labels,
 * and `hostnameOf` is `''` for a name no real site has, so a client-chosen header cannot
 * buy quadratic work. (The check lives there, not here, to keep it out of the browser
 * bundle, where the name always comes from the browser.)
 *
 * @example
 * ```ts
 * domainCandidates('www.acme.com') // ['acme.com', 'www.acme.com']
 * domainCandidates('localhost') // []
 * domainCandidates(hostnameOf('a.'.repeat(300) + 'acme.com')) // [] (no real host is that long)
 * ```
 */
export const domainCandidates = (hostname: string): string[] =>
  /^[\d.]+$|:/.test(hostname)
    ? []
    : hostname
        .split('.')
        .map((_, index, labels) => labels.slice(index).join('.'))
        .reverse()
        .slice(1)

/**
 * Most labels a host name may have before the cookie helpers treat it as made up. DNS
 * allows 127, but sites live a few labels under their registrable domain
 * (`eu.app.acme.co.uk` has 5); a longer name in a `Host` header is a client's choice, not
 * a site, and gets no Domain variants.
 *
 * @example
 * ```ts
 * hostnameOf('a.b.c.d.e.f.g.h.i.j.k') // '' (11 labels)
 * ```
 */
export const MAX_HOST_LABELS = 10

/**
 * A host name that cannot be real: over 253 characters (RFC 1035 §2.3.4: 255 octets on the
 * wire, 253 as dotted text), a label over 63 (§2.3.4), or more than {@link MAX_HOST_LABELS}
 * labels. `^[^]{254}` is tried first, so a long name is refused after 254 steps; the other
 * parts then scan at most 253 characters. (10 = MAX_HOST_LABELS.)
 */
// biome-ignore lint/correctness/noEmptyCharacterClassInRegex: `[^]` is any character, line breaks included, in 3 B fewer than `[\s\S]`
const UNREAL_HOST = /^[^]{254}|[^.]{64}|(\.[^.]*){10}/

/**
 * The host name of a `Host` header value, as cookie domains are matched against it
 * (RFC 6265 §5.1.3): lowercased (host names are case-insensitive, RFC 9110 §4.2.3), without
 * the port and a trailing dot (it names the same host, RFC 1034 §3.1), an IPv6 literal kept
 * in its brackets. `''` for anything but a string, and for a name that cannot be real (over
 * 253 characters, a label over 63, more than {@link MAX_HOST_LABELS} labels): whatever the
 * client sends, nothing is set or cleared for a host that does not exist.
 *
 * @example
 * ```ts
 * hostnameOf('WWW.Acme.com.:3000') // 'www.acme.com'
 * hostnameOf('[::1]:3000') // '[::1]'
 * hostnameOf('a.'.repeat(800) + 'acme.com') // ''
 * ```
 */
export function hostnameOf(host: unknown): string {
  if (typeof host != 'string') return ''
  const trimmed = host.trim().toLowerCase()
  const name = trimmed.startsWith('[')
    ? trimmed.slice(0, trimmed.indexOf(']') + 1)
    : (trimmed.split(':')[0] ?? '').replace(/\.$/, '')
  return UNREAL_HOST.test(name) ? '' : name
}

/**
 * Short-lived, host-only marker cookie (`Path=/; Max-Age=60; SameSite=Lax`) that the
 * first-party landing middleware sets beside `refp_id`, holding the same click ID: "this
 * landing is already registered". The browser tracker that finds it equal to `refp_id`
 * registers nothing, cleans the URL, expires the marker and announces the ID, so a landing
 * that both the server and the tracker see stays one click.
 *
 * A cookie rather than a `Server-Timing` header: a navigation's `serverTiming` is exposed
 * only in secure contexts, some proxies and CDNs strip the header, and older Safari does
 * not expose it at all; the tracker reads `document.cookie` anyway, so a cookie costs it
 * nothing.
 *
 * @example
 * ```ts
 * res.append('Set-Cookie', `${LANDING_HANDLED_COOKIE}=${clickId}; Path=/; Max-Age=60; SameSite=Lax`)
 * ```
 */
export const LANDING_HANDLED_COOKIE = 'refp_landed'

/**
 * Domain (absent: host-only) and Path of one cookie a clear must expire.
 *
 * @example
 * ```ts
 * const hostOnlyRoot: CookieVariant = { domain: undefined, path: '/' }
 * ```
 */
export interface CookieVariant {
  domain?: string
  path: string
}

/**
 * Every Domain/Path pair a refp_id cookie (or a companion cookie written beside it) for
 * `hostname` could sit on, each once: host-only and each of {@link domainCandidates},
 * plus `domain` if given, each on `Path=/` and on `path` if given. A cookie is only
 * replaced or removed by one with the same name, Domain and Path (RFC 6265 §5.3 step 11),
 * so a clear must write every pair, and writing one twice is wasted main-thread time.
 *
 * @example
 * ```ts
 * clickIdCookieVariants('www.acme.com', { path: '/app' })
 * // host-only, acme.com and www.acme.com, each on '/' and '/app'
 * ```
 */
export function clickIdCookieVariants(
  hostname: string,
  { domain, path }: { domain?: string; path?: string } = {},
): CookieVariant[] {
  const variants: CookieVariant[] = []
  for (const d of new Set([undefined, domain || undefined, ...domainCandidates(hostname)]))
    for (const p of new Set(['/', path || '/'])) variants.push({ domain: d, path: p })
  return variants
}
