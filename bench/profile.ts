/**
 * `npm run bench:profile`: where each tracker's main-thread time goes on each landing, to
 * find what to cut. For every tracker (our script tag, our `init()`, Dub's base and
 * all-features scripts) and landing, a few throttled visits are recorded with a Chromium
 * trace and a V8 CPU profile (50 µs sampling), and one more visit counts the calls that
 * cost a round trip out of V8 (cookie reads and writes, `history.replaceState`, events,
 * `fetch`, MutationObserver callbacks). Prints markdown; `PROFILE_JSON=<file>` also writes
 * every breakdown as JSON.
 *
 * Function names need readable code: ours is rebuilt here unminified (esbuild, the same
 * entries and defines as the shipped build, no minifier), Dub's scripts are served
 * re-indented (terser, names as shipped). The main-thread total of these runs is printed
 * too, but the timing table of `npm run bench` (shipped files, more runs) is the one that counts.
 *
 * PROFILE_RUNS=<n> visits per row (default 3); PROFILE_ONLY=<substring> keeps the trackers
 * whose name contains it; PROFILE_LANDINGS=direct,partner,later picks landings.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { minify } from 'terser'
import { BrowserBench, trackerSetups, type Landing, type PageCounters, type Visit } from './browser'
import { findDubPeer } from './peers'
import { markdownTable, median, ms } from './stats'
import { markTime, selfTimeByEvent, selfTimeByFunction, type BreakdownRow } from './trace'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const runs = Number(process.env.PROFILE_RUNS ?? 3)
const throttle = process.env.PROFILE_THROTTLE !== '0'
const only = process.env.PROFILE_ONLY
const landings = (process.env.PROFILE_LANDINGS ?? 'direct,partner,later').split(',') as Landing[]
const dub = findDubPeer(root)
const out = mkdtempSync(join(tmpdir(), 'refport-profile-'))
const log = (message: string): void => console.error(`[profile] ${message}`)

// Our tracker, unminified: same entries, defines and target as tsup.config.ts.
const common = {
  bundle: true,
  target: 'es2020',
  define: { __REFPORT_DEBUG__: 'false' },
  minify: false,
  logLevel: 'error',
} as const
await build({ ...common, entryPoints: [join(root, 'src/script.ts')], format: 'iife', outfile: join(out, 'refport.js') })
await build({ ...common, entryPoints: [join(root, 'src/index.ts')], format: 'esm', outfile: join(out, 'index.js') })
if (dub.present)
  for (const file of [dub.base, dub.allFeatures])
    writeFileSync(
      join(out, file.slice(file.lastIndexOf('/') + 1)),
      (await minify(readFileSync(file, 'utf8'), { compress: false, mangle: false, format: { beautify: true } })).code!,
    )

const setups = trackerSetups(dub, {
  scriptTag: '/profile/refport.js',
  module: '/profile/index.js',
  dubFolder: '/profile/',
}).filter((setup) => !only || setup.name.includes(only))
if (!dub.present) log(dub.reason)

/** Self times summed over runs, then divided by the run count: the mean per visit. */
function meanRows(perRun: BreakdownRow[][]): BreakdownRow[] {
  const rows = new Map<string, BreakdownRow>()
  for (const run of perRun)
    for (const { name, selfMs, count } of run) {
      const row = rows.get(name) ?? { name, selfMs: 0, count: 0 }
      row.selfMs += selfMs / perRun.length
      row.count += count / perRun.length
      rows.set(name, row)
    }
  return [...rows.values()].sort((a, b) => b.selfMs - a.selfMs)
}

const browser = await BrowserBench.start({ root, dub, folders: { '/profile/': out } })
const report: string[] = [
  '# Where the main-thread time goes',
  `Chromium, ${throttle ? '4×' : 'no'} CPU throttling, ${runs} profiled visits per row (mean per visit), unminified builds; counts from one more visit.`,
]
const json: Record<string, unknown> = {}
try {
  for (const landing of landings)
    for (const setup of setups) {
      log(`${setup.name}, ${landing}`)
      // Warm-up visit: the first page of a setup pays for cold code caches.
      await browser.visit(setup, landing, { throttle })
      const visits: Visit[] = []
      for (let run = 0; run < runs; run++)
        visits.push((await browser.visit(setup, landing, { throttle, profile: true })).landing)
      const counted = (await browser.visit(setup, landing, { throttle, count: true })).landing.counters
      const events = meanRows(
        visits.map((visit) => selfTimeByEvent(visit.profile!.traceEvents, { fromMark: 'bench:start' })),
      )
      const cpuEvents = meanRows(
        visits.map((visit) => selfTimeByEvent(visit.profile!.traceEvents, { fromMark: 'bench:start', clock: 'cpu' })),
      )
      const functions = meanRows(
        visits.map((visit) =>
          selfTimeByFunction(visit.profile!.cpuProfile, {
            fromUs: markTime(visit.profile!.traceEvents, 'bench:start'),
          }).filter((row) => row.name !== '(idle)'),
        ),
      )
      const total = median(visits.map((visit) => visit.mainThreadMs!))
      if (process.env.PROFILE_TRACE_DIR)
        writeFileSync(
          join(process.env.PROFILE_TRACE_DIR, `${setup.name.replace(/\W+/g, '-')}-${landing}.json`),
          JSON.stringify({ traceEvents: visits[0]!.profile!.traceEvents, cpuProfile: visits[0]!.profile!.cpuProfile }),
        )
      json[`${setup.name} / ${landing}`] = {
        mainThreadMs: visits.map((visit) => visit.mainThreadMs),
        mainThreadCpuMs: visits.map((visit) => visit.mainThreadCpuMs),
        events,
        cpuEvents,
        functions,
        counted,
      }
      report.push(
        `## ${setup.name}, ${landing} landing — main-thread JS (median of ${runs}) ${ms(total)}, thread CPU ${ms(median(visits.map((visit) => visit.mainThreadCpuMs ?? Number.NaN)))}`,
        markdownTable(
          ['trace event (self time)', 'ms', 'count'],
          events.slice(0, 14).map((row) => [row.name, row.selfMs.toFixed(2), row.count.toFixed(1)]),
        ),
        markdownTable(
          ['trace event (thread CPU self time)', 'ms', 'count'],
          cpuEvents.slice(0, 14).map((row) => [row.name, row.selfMs.toFixed(2), row.count.toFixed(1)]),
        ),
        markdownTable(
          ['function (CPU profile self time)', 'ms', 'samples'],
          functions.slice(0, 16).map((row) => [row.name, row.selfMs.toFixed(2), row.count.toFixed(0)]),
        ),
        counted ? countsTable(counted) : 'no counts',
      )
    }
} finally {
  await browser.close()
}
console.log(report.join('\n\n'))
if (process.env.PROFILE_JSON) writeFileSync(process.env.PROFILE_JSON, JSON.stringify(json, null, 1))

function countsTable(counters: PageCounters): string {
  return markdownTable(
    ['call (one counted visit)', 'calls', 'ms (page clock, throttled, nested calls inside)', 'each call, ms, in order'],
    Object.entries(counters).map(([name, { calls, ms: time, each }]) => [
      name,
      String(calls),
      time.toFixed(2),
      each.join(', '),
    ]),
  )
}
