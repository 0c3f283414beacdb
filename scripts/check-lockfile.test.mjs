import { execFile } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { findDrift, findInstallDrift, isPlatformOptional, readProject } from './check-lockfile.mjs'

const run = promisify(execFile)
const repoRoot = fileURLToPath(new URL('..', import.meta.url))
const script = fileURLToPath(new URL('./check-lockfile.mjs', import.meta.url))
const fixture = fileURLToPath(new URL('./fixtures/lockfile/', import.meta.url))

// The fixture project: a root with rollup, next and ms, and a workspace packages/app whose
// ms@^3 is nested under it. package-lock.json is what a mirror serving every platform
// writes; package-lock.linux-mirror.json is what a mirror serving only Linux glibc writes
// (no darwin, win32 or musl packages, no fsevents).
const allPlatforms = () => readProject(fixture)
const linuxMirrorLockfile = () => JSON.parse(readFileSync(join(fixture, 'package-lock.linux-mirror.json'), 'utf8'))
const linuxMirror = () => ({ ...allPlatforms(), lockfile: linuxMirrorLockfile() })

const PLATFORM_OPTIONALS = [
  'node_modules/@next/swc-darwin-arm64',
  'node_modules/@next/swc-win32-x64-msvc',
  'node_modules/@rollup/rollup-darwin-arm64',
  'node_modules/@rollup/rollup-linux-x64-musl',
  'node_modules/@rollup/rollup-win32-x64-msvc',
  'node_modules/fsevents',
]

describe('findDrift: which platforms the mirror served does not matter', () => {
  it('passes the lockfile that lists every platform', () => {
    const project = allPlatforms()
    for (const key of PLATFORM_OPTIONALS) expect(project.lockfile.packages).toHaveProperty([key])
    expect(findDrift(project)).toEqual([])
  })

  it('passes the lockfile from a mirror without other platforms’ optional packages', () => {
    const project = linuxMirror()
    for (const key of PLATFORM_OPTIONALS) expect(project.lockfile.packages).not.toHaveProperty([key])
    expect(findDrift(project)).toEqual([])
  })

  it('passes the repository’s own lockfiles', () => {
    expect(findDrift(readProject(repoRoot))).toEqual([])
    expect(
      findDrift(
        readProject(
          join(repoRoot, 'packages/test-support/fixtures/react18'),
          'packages/test-support/fixtures/react18/',
        ),
      ),
    ).toEqual([])
  })
})

