/**
 * One test's view of attribution: routes the browser's tracker requests to the worker's
 * mock, watches what the browser sends, and offers the helpers and assertions.
 */
import type { BrowserContext, Page, Request, Route } from '@playwright/test'
import { CLICK_ID_COOKIE, type RecordedLead, type RecordedSale } from '@refport/contract'
import type { FaultMap } from '../mock/faults'
import type { MockPartners } from '../mock/partners'
import type { MockRefportApi } from '../mock/server'
import type { MockClick, MockState } from '../mock/store'
import {
  clickFailure,
  creditFailure,
  findCredit,
  type BrowserCall,
  type CreditExpectation,
  type Facts,
  type HubFacts,
} from './diagnose'
import type { HubLogEntry } from './hub'
import type { ResolvedFixtureOptions } from './options'
import { postStripeCheckout, type StripeCheckoutOptions, type StripeWebhookResult } from './stripe'

const POLL_MS = 50

/**
 * Options of {@link RefportSession.landViaPartner}.
 *
 * @example
 * ```ts
 * await refport.landViaPartner(page, '/pricing', 'jane', { param: 'ref', waitForClick: false })
 * ```
 */
export interface LandingOptions {
  /** Query parameter that names the partner; default `via`. */
  param?: string
  /** Wait until the click reaches the mock (default `true`); `false` returns `null` at once. */
  waitForClick?: boolean
  /** ms to wait for the click; default `refportOptions.timeout`. */
  timeout?: number
}

/**
 * What `expectCredited` waits for.
 *
 * @example
 * ```ts
 * const expected: CreditOptions = { partner: 'jane', event: 'Sign Up', customerEmail: 'ada@example.com', timeout: 8000 }
 * await refport.expectCredited(expected)
 * ```
 */
export interface CreditOptions extends CreditExpectation {
  /** ms to wait; default `refportOptions.timeout`. */
  timeout?: number
}

/** What a session needs from the worker. */
export interface SessionWorker {
  mock: MockRefportApi
  tag: string
  hubUrl: string
  options: ResolvedFixtureOptions
  /** The browser's User-Agent before the worker's tag is appended. */
  defaultUserAgent: string
}

/**
 * The `refport` fixture: one per test, with a freshly reset mock behind it.
 *
 * @example
 * ```ts
 * import { test } from 'refport/playwright'
 *
 * test('a partner gets the sign-up', async ({ page, refport }) => {
 *   await refport.landViaPartner(page, '/', 'jane')
 *   await page.getByRole('link', { name: 'Sign up' }).click()
 *   await page.getByLabel('Email').fill('ada@example.com')
 *   await page.getByRole('button', { name: 'Create account' }).click()
 *   await refport.expectCredited({ partner: 'jane', event: 'Sign Up' })
 * })
 * ```
 */
export class RefportSession {
  /** Base URL of this worker's mock: an `apiHost` for a page you configure yourself. */
  readonly mockUrl: string
  /** The fixed API URL the app's server calls (`REFPORT_API_URL`). */
  readonly apiUrl: string
  private readonly startedAt = Date.now()
  private readonly browserClicks: BrowserCall[] = []
  private readonly strayCalls: BrowserCall[] = []

  /** @internal Created by the fixture. */
  constructor(
    private readonly worker: SessionWorker,
    private readonly context: BrowserContext,
    private readonly baseURL: string | undefined,
  ) {
    this.mockUrl = worker.mock.url
    this.apiUrl = worker.hubUrl
  }

  /** @internal Routes the tracker's API hosts to the mock and starts watching requests. */
  async install(): Promise<void> {
    for (const host of this.worker.options.apiHosts) {
      const prefix = `${host}/track/`
      await this.context.route(
        (url) => url.href.startsWith(prefix),
        (route) => this.forward(route, host),
      )
    }
    this.context.on('request', (request) => this.watch(request))
    this.context.on('requestfailed', (request) => {
      const stray = this.strayCalls.find((call) => call.url === request.url() && call.message === undefined)
      if (stray) stray.message = request.failure()?.errorText ?? 'failed'
    })
  }

  /** Everything the mock recorded in this test: `{ clicks, leads, sales, preflights }`. */
  state(): MockState {
    return this.worker.mock.state()
  }

  /** Clicks recorded in this test, from the browser or from the app's server. */
  clicks(): MockClick[] {
    return this.state().clicks
  }

  /** Leads recorded in this test. */
  leads(): RecordedLead[] {
    return this.state().leads
  }

  /** Sales recorded in this test. */
  sales(): RecordedSale[] {
    return this.state().sales
  }

  /** The browser's `refp_id` cookie value (the first one, when variants exist), or `null`. */
  async clickIdCookie(): Promise<string | null> {
    const cookies = await this.cookies()
    return cookies[0]?.value ?? null
  }

