/**
 * `leadTimeoutMs` inside a real Better Auth 1.7: a Refport API that never answers cannot
 * hold a sign-up past the deadline.
 *
 * Most tests replace the SDK's network with a fetch that never answers (it only rejects
 * when aborted) and use fake timers, so the SDK's real defaults (10 s per attempt, 2
 * retries, jittered backoff: up to 31.5 s in all) play out without the test waiting for
 * them. The last ones run the mock Refport API over loopback with real timers.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { getClickIdFromCookie, RefportTimeoutError } from 'refport'
import { LeadDeadlineError } from './lead-deadline'
import {
  ALL_VARIANTS,
  newUser,
  postJson,
  signUpViaApi,
  startHarness,
  type Harness,
  type HarnessOptions,
} from '@refport/test-support/better-auth-harness'
import { expiredVariants } from '@refport/test-support/set-cookie'

/** A well-formed click ID; the hanging network never looks it up. */
const CLICK_ID = 'cl_hanging_api_0001'
/** The SDK as `new Refport({ apiKey })` makes it (the harness's own defaults are shorter). */
const SDK_DEFAULTS = { timeoutMs: 10_000, maxRetries: 2 }
/** Worst case of the SDK defaults: 3 attempts of 10 s, plus backoff of at most 0.5 s and 1 s. */
const SDK_WORST_CASE_MS = 31_500

vi.setConfig({ testTimeout: 15_000 })

let harness: Harness | undefined
afterEach(async () => {
  vi.useRealTimers()
  await harness?.close()
  harness = undefined
})

async function start(options?: HarnessOptions): Promise<Harness> {
  harness = await startHarness(options)
  return harness
}

/**
 * A network where the Refport API never answers: each request stays pending until its
 * signal aborts (the SDK's per-attempt timeout, or the plugin's deadline through it).
 */
function hangingNetwork() {
  const requests: AbortSignal[] = []
  let announce!: () => void
  const firstRequest = new Promise<void>((resolve) => (announce = resolve))
  const neverAnswers = ((_url: RequestInfo | URL, init?: RequestInit) => {
    const signal = init!.signal!
    requests.push(signal)
    announce()
    return new Promise<Response>((_resolve, reject) =>
      signal.addEventListener('abort', () => reject(signal.reason), { once: true }),
    )
  }) as typeof fetch
  return { fetch: neverAnswers, requests, firstRequest }
}

/**
 * Fake `setTimeout` only: the deadline and the SDK's timers. Better Auth's own async work
 * (scrypt, the memory adapter) runs for real and needs no timer.
 */
const useFakeTimers = () => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })

/** Follows a promise's outcome without awaiting it. */
function watch<T>(promise: Promise<T>) {
  const state: { settled: boolean; promise: Promise<T> } = { settled: false, promise }
  promise.then(
    () => (state.settled = true),
    () => (state.settled = true),
  )
  return state
}

