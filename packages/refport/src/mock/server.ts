/**
 * The mock Refport API over real HTTP (node:http, loopback by default): the contract's
 * `/track/click`, `/track/lead` and `/track/sale`, plus `/__mock/*` endpoints to inspect
 * and steer it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { setTimeout as delay } from 'node:timers/promises'
import { CLICK_PATH, LEAD_PATH, SALE_PATH, type ApiErrorBody } from '@refport/contract'
import { codeForStatus } from '../error-codes'
import { validateLeadRequest } from '../lead-validation'
import { validateSaleRequest } from '../sale-validation'
import { validateClickRequest, type ClickSource } from './click-request'
import { FaultBox, faultMapProblem, type Fault, type FaultMap, type FaultTarget } from './faults'
import { PartnerBook, type MockPartners } from './partners'
import { MockStore, type MockState, type TrackResponse } from './store'
import { listenOn, readBody } from '../listen'

/**
 * Options of {@link startMockRefportApi}.
 *
 * @example
 * ```ts
 * const mock = await startMockRefportApi({
 *   port: 4010,
 *   // Only these partners exist: a click for any other key is a 404.
 *   partners: { jane: { name: 'Jane Doe', discount: { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 } } },
 *   faults: { lead: { status: 503, times: 1 } }, // the first lead fails, the retry succeeds
 * })
 * ```
 */
export interface MockRefportApiOptions {
  /** Port to listen on; `0` (default) picks a free one. */
  port?: number
  /** Interface to listen on; default `127.0.0.1` (loopback only). */
  host?: string
  /** Secret key `POST /track/lead` must carry as `Authorization: Bearer …`; default `refport_test_key`. */
  apiKey?: string
  /** Key `POST /track/click` must carry as `publishableKey`; default `pk_test_refport`. */
  publishableKey?: string
  /**
   * Known partners: keys (`['jane', 'bob']`), profiles (`[{ key: 'jane', name: 'Jane Doe' }]`)
   * or a record (`{ jane: { name: 'Jane Doe', discount } }`). Given → a click for another key
   * is a `404`; omitted → any well-formed key is accepted, named after itself, with no
   * picture and no discount. @throws TypeError (from `startMockRefportApi`) when invalid.
   */
  partners?: MockPartners
  /** Clock in ms since the epoch, for `createdAt` and the 7-day lead dedupe; default `Date.now`. */
  now?: () => number
  /** Faults active from the start (and restored by `reset()`). */
  faults?: FaultMap
  /**
   * Origins of pages that may use `/__mock/*` from a browser (a dashboard of your own, such
   * as `http://localhost:4403`). Default none: those endpoints show customers' emails and
   * switch faults on, so a request that carries another `Origin` (any website the developer
   * has open) is refused with `403`. Tests and scripts (Node, curl) send no `Origin` and are
   * always served. The wire endpoints (`/track/*`) answer every origin, as the real API does.
   */
  controlOrigins?: string[]
}

/**
 * A running mock API, as {@link startMockRefportApi} resolves it.
 *
 * @example
 * ```ts
 * let mock: MockRefportApi
 * beforeAll(async () => { mock = await startMockRefportApi() })
 * beforeEach(() => mock.reset())
 * afterAll(() => mock.close())
 *
 * it('records the sign-up', async () => {
 *   await signUp({ baseUrl: mock.url })
 *   expect(mock.state().leads).toHaveLength(1)
 * })
 * ```
 */
export interface MockRefportApi {
  /** Base URL, e.g. `http://127.0.0.1:4010`: pass it as `baseUrl` / `apiHost`. */
  url: string
  port: number
  /** A copy of everything recorded so far. */
  state(): MockState
  /** Forgets clicks, leads, sales, preflights and idempotency keys, and restores the start-up faults and partners. */
  reset(): void
  /** Replaces the active faults. @throws TypeError for an invalid fault map. */
  setFaults(faults: FaultMap): void
  /**
   * Replaces the known partners (as the `partners` option; `undefined` accepts any key).
   * Clicks already registered keep the answer they got. @throws TypeError when invalid.
   */
  setPartners(partners: MockPartners | undefined): void
  /** Stops listening and closes open connections, hanging ones included. */
  close(): Promise<void>
}

