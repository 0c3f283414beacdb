import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  Refport,
  RefportAuthError,
  RefportConfigError,
  RefportError,
  RefportNetworkError,
  RefportNotFoundError,
  RefportRateLimitError,
  RefportTimeoutError,
  RefportValidationError,
  type RefportClientOptions,
} from './index'
import { registerClick } from '@refport/test-support/mock-api'
import { MOCK_API_KEY, startMockRefportApi } from './testing'

const mock = await startMockRefportApi()
afterAll(() => mock.close())
beforeEach(() => mock.reset())
afterEach(() => vi.unstubAllEnvs())

/** The real global fetch, recording each request it makes (nothing is stubbed). */
function recordingFetch() {
  const calls: { url: string; headers: Headers; body: string }[] = []
  const fetchFn: typeof fetch = async (input, init) => {
    calls.push({ url: String(input), headers: new Headers(init?.headers), body: String(init?.body) })
    return fetch(input, init)
  }
  return { calls, fetch: fetchFn }
}

function client(options: RefportClientOptions = {}) {
  return new Refport({ apiKey: MOCK_API_KEY, baseUrl: mock.url, retryBaseDelayMs: 1, ...options })
}

const newClick = () => registerClick(mock.url)

const signUp = (clickId: string) => ({
  clickId,
  eventName: 'Sign Up',
  customerExternalId: 'user_1',
  customerEmail: 'jane@acme.com',
  customerName: 'Jane',
})

