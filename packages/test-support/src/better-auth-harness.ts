/**
 * Test harness for `@refport/better-auth`: a real Better Auth (memory adapter, email +
 * password) with the plugin, talking over loopback HTTP to the mock Refport API from
 * `refport/testing`.
 */
import { createHash } from 'node:crypto'
import { once } from 'node:events'
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { betterAuth, type BetterAuthOptions } from 'better-auth'
import { memoryAdapter } from 'better-auth/adapters/memory'
import { toNodeHandler } from 'better-auth/node'
import { Refport } from 'refport'
import { startMockRefportApi } from 'refport/testing'
import { refportPlugin, type RefportPluginOptions } from '@refport/better-auth'
import { registerClick } from './mock-api'

/** The site the browser is on; Better Auth's baseURL. */
export const SITE_ORIGIN = 'http://www.example.test:3000'
export const SITE_HOST = 'www.example.test:3000'

/**
 * The `refp_id` variants (`domain|path`, as `expiredVariants()` lists them) a sign-up on
 * {@link SITE_HOST} expires: host-only, and `Domain=` each parent the tracker may have used.
 */
export const ALL_VARIANTS = ['example.test|/', 'host-only|/', 'www.example.test|/']

export interface LogLine {
  level: string
  message: string
  args: unknown[]
}

export interface HarnessOptions {
  /** Plugin options besides `refport`; `refport: undefined` keeps the harness's SDK. */
  plugin?: Partial<RefportPluginOptions>
  /** Extra Better Auth options (merged over the harness's). */
  auth?: Partial<BetterAuthOptions>
  /**
   * Options for the SDK pointing at the mock (the harness defaults to `timeoutMs: 5000`,
   * `maxRetries: 0`). `fetch` replaces the network, e.g. with one that never answers.
   */
  sdk?: { timeoutMs?: number; maxRetries?: number; fetch?: typeof fetch }
}

export type Harness = Awaited<ReturnType<typeof startHarness>>

/** A password's stand-in hash for the tests' sign-ups. */
const digest = async (password: string): Promise<string> => createHash('sha256').update(password).digest('hex')

/** Starts the mock API and a Better Auth instance wired to it. Call `close()` after. */
export async function startHarness(options: HarnessOptions = {}) {
  const api = await startMockRefportApi({ port: 0 })
  const refport = new Refport({
    apiKey: 'refport_test_key',
    baseUrl: api.url,
    timeoutMs: options.sdk?.timeoutMs ?? 5000,
    maxRetries: options.sdk?.maxRetries ?? 0,
    fetch: options.sdk?.fetch,
  })
  const logs: LogLine[] = []
  const db: Record<'user' | 'session' | 'account' | 'verification', Record<string, unknown>[]> = {
    user: [],
    session: [],
    account: [],
    verification: [],
  }
  const auth = betterAuth({
    baseURL: SITE_ORIGIN,
    secret: 'refport-better-auth-tests-secret-0123456789',
    database: memoryAdapter(db),
    // Better Auth's own scrypt costs some 100 ms of CPU per sign-up and is not under test:
    // a plain digest keeps the password round trip and leaves the CPU to the tests.
    emailAndPassword: {
      enabled: true,
      password: { hash: digest, verify: async ({ hash, password }) => hash === (await digest(password)) },
    },
    logger: { level: 'debug', log: (level, message, ...args) => void logs.push({ level, message, args }) },
    ...options.auth,
    plugins: [refportPlugin({ refport, ...options.plugin }), ...(options.auth?.plugins ?? [])],
  })
  let server: Server | undefined
  let apiClosed: Promise<void> | undefined
  /** Closes the mock API once, ending requests it left hanging. */
  const closeApi = () => (apiClosed ??= api.close())

  return {
    api,
    refport,
    auth,
    db,
    logs,
    closeApi,
    /** Log lines at `level` that came from this plugin. */
    pluginLogs(level: string) {
      return logs.filter((line) => line.level === level && line.message.startsWith('refport:'))
    },
    /** Registers a click for partner `jane` on the mock API and returns its click ID. */
    mintClickId(): Promise<string> {
      return registerClick(api.url, 'jane', SITE_ORIGIN)
    },
    /** Better Auth behind `toNodeHandler` on a loopback server; returns its port. */
    async listen(): Promise<number> {
      server = createServer(toNodeHandler(auth))
      server.listen(0, '127.0.0.1')
      await once(server, 'listening')
      return (server.address() as AddressInfo).port
    },
    async close() {
      if (server) {
        server.closeAllConnections()
        server.close()
        await once(server, 'close')
      }
      await closeApi()
    },
  }
}

/**
 * Sign-up through `auth.api.signUpEmail`, as a server action or route handler would call it,
 * with `cookie` as the request's `Cookie` header (none when `undefined`).
 */
export async function signUpViaApi(h: Harness, cookie: string | undefined, body = newUser()) {
  const headers = new Headers({ host: SITE_HOST })
  if (cookie !== undefined) headers.set('cookie', cookie)
  const { headers: responseHeaders, response } = await h.auth.api.signUpEmail({ body, headers, returnHeaders: true })
  return { user: response.user, token: response.token, setCookies: responseHeaders.getSetCookie(), body }
}

/** A unique sign-up body. */
export function newUser(overrides: Record<string, unknown> = {}) {
  const id = Math.random().toString(36).slice(2, 10)
  return { email: `user-${id}@example.test`, password: 'correct-horse-battery', name: `User ${id}`, ...overrides }
}

export interface RawResponse {
  status: number
  setCookies: string[]
  body: unknown
}

/**
 * POSTs JSON with node:http, which (unlike fetch) lets the test set `Host` the way a
 * browser on www.example.test would.
 */
export function postJson(
  port: number,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const payload = JSON.stringify(body)
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: {
          host: SITE_HOST,
          origin: SITE_ORIGIN,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(payload),
          ...headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          const setCookie = res.headers['set-cookie'] ?? []
          resolve({ status: res.statusCode ?? 0, setCookies: setCookie, body: text ? JSON.parse(text) : null })
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}
