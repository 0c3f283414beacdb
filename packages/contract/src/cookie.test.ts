import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  clickIdCookieVariants,
  CLICK_ID_COOKIE,
  CLICK_ID_PARAM,
  CLICK_PATH,
  DEFAULT_API_HOST,
  DEFAULT_EXPIRES_IN_DAYS,
  LEAD_DEDUPE_WINDOW_MS,
  LEAD_PATH,
  MAX_HOST_LABELS,
  domainCandidates,
  hostnameOf,
  isClickId,
  isCookieName,
  isPartnerKey,
  readClickIdCookie,
  serializeClickIdCookie,
} from './index'

const DAY = 86400

describe('the names and numbers users and the wire rely on', () => {
  it.each<[string, unknown, unknown]>([
    ['CLICK_ID_COOKIE', CLICK_ID_COOKIE, 'refp_id'],
    ['CLICK_ID_PARAM', CLICK_ID_PARAM, 'refp_id'],
    ['DEFAULT_EXPIRES_IN_DAYS', DEFAULT_EXPIRES_IN_DAYS, 90],
    ['CLICK_PATH', CLICK_PATH, '/track/click'],
    ['LEAD_PATH', LEAD_PATH, '/track/lead'],
    ['LEAD_DEDUPE_WINDOW_MS', LEAD_DEDUPE_WINDOW_MS, 7 * DAY * 1000],
    ['DEFAULT_API_HOST', DEFAULT_API_HOST, 'https://api.refport.io'],
  ])('%s is %j', (_, actual, expected) => {
    expect(actual).toBe(expected)
  })
})

/** Every character class a click ID must not contain, one representative each. */
const forbiddenCharacters: Array<[string, string]> = [
  ['space', ' '],
  ['tab', '\t'],
  ['CR', '\r'],
  ['LF', '\n'],
  ['NUL', '\0'],
  ['DEL', '\x7f'],
  ['semicolon (attribute separator)', ';'],
  ['comma', ','],
  ['equals sign', '='],
  ['double quote', '"'],
  ['single quote', "'"],
  ['backslash', '\\'],
  ['slash', '/'],
  ['dot', '.'],
  ['plus', '+'],
  ['percent', '%'],
  ['angle bracket', '<'],
  ['ampersand', '&'],
  ['hash', '#'],
  ['question mark', '?'],
  ['colon', ':'],
  ['at sign', '@'],
  ['Latin-1 letter', 'é'],
  ['non-ASCII digit', '\u0661'],
  ['emoji', '😀'],
  ['zero-width space', '\u200b'],
  ['non-breaking space', '\u00a0'],
  ['fullwidth letter', 'Ａ'],
]

describe('isClickId', () => {
  it.each([
    ['one character', 'a'],
    ['one digit', '7'],
    ['one underscore', '_'],
    ['one hyphen', '-'],
    ['a typical ID', 'cl_7Hq2Lk-9'],
    ['all classes', 'AZaz09_-'],
    ['128 characters', 'x'.repeat(128)],
  ])('accepts %s', (_, value) => {
    expect(isClickId(value)).toBe(true)
  })

  it.each([
    ['empty', ''],
    ['129 characters', 'x'.repeat(129)],
    ['10 KB', 'x'.repeat(10 * 1024)],
    ['a trailing newline', 'cl_1\n'],
    ['a leading newline', '\ncl_1'],
  ])('rejects %s', (_, value) => {
    expect(isClickId(value)).toBe(false)
  })

  it.each(forbiddenCharacters)('rejects a %s anywhere', (_, character) => {
    for (const value of [character, `cl${character}`, `${character}cl`, `c${character}l`])
      expect(isClickId(value)).toBe(false)
  })

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 123],
    ['a boolean', true],
    ['an object', { toString: () => 'cl_1' }],
    ['an array', ['cl_1']],
    ['a String object', new String('cl_1')],
  ])('rejects %s', (_, value) => {
    expect(isClickId(value)).toBe(false)
  })

  it('partner keys and cookie names use the same alphabet', () => {
    for (const value of ['jane', 'x'.repeat(128)])
      expect([isPartnerKey(value), isCookieName(value)]).toEqual([true, true])
    for (const value of ['', 'jane doe', 'a;b', 'x'.repeat(129)])
      expect([isPartnerKey(value), isCookieName(value)]).toEqual([false, false])
  })
})

