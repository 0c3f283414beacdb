/**
 * Registering a landing's click server to server, without holding the page: the request
 * starts at once, the page waits for its answer only up to a small bound, and a click the
 * API has not answered by then keeps going in the background.
 */
import { isClickId, toPagePartner, type PagePartner, type ServerClickRequest } from '@refport/contract'

/** What became of a click within the wait. */
export type ClickOutcome =
  /**
   * The API registered it, under `clickId` (the one sent, or one an older API minted);
   * `partner` is the answer's partner and discount when valid (`null` otherwise).
   */
  | { kind: 'registered'; clickId: string; partner: PagePartner | null }
  /** Refused for good (`404` unknown partner, `409` ID used for another partner, other 4xx but 408/429): set no cookie. */
  | { kind: 'rejected'; status: number }
  /** No answer yet, a network error, `5xx`, `408` or `429`: the cookie is set, the click may still land. */
  | { kind: 'unconfirmed' }

/** A click on its way, as {@link sendServerClick} returns it. */
export interface ClickInFlight {
  /** Settles with the outcome within `waitMs` (`unconfirmed` when the API is slower). Never rejects. */
  withinWait: Promise<ClickOutcome>
  /** Settles when the request is over, answered or given up after `timeoutMs`. Never rejects. */
  done: Promise<void>
}

/** Inputs of {@link sendServerClick}. */
export interface SendServerClick {
  url: string
  apiKey: string
  click: ServerClickRequest
  fetch: typeof fetch
  /** How long the page may wait for the answer. */
  waitMs: number
  /** How long the request itself may take before it is abandoned. */
  timeoutMs: number
}

/** Starts the click request; see {@link ClickInFlight}. */
export function sendServerClick({
  url,
  apiKey,
  click,
  fetch: fetchFn,
  waitMs,
  timeoutMs,
}: SendServerClick): ClickInFlight {
  const request = post(fetchFn, url, apiKey, click, timeoutMs)
  let timer: ReturnType<typeof setTimeout> | undefined
  const waited = new Promise<ClickOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'unconfirmed' }), waitMs)
  })
  const withinWait = Promise.race([request, waited]).finally(() => clearTimeout(timer))
  return { withinWait, done: request.then(() => undefined) }
}

async function post(
  fetchFn: typeof fetch,
  url: string,
  apiKey: string,
  click: ServerClickRequest,
  timeoutMs: number,
): Promise<ClickOutcome> {
  const abort = new AbortController()
  const timer = setTimeout(() => abort.abort(), timeoutMs)
  try {
    const answer = await fetchFn(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(click),
      signal: abort.signal,
    })
    if (answer.ok) {
      const body = (await answer.json().catch(() => null)) as {
        clickId?: unknown
        partner?: unknown
        discount?: unknown
      } | null
      // An answer naming another valid ID (an API that mints its own) is adopted, as the
      // tracker does; anything else keeps the ID already sent.
      return {
        kind: 'registered',
        clickId: isClickId(body?.clickId) ? body.clickId : click.clickId,
        partner: toPagePartner(body?.partner, body?.discount),
      }
    }
    await answer.body?.cancel().catch(() => {})
    const retryable = answer.status >= 500 || answer.status === 408 || answer.status === 429
    return retryable ? { kind: 'unconfirmed' } : { kind: 'rejected', status: answer.status }
  } catch {
    return { kind: 'unconfirmed' }
  } finally {
    clearTimeout(timer)
  }
}
