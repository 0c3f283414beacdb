/**
 * Hostile landing params: attribute injection through `;`, CRLF header splitting, markup,
 * and 10 KB values. None may reach a cookie, run a script, send a request or log an error.
 */
import { ORIGINS, expect, expectTrackerRanWithoutClick, recordClickRequests, settle, test } from './support'

const TEN_KB = 'a'.repeat(10 * 1024)
const HOSTILE: [label: string, query: string][] = [
  ['refp_id with ;domain=evil.test', `refp_id=${encodeURIComponent('abc;domain=evil.test')}`],
  ['via with ;domain=evil.test', `via=${encodeURIComponent('jane;domain=evil.test')}`],
  ['refp_id with CRLF + Set-Cookie', `refp_id=${encodeURIComponent('abc\r\nSet-Cookie: pwned=1')}`],
  ['via with CRLF', `via=${encodeURIComponent('jane\r\nX-Injected: 1')}`],
  ['refp_id with <script>', `refp_id=${encodeURIComponent('<script>window.pwned=1</script>')}`],
  ['via with <img onerror>', `via=${encodeURIComponent('"><img src=x onerror="window.pwned=1">')}`],
  ['refp_id of 10 KB', `refp_id=${TEN_KB}`],
  ['via of 10 KB', `via=${TEN_KB}`],
  ['refp_id with encoded path attribute', `refp_id=abc%3B%20Path%3D%2Fadmin`],
]

for (const [label, query] of HOSTILE) {
  test(`hostile param: ${label} → no cookie, no script, no request, no error`, async ({ page }) => {
    const clicks = recordClickRequests(page)
    let dialogs = 0
    page.on('dialog', (dialog) => {
      dialogs++
      void dialog.dismiss()
    })
    await page.goto(`${ORIGINS.site}/?${query}`)
    await settle(page)
    await expectTrackerRanWithoutClick(page)
    expect(await page.context().cookies()).toEqual([])
    expect(await page.evaluate(() => (window as { pwned?: unknown }).pwned)).toBeUndefined()
    expect(dialogs).toBe(0)
    expect(clicks).toEqual([])
    await expect(page.locator('h1')).toHaveText('Acme')
  })
}
