/**
 * The minted click: on a `?via=` landing the tracker mints the click ID, writes the cookie
 * before any request, marks the click pending (refp_pending) and registers it; the answer
 * confirms, adopts, restores or leaves it pending, and a later page view resends a pending
 * click with the same ID.
 */
import { describe, expect, it, vi } from 'vitest'
import {
  clickResponse,
  loadTracker,
  recordCookieWrites,
  setCookieAs,
  settle,
  stubFetch,
  useTrackerPage,
  type FetchStub,
} from '@refport/test-support/tracker-page'
import { nextClickIdEvent } from '@refport/test-support/click-id-event'
import { isMintedClickId } from '@refport/test-support/click-ids'

useTrackerPage()

const SITE = 'https://www.acme.com/'
const jane = { key: 'jane', name: 'Jane Doe', avatarUrl: 'https://cdn.acme.com/jane.png' }
const discount = { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 }

/** The body of request `index`. */
const body = (fetch: FetchStub, index = 0): Record<string, unknown> =>
  JSON.parse(fetch.mock.calls[index]![1]!.body as string)

/** The value of cookie `name` as the page sees it, or `undefined`. */
const cookie = (name: string): string | undefined =>
  document.cookie
    .split('; ')
    .find((pair) => pair.startsWith(`${name}=`))
    ?.slice(name.length + 1)

/** Stores what an earlier page left: refp_id, and optionally the companion cookies, on acme.com. */
function earlier(cookies: Record<string, string>): void {
  for (const [name, value] of Object.entries(cookies)) setCookieAs(SITE, `${name}=${value}; Path=/; Domain=acme.com`)
}

/** A fetch whose answer the test gives later. */
function heldFetch(): { fetch: FetchStub; answer: (response: Response | Error) => void } {
  let answer!: (response: Response | Error) => void
  const fetch = stubFetch(
    () => new Promise<Response>((resolve, reject) => (answer = (r) => (r instanceof Error ? reject(r) : resolve(r)))),
  )
  return { fetch, answer: (response) => answer(response) }
}

describe('a ?via= landing writes the cookie before any request', () => {
  it('mints a 22-character ID, stores it and marks it pending before fetch is called; the request carries it', async () => {
    let cookieWhenSent = ''
    const { fetch } = heldFetch()
    fetch.mockImplementationOnce(async () => {
      cookieWhenSent = document.cookie
      return new Promise<Response>(() => {})
    })
    const { init, getClickId } = await loadTracker(`${SITE}?via=jane`)
    const stored = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })

    const clickId = getClickId()!
    expect(clickId).toSatisfy(isMintedClickId)
    expect(await stored).toBe(clickId)
    expect(cookieWhenSent).toContain(`refp_id=${clickId}`)
    expect(cookie('refp_pending')).toBe(`${clickId}|jane|`)
    expect(body(fetch)).toEqual({
      publishableKey: 'pk_test',
      key: 'jane',
      clickId,
      url: `${SITE}?via=jane`,
      referrer: '',
    })
    expect(fetch.mock.calls[0]![1]!.keepalive).toBe(true)
  })

  it('two landings mint two different IDs', async () => {
    stubFetch(() => new Promise<Response>(() => {}))
    const first = await loadTracker(`${SITE}?via=jane`)
    first.init({ publishableKey: 'pk_test' })
    const one = first.getClickId()
    const second = await loadTracker(`${SITE}?via=jane`)
    second.init({ publishableKey: 'pk_test' })
    expect(second.getClickId()).toSatisfy(isMintedClickId)
    expect(second.getClickId()).not.toBe(one)
  })

  it('remembers the click ID it replaces, for a restore', async () => {
    stubFetch(() => new Promise<Response>(() => {}))
    const { init, getClickId } = await loadTracker(`${SITE}?via=jane`)
    earlier({ refp_id: 'cl_before' })
    init({ publishableKey: 'pk_test' })
    expect(cookie('refp_pending')).toBe(`${getClickId()}|jane|cl_before`)
  })

  it('writes refp_id and the pending mark once each, no probe cookie, and reads document.cookie twice (before, and once to see refp_id stick)', async () => {
    stubFetch(() => new Promise<Response>(() => {}))
    const { init } = await loadTracker(`${SITE}?via=jane`)
    const writes = recordCookieWrites()
    const read = vi.spyOn(document, 'cookie', 'get')
    init({ publishableKey: 'pk_test' })
    expect(writes.map((write) => write.split('=')[0] + (/=;/.test(write) ? '-' : '+'))).toEqual([
      'refp_id+',
      'refp_pending+',
    ])
    expect(read).toHaveBeenCalledTimes(2)
  })
})

