import { createServer, request as httpRequest, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseCookie } from 'cookie'
import fc from 'fast-check'
import { Window } from 'happy-dom'
import { Hono } from 'hono'
import { NextRequest } from 'next/server'
import { describe, expect, it } from 'vitest'
import { isClickId } from '@refport/contract'
import { realisticCookieHeaders } from '@refport/test-support/cookie-headers'
import { getClickIdFromCookie, getClickIdFromRequest } from './request-cookie'

const ID = 'cl_AbC-123_xyz'

describe('getClickIdFromCookie', () => {
  it.each<[string, string | null | undefined, string | null]>([
    ['only cookie', `refp_id=${ID}`, ID],
    ['among others', `a=1; refp_id=${ID}; b=2`, ID],
    ['no space after ;', `a=1;refp_id=${ID};b=2`, ID],
    ['spaces and tabs around = (RFC 6265 §5.2)', `a=1;  refp_id \t= ${ID} \t; b=2`, ID],
    ['quoted value (RFC 6265 §4.1.1)', `refp_id="${ID}"`, ID],
    ['128 characters', `refp_id=${'a'.repeat(128)}`, 'a'.repeat(128)],
    ['129 characters', `refp_id=${'a'.repeat(129)}`, null],
    ['absent', 'a=1; b=2', null],
    ['empty header', '', null],
    ['undefined', undefined, null],
    ['null', null, null],
    ['empty value', 'refp_id=', null],
    ['name is a suffix of another name', `xrefp_id=${ID}`, null],
    ['name is a prefix of another name', `refp_idx=${ID}`, null],
    ['name only in a value', `a=refp_id=${ID}`, null],
    ['percent-encoded value is not Refport’s', 'refp_id=abc%2Ddef', null],
    ['attribute injection', 'refp_id=abc;Domain=evil.com', 'abc'],
    ['value with a space', 'refp_id=abc def', null],
    ['value with a comma', 'refp_id=abc,def', null],
    ['unbalanced quote', `refp_id="${ID}`, null],
    ['quote inside', 'refp_id=ab"cd', null],
    ['JSON value', 'refp_id={"id":"abc"}', null],
    ['non-ASCII value', 'refp_id=abcé', null],
    ['newline inside value', 'refp_id=abc\ndef', null],
    ['case differs in the name', `REFP_ID=${ID}`, null],
    ['malformed pairs around', `;;=;==;a; refp_id=${ID};=x;`, ID],
    ['nul byte before', `\u0000; refp_id=${ID}`, ID],
  ])('%s', (_name, header, expected) => {
    expect(getClickIdFromCookie(header)).toBe(expected)
  })

  // Rule: the first VALID value wins. Browsers send the longest Path first, then the oldest
  // cookie (RFC 6265 §5.4); a malformed duplicate from another subdomain must not hide a good one.
  it.each<[string, string, string | null]>([
    ['two valid: the first wins', 'refp_id=first; refp_id=second', 'first'],
    ['an invalid one first is skipped', 'refp_id=bad%20value; refp_id=good', 'good'],
    ['an empty one first is skipped', 'refp_id=; refp_id=good', 'good'],
    ['an invalid one after does not matter', 'refp_id=good; refp_id=<script>', 'good'],
    ['all invalid', 'refp_id=a b; refp_id=%41', null],
  ])('duplicates — %s', (_name, header, expected) => {
    expect(getClickIdFromCookie(header)).toBe(expected)
  })

  // Over HTTP/2 each cookie may come as its own field (RFC 9113 §8.2.3); a Fetch-standard
  // Headers joins repeated fields with ", ", so headers.get('cookie') hands over this shape.
  it.each<[string, string, string | null]>([
    ['last of two joined fields', `theme=dark, refp_id=${ID}`, ID],
    ['first of two joined fields', `refp_id=${ID}, theme=dark`, ID],
    ['between joined fields', `a=1, refp_id=${ID}, b=2`, ID],
    ['joined fields that each hold several cookies', `a=1; b=2, refp_id=${ID}; c=3`, ID],
    ['duplicates across joined fields: the first valid wins', `refp_id=bad%20, refp_id=first, refp_id=second`, 'first'],
    ['another name that ends with refp_id', `theme=dark, xrefp_id=${ID}`, null],
    ['a comma without a following pair stays part of the value', 'refp_id=abc, def', null],
    ['a plain ;-separated match is preferred', `refp_id=${ID}; note=a, refp_id=other`, ID],
  ])('a Fetch-joined header (", " between fields) — %s', (_name, header, expected) => {
    expect(getClickIdFromCookie(header)).toBe(expected)
  })

  it('reads a custom cookie name', () => {
    expect(getClickIdFromCookie(`refp_id=other; my_click=${ID}`, 'my_click')).toBe(ID)
    expect(getClickIdFromCookie(`refp_id=${ID}`, 'my_click')).toBeNull()
  })

  // A cookie name is an RFC 7230 token; anything else could never have been set, so it is refused.
  it.each(['', 'a;b', 'a b', 'a=b', '(', 'a\tb'])(
    'returns null for the invalid name %j, even if the header has it',
    (name) => {
      expect(getClickIdFromCookie(`${name}=${ID}`, name)).toBeNull()
    },
  )

  it('finds the cookie at the end of a 16 KB header quickly', () => {
    const filler = Array.from({ length: 500 }, (_, i) => `c${i}=${'v'.repeat(30)}`).join('; ')
    const header = `${filler}; refp_id=${ID}`
    expect(header.length).toBeGreaterThan(16_000)
    const start = performance.now()
    for (let i = 0; i < 100; i++) expect(getClickIdFromCookie(header)).toBe(ID)
    // Linear scan: 100 lookups of 16 KB take well under a second even on a slow CI machine.
    expect(performance.now() - start).toBeLessThan(1000)
  })

  it('stays linear on a pathological 16 KB header (no regex backtracking blow-up)', () => {
    const header = `refp_id=${'a'.repeat(127)} `.repeat(120) + ';'.repeat(500) + '"'.repeat(500)
    const start = performance.now()
    expect(getClickIdFromCookie(header)).toBeNull()
    expect(performance.now() - start).toBeLessThan(500)
  })

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(fc.anything(), fc.anything(), (header, name) => {
        const result = getClickIdFromCookie(header as string, name as string)
        expect(result === null || isClickId(result)).toBe(true)
      }),
      { numRuns: 500 },
    )
  })

  it('answers like a reference parser (split on ;, trim, unquote, first valid; then Fetch-joined fields split again) on random headers', () => {
    const name = fc.constantFrom(
      'refp_id',
      'refp_id',
      'refp_id',
      ' refp_id',
      'refp_id\t',
      'xrefp_id',
      'refp_idx',
      'REFP_ID',
      'a',
      '',
    )
    const value = fc.oneof(
      fc.stringMatching(/^[\w-]{1,130}$/),
      fc.stringMatching(/^[\w-]{1,10}$/).map((v) => `"${v}"`),
      fc.string({ unit: fc.constantFrom('a', 'Z', '9', '_', '-', '"', ' ', '\t', '=', '%', ',', 'é', ';') }),
    )
    const pair = fc.oneof(
      fc.tuple(name, value).map(([n, v]) => `${n}=${v}`),
      fc.string(),
    )
    const header = fc
      .tuple(fc.array(pair, { maxLength: 12 }), fc.constantFrom(';', '; ', ' ;', ', '))
      .map(([pairs, separator]) => pairs.join(separator))
    fc.assert(
      fc.property(header, (h) => {
        expect(getClickIdFromCookie(h)).toBe(
          referenceLookup(h, 'refp_id') ?? referenceLookup(splitFetchJoins(h), 'refp_id'),
        )
      }),
      { numRuns: 2000 },
    )
  })

  it('gives the same answers as cookie.parse + lookup on the benchmark headers', () => {
    for (const { header } of realisticCookieHeaders()) {
      const parsed = parseCookie(header).refp_id
      expect(getClickIdFromCookie(header)).toBe(isClickId(parsed) ? parsed : null)
    }
  })
})

