'use client'
/**
 * `refport-js/react`: `<RefportTracker />` for a React or Next.js layout, and `useRefport()`
 * for the click ID. A thin wrapper: the tracker state lives in `refport-js` (imported,
 * never bundled here), so an app that also calls `init()` shares one tracker with it.
 *
 * Importing this module imports the core, which reads the landing URL as it is evaluated:
 * in a hydrating app that is before any component renders, so a client router that
 * rewrites the URL in an effect (`/` → `/en`, `router.replace` dropping the query) cannot
 * lose `?via=`.
 */
import { useEffect, useLayoutEffect, useSyncExternalStore } from 'react'
import { CLICK_ID_EVENT, getClickId, grantConsent, init, revokeConsent, type RefportOptions } from 'refport-js'

export type { RefportCookieOptions, RefportOptions } from 'refport-js'

/**
 * Props of {@link RefportTracker}: exactly the options of `init()`.
 *
 * @example
 * ```tsx
 * const tracking: RefportTrackerProps = { publishableKey: 'pk_live_123', apiHost: '/_refport' }
 * <RefportTracker {...tracking} />
 * ```
 */
export type RefportTrackerProps = RefportOptions

/**
 * Runs the Refport tracker in the browser; renders nothing. Place it once in the root
 * layout so it runs on every page. Safe in a server component layout (this entry is
 * `'use client'`) and during server rendering, where it touches no browser API.
 *
 * The tracker starts once per page: StrictMode's double effects, re-renders with new
 * (inline) props and a second `<RefportTracker />` never register a second click. Props
 * are read when they are used, so a prop that matters later takes effect without a
 * remount; `consent` going from `'pending'` to `'granted'` grants consent, and going back to
 * `'pending'` withdraws it (as `revokeConsent()`: the cookie is deleted).
 *
 * @example
 * ```tsx
 * // app/layout.tsx (a server component)
 * import { RefportTracker } from 'refport-js/react'
 *
 * export default function RootLayout({ children }: { children: React.ReactNode }) {
 *   return (
 *     <html lang="en">
 *       <body>
 *         <RefportTracker publishableKey="pk_live_123" />
 *         {children}
 *       </body>
 *     </html>
 *   )
 * }
 * ```
 */
export function RefportTracker(props: RefportTrackerProps): null {
  useBrowserLayoutEffect(() => {
    const wasPending = live.consent == 'pending'
    // Replace, not merge: a prop that was removed (consent={ok ? undefined : 'pending'})
    // must stop counting.
    for (const key in live) delete live[key as keyof RefportOptions]
    Object.assign(live, props)
    const pending = live.consent == 'pending'
    // The core keeps `live` by reference, so later commits only refresh it; init() once.
    if (!started) {
      started = true
      return init(live)
    }
    // A consent prop that changes is the visitor's decision, either way. The core lets a
    // decision outrank the option, so a prop back at 'pending' after a grant (consent
    // withdrawn in the banner) would change nothing: the cookie would stay and links
    // would still carry it. Withdrawal is revokeConsent(), as from useRefport().
    if (pending != wasPending) (pending ? revokeConsent : grantConsent)()
  })
  // Once, after the tracker's first run (a layout effect) and after the router's own mount
  // effects: a parent's effects run after its children's, all in one synchronous pass, so a
  // microtask queued here runs after Next.js installed its history wrapper. Then again each
  // time the tracker stores a click later (a `?via=` answer, consent granted).
  useEffect(() => (queueMicrotask(syncRouterUrl), subscribe(syncRouterUrl)), [])
  return null
}

/**
 * Tells a router that keeps its own copy of the URL about the tracker's cleanup. The Next.js
 * App Router (14.1+) feeds `useSearchParams()`, `router.refresh()`, Server Actions and its
 * next history write from its router state, not from `location`; it learns of a URL change
 * made outside it only through its wrapper of `history.replaceState`, which takes a call
 * whose state carries its marker `__NA` for its own and passes it on untold. The tracker
 * keeps `history.state` as it is, marker included (any router's entry must survive), and may
 * run before that wrapper exists. So: replace the entry with its own clean URL and the state
 * minus the marker; the wrapper puts marker and tree back and adopts the URL. No marker: not
 * a Next.js page (or not hydrated yet), nothing to do.
 */
const syncRouterUrl = (): void => {
  const { __NA, ...state } = history.state ?? {}
  // Never into the host page: Safari throws a SecurityError once a page writes history more
  // than 100 times in 30 seconds.
  try {
    if (__NA) history.replaceState(state, '', location.href)
  } catch {}
}

/**
 * What {@link useRefport} returns.
 *
 * @example
 * ```tsx
 * const { clickId, grantConsent, revokeConsent }: RefportState = useRefport()
 * ```
 */
export interface RefportState {
  /** The stored click ID, or `null` when the visitor did not arrive through a referral link. */
  clickId: string | null
  /** Records consent and applies a landing held back by `consent: 'pending'`. */
  grantConsent: () => void
  /** Withdraws consent and deletes the `refp_id` cookie on every Domain and Path. */
  revokeConsent: () => void
}

/**
 * The visitor's click ID, updated when the tracker stores a new one (or consent is
 * revoked), plus the consent calls. Reads the cookie, so a returning visitor has the ID
 * right after hydration, with or without a `<RefportTracker />` mounted, in any order.
 * `clickId` is `null` during server rendering and hydration (the server cannot see it).
 *
 * @example
 * ```tsx
 * 'use client'
 * import { useRefport } from 'refport-js/react'
 *
 * export function SignUpForm() {
 *   const { clickId } = useRefport()
 *   return (
 *     <form action="/api/sign-up" method="post">
 *       <input type="hidden" name="clickId" value={clickId ?? ''} />
 *       <input name="email" type="email" />
 *     </form>
 *   )
 * }
 * ```
 */
export function useRefport(): RefportState {
  return { clickId: useSyncExternalStore(subscribe, getClickId, noClickId), grantConsent, revokeConsent }
}

/**
 * The options object the core keeps: one per page, shared by every `<RefportTracker />`.
 * Its fields are refreshed from the latest props on every commit, so a change (say a
 * `cookieOptions` set once the consent banner loads) is seen the next time the core reads
 * it, and a new props object never means a new tracker.
 */
const live: RefportOptions = {}

/** Whether init() was called for this page; every later commit only refreshes `live`. */
let started = false

/**
 * `useLayoutEffect` runs before every `useEffect` of the tree, so the tracker starts before
 * a page's own effects can navigate. On the server it would warn (React 18) and has nothing
 * to do, so the server gets the silent `useEffect`, which never runs there.
 */
const useBrowserLayoutEffect = typeof document == 'undefined' ? useEffect : useLayoutEffect

const subscribe = (onChange: () => void): (() => void) => {
  addEventListener(CLICK_ID_EVENT, onChange)
  return () => removeEventListener(CLICK_ID_EVENT, onChange)
}

/** Server snapshot: the server renders without the visitor's cookie. */
const noClickId = (): null => null
