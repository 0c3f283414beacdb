import { createAuthClient } from 'better-auth/client'
import { afterEach, describe, expect, expectTypeOf, it, vi } from 'vitest'
import { refportPluginClient } from './client'
import { type refportPlugin, REFPORT_PLUGIN_ID } from './index'
import { newUser, SITE_ORIGIN, startHarness, type Harness } from '@refport/test-support/better-auth-harness'

// Each test runs real sign-ups (scrypt, ~70 ms each) against a real HTTP mock; leave room
// for a loaded CI machine. A hung response still fails, just later.
vi.setConfig({ testTimeout: 15_000 })

let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

describe('refportPluginClient', () => {
  it('has the server plugin’s id and infers from the server plugin', () => {
    const client = refportPluginClient()
    expect(client.id).toBe(REFPORT_PLUGIN_ID)
    expectTypeOf(client.$InferServerPlugin).toEqualTypeOf<ReturnType<typeof refportPlugin>>()
  })

  it('works in createAuthClient: a referred sign-up from the client records the lead', async () => {
    harness = await startHarness()
    const port = await harness.listen()
    const clickId = await harness.mintClickId()
    const authClient = createAuthClient({
      baseURL: `http://127.0.0.1:${port}`,
      plugins: [refportPluginClient()],
      // A browser sends these itself; Node's fetch needs them spelled out.
      fetchOptions: { headers: { origin: SITE_ORIGIN, cookie: `refp_id=${clickId}` } },
    })
    const body = newUser()
    const { data, error } = await authClient.signUp.email(body)

    expect(error).toBeNull()
    expect(harness.api.state().leads).toEqual([
      expect.objectContaining({ clickId, customerExternalId: data!.user.id, customerEmail: body.email }),
    ])
  })
})
