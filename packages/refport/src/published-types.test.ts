/**
 * The published type declarations must stand on their own. `@refport/contract` is private
 * (never on npm): a `.d.ts` that imports it gives users `any` for `LeadRequest` and
 * `LeadResponse` (or "Cannot find module" with `skipLibCheck: false`), so `track.lead`
 * would typecheck any argument. The build is run for real, into a scratch directory.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { buildDeclarations, importedModules } from '@refport/test-support/declarations'

const packageDir = fileURLToPath(new URL('..', import.meta.url))

let outDir: string | undefined
afterAll(() => outDir && rm(outDir, { recursive: true, force: true }))

describe('published type declarations', () => {
  it('import nothing but their own files: the private contract is inlined', { timeout: 120_000 }, async () => {
    outDir = await mkdtemp(join(tmpdir(), 'refport-dts-'))
    const files = await buildDeclarations(packageDir, outDir)
    expect(files).toEqual(
      expect.arrayContaining([
        'index.d.ts',
        'index.d.cts',
        'testing.d.ts',
        'testing.d.cts',
        'express.d.ts',
        'express.d.cts',
        'next.d.ts',
        'next.d.cts',
        'playwright.d.ts',
        'playwright-global-setup.d.ts',
      ]),
    )

    // The adapters name their framework's own types (an optional peer dependency the user
    // has installed when they import the adapter) and Node's; nothing else, and the main
    // entry not even those. The Playwright fixture names @playwright/test only, never the
    // `playwright` package behind it, which strict installs (pnpm) do not let users resolve.
    const allowed: Record<string, string[]> = {
      express: ['node:http'],
      next: ['next/server'],
      playwright: ['@playwright/test'],
      'playwright-global-setup': ['@playwright/test'],
    }
    const outside: string[] = []
    for (const file of files)
      for (const module of importedModules(await readFile(join(outDir, file), 'utf8')))
        if (!module.startsWith('./') && !allowed[file.split('.')[0]!]?.includes(module))
          outside.push(`${file}: ${module}`)
    expect(outside).toEqual([])
  })

  it.each<[string, string, string[]]>([
    ['a named import', "import { L as LeadRequest } from './wire-x.js';", ['./wire-x.js']],
    ['a re-export', "export { isClickId } from '@refport/contract';", ['@refport/contract']],
    ['a side-effect import', "import 'better-auth';", ['better-auth']],
    ['a TSDoc example', " * import { Refport } from 'refport'", []],
  ])('the import scanner sees %s', (_name, text, expected) => {
    expect(importedModules(text)).toEqual(expected)
  })
})
