/**
 * Test helper (not part of the published API): lists the public exports of entry files
 * whose declaration lacks a TSDoc `@example`. The IDE tooltip is the documentation users
 * read first, so every export we declare carries one; this makes the rule a test instead
 * of a review comment.
 */
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** One export of an entry, and where it is declared. */
export interface ExportDoc {
  /** `entry.ts: name`, relative to the repository root. */
  name: string
  /** Whether a declaration of it has a TSDoc block with an `@example` tag. */
  hasExample: boolean
}

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')

/**
 * The exports of `entries` declared under `ownDir` (re-exports of the shared contract are
 * documented where they are declared, in `packages/contract`), with whether each has an
 * `@example`. Module resolution and path aliases come from the root tsconfig.json.
 */
export function exportDocs(entries: readonly string[], ownDir: string): ExportDoc[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(repoRoot, 'tsconfig.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
      },
    },
  )
  if (!config) throw new Error('tsconfig.json could not be read')
  const program = ts.createProgram(entries as string[], config.options)
  const checker = program.getTypeChecker()
  const docs: ExportDoc[] = []
  for (const entry of entries) {
    const source = program.getSourceFile(entry)
    const module = source && checker.getSymbolAtLocation(source)
    if (!module) throw new Error(`${entry} is not a module`)
    for (const symbol of checker.getExportsOfModule(module)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
      const declarations = (target.declarations ?? []).filter(
        (d) => !relative(ownDir, d.getSourceFile().fileName).startsWith('..'),
      )
      if (!declarations.length) continue
      docs.push({
        name: `${relative(repoRoot, entry)}: ${symbol.name}`,
        hasExample: declarations.some((d) =>
          ts.getJSDocTags(documentedNode(d)).some((tag) => tag.tagName.text === 'example'),
        ),
      })
    }
  }
  return docs
}

/** `export const X = …`: the TSDoc sits on the statement, not on the declarator. */
function documentedNode(declaration: ts.Declaration): ts.Node {
  return ts.isVariableDeclaration(declaration) ? declaration.parent.parent : declaration
}
