/**
 * Size: what each tracker adds to a page, minified, then gzip -9 and brotli q11 — the
 * same pipeline as size-limit's small-lib preset (esbuild bundle + minify, node:zlib),
 * computed at run time from the current build, never hard-coded.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { DUB_ALL_FEATURES_FILE, DUB_BASE_FILE, type DubPeer } from './peers'

/**
 * What a row weighs: a whole tracker, or only a loader that downloads the real tracker at
 * run time (no ratio to our full tracker is printed for it: that would not be like for like).
 */
export type SizeKind = 'full tracker' | 'loader only'

/** One measured (or explicitly unmeasured) artifact. */
export interface SizeRow {
  /** Who ships it: `refport-js`, `Dub`, `@dub/analytics`, `@vercel/analytics`. */
  vendor: string
  kind: SizeKind
  /** What a page pays for, e.g. `script tag` or `import { init }`. */
  what: string
  minified?: number
  gzip?: number
  brotli?: number
  /** Row of ours this one is compared with (full trackers only). */
  comparedWith?: string
  /** Why a row has no numbers, or what else it needs at run time. */
  note?: string
}

/** gzip -9 and brotli q11 (the levels a CDN uses for static assets, and size-limit's). */
export function compressedSizes(code: string | Uint8Array): { minified: number; gzip: number; brotli: number } {
  const buffer = typeof code === 'string' ? Buffer.from(code) : Buffer.from(code)
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
 * tree-shaken, minified), with `external` left out (React is already on the page) and
 * `define` applied (the npm build's compile-time constants, for a build from the sources).
 */
export async function bundledImport(
  root: string,
  specifier: string,
  names: string[],
  external: string[] = [],
  define?: Record<string, string>,
): Promise<string> {
  const result = await build({
    stdin: { contents: `export { ${names.join(', ')} } from '${specifier}'`, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    external,
    define,
    write: false,
    logLevel: 'silent',
  })
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
  return dir
    ? (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version
    : 'not installed'
}

/** Options of {@link measureSizes}. */
export interface SizeOptions {
  /** Repository root (holds `dist/` from `npm run build`). */
  root: string
  /** Dub's scripts (see `findDubPeer`), or why they are missing. */
  dub: DubPeer
}

/** Our three entries, Dub's tracking scripts (when present) and the loaders on npm. */
export async function measureSizes({ root, dub }: SizeOptions): Promise<SizeRow[]> {
  const react = ['react', 'react-dom', 'react/jsx-runtime']
  const ours: SizeRow[] = [
    {
      vendor: 'refport-js',
      kind: 'full tracker',
      what: 'script tag (dist/refport.js, every feature)',
      ...compressedSizes(readFileSync(join(root, 'dist/refport.js'))),
    },
    {
      vendor: 'refport-js',
      kind: 'full tracker',
      what: "import { init } from 'refport-js'",
      ...compressedSizes(await bundledImport(root, 'refport-js', ['init'])),
    },
    {
      vendor: 'refport-js',
      kind: 'full tracker',
      what: "import { RefportTracker, useRefport } from 'refport-js/react' (react external)",
      ...compressedSizes(await bundledImport(root, 'refport-js/react', ['RefportTracker', 'useRefport'], react)),
    },
  ]
  const scriptTag = ours[0]!.what

  // Dub's scripts are served as built (esbuild-minified), like our script tag: sized as is.
  const dubRows: SizeRow[] = dub.present
    ? [
        {
          vendor: 'Dub',
          kind: 'full tracker',
          what: `${DUB_BASE_FILE} (base: ?via= referrals only)`,
          ...compressedSizes(readFileSync(dub.base)),
          comparedWith: scriptTag,
          note: 'the file Dub’s loader picks for a plain ?via= setup',
        },
        {
          vendor: 'Dub',
          kind: 'full tracker',
          what: `${DUB_ALL_FEATURES_FILE} (all features)`,
          ...compressedSizes(readFileSync(dub.allFeatures)),
          comparedWith: scriptTag,
          note: 'like for like with our script tag (every feature)',
        },
      ]
    : [{ vendor: 'Dub', kind: 'full tracker', what: 'tracking scripts', note: dub.reason }]

  const loaders: SizeRow[] = []
  for (const [name, entries] of [
    [
      '@dub/analytics',
      [
        [
          "import { inject } from '@dub/analytics'",
          '@dub/analytics',
          ['inject'],
          [],
          'adds a <script> from Dub’s CDN (one of the files above), which does the tracking: those bytes come on top',
        ],
        [
          "import { Analytics } from '@dub/analytics/react' (react external)",
          '@dub/analytics/react',
          ['Analytics'],
          react,
          'as above',
        ],
      ],
    ],
    [
      '@vercel/analytics',
      [
        [
          "import { inject } from '@vercel/analytics'",
          '@vercel/analytics',
          ['inject'],
          [],
          'page-view analytics, not attribution: loads /_vercel/insights/script.js, not in the package',
        ],
        [
          "import { Analytics } from '@vercel/analytics/react' (react external)",
          '@vercel/analytics/react',
          ['Analytics'],
          react,
          'as above',
        ],
      ],
    ],
  ] as [string, [string, string, string[], string[], string][]][]) {
    const dir = packageDir(root, name)
    if (!dir) {
      loaders.push({
        vendor: name,
        kind: 'loader only',
        what: 'package',
        note: 'not installed (npm install at the root)',
      })
      continue
    }
    for (const [what, specifier, names, external, note] of entries)
      loaders.push({
        vendor: `${name} ${version(dir)}`,
        kind: 'loader only',
        what,
        ...compressedSizes(await bundledImport(root, specifier, names, external)),
        note: `LOADER, not a tracker: ${note}`,
      })
  }
  return [...ours, ...dubRows, ...loaders]
}
