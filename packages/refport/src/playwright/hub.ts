/**
 * The hub: one HTTP server at the fixed `REFPORT_API_URL` the app under test was started
 * with, forwarding each server-to-server call to the mock of the Playwright worker whose
 * browser it belongs to.
 *
 * Why a hub: Playwright starts the app's `webServer` once, before any worker exists, so the
 * app can only know one API URL; but each worker has its own mock (reset per test, faults
 * per test) so that workers never see each other's clicks. The hub joins the two. It needs
 * no help from the app: every call it forwards names the visitor it is about — a lead or
 * a sale names its click ID (or a customer a lead created), and a server-side click
 * carries the visitor's `User-Agent`, to which each worker's browser appends its tag.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { listenOn, readBody } from '../listen'

/** Product token each worker's browser appends to its `User-Agent` (RFC 9110 §10.1.5). */
export const WORKER_TAG_PRODUCT = 'RefportTestWorker'
const WORKER_TAG_PATTERN = new RegExp(`${WORKER_TAG_PRODUCT}/([A-Za-z0-9]{1,64})`)

/** How long the hub waits for a click to reach a worker's mock before calling a lead unroutable. */
const OWNER_WAIT_MS = 1500
const OWNER_POLL_MS = 50
const MAX_BODY_BYTES = 1_000_000
/** Requests kept per worker and unrouted, for the fixture's failure messages. */
const MAX_LOG = 200

/** One server-to-server request the hub saw, as the fixture's failure messages quote it. */
export interface HubLogEntry {
  /** Epoch ms it arrived. */
  at: number
  method: string
  path: string
  /** Status it was answered with (`0` when the worker's mock never answered). */
  status: number
  clickId?: string
  customerExternalId?: string
  eventName?: string
  /** The error message of a non-2xx answer. */
  message?: string
}

export interface RefportHub {
  /** `http://127.0.0.1:<port>`: the app's `REFPORT_API_URL`. */
  url: string
  close(): Promise<void>
}

interface Worker {
  tag: string
  url: string
  log: HubLogEntry[]
}

/** Starts the hub on `port` (loopback). Rejects with `EADDRINUSE` when the port is taken. */
export async function startRefportHub({
  port,
  host = '127.0.0.1',
}: {
  port: number
  host?: string
}): Promise<RefportHub> {
  const workers = new Map<string, Worker>()
  const unrouted: HubLogEntry[] = []
  const server: Server = createServer((req, res) => {
    handle(req, res, workers, unrouted).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 502, 'internal_error', `refport hub: ${String(error)}`)
      else res.destroy()
    })
  })
  const address = await listenOn(server, port, host)
  return {
    url: `http://${host}:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  workers: Map<string, Worker>,
  unrouted: HubLogEntry[],
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://hub')
  const path = url.pathname
  if (path === '/__hub/health') return sendJson(res, 200, { ok: true, workers: workers.size })
  if (path === '/__hub/workers' && req.method === 'POST') {
    const input = parseObject(await readBody(req, MAX_BODY_BYTES))
    const tag = input?.tag
    const target = input?.url
    if (
      typeof tag !== 'string' ||
      !/^[A-Za-z0-9]{1,64}$/.test(tag) ||
      typeof target !== 'string' ||
      !/^http:\/\/127\.0\.0\.1:\d+$/.test(target)
    )
      return sendError(
        res,
        422,
        'invalid_request',
        'refport hub: register with { tag, url: "http://127.0.0.1:<port>" }',
      )
    workers.set(tag, { tag, url: target, log: [] })
    return sendJson(res, 200, { ok: true })
  }
  const workerPath = /^\/__hub\/workers\/([A-Za-z0-9]{1,64})(\/log)?$/.exec(path)
  if (workerPath) {
    const worker = workers.get(workerPath[1]!)
    if (req.method === 'DELETE' && !workerPath[2]) {
      workers.delete(workerPath[1]!)
      return sendJson(res, 200, { ok: true })
    }
    if (req.method === 'GET' && workerPath[2]) {
      const since = Number(url.searchParams.get('since') ?? 0)
      return sendJson(res, 200, {
        registered: !!worker,
        requests: (worker?.log ?? []).filter((entry) => entry.at >= since),
        unrouted: unrouted.filter((entry) => entry.at >= since),
      })
    }
  }
  if (path.startsWith('/__hub/')) return sendError(res, 404, 'not_found', `refport hub: no route ${req.method} ${path}`)

  const body = await readBody(req, MAX_BODY_BYTES)
  if (body === undefined)
    return sendError(res, 413, 'invalid_request', `refport hub: body larger than ${MAX_BODY_BYTES} bytes`)
  const input = parseObject(body) ?? {}
  const entry: HubLogEntry = { at: Date.now(), method: req.method ?? 'GET', path, status: 0, ...identifiers(input) }
  const owner = await findOwner(req, input, workers)
  if (!owner) {
    entry.status = 404
    entry.message = unroutedMessage(entry, workers.size)
    remember(unrouted, entry)
    return sendError(res, 404, 'not_found', entry.message)
  }
  remember(owner.log, entry)
  await forward(req, res, owner, url, body, entry)
}

function identifiers(
  input: Record<string, unknown>,
): Pick<HubLogEntry, 'clickId' | 'customerExternalId' | 'eventName'> {
  const pick = (value: unknown) => (typeof value === 'string' ? value.slice(0, 256) : undefined)
  const ids = {
    clickId: pick(input.clickId),
    customerExternalId: pick(input.customerExternalId),
    eventName: pick(input.eventName),
  }
  return Object.fromEntries(Object.entries(ids).filter(([, value]) => value !== undefined))
}

function unroutedMessage(entry: HubLogEntry, workerCount: number): string {
  if (workerCount === 0) return 'refport hub: no Playwright worker is running a test, so no mock can take this request'
  if (entry.clickId)
    return `refport hub: unknown clickId ${JSON.stringify(entry.clickId)} — no browser in this test run made that click`
  if (entry.customerExternalId)
    return `refport hub: unknown customerExternalId ${JSON.stringify(entry.customerExternalId)} — no test's mock recorded a lead for that customer`
  return 'refport hub: this request names no clickId or customer, so no test can own it'
}

