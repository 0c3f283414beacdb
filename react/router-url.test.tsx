import { useEffect, type ReactNode } from 'react'
import { act, cleanup, render } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { API_HOST, fakeClickApi, nextClickIdEvent, openPage } from './test/page'

/**
 * A router shaped like the Next.js App Router (14.1+): its own history entries carry the
 * marker `__NA` and its tree; from a mount effect on, it wraps `history.replaceState`, passes
 * marked calls straight through as its own, and for any other call copies its marker and tree
 * into the state and adopts the URL (what `useSearchParams()` and `router.refresh()` read).
 */
function nextLikeRouter() {
  const adopted: string[] = []
  const nativeReplaceState = History.prototype.replaceState
  const wrapper = function (this: History, data: Record<string, unknown> | null, unused: string, url?: string | URL | null) {
    if (!data?.__NA && url) {
      data = { ...data, __NA: history.state?.__NA, tree: history.state?.tree }
      adopted.push(new URL(url, location.href).href)
    }
    nativeReplaceState.call(history, data, unused, url)
  }
  function Router({ children }: { children: ReactNode }) {
    useEffect(() => {
      history.replaceState = wrapper
      return () => void delete (history as { replaceState?: unknown }).replaceState
    }, [])
    return children
  }
  /** The entry the router writes while it hydrates, before any effect runs. */
  const writeOwnEntry = () => nativeReplaceState.call(history, { __NA: true, tree: ['', {}] }, '', location.href)
  return { adopted, Router, writeOwnEntry }
}

afterEach(() => {
  cleanup()
  delete (history as { replaceState?: unknown }).replaceState
})

/** Lets the microtasks queued by the last commit run. */
const microtasks = () => act(async () => {})

describe('<RefportTracker /> under a router that keeps its own copy of the URL (Next.js App Router)', () => {
  it('a ?refp_id= cleaned before the router listens: the router adopts the clean URL once it does', async () => {
    const { RefportTracker } = await openPage('https://www.acme.com/pricing?a=1&refp_id=cl_short&b=2#plans')
    const router = nextLikeRouter()
    router.writeOwnEntry()
    render(
      <router.Router>
        <RefportTracker apiHost={API_HOST} />
      </router.Router>,
    )
    await microtasks()
    expect(location.href).toBe('https://www.acme.com/pricing?a=1&b=2#plans')
    expect(router.adopted).toEqual(['https://www.acme.com/pricing?a=1&b=2#plans'])
    // The entry is still the router's own: marker and tree back in place.
    expect(history.state).toEqual({ __NA: true, tree: ['', {}] })
  })

  it("a ?via= removed after the click answer (urlCleanup: 'all'), while the router listens: adopted too", async () => {
    const api = fakeClickApi()
    const { RefportTracker } = await openPage('https://www.acme.com/?via=jane&keep=1')
    const router = nextLikeRouter()
    router.writeOwnEntry()
    render(
      <router.Router>
        <RefportTracker publishableKey="pk_test" apiHost={API_HOST} urlCleanup="all" />
      </router.Router>,
    )
    await microtasks()
    const stored = nextClickIdEvent()
    const adoptedBefore = router.adopted.length
    api.answer('cl_jane1')
    expect(await stored).toBe('cl_jane1')
    expect(location.href).toBe('https://www.acme.com/?keep=1')
    expect(router.adopted.slice(adoptedBefore)).toEqual(['https://www.acme.com/?keep=1'])
    expect(history.state).toEqual({ __NA: true, tree: ['', {}] })
  })

  it.each([
    ['a router that keeps other state (React Router)', { usr: null, key: 'k1', idx: 0 }],
    ['no router state', null],
  ])('leaves other history entries alone: %s', async (_, state) => {
    const { RefportTracker } = await openPage('https://www.acme.com/?refp_id=cl_short&a=1')
    history.replaceState(state, '', location.href)
    const calls: unknown[] = []
    history.replaceState = function (this: History, data, unused, url) {
      calls.push(data)
      History.prototype.replaceState.call(history, data, unused, url)
    }
    render(<RefportTracker apiHost={API_HOST} />)
    await microtasks()
    // The tracker's own cleanup, and nothing after it.
    expect(location.href).toBe('https://www.acme.com/?a=1')
    expect(calls).toEqual([state])
    expect(history.state).toEqual(state)
  })

  it('never throws into the page when the browser refuses the history write (Safari: more than 100 in 30 s)', async () => {
    const { RefportTracker, useRefport } = await openPage('https://www.acme.com/?refp_id=cl_short')
    History.prototype.replaceState.call(history, { __NA: true, tree: ['', {}] }, '', location.href)
    let writes = 0
    history.replaceState = () => {
      writes++
      throw new DOMException('Attempt to use history.replaceState() more than 100 times per 30 seconds', 'SecurityError')
    }
    let clickId: string | null = null
    function Page() {
      clickId = useRefport().clickId
      return <RefportTracker apiHost={API_HOST} />
    }
    render(<Page />)
    await microtasks()
    // The tracker's cleanup and the router sync both tried (an error thrown here fails the run).
    expect(writes).toBe(2)
    expect(clickId).toBe('cl_short')
  })
})
