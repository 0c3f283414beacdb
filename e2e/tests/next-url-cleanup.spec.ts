/**
 * The Next.js App Router keeps its own copy of the URL (its router state, which feeds
 * `useSearchParams()` and every `router.refresh()` / Server Action / `router.replace()`).
 * Once `<RefportTracker />` removed the click from the address bar, the router must not
 * bring it back, nor show it to the page. No middleware: the tracker alone.
 *
 * Landing kinds: `?refp_id=` is stored while the app hydrates (synchronously, in the
 * tracker's layout effect, before Next's router effects run); `?via=` with
 * `urlCleanup: 'all'` is removed after the click request is answered, after hydration.
 * Each runs with fast hydration and with slow hydration (Next's scripts held until
 * the server-rendered page is on screen).
 */
import type { Page } from '@playwright/test'
import { ORIGINS, expect, shortLinkClick, partnerKey, settle, storedCookie, test } from './support'

declare global {
  interface Window {
    /** Every `refport:clickid` detail, recorded from before the page's own scripts. */
    refportClickIds?: (string | null)[]
    /** Set after the landing; survives client-side navigation only. */
    landingWindow?: boolean
  }
}

interface Landing {
  name: string
  /** The landing query (after `a=1&`); returns the click ID the tracker must store, or null when the mock mints it. */
  query: (key: string) => Promise<{ query: string; clickId: string | null }>
  urlCleanup?: 'all'
}

const LANDINGS: Landing[] = [
  {
    name: '?refp_id= (stored during hydration)',
    query: async (key) => {
      const clickId = await shortLinkClick(key)
      return { query: `refp_id=${clickId}`, clickId }
    },
  },
  {
    name: "?via= with urlCleanup 'all' (removed after the click answer)",
    query: async (key) => ({ query: `via=${key}`, clickId: null }),
    urlCleanup: 'all',
  },
]

const HYDRATION = ['fast', 'slow'] as const

/** Lands on /url?a=1&<referral>&b=2#plans and waits for the tracker to store the click and clean the URL. */
async function land(page: Page, landing: Landing, hydration: (typeof HYDRATION)[number]): Promise<string> {
  const key = partnerKey('jane')
  const { query, clickId: expected } = await landing.query(key)
  if (landing.urlCleanup)
    await page.context().addCookies([{ name: 'e2e_url_cleanup', value: landing.urlCleanup, url: ORIGINS.next }])
  await page.addInitScript(() => {
    window.refportClickIds = []
    addEventListener('refport:clickid', (event) =>
      window.refportClickIds!.push((event as CustomEvent<string | null>).detail),
    )
  })
  let releaseScripts = (): void => {}
  if (hydration === 'slow') {
    const scriptsHeld = new Promise<void>((resolve) => (releaseScripts = resolve))
    await page.route('**/_next/static/chunks/**', async (route) => {
      await scriptsHeld
      await route.continue()
    })
  }

  await page.goto(`${ORIGINS.next}/url?a=1&${query}&b=2#plans`, { waitUntil: 'commit' })
  if (hydration === 'slow') {
    // Server-rendered, not hydrated: the server and useSearchParams() saw the landing query,
    // the tracker has not run.
    await expect(page.getByTestId('server-search')).toHaveText(`a=1&${query}&b=2`)
    await expect(page.getByTestId('client-search')).toHaveText(`a=1&${query}&b=2`)
    expect(await page.evaluate(() => window.refportClickIds)).toEqual([])
    releaseScripts()
  }

  await page.waitForFunction(() => window.refportClickIds!.length > 0)
  const [clickId] = (await page.evaluate(() => window.refportClickIds)) as string[]
  if (expected) expect(clickId).toBe(expected)
  expect((await storedCookie(page.context())).value).toBe(clickId)
  await page.evaluate(() => (window.landingWindow = true))
  return clickId!
}

/** The address bar and what the page renders from `useSearchParams()` are both clean. */
async function expectClean(page: Page, path: string, search: string) {
  await expect(page).toHaveURL(`${ORIGINS.next}${path}`)
  await expect(page.getByTestId('client-search')).toHaveText(search)
  expect(page.url()).not.toMatch(/refp_id|via=/)
}

interface Action {
  name: string
  button: string
  /** Address bar and useSearchParams() after the action. */
  path: string
  search: string
}

