// @vitest-environment node
/**
 * `refport-js` is imported by server-rendered apps (Next.js layouts, Remix loaders, edge
 * functions): there is no window, document, location or cookie jar. Importing it and
 * calling every export must be harmless.
 */
import { describe, expect, it, vi } from 'vitest'

describe('on the server (no DOM)', () => {
  it('the test really runs without a DOM', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
    expect(typeof location).toBe('undefined')
  })

  it('importing refport-js does not throw', async () => {
    vi.resetModules()
    await expect(import('./index')).resolves.toMatchObject({ CLICK_ID_EVENT: 'refport:clickid' })
  })

  it('getClickId() is null', async () => {
    const { getClickId } = await import('./index')
    expect(getClickId()).toBeNull()
  })

  it('init(), grantConsent() and revokeConsent() do nothing and do not throw', async () => {
    const fetch = vi.fn()
    vi.stubGlobal('fetch', fetch)
    const unhandled: unknown[] = []
    const onRejection = (reason: unknown): void => void unhandled.push(reason)
    process.on('unhandledRejection', onRejection)
    try {
      const { init, grantConsent, revokeConsent, getClickId } = await import('./index')
      expect(() => init({ publishableKey: 'pk_test', outboundDomains: ['app.acme.io'], debug: true })).not.toThrow()
      expect(() => init()).not.toThrow()
      expect(() => grantConsent()).not.toThrow()
      expect(() => revokeConsent()).not.toThrow()
      await new Promise((resolve) => setImmediate(resolve))
      expect(getClickId()).toBeNull()
      expect(fetch).not.toHaveBeenCalled()
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onRejection)
      vi.unstubAllGlobals()
    }
  })

  it('defines no globals', async () => {
    const before = new Set(Object.getOwnPropertyNames(globalThis))
    vi.resetModules()
    const { init } = await import('./index')
    init({ publishableKey: 'pk_test' })
    expect(Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name))).toEqual([])
  })
})
