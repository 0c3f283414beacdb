/**
 * Checks of the two configuration values that end up on the wire: the API key (in the
 * `Authorization` header) and the base URL (the request URL). A value fetch cannot send
 * makes fetch throw a `TypeError`, which looks exactly like an unreachable server: it
 * would be reported as a network error, blamed on `baseUrl` and retried for nothing. So
 * both are checked before the first attempt and refused with a message that says what to fix.
 */

/**
 * A header value must be visible ASCII (RFC 9110 §5.5: field-vchar; obs-text is not
 * portable and fetch refuses code points above U+00FF). An API key has no use for spaces
 * either, so a key with one was pasted with something else around it.
 */
const HEADER_TOKEN = /^[!-~]+$/

/**
 * Why `apiKey` cannot be sent as `Authorization: Bearer <apiKey>`, or `null` when it can.
 * The answer never contains the key: messages end up in logs.
 */
export function apiKeyProblem(apiKey: unknown): string | null {
  if (typeof apiKey !== 'string') return `is a ${apiKey === null ? 'null' : typeof apiKey}, not a string`
  if (HEADER_TOKEN.test(apiKey)) return null
  // The usual culprit is a newline or a space kept from a copy-paste or an `echo` into a
  // .env file; naming it saves the reader a hex dump.
  if (apiKey.trim() !== apiKey) return 'starts or ends with whitespace (a stray newline or space?)'
  if (/[\r\n]/.test(apiKey)) return 'contains a line break'
  if (/\s/.test(apiKey)) return 'contains whitespace'
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the class lists the control characters refused here
  if (/[\x00-\x1f\x7f]/.test(apiKey)) return 'contains a control character'
  return 'contains a non-ASCII character (a smart quote or an invisible character from a copy-paste?)'
}

/** The result of {@link resolveApiUrl}: the URL to post to, or why there is none. */
export type ApiUrl = { ok: true; url: string } | { ok: false; problem: string }

/**
 * The URL of the endpoint `path` (`/track/lead`, `/track/sale`) under `baseUrl`, or why
 * `baseUrl` is not an absolute http(s) URL that fetch accepts. The problem quotes
 * `baseUrl` except when it carries credentials.
 *
 * A trailing slash, a query or a fragment would make `${baseUrl}/track/lead` wrong, so
 * they are dropped; a path prefix (a first-party proxy such as `/_refport`) is kept.
 * Whitespace and control characters are refused rather than silently stripped the way the
 * URL parser does (WHATWG URL removes tabs and newlines anywhere), because they mean the
 * value was mangled on the way in. Credentials (`https://user:pass@host`) are refused
 * because the Fetch standard's Request constructor throws a `TypeError` for them.
 */
export function resolveApiUrl(baseUrl: string, path: string): ApiUrl {
  if (typeof baseUrl !== 'string') return { ok: false, problem: `is a ${typeof baseUrl}, not a URL string` }
  const quoted = JSON.stringify(withoutUserInfo(baseUrl))
  const notHttp = { ok: false, problem: `${quoted} is not an absolute http(s) URL` } as const
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the class lists the control characters refused here
  if (/[\s\x00-\x1f\x7f]/.test(baseUrl))
    return { ok: false, problem: `${quoted} contains whitespace or a control character` }
  // `https:acme.com` and `https:/acme.com` parse (http is a "special" scheme), but they
  // are typos, and a relative value (`/_refport`) must not be guessed at.
  if (!/^https?:\/\/[^/?#]/i.test(baseUrl)) return notHttp
  const joined = withoutTrailingSlashes(baseUrl.replace(/[?#].*$/, '')) + path
  let url: URL
  try {
    url = new URL(joined)
  } catch {
    return notHttp
  }
  if (url.username || url.password)
    return { ok: false, problem: 'contains a user name or password, which fetch refuses to send' }
  return { ok: true, url: joined }
}

/**
 * `baseUrl` as an error message may quote it: everything after the scheme up to the last `@`
 * replaced with `***`, so a proxy password (`https://user:pass@proxy/_refport`), even in a
 * value too broken to parse, never reaches a log. Linear: the pattern is anchored.
 */
function withoutUserInfo(baseUrl: string): string {
  return baseUrl.replace(/^([^:]*:\/*)[\s\S]*@/, '$1***@')
}

/**
 * `url` without its trailing slashes. A loop rather than `/\/+$/`: that pattern restarts at
 * every slash of a long run that does not end the string, quadratic in the run's length.
 */
export function withoutTrailingSlashes(url: string): string {
  let end = url.length
  while (end > 0 && url[end - 1] === '/') end--
  return url.slice(0, end)
}

/**
 * A warning for a `track/lead` URL that is plain http outside loopback (the API key and the
 * customer's email would cross the network in clear text), or `null`. Loopback is where the
 * mock API and local development run: `localhost`, `*.localhost` (RFC 6761 §6.3),
 * `127.0.0.0/8`, `[::1]`.
 */
export function plainHttpWarning(url: string): string | null {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return null
  }
  const host = parsed.hostname
  if (
    parsed.protocol !== 'http:' ||
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    /^127\./.test(host)
  )
    return null
  return `refport: baseUrl ${parsed.origin} is plain http: the API key and customer data cross the network unencrypted — use https`
}
