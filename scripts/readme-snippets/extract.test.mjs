import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { extractSnippets } from './extract.mjs'

const dir = mkdtempSync(join(tmpdir(), 'extract-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const readme = (text) => {
  const path = join(dir, `${Math.random()}.md`)
  writeFileSync(path, text)
  return extractSnippets(path)
}

describe('extractSnippets', () => {
  it('finds ts, tsx and typescript fences with their line, and nothing else', () => {
    const found = readme(
      [
        '# x',
        '```ts',
        'a()',
        '```',
        '```bash',
        'npm i',
        '```',
        '```tsx',
        '<A />',
        '```',
        '```typescript',
        'b()',
        '```',
      ].join('\n'),
    )
    expect(found.map(({ line, lang, code }) => ({ line, lang, code }))).toEqual([
      { line: 2, lang: 'ts', code: 'a()\n' },
      { line: 8, lang: 'tsx', code: '<A />\n' },
      { line: 11, lang: 'ts', code: 'b()\n' },
    ])
  })

  it.each([
    ['a skip with its reason', ['<!-- snippet: skip needs the app -->', '', '```ts'], { skip: 'needs the app' }],
    ['a skip without a reason', ['<!-- snippet: skip -->', '```ts'], { skip: 'no reason given' }],
    [
      'a given on one line',
      ['<!-- snippet: given declare const app: App -->', '```ts'],
      { given: 'declare const app: App' },
    ],
    [
      'a given over lines',
      ['<!-- snippet: given', 'declare const a: A', 'declare const b: B -->', '```ts'],
      { given: 'declare const a: A\ndeclare const b: B' },
    ],
  ])('reads %s', (_, above, expected) => {
    const [snippet] = readme([...above, 'x()', '```'].join('\n'))
    expect(snippet).toMatchObject({ code: 'x()\n', ...expected })
  })

  it.each([
    ['an ordinary comment', '<!-- note -->'],
    ['a directive separated by text', '<!-- snippet: skip x -->\nSome prose.'],
  ])('ignores %s above the fence', (_, above) => {
    const [snippet] = readme(`${above}\n\`\`\`ts\nx()\n\`\`\``)
    expect(snippet.code).toBe('x()\n')
    expect(snippet).not.toHaveProperty('skip')
    expect(snippet).not.toHaveProperty('given')
  })
})
