/**
 * The size rule held against Dub in the same run: our script tag (every feature) and
 * `import { init } from 'refport-js'` weigh at most {@link SIZE_RATIO_TO_DUB} × Dub's
 * all-features script, brotli q11. Both of ours are built from the sources here, with the
 * shipped build's options, so the check needs no `npm run build` first.
 */
import { readFileSync } from 'node:fs'
import type { Options } from 'tsup'
import tsupConfig from '../tsup.config'
import { buildScriptTag } from './feature-cost'
import { SIZE_RATIO_TO_DUB, type DubPeer } from './peers'

export { SIZE_RATIO_TO_DUB }
import { bundledImport, compressedSizes } from './sizes'

/** tsup's options for the npm entry (`src/index.ts`): its defines are the shipped ones. */
function indexBuildOptions(): Options {
  const index = ([tsupConfig].flat() as Options[]).find((options) => options.entry && 'index' in options.entry)
  if (!index) throw new Error('bench: tsup.config.ts has no `index` entry')
  return index
}

/**
 * `import { init } from 'refport-js'` as an app's bundler ships it: esbuild, ESM,
 * minified, tree-shaken, from the sources, with the npm build's defines.
 */
export function buildInitImport(root: string): Promise<string> {
  return bundledImport(
    root,
    './src/index.ts',
    ['init'],
    [],
    indexBuildOptions().define as Record<string, string> | undefined,
  )
}

/** One entry of ours against the bound. */
export interface SizeVerdict {
  entry: string
  brotli: number
  /** The ratio checked × Dub's all-features script, rounded down. */
  bound: number
  ratio: number
}

/**
 * Brotli sizes of ours and the bound `ratio` × Dub's all-features script, measured now
 * (default the product rule, {@link SIZE_RATIO_TO_DUB}).
 */
export async function sizesAgainstDub(
  root: string,
  dub: Extract<DubPeer, { present: true }>,
  ratio: number = SIZE_RATIO_TO_DUB,
): Promise<{ dubAllFeatures: number; verdicts: SizeVerdict[] }> {
  const dubAllFeatures = compressedSizes(readFileSync(dub.allFeatures)).brotli
  const bound = Math.floor(ratio * dubAllFeatures)
  const entries: [string, string][] = [
    ['script tag (dist/refport.js)', await buildScriptTag([], root)],
    ["import { init } from 'refport-js'", await buildInitImport(root)],
  ]
  return {
    dubAllFeatures,
    verdicts: entries.map(([entry, code]) => {
      const { brotli } = compressedSizes(code)
      return { entry, brotli, bound, ratio: brotli / dubAllFeatures }
    }),
  }
}
