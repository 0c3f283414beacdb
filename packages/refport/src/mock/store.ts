/**
 * What the mock API remembers: minted clicks, recorded leads with the 7-day dedupe, and
 * answers already given per `Idempotency-Key`. No HTTP here, so the rules read on their own.
 */
import { createHash, randomBytes } from 'node:crypto'
import { LEAD_DEDUPE_WINDOW_MS, type LeadRequest, type LeadResponse, type RecordedLead } from '@refport/contract'

/**
 * A click the mock minted on `POST /track/click`.
 *
 * @example
 * ```ts
 * const [click]: MockClick[] = mock.state().clicks
 * expect(click).toMatchObject({ key: 'jane', url: 'https://www.acme.com/?via=jane' })
 * ```
 */
export interface MockClick {
  clickId: string
  /** Partner key (`jane` from `?via=jane`). */
  key: string
  /** Landing URL the tracker sent. */
  url: string
  /** `document.referrer` the tracker sent ('' when none). */
  referrer: string
  /** `Origin` header of the request, or `null` when it had none. */
  origin: string | null
  /** ISO 8601 time of the click, from the mock's clock. */
  createdAt: string
}

/**
 * Everything the mock has recorded, as served by `GET /__mock/state`.
 *
 * @example
 * ```ts
 * const state: MockState = mock.state()
 * expect(state.preflights).toBe(0) // the tracker's click is a CORS simple request
 * expect(state.leads[0]).toMatchObject({ clickId: state.clicks[0]!.clickId, eventName: 'Sign Up' })
 * ```
 */
export interface MockState {
  clicks: MockClick[]
  /** Leads actually recorded: duplicates and idempotent replays add nothing. */
  leads: RecordedLead[]
  /** CORS preflights (`OPTIONS`) received: the tracker's click must cost none. */
  preflights: number
}

/** 16 random bytes in base64url: 22 characters of the click-ID alphabet `A–Z a–z 0–9 _ -`. */
const randomId = (prefix: string) => prefix + randomBytes(16).toString('base64url')

/** Most idempotency keys the mock remembers (each answer holds one validated lead, at most about 13 KB). */
export const MAX_IDEMPOTENCY_KEYS = 1000

/** SHA-256 of a request body: enough to tell "same request" from "another body", in 43 bytes. */
const digest = (body: string) => createHash('sha256').update(body).digest('base64url')

export class MockStore {
  private clicks: MockClick[] = []
  private leads: RecordedLead[] = []
  private preflights = 0
  /** Idempotency keys answered, oldest first: a digest of the body, never the body itself. */
  private readonly answered = new Map<string, { body: string; response: LeadResponse }>()

  constructor(private readonly now: () => number) {}

  snapshot(): MockState {
    return structuredClone({ clicks: this.clicks, leads: this.leads, preflights: this.preflights })
  }

  reset(): void {
    this.clicks = []
    this.leads = []
    this.preflights = 0
    this.answered.clear()
  }

  countPreflight(): void {
    this.preflights++
  }

  addClick(click: Omit<MockClick, 'clickId' | 'createdAt'>): MockClick {
    const recorded = { clickId: randomId('cl_'), ...click, createdAt: new Date(this.now()).toISOString() }
    this.clicks.push(recorded)
    return structuredClone(recorded)
  }

  findClick(clickId: string): MockClick | undefined {
    return this.clicks.find((click) => click.clickId === clickId)
  }

  /**
   * Records a lead unless the same `customerExternalId` + `eventName` was recorded within
   * the dedupe window; then the earlier lead is returned with `duplicate: true`.
   */
  addLead(lead: LeadRequest, click: MockClick): LeadResponse {
    const now = this.now()
    const earlier = this.leads.find(
      (recorded) =>
        recorded.customerExternalId === lead.customerExternalId &&
        recorded.eventName === lead.eventName &&
        now - Date.parse(recorded.createdAt) < LEAD_DEDUPE_WINDOW_MS,
    )
    if (earlier) return { lead: structuredClone(earlier), duplicate: true }
    const recorded: RecordedLead = {
      id: randomId('lead_'),
      ...lead,
      partner: { key: click.key },
      createdAt: new Date(now).toISOString(),
    }
    this.leads.push(recorded)
    return { lead: structuredClone(recorded), duplicate: false }
  }

  /**
   * The answer already given for `key`: `'conflict'` when the key came with another body
   * (a client bug: one key must mean one request), `undefined` when the key is new.
   */
  answeredFor(key: string, body: string): LeadResponse | 'conflict' | undefined {
    const previous = this.answered.get(key)
    if (!previous) return undefined
    return previous.body === digest(body) ? structuredClone(previous.response) : 'conflict'
  }

  /**
   * Keeps the answer for `key`, forgetting the oldest beyond {@link MAX_IDEMPOTENCY_KEYS}
   * keys: a client's retries come within seconds, and a test tool must not grow without bound.
   */
  remember(key: string, body: string, response: LeadResponse): void {
    this.answered.delete(key)
    this.answered.set(key, { body: digest(body), response: structuredClone(response) })
    for (const oldest of this.answered.keys()) {
      if (this.answered.size <= MAX_IDEMPOTENCY_KEYS) break
      this.answered.delete(oldest)
    }
  }

  /** Idempotency keys remembered now (for tests of the cap). */
  get idempotencyKeys(): number {
    return this.answered.size
  }
}
