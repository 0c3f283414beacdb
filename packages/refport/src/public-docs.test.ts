import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exportDocs } from '@refport/test-support/public-docs'

const here = (path: string) => resolve(import.meta.dirname, path)

describe('every public export of refport and its subpaths (testing, stripe, express, next, playwright) has TSDoc with an @example', () => {
  const docs = exportDocs(
    [
      here('index.ts'),
      here('testing.ts'),
      here('stripe.ts'),
      here('express.ts'),
      here('next.ts'),
      here('playwright.ts'),
      here('playwright-global-setup.ts'),
    ],
    here('.'),
  )

  it('finds the exports of both entries (the check looks where it should)', () => {
    const names = docs.map((doc) => doc.name)
    expect(names).toEqual(
      expect.arrayContaining([
        'packages/refport/src/index.ts: Refport',
        'packages/refport/src/index.ts: RefportClientOptions',
        'packages/refport/src/index.ts: RefportOptions',
        'packages/refport/src/index.ts: RequestLike',
        'packages/refport/src/testing.ts: MOCK_API_KEY',
        'packages/refport/src/testing.ts: MockRefportApiOptions',
        'packages/refport/src/stripe.ts: handleStripeEvent',
        'packages/refport/src/index.ts: createRefportLanding',
        'packages/refport/src/express.ts: refportMiddleware',
        'packages/refport/src/next.ts: refportProxy',
        'packages/refport/src/playwright.ts: test',
        'packages/refport/src/playwright.ts: refportServerEnv',
        'packages/refport/src/playwright.ts: RefportSession',
      ]),
    )
    expect(names.length).toBeGreaterThanOrEqual(29)
  })

  it('none lacks an @example', () => {
    expect(docs.filter((doc) => !doc.hasExample).map((doc) => doc.name)).toEqual([])
  })
})

describe('the check itself', () => {
  const dir = mkdtempSync(join(tmpdir(), 'refport-docs-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  // A TypeScript program with the DOM and Node libraries: seconds on a loaded two-core machine.
  it('flags an export documented without @example and one not documented at all, through a re-export', {
    timeout: 30_000,
  }, () => {
    writeFileSync(
      join(dir, 'impl.ts'),
      [
        '/** Has one.\n * @example\n * ```ts\n * good()\n * ```\n */\nexport function good() {}',
        '/** Prose only. */\nexport const prose = 1',
        'export interface Bare { x: number }',
        '/**\n * @example\n * const v: Typed = 1\n */\nexport type Typed = number',
      ].join('\n'),
    )
    writeFileSync(join(dir, 'entry.ts'), "export { good, prose, type Bare } from './impl'\nexport * from './impl'\n")
    const docs = exportDocs([join(dir, 'entry.ts')], dir)
    const missing = docs.filter((doc) => !doc.hasExample).map((doc) => doc.name.split(': ')[1])
    expect(missing.sort()).toEqual(['Bare', 'prose'])
    expect(docs.map((doc) => doc.name.split(': ')[1]).sort()).toEqual(['Bare', 'Typed', 'good', 'prose'])
  })
})
