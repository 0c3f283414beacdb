import { describe, expect, it } from 'vitest'
import { mainThreadTimes, unionMs, type TraceEvent } from './trace'

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
const threadNames: TraceEvent[] = [
  { name: 'thread_name', ph: 'M', ...main, ts: 0, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', ...other, ts: 0, args: { name: 'CrRendererMain' } },
  { name: 'thread_name', ph: 'M', pid: 1, tid: 11, ts: 0, args: { name: 'ThreadPoolForegroundWorker' } },
]
const script = (url: string, ts: number, dur: number, thread = main): TraceEvent => ({ name: 'EvaluateScript', ph: 'X', ...thread, ts, dur, args: { data: { url } } })
const event = (name: string, ts: number, dur: number, thread = main): TraceEvent => ({ name, ph: 'X', ...thread, ts, dur })
const cookieMark = (ts: number, thread = main): TraceEvent => ({ name: 'bench:cookie', ph: 'R', ...thread, ts })
const options = { untilMark: 'bench:cookie', scriptPath: '/dist/refport.js' }

describe('mainThreadTimes', () => {
  it('the tracker is a part of the page’s JavaScript, never more', () => {
    const times = mainThreadTimes(
      [
        ...threadNames,
        event('v8.compile', 1000, 200),
        script('http://www.bench.test:1234/dist/refport.js', 2000, 3000),
        event('v8.compile', 2100, 100), // nested in the evaluation
        event('FunctionCall', 500, 300),
        event('FunctionCall', 6000, 500), // starts after the cookie: not counted
        event('Layout', 800, 200), // not JavaScript
        cookieMark(4000),
      ],
      options,
    )
    expect(times).toEqual({ scriptMs: 3, pageJsMs: 3.5 })
    expect(times.scriptMs!).toBeLessThanOrEqual(times.pageJsMs)
  })

  it.each([
    ['after the cookie mark', script('http://h/dist/refport.js', 5000, 1000)],
    ['on another renderer (a second tab)', script('http://h/dist/refport.js', 1000, 1000, other)],
    ['on a worker thread (streaming parse)', { ...script('http://h/dist/refport.js', 1000, 1000), tid: 11 }],
    ['of another script', script('http://h/dist/index.js', 1000, 1000)],
    ['of a file whose path only starts the same', script('http://h/dist/refport.js.map', 1000, 1000)],
  ])('ignores an evaluation %s', (_, ignored) => {
    const times = mainThreadTimes([...threadNames, ignored, cookieMark(4000)], options)
    expect(times.scriptMs).toBeUndefined()
  })

  it('matches the script by URL path, whatever the host, port or query', () => {
    const times = mainThreadTimes([...threadNames, script('http://www.bench.test:9/dist/refport.js?v=2', 0, 2000), cookieMark(4000)], options)
    expect(times.scriptMs).toBe(2)
  })

  it('without scriptPath reports the page’s JavaScript only', () => {
    expect(mainThreadTimes([...threadNames, event('v8.evaluateModule', 0, 1500), cookieMark(4000)], { untilMark: 'bench:cookie' })).toEqual({
      scriptMs: undefined,
      pageJsMs: 1.5,
    })
  })

  it('throws when the page never marked the cookie, so a broken run never reads as 0 ms', () => {
    expect(() => mainThreadTimes([...threadNames, script('http://h/dist/refport.js', 0, 1000)], options)).toThrow(/no "bench:cookie" mark/)
  })
})