/**
 * Default secret key of the mock: the `apiKey` a `Refport` client must send to it.
 *
 * @example
 * ```ts
 * import { MOCK_API_KEY, startMockRefportApi } from 'refport/testing'
 *
 * const mock = await startMockRefportApi()
 * const refport = new Refport({ apiKey: MOCK_API_KEY, baseUrl: mock.url })
 * ```
 */
export const MOCK_API_KEY = 'refport_test_key'
/**
 * Default publishable key of the mock: the `publishableKey` the browser tracker must send
 * with a click.
 *
 * @example
 * ```ts
 * // A page under test points the tracker at the mock.
 * import { init } from 'refport-js'
 *
 * init({ publishableKey: MOCK_PUBLISHABLE_KEY, apiHost: mock.url })
 * ```
 */
export const MOCK_PUBLISHABLE_KEY = 'pk_test_refport'

/** Bodies larger than this are refused (413): no real click or lead comes close. */
const MAX_BODY_BYTES = 1_000_000

/**
 * Starts the mock Refport API and resolves once it is listening.
 *
 * @example
 * ```ts
 * import { startMockRefportApi } from 'refport/testing'
 * import { Refport } from 'refport'
 *
 * const mock = await startMockRefportApi()
 * const refport = new Refport({ apiKey: 'refport_test_key', baseUrl: mock.url })
 * // … drive a sign-up, then:
 * expect(mock.state().leads).toHaveLength(1)
 * await mock.close()
 * ```
 */
export async function startMockRefportApi(options: MockRefportApiOptions = {}): Promise<MockRefportApi> {
  const {
    port = 0,
    host = '127.0.0.1',
    apiKey = MOCK_API_KEY,
    publishableKey = MOCK_PUBLISHABLE_KEY,
    partners,
    now = Date.now,
    faults: initialFaults = {},
    controlOrigins = [],
  } = options
  const store = new MockStore(now)
  const faults = new FaultBox()
  faults.set(initialFaults)
  const partnerBook = new PartnerBook(partners)
  // Aborted on close(), so requests waiting on an injected delay stop waiting.
  const closing = new AbortController()
  const reset = () => {
    store.reset()
    faults.set(initialFaults)
    partnerBook.set(partners)
  }
  const config: HandlerConfig = {
    apiKey,
    publishableKey,
    partners: partnerBook,
    controlOrigins: new Set(controlOrigins),
    store,
    faults,
    reset,
    closing: closing.signal,
  }

  const server = createServer((req, res) => {
    handle(req, res, config).catch((error: unknown) => {
      if (closing.signal.aborted) return
      if (!res.headersSent) sendError(res, 500, 'internal_error', `refport mock: ${String(error)}`)
      else res.destroy()
    })
  })
  const address = await listenOn(server, port, host)
  const urlHost = host.includes(':') ? `[${host}]` : host

  return {
    url: `http://${urlHost}:${address.port}`,
    port: address.port,
    state: () => store.snapshot(),
    reset,
    setFaults: (map) => faults.set(map),
    setPartners: (list) => {
      const problem = partnerBook.set(list)
      if (problem) throw new TypeError(`refport mock: ${problem}`)
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort()
        server.close((error) => (error ? reject(error) : resolve()))
        // Keep-alive sockets and requests held by a `hang` fault would keep close() waiting.
        server.closeAllConnections()
      }),
  }
}

interface HandlerConfig {
  apiKey: string
  publishableKey: string
  partners: PartnerBook
  controlOrigins: Set<string>
  store: MockStore
  faults: FaultBox
  reset: () => void
  closing: AbortSignal
}

/**
 * CORS and `Origin` rules. The tracker posts clicks from the user's site, so the wire
 * endpoints answer any origin. `/__mock/*` is for tests and the developer's own tools:
 * CORS alone would not protect it (a `text/plain` POST is a simple request the browser
 * sends without asking, Fetch standard §3.2.3), so a browser request from an origin not in
 * `controlOrigins` is refused before it does anything.
 * @returns false when the request was refused.
 */
function allowOrigin(path: string, req: IncomingMessage, res: ServerResponse, config: HandlerConfig): boolean {
  const origin = req.headers.origin
  if (!path.startsWith('/__mock/')) res.setHeader('access-control-allow-origin', '*')
  else if (origin !== undefined) {
    if (!config.controlOrigins.has(origin)) {
      sendError(
        res,
        403,
        'forbidden',
        `refport mock: ${path} is not served to pages of ${origin}; start the mock with controlOrigins: [${JSON.stringify(origin)}] (--control-origin) to allow it`,
      )
      return false
    }
    res.setHeader('access-control-allow-origin', origin)
    res.setHeader('vary', 'origin')
  }
  return true
}

