/**
 * Hostile landing params: attribute injection through `;`, CRLF header splitting, markup,
 * and 10 KB values. None may reach a cookie, run a script, send a request or log an error.
 * Hostile headers on a sign-up: they cannot make the response big or slow.
 */
import { request as httpRequest } from 'node:http'
import {
  ORIGINS,
  expect,
  expectTrackerRanWithoutClick,
  shortLinkClick,
  partnerKey,
  recordClickRequests,
  settle,
  test,
  uniqueEmail,
} from './support'

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

/**
 * Hostile headers on a sign-up: the Better Auth app's response to a request that carries
 * `refp_id` must stay small and fast whatever `Host` / `X-Forwarded-Host` say (a host of n
 * labels once cost n Set-Cookie headers of n bytes each, and minutes of work).
 */
function rawSignUp(headers: Record<string, string>): Promise<{ status: number; setCookies: string[]; ms: number }> {
  const body = JSON.stringify({ email: uniqueEmail('hostile'), password: 'correct-horse-battery', name: 'Hostile' })
  const { port } = new URL(ORIGINS.betterAuth)
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(port),
        path: '/api/auth/sign-up/email',
        method: 'POST',
        headers: {
          origin: ORIGINS.betterAuth,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...headers,
        },
      },
      (res) => {
        res.resume()
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            setCookies: res.headers['set-cookie'] ?? [],
            ms: performance.now() - started,
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

const deepHost = (labels: number) => `${'a.'.repeat(labels - 2)}example.test`
const clickIdExpiries = (setCookies: string[]) => setCookies.filter((line) => line.startsWith('refp_id='))

test('hostile headers on a sign-up: a normal Host clears its parent domains (positive control)', async () => {
  const clickId = await shortLinkClick(partnerKey('jane'))
  const response = await rawSignUp({ host: new URL(ORIGINS.betterAuth).host, cookie: `refp_id=${clickId}` })
  expect(response.status).toBe(200)
  expect(clickIdExpiries(response.setCookies).some((line) => /Domain=example\.test/i.test(line))).toBe(true)
})

for (const [label, headers] of [
  ['a 3,208-byte Host', { host: deepHost(1604) }],
  [
    'a 12 KB X-Forwarded-Host (not trusted)',
    { host: new URL(ORIGINS.betterAuth).host, 'x-forwarded-host': deepHost(6004) },
  ],
] as const) {
  test(`hostile headers on a sign-up: ${label} → answered at once, a handful of small Set-Cookie headers`, async () => {
    const clickId = await shortLinkClick(partnerKey('jane'))
    const response = await rawSignUp({ ...headers, cookie: `refp_id=${clickId}` })
    // Generous (sign-up hashes a password): the unbounded clear took 175 s for this Host.
    expect(response.ms).toBeLessThan(10_000)
    expect(clickIdExpiries(response.setCookies).length).toBeLessThanOrEqual(8)
    expect(response.setCookies.join('').length).toBeLessThan(4096)
  })
}