describe('the answer to a minted click (every shape)', () => {
  type Outcome = { cookie: 'minted' | 'previous' | 'none' | string; pending: boolean }
  it.each<[string, () => Response | Promise<Response>, Outcome]>([
    [
      '200 echoing the ID',
      () => clickResponse({ clickId: '@', partner: jane, discount: null }),
      { cookie: 'minted', pending: false },
    ],
    [
      '200 with another valid ID (an API that mints its own)',
      () => clickResponse({ clickId: 'cl_server', partner: jane, discount: null }),
      { cookie: 'cl_server', pending: false },
    ],
    [
      '200 with a hostile clickId',
      () => clickResponse({ clickId: 'x; Domain=evil.test', partner: jane }),
      { cookie: 'minted', pending: false },
    ],
    ['200 without clickId', () => clickResponse({ partner: jane }), { cookie: 'minted', pending: false }],
    [
      '200 with a non-JSON body (a proxy page)',
      () => new Response('<html>', { status: 200 }),
      { cookie: 'minted', pending: true },
    ],
    ['200 with JSON null', () => clickResponse('null'), { cookie: 'minted', pending: true }],
    ['201 echoing the ID', () => clickResponse({ clickId: '@' }, 201), { cookie: 'minted', pending: false }],
    [
      '404 unknown partner',
      () => clickResponse({ error: { code: 'not_found', message: 'x' } }, 404),
      { cookie: 'previous', pending: false },
    ],
    [
      '409 ID of another partner',
      () => clickResponse({ error: { code: 'conflict', message: 'x' } }, 409),
      { cookie: 'previous', pending: false },
    ],
    ['400', () => clickResponse({}, 400), { cookie: 'previous', pending: false }],
    ['401 bad key', () => clickResponse({}, 401), { cookie: 'previous', pending: false }],
    ['403', () => clickResponse({}, 403), { cookie: 'previous', pending: false }],
    ['422 malformed', () => clickResponse({}, 422), { cookie: 'previous', pending: false }],
    ['408 timeout', () => clickResponse({}, 408), { cookie: 'minted', pending: true }],
    ['429 rate limited', () => clickResponse({}, 429), { cookie: 'minted', pending: true }],
    ['500', () => clickResponse({ clickId: 'cl_from_500' }, 500), { cookie: 'minted', pending: true }],
    ['503', () => clickResponse({}, 503), { cookie: 'minted', pending: true }],
    ['302 with a clickId', () => clickResponse({ clickId: 'cl_302' }, 302), { cookie: 'minted', pending: true }],
    ['a network error', () => Promise.reject(new TypeError('Failed to fetch')), { cookie: 'minted', pending: true }],
    [
      'fetch throwing synchronously',
      () => {
        throw new TypeError('Illegal invocation')
      },
      { cookie: 'minted', pending: true },
    ],
  ])('%s', async (_, respond, expected) => {
    for (const previous of [null, 'cl_before']) {
      const fetch = stubFetch(async (_, init) => {
        const response = await respond()
        const sent = JSON.parse(init!.body as string).clickId
        // '@' in a fixture stands for "the ID the request carried".
        return response.status === 200 || response.status === 201
          ? new Response((await response.text()).replace('"@"', JSON.stringify(sent)), response)
          : response
      })
      const { init, getClickId, getPartner } = await loadTracker(`${SITE}?via=jane`)
      if (previous) earlier({ refp_id: previous })
      init({ publishableKey: 'pk_test' })
      const minted = getClickId()
      expect(minted).toSatisfy(isMintedClickId)
      await settle()

      expect(fetch).toHaveBeenCalledTimes(1)
      const want = expected.cookie === 'minted' ? minted : expected.cookie === 'previous' ? previous : expected.cookie
      expect(getClickId(), `previous ${previous}`).toBe(want)
      expect(cookie('refp_pending') !== undefined && cookie('refp_pending') !== '', `previous ${previous}`).toBe(
        expected.pending,
      )
      if (expected.pending) expect(cookie('refp_pending')).toBe(`${minted}|jane|${previous ?? ''}`)
      // The partner is kept only with a confirmed click.
      if (!expected.pending && expected.cookie !== 'previous' && /partner/.test(String(respond)))
        expect(getPartner()).toEqual({ ...jane, discount: null })
    }
  })
})

