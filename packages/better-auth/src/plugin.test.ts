/**
 * The plugin inside a real Better Auth 1.7 (memory adapter, email + password), reporting
 * to the mock Refport API over loopback HTTP.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import {
  ALL_VARIANTS,
  newUser,
  postJson,
  SITE_ORIGIN,
  signUpViaApi,
  startHarness,
  type Harness,
  type HarnessOptions,
} from '@refport/test-support/better-auth-harness'
import { expiredVariants } from '@refport/test-support/set-cookie'
import { admin, anonymous, magicLink } from 'better-auth/plugins'
import { getClickIdFromCookie } from 'refport'
import type { RefportHookContext, RefportUser } from './index'

// Each test runs real sign-ups (scrypt, ~70 ms each) against a real HTTP mock; leave room
// for a loaded CI machine. A hung response still fails, just later.
vi.setConfig({ testTimeout: 15_000 })

let harness: Harness | undefined
afterEach(async () => {
  await harness?.close()
  harness = undefined
})

async function start(options?: HarnessOptions): Promise<Harness> {
  harness = await startHarness(options)
  return harness
}

describe('a referred sign-up through auth.api.signUpEmail', () => {
  it('records the lead with the user’s id, email and name, credited to the partner of the click', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    const { user, body } = await signUpViaApi(h, `theme=dark; refp_id=${clickId}; other=1`)

    const { leads } = h.api.state()
    expect(leads).toHaveLength(1)
    expect(leads[0]).toMatchObject({
      clickId,
      eventName: 'Sign Up',
      customerExternalId: user.id,
      customerEmail: body.email,
      customerName: body.name,
      partner: { key: 'jane' },
    })
    expect(leads[0]).not.toHaveProperty('customerAvatar')
    expect(h.pluginLogs('error')).toEqual([])
  })

  it('sends the avatar when the user has an image', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    await signUpViaApi(h, `refp_id=${clickId}`, newUser({ image: 'https://cdn.example.test/jane.png' }))
    expect(h.api.state().leads[0]).toMatchObject({ customerAvatar: 'https://cdn.example.test/jane.png' })
  })

  it('leaves out a name the user did not give instead of sending it empty', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    await signUpViaApi(h, `refp_id=${clickId}`, newUser({ name: '' }))
    expect(h.api.state().leads).toHaveLength(1)
    expect(h.api.state().leads[0]).not.toHaveProperty('customerName')
  })

  it('expires the cookie host-only and on every parent domain, next to the session cookie', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    const { setCookies } = await signUpViaApi(h, `refp_id=${clickId}`)
    expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
    expect(setCookies.some((c) => c.startsWith('better-auth.session_token='))).toBe(true)
  })

  it('uses the configured eventName and cookieName', async () => {
    const h = await start({ plugin: { eventName: 'Account Created', cookieName: 'acme_click' } })
    const clickId = await h.mintClickId()
    const { setCookies } = await signUpViaApi(h, `refp_id=not-this-one; acme_click=${clickId}`)
    expect(h.api.state().leads).toEqual([expect.objectContaining({ clickId, eventName: 'Account Created' })])
    expect(expiredVariants(setCookies, 'acme_click')).toEqual(ALL_VARIANTS)
    expect(expiredVariants(setCookies, 'refp_id')).toEqual([])
  })

  it('clears the tracker’s custom path too when cookieOptions.path is given', async () => {
    const h = await start({ plugin: { cookieOptions: { path: '/app' } } })
    const clickId = await h.mintClickId()
    const { setCookies } = await signUpViaApi(h, `refp_id=${clickId}`)
    expect(expiredVariants(setCookies)).toEqual(
      [...ALL_VARIANTS, ...ALL_VARIANTS.map((v) => v.replace('|/', '|/app'))].sort(),
    )
  })

  it('takes the first valid click ID when the browser sends several refp_id cookies', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    await signUpViaApi(h, `refp_id=bad%20value; refp_id=${clickId}; refp_id=later_one`)
    expect(h.api.state().leads).toEqual([expect.objectContaining({ clickId })])
  })

  it('reads the cookie when HTTP/2 split cookie fields reach it joined with ", " (Fetch-standard Headers)', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    const { setCookies } = await signUpViaApi(h, `theme=dark, refp_id=${clickId}`)
    expect(h.api.state().leads).toEqual([expect.objectContaining({ clickId })])
    expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
  })
})

describe('living with the app’s own configuration', () => {
  it('runs beside the app’s own databaseHooks.user.create.after', async () => {
    const seenByApp: string[] = []
    const h = await start({
      auth: { databaseHooks: { user: { create: { after: async (user) => void seenByApp.push(user.id) } } } },
    })
    const clickId = await h.mintClickId()
    const { user } = await signUpViaApi(h, `refp_id=${clickId}`)
    expect(seenByApp).toEqual([user.id])
    expect(h.api.state().leads).toEqual([expect.objectContaining({ customerExternalId: user.id })])
  })
})

describe('no referral, no call', () => {
  it('does nothing for a sign-up without any request headers', async () => {
    const h = await start()
    const { user } = await h.auth.api.signUpEmail({ body: newUser() })
    expect(user.id).toBeTruthy()
    expect(h.api.state().leads).toEqual([])
  })

  it.each([
    ['a Cookie header without refp_id', 'theme=dark'],
    ['a value with characters outside A-Z a-z 0-9 _ -', 'refp_id=abc!def'],
    ['a percent-encoded value', 'refp_id=%61bc'],
    ['a 129-character value', `refp_id=${'a'.repeat(129)}`],
    ['an empty value', 'refp_id='],
    ['a quoted value with a space', 'refp_id="a b"'],
    ['a comma-joined value', 'refp_id=abc,def'],
    ['a similar name only', 'xrefp_id=abc123; refp_idx=abc123'],
  ])('does nothing (no lead, no Set-Cookie for it, no log) for %s', async (_what, cookie) => {
    const h = await start()
    const { user, setCookies } = await signUpViaApi(h, cookie)
    expect(user.id).toBeTruthy()
    expect(h.api.state().leads).toEqual([])
    expect(expiredVariants(setCookies)).toEqual([])
    expect(h.pluginLogs('error')).toEqual([])
  })

  it('does nothing for a user created outside a request (script, job, internal adapter)', async () => {
    const h = await start()
    const context = await h.auth.$context
    const user = await context.internalAdapter.createUser(
      { email: 'script@example.test', name: 'Script', emailVerified: false },
      { method: 'seed-script' },
    )
    expect(user?.id).toBeTruthy()
    expect(h.api.state().leads).toEqual([])
    expect(h.pluginLogs('error')).toEqual([])
  })
})

describe('accounts that are not the visitor’s own sign-up', () => {
  /** POST through auth.handler, as a browser on the site would. */
  const post = (h: Harness, path: string, body: unknown, cookie: string) =>
    h.auth.handler(
      new Request(`${SITE_ORIGIN}/api/auth${path}`, {
        method: 'POST',
        headers: { origin: SITE_ORIGIN, 'content-type': 'application/json', cookie },
        body: JSON.stringify(body),
      }),
    )
  const sessionCookieOf = (response: Response) =>
    response.headers
      .getSetCookie()
      .find((c) => c.startsWith('better-auth.session_token='))!
      .split(';')[0]!

  it('an admin creating a user (admin plugin) does not spend the admin’s own referral cookie', async () => {
    const h = await start({ auth: { plugins: [admin()] } })
    const signedUp = await post(h, '/sign-up/email', newUser(), '')
    const adminId = ((await signedUp.json()) as { user: { id: string } }).user.id
    h.db.user.find((row) => row.id === adminId)!.role = 'admin'
    const clickId = await h.mintClickId()

    const created = await post(
      h,
      '/admin/create-user',
      { email: newUser().email, password: 'correct-horse-battery', name: 'Created By Admin' },
      `${sessionCookieOf(signedUp)}; refp_id=${clickId}`,
    )

    expect(created.status).toBe(200)
    expect(h.db.user).toHaveLength(2)
    expect(h.api.state().leads).toEqual([])
    expect(expiredVariants(created.headers.getSetCookie())).toEqual([])
    expect(h.pluginLogs('error')).toEqual([])
  })

  it('an anonymous user is not a sign-up: the cookie waits for the real one', async () => {
    const h = await start({ auth: { plugins: [anonymous()] } })
    const clickId = await h.mintClickId()
    const guest = await post(h, '/sign-in/anonymous', {}, `refp_id=${clickId}`)
    expect(guest.status).toBe(200)
    expect(h.api.state().leads).toEqual([])
    expect(expiredVariants(guest.headers.getSetCookie())).toEqual([])

    const body = newUser()
    const signedUp = await post(h, '/sign-up/email', body, `${sessionCookieOf(guest)}; refp_id=${clickId}`)
    expect(signedUp.status).toBe(200)
    expect(h.api.state().leads).toEqual([expect.objectContaining({ clickId, customerEmail: body.email })])
    expect(expiredVariants(signedUp.headers.getSetCookie())).toEqual(ALL_VARIANTS)
  })
})

