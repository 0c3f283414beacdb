/**
 * The attribution chain, written once and run in every engine (firefox.test.ts,
 * webkit.test.ts): partner link → script tag on www → sign-up on app → lead in the mock
 * Refport API, and the promises around it. Each test opens a fresh profile.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { BrowserSession, Engine } from './session'
import {
  ORIGINS,
  clickIdCookies,
  clicksFor,
  expectTrackerRanWithoutClick,
  landWithClick,
  leadsFor,
  shortLinkClick,
  mockState,
  navigationType,
  partnerKey,
  settle,
  signUpWithBetterAuth,
  signUpWithForm,
  storedCookie,
  theClickFor,
  uniqueEmail,
} from './support'

/** Runs `body` in a fresh session, then fails on any page error the engine reported. */
export function inSession(engine: Engine, body: (session: BrowserSession) => Promise<void>): () => Promise<void> {
  return async () => {
    const session = await engine.newSession()
    try {
      await body(session)
      expect(session.problems(), 'the page logged errors').toEqual([])
    } finally {
      await session.close()
    }
  }
}

/** Starts `engine` for the file's tests and stops it (and every process it started) after. */
export function useEngine(engine: Engine): void {
  beforeAll(() => engine.start())
  afterAll(() => engine.stop())
}

const TEN_KB = 'a'.repeat(10 * 1024)
/** Landing params that must never reach a cookie, a request or the page. */
const HOSTILE: [label: string, query: string][] = [
  ['refp_id with ;domain=evil.test', `refp_id=${encodeURIComponent('abc;domain=evil.test')}`],
  ['via with CRLF', `via=${encodeURIComponent('jane\r\nX-Injected: 1')}`],
  ['refp_id with <script>', `refp_id=${encodeURIComponent('<script>window.pwned=1</script>')}`],
  ['via with <img onerror>', `via=${encodeURIComponent('"><img src=x onerror="window.pwned=1">')}`],
  ['refp_id of 10 KB', `refp_id=${TEN_KB}`],
]

