/**
 * Size: what each tracker adds to a page, minified, then gzip -9 and brotli q11 — the
 * same pipeline as size-limit's small-lib preset (esbuild bundle + minify, node:zlib),
 * computed at run time from the current build, never hard-coded.
 */
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'

/**
 * What a row weighs: a whole tracker, only a loader that downloads the real tracker at run
 * time (its ratio to our full tracker is not like for like), or a published figure that
 * this benchmark does not measure.
 */
export type SizeKind = 'full tracker' | 'loader only' | 'published reference'

/** One measured (or explicitly unmeasured) artifact. */
export interface SizeRow {
  /** Who ships it: `refport-js`, `@dub/analytics`, `@vercel/analytics`. */
  vendor: string
  kind: SizeKind
  /** What a page pays for, e.g. `script tag` or `import { init }`. */
  what: string
  minified?: number
  gzip?: number
  brotli?: number
  /** Row of ours this one is compared with (same kind of entry). */
  comparedWith?: string
  /** Why a row has no numbers, or what else it needs at run time. */
  note?: string
}

/**
 * Dub's tracking script sizes (minified, brotli) as published and quoted in the product
 * brief (PRODUCT.md, "Size reference points"): the targets our script tag is held against.
 * Not measured here: the script lives on Dub's CDN and the benchmark never leaves loopback.
 */
export const DUB_PUBLISHED_BROTLI = { smallest: 1463, allFeatures: 2507 } as const

/** gzip -9 and brotli q11 (the levels a CDN uses for static assets, and size-limit's). */
export function compressedSizes(code: string | Uint8Array): { minified: number; gzip: number; brotli: number } {
  const buffer = typeof code == 'string' ? Buffer.from(code) : Buffer.from(code)
  return {
    minified: buffer.length,
    gzip: gzipSync(buffer, { level: 9 }).length,
    brotli: brotliCompressSync(buffer, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length },
    }).length,
  }
}

/**
 * Bundles `export { names } from 'specifier'` the way an app's bundler would (ESM,
 * tree-shaken, minified), with `external` left out (React is already on the page).
 */
