/**
 * What the mock API remembers: registered clicks, recorded leads with the 7-day dedupe,
 * sales, and answers already given per `Idempotency-Key`. No HTTP here, so the rules read
 * on their own.
 */
import { createHash, randomBytes } from 'node:crypto'
import {
  LEAD_DEDUPE_WINDOW_MS,
  type ClickResponse,
  type LeadRequest,
  type LeadResponse,
  type RecordedLead,
  type RecordedSale,
  type SaleRequest,
  type SaleResponse,
} from '@refport/contract'

/**
 * A click the mock registered on `POST /track/click`.
 *
 * @example
 * ```ts
 * const [click]: MockClick[] = mock.state().clicks
 * expect(click).toMatchObject({ key: 'jane', url: 'https://www.acme.com/?via=jane', source: 'browser' })
 * ```
 */
export interface MockClick {
  /** The ID the client minted and sent, or the one the mock minted when none came. */
  clickId: string
  /** Partner key (`jane` from `?via=jane`). */
  key: string
  /** Landing URL the tracker or the middleware sent. */
  url: string
  /** `document.referrer` the tracker sent, or the `Referer` the middleware saw ('' when none). */
  referrer: string
  /** `Origin` header of the request, or `null` when it had none. */
  origin: string | null
  /**
   * `browser`: sent by the tracker with the publishable key. `server`: sent by a site's own
   * server (the landing middleware) with `Authorization: Bearer <apiKey>`.
   */
  source: 'browser' | 'server'
  /** The visitor's User-Agent: the request's own for a browser click, the body's `userAgent` for a server click. */
  userAgent: string
  /** The visitor's IP: the connection's for a browser click, the body's `ip` for a server click. */
  ip: string
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
  /** Sales actually recorded: a repeated `invoiceId` and idempotent replays add nothing. */
  sales: RecordedSale[]
  /** CORS preflights (`OPTIONS`) received: the tracker's click must cost none. */
  preflights: number
}

/** What `Idempotency-Key` replays: the first answer of a lead or a sale. */
export type TrackResponse = LeadResponse | SaleResponse

/** 16 random bytes in base64url: 22 characters of the click-ID alphabet `A–Z a–z 0–9 _ -`. */
const randomId = (prefix: string) => prefix + randomBytes(16).toString('base64url')

/** Most idempotency keys the mock remembers (each answer holds one validated lead, at most about 13 KB). */
export const MAX_IDEMPOTENCY_KEYS = 1000

/** SHA-256 of a request body: enough to tell "same request" from "another body", in 43 bytes. */
const digest = (body: string) => createHash('sha256').update(body).digest('base64url')

export class MockStore {
  private clicks: MockClick[] = []
  /** The answer each click got, so the same click sent again gets the same answer. */
  private readonly clickAnswers = new Map<string, ClickResponse>()
  private leads: RecordedLead[] = []
  private sales: RecordedSale[] = []
  private preflights = 0
  /** Idempotency keys answered, oldest first: a digest of the body, never the body itself. */
  private readonly answered = new Map<string, { body: string; response: TrackResponse }>()

  constructor(private readonly now: () => number) {}

  snapshot(): MockState {
    return structuredClone({ clicks: this.clicks, leads: this.leads, sales: this.sales, preflights: this.preflights })
  }

  reset(): void {
    this.clicks = []
    this.clickAnswers.clear()
    this.leads = []
    this.sales = []
    this.preflights = 0
    this.answered.clear()
  }

  countPreflight(): void {
    this.preflights++
  }

  /**
   * Records a click under `click.clickId`, or under a freshly minted ID when the client sent
   * none, and remembers `answer` (its `clickId` is set here) for {@link clickAnswer}.
   */
  addClick(
    click: Omit<MockClick, 'clickId' | 'createdAt'> & { clickId?: string },
    answer: Omit<ClickResponse, 'clickId'>,
  ): ClickResponse {
    const recorded: MockClick = {
      ...click,
      clickId: click.clickId ?? randomId('cl_'),
      createdAt: new Date(this.now()).toISOString(),
    }
    this.clicks.push(recorded)
    const response: ClickResponse = { clickId: recorded.clickId, ...structuredClone(answer) }
    this.clickAnswers.set(recorded.clickId, response)
    return structuredClone(response)
  }

  findClick(clickId: string): MockClick | undefined {
    return this.clicks.find((click) => click.clickId === clickId)
  }

  /** The answer the click registered under `clickId` got, for a resend of the same click. */
  clickAnswer(clickId: string): ClickResponse | undefined {
    const answer = this.clickAnswers.get(clickId)
    return answer && structuredClone(answer)
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
   * The lead a sale by `customerExternalId` follows: the latest recorded one, or the latest
   * with `eventName` when the sale names its `leadEventName`.
   */
  findCustomerLead(customerExternalId: string, eventName?: string): RecordedLead | undefined {
    for (let i = this.leads.length - 1; i >= 0; i--) {
      const lead = this.leads[i]!
      if (lead.customerExternalId === customerExternalId && (eventName === undefined || lead.eventName === eventName))
        return lead
    }
    return undefined
  }

  /**
   * Records a sale credited to `click`'s partner through `click`, unless a sale with the
   * same `invoiceId` exists (at any time: an invoice is paid once); then that sale is
   * returned with `duplicate: true`.
   */
  addSale(sale: SaleRequest, click: Pick<MockClick, 'clickId' | 'key'>): SaleResponse {
    const earlier = this.findSaleByInvoice(sale.invoiceId)
    if (earlier) return { sale: structuredClone(earlier), duplicate: true }
    const recorded: RecordedSale = {
      id: randomId('sale_'),
      ...sale,
      eventName: sale.eventName ?? 'Purchase',
      paymentProcessor: sale.paymentProcessor ?? 'custom',
      clickId: click.clickId,
      partner: { key: click.key },
      createdAt: new Date(this.now()).toISOString(),
    }
    this.sales.push(recorded)
    return { sale: structuredClone(recorded), duplicate: false }
  }

  /** The sale already recorded for `invoiceId`, if any (none without an `invoiceId`). */
  findSaleByInvoice(invoiceId: string | undefined): RecordedSale | undefined {
    return invoiceId === undefined ? undefined : this.sales.find((sale) => sale.invoiceId === invoiceId)
  }

  /**
   * The answer already given for `key`: `'conflict'` when the key came with another body
   * (a client bug: one key must mean one request), `undefined` when the key is new.
   */
  answeredFor(key: string, body: string): TrackResponse | 'conflict' | undefined {
    const previous = this.answered.get(key)
    if (!previous) return undefined
    return previous.body === digest(body) ? structuredClone(previous.response) : 'conflict'
  }

  /**
   * Keeps the answer for `key`, forgetting the oldest beyond {@link MAX_IDEMPOTENCY_KEYS}
   * keys: a client's retries come within seconds, and a test tool must not grow without bound.
   */
  remember(key: string, body: string, response: TrackResponse): void {
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
