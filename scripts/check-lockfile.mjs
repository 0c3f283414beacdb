// Lockfile drift check that gives the same verdict whichever registry mirror CI meets.
//
// Registry mirrors differ in whether they serve other platforms' optional packages
// (@rollup/rollup-darwin-arm64, @next/swc-win32-x64-msvc, …). npm writes whatever the mirror
// serves into package-lock.json, so "the lockfile changed during npm install" says more about
// the mirror than about the code. This check instead asks what matters:
//
// - every dependency a package.json declares is recorded in package-lock.json with the
//   same spec, and nothing the package.json no longer declares is still recorded;
// - every dependency (declared or transitive) resolves, the way Node does from the
//   dependent's folder, to a lockfile entry whose version satisfies the range;
// - every lockfile entry is still reachable from a package.json.
//
// A platform-specific optional package (an optional entry with `os`, `cpu` or `libc`) may be
// listed or not: its absence only means the mirror that wrote the lockfile did not serve it.
// An optional dependency that resolves to nothing is fine for the same reason; one that
// resolves must still satisfy its range.
//
// Usage:
//   node scripts/check-lockfile.mjs [project folder…]        (default: the current folder)
//   node scripts/check-lockfile.mjs --install-diff <before> <after>
// The second form compares a committed lockfile with the one `npm install` wrote from it and
// fails on any difference other than platform-specific optional packages.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, posix } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import { fileURLToPath } from 'node:url'
import semver from 'semver'

/** The dependency fields npm records for a package.json, in the order it records them. */
const DEPENDENCY_FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies']

const FIX = 'Run `npm install` and commit package-lock.json (README, "Contributing": refreshing the lockfile).'

/**
 * True for a lockfile entry npm installs only on some platforms and may leave out when the
 * registry mirror does not serve it (npm marks such entries `optional` and copies the
 * package's `os`/`cpu`/`libc` fields into the lockfile).
 *
 * @param {Record<string, unknown> | undefined} entry
 * @example
 * isPlatformOptional({ version: '4.52.0', optional: true, os: ['darwin'], cpu: ['arm64'] }) // true
 */
export function isPlatformOptional(entry) {
  return Boolean(entry?.optional && (entry.os || entry.cpu || entry.libc))
}

/**
 * Lists, in plain words, every way package-lock.json has drifted from the package.json files
 * of one npm project. An empty list means the lockfile is in sync.
 *
 * @param {{ lockfile: any, manifests: Array<{ location: string, file: string, manifest: any }>, lockfileName?: string }} project
 *   `location` is the folder relative to the project root ('' for the root, 'packages/x' for
 *   a workspace), as package-lock.json keys it; `file` names the package.json in messages.
 * @returns {string[]}
 * @example
 * findDrift({ lockfile, manifests: [{ location: '', file: 'package.json', manifest }] })
 * // ['package.json wants stripe@^20.0.0 but package-lock.json has no entry for it']
 */
export function findDrift({ lockfile, manifests, lockfileName = 'package-lock.json' }) {
  const problems = []
  if (!lockfile || lockfile.lockfileVersion < 2 || typeof lockfile.packages !== 'object') {
    return [`${lockfileName} is not a lockfile v2/v3 with a "packages" map`]
  }
  const packages = lockfile.packages
  const overridden = overriddenNames(manifests.find((m) => m.location === '')?.manifest)

  for (const { location, file, manifest } of manifests) {
    const recorded = packages[location]
    if (!recorded) {
      problems.push(`${lockfileName} has no entry for ${file} ("${location}"): it does not know this package`)
      continue
    }
    for (const field of DEPENDENCY_FIELDS) {
      const wanted = manifest[field] ?? {}
      const has = recorded[field] ?? {}
      for (const [name, spec] of Object.entries(wanted)) {
        if (!(name in has)) {
          problems.push(`${file} wants ${name}@${spec} but ${lockfileName} has no entry for it`)
        } else if (has[name] !== spec) {
          problems.push(`${file} wants ${name}@${spec} but ${lockfileName} records ${name}@${has[name]}`)
        }
      }
      for (const [name, spec] of Object.entries(has)) {
        // An optional dependency may also be listed under "dependencies" (older npm versions do).
        const alsoOptional = field === 'dependencies' && manifest.optionalDependencies?.[name] === spec
        if (!(name in wanted) && !alsoOptional) {
          problems.push(`${lockfileName} records ${name}@${spec} in ${field} of ${file}, which no longer declares it`)
        }
      }
    }
  }

  // A project's own dependencies are read from its package.json (the source of truth), the
  // others from their lockfile entries, which copy the dependencies of the published package.
  const projects = new Map(manifests.map((m) => [m.location, m]))
  const reached = new Set()
  const visit = (key, entry) => {
    if (reached.has(key)) return
    reached.add(key)
    if (entry.link) {
      const target = packages[entry.resolved]
      if (target) visit(entry.resolved, target)
      return
    }
    const project = projects.get(key)
    const label = project?.file ?? key
    for (const edge of edgesOf(project?.manifest ?? entry, Boolean(project))) {
      const resolvedKey = resolve(packages, key, edge.name)
      if (resolvedKey === undefined) {
        if (!edge.optional) {
          problems.push(`${label} wants ${edge.name}@${edge.spec} but ${lockfileName} has no entry for it`)
        }
        continue
      }
      const version = versionOf(packages, resolvedKey)
      const range = rangeOf(edge.spec)
      if (range !== undefined && !overridden.has(edge.name) && !satisfies(version, range)) {
        problems.push(
          `${edge.name}: ${lockfileName} has ${version ?? 'no version'} (${resolvedKey}), ${label} wants ${edge.spec}`,
        )
      }
      visit(resolvedKey, packages[resolvedKey])
    }
  }
  for (const { location, manifest } of manifests) {
    if (packages[location]) visit(location, packages[location])
    // npm links every workspace into the root's node_modules, whether or not anything uses it.
    const link = `node_modules/${manifest.name}`
    if (location !== '' && packages[link]?.link) visit(link, packages[link])
  }
  for (const [key, entry] of Object.entries(packages)) {
    if (reached.has(key) || projects.has(key) || entry.inBundle || entry.extraneous) continue
    // A workspace npm knows but no package.json lists any more shows up as its link.
    problems.push(
      `${lockfileName} lists ${key}${entry.version ? `@${entry.version}` : ''}, which nothing depends on any more`,
    )
  }
  // A dependency the lockfile does not record is usually not installed either: say it once.
  return [...new Set(problems)]
}

