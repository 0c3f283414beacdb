/**
 * Benchmark: `getClickIdFromCookie` (one cookie looked up) against the `cookie` package's
 * `parseCookie` plus a lookup (the whole header parsed into an object), on a realistic
 * header and an 8 KB one. Goal: at least 2× faster with identical answers.
 *
 * Run: `npx tsx packages/refport/bench/cookie-lookup.ts`. Import `runCookieLookupBench`
 * to fold the rows into a larger report.
 */
import { pathToFileURL } from 'node:url'
import { parseCookie } from 'cookie'
import { Bench } from 'tinybench'
import { isClickId } from '@refport/contract'
import { realisticCookieHeaders } from '@refport/test-support/cookie-headers'
import { getClickIdFromCookie } from '../src/request-cookie'

/** One row of the report: one header, both implementations. */
export interface CookieLookupBenchRow {
  header: string
  bytes: number
  refportOpsPerSec: number
  cookieParseOpsPerSec: number
  /** refport ÷ cookie.parse; the goal is ≥ 2. */
  speedup: number
  /** Both returned the same click ID (or both `null`). */
  sameAnswer: boolean
}

function lookupWithCookiePackage(header: string): string | null {
  const value = parseCookie(header).refp_id
  return isClickId(value) ? value : null
}

/** Runs the benchmark and returns one row per header. */
export async function runCookieLookupBench(options: { timeMs?: number } = {}): Promise<CookieLookupBenchRow[]> {
  const rows: CookieLookupBenchRow[] = []
  for (const { name, header } of realisticCookieHeaders()) {
    const bench = new Bench({ time: options.timeMs ?? 500 })
    let sink: string | null = null
    bench
      .add('refport', () => {
        sink = getClickIdFromCookie(header)
      })
      .add('cookie.parse', () => {
        sink = lookupWithCookiePackage(header)
      })
    await bench.run()
    void sink
    const [ours, theirs] = bench.tasks.map((task) => {
      const result = task.result as { throughput?: { mean: number } } | undefined
      return result?.throughput?.mean ?? 0
    })
    rows.push({
      header: name,
      bytes: header.length,
      refportOpsPerSec: Math.round(ours ?? 0),
      cookieParseOpsPerSec: Math.round(theirs ?? 0),
      speedup: Number(((ours ?? 0) / (theirs || 1)).toFixed(2)),
      sameAnswer: getClickIdFromCookie(header) === lookupWithCookiePackage(header),
    })
  }
  return rows
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runCookieLookupBench()
  console.table(rows)
  const failed = rows.filter((row) => row.speedup < 2 || !row.sameAnswer)
  console.log(
    failed.length
      ? `goal missed on: ${failed.map((row) => row.header).join(', ')}`
      : 'goal met: ≥ 2× faster, identical answers',
  )
  process.exitCode = failed.length ? 1 : 0
}
