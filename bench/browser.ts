/**
 * Browser benchmarks in Chromium (Playwright): requests and round trips from a landing,
 * time from navigation start to the click-ID cookie, the trackers' main-thread time, and
 * whether a visitor who leaves early is still credited. Everything runs on loopback: pages
 * from a tiny static server, our clicks against the mock Refport API, Dub's against a
 * loopback stand-in for its click endpoint. Every tracker is measured the same way.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { chromium, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/servers/config.mjs'
import { startMockRefportApi, type MockRefportApi } from 'refport/testing'
import type { DubPeer } from './peers'
import { startStaticServer, type StaticServer } from './static-server'
import { mainThreadJsCpuMs, mainThreadJsMs, type TraceEvent } from './trace'

/** Added to every API exchange (preflight and POST alike), as a real round trip would be. */
export const API_LATENCY_MS = 100
/** API latency of the leave-early runs: long enough that a visitor may leave before the answer. */
export const SLOW_API_LATENCY_MS = 1000
/** CPU slowdown for the timing runs (CDP Emulation.setCPUThrottlingRate): a mid-range phone. */
export const CPU_THROTTLING = 4
/**
 * Wall-clock time the trace keeps running after a landing's work is seen done (the cookie
 * written, the click answered and applied), so the tasks that follow in the same turn
 * (URL cleanup, events) are inside it; a non-landing page is traced this long after `load`.
 */
export const SETTLE_MS = 300
const PUBLISHABLE_KEY = 'pk_test_refport'
const SITE = 'www.bench.test'
const API = 'api.bench.test'
const DUB_API = 'dub-api.bench.test'
/** User-timing mark the bench harness sets after its own setup: main-thread time counts from here. */
const START_MARK = 'bench:start'
/** Trace categories for main-thread time: script evaluation, V8 execution, user-timing marks. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing']
/** Trace categories of a profiling visit: the timing ones plus the detailed timeline (bench/profile.ts). */
const PROFILE_CATEGORIES = [
  ...TRACE_CATEGORIES,
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-v8.compile',
  'blink',
  'loading',
]
/** CPU profile sampling interval of a profiling visit, µs. */
const PROFILE_SAMPLING_US = 50
/** The click ID put on direct-click landings and in the stored cookie of a later page. */
const CLICK_ID = 'cl_bench_123'

/** Where the pages load each tracker from (URL paths on the bench site); the shipped files by default. */
export interface TrackerFiles {
  /** Our script tag. Default `/dist/refport.js`. */
  scriptTag?: string
  /** Our ESM entry that exports `init`. Default `/dist/index.js`. */
  module?: string
  /** Folder of Dub's scripts, with a trailing slash. Default `/dub/`. */
  dubFolder?: string
}

/** A way of putting a tracker on a page. */
export interface TrackerSetup {
  name: string
  /** Ours, Dub's, or an empty page (the harness alone: what the measurement itself costs). */
  vendor: 'ours' | 'dub' | 'none'
  /** Cookie that holds the click ID once the tracker is done. */
  cookie: string
  /** Landing param that carries a click ID without a network call. */
  clickIdParam: string
  /** Page HTML, given the API origin to talk to. */
  html: (apiOrigin: string) => string
  /**
   * `false` for a prototype that never sends the click (bench/ab.ts bisection): a `?via=`
   * landing is then done once the cookie is written, not when the API has answered.
   */
  sendsClick?: false
}

