/**
 * The `databaseHooks.user.create.after` hook: from "a user row was inserted" to "the lead
 * is recorded and the cookie expired", without ever failing the sign-up.
 */
import type { BetterAuthOptions } from 'better-auth'
import { getClickIdFromCookie, type RefportTrack } from 'refport'
import { appendSetCookies, clearingSetCookies, type ClickIdCookieLocation } from './clear-cookie'
import { LeadDeadlineError, withDeadline } from './lead-deadline'
import { requestHeader } from './request'

type UserCreateAfterHook = NonNullable<
  NonNullable<NonNullable<NonNullable<BetterAuthOptions['databaseHooks']>['user']>['create']>['after']
>

/**
 * The user Better Auth just inserted (its `User` plus any additional fields), as
 * `customLeadTrack` receives it.
 *
 * @example
 * ```ts
 * const customLeadTrack = async (user: RefportUser) => console.log(user.id, user.email, user.image)
 * ```
 */
export type RefportUser = Parameters<UserCreateAfterHook>[0]

/**
 * Better Auth's endpoint context for the request that created the user: `getCookie`,
 * `getHeader`, `headers`, `request`, `path`, `context` (with `logger`, `baseURL`, …).
 *
 * @example
 * ```ts
 * const customLeadTrack = async (user: RefportUser, ctx: RefportHookContext) => {
 *   const clickId = getClickIdFromCookie(ctx.getHeader('cookie'))
 *   if (clickId) ctx.context.logger.info(`user ${user.id} came from click ${clickId}`)
 * }
 * ```
 */
export type RefportHookContext = NonNullable<Parameters<UserCreateAfterHook>[1]>

/** What the hook needs, with every default applied. */
export interface SignUpHookSettings {
  refport: { track: Pick<RefportTrack, 'lead'> } | undefined
  eventName: string
  cookie: ClickIdCookieLocation
  /** Deadline of the default `track.lead` call while the response waits for it. */
  leadTimeoutMs: number
  customLeadTrack: ((user: RefportUser, ctx: RefportHookContext) => Promise<void>) | undefined
  /** Read `X-Forwarded-Host`; `undefined` follows Better Auth's `advanced.trustedProxyHeaders`. */
  trustProxy: boolean | undefined
}

/** Log calls the hook makes; Better Auth's internal logger has them all. */
export interface HookLogger {
  error(message: string, ...args: unknown[]): void
  debug(message: string, ...args: unknown[]): void
}

/** The plugin's `trustProxy`, else the app's own choice for Better Auth (off by default). */
function trustsProxy(settings: SignUpHookSettings, ctx: RefportHookContext): boolean {
  return settings.trustProxy ?? ctx.context?.options?.advanced?.trustedProxyHeaders === true
}

/**
 * Builds the hook. `fallbackLogger` is used when a context carries no logger of its own
 * (it never happens with Better Auth 1.7, whose contexts always carry `context.logger`).
 */
export function createSignUpHook(settings: SignUpHookSettings, fallbackLogger: () => HookLogger) {
  return async function refportSignUpHook(user: RefportUser, ctx: RefportHookContext | null): Promise<void> {
    // No endpoint context: the user was created outside a request (a seed script, a job
    // calling the internal adapter). There is no browser, so no cookie and nothing to clear.
    if (!ctx) return
    const logger: HookLogger = ctx.context?.logger ?? fallbackLogger()
    try {
      if (!isVisitorsOwnAccount(user, ctx)) return
      const clickId = getClickIdFromCookie(requestHeader(ctx, 'cookie'), settings.cookie.name)
      // customLeadTrack decides for itself what to do without a cookie; the default does nothing.
      if (!clickId && !settings.customLeadTrack) return
      // Expire the cookie before tracking starts, whatever tracking's outcome (see README,
      // "When tracking fails"): the headers must be on the response before it is sent, and
      // tracking may still be running then.
      if (clickId) appendSetCookies(ctx, clearingSetCookies(ctx, settings.cookie, trustsProxy(settings, ctx)))
      // The deadline is for a response that waits: after the response nobody waits, and
      // cutting the call short there would only lose leads the SDK's retries could save.
      const deadlineMs = tracksAfterResponse(ctx) ? undefined : settings.leadTimeoutMs
      const tracking = settings.customLeadTrack
        ? runCustomLeadTrack(settings.customLeadTrack, user, ctx, logger)
        : trackLead(settings, user, clickId as string, logger, deadlineMs)
      await afterResponseIfPossible(ctx, tracking)
    } catch (error) {
      // Only a bug can land here (tracking catches its own errors); still, never fail sign-up.
      logger.error(`refport: the sign-up hook failed for user ${user.id}; the sign-up went on.`, error)
    }
  }
}

/**
 * Whether the new user is the person in the browser that sent the request, signing up.
 *
 * - A user created while someone else is signed in (the admin plugin's `createUser`: its
 *   middleware loads the admin's session into `ctx.context.session`) is not: the cookie in
 *   that request is the admin's own referral, not the new user's.
 * - An anonymous user (the anonymous plugin) is not a sign-up yet. Leaving the cookie in
 *   place lets the real sign-up, when the visitor links an email or a social account,
 *   carry the referral.
 */
