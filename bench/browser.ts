/**
 * Browser benchmarks in Chromium (Playwright): requests and round trips from a landing,
 * time from navigation start to the click-ID cookie, and main-thread time of the tracker.
 * Everything runs on loopback: pages from a tiny static server, clicks against the mock
 * Refport API (and, for Dub, a loopback endpoint shaped like Dub's click API).
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import { chromium, type Browser, type Page } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/servers/config.mjs'
import { startMockRefportApi, type MockRefportApi } from 'refport/testing'
import { startStaticServer, type StaticServer } from './static-server'
import { mainThreadTimes, type TraceEvent } from './trace'

/** Added to every API exchange (preflight and POST alike), as a real round trip would be. */
export const API_LATENCY_MS = 100
/** CPU slowdown for the timing runs (CDP Emulation.setCPUThrottlingRate): a mid-range phone. */
export const CPU_THROTTLING = 4
const PUBLISHABLE_KEY = 'pk_test_refport'
const SITE = 'www.bench.test'
const API = 'api.bench.test'
const DUB_API = 'dub-api.bench.test'
/** User-timing mark the page sets when the click-ID cookie is written; bounds "all JS on the page". */
const COOKIE_MARK = 'bench:cookie'
/** Trace categories for main-thread time: script evaluation, V8 execution, user-timing marks. */
export const TRACE_CATEGORIES = ['devtools.timeline', 'v8', 'v8.execute', 'blink.user_timing']

/** A way of putting a tracker on a page. */
export interface TrackerSetup {
  name: string
  /** Cookie that holds the click ID once the tracker is done. */
  cookie: string
  /** Landing param that carries a click ID without a network call. */
  clickIdParam: string
  /**
   * Page HTML. A page that calls the tracker from its own module stores the call's
   * duration (`performance.now()` before and after) in `window.__initMs`.
   */
  html: (apiOrigin: string) => string
  /** Which API origin it talks to. */
  api: 'refport' | 'dub'
  /**
   * URL path of a classic, parser-blocking tracker script: its main-thread evaluation (trace
   * `EvaluateScript`: compile + top-level run, `init()` included) is the tracker's sync time.
   */
  trackerScript?: string
}

const page = (head: string): string => `<!doctype html><html><head><meta charset="utf-8"><title>bench</title>${head}</head><body><h1>landing</h1></body></html>`

/** Our script tag, our `init()` ESM path and (with a local copy of its CDN script) Dub. */
export function trackerSetups(options: { dubScript?: string }): TrackerSetup[] {
  const setups: TrackerSetup[] = [
    {
      name: 'refport-js script tag',
      cookie: 'refp_id',
      clickIdParam: 'refp_id',
      api: 'refport',
      trackerScript: '/dist/refport.js',
      // Parser-blocking (no defer/async): the evaluation is one main-thread task of its own.
      html: (api) => page(`<script src="/dist/refport.js" data-publishable-key="${PUBLISHABLE_KEY}" data-api-host="${api}"></script>`),
    },
    {
      name: "refport-js init() (ESM)",
      cookie: 'refp_id',
      clickIdParam: 'refp_id',
      api: 'refport',
      html: (api) =>
        page(
          `<script type="module">import { init } from '/dist/index.js'; const start = performance.now();` +
            ` init({ publishableKey: '${PUBLISHABLE_KEY}', apiHost: '${api}' }); window.__initMs = performance.now() - start</script>`,
        ),
    },
  ]
  if (options.dubScript)
    setups.push({
      name: 'Dub: @dub/analytics inject() + CDN script',
      cookie: 'dub_id',
      clickIdParam: 'dub_id',
      api: 'dub',
      // Dub's published loader, unchanged, read from node_modules; only its documented
      // options point it at loopback (apiHost, scriptProps.src) and name a short domain,
      // which its script needs before it tracks ?via= clicks.
      html: (api) =>
        page(
          `<script type="module">import { inject } from '/node_modules/@dub/analytics/dist/index.js'; const start = performance.now();` +
            ` inject({ apiHost: '${api}', shortDomain: 'go.bench.test', domainsConfig: { refer: 'go.bench.test' }, scriptProps: { src: '/dub/script.js' } });` +
            ` window.__initMs = performance.now() - start</script>`,
        ),
    })
  return setups
}