const ACTIONS: Action[] = [
  { name: 'router.refresh()', button: 'refresh', path: '/url?a=1&b=2#plans', search: 'a=1&b=2' },
  {
    name: 'a Server Action with revalidatePath()',
    button: 'revalidate',
    path: '/url?a=1&b=2#plans',
    search: 'a=1&b=2',
  },
  {
    name: 'router.replace() to the same path with other params',
    button: 'replace-other',
    path: '/url?tab=monthly',
    search: 'tab=monthly',
  },
  {
    name: 'router.replace() with the params from useSearchParams()',
    button: 'replace-merged',
    path: '/url?a=1&b=2&tab=annual',
    search: 'a=1&b=2&tab=annual',
  },
]

for (const landing of LANDINGS) {
  for (const hydration of HYDRATION) {
    for (const action of ACTIONS) {
      test(`Next.js App Router, ${landing.name}, ${hydration} hydration: ${action.name} keeps the click out of the URL and useSearchParams()`, async ({
        page,
      }) => {
        await land(page, landing, hydration)
        await expectClean(page, '/url?a=1&b=2#plans', 'a=1&b=2')
        const renderId = await page.getByTestId('render-id').textContent()

        await page.getByTestId(action.button).click()
        // Every action renders the page on the server again.
        await expect(page.getByTestId('render-id')).not.toHaveText(renderId!)
        await expectClean(page, action.path, action.search)
        // The server rendered the page for the clean URL too: the router asked for that one.
        await expect(page.getByTestId('server-search')).toHaveText(action.search)
        // A second round: the router state stays clean, not just the first render.
        const secondRenderId = await page.getByTestId('render-id').textContent()
        await page.getByTestId('refresh').click()
        await expect(page.getByTestId('render-id')).not.toHaveText(secondRenderId!)
        await expectClean(page, action.path, action.search)
        // All of it client-side: no reload started the tracker afresh.
        expect(await page.evaluate(() => window.landingWindow)).toBe(true)
      })
    }
  }

  test(`Next.js App Router, ${landing.name}: Back to the landing entry after a <Link> shows the clean URL, without a reload`, async ({
    page,
  }) => {
    await land(page, landing, 'fast')
    await expectClean(page, '/url?a=1&b=2#plans', 'a=1&b=2')
    await page.getByTestId('nav-pricing').click()
    await expect(page.getByTestId('page-pricing')).toBeVisible()
    await page.goBack()
    await expectClean(page, '/url?a=1&b=2#plans', 'a=1&b=2')
    // Next.js reloads the page on a history entry it does not recognise as its own: the
    // entry the tracker rewrote kept the router's history.state.
    expect(await page.evaluate(() => window.landingWindow)).toBe(true)
  })
}

for (const landing of LANDINGS) {
  test(`Next.js App Router, ${landing.name}: the router asks the server once, for the clean URL; a page with nothing to clean, never`, async ({
    page,
  }) => {
    // Requests for the page's data (not the <Link> prefetches, which come and go on their own).
    const dataRequests: URL[] = []
    page.on('request', (request) => {
      const headers = request.headers()
      if (headers.rsc === '1' && !headers['next-router-prefetch']) dataRequests.push(new URL(request.url()))
    })

    await land(page, landing, 'fast')
    await expectClean(page, '/url?a=1&b=2#plans', 'a=1&b=2')
    // The router navigated to the clean URL: the server rendered that one, and saw no click.
    await expect(page.getByTestId('server-search')).toHaveText('a=1&b=2')
    expect(dataRequests.map((url) => url.pathname + url.search.replace(/&_rsc=[^&]*$/, ''))).toEqual(['/url?a=1&b=2'])
    dataRequests.length = 0

    await page.goto(`${ORIGINS.next}/url?a=1`)
    // Next.js wraps replaceState in its mount effects, after the tracker's first run.
    await page.waitForFunction(() => history.replaceState !== History.prototype.replaceState)
    await settle(page)
    await expectClean(page, '/url?a=1', 'a=1')
    expect(dataRequests).toEqual([])
    // Positive control: a refresh is seen.
    await page.getByTestId('refresh').click()
    await expect.poll(() => dataRequests.length).toBe(1)
  })
}

test('Next.js App Router: a page that router.replace()s away in its effects still gets there after a ?refp_id= landing', async ({
  page,
}) => {
  const clickId = await shortLinkClick(partnerKey('jane'))
  await page.goto(`${ORIGINS.next}/redirect?refp_id=${clickId}&a=1`)
  await expect(page.getByTestId('page-pricing')).toBeVisible()
  await expect(page).toHaveURL(`${ORIGINS.next}/pricing`)
  expect((await storedCookie(page.context())).value).toBe(clickId)
})
