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
  /** Thread CPU time of a complete event, microseconds, where the platform records it. */
  tdur?: number
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
  return unionMs(
    jsEventsAfter(events, options.fromMark).map((event): [number, number] => [event.ts, event.ts + event.dur!]),
  )
}

/** The complete JavaScript events on the marked page's main thread, from the mark on. */
function jsEventsAfter(events: readonly TraceEvent[], fromMark: string): TraceEvent[] {
  const mark = markOf(events, fromMark)
  const thread = threadOf(mark)
  return events.filter(
    (event) =>
      event.ph === 'X' &&
      event.dur !== undefined &&
      threadOf(event) === thread &&
      event.ts >= mark.ts &&
      JS_EVENTS.has(event.name),
  )
}

/**
 * Thread CPU time of the same events as {@link mainThreadJsMs}: the `tdur` of every
 * outermost JavaScript event (nested ones are inside their parent's), in ms. Time the
 * thread spent descheduled (another process ran on a busy machine) or blocked (a
 * synchronous cookie IPC) is not in it, so it moves far less with the machine's load than
 * the wall time does: the measure for comparing two builds of the same code on a shared
 * machine. Under CPU throttling it includes what the throttle makes the thread burn, so it
 * scales with the rate as the wall time does. Undefined when the trace has no thread times.
 *
 * @example
 * ```ts
 * mainThreadJsCpuMs(traceEvents, { fromMark: 'bench:start' }) // 4.1
 * ```
 */
export function mainThreadJsCpuMs(events: readonly TraceEvent[], options: { fromMark: string }): number | undefined {
  const outermost = jsEventsAfter(events, options.fromMark).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  let end = Number.NEGATIVE_INFINITY
  let total = 0
  for (const event of outermost) {
    if (event.ts < end) continue
    if (event.tdur === undefined) return undefined
    total += event.tdur
    end = event.ts + event.dur!
  }
  return total / 1000
}

const threadOf = (event: TraceEvent): string => `${event.pid}:${event.tid}`

/** One row of a breakdown: a name, its summed self time (ms) and how often it occurred. */
export interface BreakdownRow {
  name: string
  selfMs: number
  count: number
}

/**
 * Self time by event name on the renderer main thread that recorded `fromMark`, from the
 * mark on: every complete ("X") event, not only JavaScript, with the time of the events
 * nested in it taken out, so the rows add up to the busy time of the thread. Shows where a
 * tracker's time goes by kind (compile, evaluation, timers, microtasks, style, parsing).
 * With `clock: 'cpu'`, the same from the thread CPU times (`tdur`): waits (a synchronous
 * IPC) and descheduling left out. Sorted by self time, largest first.
 *
 * @example
 * ```ts
 * selfTimeByEvent(traceEvents, { fromMark: 'bench:start' })[0] // { name: 'v8.compile', selfMs: 3.1, count: 2 }
 * ```
 */
export function selfTimeByEvent(
  events: readonly TraceEvent[],
  options: { fromMark: string; clock?: 'wall' | 'cpu' },
): BreakdownRow[] {
  // 'cpu': the thread CPU time (`tdur`) of each event, children's taken out alike; an event without one counts 0.
  const length = (event: TraceEvent): number => (options.clock === 'cpu' ? (event.tdur ?? 0) : event.dur!)
  const mark = markOf(events, options.fromMark)
  const thread = threadOf(mark)
  const spans = events
    .filter((event) => event.ph === 'X' && event.dur !== undefined && threadOf(event) === thread && event.ts >= mark.ts)
    // Parents first: earlier start, then the longer one at the same start.
    .sort((a, b) => a.ts - b.ts || b.dur! - a.dur!)
  const rows = new Map<string, BreakdownRow>()
  const stack: { end: number; row: BreakdownRow }[] = []
  for (const span of spans) {
    while (stack.length && stack[stack.length - 1]!.end <= span.ts) stack.pop()
    const end = span.ts + span.dur!
    const parent = stack[stack.length - 1]
    // A child is taken out of its parent's self time, clipped to the parent's end (wall clock).
    if (parent)
      parent.row.selfMs -= (options.clock === 'cpu' ? length(span) : Math.min(end, parent.end) - span.ts) / 1000
    const row = rows.get(span.name) ?? { name: span.name, selfMs: 0, count: 0 }
    row.selfMs += length(span) / 1000
    row.count++
    rows.set(span.name, row)
    stack.push({ end, row })
  }
  return [...rows.values()].sort((a, b) => b.selfMs - a.selfMs)
}

/** The fields of a V8 CPU profile (CDP `Profiler.Profile`) read by {@link selfTimeByFunction}. */
export interface CpuProfileLike {
  nodes: readonly { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]
  startTime: number
  samples: readonly number[]
  timeDeltas: readonly number[]
}

/**
 * Self time by function from a sampled CPU profile: each sample's interval (the delta to the
 * next sample) goes to the function on top of the stack, named `name (file:line)`, or
 * `(anonymous)`; V8's own pseudo-frames (`(program)`, `(garbage collector)`, `(idle)`) keep
 * their names. Samples before `fromUs` (trace clock, e.g. the start mark) are left out.
 * Sorted by self time, largest first.
 *
 * @example
 * ```ts
 * selfTimeByFunction(cpuProfile)[0] // { name: 'store (index.ts:212)', selfMs: 1.9, count: 38 }
 * ```
 */
export function selfTimeByFunction(profile: CpuProfileLike, options: { fromUs?: number } = {}): BreakdownRow[] {
  const names = new Map(
    profile.nodes.map((node) => {
      const { functionName, url, lineNumber } = node.callFrame
      const file = url.slice(url.lastIndexOf('/') + 1)
      return [
        node.id,
        file ? `${functionName || '(anonymous)'} (${file}:${lineNumber + 1})` : functionName || '(anonymous)',
      ] as const
    }),
  )
  const rows = new Map<string, BreakdownRow>()
  let time = profile.startTime
  const times = profile.timeDeltas.map((delta) => (time += delta))
  profile.samples.forEach((node, index) => {
    const at = times[index]!
    const next = times[index + 1]
    if (next === undefined || at < (options.fromUs ?? Number.NEGATIVE_INFINITY)) return
    const name = names.get(node) ?? '(unknown)'
    const row = rows.get(name) ?? { name, selfMs: 0, count: 0 }
    row.selfMs += (next - at) / 1000
    row.count++
    rows.set(name, row)
  })
  return [...rows.values()].sort((a, b) => b.selfMs - a.selfMs)
}

/**
 * The trace time (µs) of the user-timing mark `name` on a renderer main thread.
 *
 * @throws when there is not exactly one such mark.
 *
 * @example
 * ```ts
 * markTime(traceEvents, 'bench:start') // 81234567
 * ```
 */
export const markTime = (events: readonly TraceEvent[], name: string): number => markOf(events, name).ts

function markOf(events: readonly TraceEvent[], name: string): TraceEvent {
  const mainThreads = new Set(
    events.filter((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain').map(threadOf),
  )
  const marks = events.filter((event) => event.name === name && mainThreads.has(threadOf(event)))
  if (marks.length !== 1)
    throw new Error(
      `bench: trace has ${marks.length} "${name}" marks on renderer main threads, expected exactly 1 — did the page load its harness once?`,
    )
  return marks[0]!
}
