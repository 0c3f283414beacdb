/**
 * Pure helpers of the benchmark report: statistics and markdown formatting. No I/O here,
 * so the unit tests pin the numbers the report prints.
 */

/**
 * Median of a sample (mean of the two middle values for an even count). Timings are
 * skewed by GC pauses and scheduler noise; the median ignores a few outliers where the
 * mean would not.
 *
 * @example
 * ```ts
 * median([3, 1, 2]) // 2
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/**
 * Percentile by nearest rank (p in 0–100), for the spread next to a median.
 *
 * @example
 * ```ts
 * percentile([1, 2, 3, 4], 75) // 3
 * ```
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length)
  return sorted[Math.max(rank, 1) - 1]!
}

/**
 * `value / base` printed as `2.31×`; `–` when either side is missing or the base is zero,
 * so a row without a comparison never shows `Infinity×` or `NaN×`.
 *
 * @example
 * ```ts
 * ratio(2507, 1000) // '2.51×'
 * ```
 */
export function ratio(value: number | undefined, base: number | undefined): string {
  if (value === undefined || base === undefined || !Number.isFinite(value) || !Number.isFinite(base) || base === 0)
    return '–'
  return `${(value / base).toFixed(2)}×`
}

/**
 * Bytes with a thousands separator (`1,463 B`), `–` when not measured.
 *
 * @example
 * ```ts
 * bytes(2507) // '2,507 B'
 * ```
 */
export function bytes(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${Math.round(value).toLocaleString('en-US')} B`
}

/**
 * Milliseconds with one decimal (`12.3 ms`), `–` when not measured.
 *
 * @example
 * ```ts
 * ms(12.34) // '12.3 ms'
 * ```
 */
export function ms(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(1)} ms`
}

/**
 * Operations per second with a thousands separator (`1,234,567`).
 *
 * @example
 * ```ts
 * opsPerSec(1234567.8) // '1,234,568'
 * ```
 */
export function opsPerSec(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

/**
 * A GitHub-flavoured markdown table. Cells are escaped (`|` → `\|`, newlines → spaces)
 * so a value can never break the table; missing cells become empty.
 *
 * @example
 * ```ts
 * markdownTable(['a', 'b'], [['1', '2']])
 * // '| a | b |\n| --- | --- |\n| 1 | 2 |'
 * ```
 */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (value: string | undefined): string => (value ?? '').replace(/\r?\n/g, ' ').replace(/\|/g, '\\|')
  const line = (cells: readonly (string | undefined)[]): string =>
    `| ${header.map((_, index) => cell(cells[index])).join(' | ')} |`
  return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n')
}

/**
 * The order of `rounds` rounds of visits: every item once per round, each round starting
 * one item later than the one before. Rows measured in turns share whatever load the
 * machine had during the run, where rows measured one after the other each get their own
 * minutes of it; the rotation keeps any one row from always running first after another.
 *
 * @example
 * ```ts
 * rotations(['a', 'b', 'c'], 2) // [['a', 'b', 'c'], ['b', 'c', 'a']]
 * ```
 */
export function rotations<T>(items: readonly T[], rounds: number): T[][] {
  return Array.from({ length: Math.max(0, rounds) }, (_, round) =>
    items.map((_, index) => items[(round + index) % items.length]!),
  )
}

/**
 * Ratios `value[i] / base[i]` of the runs measured in the same round, skipping a round where
 * either side is missing, not finite or the base is zero. The median of these (paired)
 * cancels load that hit both sides of a round alike, which a ratio of two medians does not.
 *
 * @example
 * ```ts
 * median(pairedRatios([10, 30, 8], [20, 30, 0])) // 0.75 (the third round has no base)
 * ```
 */
export function pairedRatios(
  values: readonly (number | undefined)[],
  bases: readonly (number | undefined)[],
): number[] {
  const ratios: number[] = []
  values.forEach((value, index) => {
    const base = bases[index]
    if (value !== undefined && base !== undefined && Number.isFinite(value) && Number.isFinite(base) && base !== 0)
      ratios.push(value / base)
  })
  return ratios
}
