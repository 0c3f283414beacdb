import { describe, expect, it } from 'vitest'
import { mainThreadJsMs, unionMs, type TraceEvent } from './trace'

describe('unionMs', () => {
  it.each([
    ['nothing', [], 0],
    ['one interval', [[0, 1500]], 1.5],
    ['nested: counted once', [[0, 4000], [1000, 2000]], 4],
    ['overlapping', [[0, 1000], [500, 2000]], 2],
    ['disjoint, unsorted', [[3000, 4000], [0, 1000]], 2],
    ['touching', [[0, 1000], [1000, 2000]], 2],
    ['empty and reversed intervals ignored', [[5, 5], [9, 1]], 0],
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
const event = (name: string, ts: number, dur: number, thread = main): TraceEvent => ({ name, ph: 'X', ...thread, ts, dur })
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
