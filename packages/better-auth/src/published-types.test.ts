/**
 * The published type declarations must stand on their own. `@refport/contract` is private
 * (never on npm): a `.d.ts` that imports it gives users `any` for whatever type came from it
 * (or "Cannot find module" with `skipLibCheck: false`). The build is run for real, with this
 * package's tsup config, into a scratch directory.
 *
 * Today no public type of the plugin comes from the contract, so the real entries alone
 * would pass even with a config that leaks the import. A probe entry that re-exports
 * contract types is built beside them, with the same config: it shows the config inlines
 * them, so the first plugin option typed with a contract type cannot reintroduce the leak.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildDeclarations, importedModules } from '@refport/test-support/declarations'
import tsupConfig from '../tsup.config'

const packageDir = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(import.meta.url)
const packageJson = require('../package.json') as {
  exports: Record<string, { import?: { types?: string }; require?: { types?: string } } | string>
  peerDependencies: Record<string, string>
}

/** Packages a published `.d.ts` may import besides its sibling files: the declared peer dependencies. */
const peerDependencies = Object.keys(packageJson.peerDependencies)

/** Imports of `declarations` that point outside the package. */
function foreignImports(declarations: string): string[] {
  const isPeer = (module: string) => peerDependencies.some((peer) => module === peer || module.startsWith(`${peer}/`))
  return importedModules(declarations).filter((module) => !module.startsWith('./') && !isPeer(module))
}

let scratch: string | undefined
let outDir: string
let declarationFiles: string[]
const read = (file: string) => readFile(join(outDir, file), 'utf8')

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'refport-better-auth-dts-'))
  outDir = join(scratch, 'dist')
  // Type-only, so esbuild has nothing to resolve; only the .d.ts step reads the contract.
  const probe = join(scratch, 'contract-probe.ts')
  await writeFile(probe, "export type { LeadRequest, LeadResponse } from '@refport/contract'\n")
  // `--entry.<name>` replaces the config's entries, so list them all: the config's own and the probe.
  const { entry } = tsupConfig as { entry: Record<string, string> }
  const entries = Object.entries({ ...entry, 'contract-probe': probe }).flatMap(([name, path]) => [
    `--entry.${name}`,
    path,
  ])
  declarationFiles = await buildDeclarations(packageDir, outDir, entries)
}, 120_000)

afterAll(() => scratch && rm(scratch, { recursive: true, force: true }))

describe('published type declarations', () => {
  it('include every types file package.json exports', () => {
    const exported = Object.values(packageJson.exports)
      .flatMap((target) => (typeof target === 'string' ? [] : [target.import?.types, target.require?.types]))
      .filter((path): path is string => !!path)
      .map((path) => path.replace('./dist/', ''))
    expect(exported).toEqual(expect.arrayContaining(['index.d.ts', 'index.d.cts', 'client.d.ts', 'client.d.cts']))
    expect(declarationFiles).toEqual(expect.arrayContaining(exported))
  })

  it('import nothing but their own files and the peer dependencies better-auth and refport', async () => {
    const outside: string[] = []
    for (const file of declarationFiles)
      for (const module of foreignImports(await read(file))) outside.push(`${file}: ${module}`)
    expect(outside).toEqual([])
  })

  it('inline contract types a public type may use, instead of importing the private package', async () => {
    const probe = await read('contract-probe.d.ts')
    expect(importedModules(probe)).toEqual([])
    expect(probe).toMatch(/interface LeadRequest\b/)
    expect(probe).toMatch(/interface LeadResponse\b/)
  })

  it.each<[string, string, string[]]>([
    ['a named import from a sibling', "import { refportPlugin } from './index.js';", []],
    ['a namespace import of a peer dependency', "import * as better_auth from 'better-auth';", []],
    ['a side-effect import of a peer dependency', "import 'refport';", []],
    ['a re-export of the private contract', "export { LeadRequest } from '@refport/contract';", ['@refport/contract']],
    ['a subpath of a peer dependency', "import { BetterAuthPlugin } from 'better-auth/types';", []],
    ['a package whose name merely starts like a peer', "import { x } from 'refport-js';", ['refport-js']],
    ['a package that is no peer dependency', "import { Cookie } from 'cookie';", ['cookie']],
    ['a TSDoc example', " * import { refportPlugin } from '@refport/contract'", []],
  ])('the import check judges %s', (_name, text, expected) => {
    expect(foreignImports(text)).toEqual(expected)
  })
})
