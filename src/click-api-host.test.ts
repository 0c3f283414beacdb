import { afterEach, describe, expect, it, vi } from 'vitest'
import { sendClick } from './click'

const body = { publishableKey: 'pk', key: 'jane', clickId: 'cl_1', url: 'https://www.acme.com/', referrer: '' }

afterEach(() => vi.unstubAllGlobals())

/** Calls sendClick with a fetch that records the URL it was given. */
async function clickUrl(apiHost: string): Promise<string> {
  const urls: string[] = []
  vi.stubGlobal('fetch', async (url: string) => {
    urls.push(url)
    return Response.json({ clickId: 'cl_1' })
  })
  await sendClick(apiHost, body)
  return urls[0]!
}

describe('the click URL under apiHost', () => {
  it.each([
    ['https://api.refport.io', 'https://api.refport.io/track/click'],
    ['https://api.refport.io/', 'https://api.refport.io/track/click'],
    ['https://api.refport.io///', 'https://api.refport.io/track/click'],
    ['/_refport', '/_refport/track/click'],
    ['/_refport/', '/_refport/track/click'],
    ['/', '/track/click'],
    ['//', '/track/click'],
  ])('%s → %s', async (apiHost, expected) => {
    expect(await clickUrl(apiHost)).toBe(expected)
  })

  it('a 64 K run of slashes costs linear time, wherever it is', async () => {
    const started = performance.now()
    expect(await clickUrl(`https://api.acme.test/x${'/'.repeat(65536)}y`)).toHaveLength(23 + 65536 + 1 + 12)
    expect(await clickUrl(`https://api.acme.test${'/'.repeat(65536)}`)).toBe('https://api.acme.test/track/click')
    expect(performance.now() - started).toBeLessThan(1000) // `/\/+$/` took about 8 s on the first one
  })
})
