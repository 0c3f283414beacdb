import { useEffect } from 'react'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { nextClickIdEvent } from '@refport/test-support/click-id-event'
import { API_HOST, fakeClickApi, openPage } from '@refport/test-support/react-page'

type NextWindow = Window & { next?: { router?: { replace(href: string, options: { scroll: boolean }): void } } }

/**
 * A page under the Next.js App Router, as the tracker sees it: the router wrote the current
 * history entry while hydrating (its state carries the marker `__NA`), and its router
 * instance sits on `window.next`. Records every `router.replace()`.
 */
function nextAppRouter(replace?: (href: string) => void) {
  const replaced: { href: string; options: { scroll: boolean } }[] = []
  History.prototype.replaceState.call(history, { __NA: true, tree: ['', {}] }, '', location.href)
  ;(window as NextWindow).next = {
    router: {
      replace(href, options) {
        replaced.push({ href, options })
        replace?.(href)
      },
    },
  }
  return replaced
}

afterEach(() => {
  cleanup()
  delete (window as NextWindow).next
})

describe('<RefportTracker /> under the Next.js App Router (its own copy of the URL)', () => {
  it('a ?refp_id= cleaned while the app hydrates: the router navigates to the clean URL, before the page navigates', async () => {
    const { RefportTracker } = await openPage('https://www.acme.com/pricing?a=1&refp_id=cl_short&b=2#plans')
    const replaced = nextAppRouter()
    // A page that sends the visitor on in its own effects (a locale redirect): its navigation
    // must come after the tracker's, so that it wins.
    function RedirectingPage() {
      useEffect(() => (window as NextWindow).next!.router!.replace('/en', { scroll: true }), [])
      return null
    }
    render(
      <>
        <RedirectingPage />
        <RefportTracker apiHost={API_HOST} />
      </>,
    )
    expect(location.href).toBe('https://www.acme.com/pricing?a=1&b=2#plans')
    expect(replaced).toEqual([
      { href: 'https://www.acme.com/pricing?a=1&b=2#plans', options: { scroll: false } },
      { href: '/en', options: { scroll: true } },
    ])
    // The entry stays the router's own.
    expect(history.state).toEqual({ __NA: true, tree: ['', {}] })
  })

  it("a ?via= landing with urlCleanup: 'all' is cleaned while the app hydrates (the click ID is minted, no answer awaited), once", async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage('https://www.acme.com/?via=jane&keep=1')
    const replaced = nextAppRouter()
    render(<RefportTracker publishableKey="pk_test" apiHost={API_HOST} urlCleanup="all" />)
    expect(location.href).toBe('https://www.acme.com/?keep=1')
    expect(replaced).toEqual([{ href: 'https://www.acme.com/?keep=1', options: { scroll: false } }])
    // The API answers with an ID of its own: adopted, and the URL, already clean, costs the
    // router no second navigation.
    const stored = nextClickIdEvent()
    api.answer('cl_jane1')
    expect(await stored).toBe('cl_jane1')
    expect(location.href).toBe('https://www.acme.com/?keep=1')
    expect(replaced).toHaveLength(1)
  })

  it('leaves the router alone when the tracker changed nothing (?via= kept by default)', async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage('https://www.acme.com/?via=jane')
    const replaced = nextAppRouter()
    render(<RefportTracker publishableKey="pk_test" apiHost={API_HOST} />)
    const stored = nextClickIdEvent()
    api.answer('cl_jane2')
    // Positive control: the tracker ran and stored the click.
    expect(await stored).toBe('cl_jane2')
    expect(location.href).toBe('https://www.acme.com/?via=jane')
    expect(replaced).toEqual([])
  })

  it.each([
    ['another router (React Router)', { usr: null, key: 'k1', idx: 0 }],
    ['no router state', null],
  ])('leaves other routers alone: %s', async (_, state) => {
    const { RefportTracker } = await openPage('https://www.acme.com/?refp_id=cl_short&a=1')
    const replaced = nextAppRouter()
    history.replaceState(state, '', location.href)
    render(<RefportTracker apiHost={API_HOST} />)
    // Positive control: the tracker cleaned the address bar, keeping the state.
    expect(location.href).toBe('https://www.acme.com/?a=1')
    expect(history.state).toEqual(state)
    expect(replaced).toEqual([])
  })

  it.each([
    ['the router is not on window', () => delete (window as NextWindow).next],
    [
      'router.replace() throws',
      () =>
        nextAppRouter(() => {
          throw new Error('invariant expected app router to be mounted')
        }),
    ],
  ])('never throws into the page: %s', async (_, breakRouter) => {
    const { RefportTracker, useRefport } = await openPage('https://www.acme.com/?refp_id=cl_short')
    nextAppRouter()
    breakRouter()
    let clickId: string | null = null
    function Page() {
      clickId = useRefport().clickId
      return <RefportTracker apiHost={API_HOST} />
    }
    render(<Page />)
    await act(async () => {})
    expect(location.href).toBe('https://www.acme.com/')
    expect(clickId).toBe('cl_short')
  })
})