async function handle(req: IncomingMessage, res: ServerResponse, config: HandlerConfig): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://mock').pathname
  const route = ROUTES[path]
  if (!allowOrigin(path, req, res, config)) return
  if (req.method === 'OPTIONS') {
    config.store.countPreflight()
    res.writeHead(204, {
      'access-control-allow-methods': 'GET, POST, OPTIONS',
      'access-control-allow-headers': 'content-type, authorization, idempotency-key',
      'access-control-max-age': '600',
    })
    res.end()
    return
  }
  if (!route)
    return sendError(
      res,
      404,
      'not_found',
      `refport mock: no route ${path}; the mock serves ${Object.keys(ROUTES).join(', ')}`,
    )
  if (req.method !== route.method) {
    res.setHeader('allow', route.method)
    return sendError(res, 405, 'method_not_allowed', `refport mock: use ${route.method} ${path}`)
  }
  const body = await readBody(req, MAX_BODY_BYTES)
  if (body === undefined) {
    res.setHeader('connection', 'close')
    return sendError(res, 413, 'invalid_request', `refport mock: body larger than ${MAX_BODY_BYTES} bytes`)
  }
  if (route.fault) {
    const fault = config.faults.take(route.fault)
    if (fault && (await applyFault(fault, req, res, config.closing))) return
  }
  return route.handler({ req, res, body, config })
}

interface Context {
  req: IncomingMessage
  res: ServerResponse
  body: string
  config: HandlerConfig
}

const ROUTES: Record<string, { method: string; fault?: FaultTarget; handler: (context: Context) => void }> = {
  // Someone who opens the mock's URL in a browser learns what it is and what it serves.
  '/': { method: 'GET', handler: ({ res, config }) => sendJson(res, 200, describeMock(config)) },
  [CLICK_PATH]: { method: 'POST', fault: 'click', handler: handleClick },
  [LEAD_PATH]: { method: 'POST', fault: 'lead', handler: handleLead },
  [SALE_PATH]: { method: 'POST', fault: 'sale', handler: handleSale },
  '/__mock/state': { method: 'GET', handler: ({ res, config }) => sendJson(res, 200, config.store.snapshot()) },
  '/__mock/reset': {
    method: 'POST',
    handler: ({ res, config }) => {
      config.reset()
      sendJson(res, 200, { ok: true })
    },
  },
  '/__mock/faults': { method: 'POST', handler: handleSetFaults },
  '/__mock/partners': { method: 'POST', handler: handleSetPartners },
}

/** The mock's front page: what it is, its endpoints, the partners it knows, what it recorded. */
function describeMock({ partners, store }: HandlerConfig) {
  const { clicks, leads, sales } = store.snapshot()
  return {
    name: 'refport mock API',
    about: 'A local stand-in for the Refport API, for tests and the playground (refport/testing, npx refport-mock).',
    endpoints: {
      [`POST ${CLICK_PATH}`]:
        'register a click: { publishableKey, key, clickId, url, referrer } (text/plain from a browser, or Bearer from a server)',
      [`POST ${LEAD_PATH}`]: 'report a sign-up (Authorization: Bearer <apiKey>)',
      [`POST ${SALE_PATH}`]: 'report a payment (Authorization: Bearer <apiKey>)',
      'GET /__mock/state': 'everything recorded: { clicks, leads, sales }',
      'POST /__mock/reset': 'forget everything recorded',
      'POST /__mock/faults': 'make the next calls fail: { "lead": { "status": 503, "times": 1 } }',
      'POST /__mock/partners': 'replace the known partners (null: any key)',
    },
    partners: partners.list() ?? 'any well-formed key (no partner list configured)',
    recorded: { clicks: clicks.length, leads: leads.length, sales: sales.length },
  }
}