describe('tracking never breaks sign-up', () => {
  it.each([
    ['the API answers 500', { lead: { status: 500 } }, {}],
    ['the API answers 503 on every retry', { lead: { status: 503 } }, { maxRetries: 2 }],
    ['the API refuses the key (401)', { lead: { status: 401 } }, {}],
    ['the connection drops', { lead: { drop: true } }, {}],
    ['the API hangs past the SDK timeout', { lead: { hang: true } }, { timeoutMs: 150 }],
  ] as const)(
    '%s: the user is created, the error is logged, the cookie is still expired',
    async (_what, faults, sdk) => {
      const h = await start({ sdk })
      const clickId = await h.mintClickId()
      h.api.setFaults(faults)
      const { user, token, setCookies } = await signUpViaApi(h, `refp_id=${clickId}`)

      expect(user.id).toBeTruthy()
      expect(token).toBeTruthy()
      expect(h.api.state().leads).toEqual([])
      const [logged, ...more] = h.pluginLogs('error')
      expect(more).toEqual([])
      expect(logged!.message).toContain(user.id)
      expect(logged!.message).toContain(clickId)
      expect(logged!.args[0]).toBeInstanceOf(Error)
      expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
    },
  )

  it('logs a click the API does not know (404) and still signs the user up', async () => {
    const h = await start()
    const { user } = await signUpViaApi(h, 'refp_id=never_minted_click')
    expect(user.id).toBeTruthy()
    expect(h.api.state().leads).toEqual([])
    expect(h.pluginLogs('error')).toHaveLength(1)
  })
})