// Each case edits the in-sync fixture in one way a real drift happens, and names the message.
const DRIFT_CASES = [
  {
    name: 'a workspace declares a dependency the lockfile lacks',
    edit: ({ manifests }) => {
      manifests[1].manifest.dependencies.stripe = '^20.0.0'
    },
    expected: ['packages/app/package.json wants stripe@^20.0.0 but package-lock.json has no entry for it'],
  },
  {
    name: 'the root bumps a pinned version without reinstalling',
    edit: ({ manifests }) => {
      manifests[0].manifest.devDependencies.next = '16.4.7'
    },
    expected: [
      'package.json wants next@16.4.7 but package-lock.json records next@16.4.6',
      'next: package-lock.json has 16.4.6 (node_modules/next), package.json wants 16.4.7',
    ],
  },
  {
    name: 'the lockfile resolves a declared dependency to a version outside its range',
    edit: ({ lockfile }) => {
      lockfile.packages['node_modules/next'].version = '16.4.5'
    },
    expected: ['next: package-lock.json has 16.4.5 (node_modules/next), package.json wants 16.4.6'],
  },
  {
    name: 'the lockfile lacks a declared dependency’s package',
    edit: ({ lockfile }) => {
      delete lockfile.packages['node_modules/cookie']
    },
    expected: ['packages/app/package.json wants cookie@^2.0.2 but package-lock.json has no entry for it'],
  },
  {
    name: 'the lockfile lacks a transitive dependency',
    edit: ({ lockfile }) => {
      delete lockfile.packages['node_modules/@types/estree']
    },
    expected: ['node_modules/rollup wants @types/estree@1.0.8 but package-lock.json has no entry for it'],
  },
  {
    name: 'a transitive dependency no longer matches its range',
    edit: ({ lockfile }) => {
      lockfile.packages['node_modules/@next/env'].version = '16.4.5'
    },
    expected: ['@next/env: package-lock.json has 16.4.5 (node_modules/@next/env), node_modules/next wants 16.4.6'],
  },
  {
    name: 'a platform package that is listed has the wrong version',
    edit: ({ lockfile }) => {
      lockfile.packages['node_modules/@rollup/rollup-linux-x64-gnu'].version = '4.40.0'
    },
    expected: [
      '@rollup/rollup-linux-x64-gnu: package-lock.json has 4.40.0 (node_modules/@rollup/rollup-linux-x64-gnu), node_modules/rollup wants 4.52.5',
    ],
  },
  {
    name: 'the nested copy a workspace needs is missing (the hoisted one is the wrong major)',
    edit: ({ lockfile }) => {
      delete lockfile.packages['packages/app/node_modules/ms']
    },
    expected: ['ms: package-lock.json has 2.1.3 (node_modules/ms), packages/app/package.json wants ^3.0.0'],
  },
  {
    name: 'package.json drops a dependency the lockfile still holds',
    edit: ({ manifests }) => {
      delete manifests[0].manifest.devDependencies.ms
    },
    expected: [
      'package-lock.json records ms@^2.1.3 in devDependencies of package.json, which no longer declares it',
      'package-lock.json lists node_modules/ms@2.1.3, which nothing depends on any more',
    ],
  },
  {
    name: 'a workspace the lockfile does not know',
    edit: ({ lockfile }) => {
      delete lockfile.packages['packages/app']
    },
    expected: [
      'package-lock.json has no entry for packages/app/package.json ("packages/app"): it does not know this package',
      'package-lock.json lists node_modules/cookie@2.0.2, which nothing depends on any more',
      'package-lock.json lists packages/app/node_modules/ms@3.0.0, which nothing depends on any more',
    ],
  },
  {
    name: 'a lockfile v1 (no "packages" map)',
    edit: (project) => {
      project.lockfile = { name: 'fixture-root', lockfileVersion: 1, dependencies: {} }
    },
    expected: ['package-lock.json is not a lockfile v2/v3 with a "packages" map'],
  },
]

describe('findDrift: real drift fails, whichever mirror wrote the lockfile', () => {
  for (const [mirror, load] of [
    ['every platform', allPlatforms],
    ['Linux-only mirror', linuxMirror],
  ]) {
    it.each(DRIFT_CASES)(`${mirror}: $name`, ({ edit, expected }) => {
      const project = load()
      expect(findDrift(project)).toEqual([]) // the same fixture before the edit is in sync
      edit(project)
      expect(findDrift(project)).toEqual(expected)
    })
  }

  it('accepts an optional peer that is not installed, and checks it when it is', () => {
    const project = allPlatforms()
    expect(findDrift(project)).toEqual([])
    project.lockfile.packages['node_modules/react'] = { version: '18.3.1', license: 'MIT' }
    expect(findDrift(project)).toEqual([
      'react: package-lock.json has 18.3.1 (node_modules/react), packages/app/package.json wants ^19.0.0',
    ])
  })

  it('names a required peer the lockfile lacks', () => {
    const project = allPlatforms()
    delete project.manifests[1].manifest.peerDependenciesMeta
    expect(findDrift(project)).toEqual([
      'packages/app/package.json wants react@^19.0.0 but package-lock.json has no entry for it',
    ])
  })
})