const page = (head: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>${head}</head><body><h1>landing</h1></body></html>`

/**
 * Our script tag, our `init()` from a module, and Dub's base and all-features scripts when
 * the peers folder is there. Each script tag sits in the head with `defer`, as both READMEs
 * show it, and the data-* attributes its README documents.
 */
export function trackerSetups(dub: DubPeer, files: TrackerFiles = {}): TrackerSetup[] {
  const { scriptTag = '/dist/refport.js', module = '/dist/index.js', dubFolder = '/dub/' } = files
  const setups: TrackerSetup[] = [
    {
      name: 'refport-js script tag',
      vendor: 'ours',
      cookie: 'refp_id',
      clickIdParam: 'refp_id',
      html: (api) =>
        page(
          `<script src="${scriptTag}" data-publishable-key="${PUBLISHABLE_KEY}" data-api-host="${api}" defer></script>`,
        ),
    },
    {
      name: 'refport-js init() (ESM)',
      vendor: 'ours',
      cookie: 'refp_id',
      clickIdParam: 'refp_id',
      html: (api) =>
        page(
          `<script type="module">import { init } from '${module}'; init({ publishableKey: '${PUBLISHABLE_KEY}', apiHost: '${api}' })</script>`,
        ),
    },
  ]
  if (dub.present)
    for (const [label, file] of [
      ['base', dub.base],
      ['all features', dub.allFeatures],
    ] as const)
      setups.push({
        name: `Dub ${file.slice(file.lastIndexOf('/') + 1)} (${label})`,
        vendor: 'dub',
        cookie: 'dub_id',
        clickIdParam: 'dub_id',
        // A refer domain is what makes Dub's script track ?via= at all (its README).
        html: (api) =>
          page(
            `<script src="${dubFolder}${file.slice(file.lastIndexOf('/') + 1)}" data-api-host="${api}" data-domains='{"refer":"go.bench.test"}' defer></script>`,
          ),
      })
  return setups
}

/** The harness alone, as a control row: what the measurement costs on a page with no tracker. */
export const EMPTY_PAGE: TrackerSetup = {
  name: 'no tracker (control: the bench harness alone)',
  vendor: 'none',
  cookie: 'refp_id',
  clickIdParam: 'refp_id',
  html: () => page(''),
}

/** The three pages a tracker meets. */
export type Landing = 'direct' | 'partner' | 'later'

/** Query of a landing for a setup: a click ID, a partner key, or nothing (a later page, click ID already stored). */
export const landingQuery = (setup: TrackerSetup, landing: Landing): string =>
  landing === 'direct' ? `?${setup.clickIdParam}=${CLICK_ID}` : landing === 'partner' ? '?via=jane' : ''

/** Requests seen in one visit. */
export interface VisitRequests {
  /** Every request Chromium reported (page, scripts, API calls), preflights excepted. */
  total: number
  /** Requests to the tracker's API origin, preflights excepted. */
  api: number
  /** CORS preflights (OPTIONS) the API origin answered: Playwright does not report them. */
  preflights: number
  /** API exchanges (preflights and requests) completed before the click-ID cookie was written. */
  roundTripsBeforeCookie: number
}

/** How one visit is run. */
export interface VisitOptions {
  /** CPU throttling ({@link CPU_THROTTLING}). */
  throttle: boolean
  /** Reload the landing once after it is done (network table). */
  reload?: boolean
  /** Record a trace and read the main-thread time from it; no cookie wrapper in the page. */
  trace?: boolean
  /** As `trace`, plus a V8 CPU profile and a wider trace, kept in {@link Visit.profile} (bench/profile.ts). */
  profile?: boolean
  /** Count and time the tracker's cookie reads and writes, replaceState, events and fetches in the page ({@link Visit.counters}); no trace. */
  count?: boolean
}

/** A V8 CPU profile (CDP `Profiler.Profile`), the fields bench/profile.ts reads. */
export interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number }
    children?: number[]
  }[]
  startTime: number
  endTime: number
  samples: number[]
  timeDeltas: number[]
}

/** Calls the counting harness saw in the page: number of calls and their total time (ms, page clock). */
export type PageCounters = Record<
  'cookieRead' | 'cookieWrite' | 'replaceState' | 'dispatchEvent' | 'fetch' | 'mutationCallback',
  { calls: number; ms: number; each: number[] }
>

/** What one visit measured. */
export interface Visit {
  requests: VisitRequests
  /** Navigation start → the first write of a click ID to the cookie, ms; undefined when none. */
  cookieAtMs?: number
  /** The click-ID cookie the browser holds when the visit ends (read from the browser, not the page). */
  storedClickId?: string
  /** Main-thread JavaScript of the tracker on this page load, from the trace, ms (traced visits only). */
  mainThreadMs?: number
  /** The thread CPU time of the same events, ms (traced visits only; see mainThreadJsCpuMs). */
  mainThreadCpuMs?: number
  /** Navigation start → DOMContentLoaded end, ms: the page's own cost, for scale. */
  domContentLoadedMs?: number
  /** The raw trace and CPU profile of a `profile` visit. */
  profile?: { traceEvents: TraceEvent[]; cpuProfile: CpuProfile }
  /** What the page did, from a `count` visit. */
  counters?: PageCounters
}

/** One loopback API per tracker kind, at one latency. */
interface Apis {
  refport: MockRefportApi
  dub: DubClickEndpoint
  dubServer: StaticServer
}

/** A browser, the servers and the counters for one benchmark session. */
export class BrowserBench {
  private constructor(
    private readonly browser: Browser,
    /** Pages the static server answers, by path: filled in as setups are visited. */
    private readonly pages: Record<string, string>,
    private readonly site: StaticServer,
    private readonly apis: Record<'normal' | 'slow', Apis>,
  ) {}

  static async start(options: { root: string; dub: DubPeer; folders?: Record<string, string> }): Promise<BrowserBench> {
    const { root, dub } = options
    const pages: Record<string, string> = {}
    const site = await startStaticServer({
      pages,
      folders: {
        '/dist/': join(root, 'dist'),
        ...(dub.present ? { '/dub/': dub.dir } : {}),
        ...options.folders,
      },
    })
    const apis = async (latencyMs: number): Promise<Apis> => {
      const dubEndpoint = new DubClickEndpoint(latencyMs)
      return {
        refport: await startMockRefportApi({ faults: { click: { delayMs: latencyMs } } }),
        dub: dubEndpoint,
        dubServer: await startStaticServer({
          pages: {},
          folders: {},
          handle: (req, res) => dubEndpoint.handle(req, res),
        }),
      }
    }
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        ...CHROMIUM_ARGS,
        // Real host names on loopback, so a tracker probes a registrable domain as on a
        // real site (ours skips probing on IP addresses, Dub's uses the host name as is).
        '--host-resolver-rules=MAP *.bench.test 127.0.0.1',
      ],
    })
    return new BrowserBench(browser, pages, site, {
      normal: await apis(API_LATENCY_MS),
      slow: await apis(SLOW_API_LATENCY_MS),
    })
  }

  /** Chromium's version string. */
  version(): string {
    return this.browser.version()
  }

  private apiOrigin(setup: TrackerSetup, apis: Apis): string {
    return setup.vendor === 'dub' ? `http://${DUB_API}:${apis.dubServer.port}` : `http://${API}:${apis.refport.port}`
  }

  /** Registers the setup's page and returns its URL with `query`. */
  private url(setup: TrackerSetup, query: string, apis: Apis): string {
    const path = `/${setup.name.replace(/\W+/g, '-').toLowerCase()}${apis === this.apis.slow ? '-slow-api' : ''}`
    this.pages[path] = setup.html(this.apiOrigin(setup, apis))
    return `http://${SITE}:${this.site.port}${path}${query}`
  }

  /** A fresh visitor: new context (no cookies, no cache); on a later page, the click ID already stored. */
  private async visitor(
    setup: TrackerSetup,
    landing: Landing,
    mode: HarnessMode = 'cookie-time',
  ): Promise<{ context: BrowserContext; tab: Page }> {
    const context = await this.browser.newContext()
    if (landing === 'later')
      await context.addCookies([
        { name: setup.cookie, value: CLICK_ID, domain: '.bench.test', path: '/', sameSite: 'Lax' },
      ])
    const tab = await context.newPage()
    await tab.addInitScript({ content: harness(setup.cookie, mode) })
    return { context, tab }
  }

  /** The click ID cookie as the browser stores it, read without running anything in the page. */
  private static async storedCookies(context: BrowserContext): Promise<Map<string, string>> {
    return new Map((await context.cookies()).map((cookie) => [cookie.name, cookie.value]))
  }

  /**
   * One fresh visitor loads a landing and (optionally) reloads it. Waits until the
   * tracker's work is seen done from outside the page: on a click-ID landing the cookie
   * holds that ID; on a partner landing the cookie is set and the click API answered (and,
   * for ours, no click is left pending); on a later page, `load`. With `trace`, the landing
   * is recorded as a Chromium trace and the tracker's main-thread time read from it; no
   * script of the bench runs in the page while it is traced.
   */
  async visit(
    setup: TrackerSetup,
    landing: Landing,
    options: VisitOptions,
  ): Promise<{ landing: Visit; reload?: Visit }> {
    const apis = this.apis.normal
    // A traced run has no cookie wrapper in the page: the wrapper is JavaScript that would run
    // inside the tracker's own cookie writes, and the tracker that writes more would pay more.
    const mode: HarnessMode = options.count ? 'count' : options.trace || options.profile ? 'mark-only' : 'cookie-time'
    const { context, tab } = await this.visitor(setup, landing, mode)
    try {
      const cdp = await context.newCDPSession(tab)
      if (options.throttle) await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING })
      if (options.profile) {
        await cdp.send('Profiler.enable')
        await cdp.send('Profiler.setSamplingInterval', { interval: PROFILE_SAMPLING_US })
      }
      const apiHost = new URL(this.apiOrigin(setup, apis)).host
      const seen = { total: 0, api: 0, answeredAt: [] as number[] }
      tab.on('request', (request) => {
        seen.total++
        if (new URL(request.url()).host === apiHost) seen.api++
      })
      tab.on('requestfinished', (request) => {
        if (new URL(request.url()).host === apiHost) seen.answeredAt.push(Date.now())
      })
      const load = async (
        go: () => Promise<unknown>,
        kind: Landing,
        trace = false,
        profile = false,
      ): Promise<Visit> => {
        const preflightCount = this.preflights(setup, apis)
        const dubPreflightsBefore = apis.dub.preflightAnsweredAt.length
        seen.total = seen.api = 0
        seen.answeredAt = []
        if (trace || profile)
          await this.browser.startTracing(tab, { categories: profile ? PROFILE_CATEGORIES : TRACE_CATEGORIES })
        if (profile) await cdp.send('Profiler.start')
        try {
          await go()
          await this.untilDone(setup, kind, context, () => seen.answeredAt.length > 0)
        } catch (error) {
          // The browser records one trace at a time: a visit that failed (a timeout on a
          // loaded machine) must not leave its trace running, or every later traced visit
          // of the run fails to start one.
          if (trace || profile) await this.browser.stopTracing().catch(() => undefined)
          throw error
        }
        // Only a trace needs the tail; the cookie time is known once the cookie is there.
        if (trace || profile || kind === 'later') await sleep(SETTLE_MS)
        let mainThreadMs: number | undefined
        let mainThreadCpuMs: number | undefined
        let captured: Visit['profile']
        if (trace || profile) {
          const cpuProfile = profile
            ? ((await cdp.send('Profiler.stop')) as { profile: CpuProfile }).profile
            : undefined
          const { traceEvents } = JSON.parse((await this.browser.stopTracing()).toString()) as {
            traceEvents: TraceEvent[]
          }
          mainThreadMs = mainThreadJsMs(traceEvents, { fromMark: START_MARK })
          mainThreadCpuMs = mainThreadJsCpuMs(traceEvents, { fromMark: START_MARK })
          if (profile) captured = { traceEvents, cpuProfile: cpuProfile! }
        }
        // Read only after the trace has stopped: this runs a script in the page.
        const timings = (await tab.evaluate(readTimings(apiHost))) as {
          cookieAtMs?: number
          cookieAtEpochMs?: number
          domContentLoadedMs?: number
          apiResponseEnds: number[]
          counters?: PageCounters
        }
        const preflights = this.preflights(setup, apis) - preflightCount
        // Exchanges completed before the cookie write. Requests: the page's own Resource
        // Timing (`responseEnd`, the clock of the cookie time). Preflights have no entry of
        // their own: Dub's stand-in notes when it answered them (wall clock); our mock only
        // counts them (ours sends none), so any it saw count with a request completed before.
        const requestsBefore =
          timings.cookieAtMs === undefined
            ? 0
            : timings.apiResponseEnds.filter((end) => end <= timings.cookieAtMs!).length
        const preflightsBefore =
          setup.vendor === 'dub'
            ? timings.cookieAtEpochMs === undefined
              ? 0
              : apis.dub.preflightAnsweredAt.slice(dubPreflightsBefore).filter((at) => at <= timings.cookieAtEpochMs!)
                  .length
            : Math.min(preflights, requestsBefore)
        const roundTripsBeforeCookie = requestsBefore + preflightsBefore
        return {
          requests: { total: seen.total, api: seen.api, preflights, roundTripsBeforeCookie },
          cookieAtMs: timings.cookieAtMs,
          domContentLoadedMs: timings.domContentLoadedMs,
          storedClickId: (await BrowserBench.storedCookies(context)).get(setup.cookie),
          mainThreadMs,
          mainThreadCpuMs,
          ...(captured && { profile: captured }),
          ...(timings.counters && { counters: timings.counters }),
        }
      }
      const first = await load(
        () => tab.goto(this.url(setup, landingQuery(setup, landing), apis), { waitUntil: 'load' }),
        landing,
        options.trace,
        options.profile,
      )
      if (!options.reload) return { landing: first }
      // A reload must not register a second click: a later page as far as waiting goes.
      const reload = await load(() => tab.reload({ waitUntil: 'load' }), 'later')
      return { landing: first, reload }
    } finally {
      await context.close()
    }
  }

  private preflights(setup: TrackerSetup, apis: Apis): number {
    return setup.vendor === 'dub' ? apis.dub.preflightAnsweredAt.length : apis.refport.state().preflights
  }

  /** Polls the browser's cookie store (no script in the page) until the landing's work is done. */
  private async untilDone(
    setup: TrackerSetup,
    landing: Landing,
    context: BrowserContext,
    answered: () => boolean,
  ): Promise<void> {
    if (landing === 'later' || setup.vendor === 'none') return
    const deadline = Date.now() + 15_000
    for (;;) {
      const cookies = await BrowserBench.storedCookies(context)
      const stored = cookies.get(setup.cookie)
      const done =
        landing === 'direct'
          ? stored === CLICK_ID
          : !!stored && (setup.sendsClick === false || (answered() && !cookies.has('refp_pending')))
      if (done) return
      if (Date.now() > deadline)
        throw new Error(
          `bench: ${setup.name} on a ${landing} landing: not done after 15 s (cookie ${stored ?? 'absent'})`,
        )
      await sleep(20)
    }
  }

  /**
   * A fresh visitor lands on `?via=jane` with {@link SLOW_API_LATENCY_MS} of API latency
   * and leaves `afterMs` after the landing's response started (navigates to another
   * site). Credited when the browser keeps a click-ID cookie that the API registered:
   * that is what a later sign-up is attributed with. No CPU throttling.
   */
  async leaveEarly(setup: TrackerSetup, afterMs: number): Promise<boolean> {
    const apis = this.apis.slow
    const { context, tab } = await this.visitor(setup, 'partner')
    try {
      await tab.goto(this.url(setup, '?via=jane', apis), { waitUntil: 'commit' })
      await sleep(afterMs)
      this.pages['/elsewhere'] = page('')
      await tab.goto(`http://elsewhere.bench.test:${this.site.port}/elsewhere`, { waitUntil: 'commit' })
      // The API answers a click after its latency; wait for it to register the stored ID,
      // or give up once every request sent before leaving has had time to be answered.
      const deadline = Date.now() + SLOW_API_LATENCY_MS * 2 + 500
      for (;;) {
        const stored = (await BrowserBench.storedCookies(context)).get(setup.cookie)
        const registered =
          setup.vendor === 'dub' ? apis.dub.issued : new Set(apis.refport.state().clicks.map((click) => click.clickId))
        if (stored && registered.has(stored)) return true
        if (Date.now() > deadline) return false
        await sleep(50)
      }
    } finally {
      await context.close()
    }
  }

  async close(): Promise<void> {
    await this.browser.close()
    await Promise.all([
      this.site.close(),
      ...Object.values(this.apis).flatMap((apis) => [apis.refport.close(), apis.dubServer.close()]),
    ])
  }
}

