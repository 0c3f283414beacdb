import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'tsup'
import { describe, expect, it } from 'vitest'
import { buildScriptTag, FEATURE_STUBS, featureCostSection, measureFeatureCosts, scriptTagBuildOptions } from './feature-cost'
import { compressedSizes } from './sizes'

describe('feature cost of the script tag', () => {
  it.each(FEATURE_STUBS)('switching off $feature removes its module from the build, and only that', async (stub) => {
    const full = await buildScriptTag()
    const without = await buildScriptTag([stub])
    expect(full).toContain(stub.marker)
    expect(without).not.toContain(stub.marker)
    // Every other part is still there.
    for (const other of FEATURE_STUBS.filter((candidate) => candidate != stub)) expect(without).toContain(other.marker)
    expect(compressedSizes(without).brotli).toBeLessThan(compressedSizes(full).brotli)
  })

  it('the full build is the one tsup ships (same entry, same terser options)', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'refport-script-'))
    await build({ ...scriptTagBuildOptions(), outDir, silent: true, config: false })
    expect(await buildScriptTag()).toBe(readFileSync(join(outDir, 'refport.js'), 'utf8').trimEnd())
  })

  it('reports each cost as the difference from the full build, and the sum of all switched off', async () => {
    const costs = await measureFeatureCosts()
    for (const part of costs.parts) expect(part.cost).toBe(costs.full - part.without)
    expect(costs.withoutAll).toBeLessThan(Math.min(...costs.parts.map((part) => part.without)))
    const section = featureCostSection(costs)
    expect(section).toContain('No bound this run')
    const bound = costs.full - 10
    expect(featureCostSection(costs, bound)).toContain(`The shipped file is 10 B over it`)
    expect(featureCostSection(costs, costs.full + 5)).toContain(`The shipped file is 5 B under it`)
    expect(section).toContain(`| all of the above | ${(costs.full - costs.withoutAll).toLocaleString('en-US')} B |`)
  })
})
