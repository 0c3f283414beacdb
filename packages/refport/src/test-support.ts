/** Helpers shared by this package's tests (not part of the published API). */
import { MOCK_PUBLISHABLE_KEY } from './testing'

/** Registers a click for partner `key` with the mock, as the browser tracker would, and returns its ID. */
export async function mintClick(mockUrl: string, key = 'jane'): Promise<string> {
  const response = await fetch(`${mockUrl}/track/click`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ publishableKey: MOCK_PUBLISHABLE_KEY, key, url: `https://www.acme.com/?via=${key}`, referrer: '' }),
  })
  if (!response.ok) throw new Error(`mock refused the click: ${response.status} ${await response.text()}`)
  return ((await response.json()) as { clickId: string }).clickId
}