describe('a click never confirmed is resent from a later page view', () => {
  it('sends the pending click again, with the same ID and key, when the page is idle; once confirmed, never again', async () => {
    const fetch = stubFetch(async (_, init) =>
      clickResponse({ clickId: JSON.parse(init!.body as string).clickId, partner: jane, discount }),
    )
    const later = await loadTracker(`${SITE}pricing`)
    earlier({ refp_id: 'V1StGXR8_Z5jdHi6B-myTq', refp_pending: 'V1StGXR8_Z5jdHi6B-myTq|jane|cl_before' })
    const partner = new Promise((resolve) =>
      addEventListener('refport:partner', (event) => resolve((event as CustomEvent).detail), { once: true }),
    )
    later.init({ publishableKey: 'pk_test' })
    expect(fetch).not.toHaveBeenCalled() // not during start-up: when the page is idle
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1))
    expect(body(fetch)).toMatchObject({ clickId: 'V1StGXR8_Z5jdHi6B-myTq', key: 'jane', publishableKey: 'pk_test' })
    expect(await partner).toEqual({ ...jane, discount })
    expect(cookie('refp_pending') ?? '').toBe('')
    expect(later.getClickId()).toBe('V1StGXR8_Z5jdHi6B-myTq')
    expect(later.getPartner()).toEqual({ ...jane, discount })

    // The next page: confirmed, so nothing is sent.
    const next = await loadTracker(`${SITE}docs`)
    earlier({ refp_id: 'V1StGXR8_Z5jdHi6B-myTq' })
    next.init({ publishableKey: 'pk_test' })
    await settle()
    expect(fetch).toHaveBeenCalledTimes(1)
  })

  it('a resend rejected for good restores the previous ID', async () => {
    stubFetch(() => clickResponse({ error: { code: 'not_found', message: 'unknown partner' } }, 404))
    const later = await loadTracker(`${SITE}pricing`)
    earlier({ refp_id: 'V1StGXR8_Z5jdHi6B-myTq', refp_pending: 'V1StGXR8_Z5jdHi6B-myTq|jane|cl_before' })
    const restored = nextClickIdEvent()
    later.init({ publishableKey: 'pk_test' })
    expect(await restored).toBe('cl_before')
    expect(later.getClickId()).toBe('cl_before')
  })

  it('a reload of an unconfirmed landing resends the same ID instead of minting another', async () => {
    const fetch = stubFetch(() => new Response('', { status: 503 }))
    const { init } = await loadTracker(`${SITE}?via=jane`, 'reload')
    earlier({ refp_id: 'V1StGXR8_Z5jdHi6B-myTq', refp_pending: 'V1StGXR8_Z5jdHi6B-myTq|jane|' })
    init({ publishableKey: 'pk_test' })
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1))
    expect(body(fetch).clickId).toBe('V1StGXR8_Z5jdHi6B-myTq')
  })

  it('a reload of a confirmed landing sends nothing (positive control: the same reload with a pending mark sends)', async () => {
    const fetch = stubFetch()
    const { init, getClickId } = await loadTracker(`${SITE}?via=jane`, 'reload')
    earlier({ refp_id: 'V1StGXR8_Z5jdHi6B-myTq' })
    init({ publishableKey: 'pk_test' })
    await settle()
    await new Promise((resolve) => setTimeout(resolve, 5))
    expect(fetch).not.toHaveBeenCalled()
    expect(getClickId()).toBe('V1StGXR8_Z5jdHi6B-myTq')
  })

  it.each<[string, Record<string, string>]>([
    ['the pending mark names another click', { refp_id: 'cl_newer', refp_pending: 'V1StGXR8_Z5jdHi6B-myTq|jane|' }],
    ['no refp_id', { refp_pending: 'V1StGXR8_Z5jdHi6B-myTq|jane|' }],
    ['a hostile key', { refp_id: 'cl_1', refp_pending: 'cl_1|ja%3Bne|' }],
    ['a hostile previous ID', { refp_id: 'cl_1', refp_pending: 'cl_1|jane|a%3Bb' }],
    ['a malformed escape', { refp_id: 'cl_1', refp_pending: 'cl_1|%zz|' }],
    ['an empty key', { refp_id: 'cl_1', refp_pending: 'cl_1||' }],
    ['no separators', { refp_id: 'cl_1', refp_pending: 'cl_1' }],
  ])('%s: nothing is sent', async (_, cookies) => {
    const fetch = stubFetch()
    const { init } = await loadTracker(`${SITE}pricing`)
    earlier(cookies)
    init({ publishableKey: 'pk_test' })
    await new Promise((resolve) => setTimeout(resolve, 5))
    await settle()
    expect(fetch).not.toHaveBeenCalled()
  })

  it('first-click keeps the stored ID and still resends it while pending', async () => {
    const fetch = stubFetch(async (_, init) => clickResponse({ clickId: JSON.parse(init!.body as string).clickId }))
    const { init, getClickId } = await loadTracker(`${SITE}?via=bob`)
    earlier({ refp_id: 'V1StGXR8_Z5jdHi6B-myTq', refp_pending: 'V1StGXR8_Z5jdHi6B-myTq|jane|' })
    init({ publishableKey: 'pk_test', attributionModel: 'first-click' })
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1))
    expect(body(fetch)).toMatchObject({ key: 'jane', clickId: 'V1StGXR8_Z5jdHi6B-myTq' })
    expect(getClickId()).toBe('V1StGXR8_Z5jdHi6B-myTq')
  })
})

