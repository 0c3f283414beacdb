import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DUB_ALL_FEATURES_FILE, DUB_BASE_FILE, findDubPeer } from './peers'
import { SIZE_RATIO_CEILING_TO_DUB, SIZE_RATIO_TO_DUB } from './peers'
import { sizesAgainstDub } from './size-vs-dub'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dub = findDubPeer(root)

describe('finding Dub’s scripts', () => {
  it('finds both files in a peers folder, and says which are missing otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dub-peer-'))
    const missing = findDubPeer(root, { DUB_PEER_DIR: dir })
    expect(missing).toMatchObject({ present: false })
    expect(!missing.present && missing.reason).toContain(DUB_ALL_FEATURES_FILE)
    mkdirSync(dir, { recursive: true })
    for (const file of [DUB_BASE_FILE, DUB_ALL_FEATURES_FILE]) writeFileSync(join(dir, file), '/* stand-in */')
    expect(findDubPeer(root, { DUB_PEER_DIR: dir })).toMatchObject({
      present: true,
      allFeatures: join(dir, DUB_ALL_FEATURES_FILE),
    })
  })

  it('is present in CI, where the size rule must be checked rather than skipped', () => {
    // CI clones the repository beside the shared folder; a missing peer there is a broken
    // checkout, not a reason to skip the size rule.
    if (process.env.CI) expect(dub.present, dub.present ? '' : dub.reason).toBe(true)
    else expect(typeof dub.present).toBe('boolean')
  })
})

if (!dub.present) console.warn(`size rule against Dub skipped: ${dub.reason}`)

describe.skipIf(!dub.present)(`size against Dub’s all-features script, measured in this run`, () => {
  it(`script tag and init() stay within the CI ceiling, ${SIZE_RATIO_CEILING_TO_DUB} × Dub’s (the product rule, ${SIZE_RATIO_TO_DUB} ×, is reported)`, async () => {
    if (!dub.present) return
    const { dubAllFeatures, verdicts } = await sizesAgainstDub(root, dub, SIZE_RATIO_CEILING_TO_DUB)
    // A sanity floor: a truncated or wrong peer file must not make the bound meaningless.
    expect(dubAllFeatures).toBeGreaterThan(1000)
    const productBound = Math.floor(SIZE_RATIO_TO_DUB * dubAllFeatures)
    const report = verdicts
      .map(
        (v) =>
          `${v.entry}: ${v.brotli} B brotli = ${v.ratio.toFixed(3)} × Dub's ${dubAllFeatures} B (CI ceiling ${v.bound} B; product rule ${productBound} B: ${v.brotli <= productBound ? 'met' : 'not met'})`,
      )
      .join('\n')
    console.log(report)
    for (const verdict of verdicts) expect(verdict.brotli, report).toBeLessThanOrEqual(verdict.bound)
  }, 60_000)
})
