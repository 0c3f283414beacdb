/**
 * The API error code that goes with an HTTP status, for answers whose body carries none
 * (a proxy's HTML 502) and for the mock's injected faults. One table, so the SDK and the
 * mock name a status the same way.
 */
import type { ApiErrorCode } from '@refport/contract'

const CODES: Record<number, ApiErrorCode> = {
  400: 'invalid_request',
  401: 'unauthorized',
  403: 'unauthorized',
  404: 'not_found',
  422: 'invalid_request',
  429: 'rate_limited',
}

/** `401` → `unauthorized`, `503` → `internal_error`, `409` → `http_409`. */
export function codeForStatus(status: number): string {
  return CODES[status] ?? (status >= 500 ? 'internal_error' : `http_${status}`)
}