describe('a Refport API that never answers, while the sign-up response waits for the lead', () => {
  it.each<[string, number | undefined, number]>([
    ['the default leadTimeoutMs', undefined, 3000],
    ['leadTimeoutMs: 500', 500, 500],
    ['leadTimeoutMs: 4500', 4500, 4500],
  ])(
    '%s: the sign-up completes at the deadline, not after the SDK’s 31.5 s',
    async (_name, leadTimeoutMs, deadline) => {
      const network = hangingNetwork()
      const h = await start({ sdk: { ...SDK_DEFAULTS, fetch: network.fetch }, plugin: { leadTimeoutMs } })
      useFakeTimers()
      const signUp = watch(signUpViaApi(h, `refp_id=${CLICK_ID}`))
      await network.firstRequest

      await vi.advanceTimersByTimeAsync(deadline - 1)
      expect(signUp.settled).toBe(false)
      await vi.advanceTimersByTimeAsync(1)
      const { user, token, setCookies } = await signUp.promise

      expect(token).toBeTruthy()
      expect(h.db.user).toEqual([expect.objectContaining({ id: user.id })])
      expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
      const [logged, ...more] = h.pluginLogs('error')
      expect(more).toEqual([])
      expect(logged!.message).toContain(`within leadTimeoutMs (${deadline} ms)`)
      expect(logged!.message).toContain(user.id)
      expect(logged!.message).toContain(CLICK_ID)
      expect(logged!.message).toContain('raise leadTimeoutMs in refportPlugin options')
      expect(logged!.message).toContain('set advanced.backgroundTasks')
      expect(logged!.args[0]).toBeInstanceOf(LeadDeadlineError)

      // The SDK stopped too: its request was aborted and no retry follows.
      expect(network.requests).toHaveLength(1)
      expect(network.requests[0]!.aborted).toBe(true)
      await vi.advanceTimersByTimeAsync(SDK_WORST_CASE_MS)
      expect(network.requests).toHaveLength(1)
    },
  )

  it('a refport stand-in whose track.lead ignores the signal cannot hold the sign-up either', async () => {
    let called!: () => void
    const leadCalled = new Promise<void>((resolve) => (called = resolve))
    const neverAnswers = {
      track: {
        lead: () => {
          called()
          return new Promise<never>(() => {})
        },
      },
    }
    const h = await start({ plugin: { refport: neverAnswers } })
    useFakeTimers()
    const signUp = watch(signUpViaApi(h, `refp_id=${CLICK_ID}`))
    await leadCalled

    await vi.advanceTimersByTimeAsync(2999)
    expect(signUp.settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const { user } = await signUp.promise
    expect(h.db.user).toEqual([expect.objectContaining({ id: user.id })])
    expect(h.pluginLogs('error')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('leadTimeoutMs (3000 ms)') }),
    ])
  })

  it('an answer before the deadline leaves no timer behind', async () => {
    const answers = { track: { lead: async () => ({ lead: {} as never, duplicate: false }) } }
    const h = await start({ plugin: { refport: answers } })
    useFakeTimers()
    await signUpViaApi(h, `refp_id=${CLICK_ID}`)
    expect(vi.getTimerCount()).toBe(0)
    expect(h.pluginLogs('error')).toEqual([])
  })
})

describe('where leadTimeoutMs does not apply', () => {
  it('with advanced.backgroundTasks nobody waits: the SDK’s own timeout and retries bound the call', async () => {
    const network = hangingNetwork()
    const background: Promise<unknown>[] = []
    const h = await start({
      sdk: { ...SDK_DEFAULTS, fetch: network.fetch },
      auth: { advanced: { backgroundTasks: { handler: (promise) => void background.push(promise) } } },
    })
    useFakeTimers()
    const { user } = await signUpViaApi(h, `refp_id=${CLICK_ID}`)
    expect(background).toHaveLength(1)
    const task = watch(background[0]!)

    // Three deadlines later the first attempt is still running: nothing cut it short.
    await vi.advanceTimersByTimeAsync(9000)
    expect(task.settled).toBe(false)
    expect(network.requests).toHaveLength(1)
    expect(network.requests[0]!.aborted).toBe(false)

    await vi.advanceTimersByTimeAsync(SDK_WORST_CASE_MS - 9000)
    expect(task.settled).toBe(true)
    expect(network.requests).toHaveLength(3)
    const [logged, ...more] = h.pluginLogs('error')
    expect(more).toEqual([])
    expect(logged!.message).toContain(user.id)
    expect(logged!.message).not.toContain('leadTimeoutMs')
    expect(logged!.args[0]).toBeInstanceOf(RefportTimeoutError)
  })

  it('customLeadTrack is the app’s own code: the sign-up waits for it past leadTimeoutMs', async () => {
    let release!: () => void
    let started!: () => void
    const customStarted = new Promise<void>((resolve) => (started = resolve))
    const customLeadTrack = () => {
      started()
      return new Promise<void>((resolve) => (release = resolve))
    }
    const h = await start({ plugin: { customLeadTrack, leadTimeoutMs: 500 } })
    useFakeTimers()
    const signUp = watch(signUpViaApi(h, `refp_id=${CLICK_ID}`))
    await customStarted

    await vi.advanceTimersByTimeAsync(10 * 500)
    expect(signUp.settled).toBe(false)
    release()
    const { user, setCookies } = await signUp.promise
    expect(h.db.user).toEqual([expect.objectContaining({ id: user.id })])
    expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
    expect(h.pluginLogs('error')).toEqual([])
  })
})

