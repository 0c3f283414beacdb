/** The visitor's decision on this page: `undefined` until `grantConsent()` / `revokeConsent()` is called. */
let decision: boolean | undefined

/** Records the visitor's decision; it outranks the `consent` option. */
export const decideConsent = (granted: boolean): void => {
  decision = granted
}

/**
 * True when the tracker may write and send: the visitor granted consent, or the site
 * did not ask to wait for it (`consent: 'pending'`) and the visitor did not revoke it.
 */
export const hasConsent = (waitForConsent: boolean): boolean => decision ?? !waitForConsent