describe('readClickIdCookie', () => {
  it.each<[string, string, string | null]>([
    ['only the cookie', 'refp_id=cl_1', 'cl_1'],
    ['among others', 'a=1; refp_id=cl_1; b=2', 'cl_1'],
    ['last in the header', 'a=1; b=2; refp_id=cl_1', 'cl_1'],
    ['absent', 'a=1; b=2', null],
    ['an empty header', '', null],
    ['first of several valid ones', 'refp_id=cl_first; refp_id=cl_second', 'cl_first'],
    ['invalid first, then valid', 'refp_id=bad%20one; refp_id=cl_good', 'cl_good'],
    ['empty first, then valid', 'refp_id=; refp_id=cl_good', 'cl_good'],
    ['quoted', 'refp_id="cl_1"', 'cl_1'],
    ['an unbalanced quote', 'refp_id="cl_1', null],
    ['a quote only at the end', 'refp_id=cl_1"', null],
    ['whitespace around name, = and value', '  refp_id  =  cl_1  ; a=1', 'cl_1'],
    ['no space after ;', 'a=1;refp_id=cl_1;b=2', 'cl_1'],
    ['tabs', 'a=1;\trefp_id\t=\tcl_1\t;b=2', 'cl_1'],
    ['a name that ends with refp_id', 'xrefp_id=cl_evil', null],
    ['a name that ends with refp_id, then the real one', 'xrefp_id=cl_evil; refp_id=cl_1', 'cl_1'],
    ['a name that starts with refp_id', 'refp_id_old=cl_evil', null],
    ['the name in another cookie value', 'note=refp_id=cl_evil', null],
    ['upper-case name (names are case-sensitive)', 'REFP_ID=cl_1', null],
    ['a value containing =', 'refp_id=cl=1', null],
    ['a value containing a space', 'refp_id=cl 1', null],
    ['a percent-encoded value', 'refp_id=cl%5F1', null],
    ['a 129-character value', `refp_id=${'x'.repeat(129)}`, null],
    ['a 128-character value', `refp_id=${'x'.repeat(128)}`, 'x'.repeat(128)],
    ['a value with a comma', 'refp_id=cl_1,cl_2', null],
    ['a JSON value', 'refp_id={"id":"cl_1"}', null],
    ['a unicode value', 'refp_id=cl_é', null],
    ['a name without value', 'refp_id', null],
  ])('%s: %j → %j', (_, header, expected) => {
    expect(readClickIdCookie(header)).toBe(expected)
  })

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['an array', ['refp_id=cl_1']],
    ['an object', { refp_id: 'cl_1' }],
  ])('returns null for %s', (_, header) => {
    expect(readClickIdCookie(header as string)).toBeNull()
  })

  it('finds the cookie at the end of a 16 KB header, fast', () => {
    const filler = Array.from({ length: 500 }, (_, index) => `c${index}=${'v'.repeat(30)}`).join('; ')
    const header = `${filler}; refp_id=cl_end`
    expect(header.length).toBeGreaterThan(16 * 1024)
    const start = performance.now()
    expect(readClickIdCookie(header)).toBe('cl_end')
    expect(readClickIdCookie(header.replace('refp_id', 'other'))).toBeNull()
    expect(performance.now() - start).toBeLessThan(50)
  })

  it('stays linear on a pathological header (no catastrophic backtracking)', () => {
    // Near misses everywhere: a full-length value followed by a long run of whitespace and
    // a character that breaks it, many times over, with a valid cookie only at the end.
    const nearMiss = `refp_id=${'a'.repeat(128)}${' '.repeat(2000)}b`
    const header = [
      ...Array.from({ length: 50 }, () => nearMiss),
      ...Array.from({ length: 2000 }, () => ' refp_id = '),
      'refp_id=cl_end',
    ].join(';')
    const start = performance.now()
    expect(readClickIdCookie(header)).toBe('cl_end')
    expect(readClickIdCookie(header.slice(0, -'refp_id=cl_end'.length))).toBeNull()
    expect(performance.now() - start).toBeLessThan(200)
  })

  it.each<[string, string, string | null]>([
    ['a custom name', 'my_click', 'cl_custom'],
    ['a name with a hyphen', 'ref-id', 'cl_custom'],
    ['a name shaped like an Object.prototype member', 'constructor', 'cl_custom'],
    ['__proto__', '__proto__', 'cl_custom'],
    ['toString', 'toString', 'cl_custom'],
  ])('reads %s', (_, name, expected) => {
    expect(readClickIdCookie(`refp_id=cl_default; ${name}=cl_custom`, name)).toBe(expected)
    expect(readClickIdCookie('refp_id=cl_default', name)).toBeNull()
  })

  it.each([
    ['empty', ''],
    ['a regex metacharacter', 'refp.id'],
    ['a regex group', '(refp_id)'],
    ['a wildcard', '.*'],
    ['a semicolon', 'a;b'],
    ['a space', 'refp id'],
    ['an equals sign', 'a=b'],
  ])('finds nothing for an invalid name (%s), and does not throw', (_, name) => {
    expect(readClickIdCookie('refp_id=cl_1; refp.id=cl_2; a=cl_3', name)).toBeNull()
  })

  // A hundred generated headers: about a second of CPU, several on a loaded two-core machine.
  it('never throws and only ever returns a valid click ID or null (property)', { timeout: 30_000 }, () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 20 }), (header, name) => {
        for (const result of [readClickIdCookie(header), readClickIdCookie(header, name)])
          expect(result === null || isClickId(result)).toBe(true)
      }),
    )
  })

  it('reads back what serializeClickIdCookie wrote, whatever surrounds it (property)', () => {
    const clickId = fc.stringMatching(/^[\w-]{1,128}$/)
    const otherCookie = fc
      .tuple(fc.stringMatching(/^[a-z]{1,8}$/), fc.stringMatching(/^[\w=-]{0,12}$/))
      .map(([name, value]) => `${name}=${value}`)
    fc.assert(
      fc.property(
        clickId,
        fc.array(otherCookie, { maxLength: 5 }),
        fc.array(otherCookie, { maxLength: 5 }),
        (value, before, after) => {
          const pair = serializeClickIdCookie(value).split(';')[0]!
          const header = [...before.filter((cookie) => !cookie.startsWith('refp_id=')), pair, ...after].join('; ')
          expect(readClickIdCookie(header)).toBe(value)
        },
      ),
    )
  })
})

