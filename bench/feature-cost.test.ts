import { randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'tsup'
import { describe, expect, it } from 'vitest'
import {
  buildScriptTag,
  FEATURE_STUBS,
  featureCostSection,
  measureFeatureCosts,
  scriptTagBuildOptions,
} from './feature-cost'
import { compressedSizes } from './sizes'

// Each test bundles and minifies the tracker (terser, three passes): seconds on a loaded
// two-core machine, not the default 5 s.
describe('feature cost of the script tag', { timeout: 30_000 }, () => {
  it.each(FEATURE_STUBS)('switching off $feature removes its module from the build, and only that', async (stub) => {
    const full = await buildScriptTag()
    const without = await buildScriptTag([stub])
    expect(full).toContain(stub.marker)
    expect(without).not.toContain(stub.marker)
    // Every other part is still there.
    for (const other of FEATURE_STUBS.filter((candidate) => candidate !== stub)) expect(without).toContain(other.marker)
    expect(compressedSizes(without).brotli).toBeLessThan(compressedSizes(full).brotli)
  })

  it('the full build is the one tsup ships (same entry, same terser options)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'refport-script-'))
    await build({ ...scriptTagBuildOptions(), outDir, silent: true, config: false })
    expect(await buildScriptTag()).toBe(readFileSync(join(outDir, 'refport.js'), 'utf8').trimEnd())
  })

  it('measures what a part weighs: a module carrying 2,250 random bytes costs about that, the others next to nothing', async () => {
    // A stand-in tracker whose outbound module holds incompressible data: brotli cannot store
    // 2,250 random bytes (3,000 base64 characters) in fewer bytes, nor needs many more.
    const root = mkdtempSync(join(tmpdir(), 'refport-feature-cost-'))
    mkdirSync(join(root, 'src'))
    const payload = randomBytes(2250).toString('base64')
    const files: Record<string, string> = {
      'script.ts': `import { decorateOutbound } from './outbound'
        import { isRevisit, landingHref, removeParams } from './landing'
        decorateOutbound(() => [], () => null); removeParams([]); console.log(isRevisit(), landingHref)`,
      'outbound.ts': `export const decorateOutbound = (...args: unknown[]) => console.log('${payload}', args)`,
      'landing.ts':
        'export const landingHref = location.href; export const isRevisit = () => !!history.length; export const removeParams = (names: string[]) => names.length && history.back()',
    }
    for (const [name, source] of Object.entries(files)) writeFileSync(join(root, 'src', name), source)

    const costs = await measureFeatureCosts(root)
    const cost = Object.fromEntries(costs.parts.map((part) => [part.feature.split(' ')[0], part.cost]))
    expect(cost.outbound).toBeGreaterThanOrEqual(2250)
    expect(cost.outbound).toBeLessThan(2250 + 100)
    expect(cost.URL).toBeLessThan(60)
    expect(costs.full).toBeGreaterThan(2250)
  })

  it('on the real tracker: full is the shipped file, every part costs bytes, and all of them off is the smallest build', async () => {
    const costs = await measureFeatureCosts()
    // The full build measured is the file that ships (the previous test proves it is tsup's build).
    expect(costs.full).toBe(compressedSizes(await buildScriptTag()).brotli)
    for (const part of costs.parts) expect(part.cost).toBeGreaterThan(0)
    expect(costs.withoutAll).toBeLessThan(Math.min(...costs.parts.map((part) => part.without)))
    const section = featureCostSection(costs)
    expect(section).toContain('No bound this run')
    const bound = costs.full - 10
    expect(featureCostSection(costs, bound)).toContain(`The shipped file is 10 B over it`)
    expect(featureCostSection(costs, costs.full + 5)).toContain(`The shipped file is 5 B under it`)
    expect(section).toContain(`| all of the above | ${(costs.full - costs.withoutAll).toLocaleString('en-US')} B |`)
  })
})
