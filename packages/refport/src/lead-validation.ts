/**
 * The rules a lead must meet, shared by the SDK (which checks before sending, so a bad
 * call fails fast with the field's name and costs no request) and the mock API (which
 * answers `422` naming the same field). One copy, so the two can never disagree.
 */
import { isClickId, type LeadRequest } from '@refport/contract'
import { MAX_TEXT_LENGTH, absent, isPlainObject, isText, metadataProblem } from './field-rules'

/** Longest `customerEmail` (RFC 5321 §4.5.3.1: 64 + 1 + 255). */
const MAX_EMAIL_LENGTH = 320
/** Longest `customerAvatar` URL. */
const MAX_URL_LENGTH = 2048

/** Result of {@link validateLeadRequest}. */
export type LeadValidation = { ok: true; lead: LeadRequest } | { ok: false; field: string; message: string }

const fail = (field: string, message: string): LeadValidation => ({ ok: false, field, message })

/**
 * Checks a lead and returns it normalised: optional fields given as `null` or blank are dropped,
 * unknown fields are dropped, nothing else is changed.
 */
export function validateLeadRequest(input: unknown): LeadValidation {
  if (!isPlainObject(input)) return fail('body', 'the lead must be a JSON object')
  const { clickId, eventName, customerExternalId, customerEmail, customerName, customerAvatar, metadata } = input

  if (!isClickId(clickId))
    return fail('clickId', 'clickId must be 1–128 characters of A–Z a–z 0–9 _ - (read it with getClickIdFromRequest)')
  if (!isText(eventName, MAX_TEXT_LENGTH))
    return fail(
      'eventName',
      `eventName must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters, e.g. 'Sign Up'`,
    )
  if (!isText(customerExternalId, MAX_TEXT_LENGTH))
    return fail(
      'customerExternalId',
      `customerExternalId must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters (convert numeric IDs with String(id))`,
    )

  const lead: LeadRequest = { clickId, eventName, customerExternalId }

  if (!absent(customerEmail)) {
    // Deliberately loose: one `@` with something on each side and no whitespace. Address
    // syntax (RFC 5322) is the auth provider's job; this only catches swapped fields.
    if (
      typeof customerEmail !== 'string' ||
      customerEmail.length > MAX_EMAIL_LENGTH ||
      !/^[^@\s]+@[^@\s]+$/.test(customerEmail)
    )
      return fail('customerEmail', 'customerEmail must be an email address such as jane@acme.com')
    lead.customerEmail = customerEmail
  }
  if (!absent(customerName)) {
    if (typeof customerName !== 'string' || customerName.length > MAX_TEXT_LENGTH)
      return fail('customerName', `customerName must be a string of at most ${MAX_TEXT_LENGTH} characters`)
    lead.customerName = customerName
  }
  if (!absent(customerAvatar)) {
    if (
      typeof customerAvatar !== 'string' ||
      customerAvatar.length > MAX_URL_LENGTH ||
      !/^https?:\/\/[^\s]+$/i.test(customerAvatar)
    )
      return fail('customerAvatar', 'customerAvatar must be an http(s) URL')
    lead.customerAvatar = customerAvatar
  }
  if (metadata != null) {
    const problem = metadataProblem(metadata)
    if (problem) return fail('metadata', problem)
    lead.metadata = metadata as Record<string, unknown>
  }
  return { ok: true, lead }
}