describe('serializeClickIdCookie', () => {
  it.each<[string, Parameters<typeof serializeClickIdCookie>, string]>([
    ['defaults', ['cl_1'], `refp_id=cl_1; Path=/; Max-Age=${90 * DAY}; SameSite=Lax`],
    [
      'every attribute',
      ['cl_1', { domain: 'acme.com', path: '/app', expiresInDays: 30, secure: true }],
      `refp_id=cl_1; Path=/app; Max-Age=${30 * DAY}; Domain=acme.com; SameSite=Lax; Secure`,
    ],
    ['secure: false', ['cl_1', { secure: false }], `refp_id=cl_1; Path=/; Max-Age=${90 * DAY}; SameSite=Lax`],
    [
      'an empty domain (host-only)',
      ['cl_1', { domain: '' }],
      `refp_id=cl_1; Path=/; Max-Age=${90 * DAY}; SameSite=Lax`,
    ],
    [
      'a null domain from untyped code (host-only)',
      ['cl_1', { domain: null as unknown as string }],
      `refp_id=cl_1; Path=/; Max-Age=${90 * DAY}; SameSite=Lax`,
    ],
    ['one day', ['cl_1', { expiresInDays: 1 }], `refp_id=cl_1; Path=/; Max-Age=${DAY}; SameSite=Lax`],
    ['half a day', ['cl_1', { expiresInDays: 0.5 }], `refp_id=cl_1; Path=/; Max-Age=${DAY / 2}; SameSite=Lax`],
    ['400 days', ['cl_1', { expiresInDays: 400 }], `refp_id=cl_1; Path=/; Max-Age=${400 * DAY}; SameSite=Lax`],
    [
      'more than 400 days (capped)',
      ['cl_1', { expiresInDays: 1000 }],
      `refp_id=cl_1; Path=/; Max-Age=${400 * DAY}; SameSite=Lax`,
    ],
    ['a custom name', ['cl_1', {}, 'my_click'], `my_click=cl_1; Path=/; Max-Age=${90 * DAY}; SameSite=Lax`],
  ])('%s', (_, args, expected) => {
    expect(serializeClickIdCookie(...args)).toBe(expected)
  })

  it.each<[string, Parameters<typeof serializeClickIdCookie>]>([
    ['an empty value', ['']],
    ['an empty value with every attribute', ['', { domain: 'acme.com', path: '/app', secure: true }]],
  ])('%s writes an already-expired cookie', (_, args) => {
    const written = serializeClickIdCookie(...args)
    const maxAge = Number(/; Max-Age=(-?\d+)/.exec(written)?.[1])
    expect(maxAge).toBeLessThanOrEqual(0)
  })

  // A click ID is never written already expired: a lifetime that is not a positive number
  // is a configuration mistake, and the default keeps the visitor's referral.
  it.each([0, -5, Number.NaN, Number.NEGATIVE_INFINITY])(
    'a click ID with %s days gets the default 90 days',
    (expiresInDays) => {
      expect(serializeClickIdCookie('cl_1', { expiresInDays })).toBe(
        'refp_id=cl_1; Path=/; Max-Age=7776000; SameSite=Lax',
      )
    },
  )

  it('an empty value keeps the Domain and Path it must match to delete', () => {
    expect(serializeClickIdCookie('', { domain: 'acme.com', path: '/app', secure: true })).toMatch(
      /^refp_id=; Path=\/app; Max-Age=-?\d+;.* Domain=acme\.com; SameSite=Lax; Secure$/,
    )
  })

  it.each<[string, Parameters<typeof serializeClickIdCookie>]>([
    ...forbiddenCharacters.map(([label, character]): [string, Parameters<typeof serializeClickIdCookie>] => [
      `value with a ${label}`,
      [`cl${character}1`],
    ]),
    ['value with attribute injection', ['cl_1; Domain=evil.test']],
    ['value with header injection', ['cl_1\r\nSet-Cookie: evil=1']],
    ['129-character value', ['x'.repeat(129)]],
    ['domain with attribute injection', ['cl_1', { domain: 'acme.com; Path=/admin' }]],
    ['domain with a space', ['cl_1', { domain: 'acme .com' }]],
    ['domain with CR/LF', ['cl_1', { domain: 'acme.com\r\nX: y' }]],
    ['domain with a comma', ['cl_1', { domain: 'acme.com,evil.test' }]],
    ['domain with a port', ['cl_1', { domain: 'acme.com:443' }]],
    ['domain with a slash', ['cl_1', { domain: 'acme.com/x' }]],
    ['domain with unicode', ['cl_1', { domain: 'bücher.example' }]],
    ['path without a leading slash', ['cl_1', { path: 'app' }]],
    ['path with attribute injection', ['cl_1', { path: '/; Domain=evil.test' }]],
    ['path with a space', ['cl_1', { path: '/my app' }]],
    ['path with CR/LF', ['cl_1', { path: '/\r\nX: y' }]],
    ['path with a tab', ['cl_1', { path: '/a\tb' }]],
    ['path with unicode', ['cl_1', { path: '/é' }]],
    ['empty name', ['cl_1', {}, '']],
    ['name with a semicolon', ['cl_1', {}, 'a;b']],
    ['name with =', ['cl_1', {}, 'a=b']],
    ['name with a space', ['cl_1', {}, 'refp id']],
    ['name with CR/LF', ['cl_1', {}, 'a\r\nb']],
  ])('refuses a %s with a TypeError', (_, args) => {
    expect(() => serializeClickIdCookie(...args)).toThrow(TypeError)
    expect(() => serializeClickIdCookie(...args)).toThrow(/refport/)
  })

  // Plain JavaScript callers can pass anything (a parsed JSON body, for one): what is
  // written is validated as the exact text written, so no shape smuggles a part past it.
  it.each<[string, unknown[]]>([
    ['an array value whose parts form extra fields', [['a', 'b', '/x']]],
    ['an array value', [['cl_1', 'cl_2']]],
    ['an object value', [{ value: 'cl_1' }]],
    ['null as the name', ['cl_1', {}, null]],
    ['an array domain with a path in it', ['cl_1', { domain: ['acme.com', '/x'] }]],
    ['an array path hiding a space', ['cl_1', { path: ['/', ' Domain=evil.test'] }]],
  ])('refuses %s from untyped code', (_, args) => {
    expect(() => (serializeClickIdCookie as (...a: unknown[]) => string)(...args)).toThrow(TypeError)
  })

  it('never returns a string with an unvalidated part (property)', () => {
    const anything = fc.string({ unit: 'binary', maxLength: 40 })
    fc.assert(
      fc.property(
        anything,
        fc.option(anything, { nil: undefined }),
        fc.option(anything, { nil: undefined }),
        (value, domain, path) => {
          let written: string
          try {
            written = serializeClickIdCookie(value, { domain, path })
          } catch (error) {
            expect(error).toBeInstanceOf(TypeError)
            return
          }
          expect(written).toMatch(
            /^refp_id=[\w-]{0,128}; Path=\/[!-:<-~]*; Max-Age=-?\d+(; Domain=[\w.-]+)?; SameSite=Lax$/,
          )
        },
      ),
    )
  })
})

