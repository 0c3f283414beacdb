/**
 * Finds the TypeScript code blocks of the READMEs: every ```ts / ```tsx / ```typescript
 * fence. An HTML comment right above the fence (invisible on the rendered page) can say:
 *
 * - `<!-- snippet: given DECLARATIONS -->`: what the block takes from the reader's app
 *   (`declare const app: import('express').Express`); compiled after the block, so the
 *   block's own lines keep their numbers.
 * - `<!-- snippet: skip REASON -->`: a block that cannot stand alone; it is left out.
 */
import { readFileSync } from 'node:fs'

const FENCE = /^```(ts|tsx|typescript)\s*$/
const DIRECTIVE = /^<!--\s*snippet:\s*(skip|given)\b([\s\S]*?)-->\s*$/

/**
 * @param {string} path a Markdown file
 * @returns {{ file: string, line: number, lang: 'ts' | 'tsx', code: string, given?: string, skip?: string }[]}
 */
export function extractSnippets(path) {
  const lines = readFileSync(path, 'utf8').split('\n')
  const snippets = []
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i])
    if (!open) continue
    const start = i
    const body = []
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i]); i++) body.push(lines[i])
    // The comment ending on the nearest non-blank line above the fence, if any.
    let end = start - 1
    while (end >= 0 && !lines[end].trim()) end--
    let begin = end
    while (begin > 0 && end >= 0 && lines[end].trim().endsWith('-->') && !lines[begin].trim().startsWith('<!--'))
      begin--
    const directive =
      end >= 0
        ? DIRECTIVE.exec(
            lines
              .slice(begin, end + 1)
              .join('\n')
              .trim(),
          )
        : null
    const [kind, text] = directive ? [directive[1], directive[2].trim()] : []
    snippets.push({
      file: path,
      line: start + 1,
      lang: open[1] === 'tsx' ? 'tsx' : 'ts',
      code: `${body.join('\n')}\n`,
      ...(kind === 'skip' ? { skip: text || 'no reason given' } : {}),
      ...(kind === 'given' ? { given: text } : {}),
    })
  }
  return snippets
}
