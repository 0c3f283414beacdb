/**
 * Every TypeScript block of the READMEs compiles, under `strict`, against the packages as
 * published (packed with `npm pack`): the docs show the real API. One test per block, named
 * after its file and line. The files in ./types/ are type tests compiled the same way.
 * Run by scripts/test-all.sh after the build (`npx vitest run -c scripts/readme-snippets`).
 * The root tsconfig leaves ./types/ out: those files see the packed packages only, and
 * `refport-js/global` would otherwise type `window.refport` for the whole repository.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { extractSnippets } from './extract.mjs'
import { createProject, typeCheck } from './project.mjs'

const repo = fileURLToPath(new URL('../..', import.meta.url))
const here = fileURLToPath(new URL('.', import.meta.url))

const readmes = ['README.md', ...readdirSync(join(repo, 'packages')).map((p) => `packages/${p}/README.md`)].filter(
  (path) => {
    try {
      return readFileSync(join(repo, path)) && true
    } catch {
      return false
    }
  },
)
const snippets = readmes.flatMap((path) => extractSnippets(join(repo, path)).map((s) => ({ ...s, file: path })))
const checked = snippets.filter((s) => !s.skip)
/** File name in the scratch project: README path and fence line, so errors point back to it. */
const moduleName = (s) => `${s.file.replace(/[/.]/g, '_')}_L${s.line}.${s.lang}`
// `export {}` makes each block its own module (top-level await, no clashing names); what
// the block takes from the reader's app follows it, so the block's line numbers hold.
const modules = checked.map((s) => ({ name: moduleName(s), code: `${s.code}export {}\n${s.given ?? ''}\n` }))
const typeTests = readdirSync(join(here, 'types')).map((name) => ({
  name: `typetest_${name}`,
  code: readFileSync(join(here, 'types', name), 'utf8'),
}))
// Positive control: a block calling an API that does not exist must be reported.
const control = {
  name: 'control_wrong_api.ts',
  code: "import { Refport } from 'refport'\nawait new Refport().track.signUp({})\nexport {}\n",
}

let dir
let errors = new Map()
beforeAll(() => {
  dir = createProject(repo)
  errors = typeCheck(repo, dir, [...modules, ...typeTests, control])
}, 120_000)
afterAll(() => dir && rmSync(dir, { recursive: true, force: true }))

/** The errors of one module, with lines translated back to the README's. */
const errorsOf = (name, fenceLine = 0) =>
  (errors.get(name) ?? []).map((e) => e.replace(/^line (\d+)/, (_, n) => `line ${fenceLine + Number(n)}`))

describe('README TypeScript blocks compile against the packed packages', () => {
  it('finds the blocks of every README', () => {
    for (const path of ['README.md', 'packages/refport/README.md', 'packages/better-auth/README.md'])
      expect(checked.filter((s) => s.file === path).length, path).toBeGreaterThan(0)
  })

  it('every skipped block says why', () => {
    expect(snippets.filter((s) => s.skip === 'no reason given').map((s) => `${s.file}:${s.line}`)).toEqual([])
  })

  it('reports a block that calls an API that does not exist (the check can fail)', () => {
    expect(errorsOf(control.name).join('\n')).toMatch(/signUp/)
  })

  it('compiles with no error outside the blocks (the packed packages themselves)', () => {
    expect(errors.get('') ?? []).toEqual([])
  })

  for (const snippet of checked)
    it(`${snippet.file}:${snippet.line}`, () => {
      expect(errorsOf(moduleName(snippet), snippet.line)).toEqual([])
    })
})

describe('type tests against the packed packages', () => {
  for (const test of typeTests)
    it(test.name.replace(/^typetest_/, ''), () => {
      expect(errorsOf(test.name)).toEqual([])
    })
})
