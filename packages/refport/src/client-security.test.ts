/**
 * What the SDK refuses to do with its configuration: follow a redirect, quote a password,
 * spend time that grows with a mangled value, or send a key over plain http unannounced.
 */
import { createServer, type Server } from 'node:http'
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Refport, RefportConfigError } from './index'
import { registerClick } from '@refport/test-support/mock-api'
import { MOCK_API_KEY, startMockRefportApi } from './testing'

const mock = await startMockRefportApi()
afterAll(() => mock.close())
beforeEach(() => mock.reset())
afterEach(() => vi.restoreAllMocks())

const signUp = (clickId: string) => ({
  clickId,
  eventName: 'Sign Up',
  customerExternalId: 'user_1',
  customerEmail: 'jane@acme.com',
})

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; status?: number }> {
  try {
    await promise
  } catch (error) {
    return error as Error
  }
  throw new Error('expected a rejection')
}

/** A server that answers every request with `status` and `Location: target`, recording the methods it saw. */
async function redirector(status: number, target: string): Promise<{ url: string; methods: string[]; server: Server }> {
  const methods: string[] = []
  const server = createServer((req, res) => {
    methods.push(req.method ?? '')
    res.writeHead(status, { location: target }).end()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  return { url: `http://127.0.0.1:${port}`, methods, server }
}

describe('redirects are never followed', () => {
  it.each([301, 302, 303, 307, 308])(
    'a %i from baseUrl rejects with RefportConfigError, once, and records nothing',
    async (status) => {
      const clickId = await registerClick(mock.url)
      // The redirect target is a real lead endpoint: following it would record (or look recorded).
      const { url, methods, server } = await redirector(status, `${mock.url}/track/lead`)
      try {
        const error = await rejection(
          new Refport({ apiKey: MOCK_API_KEY, baseUrl: url, retryBaseDelayMs: 1 }).track.lead(signUp(clickId)),
        )
        expect(error).toBeInstanceOf(RefportConfigError)
        expect(error).toMatchObject({ code: 'redirect', status })
        expect(error.message).toContain('does not follow redirects')
        expect(methods).toEqual(['POST']) // not retried
        expect(mock.state().leads).toHaveLength(0)
      } finally {
        server.close()
      }
    },
  )

  it('positive control: the same lead straight to the API is recorded', async () => {
    const clickId = await registerClick(mock.url)
    const result = await new Refport({ apiKey: MOCK_API_KEY, baseUrl: mock.url }).track.lead(signUp(clickId))
    expect(result.duplicate).toBe(false)
    expect(mock.state().leads).toHaveLength(1)
  })

  it('asks fetch not to follow (redirect: manual), whatever fetch it is given', async () => {
    const seen: (RequestRedirect | undefined)[] = []
    const fetchFn: typeof fetch = async (_input, init) => {
      seen.push(init?.redirect)
      return Response.json({ lead: {}, duplicate: false })
    }
    await new Refport({ apiKey: 'k', baseUrl: 'https://api.acme.test', fetch: fetchFn }).track.lead(signUp('cl_x'))
    expect(seen).toEqual(['manual'])
  })

  it('an opaque redirect (a spec-strict fetch) is refused too', async () => {
    const opaque = {
      type: 'opaqueredirect',
      status: 0,
      headers: new Headers(),
      text: async () => '',
    } as unknown as Response
    const error = await rejection(
      new Refport({ apiKey: 'k', baseUrl: 'https://api.acme.test', fetch: async () => opaque }).track.lead(
        signUp('cl_x'),
      ),
    )
    expect(error).toMatchObject({ code: 'redirect' })
  })
})

describe('credentials in baseUrl never reach an error message', () => {
  it.each([
    'https://proxyuser:s3cr3t-pass@proxy.acme.com/_refport ',
    'https://proxyuser:s3cr3t-pass@proxy.acme.com/_refport',
    'proxyuser:s3cr3t-pass@proxy.acme.com',
    'https://proxyuser:s3cr3t-pass@proxy acme.com',
    'https://proxyuser:s3cr/3t-pass@proxy.acme.com/x\n',
    'ftp://proxyuser:s3cr3t-pass@proxy.acme.com',
    '\thttps://proxyuser:s3cr3t-pass@proxy.acme.com',
  ])('%j', async (baseUrl) => {
    const error = await rejection(
      new Refport({ apiKey: 'k', baseUrl, fetch: async () => Response.json({}) }).track.lead(signUp('cl_x')),
    )
    expect(error).toMatchObject({ code: 'invalid_base_url' })
    expect(error.message).toMatch(/^refport: baseUrl /)
    expect(error.message).not.toContain('s3cr')
    expect(error.message).not.toContain('3t-pass')
  })

  it('positive control: a broken baseUrl without credentials is still quoted', async () => {
    const error = await rejection(
      new Refport({ apiKey: 'k', baseUrl: 'https://proxy.acme.com/_refport ' }).track.lead(signUp('cl_x')),
    )
    expect(error.message).toContain('"https://proxy.acme.com/_refport "')
  })
})

describe('trailing slashes cost linear time', () => {
  it('a baseUrl with 64 K slashes before its end is joined at once', async () => {
    const urls: string[] = []
    const fetchFn: typeof fetch = async (input) => {
      urls.push(String(input))
      return Response.json({ lead: {}, duplicate: false })
    }
    const started = performance.now()
    for (const baseUrl of [
      `https://api.acme.test/x${'/'.repeat(65536)}x`,
      `https://api.acme.test${'/'.repeat(65536)}`,
    ]) {
      await new Refport({ apiKey: 'k', baseUrl, fetch: fetchFn }).track.lead(signUp('cl_x'))
    }
    expect(performance.now() - started).toBeLessThan(1000) // `/\/+$/` took about 7 s here
    expect(urls[1]).toBe('https://api.acme.test/track/lead')
    expect(urls[0]).toHaveLength(`https://api.acme.test/x${'/'.repeat(65536)}x/track/lead`.length)
  })
})

describe('plain http outside loopback is announced once', () => {
  const ok: typeof fetch = async () => Response.json({ lead: {}, duplicate: false })

  it('warns once for http://api.acme.test, however many calls', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const refport = new Refport({ apiKey: 'k', baseUrl: 'http://api.acme.test/_refport', fetch: ok })
    await refport.track.lead(signUp('cl_x'))
    await refport.track.lead(signUp('cl_y'))
    await new Refport({ apiKey: 'k', baseUrl: 'http://api.acme.test/_refport', fetch: ok }).track.lead(signUp('cl_z'))
    expect(warn).toHaveBeenCalledTimes(1)
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^refport: baseUrl http:\/\/api\.acme\.test is plain http/)
  })

  it.each([
    'http://127.0.0.1:4010',
    'http://localhost:4010',
    'http://app.localhost',
    'http://[::1]:4010',
    'https://api.acme.test',
  ])('says nothing for %s', async (baseUrl) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    await new Refport({ apiKey: 'k', baseUrl, fetch: ok }).track.lead(signUp('cl_x'))
    expect(warn).not.toHaveBeenCalled()
  })
})
