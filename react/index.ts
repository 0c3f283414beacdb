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
import {
  CLICK_ID_EVENT,
  PARTNER_EVENT,
  getClickId,
  getPartner,
  grantConsent,
  init,
  revokeConsent,
  type PagePartner,
  type RefportTrackerOptions,
} from 'refport-js'

export type { Discount, PagePartner, RefportCookieOptions, RefportOptions, RefportTrackerOptions } from 'refport-js'

/**
 * Props of {@link RefportTracker}: exactly the options of `init()`.
 *
 * @example
 * ```tsx
 * const tracking: RefportTrackerProps = { publishableKey: 'pk_live_123', apiHost: '/_refport' }
 * <RefportTracker {...tracking} />
 * ```
 */
export type RefportTrackerProps = RefportTrackerOptions

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
    for (const key in live) delete live[key as keyof RefportTrackerOptions]
    Object.assign(live, props)
    const pending = live.consent == 'pending'
    // The core keeps `live` by reference, so later commits only refresh it; init() once.
    if (seen == null) {
      seen = location.href
      init(live)
      return syncRouterUrl()
    }
    // A consent prop that changes is the visitor's decision, either way. The core lets a
    // decision outrank the option, so a prop back at 'pending' after a grant (consent
    // withdrawn in the banner) would change nothing: the cookie would stay and links
    // would still carry it. Withdrawal is revokeConsent(), as from useRefport().
    if (pending != wasPending) (pending ? revokeConsent : grantConsent)()
  })
  // A click stored after the first run (a `?via=` answer, consent granted) cleans the URL
  // then: look again each time.
  useEffect(() => subscribe(syncRouterUrl), [])
  return null
}

/**
 * Brings a router that keeps its own copy of the URL up to date after the tracker cleaned the
 * address bar. The Next.js App Router does: `useSearchParams()`, `router.refresh()`, Server
 * Actions and its next history write all read its router state, not `location`, so they would
 * show the removed params and write them back. Its entries carry the marker `__NA` in
 * `history.state`; on such a page, when the URL changed since the tracker last looked, this
 * `router.replace()`s to the clean URL with the router instance Next.js puts on `window.next`
 * (the one behind `useRouter()`): one request, the server renders the clean URL. A URL the app
 * itself changed in between (a client navigation before a late `?via=` answer) counts as
 * changed too, and costs that request for the current URL.
 *
 * Why a navigation: the router adopts a `history.replaceState` made outside it only once it
 * has mounted, and the tracker cleans a `?refp_id=` landing while the app hydrates, before
 * that. The router's own mount effects run after the page's, so waiting for them would also
 * come after a navigation the page starts in its effects (a redirect), and replace it. A
 * navigation requested here, in the tracker's layout effect, comes first: a later one wins.
 */
function syncRouterUrl(): void {
  const changed = seen != location.href
  seen = location.href
  // Never into the host page (a router in a state this version does not expect).
  try {
    if (changed && history.state?.__NA) (window as NextWindow).next?.router?.replace(seen, { scroll: false })
  } catch {}
}

/**
 * The address bar as the tracker last left it; `undefined` until init() was called for this
 * page (every later commit only refreshes `live`).
 */
let seen: string | undefined

/** What Next.js puts on `window`: its App Router instance, as `useRouter()` returns it. */
type NextWindow = Window & { next?: { router?: { replace(href: string, options: { scroll: boolean }): void } } }

/**
 * What {@link useRefport} returns.
 *
 * @example
 * ```tsx
 * const { clickId, partner, grantConsent, revokeConsent }: RefportState = useRefport()
 * ```
 */
export interface RefportState {
  /** The stored click ID, or `null` when the visitor did not arrive through a referral link. */
  clickId: string | null
  /**
   * Who referred the visitor, with their discount (`getPartner()` of the core), or `null`.
   * Plain text: render it as text.
   */
  partner: PagePartner | null
  /** Records consent and applies a landing held back by `consent: 'pending'`. */
  grantConsent: () => void
  /** Withdraws consent and deletes the `refp_id` cookie on every Domain and Path. */
  revokeConsent: () => void
}

/**
 * The visitor's click ID, updated when the tracker stores a new one (or consent is
 * revoked), plus the consent calls. Reads the cookie, so a returning visitor has the ID
 * right after hydration, with or without a `<RefportTracker />` mounted, in any order.
 * `clickId` and `partner` are `null` during server rendering and the hydrating render (the
 * server cannot see the cookie), so the markup always matches; the value follows at once.
 *
 * @example
 * ```tsx
 * 'use client'
 * import { useRefport } from 'refport-js/react'
 *
 * export function SignUpForm() {
 *   const { clickId, partner } = useRefport()
 *   return (
 *     <form action="/api/sign-up" method="post">
 *       {partner && <p>{partner.name} sent you</p>}
 *       <input type="hidden" name="clickId" value={clickId ?? ''} />
 *       <input name="email" type="email" />
 *     </form>
 *   )
 * }
 * ```
 */
export function useRefport(): RefportState {
  const [clickId, partner] = useSyncExternalStore(subscribe, snapshot, serverSnapshot)
  return { clickId, partner, grantConsent, revokeConsent }
}

/**
 * The options object the core keeps: one per page, shared by every `<RefportTracker />`.
 * Its fields are refreshed from the latest props on every commit, so a change (say a
 * `cookieOptions` set once the consent banner loads) is seen the next time the core reads
 * it, and a new props object never means a new tracker.
 */
const live: RefportTrackerOptions = {}

/**
 * `useLayoutEffect` runs before every `useEffect` of the tree, so the tracker starts before
 * a page's own effects can navigate. On the server it would warn (React 18) and has nothing
 * to do, so the server gets the silent `useEffect`, which never runs there.
 */
const useBrowserLayoutEffect = typeof document == 'undefined' ? useEffect : useLayoutEffect

const subscribe = (onChange: () => void): (() => void) => {
  addEventListener(CLICK_ID_EVENT, onChange)
  addEventListener(PARTNER_EVENT, onChange)
  return () => {
    removeEventListener(CLICK_ID_EVENT, onChange)
    removeEventListener(PARTNER_EVENT, onChange)
  }
}

type Snapshot = readonly [clickId: string | null, partner: PagePartner | null]

/** What the tracker stores, as last read, with its JSON: the same data is the same object for React. */
let last: [string, Snapshot] = ['', [null, null]]

/**
 * The click ID and partner, read from the cookies. `getPartner()` builds a new object on
 * every call, and `useSyncExternalStore` needs the same snapshot while nothing changed (or
 * it renders forever): equal data returns the tuple it returned before.
 */
const snapshot = (): Snapshot => {
  const current: Snapshot = [getClickId(), getPartner()]
  const json = JSON.stringify(current)
  if (json != last[0]) last = [json, current]
  return last[1]
}

/** Server snapshot: the server renders without the visitor's cookies. */
const NOTHING: Snapshot = [null, null]
const serverSnapshot = (): Snapshot => NOTHING