function handleClick({ req, res, body, config }: Context): void {
  const parsed = parseJson(body)
  if (parsed === NOT_JSON)
    return sendError(res, 400, 'invalid_request', 'the click body must be JSON (sent as text/plain)')
  const input = asObject(parsed)
  if (!input)
    return sendError(
      res,
      422,
      'invalid_request',
      'the click body must be a JSON object { publishableKey, key, clickId, url, referrer }',
      'body',
    )
  // A browser never sends Authorization on the tracker's simple request; a server always does.
  const source: ClickSource = req.headers.authorization === undefined ? 'browser' : 'server'
  if (source === 'server' && !hasApiKey(req, config)) return sendUnauthorized(res)
  const { publishableKey } = input
  if (
    source === 'browser' &&
    typeof publishableKey === 'string' &&
    publishableKey &&
    publishableKey !== config.publishableKey
  )
    return sendError(
      res,
      401,
      'unauthorized',
      'unknown publishableKey — use the key the mock was started with (default pk_test_refport)',
    )
  const validation = validateClickRequest(input, source)
  if (!validation.ok) return sendError(res, 422, 'invalid_request', validation.message, validation.field)
  const { key, clickId, url, referrer } = validation.click

  const existing = clickId === undefined ? undefined : config.store.findClick(clickId)
  // Idempotent on clickId: a resent click (the tracker after a lost answer, or the tracker
  // after the landing middleware) is the same click and gets the same answer.
  if (existing?.key === key) return sendJson(res, 200, config.store.clickAnswer(existing.clickId))
  const partner = config.partners.find(key)
  if (!partner)
    return sendError(
      res,
      404,
      'not_found',
      `no partner with key ${JSON.stringify(key)} — the mock knows ${config.partners.describe()}`,
    )
  if (existing)
    return sendError(
      res,
      409,
      'conflict',
      `clickId ${JSON.stringify(clickId)} is already registered for partner ${JSON.stringify(existing.key)}; mint a new click ID for this click`,
      'clickId',
    )
  const visitor =
    source === 'server'
      ? { userAgent: validation.click.userAgent!, ip: validation.click.ip! }
      : { userAgent: req.headers['user-agent'] ?? '', ip: req.socket.remoteAddress ?? '' }
  const origin = typeof req.headers.origin === 'string' ? req.headers.origin : null
  const { discount, ...named } = partner
  const answer = config.store.addClick(
    { key, clickId, url, referrer, origin, source, ...visitor },
    { partner: named, discount },
  )
  sendJson(res, 200, answer)
}

function hasApiKey(req: IncomingMessage, config: HandlerConfig): boolean {
  return req.headers.authorization === `Bearer ${config.apiKey}`
}

function sendUnauthorized(res: ServerResponse): void {
  sendError(
    res,
    401,
    'unauthorized',
    'missing or invalid API key — send Authorization: Bearer <apiKey> with the key the mock was started with (default refport_test_key)',
  )
}

function handleSetPartners({ res, body, config }: Context): void {
  const parsed = parseJson(body)
  if (parsed === NOT_JSON)
    return sendError(
      res,
      400,
      'invalid_request',
      'the body must be JSON: a partner list, a record, or null for any key',
    )
  const problem = config.partners.set(parsed === null ? undefined : parsed)
  if (problem) return sendError(res, 422, 'invalid_request', problem, 'partners')
  sendJson(res, 200, { partners: config.partners.list() })
}

/** What recording a lead or a sale came to: the answer, or the error to send instead. */
type Outcome = { response: TrackResponse } | { status: number; code: string; message: string; field?: string }

/**
 * The common part of `/track/lead` and `/track/sale`: the API key, the `Idempotency-Key`
 * replay, the JSON body; `record` checks the body and stores the event.
 */
function handleTracked(
  { req, res, body, config }: Context,
  event: 'lead' | 'sale',
  record: (input: unknown) => Outcome,
): void {
  if (!hasApiKey(req, config)) return sendUnauthorized(res)
  const idempotencyKey = req.headers['idempotency-key']
  if (typeof idempotencyKey === 'string') {
    const previous = config.store.answeredFor(idempotencyKey, body)
    if (previous === 'conflict')
      return sendError(
        res,
        409,
        'idempotency_conflict',
        `this Idempotency-Key was already used with a different body; use a new key per ${event}`,
      )
    if (previous) {
      res.setHeader('idempotent-replayed', 'true')
      return sendJson(res, 200, previous)
    }
  }
  // 400 only for a body that is not JSON at all; JSON of the wrong shape (an array, a string)
  // is an invalid body like any other: 422 naming `body`, as the contract says.
  const parsed = parseJson(body)
  if (parsed === NOT_JSON) return sendError(res, 400, 'invalid_request', `the ${event} body must be JSON`)
  const outcome = record(parsed)
  if (!('response' in outcome)) return sendError(res, outcome.status, outcome.code, outcome.message, outcome.field)
  if (typeof idempotencyKey === 'string') config.store.remember(idempotencyKey, body, outcome.response)
  sendJson(res, 200, outcome.response)
}

