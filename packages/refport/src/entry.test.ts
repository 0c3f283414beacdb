import { builtinModules } from 'node:module'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { describe, expect, it } from 'vitest'
import * as contract from '@refport/contract'
import * as refport from './index'
import * as refportStripe from './stripe'
import * as testing from './testing'

/** Bundles `entry` for a runtime without Node built-ins (`neutral` resolves none: importing one fails the build). */
async function bundleNeutral(entry: string) {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    platform: 'neutral',
    format: 'esm',
    mainFields: ['module', 'main'],
    metafile: true,
    logLevel: 'silent',
  })
  const builtins = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)])
  const inputs = Object.keys(result.metafile.inputs)
  return {
    inputs,
    builtinInputs: inputs.filter((input) => builtins.has(input) || input.startsWith('node:')),
    code: result.outputFiles[0]!.text,
  }
}

describe('the main entry `refport`', () => {
  it('bundles for a runtime without Node built-ins (edge, Bun, Deno): no node: import anywhere in its graph', async () => {
    const { inputs, builtinInputs, code } = await bundleNeutral('./index.ts')
    expect(builtinInputs).toEqual([])
    // The contract is bundled in; the mock server and the Stripe entry are not.
    expect(inputs.some((input) => input.includes('packages/contract/src/cookie.ts'))).toBe(true)
    expect(inputs.some((input) => input.includes('/mock/'))).toBe(false)
    expect(inputs.filter((input) => /stripe/.test(input))).toEqual([])
    // Nor the Playwright fixture: its optional peer @playwright/test is not needed to use refport.
    expect(inputs.some((input) => input.includes('playwright'))).toBe(false)
    // The landing core is in; the framework adapters and their frameworks are not.
    expect(inputs.some((input) => input.includes('/landing/handler.ts'))).toBe(true)
    expect(inputs.filter((input) => /\/(express|next)\.ts$|node_modules\/(express|next)\//.test(input))).toEqual([])
    expect(code).not.toMatch(/from\s*["']node:|require\(["']node:/)
  })

  it('exports the names the docs and the other packages use', () => {
    expect(Object.keys(refport).sort()).toEqual(
      [
        'CLICK_ID_COOKIE',
        'MAX_TIMEOUT_MS',
        'Refport',
        'RefportAuthError',
        'RefportConfigError',
        'RefportError',
        'RefportNetworkError',
        'RefportNotFoundError',
        'RefportRateLimitError',
        'RefportTimeoutError',
        'RefportValidationError',
        'clearClickIdSetCookies',
        'clickIdSetCookie',
        'createRefportLanding',
        'getClickIdFromCookie',
        'getClickIdFromRequest',
        'isClickId',
      ].sort(),
    )
  })

  it('re-exports the contract itself, not a copy', () => {
    expect(refport.CLICK_ID_COOKIE).toBe('refp_id')
    expect(refport.isClickId).toBe(contract.isClickId)
  })

  it('every error class is a RefportError with its own name', () => {
    const classes = [
      refport.RefportAuthError,
      refport.RefportConfigError,
      refport.RefportNetworkError,
      refport.RefportNotFoundError,
      refport.RefportRateLimitError,
      refport.RefportTimeoutError,
      refport.RefportValidationError,
    ]
    for (const ErrorClass of classes) {
      const error = new ErrorClass('m', { code: 'c', status: 500 })
      expect(error).toBeInstanceOf(refport.RefportError)
      expect(error).toBeInstanceOf(Error)
      expect(error).toMatchObject({ name: ErrorClass.name, code: 'c', status: 500, message: 'm' })
    }
  })
})

describe('`refport/stripe`', () => {
  it('imports neither the stripe package nor a Node built-in: it only reads the verified event', async () => {
    const { inputs, builtinInputs } = await bundleNeutral('./stripe.ts')
    expect(builtinInputs).toEqual([])
    expect(inputs.filter((input) => input.includes('node_modules'))).toEqual([])
    // Positive control: the bundle is the Stripe entry.
    expect(inputs.some((input) => input.endsWith('packages/refport/src/stripe.ts'))).toBe(true)
  })

  it('exports handleStripeEvent only', () => {
    expect(Object.keys(refportStripe)).toEqual(['handleStripeEvent'])
  })
})

describe('`refport/testing`', () => {
  it('exports the mock API starter and its default keys', () => {
    expect(Object.keys(testing).sort()).toEqual(['MOCK_API_KEY', 'MOCK_PUBLISHABLE_KEY', 'startMockRefportApi'])
    expect(testing.MOCK_API_KEY).toBe('refport_test_key')
    expect(testing.MOCK_PUBLISHABLE_KEY).toBe('pk_test_refport')
  })
})
