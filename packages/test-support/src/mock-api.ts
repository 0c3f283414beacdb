/**
 * Registering clicks on the mock Refport API (`refport/testing`), for every suite that needs
 * a click the API knows: the unit tests of `refport` and `@refport/better-auth`, and the
 * browser suites (Playwright, Firefox, WebKit).
 */
import { isClickId, mintClickId } from '@refport/contract'
import { MOCK_PUBLISHABLE_KEY } from 'refport/testing'

/**
 * Registers a click for partner `key` with the mock at `apiUrl`, as the browser tracker does
 * on a landing at `url`: the click ID is minted here with the contract's `mintClickId()` and
 * sent with the click. Returns the click ID; throws when the mock does not accept it.
 */
export async function registerClick(
  apiUrl: string,
  key = 'jane',
  url = `https://www.acme.com/?via=${key}`,
): Promise<string> {
  const clickId = mintClickId()
  if (!clickId) throw new Error('no crypto.getRandomValues to mint a click ID with')
  const response = await fetch(`${apiUrl}/track/click`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    body: JSON.stringify({ publishableKey: MOCK_PUBLISHABLE_KEY, key, clickId, url, referrer: '' }),
  })
  if (response.status !== 200) throw new Error(`mock refused the click: ${response.status} ${await response.text()}`)
  const answer = (await response.json()) as { clickId?: unknown }
  if (!isClickId(answer.clickId) || answer.clickId !== clickId)
    throw new Error(`mock answered the click with ${JSON.stringify(answer)}`)
  return clickId
}
