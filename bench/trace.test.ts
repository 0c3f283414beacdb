import { describe, expect, it } from 'vitest'
import {
  mainThreadJsCpuMs,
  mainThreadJsMs,
  markTime,
  selfTimeByEvent,
  selfTimeByFunction,
  unionMs,
  type CpuProfileLike,
  type TraceEvent,
} from './trace'

describe('unionMs', () => {
  it.each([
    ['nothing', [], 0],
    ['one interval', [[0, 1500]], 1.5],
    [
      'nested: counted once',
      [
        [0, 4000],
        [1000, 2000],
      ],
      4,
    ],
    [
      'overlapping',
      [
        [0, 1000],
        [500, 2000],
      ],
      2,
    ],
    [
      'disjoint, unsorted',
      [
        [3000, 4000],
        [0, 1000],
      ],
      2,
    ],
    [
      'touching',
      [
        [0, 1000],
        [1000, 2000],
      ],
      2,
    ],
    [
      'empty and reversed intervals ignored',
      [
        [5, 5],
        [9, 1],
      ],
      0,
    ],
  ] as const)('%s', (_, intervals, expected) => {
    expect(unionMs(intervals)).toBe(expected)
  })
})

const main = { pid: 1, tid: 10 }
const other = { pid: 2, tid: 20 }
const worker = { pid: 1, tid: 11 }
const threadNames: TraceEvent[] = [
  { name: 'thread_name', ph: 'M', ...main, ts: 0, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', ...other, ts: 0, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', ...worker, ts: 0, args: { name: 'ThreadPoolForegroundWorker' } },
]
const event = (name: string, ts: number, dur: number, thread = main): TraceEvent => ({
  name,
  ph: 'X',
  ...thread,
  ts,
  dur,
})
const startMark = (ts: number, thread = main): TraceEvent => ({ name: 'bench:start', ph: 'R', ...thread, ts })
const options = { fromMark: 'bench:start' }

describe('mainThreadJsMs', () => {
  it('adds the evaluation and every task the tracker scheduled later, nested events once', () => {
    const ms = mainThreadJsMs(
      [
        ...threadNames,
        event('EvaluateScript', 0, 900), // the harness, before its mark: not counted
        startMark(1000),
        event('EvaluateScript', 2000, 3000),
        event('v8.compile', 2100, 100), // nested in the evaluation
        event('RunMicrotasks', 40_000, 500), // the click answer, much later
        event('TimerFire', 90_000, 250),
        event('Layout', 6000, 2000), // not JavaScript
      ],
      options,
    )
    expect(ms).toBe(3.75)
  })

  it.each([
    ['on another renderer (a second tab)', event('FunctionCall', 2000, 1000, other)],
    ['on a worker thread (streaming parse)', event('v8.compile', 2000, 1000, worker)],
    ['before the start mark (the harness)', event('EvaluateScript', 0, 1000)],
    ['of a kind that is not JavaScript', event('ParseHTML', 2000, 1000)],
    ['without a duration', { ...event('FunctionCall', 2000, 1000), dur: undefined }],
  ])('ignores an event %s', (_, ignored) => {
    // Positive control: the same trace with a counted event reads above zero.
    expect(mainThreadJsMs([...threadNames, startMark(1000), event('FunctionCall', 5000, 500)], options)).toBe(0.5)
    expect(mainThreadJsMs([...threadNames, startMark(1000), ignored], options)).toBe(0)
  })

  it.each([
    ['no mark at all', [...threadNames, event('EvaluateScript', 0, 1000)]],
    ['a mark on a worker thread only', [...threadNames, startMark(0, worker)]],
    ['two marks (two page loads in one trace)', [...threadNames, startMark(0), startMark(5000, other)]],
  ])('throws on %s, so a broken run never reads as 0 ms', (_, events) => {
    expect(() => mainThreadJsMs(events, options)).toThrow(/"bench:start" marks/)
  })
})