describe('with the mock Refport API over loopback', () => {
  it('a fast API: the lead is recorded as before; track.lead got a deadline signal it never needed', async () => {
    const h = await start({ sdk: SDK_DEFAULTS })
    const lead = vi.spyOn(h.refport.track, 'lead')
    const clickId = await h.mintClickId()
    const { user } = await signUpViaApi(h, `refp_id=${clickId}`)

    expect(h.api.state().leads).toEqual([
      expect.objectContaining({ clickId, eventName: 'Sign Up', customerExternalId: user.id }),
    ])
    expect(lead).toHaveBeenCalledTimes(1)
    const signal = lead.mock.calls[0]![1]?.signal
    expect(signal).toBeInstanceOf(AbortSignal)
    expect(signal!.aborted).toBe(false)
    expect(h.pluginLogs('error')).toEqual([])
    expect(h.pluginLogs('debug')).toEqual([expect.objectContaining({ message: expect.stringContaining('recorded') })])
  })

  it('customLeadTrack bounding its own call as the README shows: a hanging API fails it, not the sign-up', async () => {
    let h!: Harness
    h = await start({
      sdk: SDK_DEFAULTS,
      plugin: {
        customLeadTrack: async (user, ctx) => {
          const clickId = getClickIdFromCookie(ctx.getHeader('cookie'))
          if (!clickId) return
          await h.refport.track.lead(
            { clickId, eventName: 'Trial Started', customerExternalId: user.id },
            { signal: AbortSignal.timeout(200) },
          )
        },
      },
    })
    const clickId = await h.mintClickId()
    h.api.setFaults({ lead: { hang: true } })
    const { user, setCookies } = await signUpViaApi(h, `refp_id=${clickId}`)

    expect(h.db.user).toEqual([expect.objectContaining({ id: user.id })])
    expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
    const [logged, ...more] = h.pluginLogs('error')
    expect(more).toEqual([])
    expect(logged!.message).toContain('customLeadTrack threw')
    expect(logged!.args[0]).toMatchObject({ name: 'TimeoutError' })
  })

  it('a hanging API over HTTP (toNodeHandler): 200 with the session and the expiries, long before the SDK would give up', async () => {
    const h = await start({ sdk: SDK_DEFAULTS, plugin: { leadTimeoutMs: 200 } })
    const port = await h.listen()
    const clickId = await h.mintClickId()
    h.api.setFaults({ lead: { hang: true } })
    const started = performance.now()
    const response = await postJson(port, '/api/auth/sign-up/email', newUser(), { cookie: `refp_id=${clickId}` })
    const elapsed = performance.now() - started

    expect(response.status).toBe(200)
    // The SDK's first attempt alone would have taken 10 s.
    expect(elapsed).toBeLessThan(SDK_DEFAULTS.timeoutMs)
    const userId = (response.body as { user: { id: string } }).user.id
    expect(h.db.user).toEqual([expect.objectContaining({ id: userId })])
    expect(response.setCookies.some((c) => c.startsWith('better-auth.session_token='))).toBe(true)
    expect(expiredVariants(response.setCookies)).toEqual(ALL_VARIANTS)
    expect(h.api.state().leads).toEqual([])
    expect(h.pluginLogs('error')).toEqual([
      expect.objectContaining({ message: expect.stringContaining('leadTimeoutMs (200 ms)') }),
    ])
  })
})
