/** Minting clicks on the mock API, for tests of `refport` and `@refport/better-auth` (not published). */
import { MOCK_PUBLISHABLE_KEY } from '../testing'

/**
 * Registers a click for partner `key` with the mock at `mockUrl`, as the browser tracker
 * would on a landing at `site`, and returns its ID.
 */
export async function mintClick(mockUrl: string, key = 'jane', site = 'https://www.acme.com'): Promise<string> {
  const response = await fetch(`${mockUrl}/track/click`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ publishableKey: MOCK_PUBLISHABLE_KEY, key, url: `${site}/?via=${key}`, referrer: '' }),
  })
  if (!response.ok) throw new Error(`mock refused the click: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { clickId: string }).clickId
}
