import { describe, expect, it } from 'vitest'
import { bytes, markdownTable, median, ms, opsPerSec, pairedRatios, percentile, ratio, rotations } from './stats'

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
    expect(
      markdownTable(
        ['a', 'b'],
        [
          ['1', '2'],
          ['3', '4'],
        ],
      ),
    ).toBe('| a | b |\n| --- | --- |\n| 1 | 2 |\n| 3 | 4 |')
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

describe('rotations (interleaved rounds)', () => {
  it('visits every item once per round, each round starting one item later', () => {
    expect(rotations(['a', 'b', 'c'], 4)).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c', 'a'],
      ['c', 'a', 'b'],
      ['a', 'b', 'c'],
    ])
  })

  it('gives every item every position equally over a multiple of the item count', () => {
    const rounds = rotations([0, 1, 2, 3], 8)
    for (let position = 0; position < 4; position++)
      expect(rounds.map((round) => round[position]).sort()).toEqual([0, 0, 1, 1, 2, 2, 3, 3])
  })

  it.each([
    ['no rounds', ['a'], 0, []],
    ['negative rounds', ['a'], -2, []],
    ['no items', [], 2, [[], []]],
  ] as const)('%s', (_, items, rounds, expected) => {
    expect(rotations(items, rounds)).toEqual(expected)
  })
})

describe('pairedRatios', () => {
  it('divides the runs of the same round', () => {
    expect(pairedRatios([10, 30, 9], [20, 30, 3])).toEqual([0.5, 1, 3])
  })

  it.each([
    ['a missing value', [undefined, 4], [2, 2], [2]],
    ['a missing base', [4, 4], [undefined, 2], [2]],
    ['a zero base', [4, 4], [0, 2], [2]],
    ['a NaN', [Number.NaN, 4], [2, 2], [2]],
    ['an infinite base', [4, 4], [Number.POSITIVE_INFINITY, 2], [2]],
    ['a shorter base list', [4, 4, 4], [2], [2]],
  ] as const)('skips a round with %s', (_, values, bases, expected) => {
    expect(pairedRatios(values, bases)).toEqual(expected)
  })

  it('cancels load that hit both sides of a round, where a ratio of medians does not', () => {
    // Round 2 and 3 ran on a loaded machine: both sides slowed 3×; ours is always half of Dub's.
    const ours = [5, 15, 15, 5, 5]
    const dub = [10, 30, 30, 10, 30]
    expect(median(pairedRatios(ours, dub))).toBe(0.5)
    expect(median(ours) / median(dub)).toBeCloseTo(5 / 30)
  })
})
