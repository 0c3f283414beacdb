// @vitest-environment node
import { StrictMode } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { RefportTracker, useRefport } from './index'

afterEach(() => vi.restoreAllMocks())

function ClickIdField() {
  const { clickId } = useRefport()
  return <input name="clickId" type="hidden" value={clickId ?? ''} />
}

/** Server rendering as a Next.js route or a React SSR framework does it: no DOM at all. */
describe('server rendering', () => {
  it('runs without a DOM', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
  })

  it.each([
    ['a tracker', <RefportTracker publishableKey="pk_live_123" />],
    [
      'a tracker under StrictMode',
      <StrictMode>
        <RefportTracker publishableKey="pk_live_123" consent="pending" />
      </StrictMode>,
    ],
    [
      'two trackers',
      <>
        <RefportTracker />
        <RefportTracker cookieOptions={{ domain: 'acme.com' }} />
      </>,
    ],
  ])('renders %s as nothing, silently, with no request', (_, element) => {
    const fetch = vi.spyOn(globalThis, 'fetch')
    const consoleError = vi.spyOn(console, 'error')
    const consoleWarn = vi.spyOn(console, 'warn')
    expect(renderToString(element)).toBe('')
    expect(fetch).not.toHaveBeenCalled()
    expect(consoleError).not.toHaveBeenCalled()
    expect(consoleWarn).not.toHaveBeenCalled()
  })

  it('gives the hook a null click ID on the server', () => {
    expect(renderToString(<ClickIdField />)).toMatch(/^<input [^>]*value=""\/>$/)
  })
})