// The in-page scripts are kept as source text: tsx compiles this file with esbuild's
// keepNames, whose `__name` helper would not exist inside the page.

/** What the in-page harness does besides setting the start mark. */
export type HarnessMode = 'cookie-time' | 'mark-only' | 'count'

/**
 * Runs in the page before any of its scripts, then sets the start mark: main-thread time
 * counts from there, so the harness setup is not in it.
 *
 * - `cookie-time` (untraced runs): notes the first write of a click ID to the `name` cookie
 *   (`performance.now()`, ms since navigation start, and the wall clock, to compare with the
 *   API's answers): the `document.cookie` setter is wrapped, and the written text alone
 *   decides (a value present, not an expiry), with no read of `document.cookie`, which would
 *   cost the tracker a round trip to the cookie store.
 * - `mark-only` (traced runs): nothing wrapped, so no harness code runs inside the tracker's
 *   cookie writes while its main-thread time is measured.
 * - `count` (profiling runs): counts and times cookie reads and writes, `history.replaceState`,
 *   `dispatchEvent`, `fetch` and MutationObserver callbacks, for the per-operation breakdown.
 */
export const harness = (name: string, mode: HarnessMode = 'cookie-time'): string => `(() => {
  const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')
  ${
    mode === 'cookie-time'
      ? `const write = new RegExp('^\\\\s*${name}=[^;\\\\s]')
  const expiry = /max-age=(-|0\\b)|expires=thu, 01 jan 1970/i
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: true,
    get() { return descriptor.get.call(this) },
    set(value) {
      descriptor.set.call(this, value)
      if (window.__cookieAt === undefined && write.test(value) && !expiry.test(value)) {
        window.__cookieAt = performance.now()
        window.__cookieAtEpoch = Date.now()
      }
    },
  })`
      : ''
  }${
    mode === 'count'
      ? `const counters = window.__counters = {}
  const timed = (key, run) => {
    const counter = counters[key]
    const start = performance.now()
    try { return run() } finally { const time = performance.now() - start; counter.calls++; counter.ms += time; counter.each.push(Math.round(time * 100) / 100) }
  }
  for (const key of ['cookieRead', 'cookieWrite', 'replaceState', 'dispatchEvent', 'fetch', 'mutationCallback']) counters[key] = { calls: 0, ms: 0, each: [] }
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: true,
    get() { return timed('cookieRead', () => descriptor.get.call(this)) },
    set(value) { timed('cookieWrite', () => descriptor.set.call(this, value)) },
  })
  const wrap = (target, method, key) => {
    const original = target[method]
    target[method] = function (...args) { return timed(key, () => original.apply(this, args)) }
  }
  wrap(History.prototype, 'replaceState', 'replaceState')
  wrap(EventTarget.prototype, 'dispatchEvent', 'dispatchEvent')
  wrap(window, 'fetch', 'fetch')
  const Observer = MutationObserver
  window.MutationObserver = class extends Observer {
    constructor(callback) { super((...args) => timed('mutationCallback', () => callback(...args))) }
  }`
      : ''
  }
  performance.mark('${START_MARK}')
})()`

