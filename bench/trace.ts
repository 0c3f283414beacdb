/**
 * Main-thread time from a Chromium trace (`browser.startTracing`, `devtools.timeline`
 * categories): how long the renderer's main thread ran a given script, and how long it ran
 * JavaScript at all. Both come from the same trace and the same thread, so the tracker's
 * time is a subset of the page's by construction — unlike marks around a `<script>`,
 * which also count waiting for its download and whatever else the thread did meanwhile.
 * Pure functions, no I/O: the unit tests feed them hand-made events.
 */

/** The fields of a Chrome trace event used here (Trace Event Format, "X" = complete event). */
export interface TraceEvent {
  name: string
  ph: string
  pid: number
  tid: number
  /** Microseconds, trace clock. */
  ts: number
  /** Microseconds; complete ("X") events only. */
  dur?: number
  args?: { name?: string; data?: { url?: string } }
}

/**
 * Main-thread events that run (or compile) JavaScript. Nested ones (v8.compile inside
 * EvaluateScript, FunctionCall inside a task) are merged by {@link unionMs}, never added twice.
 */
export const JS_EVENTS: ReadonlySet<string> = new Set([
  'EvaluateScript',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'v8.run',
  'FunctionCall',
  'RunMicrotasks',
  'TimerFire',
  'FireAnimationFrame',
])

/**
 * Total length in ms of the union of `[start, end)` intervals given in µs: overlapping or
 * nested intervals count once.
 *
 * @example
 * ```ts
 * unionMs([[0, 1000], [500, 2000], [3000, 4000]]) // 3
 * ```
 */
export function unionMs(intervals: readonly (readonly [number, number])[]): number {
  const sorted = intervals.filter(([start, end]) => end > start).sort((a, b) => a[0] - b[0])
  let total = 0
  let cursor = Number.NEGATIVE_INFINITY
  for (const [start, end] of sorted) {
    if (end <= cursor) continue
    total += end - Math.max(start, cursor)
    cursor = end
  }
  return total / 1000
}

/** What {@link mainThreadTimes} found in one page load's trace. */
export interface MainThreadTimes {
  /** Main-thread time evaluating the script whose URL path is `scriptPath` (compile + run), ms. */
  scriptMs?: number
  /** Main-thread JavaScript (compile + run) of tasks that started before the mark, ms. */
  pageJsMs: number
}

/**
 * Reads one page load's trace. The page's main thread is the `CrRendererMain` thread that
 * recorded the user-timing mark `untilMark` (the page calls `performance.mark(untilMark)`
 * when the click-ID cookie is written); JavaScript counts when its event starts at or
 * before that mark. `scriptMs` sums the `EvaluateScript` events of `scriptPath` (a classic
 * script: its main-thread compile and its top-level run, which for our script tag includes
 * `init()`); background (streaming) parsing and the download are not main-thread time.
 * Throws when the mark is missing, so a broken page never reports 0 ms.
 *
 * @example
 * ```ts
 * const { traceEvents } = JSON.parse((await browser.stopTracing()).toString())
 * mainThreadTimes(traceEvents, { untilMark: 'bench:cookie', scriptPath: '/dist/refport.js' })
 * // { scriptMs: 6.6, pageJsMs: 7.4 }
 * ```
 */
export function mainThreadTimes(events: readonly TraceEvent[], options: { untilMark: string; scriptPath?: string }): MainThreadTimes {
  const mainThreads = new Set(events.filter((event) => event.name == 'thread_name' && event.args?.name == 'CrRendererMain').map(threadOf))
  const mark = events.find((event) => event.name == options.untilMark && mainThreads.has(threadOf(event)))
  if (!mark) throw new Error(`bench: trace has no "${options.untilMark}" mark on a renderer main thread — did the page write the cookie?`)
  const thread = threadOf(mark)
  const onThread = events.filter((event) => event.ph == 'X' && event.dur !== undefined && threadOf(event) == thread && event.ts <= mark.ts)
  const span = (event: TraceEvent): [number, number] => [event.ts, event.ts + event.dur!]
  const script = options.scriptPath
    ? onThread.filter((event) => event.name == 'EvaluateScript' && urlPath(event.args?.data?.url) == options.scriptPath)
    : []
  return {
    scriptMs: options.scriptPath ? (script.length ? unionMs(script.map(span)) : undefined) : undefined,
    pageJsMs: unionMs(onThread.filter((event) => JS_EVENTS.has(event.name)).map(span)),
  }
}

const threadOf = (event: TraceEvent): string => `${event.pid}:${event.tid}`

function urlPath(url: string | undefined): string | undefined {
  try {
    return url ? new URL(url).pathname : undefined
  } catch {
    return undefined
  }
}