function isVisitorsOwnAccount(user: RefportUser, ctx: RefportHookContext): boolean {
  if (user.isAnonymous === true) return false
  const signedInUserId = (ctx.context as { session?: { user?: { id?: unknown } } | null } | undefined)?.session?.user
    ?.id
  return !signedInUserId || signedInUserId === user.id
}

/**
 * Hands the tracking promise to Better Auth's `runInBackgroundOrAwait`: with
 * `advanced.backgroundTasks.handler` configured (`waitUntil` on Vercel or Cloudflare, or
 * a plain fire-and-forget handler on a long-lived Node server) the promise runs after the
 * response; without it, Better Auth awaits it, so a serverless platform that freezes the
 * function once the response is out cannot drop the lead (the default tracking then has
 * `leadTimeoutMs` to finish). Older Better Auth versions without the method await it too.
 */
async function afterResponseIfPossible(ctx: RefportHookContext, tracking: Promise<void>): Promise<void> {
  const authContext = ctx.context as { runInBackgroundOrAwait?: (promise: Promise<unknown>) => unknown } | undefined
  if (typeof authContext?.runInBackgroundOrAwait === 'function') await authContext.runInBackgroundOrAwait(tracking)
  else await tracking
}

/**
 * Whether {@link afterResponseIfPossible} hands tracking to `advanced.backgroundTasks.handler`
 * instead of awaiting it: the test Better Auth 1.7's `runInBackgroundOrAwait` makes. Should a
 * later version move the option, this answers false, so the deadline applies in the
 * background too: a bounded wait, never an unbounded one.
 */
function tracksAfterResponse(ctx: RefportHookContext): boolean {
  const authContext = ctx.context as
    | { runInBackgroundOrAwait?: unknown; options?: { advanced?: { backgroundTasks?: { handler?: unknown } } } }
    | undefined
  return (
    typeof authContext?.runInBackgroundOrAwait === 'function' &&
    !!authContext.options?.advanced?.backgroundTasks?.handler
  )
}

/**
 * The default tracking: one `track.lead` call, given up after `deadlineMs` when that is
 * set (the SDK then aborts the request and its retries). Resolves in every case.
 */
async function trackLead(
  settings: SignUpHookSettings,
  user: RefportUser,
  clickId: string,
  logger: HookLogger,
  deadlineMs: number | undefined,
): Promise<void> {
  const lead = {
    clickId,
    eventName: settings.eventName,
    customerExternalId: user.id,
    ...optional('customerEmail', user.email),
    ...optional('customerName', user.name),
    ...optional('customerAvatar', user.image),
  }
  const track = settings.refport!.track
  try {
    const { duplicate } =
      deadlineMs === undefined
        ? await track.lead(lead)
        : await withDeadline(deadlineMs, (signal) => track.lead(lead, { signal }))
    logger.debug(
      `refport: "${settings.eventName}" lead of user ${user.id} ${duplicate ? 'was already recorded (duplicate)' : 'recorded'} for click ${clickId}`,
    )
  } catch (error) {
    if (error instanceof LeadDeadlineError) {
      logger.error(
        `refport: the Refport API did not answer the "${settings.eventName}" lead of user ${user.id} for click ${clickId} ` +
          `within leadTimeoutMs (${error.timeoutMs} ms), so the sign-up went on without it and the lead may not be recorded. ` +
          'To credit it, call refport.track.lead with these values (a repeat is safe: Refport answers duplicate: true). ' +
          'If the API is often this slow, raise leadTimeoutMs in refportPlugin options, or set advanced.backgroundTasks ' +
          'in betterAuth() so tracking runs after the response, where this deadline does not apply.',
        error,
      )
      return
    }
    logger.error(
      `refport: could not record the "${settings.eventName}" lead of user ${user.id} for click ${clickId}; ` +
        'the sign-up went on. To credit it, call refport.track.lead with these values once the cause below is fixed.',
      error,
    )
  }
}

/** Runs the user's `customLeadTrack`, turning a throw (sync or async) into a log line. */
async function runCustomLeadTrack(
  customLeadTrack: NonNullable<SignUpHookSettings['customLeadTrack']>,
  user: RefportUser,
  ctx: RefportHookContext,
  logger: HookLogger,
): Promise<void> {
  try {
    await customLeadTrack(user, ctx)
  } catch (error) {
    logger.error(`refport: customLeadTrack threw for user ${user.id}; the sign-up went on.`, error)
  }
}

/**
 * `{ [key]: value }` for a non-empty string, else `{}`. Better Auth stores "no value" as
 * `null`, `undefined` or `''` (a sign-up with an empty name); the API wants such a field
 * left out rather than sent empty.
 */
function optional<K extends string>(key: K, value: unknown): { [P in K]?: string } {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as { [P in K]: string }) : {}
}
