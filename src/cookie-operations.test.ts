/**
 * Every `document.cookie` write is synchronous main-thread work on the landing page, so
 * the number of writes is part of the tracker's cost: these tests pin it.
 */
import { describe, expect, it } from 'vitest'
import { loadTracker, recordCookieWrites, setCookieAs, useTrackerPage } from './test-utils'

useTrackerPage()

/** Name and Domain of each write, in order, with `+` for a value and `-` for a clear. */
const summary = (writes: string[]): string[] =>
  writes.map((write) => {
    const [, name, value] = /^(\w+)=([^;]*)/.exec(write)!
    return `${value ? '+' : '-'}${name} ${/; Domain=([^;]+)/.exec(write)?.[1] ?? '(host)'}`
  })

describe('cookie writes per landing', () => {
  it.each<[string, string[]]>([
    ['https://www.acme.com/', ['+refp_probe acme.com', '-refp_probe acme.com', '+refp_id acme.com']],
    // The probe on the public suffix is refused: there is nothing to remove, so no clear.
    [
      'https://www.acme.co.uk/',
      ['+refp_probe co.uk', '+refp_probe acme.co.uk', '-refp_probe acme.co.uk', '+refp_id acme.co.uk'],
    ],
    ['http://localhost:3000/', ['+refp_id (host)']],
  ])('a first landing on %s writes only %j', async (landing, expected) => {
    const writes = recordCookieWrites()
    const { init, getClickId } = await loadTracker(`${landing}?refp_id=cl_1`)
    init()

    expect(getClickId()).toBe('cl_1')
    expect(summary(writes)).toEqual(expected)
  })

  it('a landing over an older click clears its variants before the probe', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_new')
    setCookieAs('https://www.acme.com/', 'refp_id=cl_old; Path=/; Domain=acme.com')
    const writes = recordCookieWrites()
    init()

    expect(getClickId()).toBe('cl_new')
    const clears = summary(writes).filter((write) => write.startsWith('-refp_id'))
    expect(clears).toContain('-refp_id acme.com')
    expect(clears).toContain('-refp_id (host)')
    expect(summary(writes).slice(-3)).toEqual(['+refp_probe acme.com', '-refp_probe acme.com', '+refp_id acme.com'])
  })
})