describe('without crypto.getRandomValues', () => {
  it.each<[string, unknown]>([
    ['crypto missing', undefined],
    [
      'getRandomValues throwing',
      {
        getRandomValues: () => {
          throw new Error('sandbox')
        },
      },
    ],
  ])('%s: the request goes first and the cookie waits for the answer; nothing throws', async (_, crypto) => {
    vi.stubGlobal('crypto', crypto)
    const { fetch, answer } = heldFetch()
    const { init, getClickId } = await loadTracker(`${SITE}?via=jane`)
    expect(() => init({ publishableKey: 'pk_test' })).not.toThrow()
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(1))
    expect(body(fetch).clickId).toBeUndefined()
    expect(getClickId()).toBeNull()
    const stored = nextClickIdEvent()
    answer(clickResponse({ clickId: 'cl_api', partner: jane, discount: null }))
    expect(await stored).toBe('cl_api')
    expect(cookie('refp_pending')).toBeUndefined()
  })
})

describe('consent', () => {
  it('revokeConsent() removes the pending mark and the partner with the click ID', async () => {
    stubFetch()
    const { init, revokeConsent, getPartner, getClickId } = await loadTracker(`${SITE}pricing`)
    earlier({ refp_id: 'cl_1', refp_partner: 'cl_1|jane|Jane||||||', refp_pending: 'cl_1|jane|' })
    expect(getPartner()).toMatchObject({ name: 'Jane' })
    init({ publishableKey: 'pk_test', consent: 'pending' })
    revokeConsent()
    expect(getClickId()).toBeNull()
    expect(getPartner()).toBeNull()
    expect(document.cookie).toBe('')
  })

  it('an answer arriving after revokeConsent() writes nothing back', async () => {
    const { answer } = heldFetch()
    const { init, revokeConsent } = await loadTracker(`${SITE}?via=jane`)
    init({ publishableKey: 'pk_test' })
    revokeConsent()
    answer(clickResponse({ clickId: 'cl_other', partner: jane, discount: null }))
    await settle()
    expect(document.cookie).toBe('')
  })
})

describe('a landing the first-party middleware already handled (refp_landed)', () => {
  it('registers nothing, cleans the URL, expires the marker and announces the ID', async () => {
    const fetch = stubFetch()
    const { init, getClickId } = await loadTracker(`${SITE}?via=jane&refp_id=cl_srv&tab=1`)
    earlier({ refp_id: 'cl_srv' })
    setCookieAs(SITE, 'refp_landed=cl_srv; Path=/; Max-Age=60; SameSite=Lax')
    const announced = nextClickIdEvent()
    init({ publishableKey: 'pk_test' })
    expect(await announced).toBe('cl_srv')
    await settle()
    expect(fetch).not.toHaveBeenCalled()
    expect(getClickId()).toBe('cl_srv')
    expect(location.href).toBe(`${SITE}?via=jane&tab=1`)
    expect(cookie('refp_landed')).toBeUndefined()
  })

  it.each<[string, string]>([
    ['a marker for another ID', 'cl_other'],
    ['a hostile marker', 'cl_srv%3B'],
  ])('%s: the landing is registered as usual (positive control)', async (_, marker) => {
    const fetch = stubFetch(() => new Promise<Response>(() => {}))
    const { init, getClickId } = await loadTracker(`${SITE}?via=jane`)
    earlier({ refp_id: 'cl_srv' })
    setCookieAs(SITE, `refp_landed=${marker}; Path=/`)
    init({ publishableKey: 'pk_test' })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(getClickId()).toSatisfy(isMintedClickId)
  })
})