/** Requests seen in one visit. */
export interface VisitRequests {
  /** Every request Chromium reported (page, scripts, API calls), preflights excepted. */
  total: number
  /** Requests to the tracker's API origin, preflights excepted. */
  api: number
  /** CORS preflights (OPTIONS) the API origin answered: Playwright does not report them. */
  preflights: number
}

/** What one visit measured. */
export interface Visit {
  requests: VisitRequests
  /** Navigation start → the click-ID cookie first present, ms; undefined when never set. */
  cookieAtMs?: number
  /**
   * Tracker's synchronous main-thread time, ms (traced visits only): the script tag's
   * evaluation from the trace, or the page's `performance.now()` around `init()`.
   */
  trackerSyncMs?: number
  /** Main-thread JavaScript of tasks started before the cookie write, from the trace, ms (traced visits only). */
  pageJsMs?: number
  /** Navigation start → DOMContentLoaded end, ms: the page's own cost, for scale. */
  domContentLoadedMs?: number
}

/** A browser, the servers and the counters for one benchmark session. */
export class BrowserBench {
  private constructor(
    private readonly browser: Browser,
    private readonly site: StaticServer,
    private readonly refportApi: MockRefportApi,
    private readonly dubApi: DubClickEndpoint,
    private readonly dubServer: StaticServer,
  ) {}

  static async start(options: { root: string; dubScript?: string }): Promise<BrowserBench> {
    const { root, dubScript } = options
    const dubApi = new DubClickEndpoint()
    const pages: Record<string, string> = {}
    const site = await startStaticServer({
      pages,
      folders: {
        '/dist/': join(root, 'dist'),
        '/node_modules/@dub/analytics/dist/': join(root, 'node_modules/@dub/analytics/dist'),
      },
      handle: (req, res) => {
        if (!dubScript || !req.url?.startsWith('/dub/script.js')) return false
        return import('node:fs/promises').then(async ({ readFile }) => {
          res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' })
          res.end(await readFile(dubScript))
          return true
        })
      },
    })
    const refportApi = await startMockRefportApi({ faults: { click: { delayMs: API_LATENCY_MS } } })
    const dubServer = await startStaticServer({ pages: {}, folders: {}, handle: (req, res) => dubApi.handle(req, res) })
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: [
        ...CHROMIUM_ARGS,
        // Real host names on loopback, so the tracker probes a registrable domain as on a
        // real site (it skips probing on IP addresses).
        '--host-resolver-rules=MAP *.bench.test 127.0.0.1',
      ],
    })
    const bench = new BrowserBench(browser, site, refportApi, dubApi, dubServer)
    bench.pages = pages
    return bench
  }

  private pages: Record<string, string> = {}

  /** Chromium's version string. */
  version(): string {
    return this.browser.version()
  }

  private apiOrigin(setup: TrackerSetup): string {
    return setup.api == 'refport' ? `http://${API}:${this.refportApi.port}` : `http://${DUB_API}:${this.dubServer.port}`
  }

  private preflights(setup: TrackerSetup): number {
    return setup.api == 'refport' ? this.refportApi.state().preflights : this.dubApi.preflights
  }

  /** Registers the setup's page and returns its URL with `query`. */
  private url(setup: TrackerSetup, query: string): string {
    const path = `/${encodeURIComponent(setup.name.replace(/\W+/g, '-').toLowerCase())}`
    this.pages[path] = setup.html(this.apiOrigin(setup))
    return `http://${SITE}:${this.site.port}${path}${query}`
  }

  /**
   * One fresh visitor (new browser context: no cookies, no cache) loads `query`, and
   * optionally reloads. Waits for the cookie when `expectCookie`, else for the network
   * to go idle. With `trace` (needs `expectCookie`), records a Chromium trace of the landing
   * for main-thread times.
   */
  async visit(
    setup: TrackerSetup,
    query: string,
    options: { throttle: boolean; expectCookie: boolean; reload?: boolean; trace?: boolean },
  ): Promise<{ landing: Visit; reload?: Visit }> {
    const context = await this.browser.newContext()
    try {
      const tab = await context.newPage()
      await tab.addInitScript({ content: watchCookie(setup.cookie) })
      const cdp = await context.newCDPSession(tab)
      if (options.throttle) await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_THROTTLING })
      const apiHost = new URL(this.apiOrigin(setup)).host
      const seen = { total: 0, api: 0 }
      tab.on('request', (request) => {
        seen.total++
        if (new URL(request.url()).host == apiHost) seen.api++
      })
      const load = async (go: () => Promise<unknown>, expectCookie: boolean, trace = false): Promise<Visit> => {
        const preflightsBefore = this.preflights(setup)
        seen.total = seen.api = 0
        if (trace) await this.browser.startTracing(tab, { categories: TRACE_CATEGORIES })
        await go()
        if (expectCookie) await tab.waitForFunction('window.__cookieAt !== undefined', null, { timeout: 15_000 })
        else await tab.waitForLoadState('networkidle')
        const { initMs, ...timings } = (await tab.evaluate(READ_TIMINGS)) as Pick<Visit, 'cookieAtMs' | 'domContentLoadedMs'> & { initMs?: number }
        const visit: Visit = { requests: { ...seen, preflights: this.preflights(setup) - preflightsBefore }, ...timings }
        if (!trace) return visit
        const { traceEvents } = JSON.parse((await this.browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] }
        const { scriptMs, pageJsMs } = mainThreadTimes(traceEvents, { untilMark: COOKIE_MARK, scriptPath: setup.trackerScript })
        return { ...visit, trackerSyncMs: setup.trackerScript ? scriptMs : initMs, pageJsMs }
      }
      const landing = await load(() => tab.goto(this.url(setup, query), { waitUntil: 'load' }), options.expectCookie, options.trace && options.expectCookie)
      if (!options.reload) return { landing }
      // A reload must not register a second click: wait for the network to settle.
      const reload = await load(() => tab.reload({ waitUntil: 'load' }), false)
      return { landing, reload }
    } finally {
      await context.close()
    }
  }

  async close(): Promise<void> {
    await this.browser.close()
    await Promise.all([this.site.close(), this.refportApi.close(), this.dubServer.close()])
  }
}