describe('domainCandidates', () => {
  it.each<[string, string[]]>([
    ['www.acme.co.uk', ['co.uk', 'acme.co.uk', 'www.acme.co.uk']],
    ['www.acme.com', ['acme.com', 'www.acme.com']],
    ['acme.com', ['acme.com']],
    ['a.b.c.d.e', ['d.e', 'c.d.e', 'b.c.d.e', 'a.b.c.d.e']],
    ['acme.github.io', ['github.io', 'acme.github.io']],
    ['xn--bcher-kva.example', ['xn--bcher-kva.example']],
    ['localhost', []],
    ['intranet', []],
    ['com', []],
    ['', []],
    ['127.0.0.1', []],
    ['10.0.0.12', []],
    ['[::1]', []],
    ['[2001:db8::1]', []],
    ['::1', []],
  ])('%s → %j', (hostname, expected) => {
    expect(domainCandidates(hostname)).toEqual(expected)
  })

  it('lists parents shortest first, each a suffix of the next, ending with the host itself', () => {
    fc.assert(
      fc.property(fc.array(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), { minLength: 2, maxLength: 6 }), (labels) => {
        const hostname = labels.join('.')
        const candidates = domainCandidates(hostname)
        expect(candidates).toHaveLength(labels.length - 1)
        expect(candidates.at(-1)).toBe(hostname)
        candidates.slice(1).forEach((candidate, index) => {
          expect(candidate.endsWith(`.${candidates[index]}`)).toBe(true)
        })
      }),
    )
  })
})

