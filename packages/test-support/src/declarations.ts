/**
 * Shared by the published-types tests of `refport` and `@refport/better-auth` (not part of
 * any published API): build a package's type declarations for real and list what they import.
 */
import { execFile } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { promisify } from 'node:util'

const require = createRequire(import.meta.url)
const tsupPackage = require.resolve('tsup/package.json')
const tsupBin = join(tsupPackage, '..', (require(tsupPackage) as { bin: { tsup: string } }).bin.tsup)

/**
 * Runs the package's own tsup config in `packageDir` with `--out-dir outDir` (plus `args`)
 * and returns the names of the `.d.ts` / `.d.cts` files it wrote.
 */
export async function buildDeclarations(
  packageDir: string,
  outDir: string,
  args: readonly string[] = [],
): Promise<string[]> {
  await promisify(execFile)(process.execPath, [tsupBin, ...args, '--out-dir', outDir], { cwd: packageDir })
  return (await readdir(outDir)).filter((file) => /\.d\.c?ts$/.test(file))
}

/** Module specifiers of the top-level `import` / `export … from` statements (not the ones in TSDoc examples). */
export function importedModules(declarations: string): string[] {
  const statements = /^(?:import|export)\b[^;]*?(?:from\s*)?['"]([^'"]+)['"]/gm
  return [...declarations.matchAll(statements)].map((match) => match[1]!)
}
