import { describe, expect, it } from 'vitest'
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
    ['a cookieName with a space', { refport, cookieName: 'refp id' }, /invalid cookieName "refp id" in refportPlugin options — use the same value/],
    ['a cookieName with ;', { refport, cookieName: 'refp_id;Domain=x' }, /invalid cookieName/],
    ['an empty cookieName', { refport, cookieName: '' }, /invalid cookieName/],
    ['a non-string cookieName', { refport, cookieName: null }, /cookieName must be a string/],
    ['a cookie path without a leading /', { refport, cookieOptions: { path: 'app' } }, /invalid cookieOptions.path/],
    ['a cookie path with ;', { refport, cookieOptions: { path: '/a;Domain=evil.test' } }, /invalid cookieOptions.path/],
    ['a cookie domain with ;', { refport, cookieOptions: { domain: 'acme.com;Secure' } }, /invalid cookieOptions.domain/],
    ['a customLeadTrack that is not a function', { refport, customLeadTrack: 'track' }, /customLeadTrack must be an async function/],
  ])('fails fast with a TypeError that says what to do: %s', (_what, options, message) => {
    expect(() => refportPlugin(options as unknown as RefportPluginOptions)).toThrow(TypeError)
    expect(() => refportPlugin(options as unknown as RefportPluginOptions)).toThrow(message)
  })

  it('accepts customLeadTrack without a refport instance at runtime', () => {
    const options = { customLeadTrack: async () => {} } as unknown as RefportPluginOptions
    expect(refportPlugin(options).id).toBe('refport')
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
