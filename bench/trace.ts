/**
 * Main-thread time from a Chromium trace (`browser.startTracing`, `devtools.timeline`
 * categories): how long the page's renderer main thread ran JavaScript. Every tracker (a
 * script tag, a module calling `init()`, a peer's script) is measured the same way, from
 * the same events, on a page that runs nothing else — unlike marks around a call, which
 * miss the work a tracker schedules for later and count whatever else the thread did.
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
  args?: { name?: string }
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

/**
 * Main-thread JavaScript of one page load from its start mark on: the union (nested events
 * counted once) of every JavaScript event ({@link JS_EVENTS}) on the renderer main thread
 * that recorded the user-timing mark `fromMark`, starting at or after it, until the trace
 * ends. The bench page sets the mark at the end of its harness (an init script that runs
 * before any page script), so the harness itself is left out and what remains is the
 * tracker: its script or module evaluation, and every callback, timer, promise job and
 * microtask it schedules. Work on other threads (streaming parse, network) is not counted.
 *
 * @throws when no renderer main thread recorded the mark, so a broken run never reads as 0 ms.
 *
 * @example
 * ```ts
 * const { traceEvents } = JSON.parse((await browser.stopTracing()).toString())
 * mainThreadJsMs(traceEvents, { fromMark: 'bench:start' }) // 7.4
 * ```
 */
export function mainThreadJsMs(events: readonly TraceEvent[], options: { fromMark: string }): number {
  const mainThreads = new Set(events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map(threadOf))
  const marks = events.filter((event) => event.name === options.fromMark && mainThreads.has(threadOf(event)))
  if (marks.length !== 1)
    throw new Error(`bench: trace has ${marks.length} "${options.fromMark}" marks on renderer main threads, expected exactly 1 — did the page load its harness once?`)
  const mark = marks[0]!
  const thread = threadOf(mark)
  return unionMs(
    events
      .filter((event) => event.ph === 'X' && event.dur !== undefined && threadOf(event) === thread && event.ts >= mark.ts && JS_EVENTS.has(event.name))
      .map((event): [number, number] => [event.ts, event.ts + event.dur!]),
  )
}

const threadOf = (event: TraceEvent): string => `${event.pid}:${event.tid}`
