import { describe, expect, expectTypeOf, it } from 'vitest'
import { refportPlugin, REFPORT_PLUGIN_ID, type RefportPluginOptions } from './index'

/** A stand-in SDK: these tests never reach tracking, they check setup only. */
const refport = { track: { lead: async () => ({ lead: {} as never, duplicate: false }) } }

describe('refportPlugin setup', () => {
  it('returns a Better Auth plugin with the id the client plugin shares', () => {
    const plugin = refportPlugin({ refport })
    expect(plugin.id).toBe(REFPORT_PLUGIN_ID)
    expect(typeof plugin.init).toBe('function')
  })

  it('registers databaseHooks.user.create.after through init', () => {
    const initialised = refportPlugin({ refport }).init({ logger: console } as never)
    expect(typeof initialised.options.databaseHooks.user.create.after).toBe('function')
  })

  it.each([
    ['no options at all', undefined, /needs your Refport instance/],
    ['no refport and no customLeadTrack', {}, /needs your Refport instance — pass refportPlugin\(\{ refport/],
    ['a refport without track.lead', { refport: {} }, /needs your Refport instance/],
    ['an empty eventName', { refport, eventName: '' }, /eventName must be a non-empty string/],
    ['a blank eventName', { refport, eventName: '   ' }, /eventName must be a non-empty string/],
    ['a non-string eventName', { refport, eventName: 42 }, /eventName must be a non-empty string/],
    [
      'a cookieName with a space',
      { refport, cookieName: 'refp id' },
      /invalid cookieName "refp id" in refportPlugin options — use the same value/,
    ],
    ['a cookieName with ;', { refport, cookieName: 'refp_id;Domain=x' }, /invalid cookieName/],
    ['an empty cookieName', { refport, cookieName: '' }, /invalid cookieName/],
    ['a non-string cookieName', { refport, cookieName: null }, /cookieName must be a string/],
    ['a cookie path without a leading /', { refport, cookieOptions: { path: 'app' } }, /invalid cookieOptions.path/],
    ['a cookie path with ;', { refport, cookieOptions: { path: '/a;Domain=evil.test' } }, /invalid cookieOptions.path/],
    [
      'a cookie domain with ;',
      { refport, cookieOptions: { domain: 'acme.com;Secure' } },
      /invalid cookieOptions.domain/,
    ],
    [
      'a customLeadTrack that is not a function',
      { refport, customLeadTrack: 'track' },
      /customLeadTrack must be an async function/,
    ],
  ])('fails fast with a TypeError that says what to do: %s', (_what, options, message) => {
    expect(() => refportPlugin(options as unknown as RefportPluginOptions)).toThrow(TypeError)
    expect(() => refportPlugin(options as unknown as RefportPluginOptions)).toThrow(message)
  })

  it.each<[string, unknown, string]>([
    ['zero, which would give up every lead at once', 0, '0'],
    ['a negative number', -1, '-1'],
    ['less than a millisecond (setTimeout rounds it up to 1 ms anyway)', 0.5, '0.5'],
    ['NaN (a failed Number(process.env…))', Number.NaN, 'NaN'],
    ['Infinity', Number.POSITIVE_INFINITY, 'Infinity'],
    ['more than setTimeout can hold (2^31 ms: it would fire after 1 ms)', 2 ** 31, '2147483648'],
    ['a numeric string (an unparsed environment variable)', '3000', '"3000"'],
    ['null', null, 'null'],
    ['seconds as an object', { seconds: 3 }, '[object Object]'],
  ])('refuses a leadTimeoutMs of %s, naming the valid range and the default', (_what, leadTimeoutMs, shown) => {
    const create = () => refportPlugin({ refport, leadTimeoutMs } as unknown as RefportPluginOptions)
    expect(create).toThrow(TypeError)
    expect(create).toThrow(
      `refport: invalid leadTimeoutMs ${shown} in refportPlugin options — use a number of ms from 1 to 2147483647, or leave it out for the default 3000`,
    )
  })

  it.each([1, 250, 3000, 29_000, 2 ** 31 - 1, undefined])('accepts a leadTimeoutMs of %s', (leadTimeoutMs) => {
    expect(refportPlugin({ refport, leadTimeoutMs }).id).toBe('refport')
  })

  it('accepts customLeadTrack without a refport instance at runtime', () => {
    const options = { customLeadTrack: async () => {} } as unknown as RefportPluginOptions
    expect(refportPlugin(options).id).toBe('refport')
  })

  it('types customLeadTrack without a refport instance as valid, and neither of the two as an error', () => {
    // Checked by tsc (npm run typecheck): the type says what the runtime accepts.
    const withCustomTrack = { customLeadTrack: async () => {} } satisfies RefportPluginOptions
    expect(refportPlugin(withCustomTrack).id).toBe('refport')
    expectTypeOf({ refport }).toExtend<RefportPluginOptions>()
    expectTypeOf({ refport, customLeadTrack: async () => {} }).toExtend<RefportPluginOptions>()
    expectTypeOf({ eventName: 'Sign Up' }).not.toExtend<RefportPluginOptions>()
    expectTypeOf({}).not.toExtend<RefportPluginOptions>()
  })

  it.each([
    { refport, eventName: 'Account Created' },
    { refport, cookieName: '__Secure-refp_id' },
    { refport, cookieOptions: { domain: 'acme.com', path: '/app' } },
    { refport, cookieOptions: {} },
  ])('accepts valid options %#', (options) => {
    expect(refportPlugin(options).id).toBe('refport')
  })
})
