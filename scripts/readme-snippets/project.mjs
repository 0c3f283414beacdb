/**
 * A scratch TypeScript project that sees the packages exactly as a user installs them:
 * refport-js, refport and @refport/better-auth packed with `npm pack` and unpacked into its
 * node_modules, next to the repository's own copies of their peer dependencies (React,
 * Better Auth, Next.js, Express, Stripe, Playwright, @types/*). The private
 * @refport/contract is deliberately absent: a published file that still imports it fails.
 * Needs `npm run build` first (the tarballs hold dist/).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const OWN = { '.': 'refport-js', refport: 'refport', '@refport/better-auth': '@refport/better-auth' }

/** Compiler settings of a strict app on a bundler (Next.js, Vite), the common case. */
const TSCONFIG = {
  compilerOptions: {
    strict: true,
    noEmit: true,
    target: 'es2022',
    lib: ['es2023', 'dom', 'dom.iterable'],
    module: 'preserve',
    moduleResolution: 'bundler',
    jsx: 'react-jsx',
    isolatedModules: true,
    // Third-party declarations are not ours to check; ours are, through every snippet.
    skipLibCheck: true,
    types: ['node'],
  },
  include: ['snippets'],
}

/**
 * Creates the project in a temporary directory and returns its path.
 * @param {string} repo the repository root
 */
export function createProject(repo) {
  const dir = mkdtempSync(join(tmpdir(), 'refport-snippets-'))
  const tarballs = join(dir, 'tarballs')
  const modules = join(dir, 'node_modules')
  mkdirSync(tarballs)
  mkdirSync(modules)
  const workspaces = Object.keys(OWN)
    .filter((w) => w !== '.')
    .flatMap((w) => ['--workspace', w])
  execFileSync('npm', ['pack', '--silent', '--pack-destination', tarballs], { cwd: repo, stdio: 'pipe' })
  execFileSync('npm', ['pack', '--silent', '--pack-destination', tarballs, ...workspaces], { cwd: repo, stdio: 'pipe' })
  for (const tarball of readdirSync(tarballs)) {
    const name = Object.values(OWN).find((n) =>
      new RegExp(`^${n.replace('@', '').replace('/', '-')}-\\d`).test(tarball),
    )
    if (!name) throw new Error(`unexpected tarball ${tarball}`)
    const target = join(modules, name)
    mkdirSync(target, { recursive: true })
    execFileSync('tar', ['-xzf', join(tarballs, tarball), '-C', target, '--strip-components=1'])
  }
  // Everything else the repository has installed: the peer dependencies and their own.
  const repoModules = join(repo, 'node_modules')
  for (const entry of readdirSync(repoModules)) {
    if (entry.startsWith('.') || entry === 'refport' || entry === 'refport-js' || entry === '@refport') continue
    if (entry.startsWith('@')) {
      mkdirSync(join(modules, entry), { recursive: true })
      for (const child of readdirSync(join(repoModules, entry)))
        symlinkSync(join(repoModules, entry, child), join(modules, entry, child))
    } else symlinkSync(join(repoModules, entry), join(modules, entry))
  }
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'snippets', private: true, type: 'module' }))
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(TSCONFIG, null, 2))
  mkdirSync(join(dir, 'snippets'))
  return dir
}

/**
 * Writes each module into the project's snippets/ folder, runs `tsc --noEmit` once over all
 * of them and returns the errors per file name (and under `''` those outside any snippet).
 * @param {string} repo
 * @param {string} dir a project from {@link createProject}
 * @param {{ name: string, code: string }[]} modules
 * @returns {Map<string, string[]>}
 */
export function typeCheck(repo, dir, modules) {
  for (const { name, code } of modules) writeFileSync(join(dir, 'snippets', name), code)
  let output = ''
  try {
    execFileSync(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', dir, '--pretty', 'false'], {
      cwd: dir,
      stdio: 'pipe',
    })
  } catch (error) {
    output = String(error.stdout) + String(error.stderr)
  }
  const errors = new Map()
  let current = ''
  for (const line of output.split('\n')) {
    if (!line.trim()) continue
    const at = /^snippets\/([^(]+)\((\d+),\d+\): (.*)$/.exec(line)
    if (at) current = at[1]
    else if (/^\S.*\(\d+,\d+\): error/.test(line) || /^error /.test(line)) current = ''
    const list = errors.get(current) ?? []
    list.push(at ? `line ${at[2]}: ${at[3]}` : line)
    errors.set(current, list)
  }
  return errors
}
