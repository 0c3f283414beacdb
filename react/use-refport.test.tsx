import { StrictMode } from 'react'
import { act, cleanup, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { nextClickIdEvent } from '@refport/test-support/click-id-event'
import { API_HOST, fakeClickApi, openPage, storeClickId } from '@refport/test-support/react-page'

afterEach(() => {
  cleanup()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
})

type Entry = Awaited<ReturnType<typeof openPage>>

/** A hidden form field fed by the hook: the use the hook exists for. */
const clickIdField = ({ useRefport }: Entry) =>
  function ClickIdField() {
    const { clickId } = useRefport()
    return <input data-testid="click-id" readOnly value={clickId ?? 'none'} />
  }

const field = () => (screen.getByTestId('click-id') as HTMLInputElement).value

describe('useRefport()', () => {
  it('gives a returning visitor the stored click ID on the first client render, with no tracker', async () => {
    const entry = await openPage('https://www.acme.com/account')
    storeClickId('cl_returning')
    const ClickIdField = clickIdField(entry)
    render(<ClickIdField />)
    expect(field()).toBe('cl_returning')
  })

  it.each([
    ['a form field', clickIdField],
    // Text is where a mismatch shows: React patches a differing value attribute silently but
    // reports differing text and throws the server markup away.
    [
      'text',
      ({ useRefport }: Entry) =>
        () => <span data-testid="click-id">{useRefport().clickId ?? 'none'}</span>,
    ],
  ])(
    'hydrates server markup with the click ID in %s without a mismatch, then shows the stored click ID',
    async (_, component) => {
      const entry = await openPage('https://www.acme.com/checkout')
      const { renderToString } = await import('react-dom/server')
      const ClickId = component(entry)
      const container = document.body.appendChild(document.createElement('div'))
      container.innerHTML = renderToString(<ClickId />)
      storeClickId('cl_hydrated')
      const consoleError = vi.spyOn(console, 'error')
      // React 19 reports a hydration mismatch here, not on the console; React 18 does both.
      const onRecoverableError = vi.fn()
      await act(async () => void render(<ClickId />, { container, hydrate: true, onRecoverableError }))
      expect(onRecoverableError).not.toHaveBeenCalled()
      expect(consoleError).not.toHaveBeenCalled()
      const shown = screen.getByTestId('click-id')
      expect(shown instanceof HTMLInputElement ? shown.value : shown.textContent).toBe('cl_hydrated')
    },
  )

  it('is null for a visitor without a referral', async () => {
    const ClickIdField = clickIdField(await openPage('https://www.acme.com/'))
    render(<ClickIdField />)
    expect(field()).toBe('none')
  })

  it.each([
    ['a value outside the click-ID alphabet', 'refp_id=cl%3Bevil'],
    ['a value with a space', 'refp_id=cl evil'],
    ['an empty value', 'refp_id='],
    ['a value over 128 characters', `refp_id=${'a'.repeat(129)}`],
    ['a lookalike cookie name', 'xrefp_id=cl_other'],
  ])('ignores %s in the cookie', async (_, cookie) => {
    const ClickIdField = clickIdField(await openPage('https://www.acme.com/'))
    document.cookie = `${cookie}; path=/`
    render(<ClickIdField />)
    expect(field()).toBe('none')
  })

  it('updates when the tracker stores a new click ID', async () => {
    // The request-first path (no crypto): the ID arrives with the API's answer.
    vi.stubGlobal('crypto', undefined)
    const api = fakeClickApi()
    const entry = await openPage('https://www.acme.com/?via=jane')
    const { RefportTracker } = entry
    const ClickIdField = clickIdField(entry)
    render(
      <StrictMode>
        <RefportTracker publishableKey="pk_test_refport" apiHost={API_HOST} />
        <ClickIdField />
      </StrictMode>,
    )
    expect(field()).toBe('none')
    const stored = nextClickIdEvent()
    await act(async () => {
      api.answer('cl_new')
      await stored
    })
    expect(field()).toBe('cl_new')
  })

  it.each([
    ['mounted before the tracker, which mounts later', 'later'],
    ['rendered before the tracker in the same commit', 'same-commit'],
  ])('works when %s', async (_, order) => {
    const entry = await openPage('https://www.acme.com/?refp_id=cl_order')
    const { RefportTracker } = entry
    const ClickIdField = clickIdField(entry)
    const { rerender } = render(
      <>
        <ClickIdField />
        {order === 'same-commit' && <RefportTracker />}
      </>,
    )
    if (order === 'later') {
      expect(field()).toBe('none')
      rerender(
        <>
          <ClickIdField />
          <RefportTracker />
        </>,
      )
    }
    expect(field()).toBe('cl_order')
  })

  it('revokeConsent() deletes the cookie and clears the click ID', async () => {
    const entry = await openPage('https://www.acme.com/?refp_id=cl_revoked')
    const { RefportTracker, useRefport } = entry
    function Banner() {
      const { clickId, revokeConsent } = useRefport()
      return (
        <button type="button" onClick={revokeConsent}>
          {clickId ?? 'none'}
        </button>
      )
    }
    render(
      <>
        <RefportTracker />
        <Banner />
      </>,
    )
    expect(screen.getByRole('button').textContent).toBe('cl_revoked')
    act(() => screen.getByRole('button').click())
    expect(screen.getByRole('button').textContent).toBe('none')
    expect(document.cookie).not.toContain('refp_id')
  })

  it('grantConsent() applies a landing held back by consent="pending"', async () => {
    const entry = await openPage('https://www.acme.com/?refp_id=cl_granted')
    const { RefportTracker, useRefport } = entry
    function Banner() {
      const { clickId, grantConsent } = useRefport()
      return (
        <button type="button" onClick={grantConsent}>
          {clickId ?? 'none'}
        </button>
      )
    }
    render(
      <>
        <RefportTracker consent="pending" />
        <Banner />
      </>,
    )
    expect(screen.getByRole('button').textContent).toBe('none')
    act(() => screen.getByRole('button').click())
    expect(screen.getByRole('button').textContent).toBe('cl_granted')
  })

  it('stops listening for click-ID changes once unmounted', async () => {
    const { useRefport } = await openPage('https://www.acme.com/')
    const added = vi.spyOn(window, 'addEventListener')
    const removed = vi.spyOn(window, 'removeEventListener')
    const listeners = (spy: typeof added) =>
      spy.mock.calls.filter(([type]) => type === 'refport:clickid').map(([, listener]) => listener)
    function Probe() {
      useRefport()
      return null
    }
    const { unmount } = render(<Probe />)
    expect(listeners(added)).toHaveLength(1)
    expect(listeners(removed)).toEqual([])
    unmount()
    expect(listeners(removed)).toEqual(listeners(added))
  })

  it('returns the same consent functions on every render, so they can be effect dependencies', async () => {
    const { useRefport } = await openPage('https://www.acme.com/')
    const seen: Array<ReturnType<typeof useRefport>> = []
    function Spy() {
      seen.push(useRefport())
      return null
    }
    const { rerender } = render(<Spy />)
    rerender(<Spy />)
    expect(seen[0]!.grantConsent).toBe(seen[1]!.grantConsent)
    expect(seen[0]!.revokeConsent).toBe(seen[1]!.revokeConsent)
  })
})

describe('useRefport().partner', () => {
  const janeCookie = 'refp_partner=cl_jane|jane|Jane%20%3CDoe%3E||JANE20|20|percentage|3; Path=/'
  const jane = {
    key: 'jane',
    name: 'Jane',
    avatarUrl: null,
    discount: { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 },
  }
  const partnerText = ({ useRefport }: Entry) =>
    function PartnerText() {
      const { partner } = useRefport()
      return (
        <span data-testid="partner">
          {partner ? `${partner.name} sent you: ${partner.discount?.amount}% off` : 'none'}
        </span>
      )
    }

  it('hydrates with null (no mismatch), then shows the stored partner as text', async () => {
    const entry = await openPage('https://www.acme.com/pricing')
    const { renderToString } = await import('react-dom/server')
    const Partner = partnerText(entry)
    const container = document.body.appendChild(document.createElement('div'))
    container.innerHTML = renderToString(<Partner />)
    expect(container.textContent).toBe('none')
    storeClickId('cl_jane')
    document.cookie = 'refp_partner=cl_jane|jane|Jane||JANE20|20|percentage|3; Path=/'
    const onRecoverableError = vi.fn()
    await act(async () => void render(<Partner />, { container, hydrate: true, onRecoverableError }))
    expect(onRecoverableError).not.toHaveBeenCalled()
    expect(screen.getByTestId('partner').textContent).toBe('Jane sent you: 20% off')
  })

  it('keeps one object per partner across renders, and updates on refport:partner', async () => {
    const entry = await openPage('https://www.acme.com/pricing')
    const seen: unknown[] = []
    function Probe() {
      seen.push(entry.useRefport().partner)
      return null
    }
    storeClickId('cl_jane')
    document.cookie = 'refp_partner=cl_jane|jane|Jane||JANE20|20|percentage|3; Path=/'
    const { rerender } = render(<Probe />)
    rerender(<Probe />)
    expect(seen.at(-1)).toEqual(jane)
    expect(seen.at(-1)).toBe(seen.at(-2))
    document.cookie = 'refp_partner=cl_jane|jane|Jane%20B||||; Path=/'
    await act(async () => void dispatchEvent(new CustomEvent('refport:partner', { detail: null })))
    expect(seen.at(-1)).toEqual({ key: 'jane', name: 'Jane B', avatarUrl: null, discount: null })
  })

  it('is null for hostile partner data (markup in the name), while the click ID still shows', async () => {
    const entry = await openPage('https://www.acme.com/pricing')
    storeClickId('cl_jane')
    document.cookie = janeCookie
    const Partner = partnerText(entry)
    render(<Partner />)
    expect(screen.getByTestId('partner').textContent).toBe('none')
    expect(document.cookie).toContain('refp_id=cl_jane')
  })
})