/**
 * Lists every difference between a committed lockfile and the one `npm install` wrote from
 * it, except platform-specific optional packages that one mirror serves and another does not.
 *
 * @param {any} before the committed lockfile
 * @param {any} after the lockfile after `npm install`
 * @returns {string[]}
 * @example
 * findInstallDrift(committed, rewritten) // ['npm install added node_modules/stripe@20.1.0']
 */
export function findInstallDrift(before, after) {
  const problems = []
  for (const field of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (field !== 'packages' && !isDeepStrictEqual(before[field], after[field])) {
      problems.push(`npm install changed the lockfile's "${field}": ${describeChange(before[field], after[field])}`)
    }
  }
  const was = before.packages ?? {}
  const now = after.packages ?? {}
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    const label = key === '' ? 'the root package' : key
    if (!(key in now)) {
      if (!isPlatformOptional(was[key])) problems.push(`npm install removed ${label}${at(was[key])}`)
    } else if (!(key in was)) {
      if (!isPlatformOptional(now[key])) problems.push(`npm install added ${label}${at(now[key])}`)
    } else if (!isDeepStrictEqual(was[key], now[key])) {
      let fields = [...new Set([...Object.keys(was[key]), ...Object.keys(now[key])])].filter(
        (field) => !isDeepStrictEqual(was[key][field], now[key][field]),
      )
      // A new version brings a new checksum and tarball address: the version says it all.
      if (fields.includes('version')) fields = fields.filter((field) => field !== 'integrity' && field !== 'resolved')
      const change = (field) => `${field} ${describeChange(was[key][field], now[key][field])}`
      problems.push(`npm install changed ${label}: ${fields.map(change).join('; ')}`)
    }
  }
  return problems
}

/**
 * Reads an npm project (its package-lock.json, its package.json and those of its workspaces).
 *
 * @param {string} dir the project folder
 * @param {string} [prefix] how messages name that folder ('' for the current one)
 * @example
 * findDrift(readProject('packages/test-support/fixtures/react18', 'packages/test-support/fixtures/react18/'))
 */
export function readProject(dir, prefix = '') {
  const readJson = (path) => JSON.parse(readFileSync(join(dir, path), 'utf8'))
  const root = readJson('package.json')
  const manifests = [{ location: '', file: `${prefix}package.json`, manifest: root }]
  for (const location of workspaceFolders(dir, root.workspaces)) {
    manifests.push({
      location,
      file: `${prefix}${location}/package.json`,
      manifest: readJson(`${location}/package.json`),
    })
  }
  return { lockfile: readJson('package-lock.json'), manifests, lockfileName: `${prefix}package-lock.json` }
}