const invalid = ({ field, message }: { field: string; message: string }): Outcome => ({
  status: 422,
  code: 'invalid_request',
  message,
  field,
})
const notFound = (message: string): Outcome => ({ status: 404, code: 'not_found', message })

function handleLead(context: Context): void {
  const { store } = context.config
  handleTracked(context, 'lead', (input) => {
    const validation = validateLeadRequest(input)
    if (!validation.ok) return invalid(validation)
    const click = store.findClick(validation.lead.clickId)
    if (!click)
      return notFound(
        `unknown clickId ${JSON.stringify(validation.lead.clickId)} — register the click with POST ${CLICK_PATH} first`,
      )
    return { response: store.addLead(validation.lead, click) }
  })
}

/**
 * A sale is credited through the customer's lead (the latest, or the one named by
 * `leadEventName`), or, for a sale with no lead before it, through `clickId`.
 */
function handleSale(context: Context): void {
  const { store } = context.config
  handleTracked(context, 'sale', (input) => {
    const validation = validateSaleRequest(input)
    if (!validation.ok) return invalid(validation)
    const { sale } = validation
    const earlier = store.findSaleByInvoice(sale.invoiceId)
    if (earlier) return { response: { sale: earlier, duplicate: true } }
    const lead = store.findCustomerLead(sale.customerExternalId, sale.leadEventName)
    if (lead) return { response: store.addSale(sale, { clickId: lead.clickId, key: lead.partner.key }) }
    const customer = `customerExternalId ${JSON.stringify(sale.customerExternalId)}`
    const leadName = sale.leadEventName === undefined ? 'lead' : `${JSON.stringify(sale.leadEventName)} lead`
    if (sale.clickId === undefined)
      return notFound(
        `no ${leadName} for ${customer} — call track.lead for this customer first, or pass the visitor's clickId for a sale with no lead`,
      )
    const click = store.findClick(sale.clickId)
    if (!click)
      return notFound(
        `no ${leadName} for ${customer} and unknown clickId ${JSON.stringify(sale.clickId)} — register the click with POST ${CLICK_PATH} first`,
      )
    return { response: store.addSale(sale, click) }
  })
}

function handleSetFaults({ res, body, config }: Context): void {
  const input = parseJsonObject(body)
  const problem = input
    ? faultMapProblem(input)
    : 'the body must be a JSON fault map such as { "lead": { "status": 503 } }'
  if (problem) return sendError(res, 422, 'invalid_request', problem, 'faults')
  config.faults.set(input as FaultMap)
  sendJson(res, 200, { faults: config.faults.get() })
}

/** @returns true when the fault answered (or swallowed) the request. */
async function applyFault(
  fault: Fault,
  req: IncomingMessage,
  res: ServerResponse,
  closing: AbortSignal,
): Promise<boolean> {
  if (fault.delayMs) await delay(fault.delayMs, undefined, { signal: closing })
  if (fault.hang) return true // the socket stays open until the client aborts or close() ends it
  if (fault.drop) {
    req.socket.destroy()
    return true
  }
  if (fault.status === undefined) return false
  if (fault.body !== undefined) {
    res.writeHead(fault.status, { 'content-type': 'application/json' })
    res.end(fault.body)
  } else {
    sendError(res, fault.status, codeForStatus(fault.status), `refport mock: injected fault (status ${fault.status})`)
  }
  return true
}

/** What {@link parseJson} answers for a body that is not JSON. */
const NOT_JSON: unique symbol = Symbol('not JSON')

/** Parses the body whatever its Content-Type: the tracker sends JSON as text/plain. */
function parseJson(body: string): unknown {
  try {
    return JSON.parse(body)
  } catch {
    return NOT_JSON
  }
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

function parseJsonObject(body: string): Record<string, unknown> | undefined {
  return asObject(parseJson(body))
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

function sendError(res: ServerResponse, status: number, code: string, message: string, field?: string): void {
  const body: ApiErrorBody & { error: { field?: string } } = { error: { code, message } }
  if (field) body.error.field = field
  sendJson(res, status, body)
}
