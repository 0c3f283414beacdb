/**
 * Every `document.cookie` write is synchronous main-thread work on the landing page, so
 * the number of writes is part of the tracker's cost: these tests pin it.
 */
import { describe, expect, it, vi } from 'vitest'
import {
  loadTracker,
  recordCookieAccess,
  recordCookieWrites,
  setCookieAs,
  useTrackerPage,
  type Tracker,
} from '@refport/test-support/tracker-page'
import { isClickId } from '@refport/test-support/click-ids'

useTrackerPage()

/** Name and Domain of each write, in order, with `+` for a value and `-` for a clear. */
const summary = (writes: string[]): string[] =>
  writes.map((write) => {
    const [, name, value] = /^(\w+)=([^;]*)/.exec(write)!
    return `${value ? '+' : '-'}${name} ${/; Domain=([^;]+)/.exec(write)?.[1] ?? '(host)'}`
  })

describe('cookie writes per landing', () => {
  it.each<[string, string[]]>([
    // The click ID is its own probe: no test cookie to write and remove.
    ['https://www.acme.com/', ['+refp_id acme.com']],
    // Refused on the public suffix, kept on the registrable domain.
    ['https://www.acme.co.uk/', ['+refp_id co.uk', '+refp_id acme.co.uk']],
    ['http://localhost:3000/', ['+refp_id (host)']],
  ])('a first landing on %s writes only %j', async (landing, expected) => {
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker(`${landing}?refp_id=cl_1`)
    init()

    expect(getClickId()).toBe('cl_1')
    expect(summary(writes)).toEqual(expected)
  })

  it('a landing over an older click clears each of its variants once, then writes', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_new')
    setCookieAs('https://www.acme.com/', 'refp_id=cl_old; Path=/; Domain=acme.com')
    const writes = recordCookieWrites()
    init()

    expect(getClickId()).toBe('cl_new')
    expect(summary(writes)).toEqual([
      '-refp_id (host)',
      '-refp_id acme.com',
      '-refp_id www.acme.com',
      '+refp_id acme.com',
    ])
  })
})

describe('cookie writes per clear', () => {
  it.each<[string, Parameters<Tracker['init']>[0], string[]]>([
    // With no domain set, each cookie is cleared once, host-only.
    ['http://localhost:3000/', {}, ['-refp_id (host)', '-refp_pending (host)', '-refp_partner (host)']],
    [
      'http://localhost:3000/',
      { cookieOptions: { path: '/' } },
      ['-refp_id (host)', '-refp_pending (host)', '-refp_partner (host)'],
    ],
    [
      'https://www.acme.com/',
      { cookieOptions: { domain: 'acme.com' } },
      ['(host)', 'acme.com', 'www.acme.com'].flatMap((domain) =>
        ['id', 'pending', 'partner'].map((name) => `-refp_${name} ${domain}`),
      ),
    ],
  ])('revokeConsent() on %s with %j expires each variant exactly once', async (landing, options, expected) => {
    const { init, revokeConsent } = await loadTracker(landing)
    init(options)
    const writes = recordCookieWrites()
    revokeConsent()
    expect(summary(writes).sort()).toEqual([...expected].sort())
  })
})

describe('reads of document.cookie after a write (each a round trip to the cookie store)', () => {
  /** The accesses from the first write on: a read before it is a plain read. */
  const afterFirstWrite = (accesses: string[]): string[] =>
    accesses.slice(accesses.findIndex((access) => access !== 'read'))

  it.each<[string, string, Parameters<Tracker['init']>[0], string[]]>([
    // The click ID is its own probe: one write, one read back.
    ['a click ID', 'https://www.acme.com/?refp_id=cl_1', {}, ['refp_id', 'read']],
    [
      'a click ID, Path=/ given',
      'https://www.acme.com/?refp_id=cl_1',
      { cookieOptions: { path: '/' } },
      ['refp_id', 'read'],
    ],
    [
      'a partner link',
      'https://www.acme.com/?via=jane',
      { publishableKey: 'pk_test' },
      ['refp_id', 'read', 'refp_pending'],
    ],
    [
      'a click ID, cookieOptions.domain',
      'https://www.acme.com/?refp_id=cl_1',
      { cookieOptions: { domain: 'acme.com' } },
      ['refp_id', 'read'],
    ],
    ['a click ID on localhost (host-only)', 'http://localhost:3000/?refp_id=cl_1', {}, ['refp_id', 'read']],
    // A cookie under another Path is not visible to every page: a Path=/ probe finds the Domain.
    [
      'a click ID, cookieOptions.path',
      'https://www.acme.com/app?refp_id=cl_1',
      { cookieOptions: { path: '/app' } },
      ['refp_probe', 'read', 'refp_probe', 'refp_id', 'read'],
    ],
  ])('%s', async (_, landing, options, expected) => {
    vi.stubGlobal('fetch', () => new Promise(() => {}))
    const { init, getClickId } = await loadTracker(landing)
    const accesses = recordCookieAccess()
    init(options)
    expect(afterFirstWrite(accesses)).toEqual(expected)
    // And the cookie is there all the same.
    expect(getClickId()).toSatisfy(isClickId)
  })

  it('a Domain the browser refuses is caught by the read-back', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    const accesses = recordCookieAccess()
    init({ cookieOptions: { domain: 'other.test' } })
    expect(afterFirstWrite(accesses)).toEqual(['refp_id', 'read'])
    expect(getClickId()).toBeNull()
    expect(location.href).toBe('https://www.acme.com/?refp_id=cl_1')
  })
})
