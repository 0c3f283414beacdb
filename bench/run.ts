/**
 * `npm run bench`: size, network, time to cookie and server parsing, side by side with
 * Dub, in one run. Prints a markdown report and writes it to bench/RESULTS.md.
 *
 * Needs the build (`npm run build`) and Chromium (`/usr/bin/chromium`, or CHROMIUM_PATH).
 * Optional: DUB_SCRIPT=<path to a saved copy of Dub's CDN script> adds Dub's tracking
 * script to the size table and to the browser runs (the npm package ships only a loader).
 * RUNS=<n> changes the number of timing runs (default 20).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { cpus, release, totalmem, type } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCookieLookupBench } from '../packages/refport/bench/cookie-lookup'
import { API_LATENCY_MS, BrowserBench, CPU_THROTTLING, TRACE_CATEGORIES, trackerSetups, type Visit } from './browser'
import { featureCostSection, measureFeatureCosts } from './feature-cost'
import { measureSizes } from './sizes'
import { bytes, markdownTable, median, ms, opsPerSec, percentile, ratio } from './stats'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.env.RUNS ?? 20)
const dubScript = process.env.DUB_SCRIPT ? resolve(process.env.DUB_SCRIPT) : undefined

for (const file of ['dist/refport.js', 'dist/index.js', 'dist/react/index.js'])
  if (!existsSync(join(root, file))) throw new Error(`bench: ${file} missing — run \`npm run build\` first`)

const started = Date.now()
const log = (message: string): void => console.error(`[bench ${((Date.now() - started) / 1000).toFixed(0)}s] ${message}`)
const sections: string[] = []
const TRACE_CATEGORIES_TEXT = TRACE_CATEGORIES.map((category) => `\`${category}\``).join(', ')

// ---- Size ----------------------------------------------------------------------------
log('size')
const sizes = await measureSizes({ root, dubScript })
const byName = new Map(sizes.map((row) => [row.what, row]))
const sizeLimit = sizeLimitBrotli()
const OUR_SHORT_NAMES = [['script tag', 'script tag'], ['import { init }', 'init()'], ['import { RefportTracker', 'React entry']] as const
sections.push(
  '## Size',
  'Minified, then gzip -9 and brotli q11 (node:zlib). Script tag: the built file as served. ' +
    'Imports: `export { … } from` bundled by esbuild (ESM, minified, tree-shaken), React and react-dom external. ' +
    '“× ours” = this row ÷ the entry of ours named beside it (brotli): above 1 means bigger than ours. ' +
    'Kind: a *full tracker* does the tracking itself; a *loader only* row is a stub that downloads the real tracker at run time, ' +
    'so its ratio compares a loader with our whole tracker and is not like for like; a *published reference* is a size quoted by the product brief, not measured here.',
  markdownTable(
    ['package', 'kind', 'what a page pays for', 'minified', 'gzip', 'brotli', '× ours (brotli)', 'note'],
    sizes.map((row) => {
      const base = row.comparedWith ? byName.get(row.comparedWith) : undefined
      const versus = base ? `${ratio(row.brotli, base.brotli)} of our ${OUR_SHORT_NAMES.find(([prefix]) => base.what.startsWith(prefix))?.[1] ?? base.what}` : ''
      return [row.vendor, row.kind, row.what, bytes(row.minified), bytes(row.gzip), bytes(row.brotli), versus, row.note ?? '']
    }),
  ),
  sizeLimit.length
    ? `Cross-check, \`npx size-limit --json\` (brotli, after size-limit subtracts its own wrapper), budgets as .size-limit.cjs sets them at this run: ` +
        `${sizeLimit.map((entry) => `${entry.name}: ${bytes(entry.size)}${entry.budget ? ` (budget ${entry.budget})` : ' (no budget in .size-limit.cjs)'}`).join('; ')}.`
    : 'Cross-check with size-limit skipped: `npx size-limit --json` did not run.',
)

log('size: feature costs')
sections.push(featureCostSection(await measureFeatureCosts(root)))

// ---- Browser -------------------------------------------------------------------------
log('browser: network')
const setups = trackerSetups({ dubScript })
const browser = await BrowserBench.start({ root, dubScript })
const chromiumVersion = browser.version()
try {
  const networkRows: string[][] = []
  for (const setup of setups) {
    const via = await browser.visit(setup, '?via=jane', { throttle: false, expectCookie: true, reload: true })
    const plain = await browser.visit(setup, '', { throttle: false, expectCookie: false })
    const apiExchanges = via.landing.requests.api + via.landing.requests.preflights
    networkRows.push([
      setup.name,
      String(via.landing.requests.total),
      String(via.landing.requests.api),
      String(via.landing.requests.preflights),
      String(apiExchanges),
      ms(via.landing.cookieAtMs),
      String(plain.landing.requests.api + plain.landing.requests.preflights),
      String(via.reload!.requests.api + via.reload!.requests.preflights),
    ])
  }
  sections.push(
    '## Network',
    `Chromium, one fresh visitor per row, API on another origin (\`api.bench.test\`, loopback) with ${API_LATENCY_MS} ms added to every API exchange. ` +
      'Requests from Playwright request events; CORS preflights counted by the API server (Playwright does not report them). ' +
      'Round trips = sequential exchanges with the API before the click ID is known (preflight + POST). No CPU throttling here.',
    markdownTable(
      ['tracker', '`?via=` landing: requests (all)', 'to the API', 'CORS preflights', 'API round trips to click ID', 'time to cookie', 'non-landing page: API requests', 'reload of the landing: API requests'],
      networkRows,
    ),
  )

  log(`browser: time to cookie, ${runs} runs × ${setups.length} trackers × 2 landings`)
  const timingRows: string[][] = []
  for (const setup of setups) {
    for (const [label, query] of [
      [`\`?${setup.clickIdParam}=\` (no network)`, `?${setup.clickIdParam}=cl_bench_123`],
      ['`?via=` (click API)', '?via=jane'],
    ] as const) {
      // One discarded visit first: the first page of a setup pays for cold code caches.
      await browser.visit(setup, query, { throttle: true, expectCookie: true })
      // Untraced visits for time to cookie (tracing costs the browser a little), then
      // traced ones for main-thread time.
      const visits: Visit[] = []
      for (let run = 0; run < runs; run++) visits.push((await browser.visit(setup, query, { throttle: true, expectCookie: true })).landing)
      const traced: Visit[] = []
      for (let run = 0; run < runs; run++) traced.push((await browser.visit(setup, query, { throttle: true, expectCookie: true, trace: true })).landing)
      const pick = (from: Visit[], key: 'cookieAtMs' | 'trackerSyncMs' | 'pageJsMs' | 'domContentLoadedMs'): number[] =>
        from.map((visit) => visit[key]).filter((value): value is number => value !== undefined && Number.isFinite(value))
      const cookie = pick(visits, 'cookieAtMs')
      // The tracker's time is part of the page's JavaScript; the ESM init() timing comes from
      // performance.now(), coarsened by the browser, hence the 0.1 ms of slack.
      const consistent = traced.filter((visit) => visit.trackerSyncMs !== undefined && visit.pageJsMs !== undefined && visit.trackerSyncMs <= visit.pageJsMs + 0.1)
      if (consistent.length < traced.length) log(`WARNING ${setup.name} ${label}: tracker time above page JS in ${traced.length - consistent.length} run(s)`)
      timingRows.push([
        setup.name,
        label,
        ms(median(cookie)),
        ms(percentile(cookie, 90)),
        ms(median(pick(traced, 'trackerSyncMs'))),
        ms(median(pick(traced, 'pageJsMs'))),
        `${consistent.length}/${traced.length}`,
        ms(median(pick(visits, 'domContentLoadedMs'))),
        `${cookie.length}/${runs}`,
      ])
    }
  }
  sections.push(
    '## Time to cookie and main-thread time',
    `Chromium with ${CPU_THROTTLING}× CPU throttling (CDP \`Emulation.setCPUThrottlingRate\`), ${API_LATENCY_MS} ms API latency, fresh visitor every run. ` +
      `Time to cookie and DOMContentLoaded: ${runs} untraced runs per row; time to cookie is navigation start → the click-ID cookie first readable (the page wraps the \`document.cookie\` setter). ` +
      `Main-thread times: ${runs} further runs per row, each recorded as a Chromium trace (\`browser.startTracing\`, categories ${TRACE_CATEGORIES_TEXT}), read on the page’s renderer main thread only. ` +
      '*Tracker sync* — script tag: the `EvaluateScript` event of `/dist/refport.js` (parser-blocking, no `defer`), i.e. its main-thread compile and top-level run, `init()` included; ' +
      'its download and its background (streaming) parse are not main-thread time and are not counted. `init()` (ESM): `performance.now()` before and after the `init()` call in the page’s module. ' +
      '*All JS on the page*: the union (nested events counted once) of every main-thread JavaScript event (script and module evaluation, compile, function calls, microtasks, timers) that started before the page marked the cookie write, the bench page’s own tiny scripts included. ' +
      'Both come from the same trace and thread, so the tracker is a part of the page’s JavaScript by construction; the “tracker ≤ all JS” column counts the runs where that held (the ESM `init()` timing comes from the page’s own clock). ' +
      'The async rest of a `?via=` landing (reading the API answer, writing the cookie) is in “all JS” but not in “tracker sync”. DOMContentLoaded shows the fixed cost of a fresh page under throttling.',
    markdownTable(
      ['tracker', 'landing', 'time to cookie (median)', 'p90', 'tracker sync main-thread (median)', 'all JS on the page until the cookie (median)', 'tracker ≤ all JS', 'page DOMContentLoaded (median, for scale)', 'runs with cookie'],
      timingRows,
    ),
  )
} finally {
  await browser.close()
}

// ---- Server --------------------------------------------------------------------------
log('server: getClickIdFromCookie vs cookie.parse')
const cookieRows = await runCookieLookupBench({ timeMs: 1000 })
sections.push(
  '## Server: reading the click ID from a Cookie header',
  '`getClickIdFromCookie(header)` (package `refport`) against the `cookie` package’s `parseCookie(header).refp_id` plus the same click-ID check; tinybench, 1 s per task after its warm-up.',
  markdownTable(
    ['header', 'bytes', 'refport ops/s', 'cookie.parse ops/s', 'refport ÷ cookie', 'same answer'],
    cookieRows.map((row) => [row.header, String(row.bytes), opsPerSec(row.refportOpsPerSec), opsPerSec(row.cookieParseOpsPerSec), `${row.speedup.toFixed(2)}×`, row.sameAnswer ? 'yes' : 'NO']),
  ),
)

// ---- Report --------------------------------------------------------------------------
const cpu = cpus()
const machine =
  `${cpu[0]?.model.trim() ?? 'unknown CPU'} × ${cpu.length}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ${type()} ${release()}, ` +
  `Node ${process.version}, Chromium ${chromiumVersion}`
const report = [
  '# refport-js benchmarks',
  `Generated by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)} — ${machine}. ` +
    `Took ${Math.round((Date.now() - started) / 1000)} s. Loopback only; numbers move with the machine, compare rows within one run.`,
  ...sections,
].join('\n\n')
console.log(report)
writeFileSync(join(root, 'bench/RESULTS.md'), report + '\n')
log('wrote bench/RESULTS.md')

/**
 * size-limit's own numbers for our entries, to show both methods agree, with each entry's
 * budget read from .size-limit.cjs now (never a remembered figure); empty if it fails.
 */
function sizeLimitBrotli(): { name: string; size: number; budget?: string }[] {
  const budgets = new Map<string, string>()
  try {
    const config = createRequire(join(root, 'package.json'))(join(root, '.size-limit.cjs')) as { name?: string; path?: string; limit?: string }[]
    for (const entry of config) if (entry.limit) budgets.set(entry.name ?? entry.path ?? '', entry.limit)
  } catch {
    // No config: sizes without budgets.
  }
  const parse = (output: string) =>
    (JSON.parse(output) as { name: string; size: number }[]).map(({ name, size }) => ({ name, size, budget: budgets.get(name) }))
  try {
    return parse(execFileSync(join(root, 'node_modules/.bin/size-limit'), ['--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))
  } catch (error) {
    // size-limit exits 1 when a budget is exceeded but still prints the JSON.
    const stdout = (error as { stdout?: string }).stdout
    try {
      return stdout ? parse(stdout) : []
    } catch {
      return []
    }
  }
}
