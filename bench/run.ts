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
import { cpus, release, totalmem, type } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { runCookieLookupBench } from '../packages/refport/bench/cookie-lookup'
import { API_LATENCY_MS, BrowserBench, CPU_THROTTLING, trackerSetups, type Visit } from './browser'
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

// ---- Size ----------------------------------------------------------------------------
log('size')
const sizes = await measureSizes({ root, dubScript })
const byName = new Map(sizes.map((row) => [row.what, row]))
const sizeLimit = sizeLimitBrotli()
sections.push(
  '## Size',
  'Minified, then gzip -9 and brotli q11 (node:zlib). Script tag: the built file as served. ' +
    'Imports: `export { … } from` bundled by esbuild (ESM, minified, tree-shaken), React and react-dom external. ' +
    '“× ours” = this row ÷ our entry of the same kind (brotli): above 1 means bigger than ours.',
  markdownTable(
    ['package', 'what a page pays for', 'minified', 'gzip', 'brotli', '× ours (brotli)', 'note'],
    sizes.map((row) => {
      const base = row.comparedWith ? byName.get(row.comparedWith) : undefined
      return [row.vendor, row.what, bytes(row.minified), bytes(row.gzip), bytes(row.brotli), base ? ratio(row.brotli, base.brotli) : '', row.note ?? '']
    }),
  ),
  sizeLimit.length
    ? `Cross-check, \`npx size-limit --json\` (brotli, after size-limit subtracts its own wrapper): ${sizeLimit.map((entry) => `${entry.name}: ${bytes(entry.size)}${entry.limit ? ` (budget ${bytes(entry.limit)})` : ''}`).join('; ')}.`
    : 'Cross-check with size-limit skipped: `npx size-limit --json` did not run.',
)

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
      const visits: Visit[] = []
      for (let run = 0; run < runs; run++) visits.push((await browser.visit(setup, query, { throttle: true, expectCookie: true })).landing)
      const pick = (key: 'cookieAtMs' | 'trackerSyncMs' | 'scriptDurationMs' | 'domContentLoadedMs'): number[] =>
        visits.map((visit) => visit[key]).filter((value): value is number => value !== undefined && Number.isFinite(value))
      const cookie = pick('cookieAtMs')
      timingRows.push([
        setup.name,
        label,
        ms(median(cookie)),
        ms(percentile(cookie, 90)),
        ms(median(pick('trackerSyncMs'))),
        ms(median(pick('scriptDurationMs'))),
        ms(median(pick('domContentLoadedMs'))),
        `${cookie.length}/${runs}`,
      ])
    }
  }
  sections.push(
    '## Time to cookie and main-thread time',
    `Chromium with ${CPU_THROTTLING}× CPU throttling (CDP \`Emulation.setCPUThrottlingRate\`), ${runs} fresh visitors per row, ${API_LATENCY_MS} ms API latency. ` +
      'Time to cookie: navigation start → the click-ID cookie first readable (the page wraps the `document.cookie` setter). ' +
      'Tracker sync: `performance.mark` around the tracker (script tag: its evaluation, download excluded; `init()`: the call). ' +
      'All JS: CDP `Performance.getMetrics` ScriptDuration for the whole page until the cookie, the bench page’s own tiny scripts included. DOMContentLoaded of the same page shows the fixed cost of a fresh page under throttling.',
    markdownTable(['tracker', 'landing', 'time to cookie (median)', 'p90', 'tracker sync main-thread (median)', 'all JS on the page (median)', 'page DOMContentLoaded (median, for scale)', 'runs with cookie'], timingRows),
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

/** size-limit's own numbers for our entries, to show both methods agree; empty if it fails. */
function sizeLimitBrotli(): { name: string; size: number; limit?: number }[] {
  try {
    const output = execFileSync(join(root, 'node_modules/.bin/size-limit'), ['--json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
    return (JSON.parse(output) as { name: string; size: number; sizeLimit?: number }[]).map(({ name, size, sizeLimit }) => ({ name, size, limit: sizeLimit }))
  } catch (error) {
    // size-limit exits 1 when a budget is exceeded but still prints the JSON.
    const stdout = (error as { stdout?: string }).stdout
    try {
      return stdout ? (JSON.parse(stdout) as { name: string; size: number; sizeLimit?: number }[]).map(({ name, size, sizeLimit }) => ({ name, size, limit: sizeLimit })) : []
    } catch {
      return []
    }
  }
}
