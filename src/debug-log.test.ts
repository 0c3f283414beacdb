/** The debug build's log: every decision the tracker takes is logged, and nothing else changes. */
import { describe, expect, it, vi } from 'vitest'
import { loadTracker, settle, useTrackerPage } from '@refport/test-support/tracker-page'

useTrackerPage()

describe('debug logs every decision', () => {
  const logged = (): string[] => {
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    return new Proxy([], {
      get: (_, key) =>
        Reflect.get(
          info.mock.calls.map((call) => call.slice(1).join(' ')),
          key,
        ),
    })
  }

  it('consent pending, granted and revoked', async () => {
    const { init, grantConsent, revokeConsent } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    const lines = logged()
    init({ consent: 'pending', debug: true })
    expect(lines).toContain('consent pending')
    grantConsent()
    await settle()
    expect(lines).toContain('consent granted')
    expect(lines).toContain('stored cl_1')
    revokeConsent()
    expect(lines).toContain('consent revoked')
  })

  it('a cookie the browser refuses is reported, and the URL and event are left alone', async () => {
    const { init, getClickId } = await loadTracker('https://www.acme.com/?refp_id=cl_1')
    const lines = logged()
    const events = vi.fn()
    addEventListener('refport:clickid', events)
    init({ cookieOptions: { domain: 'other.test' }, debug: true })
    await settle()
    removeEventListener('refport:clickid', events)
    expect(getClickId()).toBeNull()
    expect(lines).toContain('cookie refused cl_1')
    expect(lines).not.toContain('stored cl_1')
    expect(location.href).toBe('https://www.acme.com/?refp_id=cl_1')
    expect(events).not.toHaveBeenCalled()
  })
})