describe('duplicates', () => {
  it('a second "Sign Up" for the same user id within 7 days is recorded once, without an error', async () => {
    // A deleted account re-created with the same id (ids from an external identity system)
    // fires the hook twice for one customerExternalId.
    const h = await start({
      auth: {
        advanced: {
          database: { generateId: ({ model }) => (model === 'user' ? 'user_stable_1' : crypto.randomUUID()) },
        },
      },
    })
    const clickId = await h.mintClickId()
    await signUpViaApi(h, `refp_id=${clickId}`)
    h.db.user.length = 0
    h.db.account.length = 0
    h.db.session.length = 0
    await signUpViaApi(h, `refp_id=${clickId}`)

    expect(h.api.state().leads).toHaveLength(1)
    expect(h.pluginLogs('error')).toEqual([])
    expect(h.pluginLogs('debug').map((line) => line.message)).toEqual([
      expect.stringContaining('recorded for click'),
      expect.stringContaining('already recorded (duplicate)'),
    ])
  })
})

describe('customLeadTrack', () => {
  it('replaces the default call and gets the user and a ctx whose getCookie reads the click ID', async () => {
    const calls: { user: RefportUser; clickId: string | null }[] = []
    let h!: Harness
    h = await start({
      plugin: {
        customLeadTrack: async (user, ctx: RefportHookContext) => {
          const clickId = ctx.getCookie('refp_id')
          calls.push({ user, clickId })
          if (!clickId) return
          await h.refport.track.lead({
            clickId,
            eventName: 'Account Created',
            customerExternalId: user.id,
            customerEmail: user.email,
            metadata: { plan: 'free' },
          })
        },
      },
    })
    const clickId = await h.mintClickId()
    const { user, setCookies } = await signUpViaApi(h, `refp_id=${clickId}`)

    expect(calls).toEqual([{ user: expect.objectContaining({ id: user.id, email: user.email }), clickId }])
    expect(h.api.state().leads).toEqual([
      expect.objectContaining({
        clickId,
        eventName: 'Account Created',
        customerExternalId: user.id,
        metadata: { plan: 'free' },
      }),
    ])
    // The plugin still expires the cookie it knows about.
    expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
  })

  it('the README example: validated click ID from ctx.getHeader, custom event and metadata', async () => {
    let h!: Harness
    h = await start({
      plugin: {
        customLeadTrack: async (user, ctx) => {
          const clickId = getClickIdFromCookie(ctx.getHeader('cookie'))
          if (!clickId) return
          await h.refport.track.lead(
            {
              clickId,
              eventName: 'Trial Started',
              customerExternalId: user.id,
              customerEmail: user.email,
              metadata: { plan: 'trial', signUpRoute: ctx.path },
            },
            { signal: AbortSignal.timeout(3000) },
          )
        },
      },
    })
    const clickId = await h.mintClickId()
    const { user } = await signUpViaApi(h, `refp_id=bad!value; refp_id=${clickId}`)
    expect(h.api.state().leads).toEqual([
      expect.objectContaining({
        clickId,
        eventName: 'Trial Started',
        customerExternalId: user.id,
        metadata: { plan: 'trial', signUpRoute: '/sign-up/email' },
      }),
    ])
  })

  it('is called for sign-ups without the cookie too, and then nothing is cleared', async () => {
    const seen: (string | null)[] = []
    const h = await start({
      plugin: { customLeadTrack: async (_user, ctx) => void seen.push(ctx.getCookie('refp_id')) },
    })
    const { setCookies } = await signUpViaApi(h, 'theme=dark')
    expect(seen).toEqual([null])
    expect(expiredVariants(setCookies)).toEqual([])
    expect(h.api.state().leads).toEqual([])
  })

  it.each([
    ['rejects', async () => Promise.reject(new Error('crm down'))],
    [
      'throws synchronously',
      (() => {
        throw new Error('crm down')
      }) as () => Promise<void>,
    ],
  ])('when it %s, the error is logged and the sign-up succeeds', async (_how, customLeadTrack) => {
    const h = await start({ plugin: { customLeadTrack } })
    const clickId = await h.mintClickId()
    const { user, setCookies } = await signUpViaApi(h, `refp_id=${clickId}`)
    expect(user.id).toBeTruthy()
    const errors = h.pluginLogs('error')
    expect(errors).toHaveLength(1)
    expect(errors[0]!.message).toContain('customLeadTrack')
    expect((errors[0]!.args[0] as Error).message).toBe('crm down')
    expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
  })
})