/** Resolves with the rejection of `promise` (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<RefportError> {
  try {
    await promise
  } catch (error) {
    return error as RefportError
  }
  throw new Error('expected a rejection')
}

describe('track.lead', () => {
  it('posts JSON with the Bearer key and returns the recorded lead', async () => {
    const recorder = recordingFetch()
    const clickId = await newClick()
    const result = await client({ fetch: recorder.fetch }).track.lead(signUp(clickId))
    expect(result.duplicate).toBe(false)
    expect(result.lead).toMatchObject({ ...signUp(clickId), partner: { key: 'jane' } })
    expect(mock.state().leads).toEqual([result.lead])
    const [call] = recorder.calls
    expect(call?.url).toBe(`${mock.url}/track/lead`)
    expect(call?.headers.get('authorization')).toBe(`Bearer ${MOCK_API_KEY}`)
    expect(call?.headers.get('content-type')).toBe('application/json')
    expect(call?.headers.get('idempotency-key')).toMatch(/^[!-~]{1,255}$/)
    expect(JSON.parse(call!.body)).toEqual(signUp(clickId))
  })

  it('records the lead of a user whose email is blank (a phone-only sign-up), leaving the email out', async () => {
    const clickId = await newClick()
    const result = await client().track.lead({ ...signUp(clickId), customerEmail: '', customerName: '' })
    expect(result.lead).not.toHaveProperty('customerEmail')
    expect(result.lead).not.toHaveProperty('customerName')
    expect(mock.state().leads).toEqual([expect.objectContaining({ clickId, customerExternalId: 'user_1' })])
  })

  it('reports a duplicate within the dedupe window as a success with duplicate: true', async () => {
    const clickId = await newClick()
    const refport = client()
    const first = await refport.track.lead(signUp(clickId))
    const second = await refport.track.lead(signUp(clickId))
    expect(second).toEqual({ lead: first.lead, duplicate: true })
    expect(mock.state().leads).toHaveLength(1)
  })

  it('drops null optional fields instead of sending them', async () => {
    const recorder = recordingFetch()
    const clickId = await newClick()
    // A Better Auth user: image, and name with some providers, are `string | null | undefined`.
    // Typed as such, no cast: track.lead accepts what its validation treats as absent.
    const user: { image: string | null | undefined; name: string | null; email?: string | null } = {
      image: null,
      name: null,
      email: null,
    }
    await client({ fetch: recorder.fetch }).track.lead({
      ...signUp(clickId),
      customerAvatar: user.image,
      customerName: user.name,
      customerEmail: user.email,
      metadata: null,
    })
    const body = JSON.parse(recorder.calls[0]!.body)
    expect(body).toMatchObject({ clickId, eventName: signUp(clickId).eventName })
    for (const field of ['customerAvatar', 'customerName', 'customerEmail', 'metadata'])
      expect(body).not.toHaveProperty(field)
  })

  it('refuses an invalid lead before sending anything, naming the field', async () => {
    const recorder = recordingFetch()
    const error = await rejection(client({ fetch: recorder.fetch }).track.lead({ ...signUp('a;b') }))
    expect(error).toBeInstanceOf(RefportValidationError)
    expect(error).toMatchObject({ code: 'invalid_request', field: 'clickId', status: undefined })
    expect(error.message).toMatch(/^refport: clickId/)
    expect(recorder.calls).toHaveLength(0)
  })

  it.each<[string, RefportClientOptions, string | undefined, new (...args: never[]) => RefportError, object]>([
    ['401 → RefportAuthError', { apiKey: 'wrong' }, undefined, RefportAuthError, { code: 'unauthorized', status: 401 }],
    ['404 → RefportNotFoundError', {}, 'cl_never_minted', RefportNotFoundError, { code: 'not_found', status: 404 }],
  ])('maps %s with the API code and message, without retrying', async (_name, options, clickId, ErrorClass, fields) => {
    const recorder = recordingFetch()
    const lead = signUp(clickId ?? (await newClick()))
    const error = await rejection(client({ ...options, fetch: recorder.fetch }).track.lead(lead))
    expect(error).toBeInstanceOf(ErrorClass)
    expect(error).toBeInstanceOf(RefportError)
    expect(error).toMatchObject(fields)
    expect(error.name).toBe(ErrorClass.name)
    expect(error.message).toMatch(/API key|clickId/)
    expect(recorder.calls).toHaveLength(1)
  })

  it('does not retry a 4xx other than 408/429', async () => {
    for (const status of [400, 401, 403, 404, 409, 422]) {
      mock.setFaults({ lead: { status } })
      const recorder = recordingFetch()
      await rejection(client({ fetch: recorder.fetch }).track.lead(signUp('cl_x')))
      expect(recorder.calls, `status ${status}`).toHaveLength(1)
    }
  })

  it.each<[number, new (...args: never[]) => RefportError, string]>([
    [422, RefportValidationError, 'invalid_request'],
    [400, RefportValidationError, 'invalid_request'],
    [403, RefportAuthError, 'unauthorized'],
    [409, RefportError, 'http_409'],
  ])('maps an API %i to %o', async (status, ErrorClass, code) => {
    mock.setFaults({ lead: { status } })
    const error = await rejection(client().track.lead(signUp('cl_x')))
    expect(error).toBeInstanceOf(ErrorClass)
    expect(error).toMatchObject({ code, status })
  })

  it('passes the field of an API 422 through', async () => {
    mock.setFaults({
      lead: {
        status: 422,
        body: JSON.stringify({ error: { code: 'invalid_request', message: 'bad email', field: 'customerEmail' } }),
      },
    })
    const error = await rejection(client().track.lead(signUp('cl_x')))
    expect(error).toMatchObject({ field: 'customerEmail', message: 'bad email', status: 422 })
  })

  it.each([408, 429, 500, 502, 503, 504])(
    'retries a %i with one idempotency key, then succeeds and records once',
    async (status) => {
      mock.setFaults({ lead: { status, times: 2 } })
      const recorder = recordingFetch()
      const clickId = await newClick()
      const result = await client({ fetch: recorder.fetch }).track.lead(signUp(clickId))
      expect(result.duplicate).toBe(false)
      expect(recorder.calls).toHaveLength(3)
      const keys = new Set(recorder.calls.map((call) => call.headers.get('idempotency-key')))
      expect(keys.size).toBe(1)
      expect(mock.state().leads).toHaveLength(1)
    },
  )

  it('uses a new idempotency key per call', async () => {
    const recorder = recordingFetch()
    const clickId = await newClick()
    const refport = client({ fetch: recorder.fetch })
    await refport.track.lead(signUp(clickId))
    await refport.track.lead(signUp(clickId))
    expect(recorder.calls[0]!.headers.get('idempotency-key')).not.toBe(
      recorder.calls[1]!.headers.get('idempotency-key'),
    )
  })

  it('sends a caller-given idempotency key, so a retry from another process is recorded once', async () => {
    const clickId = await newClick()
    const lead = signUp(clickId)
    const first = await client().track.lead(lead, { idempotencyKey: `signup:${lead.customerExternalId}` })
    const replay = await client().track.lead(lead, { idempotencyKey: `signup:${lead.customerExternalId}` })
    // A replay, not a dedupe hit: the same answer as the first time.
    expect(replay).toEqual(first)
    expect(mock.state().leads).toHaveLength(1)
  })

  it('refuses an idempotency key that cannot be a header value', async () => {
    const error = await rejection(client().track.lead(signUp('cl_x'), { idempotencyKey: 'a\nb' }))
    expect(error).toMatchObject({ field: 'idempotencyKey' })
  })

  it('gives up after maxRetries with the last error, typed', async () => {
    mock.setFaults({ lead: { status: 429 } })
    const recorder = recordingFetch()
    const error = await rejection(client({ fetch: recorder.fetch, maxRetries: 3 }).track.lead(signUp('cl_x')))
    expect(error).toBeInstanceOf(RefportRateLimitError)
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 })
    expect(recorder.calls).toHaveLength(4)
  })

  it('maxRetries: 0 makes one attempt', async () => {
    mock.setFaults({ lead: { status: 503 } })
    const recorder = recordingFetch()
    const error = await rejection(client({ fetch: recorder.fetch, maxRetries: 0 }).track.lead(signUp('cl_x')))
    expect(error).toMatchObject({ code: 'internal_error', status: 503 })
    expect(recorder.calls).toHaveLength(1)
  })

  it('waits the backoff between attempts (fake timers, no real waiting)', () =>
    withFakeTimersAtFullJitter(async () => {
      const api = alwaysDown()
      const pending = rejection(
        new Refport({
          apiKey: 'k',
          baseUrl: 'http://127.0.0.1:9',
          fetch: api.fetch,
          retryBaseDelayMs: 1000,
          maxRetries: 2,
        }).track.lead(signUp('cl_x')),
      )
      await vi.advanceTimersByTimeAsync(0)
      expect(api.attempts()).toBe(1)
      await vi.advanceTimersByTimeAsync(999)
      expect(api.attempts()).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(api.attempts()).toBe(2)
      await vi.advanceTimersByTimeAsync(1999) // second wait doubles
      expect(api.attempts()).toBe(2)
      await vi.advanceTimersByTimeAsync(1)
      expect(api.attempts()).toBe(3)
      expect(await pending).toMatchObject({ status: 503 })
    }))

  it('waits up to 500 ms before the first retry by default (retryBaseDelayMs)', () =>
    withFakeTimersAtFullJitter(async () => {
      const api = alwaysDown()
      const pending = rejection(
        new Refport({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', fetch: api.fetch, maxRetries: 1 }).track.lead(
          signUp('cl_x'),
        ),
      )
      await vi.advanceTimersByTimeAsync(499)
      expect(api.attempts()).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(api.attempts()).toBe(2)
      expect(await pending).toMatchObject({ status: 503 })
    }))

  it('honours Retry-After on a 429 when it is longer than the backoff', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      let attempts = 0
      const fetchFn: typeof fetch = async () => {
        attempts++
        return attempts === 1
          ? new Response('{}', { status: 429, headers: { 'retry-after': '2' } })
          : Response.json({ lead: { id: 'l' }, duplicate: false })
      }
      const pending = new Refport({
        apiKey: 'k',
        baseUrl: 'http://127.0.0.1:9',
        fetch: fetchFn,
        retryBaseDelayMs: 1,
      }).track.lead(signUp('cl_x'))
      await vi.advanceTimersByTimeAsync(1999)
      expect(attempts).toBe(1)
      await vi.advanceTimersByTimeAsync(1)
      expect(attempts).toBe(2)
      await expect(pending).resolves.toMatchObject({ duplicate: false })
    } finally {
      vi.useRealTimers()
    }
  })

  it('times out a hanging API, retries, and reports RefportTimeoutError', async () => {
    mock.setFaults({ lead: { hang: true } })
    const recorder = recordingFetch()
    const error = await rejection(
      client({ fetch: recorder.fetch, timeoutMs: 50, maxRetries: 1 }).track.lead(signUp('cl_x')),
    )
    expect(error).toBeInstanceOf(RefportTimeoutError)
    expect(error).toMatchObject({ code: 'timeout', status: undefined })
    expect(error.message).toContain('timeoutMs')
    expect(recorder.calls).toHaveLength(2)
  })

  it('gives each attempt 10 000 ms by default (timeoutMs), then reports RefportTimeoutError', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      let signal: AbortSignal | undefined
      // An API that never answers: the request ends only when the client aborts it.
      const fetchFn: typeof fetch = (_input, init) =>
        new Promise((_resolve, reject) => {
          signal = init!.signal!
          signal.addEventListener('abort', () => reject(signal!.reason))
        })
      const pending = rejection(
        new Refport({ apiKey: 'k', baseUrl: 'http://127.0.0.1:9', fetch: fetchFn, maxRetries: 0 }).track.lead(
          signUp('cl_x'),
        ),
      )
      await vi.advanceTimersByTimeAsync(9_999)
      expect(signal?.aborted).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      expect(signal?.aborted).toBe(true)
      const error = await pending
      expect(error).toBeInstanceOf(RefportTimeoutError)
      expect(error.message).toContain('within 10000 ms')
    } finally {
      vi.useRealTimers()
    }
  })

  it('recovers when only the first attempt hangs, recording once', async () => {
    mock.setFaults({ lead: { hang: true, times: 1 } })
    const clickId = await newClick()
    const result = await client({ timeoutMs: 100 }).track.lead(signUp(clickId))
    expect(result.duplicate).toBe(false)
    expect(mock.state().leads).toHaveLength(1)
  })

  it('retries a dropped connection (network error) and succeeds', async () => {
    mock.setFaults({ lead: { drop: true, times: 1 } })
    const recorder = recordingFetch()
    const clickId = await newClick()
    await client({ fetch: recorder.fetch }).track.lead(signUp(clickId))
    expect(recorder.calls).toHaveLength(2)
    expect(mock.state().leads).toHaveLength(1)
  })

  it('reports RefportNetworkError when nothing listens', async () => {
    const closed = await startMockRefportApi()
    await closed.close()
    const error = await rejection(client({ baseUrl: closed.url, maxRetries: 1 }).track.lead(signUp('cl_x')))
    expect(error).toBeInstanceOf(RefportNetworkError)
    expect(error).toMatchObject({ code: 'network_error', status: undefined })
    expect(error.message).toContain(closed.url)
    expect((error as { cause?: unknown }).cause).toBeInstanceOf(Error)
  })

  it('reports an unexpected 200 body as invalid_response', async () => {
    mock.setFaults({ lead: { status: 200, body: '<html>proxy login</html>' } })
    const error = await rejection(client().track.lead(signUp('cl_x')))
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 })
  })

  it('reports a non-JSON error body with a code derived from the status', async () => {
    mock.setFaults({ lead: { status: 502, body: 'Bad Gateway' } })
    const error = await rejection(client({ maxRetries: 0 }).track.lead(signUp('cl_x')))
    expect(error).toMatchObject({ code: 'internal_error', status: 502 })
    expect(error.message).toContain('Bad Gateway')
  })

  it('stops at once when the caller aborts, even between retries', async () => {
    mock.setFaults({ lead: { status: 503 } })
    const controller = new AbortController()
    const recorder = recordingFetch()
    const fetchFn: typeof fetch = async (input, init) => {
      const response = await recorder.fetch(input, init)
      controller.abort(new Error('user gave up'))
      return response
    }
    const error = await rejection(
      client({ fetch: fetchFn, retryBaseDelayMs: 60_000 }).track.lead(signUp('cl_x'), { signal: controller.signal }),
    )
    expect(error.message).toBe('user gave up')
    expect(recorder.calls).toHaveLength(1)
  })
})

describe('track.sale', () => {
  /** A customer with a lead through a click for `jane`, as a sign-up leaves it. */
  async function customerOfJane(customerExternalId = 'user_1') {
    const clickId = await newClick()
    await client().track.lead({ clickId, eventName: 'Sign Up', customerExternalId })
    return clickId
  }
  const purchase = {
    customerExternalId: 'user_1',
    amount: 4900,
    currency: 'USD',
    invoiceId: 'in_1',
    paymentProcessor: 'stripe',
  } as const

  it('posts the sale with the Bearer key, the currency lowercased, and returns the recorded sale', async () => {
    const clickId = await customerOfJane()
    const recorder = recordingFetch()
    const result = await client({ fetch: recorder.fetch }).track.sale(purchase)
    expect(result).toEqual({
      sale: expect.objectContaining({
        ...purchase,
        currency: 'usd',
        eventName: 'Purchase',
        clickId,
        partner: { key: 'jane' },
      }),
      duplicate: false,
    })
    expect(mock.state().sales).toEqual([result.sale])
    const [call] = recorder.calls
    expect(call?.url).toBe(`${mock.url}/track/sale`)
    expect(call?.headers.get('authorization')).toBe(`Bearer ${MOCK_API_KEY}`)
    expect(call?.headers.get('idempotency-key')).toMatch(/^[!-~]{1,255}$/)
    expect(JSON.parse(call!.body)).toEqual({ ...purchase, currency: 'usd' })
  })

  it('resolves duplicate: true for an invoice already recorded, recording nothing new', async () => {
    await customerOfJane()
    const first = await client().track.sale(purchase)
    const again = await client().track.sale(purchase)
    expect(again).toEqual({ sale: first.sale, duplicate: true })
    expect(mock.state().sales).toHaveLength(1)
  })

  it('credits a sale with no earlier lead through clickId', async () => {
    const clickId = await newClick()
    const { sale } = await client().track.sale({ customerExternalId: 'cus_new', amount: 100, currency: 'eur', clickId })
    expect(sale).toMatchObject({ clickId, partner: { key: 'jane' } })
  })

  it.each<[string, object, string]>([
    ['an amount in dollars', { amount: 49.99 }, 'amount'],
    ['a currency symbol', { currency: '€' }, 'currency'],
    ['a numeric customer ID', { customerExternalId: 42 }, 'customerExternalId'],
    ['an unknown processor', { paymentProcessor: 'paypal' }, 'paymentProcessor'],
  ])('refuses %s before sending anything, naming the field', async (_name, overrides, field) => {
    const recorder = recordingFetch()
    const error = await rejection(client({ fetch: recorder.fetch }).track.sale({ ...purchase, ...overrides } as never))
    expect(error).toBeInstanceOf(RefportValidationError)
    expect(error).toMatchObject({ code: 'invalid_request', field, status: undefined })
    expect(error.message).toMatch(new RegExp(`^refport: ${field}`))
    expect(recorder.calls).toHaveLength(0)
  })

  it('is a RefportNotFoundError, not retried, for a customer the API knows no lead of', async () => {
    const recorder = recordingFetch()
    const error = await rejection(client({ fetch: recorder.fetch }).track.sale(purchase))
    expect(error).toBeInstanceOf(RefportNotFoundError)
    expect(error.message).toContain('call track.lead for this customer first')
    expect(recorder.calls).toHaveLength(1)
  })

  it.each([429, 503])('retries a %i with one idempotency key, then succeeds and records once', async (status) => {
    await customerOfJane()
    mock.setFaults({ sale: { status, times: 2 } })
    const recorder = recordingFetch()
    expect((await client({ fetch: recorder.fetch }).track.sale(purchase)).duplicate).toBe(false)
    expect(recorder.calls).toHaveLength(3)
    expect(new Set(recorder.calls.map((call) => call.headers.get('idempotency-key'))).size).toBe(1)
    expect(mock.state().sales).toHaveLength(1)
  })

  it('retries a dropped connection and records once', async () => {
    await customerOfJane()
    mock.setFaults({ sale: { drop: true, times: 1 } })
    expect((await client().track.sale(purchase)).duplicate).toBe(false)
    expect(mock.state().sales).toHaveLength(1)
  })

  it('sends a caller-given idempotency key', async () => {
    await customerOfJane()
    const recorder = recordingFetch()
    await client({ fetch: recorder.fetch }).track.sale(purchase, { idempotencyKey: 'sale:in_1' })
    expect(recorder.calls[0]!.headers.get('idempotency-key')).toBe('sale:in_1')
  })

  it.each<[string, string]>([
    ['a lead answer', JSON.stringify({ lead: {}, duplicate: false })],
    ['no duplicate flag', JSON.stringify({ sale: {} })],
    ['not JSON', 'ok'],
  ])('reports an unexpected 200 body (%s) as invalid_response', async (_name, body) => {
    mock.setFaults({ sale: { status: 200, body } })
    const error = await rejection(client().track.sale(purchase))
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 })
  })

  it('rejects with RefportConfigError before sending when the key is missing', async () => {
    vi.stubEnv('REFPORT_API_KEY', '')
    const error = await rejection(new Refport({ baseUrl: mock.url }).track.sale(purchase))
    expect(error).toBeInstanceOf(RefportConfigError)
    expect(error.code).toBe('missing_api_key')
  })
})

