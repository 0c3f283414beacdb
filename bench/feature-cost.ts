/**
 * What each optional part of the tracker weighs in the script tag. The script-tag entry is
 * rebuilt with one tracker module swapped for a do-nothing stand-in, minified with the
 * build's own terser options (read from tsup.config.ts) and compressed with brotli q11.
 * The difference from the full build is what that part costs a visitor, as shipped.
 *
 * Run alone with `npm run size:features`; `npm run bench` adds the table to RESULTS.md.
 */
import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { minify, type MinifyOptions } from 'terser'
import type { Options } from 'tsup'
import tsupConfig from '../tsup.config'
import { findDubPeer, SIZE_RATIO_TO_DUB } from './peers'
import { compressedSizes } from './sizes'
import { bytes, markdownTable } from './stats'

/** A tracker module (`src/<module>.ts`) and the stand-in that switches its feature off. */
export interface FeatureStub {
  feature: string
  module: string
  /** Source of the stand-in: the module's exports, doing nothing. */
  stub: string
  /** A string only the real module puts in the build, to prove the swap happened. */
  marker: string
}

/**
 * The parts measured, one module each (the module boundaries are the feature boundaries).
 * Debug messages are not among them: they are compiled out of the shipped file.
 */
export const FEATURE_STUBS: FeatureStub[] = [
  {
    feature: 'outbound decoration (links, forms)',
    module: 'outbound',
    stub: 'export const decorateOutbound = () => {}',
    // Its selector: the Stripe hand-off listens to the same events.
    marker: 'a,area,form',
  },
  {
    feature: 'Stripe hand-off (Payment Links, pricing table, buy button)',
    module: 'stripe',
    stub: 'export const handOffToStripe = () => {}; export const decorateStripeElements = () => {}',
    marker: 'stripe-pricing-table',
  },
  {
    feature: 'URL cleanup and revisit detection (reload, back, same-site link)',
    module: 'landing',
    stub: 'export const landingHref = globalThis.location?.href; export const isRevisit = () => false; export const removeParams = () => {}',
    marker: 'replaceState',
  },
]

const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** tsup's options for the script tag (the `refport` entry of tsup.config.ts): what `npm run build` ships. */
export function scriptTagBuildOptions(): Options {
  const script = ([tsupConfig].flat() as Options[]).find((options) => options.entry && 'refport' in options.entry)
  if (!script?.terserOptions)
    throw new Error('bench: tsup.config.ts has no `refport` (script tag) entry with terserOptions')
  return script
}

/** Resolves `./<module>` imports inside src/ to the stand-ins of `stubs`. */
function stubPlugin(stubs: FeatureStub[]): Plugin {
  const byModule = new Map(stubs.map((stub) => [stub.module, stub.stub]))
  return {
    name: 'feature-stubs',
    setup(builder) {
      builder.onResolve({ filter: /^\.\/\w+$/ }, (args) => {
        const module = args.path.slice(2)
        return byModule.has(module) ? { path: module, namespace: 'feature-stub' } : undefined
      })
      builder.onLoad({ filter: /.*/, namespace: 'feature-stub' }, (args) => ({
        contents: byModule.get(args.path)!,
        loader: 'ts',
      }))
    },
  }
}

/**
 * Builds already made in this process, by root and stubbed modules: the sources do not change
 * during a run, and each terser pass over the tracker costs a noticeable fraction of a second.
 */
const builtScriptTags = new Map<string, Promise<string>>()

/** The script tag built with `stubs` switched off, minified as the real build is. */
export function buildScriptTag(stubs: FeatureStub[] = [], root = repositoryRoot): Promise<string> {
  const key = JSON.stringify([root, ...stubs.map((stub) => stub.module).sort()])
  let built = builtScriptTags.get(key)
  if (!built) {
    built = buildScriptTagOnce(stubs, root)
    builtScriptTags.set(key, built)
  }
  return built
}

async function buildScriptTagOnce(stubs: FeatureStub[], root: string): Promise<string> {
  const bundle = await build({
    entryPoints: [join(root, 'src/script.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
    // The shipped file's defines: debug messages compiled out (src/log.ts).
    define: scriptTagBuildOptions().define,
    minifySyntax: scriptTagBuildOptions().minifySyntax,
    plugins: [stubPlugin(stubs)],
  })
  const { code } = await minify(bundle.outputFiles[0]!.text, scriptTagBuildOptions().terserOptions as MinifyOptions)
  return code!
}

/** One row of {@link measureFeatureCosts}. */
export interface FeatureCost {
  feature: string
  /** Brotli bytes of the script tag without this part. */
  without: number
  /** Brotli bytes this part adds. */
  cost: number
}

/** The full script tag, each part's cost, and the script tag with all of them off. */
export async function measureFeatureCosts(
  root = repositoryRoot,
): Promise<{ full: number; parts: FeatureCost[]; withoutAll: number }> {
  const brotli = async (stubs: FeatureStub[]): Promise<number> =>
    compressedSizes(await buildScriptTag(stubs, root)).brotli
  const full = await brotli([])
  const parts: FeatureCost[] = []
  for (const stub of FEATURE_STUBS) {
    const without = await brotli([stub])
    parts.push({ feature: stub.feature, without, cost: full - without })
  }
  return { full, parts, withoutAll: await brotli(FEATURE_STUBS) }
}

/** Markdown for the report: the table and what it means for the size rule's bound. */
export function featureCostSection(
  { full, parts, withoutAll }: Awaited<ReturnType<typeof measureFeatureCosts>>,
  /** The size rule's bound for the script tag, brotli bytes, when Dub's script was measured in this run. */
  bound?: number,
): string {
  const table = markdownTable(
    ['switched off', 'saves', 'script tag without it'],
    [
      ['nothing (the shipped file)', '–', bytes(full)],
      ...parts.map(({ feature, without, cost }) => [feature, bytes(cost), bytes(without)]),
      ['all of the above', bytes(full - withoutAll), bytes(withoutAll)],
    ],
  )
  const over = (size: number): string =>
    size > bound! ? `${bytes(size - bound!)} over it` : `${bytes(bound! - size)} under it`
  const verdict =
    bound === undefined
      ? 'No bound this run: Dub’s all-features script was not measured.'
      : `Bound for the script tag with every feature (0.75 × Dub’s all-features script, this run): ${bytes(bound)}. The shipped file is ${over(full)}; with all of the above off it would be ${over(withoutAll)}.`
  return [
    '## What each feature costs in the script tag',
    'The script-tag entry rebuilt with one tracker module replaced by a do-nothing stand-in, minified with the ' +
      'build’s terser options, brotli q11 (`npm run size:features`). The rest of the tracker is always there: ' +
      'reading the landing, the click request, cookie validation, domain probing, clearing every cookie variant, ' +
      'attribution models, consent, `window.refport` and its queue.',
    table,
    verdict,
  ].join('\n\n')
}

// `tsx bench/feature-cost.ts`: print the section.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dub = findDubPeer(repositoryRoot)
  const bound = dub.present
    ? Math.floor(SIZE_RATIO_TO_DUB * compressedSizes(readFileSync(dub.allFeatures)).brotli)
    : undefined
  console.log(featureCostSection(await measureFeatureCosts(), bound))
}
