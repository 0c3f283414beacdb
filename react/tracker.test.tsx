import { StrictMode, useEffect, useLayoutEffect } from 'react'
import { cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextClickIdEvent } from '@refport/test-support/click-id-event'
import { API_HOST, fakeClickApi, openPage, storeClickId } from '@refport/test-support/react-page'
import { isMintedClickId } from '@refport/test-support/click-ids'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
})

const key = 'pk_test_refport'
const landing = 'https://www.acme.com/pricing?via=jane&utm_source=x'

describe('<RefportTracker />', () => {
  it('renders nothing and stores the click ID of a ?via= landing', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    const stored = nextClickIdEvent()
    const { container } = render(<RefportTracker publishableKey={key} apiHost={API_HOST} />)
    expect(container.innerHTML).toBe('')
    // The minted ID is in the cookie before the API answers, and the request carries it.
    const clickId = await stored
    expect(clickId).toSatisfy(isMintedClickId)
    expect(document.cookie).toContain(`refp_id=${clickId}`)
    expect(api.requests).toEqual([{ publishableKey: key, key: 'jane', clickId, url: landing, referrer: '' }])
    api.answer(clickId!)
  })

  it('stores ?refp_id= without any request and removes it from the address bar', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage('https://www.acme.com/?refp_id=cl_short&a=1#top')
    render(<RefportTracker apiHost={API_HOST} />)
    expect(document.cookie).toContain('refp_id=cl_short')
    expect(location.href).toBe('https://www.acme.com/?a=1#top')
    expect(api.requests).toEqual([])
  })

  it('registers one click under StrictMode double effects', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    render(
      <StrictMode>
        <RefportTracker publishableKey={key} apiHost={API_HOST} />
      </StrictMode>,
    )
    const stored = nextClickIdEvent()
    api.answer('cl_strict')
    expect(await stored).toBe('cl_strict')
    expect(api.requests).toHaveLength(1)
  })

  it('re-renders with new inline props while the click is in flight: one request, nothing lost', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    const tracker = (n: number) => (
      <StrictMode>
        <RefportTracker
          publishableKey={key}
          apiHost={API_HOST}
          cookieOptions={{ expiresInDays: 30 + n }}
          queryParams={['via']}
        />
      </StrictMode>
    )
    const { rerender } = render(tracker(0))
    for (let n = 1; n <= 5; n++) rerender(tracker(n))
    const stored = nextClickIdEvent()
    api.answer('cl_inflight')
    expect(await stored).toBe('cl_inflight')
    expect(api.requests).toHaveLength(1)
    expect(document.cookie).toContain('refp_id=cl_inflight')
  })

  it.each([
    ['two trackers side by side', 'siblings'],
    ['a tracker unmounted and mounted again (a layout swap)', 'remount'],
    ["an app's own init() before the tracker", 'init'],
  ])('%s registers one click', async (_, setup) => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    const props = { publishableKey: key, apiHost: API_HOST }
    if (setup === 'init') (await import('refport-js')).init(props)
    const { rerender, unmount } = render(
      <>
        <RefportTracker {...props} />
        {setup === 'siblings' && <RefportTracker {...props} />}
      </>,
    )
    if (setup === 'remount') {
      rerender(null)
      rerender(<RefportTracker {...props} />)
      unmount()
      render(<RefportTracker {...props} />)
    }
    const stored = nextClickIdEvent()
    api.answer('cl_once')
    expect(await stored).toBe('cl_once')
    expect(api.requests).toHaveLength(1)
  })

  it.each([
    ['in an effect', useEffect],
    ['in a layout effect that runs before the tracker', useLayoutEffect],
  ])('keeps the referral when the router rewrites the URL right after hydration (%s)', async (_, useRouterEffect) => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    function RedirectToLocale() {
      useRouterEffect(() => history.replaceState(history.state, '', '/en/pricing'))
      return null
    }
    render(
      <>
        <RedirectToLocale />
        <RefportTracker publishableKey={key} apiHost={API_HOST} />
      </>,
    )
    expect(location.pathname).toBe('/en/pricing')
    const stored = nextClickIdEvent()
    api.answer('cl_redirected')
    expect(await stored).toBe('cl_redirected')
    expect(api.requests).toEqual([expect.objectContaining({ key: 'jane', url: landing })])
  })

  it('keeps the referral when the URL was rewritten after the module loaded but before the first render', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    history.replaceState(null, '', '/en')
    render(<RefportTracker publishableKey={key} apiHost={API_HOST} />)
    const stored = nextClickIdEvent()
    api.answer('cl_early')
    expect(await stored).toBe('cl_early')
    expect(api.requests[0]).toMatchObject({ key: 'jane', url: landing })
  })

  it('starts before the effects of the page it sits in', async () => {
    fakeClickApi()
    const { RefportTracker } = await openPage('https://www.acme.com/?refp_id=cl_first')
    const seenByPageEffect: Array<string | null> = []
    function Page() {
      useEffect(() => void seenByPageEffect.push(/refp_id=(\w+)/.exec(document.cookie)?.[1] ?? null), [])
      return null
    }
    render(
      <>
        <Page />
        <RefportTracker />
      </>,
    )
    expect(seenByPageEffect).toEqual(['cl_first'])
  })

  it('holds a landing under consent="pending" and applies it when the prop turns "granted", without a remount', async () => {
    // The request-first path (no crypto): the stored ID is the one the API answers.
    vi.stubGlobal('crypto', undefined)
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    let mounts = 0
    function Counted(props: { consent: 'pending' | 'granted' }) {
      useEffect(() => void mounts++, [])
      return <RefportTracker publishableKey={key} apiHost={API_HOST} consent={props.consent} />
    }
    const { rerender } = render(<Counted consent="pending" />)
    rerender(<Counted consent="pending" />)
    expect(api.requests).toEqual([])
    expect(document.cookie).not.toContain('refp_id')
    const stored = nextClickIdEvent()
    rerender(<Counted consent="granted" />)
    api.answer('cl_consented')
    expect(await stored).toBe('cl_consented')
    expect(api.requests).toHaveLength(1)
    expect(mounts).toBe(1)
  })

  it('applies the held landing when the consent prop is removed (consent={ok ? undefined : "pending"})', async () => {
    // The request-first path (no crypto): the stored ID is the one the API answers.
    vi.stubGlobal('crypto', undefined)
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    const { rerender } = render(<RefportTracker publishableKey={key} apiHost={API_HOST} consent="pending" />)
    expect(api.requests).toEqual([])
    const stored = nextClickIdEvent()
    rerender(<RefportTracker publishableKey={key} apiHost={API_HOST} />)
    api.answer('cl_after_banner')
    expect(await stored).toBe('cl_after_banner')
    expect(api.requests).toHaveLength(1)
  })

  /** Follows a link to `href` (default prevented) and returns the URL the browser would open. */
  const followLink = (href: string): string => {
    const anchor = Object.assign(document.createElement('a'), { href })
    anchor.addEventListener('click', (event) => event.preventDefault())
    document.body.append(anchor)
    anchor.click()
    anchor.remove()
    return anchor.href
  }

  it.each([
    ['"pending", then "granted", then "pending" again', ['pending', 'granted', 'pending']],
    ['"granted" from the start, then "pending"', ['granted', 'pending']],
    ['no consent prop, then "pending"', [undefined, 'pending']],
  ] as const)(
    'withdraws consent when the prop goes back to "pending" (%s): cookie deleted, links left alone',
    async (_, steps) => {
      const api = fakeClickApi()
      const { RefportTracker } = await openPage('https://www.acme.com/?refp_id=cl_withdrawn')
      const tracker = (consent?: 'pending' | 'granted') => (
        <RefportTracker apiHost={API_HOST} consent={consent} outboundDomains={['app.acme.io']} />
      )
      const { rerender } = render(tracker(steps[0]))
      for (const consent of steps.slice(1, -1)) rerender(tracker(consent))
      expect(document.cookie).toContain('refp_id=cl_withdrawn')
      expect(followLink('https://app.acme.io/x')).toBe('https://app.acme.io/x?refp_id=cl_withdrawn')
      const cleared = nextClickIdEvent()
      rerender(tracker('pending'))
      expect(document.cookie).not.toContain('refp_id')
      expect(await cleared).toBe(null)
      expect(followLink('https://app.acme.io/x')).toBe('https://app.acme.io/x')
      // Still "pending" on later renders: nothing comes back.
      rerender(tracker('pending'))
      expect(document.cookie).not.toContain('refp_id')
      expect(api.requests).toEqual([])
    },
  )

  it('forgets a prop that is removed: outboundDomains dropped on re-render decorates nothing', async () => {
    const { RefportTracker } = await openPage('https://www.acme.com/?refp_id=cl_1')
    const { rerender } = render(<RefportTracker apiHost={API_HOST} outboundDomains={['app.acme.io']} />)
    rerender(<RefportTracker apiHost={API_HOST} />)
    expect(followLink('https://app.acme.io/x')).toBe('https://app.acme.io/x')
  })

  it('starts the tracker once, not on every render: debug stays quiet across re-renders', async () => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    const { RefportTracker } = await openPage('https://www.acme.com/pricing')
    const { rerender } = render(<RefportTracker apiHost={API_HOST} debug />)
    rerender(<RefportTracker apiHost={API_HOST} debug />)
    rerender(<RefportTracker apiHost={API_HOST} debug />)
    expect(info.mock.calls.filter((call) => call.includes('already running'))).toEqual([])
    info.mockRestore()
  })

  it('reads props when it uses them: a key that arrives with consent is the one sent', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    const { rerender } = render(<RefportTracker consent="pending" apiHost={API_HOST} />)
    rerender(<RefportTracker consent="granted" apiHost={API_HOST} publishableKey="pk_late" />)
    const stored = nextClickIdEvent()
    api.answer('cl_late')
    expect(await stored).toBe('cl_late')
    expect(api.requests).toEqual([expect.objectContaining({ publishableKey: 'pk_late' })])
  })

  it('does not override a revokeConsent() made before it mounted', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage('https://www.acme.com/?refp_id=cl_refused')
    ;(await import('refport-js')).revokeConsent()
    const { rerender } = render(<RefportTracker apiHost={API_HOST} />)
    rerender(<RefportTracker apiHost={API_HOST} consent="granted" />)
    expect(document.cookie).not.toContain('refp_id')
    expect(api.requests).toEqual([])
  })

  it('keeps an earlier visit under attributionModel="first-click"', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage(landing)
    storeClickId('cl_earlier')
    render(<RefportTracker publishableKey={key} apiHost={API_HOST} attributionModel="first-click" />)
    expect(api.requests).toEqual([])
    expect(document.cookie).toContain('refp_id=cl_earlier')
  })
})
