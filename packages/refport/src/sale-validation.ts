/**
 * The rules a sale must meet, shared by the SDK (which checks before sending) and the mock
 * API (which answers `422` naming the same field), like the lead rules beside it.
 */
import { PAYMENT_PROCESSORS, isClickId, type PaymentProcessor, type SaleRequest } from '@refport/contract'
import { MAX_TEXT_LENGTH, absent, isPlainObject, isText, metadataProblem } from './field-rules'

/** Result of {@link validateSaleRequest}. */
export type SaleValidation = { ok: true; sale: SaleRequest } | { ok: false; field: string; message: string }

const fail = (field: string, message: string): SaleValidation => ({ ok: false, field, message })

/** ISO 4217 alphabetic codes are three letters; the wire carries them lowercase. */
const CURRENCY = /^[a-z]{3}$/i

/** The optional text fields, in the order they are checked. */
const OPTIONAL_TEXT = ['eventName', 'invoiceId', 'leadEventName'] as const

/**
 * Checks a sale and returns it normalised: `currency` lowercased, optional fields given as
 * `null` or blank dropped (the API then applies its defaults), unknown fields dropped.
 */
export function validateSaleRequest(input: unknown): SaleValidation {
  if (!isPlainObject(input)) return fail('body', 'the sale must be a JSON object')
  const { customerExternalId, amount, currency, paymentProcessor, metadata, clickId } = input

  if (!isText(customerExternalId))
    return fail(
      'customerExternalId',
      `customerExternalId must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters: the one track.lead was given (convert numeric IDs with String(id))`,
    )
  // Minor units are integers by definition; a float here is almost always dollars, not cents.
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0)
    return fail(
      'amount',
      "amount must be a whole number ≥ 0 in the currency's minor unit, e.g. 4900 for $49.00 (Math.round(dollars * 100))",
    )
  if (typeof currency !== 'string' || !CURRENCY.test(currency))
    return fail('currency', "currency must be a three-letter ISO 4217 code such as 'usd' or 'eur'")

  const sale: SaleRequest = { customerExternalId, amount, currency: currency.toLowerCase() }

  for (const field of OPTIONAL_TEXT) {
    const value = input[field]
    if (absent(value)) continue
    if (!isText(value))
      return fail(field, `${field} must be a non-empty string of at most ${MAX_TEXT_LENGTH} characters`)
    sale[field] = value
  }
  if (!absent(paymentProcessor)) {
    if (!PAYMENT_PROCESSORS.includes(paymentProcessor as PaymentProcessor))
      return fail('paymentProcessor', `paymentProcessor must be one of ${PAYMENT_PROCESSORS.join(', ')}`)
    sale.paymentProcessor = paymentProcessor as PaymentProcessor
  }
  if (metadata != null) {
    const problem = metadataProblem(metadata)
    if (problem) return fail('metadata', problem)
    sale.metadata = metadata as Record<string, unknown>
  }
  if (!absent(clickId)) {
    if (!isClickId(clickId))
      return fail(
        'clickId',
        'clickId must be 1–128 characters of A–Z a–z 0–9 _ - (read it with getClickIdFromRequest), or left out',
      )
    sale.clickId = clickId
  }
  return { ok: true, sale }
}