export function attributionScenarios(engine: Engine): void {
  const it = (name: string, body: (session: BrowserSession) => Promise<void>) => test(name, inSession(engine, body))

  describe(`${engine.name}: attribution`, () => {
    test('the harness sees page errors, unhandled rejections, CSP violations and console errors (control of every scenario)', async () => {
      const session = await engine.newSession()
      try {
        await session.goto(`${ORIGINS.site}/csp`)
        await session.evaluate(() => {
          setTimeout(() => {
            throw new Error('thrown-by-page')
          })
          void Promise.reject(new Error('rejected-by-page'))
          console.error('logged-by-page')
          document.head.append(Object.assign(document.createElement('script'), { textContent: '1' }))
        })
        const expected = ['thrown-by-page', 'rejected-by-page', 'logged-by-page', 'CSP violation: script-src']
        const unseen = () => expected.filter((text) => !session.problems().some((problem) => problem.includes(text)))
        await expect.poll(unseen).toEqual([])
      } finally {
        await session.close()
      }
    })

    it('?via= landing on www: cookie on the probed registrable domain, sent to app, where the Express sign-up is credited', async (session) => {
      const key = partnerKey('jane')
      const email = uniqueEmail('ada')
      const clickId = await landWithClick(session, `${ORIGINS.site}/?via=${key}`, key)
      expect(await storedCookie(session)).toMatchObject({
        value: clickId,
        domain: '.example.test',
        path: '/',
        secure: false,
      })
      // The click was a CORS simple request in this engine too: no preflight reached the mock.
      expect((await mockState()).preflights).toBe(0)

      await session.click('#signup-express', { navigates: true })
      expect(await session.url()).toBe(`${ORIGINS.express}/signup`)
      expect((await clickIdCookies(session)).map(({ value }) => value)).toEqual([clickId])
      expect(await signUpWithForm(session, email)).toEqual({ status: 'lead-recorded', clickId, partner: key })
      expect(await leadsFor(email)).toMatchObject([{ clickId, eventName: 'Sign Up', partner: { key } }])
    })

    it('?refp_id= landing: stored without a click of its own; only refp_id leaves the URL (other params and hash stay); Hono sign-up credited', async (session) => {
      const key = partnerKey('shortlink')
      const clickId = await shortLinkClick(key)
      await session.goto(`${ORIGINS.site}/?utm_source=newsletter&refp_id=${clickId}&lang=en#pricing`)
      expect(await storedCookie(session)).toMatchObject({ value: clickId, domain: '.example.test' })
      await expect.poll(() => session.url()).toBe(`${ORIGINS.site}/?utm_source=newsletter&lang=en#pricing`)
      await settle(session)
      expect(await clicksFor(key)).toHaveLength(1) // the short link's

      await session.click('#signup-hono', { navigates: true })
      expect(await signUpWithForm(session, uniqueEmail('grace'))).toEqual({
        status: 'lead-recorded',
        clickId,
        partner: key,
      })
    })

    it('reload and back/forward to the landing page record no second click', async (session) => {
      const key = partnerKey('jane')
      const landing = `${ORIGINS.site}/?via=${key}`
      const clickId = await landWithClick(session, landing, key)

      await session.reload()
      expect(await navigationType(session)).toBe('reload')
      await settle(session)
      await session.evaluate(() =>
        addEventListener('pageshow', (event) => ((window as { restored?: boolean }).restored = event.persisted)),
      )
      await session.click('#pricing', { navigates: true })
      expect(await session.url()).toBe(`${ORIGINS.site}/pricing`)
      await session.back()
      await expect.poll(() => session.url()).toBe(landing)
      // Either a new load of the landing URL, where the tracker ran again and chose not to
      // send (Firefox, Chromium: no-store pages stay out of the back/forward cache), or the
      // reloaded landing page itself restored from that cache, where no script runs again
      // (WebKit keeps such pages there).
      const back = await session.evaluate(() => ({
        type: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).type,
        restored: (window as { restored?: boolean }).restored ?? false,
      }))
      expect([
        { type: 'back_forward', restored: false },
        { type: 'reload', restored: true },
      ]).toContainEqual(back)
      await settle(session)
      await session.forward()
      await expect.poll(() => session.url()).toBe(`${ORIGINS.site}/pricing`)
      await session.back()
      await expect.poll(() => session.url()).toBe(landing)
      await settle(session)

      expect(await clicksFor(key)).toHaveLength(1)
      expect((await storedCookie(session)).value).toBe(clickId)
    })

    it('consent pending: nothing written or sent until granted; granting records the click and stores the cookie', async (session) => {
      const key = partnerKey('jane')
      await session.goto(`${ORIGINS.site}/consent?via=${key}`)
      await settle(session)
      await expectTrackerRanWithoutClick(session)
      expect(await session.cookies()).toEqual([]) // not even the domain probe
      expect(await clicksFor(key)).toEqual([])

      await session.click('#accept')
      const clickId = await theClickFor(key)
      await expect.poll(async () => (await clickIdCookies(session)).map(({ value }) => value)).toEqual([clickId])
    })

    it('outbound decoration: a link to other-brand.test carries the click ID when followed; the sign-up there is credited', async (session) => {
      const key = partnerKey('jane')
      const clickId = await landWithClick(session, `${ORIGINS.site}/cross-brand?via=${key}`, key)
      expect(await session.evaluate(() => document.querySelector('#to-other-brand')!.getAttribute('href'))).toBe(
        `${ORIGINS.otherBrand}/signup`,
      )

      await session.click('#to-other-brand', { navigates: true })
      // Stored on the other brand's own domain, then removed from its address bar.
      await expect
        .poll(async () => (await clickIdCookies(session)).map(({ domain, value }) => [domain, value]))
        .toEqual([['.other-brand.test', clickId]])
      await expect.poll(() => session.url()).toBe(`${ORIGINS.otherBrand}/signup`)
      expect(await signUpWithForm(session, uniqueEmail('brand'))).toEqual({
        status: 'lead-recorded',
        clickId,
        partner: key,
      })
    })

    it('outbound decoration: a link inside a web component (open shadow root) is decorated too', async (session) => {
      const key = partnerKey('jane')
      const clickId = await landWithClick(session, `${ORIGINS.site}/cross-brand?via=${key}`, key)
      // The real click lands on the <span> inside the shadow root; at the document the
      // event's target is the <brand-link> host, and only its composed path holds the <a>.
      await session.click('#shadow-link', { navigates: true })
      await expect
        .poll(async () => (await clickIdCookies(session)).map(({ domain, value }) => [domain, value]))
        .toEqual([['.other-brand.test', clickId]])
      await expect.poll(() => session.url()).toBe(`${ORIGINS.otherBrand}/signup?from=shadow`)
    })

    it('first-click: the first partner keeps the cookie and the credit; the second landing records no click', async (session) => {
      const alice = partnerKey('alice')
      const bob = partnerKey('bob')
      const aliceClick = await landWithClick(session, `${ORIGINS.site}/first-click?via=${alice}`, alice)
      await session.goto(`${ORIGINS.site}/first-click?via=${bob}`)
      await settle(session)
      expect(await clicksFor(bob)).toEqual([])
      expect((await storedCookie(session)).value).toBe(aliceClick)

      await session.click('#signup-express', { navigates: true })
      expect(await signUpWithForm(session, uniqueEmail('first'))).toEqual({
        status: 'lead-recorded',
        clickId: aliceClick,
        partner: alice,
      })
    })

    it("strict CSP (script-src 'self'): the script tag records the click and stores the cookie", async (session) => {
      const key = partnerKey('jane')
      const clickId = await landWithClick(session, `${ORIGINS.site}/csp?via=${key}`, key)
      expect((await storedCookie(session)).value).toBe(clickId)
      // The policy was in force on the page the tracker ran in.
      expect(
        await session.evaluate(() =>
          fetch(location.href).then((response) => response.headers.get('content-security-policy')),
        ),
      ).toContain("script-src 'self'")
    })

    it('Better Auth sign-up: the plugin reports the lead and its clear removes refp_id for app and www', async (session) => {
      const key = partnerKey('jane')
      const email = uniqueEmail('linus')
      const clickId = await landWithClick(session, `${ORIGINS.site}/?via=${key}`, key)

      await session.click('#signup-better-auth', { navigates: true })
      const { userId } = await signUpWithBetterAuth(session, {
        email,
        name: 'Linus',
        password: 'correct-horse-battery',
      })
      expect(await leadsFor(email)).toMatchObject([{ clickId, customerExternalId: userId, partner: { key } }])
      await expect.poll(() => clickIdCookies(session)).toEqual([])
      await session.goto(`${ORIGINS.site}/pricing`)
      expect(await clickIdCookies(session)).toEqual([])
    })

    it('React page with <RefportTracker />: one click despite StrictMode and a router dropping the query; sign-up credited', async (session) => {
      const key = partnerKey('jane')
      await session.goto(`${ORIGINS.site}/react?via=${key}`)
      const clickId = await theClickFor(key)
      await expect
        .poll(() => session.evaluate(() => document.querySelector('#click-id')?.getAttribute('data-click-id')))
        .toBe(clickId)
      expect(await session.url()).toBe(`${ORIGINS.site}/react`)
      expect(await storedCookie(session)).toMatchObject({ value: clickId, domain: '.example.test' })
      await settle(session)
      expect(await clicksFor(key)).toHaveLength(1)

      await session.click('#signup-express', { navigates: true })
      expect(await signUpWithForm(session, uniqueEmail('react'))).toEqual({
        status: 'lead-recorded',
        clickId,
        partner: key,
      })
    })

    it('pages without referral params: the tracker runs and writes no cookie', async (session) => {
      for (const path of ['/', '/pricing', '/?utm_source=ads', '/?via=', '/?refp_id=']) {
        await session.goto(`${ORIGINS.site}${path}`)
        await settle(session)
        await expectTrackerRanWithoutClick(session)
      }
      expect(await session.cookies()).toEqual([])
    })

    it('hostile landing params: the tracker runs, and nothing reaches a cookie, the mock or the page', async (session) => {
      for (const [label, query] of HOSTILE) {
        await session.goto(`${ORIGINS.site}/?${query}`)
        await settle(session)
        await expectTrackerRanWithoutClick(session)
        expect(await session.cookies(), label).toEqual([])
        expect(
          await session.evaluate(() => [
            (window as { pwned?: unknown }).pwned ?? null,
            document.querySelector('h1')?.textContent,
          ]),
          label,
        ).toEqual([null, 'Acme'])
        const value = new URLSearchParams(query).get('via')
        if (value) expect(await clicksFor(value), label).toEqual([])
      }
    })
  })
}
