/**
 * `@refport/better-auth`: a Better Auth plugin that reports a Refport lead when a visitor
 * who arrived through a partner link signs up, then expires the `refp_id` cookie.
 */
import type { BetterAuthPlugin } from 'better-auth'
import { CLICK_ID_COOKIE, serializeClickIdCookie } from '@refport/contract'
import { MAX_TIMEOUT_MS, type RefportTrack } from 'refport'
import { DEFAULT_LEAD_TIMEOUT_MS } from './lead-deadline'
import { createSignUpHook, type HookLogger, type RefportHookContext, type RefportUser } from './sign-up-hook'

export type { RefportHookContext, RefportUser } from './sign-up-hook'

/**
 * Id of the plugin, shared by the server plugin and the client plugin.
 *
 * @example
 * ```ts
 * const ctx = await auth.$context
 * if (ctx.hasPlugin(REFPORT_PLUGIN_ID)) console.log('referral tracking is on')
 * ```
 */
export const REFPORT_PLUGIN_ID = 'refport'

/** Every option of {@link refportPlugin}, each optional; {@link RefportPluginOptions} says which one is required. */
interface RefportPluginSettings {
  /**
   * Your Refport server SDK instance: `new Refport({ apiKey })` from `refport`.
   * Required unless `customLeadTrack` is given; only its `track.lead` is used.
   */
  refport?: { track: Pick<RefportTrack, 'lead'> }
  /** Event name sent to `track.lead`. Default `'Sign Up'`. */
  eventName?: string
  /** Cookie that holds the click ID. Default `'refp_id'`, the name the tracker writes. */
  cookieName?: string
  /**
   * The `domain` / `path` you gave the browser tracker in `cookieOptions`, if any. The
   * cookie is always expired at `Path=/`, host-only and on every parent domain of the
   * request's host, so `path` is needed only when it is custom. `domain` (your registrable
   * domain when the tracker has none) matters for sign-ups in Next.js Server Actions, where
   * `nextCookies()` passes only one `Set-Cookie` per name: that variant is sent last so it
   * is the one that gets through (README, "Next.js Server Actions").
   */
  cookieOptions?: { domain?: string; path?: string }
  /**
   * How long a sign-up response may wait for the `track.lead` call, in ms (1 to
   * 2 147 483 647). Default 3000. Better Auth awaits tracking unless
   * `advanced.backgroundTasks` is set, and the SDK's own bound (`timeoutMs` per attempt,
   * `maxRetries`) is about 31 s with its defaults: longer than API Gateway's 29 s, so a
   * hanging API would fail the sign-up. When the deadline passes, the call is aborted
   * (retries included), an error is logged, and the sign-up completes without the lead.
   *
   * It does not apply when tracking runs after the response (`advanced.backgroundTasks`):
   * nobody waits there, and the SDK's `timeoutMs` / `maxRetries` bound the call. It does not
   * apply to `customLeadTrack` either: bound your own calls (pass
   * `{ signal: AbortSignal.timeout(3000) }` to `track.lead`).
   */
  leadTimeoutMs?: number
  /**
   * Replaces the default `track.lead` call. Called after every user creation that has a
   * request context, with the new user and Better Auth's endpoint context (read the
   * cookie with `ctx.getCookie(name)`). What it throws is logged, never rethrown. The
   * plugin still expires the click-ID cookie when the request carried a valid one.
   * The sign-up waits for it (unless `advanced.backgroundTasks` is set) and
   * `leadTimeoutMs` does not cut it short, so give your own calls a deadline.
   */
  customLeadTrack?: (user: RefportUser, ctx: RefportHookContext) => Promise<void>
  /**
   * Also expire the cookie for the host named by the first `X-Forwarded-Host`. Any client
   * can send that header, so it is read only when a proxy you run sets it and overwrites
   * what the client sent. Default: Better Auth's own `advanced.trustedProxyHeaders` (off
   * unless you turned it on), so the plugin trusts the same headers as the rest of your auth.
   */
  trustProxy?: boolean
}

/**
 * Options of {@link refportPlugin}: `refport`, or `customLeadTrack` to replace the default
 * `track.lead` call (then `refport` may be left out), and the optional settings.
 *
 * @example
 * ```ts
 * const options: RefportPluginOptions = {
 *   refport: new Refport({ apiKey: process.env.REFPORT_API_KEY! }),
 *   eventName: 'Account Created',
 *   cookieOptions: { path: '/app' }, // the tracker was initialised with cookieOptions.path '/app'
 *   leadTimeoutMs: 5000, // the Refport API is far away: let a sign-up wait up to 5 s for the lead
 * }
 * betterAuth({ plugins: [refportPlugin(options)] })
 * ```
 */
export type RefportPluginOptions = RefportPluginSettings &
  (
    | { refport: NonNullable<RefportPluginSettings['refport']> }
    | { customLeadTrack: NonNullable<RefportPluginSettings['customLeadTrack']> }
  )