/**
 * The worker this request is about. A server-side click is tagged by the visitor's
 * User-Agent; anything else is found by the click or customer it names, waiting a moment
 * for a click the browser sent with `keepalive` that may still be on its way.
 */
async function findOwner(
  req: IncomingMessage,
  input: Record<string, unknown>,
  workers: Map<string, Worker>,
): Promise<Worker | undefined> {
  for (const agent of [input.userAgent, req.headers['user-agent']]) {
    const tag = typeof agent === 'string' ? WORKER_TAG_PATTERN.exec(agent)?.[1] : undefined
    const worker = tag === undefined ? undefined : workers.get(tag)
    if (worker) return worker
  }
  if (workers.size <= 1) return workers.values().next().value
  const clickId = typeof input.clickId === 'string' ? input.clickId : undefined
  const customer = typeof input.customerExternalId === 'string' ? input.customerExternalId : undefined
  if (clickId === undefined && customer === undefined) return undefined
  const deadline = Date.now() + OWNER_WAIT_MS
  for (;;) {
    for (const worker of workers.values()) {
      const state = await fetchState(worker)
      if (!state) continue
      if (clickId !== undefined && state.clicks.some((click) => click.clickId === clickId)) return worker
      if (customer !== undefined && state.leads.some((lead) => lead.customerExternalId === customer)) return worker
    }
    if (Date.now() >= deadline) return undefined
    await new Promise((resolve) => setTimeout(resolve, OWNER_POLL_MS))
  }
}

interface StateIds {
  clicks: Array<{ clickId: string }>
  leads: Array<{ customerExternalId: string }>
}

async function fetchState(worker: Worker): Promise<StateIds | undefined> {
  try {
    const response = await fetch(`${worker.url}/__mock/state`)
    return response.ok ? ((await response.json()) as StateIds) : undefined
  } catch {
    return undefined // a worker that just stopped
  }
}

/** Headers the Refport API reads or answers with; nothing else crosses the hub. */
const REQUEST_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'user-agent', 'origin']
const RESPONSE_HEADERS = [
  'content-type',
  'retry-after',
  'idempotent-replayed',
  'cache-control',
  'access-control-allow-origin',
]

async function forward(
  req: IncomingMessage,
  res: ServerResponse,
  owner: Worker,
  url: URL,
  body: string,
  entry: HubLogEntry,
): Promise<void> {
  const headers: Record<string, string> = {}
  for (const name of REQUEST_HEADERS) {
    const value = req.headers[name]
    if (typeof value === 'string') headers[name] = value
  }
  // The app gave up (its own timeout): stop waiting on a mock told to hang.
  const aborted = new AbortController()
  res.once('close', () => aborted.abort())
  let response: Response
  try {
    response = await fetch(owner.url + url.pathname + url.search, {
      method: req.method,
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
      signal: aborted.signal,
    })
  } catch {
    // The mock dropped the connection (a `drop` fault) or the app gave up: do the same.
    req.socket.destroy()
    return
  }
  const text = await response.text()
  entry.status = response.status
  if (!response.ok) entry.message = errorMessage(text)
  const out: Record<string, string> = {}
  for (const name of RESPONSE_HEADERS) {
    const value = response.headers.get(name)
    if (value !== null) out[name] = value
  }
  res.writeHead(response.status, out)
  res.end(text)
}

function errorMessage(text: string): string | undefined {
  const error = parseObject(text)?.error
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined
  return typeof message === 'string' ? message : text.slice(0, 300) || undefined
}

function remember(log: HubLogEntry[], entry: HubLogEntry): void {
  log.push(entry)
  if (log.length > MAX_LOG) log.splice(0, log.length - MAX_LOG)
}

function parseObject(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text ?? '')
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } })
}
