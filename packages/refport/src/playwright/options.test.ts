import { describe, expect, it } from 'vitest'
import { DEFAULT_REFPORT_PORT, refportServerEnv, resolveFixtureOptions } from './options'

describe('resolveFixtureOptions', () => {
  it('defaults: port 4010, the real API host, the mock keys, 5 s', () => {
    expect(resolveFixtureOptions(undefined, {})).toEqual({
      port: DEFAULT_REFPORT_PORT,
      apiHosts: ['https://api.refport.io'],
      publishableKey: 'pk_test_refport',
      apiKey: 'refport_test_key',
      partners: undefined,
      timeout: 5000,
    })
    expect(DEFAULT_REFPORT_PORT).toBe(4010)
  })

  it('REFPORT_MOCK_PORT sets the port the config, the global setup and the workers share; the option wins', () => {
    expect(resolveFixtureOptions({}, { REFPORT_MOCK_PORT: '4999' }).port).toBe(4999)
    expect(resolveFixtureOptions({ port: 5001 }, { REFPORT_MOCK_PORT: '4999' }).port).toBe(5001)
  })

  it('apiHosts are written as the tracker writes apiHost: trailing slashes dropped, a proxy path kept, duplicates once', () => {
    const { apiHosts } = resolveFixtureOptions(
      { apiHosts: ['https://track.acme.com/', 'http://localhost:3000/_refport/', 'https://api.refport.io'] },
      {},
    )
    expect(apiHosts).toEqual(['https://api.refport.io', 'https://track.acme.com', 'http://localhost:3000/_refport'])
  })

  it.each([
    [{ port: 0 }, {}, /refportOptions.port must be a port number/],
    [{ port: 70000 }, {}, /refportOptions.port must be a port number/],
    [{ port: 4010.5 }, {}, /refportOptions.port must be a port number/],
    [{}, { REFPORT_MOCK_PORT: '40x0' }, /REFPORT_MOCK_PORT must be a port number/],
    [{ apiHosts: ['track.acme.com'] }, {}, /not an absolute URL — write it as the tracker's apiHost/],
    [{ apiHosts: ['ftp://track.acme.com'] }, {}, /must be http\(s\)/],
    [{ timeout: -1 }, {}, /timeout must be a number of ms > 0/],
  ])('refuses %j (env %j) with an error that says what to write', (options, env, message) => {
    expect(() => resolveFixtureOptions(options, env)).toThrow(message)
  })
})

describe('refportServerEnv', () => {
  it('is what the webServer needs: the hub URL on loopback and the mock key', () => {
    expect(refportServerEnv({ port: 4321 })).toEqual({
      REFPORT_API_URL: 'http://127.0.0.1:4321',
      REFPORT_API_KEY: 'refport_test_key',
    })
    expect(refportServerEnv({ port: 4321, apiKey: 'sk_acme_test' }).REFPORT_API_KEY).toBe('sk_acme_test')
  })
})