function workspaceFolders(dir, workspaces) {
  const patterns = Array.isArray(workspaces) ? workspaces : (workspaces?.packages ?? [])
  return patterns.flatMap((pattern) => {
    const clean = pattern.replace(/^\.\//, '').replace(/\/$/, '')
    if (clean.endsWith('/*') && !clean.slice(0, -2).includes('*')) {
      const parent = clean.slice(0, -2)
      return readdirSync(join(dir, parent), { withFileTypes: true })
        .filter((item) => item.isDirectory() && existsSync(join(dir, parent, item.name, 'package.json')))
        .map((item) => `${parent}/${item.name}`)
        .sort()
    }
    if (clean.includes('*'))
      throw new Error(`workspace pattern "${pattern}" is not supported here: list folders, or end in /*`)
    return [clean]
  })
}

/** The dependency edges of a package.json or lockfile entry (a project's dev dependencies count too). */
function edgesOf(entry, isProject) {
  const optionalPeers = entry.peerDependenciesMeta ?? {}
  const edges = new Map()
  const add = (field, optional) => {
    for (const [name, spec] of Object.entries(entry[field] ?? {})) {
      if (!edges.has(name)) edges.set(name, { name, spec, optional })
    }
  }
  add('optionalDependencies', true)
  add('dependencies', false)
  if (isProject) add('devDependencies', false)
  for (const [name, spec] of Object.entries(entry.peerDependencies ?? {})) {
    if (!edges.has(name)) edges.set(name, { name, spec, optional: Boolean(optionalPeers[name]?.optional) })
  }
  return edges.values()
}

/** Node's lookup: <folder>/node_modules/<name>, then each enclosing folder's node_modules. */
function resolve(packages, fromKey, name) {
  let base = fromKey
  for (;;) {
    const candidate = base ? `${base}/node_modules/${name}` : `node_modules/${name}`
    if (candidate in packages) return candidate
    if (!base) return undefined
    base = enclosingPackage(base)
  }
}

function enclosingPackage(key) {
  const cut = key.lastIndexOf('/node_modules/')
  if (cut >= 0) return key.slice(0, cut)
  // A top-level package (node_modules/x) or a workspace folder (packages/x): next is the root.
  return key.startsWith('node_modules/') ? '' : posix.dirname(key) === '.' ? '' : enclosingPackage(posix.dirname(key))
}

function versionOf(packages, key) {
  const entry = packages[key]
  return entry.link ? packages[entry.resolved]?.version : entry.version
}

/** The semver range a dependency spec asks for, or undefined for git, file, URL and tag specs. */
function rangeOf(spec) {
  const aliased = /^npm:(?:@[^/@]+\/)?[^@]+@(.*)$/.exec(spec)
  const range = aliased ? aliased[1] : spec === '' || spec === 'latest' ? '*' : spec
  return semver.validRange(range) === null ? undefined : range
}

function satisfies(version, range) {
  return typeof version === 'string' && semver.satisfies(version, range, { includePrerelease: true })
}

/** Names an `overrides` field pins; npm may resolve them outside their dependents' ranges. */
function overriddenNames(manifest) {
  const names = new Set()
  const walk = (overrides) => {
    for (const [key, value] of Object.entries(overrides ?? {})) {
      names.add(key.replace(/(.)@.*$/, '$1'))
      if (value && typeof value === 'object') walk(value)
    }
  }
  walk(manifest?.overrides)
  return names
}

/** "a → b", or for two maps (dependency lists) only the keys that differ: "+x@1, -y, z: 1 → 2". */
function describeChange(was, now) {
  const isMap = (value) => value !== null && typeof value === 'object' && !Array.isArray(value)
  if (!isMap(was) || !isMap(now)) return `${JSON.stringify(was)} → ${JSON.stringify(now)}`
  const parts = []
  for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
    if (!(key in now)) parts.push(`-${key}`)
    else if (!(key in was)) parts.push(`+${key}@${JSON.stringify(now[key])}`)
    else if (!isDeepStrictEqual(was[key], now[key]))
      parts.push(`${key}: ${JSON.stringify(was[key])} → ${JSON.stringify(now[key])}`)
  }
  return parts.join(', ')
}

function at(entry) {
  return entry?.version ? `@${entry.version}` : ''
}

function main(args) {
  let problems
  let verdict = 'Lockfile in sync with package.json (platform-specific optional packages may differ by mirror).'
  if (args[0] === '--install-diff') {
    verdict = 'npm install changed nothing in the lockfile but platform-specific optional packages.'
    if (args.length !== 3)
      throw new Error('usage: check-lockfile.mjs --install-diff <lockfile before> <lockfile after>')
    const [before, after] = args.slice(1).map((path) => JSON.parse(readFileSync(path, 'utf8')))
    problems = findInstallDrift(before, after)
  } else {
    const dirs = args.length ? args : ['.']
    problems = dirs.flatMap((dir) => {
      const prefix = dir === '.' ? '' : `${dir.replace(/\/$/, '')}/`
      return findDrift(readProject(dir, prefix))
    })
  }
  if (problems.length) {
    console.error(`Lockfile drift (${problems.length}):`)
    for (const problem of problems) console.error(`  - ${problem}`)
    console.error(FIX)
    return 1
  }
  console.log(verdict)
  return 0
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.exitCode = main(process.argv.slice(2))
}