/** Deliberately naive: the behaviour spelled out step by step, no regular expression. */
function referenceLookup(header: string, name: string): string | null {
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=')
    if (eq < 0) continue
    if (trimWhitespace(pair.slice(0, eq)) !== name) continue
    let value = trimWhitespace(pair.slice(eq + 1))
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1)
    if (isClickId(value)) return value
  }
  return null
}

/** Turns every ", " that precedes a `name=` into "; ", part by part (the Fetch join undone). */
function splitFetchJoins(header: string): string {
  const [first = '', ...rest] = header.split(', ')
  let joined = first
  for (const part of rest) {
    const eq = part.indexOf('=')
    const name = eq < 0 ? '' : trimWhitespace(part.slice(0, eq))
    joined += (name !== '' && !/[\s;,=]/.test(name) && !/^\s/.test(part) ? '; ' : ', ') + part
  }
  return joined
}

function trimWhitespace(text: string): string {
  return text.replace(/^\s+|\s+$/g, '')
}

describe('getClickIdFromRequest', () => {
  const header = `theme=dark; refp_id=${ID}`

  it.each<[string, unknown]>([
    ['a Fetch Request', new Request('http://acme.test/', { headers: { cookie: header } })],
    ['a Headers', new Headers({ cookie: header })],
    ['a Next.js NextRequest', new NextRequest('http://acme.test/', { headers: { cookie: header } })],
    ['a plain { headers: { cookie } }', { headers: { cookie: header } }],
    [
      'a { headers: { cookie: [...] } } (HTTP/2 split cookies)',
      { headers: { cookie: ['theme=dark', `refp_id=${ID}`] } },
    ],
    ['a plain { headers: { Cookie } } (field names are case-insensitive)', { headers: { Cookie: header } }],
    ['a plain { headers: { COOKIE: [...] } }', { headers: { COOKIE: ['theme=dark', `refp_id=${ID}`] } }],
    [
      'an AWS API Gateway REST event (payload 1.0 keeps the browser’s header case)',
      {
        httpMethod: 'POST',
        headers: { Host: 'www.acme.com', Cookie: header },
        multiValueHeaders: { Cookie: [header] },
      },
    ],
    ['anything with headers.get()', { headers: { get: (n: string) => (n === 'cookie' ? header : null) } }],
    ["Hono's c.req (through .raw)", { raw: new Request('http://acme.test/', { headers: { cookie: header } }) }],
  ])('reads %s', (_name, request) => {
    expect(getClickIdFromRequest(request as Request)).toBe(ID)
  })

  it('reads a Node IncomingMessage (Express req) over real HTTP', async () => {
    const seen = await withServer((req) => getClickIdFromRequest(req), { cookie: header })
    expect(seen).toBe(ID)
  })

  it('reads a request whose Headers joins split cookie fields with ", " (happy-dom, a Fetch-standard Headers)', async () => {
    const window = new Window({ url: 'http://acme.test/' })
    try {
      const headers = new window.Headers()
      headers.append('cookie', 'theme=dark')
      headers.append('cookie', `refp_id=${ID}`)
      expect(headers.get('cookie')).toBe(`theme=dark, refp_id=${ID}`)
      // (happy-dom's own Request drops `cookie`, a forbidden header name in browsers.)
      expect(getClickIdFromRequest({ headers: headers as unknown as Headers })).toBe(ID)
      expect(getClickIdFromRequest(headers as unknown as Headers)).toBe(ID)
    } finally {
      await window.happyDOM.close()
    }
  })

  it("reads Hono's c, c.req and c.req.raw in a real handler", async () => {
    const app = new Hono()
    app.get('/', (c) =>
      c.json({
        fromContext: getClickIdFromRequest(c),
        fromRaw: getClickIdFromRequest(c.req.raw),
        fromReq: getClickIdFromRequest(c.req),
      }),
    )
    const response = await app.request('/', { headers: { cookie: header } })
    expect(await response.json()).toEqual({ fromContext: ID, fromRaw: ID, fromReq: ID })
  })

  // Hono's Context has a get() of its own (context variables): it must not be taken for Headers.get.
  it("does not read Hono's context variables as headers", async () => {
    const app = new Hono<{ Variables: { cookie: string } }>()
    app.get('/', (c) => {
      c.set('cookie', `refp_id=cl_from_a_variable`)
      return c.json({ fromContext: getClickIdFromRequest(c) })
    })
    expect(await (await app.request('/', { headers: { cookie: header } })).json()).toEqual({ fromContext: ID })
    expect(await (await app.request('/')).json()).toEqual({ fromContext: null })
  })

  it('uses a custom cookie name', () => {
    expect(getClickIdFromRequest({ headers: { cookie: `ref=${ID}` } }, 'ref')).toBe(ID)
  })

  const throwing = new Proxy(
    {},
    {
      get: () => {
        throw new Error('boom')
      },
      has: () => {
        throw new Error('boom')
      },
    },
  )
  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['a number', 42],
    ['a string', `refp_id=${ID}`],
    ['an object without headers', {}],
    ['headers: null', { headers: null }],
    ['headers.cookie a number', { headers: { cookie: 7 } }],
    ['headers with only other fields', { headers: { Accept: '*/*', 'x-cookie': `refp_id=${ID}` } }],
    [
      'headers.get that throws',
      {
        headers: {
          get: () => {
            throw new Error('boom')
          },
        },
      },
    ],
    ['headers.get returning an object', { headers: { get: () => ({}) } }],
    ['a Proxy that throws on every access', throwing],
    ['a Request without a cookie', new Request('http://acme.test/')],
  ])('returns null and does not throw for %s', (_name, request) => {
    expect(getClickIdFromRequest(request as Request)).toBeNull()
  })
})

async function withServer<T>(handler: (req: IncomingMessage) => T, headers: Record<string, string>): Promise<T> {
  let result!: T
  const server = createServer((req, res) => {
    result = handler(req)
    res.end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve, reject) => {
    httpRequest({ host: '127.0.0.1', port, headers }, (res) => res.resume().on('end', resolve))
      .on('error', reject)
      .end()
  })
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return result
}
