/** The attribution scenarios in WebKit (WebKitGTK, tracking prevention on). */
import { describe, expect, test } from 'vitest'
import { attributionScenarios, inSession, useEngine } from './scenarios'
import type { BrowserSession } from './session'
import {
  ORIGINS,
  clicksFor,
  daysLeft,
  landWithClick,
  shortLinkClick,
  partnerKey,
  signUpWithForm,
  storedCookie,
  uniqueEmail,
} from './support'
import { webkit } from './webkit'

const tracking = {
  /**
   * WebKit installs the cap asynchronously when the profile starts: waits until a
   * script-written control cookie with a 90-day Max-Age comes back capped.
   */
  async capInstalled(session: BrowserSession): Promise<void> {
    await session.goto(`${ORIGINS.site}/__health`)
    await expect
      .poll(async () => {
        await session.evaluate(() => {
          document.cookie = `itp_control=1; Max-Age=${90 * 86400}; Path=/`
        })
        const control = (await session.cookies()).find((cookie) => cookie.name === 'itp_control')
        return control && daysLeft(control)
      })
      .toBeLessThanOrEqual(7)
  },
}

const engine = webkit()
useEngine(engine)
attributionScenarios(engine)

/**
 * Safari's tracking prevention caps the lifetime of cookies written by scripts
 * (`document.cookie`) at 7 days; a cookie set by the site's own server in an HTTP response
 * keeps its `Max-Age`. That is why a first-party landing step on the site's server (the
 * landing middleware) keeps attribution past a week in Safari. The server here is
 * `refportMiddleware()` from `refport/express` (e2e/servers/landing-site.mjs), on
 * ORIGINS.siteFirstParty.
 */
describe('webkit: Safari tracking prevention (ITP)', () => {
  const it = (name: string, body: (session: BrowserSession) => Promise<void>) => test(name, inSession(engine, body))

  it("control: the tracker's script-written refp_id expires in 7 days, not 90", async (session) => {
    await tracking.capInstalled(session)
    const key = partnerKey('jane')
    const clickId = await landWithClick(session, `${ORIGINS.site}/?via=${key}`, key)
    const cookie = await storedCookie(session)
    expect(cookie.value).toBe(clickId)
    expect(daysLeft(cookie)).toBeGreaterThan(6.99)
    expect(daysLeft(cookie)).toBeLessThanOrEqual(7)
  })

  it("a landing answered with Set-Cookie by the site's own server keeps 90 days, and the sign-up on app is credited", async (session) => {
    await tracking.capInstalled(session)
    const key = partnerKey('shortlink')
    const clickId = await shortLinkClick(key)
    // A page without the tracker: whatever cookie is there, the server set it.
    await session.goto(`${ORIGINS.siteFirstParty}/no-tracker?refp_id=${clickId}`)
    const cookie = await storedCookie(session)
    expect(cookie).toMatchObject({ value: clickId, domain: '.example.test', path: '/' })
    expect(daysLeft(cookie)).toBeGreaterThan(89.99)
    expect(daysLeft(cookie)).toBeLessThanOrEqual(90)

    await session.click('#signup-express', { navigates: true })
    expect(await signUpWithForm(session, uniqueEmail('safari'))).toEqual({
      status: 'lead-recorded',
      clickId,
      partner: key,
    })
  })

  it("a later page view through the site's own server renews the tracker's capped cookie to 90 days", async (session) => {
    await tracking.capInstalled(session)
    const key = partnerKey('jane')
    const clickId = await landWithClick(session, `${ORIGINS.site}/?via=${key}`, key)
    expect(daysLeft(await storedCookie(session))).toBeLessThanOrEqual(7)

    await session.goto(`${ORIGINS.siteFirstParty}/pricing`)
    const renewed = await storedCookie(session)
    expect(renewed).toMatchObject({ value: clickId, domain: '.example.test' })
    expect(daysLeft(renewed)).toBeGreaterThan(89.99)
    expect(await clicksFor(key)).toHaveLength(1)
  })

  it('a ?via= landing through the middleware, with the tracker on the page, keeps 90 days and is one click', async (session) => {
    await tracking.capInstalled(session)
    const key = partnerKey('server')
    await session.goto(`${ORIGINS.siteFirstParty}/?via=${key}`)
    const clicks = await clicksFor(key)
    expect(clicks).toHaveLength(1)
    const cookie = await storedCookie(session)
    expect(cookie).toMatchObject({ value: clicks[0]!.clickId, domain: '.example.test' })
    expect(daysLeft(cookie)).toBeGreaterThan(89.99)
  })

  it('a ?refp_id= landing through the middleware, with the tracker on the page, keeps 90 days (the tracker does not rewrite it)', async (session) => {
    await tracking.capInstalled(session)
    const key = partnerKey('tracked')
    const clickId = await shortLinkClick(key)
    await session.goto(`${ORIGINS.siteFirstParty}/?refp_id=${clickId}`)
    const cookie = await storedCookie(session)
    expect(cookie).toMatchObject({ value: clickId, domain: '.example.test' })
    expect(daysLeft(cookie)).toBeGreaterThan(89.99)
  })
})
