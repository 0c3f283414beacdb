import { describe, expect, it } from 'vitest'
import { bytes, markdownTable, median, ms, opsPerSec, percentile, ratio } from './stats'

describe('median', () => {
  it.each([
    [[3, 1, 2], 2],
    [[4, 1, 3, 2], 2.5],
    [[7], 7],
    [[5, 5, 5, 1000], 5], // one GC pause does not move it
  ])('median(%j) = %d', (values, expected) => {
    expect(median(values)).toBe(expected)
  })

  it('is NaN for no samples rather than 0, so a failed run never looks fast', () => {
    expect(median([])).toBeNaN()
  })

  it('does not reorder the caller’s array', () => {
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })
})

describe('percentile (nearest rank)', () => {
  it.each([
    [[1, 2, 3, 4], 75, 3],
    [[1, 2, 3, 4], 90, 4],
    [[1, 2, 3, 4], 0, 1],
    [[1, 2, 3, 4], 100, 4],
    [[10, 20], 150, 20], // clamped
    [[10, 20], -5, 10],
  ])('percentile(%j, %d) = %d', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected)
  })
})

describe('ratio', () => {
  it.each([
    [2507, 1000, '2.51×'],
    [500, 1000, '0.50×'],
    [1000, 1000, '1.00×'],
    [1, 0, '–'],
    [undefined, 1000, '–'],
    [1000, undefined, '–'],
    [Number.NaN, 1000, '–'],
    [1000, Number.POSITIVE_INFINITY, '–'],
  ])('ratio(%s, %s) = %s', (value, base, expected) => {
    expect(ratio(value, base)).toBe(expected)
  })
})

describe('unit formatting', () => {
  it.each([
    [bytes(2507), '2,507 B'],
    [bytes(0), '0 B'],
    [bytes(undefined), '–'],
    [bytes(Number.NaN), '–'],
    [ms(12.34), '12.3 ms'],
    [ms(undefined), '–'],
    [ms(Number.NaN), '–'],
    [opsPerSec(1234567.8), '1,234,568'],
  ])('%s is %s', (actual, expected) => {
    expect(actual).toBe(expected)
  })
})

describe('markdownTable', () => {
  it('renders a header, a separator and one line per row', () => {
    expect(markdownTable(['a', 'b'], [['1', '2'], ['3', '4']])).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |')
  })

  it.each([
    ['a | b', 'a \\| b'],
    ['line\nbreak', 'line break'],
    ['crlf\r\nbreak', 'crlf break'],
  ])('escapes %j so it cannot break the table', (value, cell) => {
    expect(markdownTable(['x'], [[value]])).toBe(`| x |\n| --- |\n| ${cell} |`)
  })

  it('pads a short row with empty cells and drops cells past the header', () => {
    expect(markdownTable(['a', 'b'], [['1'], ['1', '2', '3']])).toBe('| a | b |\n| --- | --- |\n| 1 |  |\n| 1 | 2 |')
  })
})