  /**
   * Opens `url` (absolute, or relative to `baseURL`) with `?via=<partner>` added, then
   * waits until the click reaches the mock and resolves with it. When no click comes, it
   * fails with what the browser sent instead.
   */
  async landViaPartner(
    page: Page,
    url: string,
    partner: string,
    options: LandingOptions = {},
  ): Promise<MockClick | null> {
    const landing = this.resolveUrl(url)
    landing.searchParams.set(options.param ?? 'via', partner)
    await page.goto(landing.href)
    if (options.waitForClick === false) return null
    const timeout = options.timeout ?? this.worker.options.timeout
    const click = await this.poll(() => this.clicks().find((click) => click.key === partner), timeout)
    if (click) return click
    throw new Error(clickFailure(partner, landing.href, timeout, await this.facts()))
  }

  /**
   * Waits until a lead (or, with `type: 'sale'`, a sale) is recorded for `partner`, and
   * resolves with it. On timeout it fails with what happened instead: the click, the
   * browser's cookie, the leads recorded for other clicks, and what the app's server sent.
   */
  async expectCredited(expected: CreditOptions): Promise<RecordedLead | RecordedSale> {
    if (typeof expected?.partner !== 'string' || !expected.partner)
      throw new TypeError(
        "refport: expectCredited needs { partner }, e.g. expectCredited({ partner: 'jane', event: 'Sign Up' })",
      )
    const timeout = expected.timeout ?? this.worker.options.timeout
    const found = await this.poll(() => findCredit(this.state(), expected), timeout)
    if (found) return found
    throw new Error(creditFailure(expected, timeout, await this.facts()))
  }

  /**
   * Makes this test's mock fail: `{ click: { hang: true } }`, `{ lead: { status: 503, times: 1 } }`.
   * Lasts until the end of the test (or the next call); `{}` clears.
   */
  fault(faults: FaultMap): void {
    this.worker.mock.setFaults(faults)
  }

  /** Replaces the partners the mock knows for the rest of the test (`undefined`: any key). */
  setPartners(partners: MockPartners | undefined): void {
    this.worker.mock.setPartners(partners)
  }

  /**
   * Posts a signed `checkout.session.completed` to the app's Stripe webhook route (`url`,
   * absolute or relative to `baseURL`); its `client_reference_id` is the browser's click
   * ID unless `clickId` says otherwise. Needs the `stripe` package.
   */
  async sendStripeCheckout(url: string, options: StripeCheckoutOptions): Promise<StripeWebhookResult> {
    return postStripeCheckout(this.resolveUrl(url).href, options, await this.clickIdCookie())
  }

  private resolveUrl(url: string): URL {
    try {
      return new URL(url, this.baseURL)
    } catch {
      throw new TypeError(
        `refport: ${JSON.stringify(url)} is not an absolute URL and no baseURL is set — set use: { baseURL } or pass a full URL`,
      )
    }
  }

  private async cookies(): Promise<Array<{ value: string; domain: string }>> {
    const cookies = await this.context.cookies()
    return cookies.filter((cookie) => cookie.name === CLICK_ID_COOKIE).map(({ value, domain }) => ({ value, domain }))
  }

  private async poll<T>(read: () => T | undefined, timeout: number): Promise<T | undefined> {
    const deadline = Date.now() + timeout
    for (;;) {
      const value = read()
      if (value !== undefined || Date.now() >= deadline) return value
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    }
  }

  private async forward(route: Route, host: string): Promise<void> {
    const request = route.request()
    const target = this.mockUrl + request.url().slice(host.length)
    const call: BrowserCall = { url: request.url() }
    const isClick = new URL(request.url()).pathname.endsWith('/track/click')
    if (isClick) this.browserClicks.push(call)
    try {
      // The mock answers with the API's own CORS headers, so the page sees what production sends.
      const response = await route.fetch({ url: target, maxRedirects: 0 })
      call.status = response.status()
      if (!response.ok()) call.message = errorMessage(await response.text())
      await route.fulfill({ response })
    } catch (error) {
      // A `drop` fault, a `hang` cut short by the end of the test, or a closed page.
      call.message ??= String(error).split('\n')[0]
      await route.abort('connectionfailed').catch(() => {})
    }
  }

  private watch(request: Request): void {
    const url = request.url()
    if (!/\/track\/(click|lead|sale)(?:[?#]|$)/.test(url)) return
    if (this.worker.options.apiHosts.some((host) => url.startsWith(`${host}/track/`))) return
    if (url.startsWith(`${this.mockUrl}/`)) return // a page pointed at the mock itself
    this.strayCalls.push({ url })
  }

  private async facts(): Promise<Facts> {
    return {
      state: this.state(),
      cookies: await this.cookies(),
      browserClicks: this.browserClicks,
      strayCalls: this.strayCalls,
      apiHosts: this.worker.options.apiHosts,
      hub: await this.hubFacts(),
    }
  }

  private async hubFacts(): Promise<HubFacts> {
    const url = this.worker.hubUrl
    try {
      const response = await fetch(`${url}/__hub/workers/${this.worker.tag}/log?since=${this.startedAt}`)
      const log = (await response.json()) as { requests: HubLogEntry[]; unrouted: HubLogEntry[] }
      return { url, running: true, requests: log.requests, unrouted: log.unrouted }
    } catch {
      return { url, running: false, requests: [], unrouted: [] }
    }
  }
}

function errorMessage(text: string): string | undefined {
  try {
    const message = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message
    return typeof message === 'string' ? message : undefined
  } catch {
    return text.slice(0, 200) || undefined
  }
}