/** `n` labels: `a.a.…a.acme.com`. */
const deepHost = (labels: number) => `${'a.'.repeat(labels - 2)}acme.com`

describe('host names that cannot be real give nothing to set or clear', () => {
  const label63 = 'x'.repeat(63)
  const longest = [label63, label63, label63, 'x'.repeat(57), 'com'].join('.') // 253 characters, 5 labels
  it.each<[string, string, number]>([
    // Positive controls: the largest names that are still accepted.
    ['the deepest accepted name', deepHost(MAX_HOST_LABELS), MAX_HOST_LABELS - 1],
    ['a 63-character label', `${label63}.acme.com`, 2],
    ['a 253-character name', longest, 4],
    // Hostile ones.
    ['one label too many', deepHost(MAX_HOST_LABELS + 1), 0],
    ['a 64-character label', `${'x'.repeat(64)}.acme.com`, 0],
    ['a 254-character name', `x${longest}`, 0],
    ['a 1,608-byte Host header', deepHost(804), 0],
    ['a 12 KB X-Forwarded-Host', deepHost(6004), 0],
    ['one 64 KB label', `${'a'.repeat(65536)}.com`, 0],
  ])('%s → %i Domain candidates', (_case, hostname, count) => {
    expect(hostname.length <= 253 || count === 0).toBe(true)
    // The servers' path: the Host header through hostnameOf, then domainCandidates.
    expect(domainCandidates(hostnameOf(`${hostname}:443`))).toHaveLength(count)
    expect(hostnameOf(`${hostname}:443`)).toBe(count ? hostname : '')
  })

  it('answers a 1 MB name at once (no work that grows with its labels)', () => {
    const started = performance.now()
    for (const hostname of [deepHost(500_000), `${'a'.repeat(1 << 20)}.com`, `${'1.'.repeat(500_000)}a`]) {
      expect(hostnameOf(hostname)).toBe('')
      expect(domainCandidates(hostnameOf(hostname))).toEqual([])
    }
    // Generous: work that grew with the labels would need minutes for a fraction of this.
    expect(performance.now() - started).toBeLessThan(1000)
  })
})

