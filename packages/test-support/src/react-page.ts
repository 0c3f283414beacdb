/**
 * A fresh page for each React test: the core keeps one tracker per page and reads the
 * landing URL when its module is evaluated, so every test gets a new URL, no cookies, a
 * fake click API and newly evaluated `refport-js` + `refport-js/react` modules (React
 * itself is not re-evaluated, so the testing library and the wrapper share one React).
 */
import { vi } from 'vitest'
import { CLICK_ID_COOKIE, domainCandidates, serializeClickIdCookie, type ClickRequest } from '@refport/contract'

export const API_HOST = 'https://api.test'

/** A click API that answers only when told to, so a test can act while the request is in flight. */
export interface FakeClickApi {
  /** Bodies of every click request, in order. */
  requests: ClickRequest[]
  /** Answers every pending and future click request with `clickId`. */
  answer(clickId: string): void
}

export function fakeClickApi(): FakeClickApi {
  const requests: ClickRequest[] = []
  let answer!: (clickId: string) => void
  const answered = new Promise<string>((resolve) => (answer = resolve))
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    if (url !== `${API_HOST}/track/click`) throw new TypeError(`unexpected request to ${url}`)
    const body = JSON.parse(String(init.body)) as ClickRequest
    requests.push(body)
    const clickId = await answered
    return new Response(JSON.stringify({ clickId, partner: { key: body.key } }), { status: 200 })
  })
  return { requests, answer }
}

/** Opens `url` as a new page and returns the freshly evaluated React entry. */
export async function openPage(url: string): Promise<typeof import('refport-js/react')> {
  clearCookies()
  delete (window as { refportConsent?: unknown }).refportConsent
  history.replaceState(null, '', url)
  vi.resetModules()
  return import('refport-js/react')
}

export const storeClickId = (clickId: string): void => {
  document.cookie = `${CLICK_ID_COOKIE}=${clickId}; path=/`
}

function clearCookies(): void {
  for (const name of document.cookie
    .split(/;\s*/)
    .map((pair) => pair.split('=')[0]!)
    .filter(Boolean))
    for (const domain of [undefined, ...domainCandidates(location.hostname)])
      document.cookie = serializeClickIdCookie('', { domain, path: '/', expiresInDays: 0 }, name)
}