// The in-page scripts are kept as source text: tsx compiles this file with esbuild's
// keepNames, whose `__name` helper would not exist inside the page.

/**
 * Runs in the page before any of its scripts: notes `performance.now()` (ms since
 * navigation start) and sets the `bench:cookie` user-timing mark (it bounds the traced
 * "all JS on the page") the first time the click-ID cookie is readable after a write.
 * Wrapping the `document.cookie` setter catches the exact write, where polling would
 * add its own interval.
 */
const watchCookie = (name: string): string => `(() => {
  const descriptor = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie')
  const present = new RegExp('(?:^|;\\\\s*)${name}=[^;]')
  Object.defineProperty(Document.prototype, 'cookie', {
    configurable: true,
    enumerable: true,
    get() { return descriptor.get.call(this) },
    set(value) {
      descriptor.set.call(this, value)
      if (window.__cookieAt === undefined && present.test(descriptor.get.call(this))) {
        window.__cookieAt = performance.now()
        performance.mark('${COOKIE_MARK}')
      }
    },
  })
})()`

/** Runs in the page: the cookie time, DOMContentLoaded and the page's own `init()` timing. */
const READ_TIMINGS = `({
  cookieAtMs: window.__cookieAt,
  domContentLoadedMs: performance.getEntriesByType('navigation')[0]?.domContentLoadedEventEnd,
  initMs: window.__initMs,
})`

/**
 * Loopback stand-in for Dub's click API, as its public script calls it: `POST
 * /track/click` with a JSON body and `Content-Type: application/json`, answered with
 * `{ clickId }`. That content type is not CORS-safelisted, so the browser sends an
 * OPTIONS preflight first; both exchanges get the same added latency.
 */
class DubClickEndpoint {
  preflights = 0
  clicks = 0

  async handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const cors = { 'access-control-allow-origin': '*', 'access-control-allow-headers': 'content-type', 'access-control-allow-methods': 'POST, OPTIONS' }
    await new Promise((resolve) => setTimeout(resolve, API_LATENCY_MS))
    if (req.method == 'OPTIONS') {
      this.preflights++
      res.writeHead(204, cors)
      res.end()
      return true
    }
    for await (const _ of req) void _
    this.clicks++
    res.writeHead(200, { ...cors, 'content-type': 'application/json' })
    res.end(JSON.stringify({ clickId: `dubbench${this.clicks}`, partner: null }))
    return true
  }
}