/**
 * Creates the Better Auth plugin. After Better Auth inserts a user, it reads the click ID
 * from the `refp_id` cookie of the sign-up request; when there is a valid one it calls
 * `refport.track.lead` with the user's id, email, name and avatar and adds `Set-Cookie`
 * headers that expire the cookie on every Domain/Path the tracker may have used.
 *
 * Tracking never breaks sign-up: every error is logged with Better Auth's logger. When
 * Better Auth has `advanced.backgroundTasks.handler`, tracking runs after the response;
 * otherwise the response waits for it, at most `leadTimeoutMs` (default 3000 ms).
 *
 * @throws TypeError at setup, for a missing `refport` (without `customLeadTrack`), an empty
 * `eventName`, an invalid `cookieName` / `cookieOptions` or a `leadTimeoutMs` that is not
 * 1 to 2 147 483 647 ms.
 *
 * @example
 * ```ts
 * import { refportPlugin } from '@refport/better-auth'
 * import { betterAuth } from 'better-auth'
 * import { Refport } from 'refport'
 *
 * const refport = new Refport({ apiKey: process.env.REFPORT_API_KEY! })
 *
 * export const auth = betterAuth({
 *   emailAndPassword: { enabled: true },
 *   plugins: [refportPlugin({ refport })],
 * })
 * ```
 */
export function refportPlugin(options: RefportPluginOptions) {
  const {
    refport,
    eventName = 'Sign Up',
    cookieName = CLICK_ID_COOKIE,
    cookieOptions = {},
    leadTimeoutMs = DEFAULT_LEAD_TIMEOUT_MS,
    customLeadTrack,
    trustProxy,
  } = options ?? ({} as RefportPluginSettings)
  validateOptions(refport, eventName, cookieName, cookieOptions, customLeadTrack)
  validateLeadTimeout(leadTimeoutMs)
  if (trustProxy !== undefined && typeof trustProxy !== 'boolean')
    throw new TypeError(
      'refport: trustProxy must be true or false (leave it out to follow advanced.trustedProxyHeaders)',
    )

  let initLogger: HookLogger | undefined
  const afterUserCreated = createSignUpHook(
    {
      refport,
      eventName,
      cookie: { name: cookieName, path: cookieOptions.path, domain: cookieOptions.domain },
      leadTimeoutMs,
      customLeadTrack,
      trustProxy,
    },
    () => initLogger ?? console,
  )

  return {
    id: REFPORT_PLUGIN_ID,
    // Plugins contribute database hooks through `init` (Better Auth's plugin type has no
    // `databaseHooks` field); Better Auth runs them beside the app's own hooks.
    init(authContext) {
      initLogger = authContext.logger
      return { options: { databaseHooks: { user: { create: { after: afterUserCreated } } } } }
    },
  } satisfies BetterAuthPlugin
}

/** Setup mistakes fail loudly at startup instead of silently never tracking. */
function validateOptions(
  refport: RefportPluginSettings['refport'],
  eventName: unknown,
  cookieName: unknown,
  cookieOptions: NonNullable<RefportPluginSettings['cookieOptions']>,
  customLeadTrack: unknown,
): void {
  if (customLeadTrack !== undefined && typeof customLeadTrack !== 'function')
    throw new TypeError('refport: customLeadTrack must be an async function (user, ctx) => { … }')
  if (!customLeadTrack && typeof refport?.track?.lead !== 'function')
    throw new TypeError(
      'refport: refportPlugin needs your Refport instance — pass refportPlugin({ refport: new Refport({ apiKey }) })',
    )
  if (typeof eventName !== 'string' || !eventName.trim())
    throw new TypeError('refport: eventName must be a non-empty string such as "Sign Up"')
  if (typeof cookieName !== 'string') throw new TypeError('refport: cookieName must be a string such as "refp_id"')
  // The contract's serializer checks the name, Path and Domain exactly as they will be
  // written when the cookie is expired; one check per option so the message names it.
  const checks: [string, unknown, () => string][] = [
    ['cookieName', cookieName, () => serializeClickIdCookie('', { expiresInDays: 0 }, cookieName)],
    [
      'cookieOptions.path',
      cookieOptions.path,
      () => serializeClickIdCookie('', { path: cookieOptions.path, expiresInDays: 0 }),
    ],
    [
      'cookieOptions.domain',
      cookieOptions.domain,
      () => serializeClickIdCookie('', { domain: cookieOptions.domain, expiresInDays: 0 }),
    ],
  ]
  for (const [option, value, check] of checks) {
    try {
      check()
    } catch {
      throw new TypeError(
        `refport: invalid ${option} ${JSON.stringify(value)} in refportPlugin options — use the same value you gave the browser tracker`,
      )
    }
  }
}

/**
 * A deadline the timer cannot hold would misfire: `setTimeout` turns NaN, a negative or an
 * over-long delay into about 1 ms, so every lead would be given up at once. The bound is
 * the SDK's own (`timeoutMs` meets the same timer limit).
 */
function validateLeadTimeout(leadTimeoutMs: unknown): void {
  if (typeof leadTimeoutMs === 'number' && leadTimeoutMs >= 1 && leadTimeoutMs <= MAX_TIMEOUT_MS) return
  const shown = typeof leadTimeoutMs === 'string' ? JSON.stringify(leadTimeoutMs) : String(leadTimeoutMs)
  throw new TypeError(
    `refport: invalid leadTimeoutMs ${shown} in refportPlugin options — use a number of ms from 1 to ${MAX_TIMEOUT_MS}, ` +
      `or leave it out for the default ${DEFAULT_LEAD_TIMEOUT_MS}`,
  )
}