describe('hostnameOf', () => {
  it.each<[unknown, string]>([
    ['www.acme.com', 'www.acme.com'],
    ['WWW.Acme.com.:3000', 'www.acme.com'],
    ['  acme.com:443 ', 'acme.com'],
    ['acme.com.', 'acme.com'],
    ['[::1]:3000', '[::1]'],
    ['[2001:db8::1]', '[2001:db8::1]'],
    ['127.0.0.1:8080', '127.0.0.1'],
    ['', ''],
    [null, ''],
    [undefined, ''],
    [42, ''],
  ])('%j → %j', (host, hostname) => {
    expect(hostnameOf(host)).toBe(hostname)
  })
})

describe('clickIdCookieVariants', () => {
  const pairs = (...args: Parameters<typeof clickIdCookieVariants>): string[] =>
    clickIdCookieVariants(...args).map(({ domain, path }) => `${domain ?? '(host)'} ${path}`)

  it.each<[string, Parameters<typeof clickIdCookieVariants>, string[]]>([
    ['localhost, no options: host-only once', ['localhost'], ['(host) /']],
    ['an IP address', ['127.0.0.1', {}], ['(host) /']],
    ['www.acme.com', ['www.acme.com'], ['(host) /', 'acme.com /', 'www.acme.com /']],
    [
      'a domain that is one of the candidates is not repeated',
      ['www.acme.com', { domain: 'acme.com' }],
      ['(host) /', 'acme.com /', 'www.acme.com /'],
    ],
    ['path "/" is not repeated', ['localhost', { path: '/' }], ['(host) /']],
    [
      'a path and a domain',
      ['localhost', { domain: 'eu.acme.test', path: '/app' }],
      ['(host) /', '(host) /app', 'eu.acme.test /', 'eu.acme.test /app'],
    ],
    ['an empty domain is host-only', ['localhost', { domain: '' }], ['(host) /']],
  ])('%s', (_, args, expected) => {
    expect(pairs(...args)).toEqual(expected)
  })

  it('never lists a pair twice (property over hosts, domains and paths)', () => {
    fc.assert(
      fc.property(
        fc.domain(),
        fc.option(fc.domain(), { nil: undefined }),
        fc.constantFrom(undefined, '/', '/app'),
        (host, domain, path) => {
          const listed = pairs(host, { domain, path })
          expect(new Set(listed).size).toBe(listed.length)
        },
      ),
    )
  })
})