describe('selfTimeByEvent', () => {
  it('takes nested events out of their parent, so the rows add up to the busy time', () => {
    const rows = selfTimeByEvent(
      [
        ...threadNames,
        event('EvaluateScript', 0, 900), // before the mark
        startMark(1000),
        event('RunTask', 2000, 10_000),
        event('EvaluateScript', 2000, 6000), // same start as its parent: still its child
        event('v8.compile', 2000, 1000),
        event('CookieJar::Cookies', 5000, 2000),
        event('RunTask', 20_000, 1000),
        event('FunctionCall', 20_500, 1000), // runs past its parent's end: clipped there
        event('FunctionCall', 2000, 5000, other), // another renderer
      ],
      options,
    )
    expect(Object.fromEntries(rows.map((row) => [row.name, [row.selfMs, row.count]]))).toEqual({
      RunTask: [4.5, 2],
      EvaluateScript: [3, 1],
      'CookieJar::Cookies': [2, 1],
      'v8.compile': [1, 1],
      FunctionCall: [1, 1],
    })
    expect(rows.map((row) => row.name)).toEqual([
      'RunTask',
      'EvaluateScript',
      'CookieJar::Cookies',
      'v8.compile',
      'FunctionCall',
    ])
    expect(rows.reduce((sum, row) => sum + row.selfMs, 0)).toBe(11.5)
  })

  it('on the CPU clock, from thread times: a wait inside an event is not in it', () => {
    const withCpu = (name: string, ts: number, dur: number, tdur: number): TraceEvent => ({
      ...event(name, ts, dur),
      tdur,
    })
    const rows = selfTimeByEvent(
      [
        ...threadNames,
        startMark(0),
        withCpu('EvaluateScript', 1000, 8000, 3000),
        withCpu('CookieJar::Cookies', 2000, 5000, 500),
        withCpu('v8.compile', 1000, 500, 400),
      ],
      { ...options, clock: 'cpu' },
    )
    expect(rows.map((row) => [row.name, Math.round(row.selfMs * 1000) / 1000])).toEqual([
      ['EvaluateScript', 2.1],
      ['CookieJar::Cookies', 0.5],
      ['v8.compile', 0.4],
    ])
  })

  it('throws without the start mark', () => {
    expect(() => selfTimeByEvent([...threadNames, event('RunTask', 0, 10)], options)).toThrow(/"bench:start" marks/)
  })
})

describe('markTime', () => {
  it('is the trace time of the start mark on the renderer main thread', () => {
    expect(markTime([...threadNames, startMark(1234)], 'bench:start')).toBe(1234)
  })
})

describe('selfTimeByFunction', () => {
  const frame = (functionName: string, url = 'http://site/refport.js', lineNumber = 9) => ({
    functionName,
    url,
    lineNumber,
  })
  const profile: CpuProfileLike = {
    nodes: [
      { id: 1, callFrame: frame('(root)', '') },
      { id: 2, callFrame: frame('applyLanding') },
      { id: 3, callFrame: frame('', 'http://site/refport.js', 0) },
      { id: 4, callFrame: frame('(program)', '') },
    ],
    startTime: 1000,
    // Sample times: 1100, 1600, 2600, 3100, 3300 (the last one has no interval).
    samples: [2, 2, 3, 4, 2],
    timeDeltas: [100, 500, 1000, 500, 200],
  }

  it('gives each sample the interval to the next one, by function and source line', () => {
    expect(selfTimeByFunction(profile)).toEqual([
      { name: 'applyLanding (refport.js:10)', selfMs: 1.5, count: 2 },
      { name: '(anonymous) (refport.js:1)', selfMs: 0.5, count: 1 },
      { name: '(program)', selfMs: 0.2, count: 1 },
    ])
  })

  it('leaves out the samples before fromUs (the harness)', () => {
    expect(selfTimeByFunction(profile, { fromUs: 1600 }).map((row) => [row.name, row.selfMs])).toEqual([
      ['applyLanding (refport.js:10)', 1],
      ['(anonymous) (refport.js:1)', 0.5],
      ['(program)', 0.2],
    ])
  })
})

describe('mainThreadJsCpuMs', () => {
  const timed = (name: string, ts: number, dur: number, tdur: number | undefined, thread = main): TraceEvent => ({
    ...event(name, ts, dur, thread),
    tdur,
  })

  it('adds the thread CPU time of the outermost JavaScript events from the mark on', () => {
    const cpuMs = mainThreadJsCpuMs(
      [
        ...threadNames,
        timed('EvaluateScript', 0, 900, 800), // before the mark
        startMark(1000),
        timed('EvaluateScript', 2000, 6000, 2500), // waited 3.5 ms (a sync IPC): not CPU
        timed('v8.compile', 2000, 1000, 900), // nested: inside its parent's 2.5 ms
        timed('RunMicrotasks', 40_000, 500, 500),
        timed('Layout', 50_000, 2000, 2000), // not JavaScript
        timed('FunctionCall', 2000, 9000, 9000, other), // another renderer
      ],
      options,
    )
    expect(cpuMs).toBe(3)
  })

  it('is undefined when an outermost event has no thread time (the platform does not record it)', () => {
    expect(mainThreadJsCpuMs([...threadNames, startMark(0), timed('EvaluateScript', 10, 100, 50)], options)).toBe(0.05)
    expect(
      mainThreadJsCpuMs([...threadNames, startMark(0), timed('EvaluateScript', 10, 100, undefined)], options),
    ).toBeUndefined()
  })
})