describe('response timing', () => {
  it('without a background-task handler the lead is awaited: it is recorded when the response is out', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    h.api.setFaults({ lead: { delayMs: 300 } })
    const started = performance.now()
    await signUpViaApi(h, `refp_id=${clickId}`)
    const elapsed = performance.now() - started
    expect(h.api.state().leads).toHaveLength(1)
    expect(elapsed).toBeGreaterThanOrEqual(300)
  })

  it('with advanced.backgroundTasks the response does not wait for the lead round trip', async () => {
    const background: Promise<unknown>[] = []
    const h = await start({
      auth: { advanced: { backgroundTasks: { handler: (promise) => void background.push(promise) } } },
      sdk: { timeoutMs: 30_000 },
    })
    const clickId = await h.mintClickId()
    // The API never answers: a response that waited for it would never come.
    h.api.setFaults({ lead: { hang: true } })
    const { user, setCookies } = await signUpViaApi(h, `refp_id=${clickId}`)

    expect(user.id).toBeTruthy()
    expect(expiredVariants(setCookies)).toEqual(ALL_VARIANTS)
    expect(background).toHaveLength(1)
    expect(h.api.state().leads).toEqual([])

    // Closing the API ends the hung request; the background task logs and settles.
    await h.closeApi()
    await Promise.all(background)
    expect(h.pluginLogs('error')).toHaveLength(1)
  })

  it('with advanced.backgroundTasks the lead is still recorded once the task settles', async () => {
    const background: Promise<unknown>[] = []
    const h = await start({
      auth: { advanced: { backgroundTasks: { handler: (promise) => void background.push(promise) } } },
    })
    const clickId = await h.mintClickId()
    const { user } = await signUpViaApi(h, `refp_id=${clickId}`)
    await Promise.all(background)
    expect(h.api.state().leads).toEqual([expect.objectContaining({ clickId, customerExternalId: user.id })])
  })
})

