/**
 * The rules a click body must meet on the mock API, for both senders: the browser tracker
 * (`{ publishableKey, key, clickId?, url, referrer }`) and a site's own server
 * (`Authorization: Bearer`, `{ key, clickId, url, referrer, userAgent, ip }`). Keys are
 * checked by the server, which knows them; this module checks the shape only.
 */
import { MINTED_CLICK_ID_LENGTH, isClickId, isPartnerKey } from '@refport/contract'

/** Who sent a click: the tracker with the publishable key, or a server with the API key. */
export type ClickSource = 'browser' | 'server'

/** A click body that passed {@link validateClickRequest}. */
export interface ValidClick {
  key: string
  /** Absent only for a browser click from a tracker that could not mint one. */
  clickId?: string
  url: string
  referrer: string
  /** Browser clicks: the publishable key to check. */
  publishableKey?: string
  /** Server clicks: the visitor's User-Agent and IP as the site's server saw them. */
  userAgent?: string
  ip?: string
}

/** Result of {@link validateClickRequest}. */
export type ClickValidation = { ok: true; click: ValidClick } | { ok: false; field: string; message: string }

const fail = (field: string, message: string): ClickValidation => ({ ok: false, field, message })

/** Longest `userAgent` and `ip` of a server click, in characters. */
const MAX_HEADER_TEXT_LENGTH = 1024

/**
 * Checks a parsed click body. A client-sent `clickId` must look minted: the format, and
 * at least {@link MINTED_CLICK_ID_LENGTH} characters, because the ID is the only thing
 * that keeps one visitor's click apart from everyone else's and a short one can be guessed.
 */
export function validateClickRequest(input: Record<string, unknown>, source: ClickSource): ClickValidation {
  const { publishableKey, key, clickId, url, referrer, userAgent, ip } = input
  if (source === 'browser' && (typeof publishableKey !== 'string' || !publishableKey))
    return fail('publishableKey', 'publishableKey is required')
  if (!isPartnerKey(key)) return fail('key', 'key must be a partner key of A–Z a–z 0–9 _ -')
  if (clickId === undefined) {
    if (source === 'server')
      return fail(
        'clickId',
        'clickId is required for a server click — mint one with mintClickId() and set it in the cookie first',
      )
  } else if (!isClickId(clickId) || clickId.length < MINTED_CLICK_ID_LENGTH) {
    return fail(
      'clickId',
      `clickId must be ${MINTED_CLICK_ID_LENGTH}–128 characters of A–Z a–z 0–9 _ - from crypto.getRandomValues (mintClickId()), or left out for the API to mint one`,
    )
  }
  if (typeof url !== 'string' || !isAbsoluteUrl(url)) return fail('url', 'url must be the absolute landing URL')
  if (typeof referrer !== 'string') return fail('referrer', "referrer must be a string ('' when there is none)")
  const click: ValidClick = { key, url, referrer }
  if (clickId !== undefined) click.clickId = clickId as string
  if (source === 'browser') {
    click.publishableKey = publishableKey as string
    return { ok: true, click }
  }
  if (typeof userAgent !== 'string' || userAgent.length > MAX_HEADER_TEXT_LENGTH)
    return fail('userAgent', "userAgent must be the visitor's User-Agent header as a string ('' when absent)")
  if (typeof ip !== 'string' || ip.length > MAX_HEADER_TEXT_LENGTH)
    return fail('ip', "ip must be the visitor's IP address as a string ('' when unknown)")
  return { ok: true, click: { ...click, userAgent, ip } }
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value)
    return true
  } catch {
    return false
  }
}