/** Runs in the page after the visit: the cookie time, DOMContentLoaded and when each API request completed. */
const readTimings = (apiHost: string): string => `({
  cookieAtMs: window.__cookieAt,
  cookieAtEpochMs: window.__cookieAtEpoch,
  domContentLoadedMs: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
  apiResponseEnds: performance.getEntriesByType('resource').filter((entry) => new URL(entry.name).host == ${JSON.stringify(apiHost)}).map((entry) => entry.responseEnd),
  counters: window.__counters,
})`

/**
 * The stand-in's answer to a click: the click ID with the partner the link belongs to, as
 * Dub's API answers for a partner link (its README: `{ clickId, partner, discount }`), and as
 * our mock answers ours (partner named, no discount). Both trackers then do the same work
 * with the answer: the click-ID cookie plus a partner cookie.
 */
export const dubClickAnswer = (
  clickId: string,
): { clickId: string; partner: { id: string; name: string; image: null }; discount: null } => ({
  clickId,
  partner: { id: 'pn_bench', name: 'jane', image: null },
  discount: null,
})

/**
 * Loopback stand-in for Dub's click API as its README documents it: `POST /track/click`
 * with a JSON body and `Content-Type: application/json` (so the browser sends an OPTIONS
 * preflight first), answered with {@link dubClickAnswer}. Both exchanges get the same added latency.
 */
class DubClickEndpoint {
  /** Wall-clock times at which preflights were answered. */
  readonly preflightAnsweredAt: number[] = []
  /** Click IDs handed out. */
  readonly issued = new Set<string>()

  constructor(private readonly latencyMs: number) {}

  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const cors = {
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'content-type',
      'access-control-allow-methods': 'POST, OPTIONS',
    }
    await sleep(this.latencyMs)
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors)
      res.end()
      this.preflightAnsweredAt.push(Date.now())
      return true
    }
    for await (const _ of req) void _
    const clickId = `dubbench${this.issued.size + 1}`
    this.issued.add(clickId)
    res.writeHead(200, { ...cors, 'content-type': 'application/json' })
    res.end(JSON.stringify(dubClickAnswer(clickId)))
    return true
  }
}