describe('over HTTP', () => {
  it('toNodeHandler on a loopback server: lead recorded, session cookie and cookie expiries in the response', async () => {
    const h = await start()
    const port = await h.listen()
    const clickId = await h.mintClickId()
    const body = newUser()
    const response = await postJson(port, '/api/auth/sign-up/email', body, { cookie: `refp_id=${clickId}` })

    expect(response.status).toBe(200)
    expect(response.body).toMatchObject({ user: { email: body.email } })
    const userId = (response.body as { user: { id: string } }).user.id
    expect(h.api.state().leads).toEqual([
      expect.objectContaining({ clickId, customerExternalId: userId, customerEmail: body.email }),
    ])
    expect(expiredVariants(response.setCookies)).toEqual(ALL_VARIANTS)
    expect(response.setCookies.some((c) => c.startsWith('better-auth.session_token='))).toBe(true)
  })

  it('a failing API leaves the HTTP response exactly as a sign-up without tracking', async () => {
    const h = await start()
    const port = await h.listen()
    const clickId = await h.mintClickId()
    h.api.setFaults({ lead: { status: 500 } })
    const referred = await postJson(port, '/api/auth/sign-up/email', newUser(), { cookie: `refp_id=${clickId}` })
    const plain = await postJson(port, '/api/auth/sign-up/email', newUser(), {})

    expect(referred.status).toBe(plain.status)
    expect(Object.keys(referred.body as object).sort()).toEqual(Object.keys(plain.body as object).sort())
    expect(referred.setCookies.filter((c) => !c.startsWith('refp_id='))).toHaveLength(plain.setCookies.length)
    expect(expiredVariants(referred.setCookies)).toEqual(ALL_VARIANTS)
    expect(h.pluginLogs('error')).toHaveLength(1)
  })

  it.each<[string, HarnessOptions, boolean]>([
    ['by default', {}, false],
    ['with the plugin option trustProxy: true', { plugin: { trustProxy: true } }, true],
    [
      'when Better Auth trusts proxy headers (advanced.trustedProxyHeaders)',
      { auth: { advanced: { trustedProxyHeaders: true } } },
      true,
    ],
    [
      'trustProxy: false overrides Better Auth',
      { auth: { advanced: { trustedProxyHeaders: true } }, plugin: { trustProxy: false } },
      false,
    ],
  ])('X-Forwarded-Host %s: cleared only when trusted', async (_what, options, cleared) => {
    const h = await start(options)
    const port = await h.listen()
    const clickId = await h.mintClickId()
    const response = await postJson(port, '/api/auth/sign-up/email', newUser(), {
      cookie: `refp_id=${clickId}`,
      'x-forwarded-host': 'app.example.test',
    })
    expect(response.status).toBe(200)
    expect(h.api.state().leads).toHaveLength(1)
    expect(expiredVariants(response.setCookies)).toEqual(
      cleared ? ['app.example.test|/', ...ALL_VARIANTS].sort() : ALL_VARIANTS,
    )
  })

  it('a sign-up with a 3 KB Host answers at once with a handful of Set-Cookie headers', async () => {
    const h = await start()
    const port = await h.listen()
    const clickId = await h.mintClickId()
    const started = performance.now()
    const response = await postJson(port, '/api/auth/sign-up/email', newUser(), {
      cookie: `refp_id=${clickId}`,
      host: `${'a.'.repeat(1600)}example.test`,
    })
    expect(performance.now() - started).toBeLessThan(5000) // scrypt alone is ~125 ms; a cookie variant per label of the Host would take minutes
    expect(response.status).toBe(200)
    expect(h.api.state().leads).toHaveLength(1)
    // The made-up host adds nothing: the same expiries as a sign-up on a host with no parent domains.
    const plain = await postJson(port, '/api/auth/sign-up/email', newUser(), {
      cookie: `refp_id=${clickId}`,
      host: 'localhost',
    })
    expect(expiredVariants(response.setCookies)).toEqual(expiredVariants(plain.setCookies))
    expect(expiredVariants(plain.setCookies)).toContain('host-only|/')
    expect(response.setCookies.join('').length).toBeLessThan(1024)
  })

  it('auth.handler with a Fetch Request (Next.js, Hono, Bun)', async () => {
    const h = await start()
    const clickId = await h.mintClickId()
    const response = await h.auth.handler(
      new Request(`${SITE_ORIGIN}/api/auth/sign-up/email`, {
        method: 'POST',
        headers: { origin: SITE_ORIGIN, 'content-type': 'application/json', cookie: `refp_id=${clickId}` },
        body: JSON.stringify(newUser()),
      }),
    )
    expect(response.status).toBe(200)
    expect(h.api.state().leads).toHaveLength(1)
    expect(expiredVariants(response.headers.getSetCookie())).toEqual(ALL_VARIANTS)
  })

  it('a sign-up that ends in a redirect (magic link; OAuth callbacks work the same way) keeps the expiries', async () => {
    // The user is created inside GET /magic-link/verify, which answers with `throw ctx.redirect()`:
    // the path every OAuth callback takes too. Better Auth carries the hook's response headers onto
    // the redirect.
    const links: string[] = []
    const h = await start({
      auth: { plugins: [magicLink({ sendMagicLink: async ({ url }) => void links.push(url) })] },
    })
    const clickId = await h.mintClickId()
    const email = newUser().email
    const requested = await h.auth.handler(
      new Request(`${SITE_ORIGIN}/api/auth/sign-in/magic-link`, {
        method: 'POST',
        headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ email, callbackURL: '/welcome' }),
      }),
    )
    expect(requested.status).toBe(200)
    const verify = new URL(links[0]!)
    const response = await h.auth.handler(
      new Request(`${SITE_ORIGIN}${verify.pathname}${verify.search}`, { headers: { cookie: `refp_id=${clickId}` } }),
    )

    expect(response.status).toBe(302)
    expect(h.api.state().leads).toEqual([expect.objectContaining({ clickId, customerEmail: email })])
    expect(expiredVariants(response.headers.getSetCookie())).toEqual(ALL_VARIANTS)
    expect(response.headers.getSetCookie().some((c) => c.startsWith('better-auth.session_token='))).toBe(true)
  })
})
