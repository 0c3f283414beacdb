/**
 * Cookie settings of the tracker. All optional.
 *
 * @example
 * ```ts
 * init({ publishableKey: 'pk_live_123', cookieOptions: { domain: 'acme.com', expiresInDays: 60 } })
 * ```
 */
export interface RefportCookieOptions {
  /**
   * `Domain` of the `refp_id` cookie. Default: the registrable domain, found by probing
   * which parent domain the browser accepts, so `www.acme.com` and `app.acme.com` share
   * the cookie. Host-only on `localhost` and IP addresses.
   */
  domain?: string
  /** Lifetime in days. Default `90`; browsers cap it at 400; anything but a positive number means the default. */
  expiresInDays?: number
  /** `Path` of the cookie. Default `/`. It must include the landing page, or the tracker cannot read back what it stored. */
  path?: string
}

/**
 * Options of `init()`, the props of `<RefportTracker />` and (as `data-*` attributes) the
 * script tag's configuration.
 *
 * @example
 * ```ts
 * const options: RefportTrackerOptions = {
 *   publishableKey: 'pk_live_123',
 *   apiHost: '/_refport',
 *   outboundDomains: ['app.acme.io'],
 *   consent: 'pending',
 * }
 * init(options)
 * ```
 */
export interface RefportTrackerOptions {
  /** Your publishable key (`pk_...`). Needed to register `?via=` clicks; `?refp_id=` works without. */
  publishableKey?: string
  /**
   * Origin or path the click request goes to. Default `https://api.refport.io`. A
   * first-party reverse-proxy path such as `/_refport` keeps ad blockers out of the way.
   */
  apiHost?: string
  /** Landing parameters that carry a partner key, first non-empty wins. Default `['via']`. */
  queryParams?: string[]
  /** `'last-click'` (default) replaces an earlier click ID; `'first-click'` keeps it. */
  attributionModel?: 'last-click' | 'first-click'
  /** Cookie settings. */
  cookieOptions?: RefportCookieOptions
  /** `'pending'`: write and send nothing until {@link grantConsent}. Default `'granted'`. */
  consent?: 'pending' | 'granted'
  /**
   * Other hosts of yours (`'app.acme.io'`, or `'*.acme.dev'` for any subdomain, not the
   * apex) whose links and forms should carry the click ID as `?refp_id=`, for attribution
   * across domains. Write them in lowercase: they are compared with `URL.hostname`, which
   * browsers always lowercase.
   */
  outboundDomains?: string[]
  /**
   * What to remove from the address bar once the click ID is stored: `'click-id'`
   * (default: `refp_id`, so a shared URL does not carry this visitor's click), `'all'`
   * (also the `queryParams`), or `'none'`.
   */
  urlCleanup?: 'click-id' | 'all' | 'none'
  /**
   * Milliseconds to wait for the click API. Default `8000`: slow mobile networks are where
   * clicks get lost. The cookie does not wait for it: a click not answered in time stays
   * pending and is sent again, with the same ID, from a later page view.
   */
  timeoutMs?: number
  /**
   * Hand the click ID to Stripe: `client_reference_id` on Payment Links (`buy.stripe.com`)
   * and `client-reference-id` on `<stripe-pricing-table>` / `<stripe-buy-button>`, so a
   * purchase made without a sign-up is still credited. A value the site set is kept.
   * Default `true`; `false` (script tag: `data-stripe="off"`) turns it off.
   */
  stripe?: boolean
  /**
   * Log every decision to the console. Default `false`: the tracker is otherwise silent.
   * Only the debug build logs (`refport-js/script/debug`, `dist/refport.debug.js`): the
   * messages are compiled out of the normal builds to keep them small.
   */
  debug?: boolean
}

/**
 * The browser tracker's options under their former name, which the server SDK's client
 * options also had (`refport` exports those as `RefportClientOptions`).
 *
 * @deprecated Use {@link RefportTrackerOptions}, the same type. This alias is kept for one
 * release.
 *
 * @example
 * ```ts
 * const options: RefportTrackerOptions = { publishableKey: 'pk_live_123' } // was: RefportOptions
 * ```
 */
export type RefportOptions = RefportTrackerOptions
