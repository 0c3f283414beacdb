/**
 * The type of the `window.refport` global the script-tag build defines (`script.ts`).
 * Type only: users bring it onto `Window` with `import type {} from 'refport-js/global'`.
 */
import type { PagePartner } from '@refport/contract'
import type { RefportTrackerOptions } from './options'

/**
 * `window.refport` once `refport.js` has run: the tracker's calls as methods, and the same
 * calls by name (`refport('grantConsent')`), the form the queueing stub records before the
 * script loads. An unknown name is ignored.
 *
 * @example
 * ```ts
 * import type {} from 'refport-js/global'
 * import type { RefportGlobal } from 'refport-js'
 *
 * const tracker: RefportGlobal | undefined = window.refport
 * tracker?.grantConsent()
 * ```
 */
export interface RefportGlobal {
  (method: 'init', options?: RefportTrackerOptions): void
  (method: 'getClickId'): string | null
  (method: 'getPartner'): PagePartner | null
  (method: 'grantConsent' | 'revokeConsent'): void
  /** Starts the tracker with options of its own, replacing the tag's `data-*` configuration. */
  init(options?: RefportTrackerOptions): void
  /** The visitor's click ID from the `refp_id` cookie, or `null`. */
  getClickId(): string | null
  /** The partner who referred this visitor (name, discount), or `null`. */
  getPartner(): PagePartner | null
  /** Gives consent under `data-consent="pending"`: the landing that waited for it is stored. */
  grantConsent(): void
  /** Withdraws consent: deletes the `refp_id` cookie and stores nothing more on this page. */
  revokeConsent(): void
}
