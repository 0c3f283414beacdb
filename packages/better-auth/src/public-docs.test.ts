import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { exportDocs } from '@refport/test-support/public-docs'

const here = (path: string) => resolve(import.meta.dirname, path)

describe('every public export of @refport/better-auth and /client has TSDoc with an @example', () => {
  const docs = exportDocs([here('index.ts'), here('client.ts')], here('.'))

  it('finds the exports of both entries', () => {
    expect(docs.map((doc) => doc.name)).toEqual(
      expect.arrayContaining([
        'packages/better-auth/src/index.ts: refportPlugin',
        'packages/better-auth/src/index.ts: RefportPluginOptions',
        'packages/better-auth/src/index.ts: RefportUser',
        'packages/better-auth/src/client.ts: refportPluginClient',
      ]),
    )
  })

  it('none lacks an @example', () => {
    expect(docs.filter((doc) => !doc.hasExample).map((doc) => doc.name)).toEqual([])
  })
})