export async function bundledImport(root: string, specifier: string, names: string[], external: string[] = []): Promise<string> {
  const result = await build({
    stdin: { contents: `export { ${names.join(', ')} } from '${specifier}'`, resolveDir: root, loader: 'js' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    external,
    write: false,
    logLevel: 'silent',
  })
  return result.outputFiles[0]!.text
}

/** Minifies an already built script file (a second pass changes little for a minified file). */
export async function minifiedFile(path: string): Promise<string> {
  const result = await build({ entryPoints: [path], bundle: true, minify: true, write: false, logLevel: 'silent', target: 'es2020' })
  return result.outputFiles[0]!.text
}

/** Where an installed package lives, or `undefined` when it is not installed. */
function packageDir(root: string, name: string): string | undefined {
  try {
    return dirname(createRequire(join(root, 'package.json')).resolve(`${name}/package.json`))
  } catch {
    return undefined
  }
}

function version(dir: string | undefined): string {
  return dir ? (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version : 'not installed'
}

/** Options of {@link measureSizes}. */
export interface SizeOptions {
  /** Repository root (holds `dist/` from `npm run build`). */
  root: string
  /** A local copy of Dub's CDN script, when the caller has one (env `DUB_SCRIPT`). */
  dubScript?: string
}

/** Measures our three entries and the peers' published files. */
export async function measureSizes({ root, dubScript }: SizeOptions): Promise<SizeRow[]> {
  const react = ['react', 'react-dom', 'react/jsx-runtime']
  const ours: SizeRow[] = [
    { vendor: 'refport-js', kind: 'full tracker', what: 'script tag (dist/refport.js, every feature)', ...compressedSizes(readFileSync(join(root, 'dist/refport.js'))) },
    { vendor: 'refport-js', kind: 'full tracker', what: "import { init } from 'refport-js'", ...compressedSizes(await bundledImport(root, 'refport-js', ['init'])) },
    {
      vendor: 'refport-js',
      kind: 'full tracker',
      what: "import { RefportTracker, useRefport } from 'refport-js/react' (react external)",
      ...compressedSizes(await bundledImport(root, 'refport-js/react', ['RefportTracker', 'useRefport'], react)),
    },
  ]
  const [scriptTag, initPath, reactEntry] = ours.map((row) => row.what)

  const dub = packageDir(root, '@dub/analytics')
  const dubVersion = `@dub/analytics ${version(dub)}`
  const dubRows: SizeRow[] = dub
    ? [
        {
          vendor: dubVersion,
          kind: 'loader only',
          what: "import { inject } from '@dub/analytics'",
          ...compressedSizes(await bundledImport(root, '@dub/analytics', ['inject'])),
          comparedWith: initPath,
          note: 'LOADER, not a tracker: it adds a <script> from Dub’s CDN, which does the tracking; those bytes come on top, so the ratio is not like for like',
        },
        {
          vendor: dubVersion,
          kind: 'loader only',
          what: "import { Analytics } from '@dub/analytics/react' (react external)",
          ...compressedSizes(await bundledImport(root, '@dub/analytics/react', ['Analytics'], react)),
          comparedWith: reactEntry,
          note: 'LOADER, as above: the tracking code itself comes from the CDN script',
        },
      ]
    : [{ vendor: '@dub/analytics', kind: 'loader only', what: 'package', note: 'not installed (npm install at the root)' }]
  const dubCdn: SizeRow =
    dubScript && existsSync(dubScript)
      ? {
          vendor: 'Dub CDN script',
          kind: 'full tracker',
          what: `DUB_SCRIPT=${dubScript}`,
          ...compressedSizes(await minifiedFile(dubScript)),
          comparedWith: scriptTag,
          note: 'a local copy given by the caller, not part of the npm package',
        }
      : {
          vendor: 'Dub CDN script',
          kind: 'full tracker',
          what: 'script.*.js on Dub’s CDN',
          comparedWith: scriptTag,
          note: `not measured: ${dubVersion} ships only a loader (rows below); the tracking script is downloaded from Dub’s CDN at run time and this benchmark never leaves loopback. Set DUB_SCRIPT=<saved copy> to include it; the published sizes follow.`,
        }
  const dubPublished: SizeRow[] = [
    {
      vendor: 'Dub tracking script (published)',
      kind: 'published reference',
      what: 'smallest script (fewest features)',
      brotli: DUB_PUBLISHED_BROTLI.smallest,
      comparedWith: scriptTag,
      note: 'reference figure (minified, brotli) from the product brief, not measured here',
    },
    {
      vendor: 'Dub tracking script (published)',
      kind: 'published reference',
      what: 'script with all features',
      brotli: DUB_PUBLISHED_BROTLI.allFeatures,
      comparedWith: scriptTag,
      note: 'reference figure (minified, brotli) from the product brief, not measured here; like for like with our script tag (every feature)',
    },
  ]

  const vercel = packageDir(root, '@vercel/analytics')
  const vercelVersion = `@vercel/analytics ${version(vercel)}`
  const vercelRows: SizeRow[] = vercel
    ? [
        {
          vendor: vercelVersion,
          kind: 'loader only',
          what: "import { inject } from '@vercel/analytics'",
          ...compressedSizes(await bundledImport(root, '@vercel/analytics', ['inject'])),
          comparedWith: initPath,
          note: 'LOADER of page-view analytics (not attribution): it loads /_vercel/insights/script.js, not in the package, so the ratio is not like for like',
        },
        {
          vendor: vercelVersion,
          kind: 'loader only',
          what: "import { Analytics } from '@vercel/analytics/react' (react external)",
          ...compressedSizes(await bundledImport(root, '@vercel/analytics/react', ['Analytics'], react)),
          comparedWith: reactEntry,
          note: 'LOADER, as above',
        },
      ]
    : [{ vendor: '@vercel/analytics', kind: 'loader only', what: 'package', note: 'not installed' }]

  return [...ours, dubCdn, ...dubPublished, ...dubRows, ...vercelRows]
}