describe('findInstallDrift: what npm install changed beyond platform packages', () => {
  it('accepts npm install adding or dropping other platforms’ optional packages', () => {
    expect(findInstallDrift(linuxMirrorLockfile(), allPlatforms().lockfile)).toEqual([])
    expect(findInstallDrift(allPlatforms().lockfile, linuxMirrorLockfile())).toEqual([])
  })

  const INSTALL_CASES = [
    {
      name: 'a new dependency',
      edit: (lock) => {
        lock.packages[''].devDependencies.stripe = '^20.0.0'
        lock.packages['node_modules/stripe'] = { version: '20.1.0', dev: true }
      },
      expected: [
        'npm install changed the root package: devDependencies +stripe@"^20.0.0"',
        'npm install added node_modules/stripe@20.1.0',
      ],
    },
    {
      name: 'a version change',
      edit: (lock) => {
        lock.packages['node_modules/next'].version = '16.4.7'
      },
      expected: ['npm install changed node_modules/next: version "16.4.6" → "16.4.7"'],
    },
    {
      name: 'a new version (its checksum is not listed on its own)',
      edit: (lock) => {
        Object.assign(lock.packages['node_modules/cookie'], { version: '2.0.3', integrity: 'sha512-new' })
      },
      expected: ['npm install changed node_modules/cookie: version "2.0.2" → "2.0.3"'],
    },
    {
      name: 'a changed checksum',
      edit: (lock) => {
        lock.packages['node_modules/cookie'].integrity = 'sha512-other'
      },
      expected: ['npm install changed node_modules/cookie: integrity "sha512-fixture-cookie-2.0.2" → "sha512-other"'],
    },
    {
      name: 'a removed package that is not platform-specific',
      edit: (lock) => {
        delete lock.packages['node_modules/cookie']
      },
      expected: ['npm install removed node_modules/cookie@2.0.2'],
    },
    {
      name: 'an added optional package without os/cpu/libc',
      edit: (lock) => {
        lock.packages['node_modules/bufferutil'] = { version: '4.0.9', optional: true }
      },
      expected: ['npm install added node_modules/bufferutil@4.0.9'],
    },
    {
      name: 'a changed lockfile version',
      edit: (lock) => {
        lock.lockfileVersion = 2
      },
      expected: ['npm install changed the lockfile\'s "lockfileVersion": 3 → 2'],
    },
  ]
  it.each(INSTALL_CASES)('fails on $name', ({ edit, expected }) => {
    const after = linuxMirrorLockfile()
    edit(after)
    expect(findInstallDrift(linuxMirrorLockfile(), after)).toEqual(expected)
  })
})

describe('isPlatformOptional', () => {
  it.each([
    [{ version: '1.0.0', optional: true, os: ['darwin'] }, true],
    [{ version: '1.0.0', optional: true, cpu: ['arm64'] }, true],
    [{ version: '1.0.0', optional: true, libc: ['musl'] }, true],
    [{ version: '1.0.0', optional: true }, false],
    [{ version: '1.0.0', os: ['linux'], cpu: ['x64'] }, false],
    [undefined, false],
  ])('%j → %s', (entry, expected) => {
    expect(isPlatformOptional(entry)).toBe(expected)
  })
})

describe('the command CI runs', () => {
  const dirs = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })
  const projectWith = (lockfile) => {
    const dir = mkdtempSync(join(tmpdir(), 'check-lockfile-'))
    dirs.push(dir)
    cpSync(fixture, dir, { recursive: true })
    writeFileSync(join(dir, 'package-lock.json'), JSON.stringify(lockfile))
    return dir
  }

  it('exits 0 for the Linux-mirror lockfile and 1, naming the drift, when a dependency is missing', async () => {
    const inSync = await run(process.execPath, [script, projectWith(linuxMirrorLockfile())])
    expect(inSync.stdout).toContain('Lockfile in sync')

    const drifted = linuxMirrorLockfile()
    delete drifted.packages['node_modules/cookie']
    const dir = projectWith(drifted)
    const failure = await run(process.execPath, [script, dir]).then(
      () => undefined,
      (error) => error,
    )
    expect(failure?.code).toBe(1)
    expect(failure.stderr).toContain(
      `${dir}/packages/app/package.json wants cookie@^2.0.2 but ${dir}/package-lock.json has no entry for it`,
    )
    expect(failure.stderr).toContain('Run `npm install` and commit package-lock.json')
  })

  it('--install-diff exits 0 for platform packages only and 1 for anything else', async () => {
    const before = join(projectWith(linuxMirrorLockfile()), 'package-lock.json')
    const after = join(projectWith(allPlatforms().lockfile), 'package-lock.json')
    const platformOnly = await run(process.execPath, [script, '--install-diff', before, after])
    expect(platformOnly.stdout).toContain(
      'npm install changed nothing in the lockfile but platform-specific optional packages',
    )

    const changed = allPlatforms().lockfile
    changed.packages['node_modules/next'].version = '16.4.7'
    const changedPath = join(projectWith(changed), 'package-lock.json')
    const failure = await run(process.execPath, [script, '--install-diff', before, changedPath]).catch((error) => error)
    expect(failure.code).toBe(1)
    expect(failure.stderr).toContain('npm install changed node_modules/next: version "16.4.6" → "16.4.7"')
  })
})