describe('configuration', () => {
  // '' is what `process.env.X!` gives when `new Refport({ apiKey: process.env.REFPORT_API_KEY! })`
  // runs before .env is loaded (or the variable is blank): it must fall back like an omitted option, not count as a value.
  it.each<[string, RefportClientOptions]>([
    ['apiKey and baseUrl omitted', {}],
    ["apiKey ''", { apiKey: '' }],
    ["baseUrl ''", { baseUrl: '' }],
    ["apiKey '' and baseUrl ''", { apiKey: '', baseUrl: '' }],
  ])('falls back to REFPORT_API_KEY and REFPORT_API_URL with %s', async (_name, options) => {
    vi.stubEnv('REFPORT_API_KEY', MOCK_API_KEY)
    vi.stubEnv('REFPORT_API_URL', mock.url)
    const urls: string[] = []
    // Loopback only: a client that missed REFPORT_API_URL would otherwise call the production API.
    const mockOnly: typeof fetch = async (input, init) => {
      urls.push(String(input))
      if (!String(input).startsWith(mock.url)) throw new TypeError(`test: refused a request to ${String(input)}`)
      return fetch(input, init)
    }
    const clickId = await newClick()
    await expect(new Refport({ ...options, fetch: mockOnly }).track.lead(signUp(clickId))).resolves.toMatchObject({
      duplicate: false,
    })
    expect(urls).toEqual([`${mock.url}/track/lead`])
  })

  it('the README line new Refport({ apiKey: process.env.REFPORT_API_KEY! }) points at the mock via REFPORT_API_URL', async () => {
    vi.stubEnv('REFPORT_API_KEY', MOCK_API_KEY)
    vi.stubEnv('REFPORT_API_URL', mock.url)
    const refport = new Refport({ apiKey: process.env.REFPORT_API_KEY! })
    await expect(refport.track.lead(signUp(await newClick()))).resolves.toMatchObject({ duplicate: false })
  })

  it('reads the environment at call time, so a module-scope client picks up env set later', async () => {
    vi.stubEnv('REFPORT_API_KEY', '')
    const refport = new Refport({ baseUrl: mock.url })
    vi.stubEnv('REFPORT_API_KEY', MOCK_API_KEY)
    await expect(refport.track.lead(signUp(await newClick()))).resolves.toMatchObject({ duplicate: false })
  })

  it('a missing key does not throw at construction; the first call rejects with a clear RefportConfigError', async () => {
    vi.stubEnv('REFPORT_API_KEY', '')
    const recorder = recordingFetch()
    const refport = new Refport({ apiKey: process.env.REFPORT_API_KEY!, baseUrl: mock.url, fetch: recorder.fetch })
    const error = await rejection(refport.track.lead(signUp('cl_x')))
    expect(error).toBeInstanceOf(RefportConfigError)
    expect(error).toMatchObject({ code: 'missing_api_key', status: undefined })
    expect(error.message).toBe('refport: apiKey missing — pass { apiKey } or set REFPORT_API_KEY')
    expect(recorder.calls).toHaveLength(0)
  })

  it.each<[string, string | undefined, string | undefined]>([
    ["apiKey ''", '', undefined],
    ["apiKey '' and REFPORT_API_KEY ''", '', ''],
    ['apiKey undefined and REFPORT_API_KEY unset', undefined, undefined],
  ])('%s is a missing key (missing_api_key), not an invalid one', async (_name, apiKey, env) => {
    vi.stubEnv('REFPORT_API_KEY', env)
    const recorder = recordingFetch()
    const error = await rejection(
      new Refport({ apiKey, baseUrl: mock.url, fetch: recorder.fetch }).track.lead(signUp('cl_x')),
    )
    expect(error).toMatchObject({ code: 'missing_api_key' })
    expect(recorder.calls).toHaveLength(0)
  })

  // Each of these made fetch throw a TypeError while building the Authorization header,
  // which was reported as "could not reach the Refport API … check baseUrl" and retried.
  it.each<[string, string, RegExp]>([
    ['a trailing line feed (echo into .env)', 'sk_SECRET\n', /starts or ends with whitespace/],
    ['a trailing CR LF', 'sk_SECRET\r\n', /starts or ends with whitespace/],
    ['CR LF inside (header injection)', 'sk_SECRET\r\nX-Evil: 1', /line break/],
    ['a leading space', ' sk_SECRET', /starts or ends with whitespace/],
    ['a space inside', 'sk_SECRET other', /whitespace/],
    ['a tab inside', 'sk_SECRET\tx', /whitespace/],
    ['a NUL', 'sk_SECRET\u0000', /control character/],
    ['a DEL', 'sk_SECRET\u007f', /control character/],
    ['smart quotes', '\u201csk_SECRET\u201d', /non-ASCII/],
    ['a zero-width space', 'sk_SECRET\u200b', /non-ASCII/],
    ['a Latin-1 letter', 'sk_SECRÉT', /non-ASCII/],
    ['an emoji', 'sk_SECRET\u{1f511}', /non-ASCII/],
  ])(
    'refuses an apiKey with %s: invalid_api_key, no request, no retry, key not echoed',
    async (_name, apiKey, reason) => {
      const recorder = recordingFetch()
      const error = await rejection(client({ apiKey, fetch: recorder.fetch, maxRetries: 3 }).track.lead(signUp('cl_x')))
      expect(error).toBeInstanceOf(RefportConfigError)
      expect(error).toMatchObject({ code: 'invalid_api_key', status: undefined })
      expect(error.message).toMatch(/^refport: the apiKey option /)
      expect(error.message).toMatch(reason)
      expect(error.message).toContain('copy it again')
      expect(error.message).not.toContain('SECRET')
      expect(recorder.calls).toHaveLength(0)
    },
  )

  it('names REFPORT_API_KEY when the bad key came from the environment', async () => {
    vi.stubEnv('REFPORT_API_KEY', 'sk_SECRET\n')
    const recorder = recordingFetch()
    const error = await rejection(new Refport({ baseUrl: mock.url, fetch: recorder.fetch }).track.lead(signUp('cl_x')))
    expect(error).toMatchObject({ code: 'invalid_api_key' })
    expect(error.message).toMatch(/^refport: REFPORT_API_KEY starts or ends with whitespace/)
    expect(error.message).not.toContain('SECRET')
    expect(recorder.calls).toHaveLength(0)
  })

  it('refuses an apiKey that is not a string', async () => {
    const error = await rejection(client({ apiKey: 42 as unknown as string }).track.lead(signUp('cl_x')))
    expect(error).toMatchObject({ code: 'invalid_api_key' })
    expect(error.message).toContain('is a number, not a string')
  })

  it('sends an apiKey made of every visible ASCII character unchanged', async () => {
    let printable = ''
    for (let code = 0x21; code <= 0x7e; code++) printable += String.fromCharCode(code)
    const recorder = recordingFetch()
    const error = await rejection(client({ apiKey: printable, fetch: recorder.fetch }).track.lead(signUp('cl_x')))
    // The mock refuses the unknown key: the point is that it was sent, byte for byte.
    expect(error).toBeInstanceOf(RefportAuthError)
    expect(recorder.calls[0]?.headers.get('authorization')).toBe(`Bearer ${printable}`)
  })

  it('defaults to the production API when neither baseUrl nor REFPORT_API_URL is set', async () => {
    vi.stubEnv('REFPORT_API_URL', '')
    const urls: string[] = []
    const fetchFn: typeof fetch = async (input) => {
      urls.push(String(input))
      return Response.json({ lead: {}, duplicate: false })
    }
    await new Refport({ apiKey: 'k', fetch: fetchFn }).track.lead(signUp('cl_x'))
    expect(urls).toEqual(['https://api.refport.io/track/lead'])
  })

  it.each<[string, string]>([
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010/track/lead'],
    ['http://127.0.0.1:4010/', 'http://127.0.0.1:4010/track/lead'],
    ['https://www.acme.com/_refport', 'https://www.acme.com/_refport/track/lead'],
    ['https://www.acme.com/_refport//?x=1', 'https://www.acme.com/_refport/track/lead'],
    ['https://www.acme.com#frag', 'https://www.acme.com/track/lead'],
    ['HTTPS://API.Refport.io', 'HTTPS://API.Refport.io/track/lead'],
    ['http://[::1]:4010', 'http://[::1]:4010/track/lead'],
  ])('joins baseUrl %s into %s', async (baseUrl, expected) => {
    const urls: string[] = []
    const fetchFn: typeof fetch = async (input) => {
      urls.push(String(input))
      return Response.json({ lead: {}, duplicate: false })
    }
    await new Refport({ apiKey: 'k', baseUrl, fetch: fetchFn }).track.lead(signUp('cl_x'))
    expect(urls).toEqual([expected])
  })

  it.each([
    'api.refport.io',
    '/_refport',
    'ftp://x',
    'https://',
    'https:api.refport.io',
    'https:/api.refport.io',
    'https://api.refport.io x',
    'https://api.refport.io\n',
    '\thttps://api.refport.io',
    'https://api.re\nfport.io',
    'http://[::1',
    'http://acme.com:99999',
    'https://exa mple.com',
    'javascript:alert(1)',
  ])('refuses the baseUrl %j on the first call, before any request', async (baseUrl) => {
    const recorder = recordingFetch()
    const error = await rejection(
      new Refport({ apiKey: 'k', baseUrl, fetch: recorder.fetch, maxRetries: 3 }).track.lead(signUp('cl_x')),
    )
    expect(error).toBeInstanceOf(RefportConfigError)
    expect(error).toMatchObject({ code: 'invalid_base_url', status: undefined })
    expect(error.message).toMatch(/^refport: baseUrl /)
    expect(error.message).toContain('REFPORT_API_URL')
    expect(recorder.calls).toHaveLength(0)
  })

  it('refuses a baseUrl with credentials (fetch would throw) without echoing the password', async () => {
    const recorder = recordingFetch()
    const error = await rejection(
      new Refport({ apiKey: 'k', baseUrl: 'https://user:hunter2@api.refport.io', fetch: recorder.fetch }).track.lead(
        signUp('cl_x'),
      ),
    )
    expect(error).toMatchObject({ code: 'invalid_base_url' })
    expect(error.message).toContain('user name or password')
    expect(error.message).not.toContain('hunter2')
    expect(recorder.calls).toHaveLength(0)
  })

  it('refuses a REFPORT_API_URL with a trailing newline instead of retrying a doomed request', async () => {
    vi.stubEnv('REFPORT_API_URL', `${mock.url}\n`)
    const error = await rejection(new Refport({ apiKey: MOCK_API_KEY }).track.lead(signUp('cl_x')))
    expect(error).toMatchObject({ code: 'invalid_base_url' })
    expect(error.message).toContain('whitespace')
  })

  it.each<[string, RefportClientOptions]>([
    ['timeoutMs 0', { timeoutMs: 0 }],
    ['timeoutMs NaN', { timeoutMs: Number.NaN }],
    // A timer longer than 2^31 - 1 ms fires after 1 ms: every attempt would time out at once.
    ['timeoutMs 2^31 (past the longest timer)', { timeoutMs: 2 ** 31 }],
    ['timeoutMs Number.MAX_SAFE_INTEGER', { timeoutMs: Number.MAX_SAFE_INTEGER }],
    ['maxRetries -1', { maxRetries: -1 }],
    ['maxRetries 1.5', { maxRetries: 1.5 }],
    ['retryBaseDelayMs -1', { retryBaseDelayMs: -1 }],
    ['fetch not a function', { fetch: 'fetch' as unknown as typeof fetch }],
  ])('throws a TypeError at construction for %s (a bug in the calling code)', (_name, options) => {
    expect(() => new Refport(options)).toThrow(TypeError)
  })

  it('says which timeoutMs values work', () => {
    expect(() => new Refport({ timeoutMs: 2 ** 32 })).toThrow(
      'refport: options.timeoutMs is invalid (4294967296); use 1 to 2147483647 ms',
    )
  })

  it('accepts the longest timeoutMs a timer can hold and still answers', async () => {
    const clickId = await newClick()
    const result = await client({ timeoutMs: 2 ** 31 - 1 }).track.lead(signUp(clickId))
    expect(result.duplicate).toBe(false)
  })

  it('works without a global process (edge runtimes)', async () => {
    const saved = globalThis.process
    const clickId = await newClick()
    // Removing `process` for the duration of one call, as on an edge runtime.
    Object.defineProperty(globalThis, 'process', { value: undefined, configurable: true, writable: true })
    try {
      const result = await new Refport({ apiKey: MOCK_API_KEY, baseUrl: mock.url }).track.lead(signUp(clickId))
      expect(result.duplicate).toBe(false)
      const error = await rejection(new Refport({ baseUrl: mock.url }).track.lead(signUp(clickId)))
      expect(error).toMatchObject({ code: 'missing_api_key' })
    } finally {
      Object.defineProperty(globalThis, 'process', { value: saved, configurable: true, writable: true })
    }
  })
})

/** A Refport API that answers 503 to every attempt, and counts them. */
function alwaysDown(): { fetch: typeof fetch; attempts: () => number } {
  let attempts = 0
  return {
    fetch: async () => {
      attempts++
      return new Response('{"error":{"code":"internal_error","message":"down"}}', { status: 503 })
    },
    attempts: () => attempts,
  }
}

/**
 * Runs `body` with fake timers and `Math.random()` at 1: full jitter waits
 * random() · base · 2^attempt, so every wait is the top of its range. Restores both after.
 */
async function withFakeTimersAtFullJitter(body: () => Promise<void>): Promise<void> {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
  vi.spyOn(Math, 'random').mockReturnValue(1)
  try {
    await body()
  } finally {
    vi.restoreAllMocks()
    vi.useRealTimers()
  }
}
