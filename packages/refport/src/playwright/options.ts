/**
 * Options of the Playwright fixture, their defaults, and the environment the app under
 * test is started with. No Playwright import here: the global setup and the config read it.
 */
import { DEFAULT_API_HOST } from '@refport/contract'
import { MOCK_API_KEY, MOCK_PUBLISHABLE_KEY } from '../mock/server'
import type { MockPartners } from '../mock/partners'

/**
 * Options of `refport/playwright`, set in `playwright.config.ts` under
 * `use: { refportOptions: { … } }` or per file with `test.use(...)`. All optional.
 *
 * @example
 * ```ts
 * // playwright.config.ts
 * export default defineConfig({
 *   use: {
 *     refportOptions: {
 *       apiHosts: ['https://track.acme.com'], // the site's tracker uses a custom apiHost
 *       publishableKey: 'pk_live_acme', // the key the site's pages already carry
 *     },
 *   },
 * })
 * ```
 */
export interface RefportFixtureOptions {
  /**
   * Port of the fixed API URL the app's server calls (`REFPORT_API_URL`), on 127.0.0.1.
   * Default: `REFPORT_MOCK_PORT` from the environment, then 4010.
   */
  port?: number
  /**
   * API hosts the browser's tracker may call besides `https://api.refport.io`: a custom
   * `apiHost` (`https://track.acme.com`) or a first-party proxy (`http://localhost:3000/_refport`).
   * Their `/track/*` requests are answered by the test's mock.
   */
  apiHosts?: string[]
  /** Publishable key the site's tracker sends; default the mock's `pk_test_refport`. */
  publishableKey?: string
  /** Secret key the app's server sends (`REFPORT_API_KEY`); default the mock's `refport_test_key`. */
  apiKey?: string
  /** Partners the mock knows (restored before each test); default: any partner key is accepted. */
  partners?: MockPartners
  /** How long `landViaPartner` and `expectCredited` wait, in ms; default 5000. */
  timeout?: number
}

/** The options with every default filled in. */
export interface ResolvedFixtureOptions {
  port: number
  apiHosts: string[]
  publishableKey: string
  apiKey: string
  partners: MockPartners | undefined
  timeout: number
}

/**
 * Default port of the fixed API URL (`REFPORT_API_URL`): the same as `npx refport-mock`.
 *
 * @example
 * ```ts
 * refportServerEnv().REFPORT_API_URL === `http://127.0.0.1:${DEFAULT_REFPORT_PORT}` // without REFPORT_MOCK_PORT
 * ```
 */
export const DEFAULT_REFPORT_PORT = 4010

/** Fills in the defaults and checks what a user can get wrong, with errors that say what to do. */
export function resolveFixtureOptions(
  options: RefportFixtureOptions | undefined,
  env: Record<string, string | undefined> = process.env,
): ResolvedFixtureOptions {
  const port = options?.port ?? portFromEnv(env)
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new TypeError(
      `refport/playwright: refportOptions.port must be a port number 1–65535, got ${JSON.stringify(options?.port)}`,
    )
  const apiHosts = [DEFAULT_API_HOST, ...(options?.apiHosts ?? []).map(normalizeApiHost)]
  const timeout = options?.timeout ?? 5000
  if (!(Number.isFinite(timeout) && timeout > 0))
    throw new TypeError('refport/playwright: refportOptions.timeout must be a number of ms > 0')
  return {
    port,
    apiHosts: [...new Set(apiHosts)],
    publishableKey: options?.publishableKey ?? MOCK_PUBLISHABLE_KEY,
    apiKey: options?.apiKey ?? MOCK_API_KEY,
    partners: options?.partners,
    timeout,
  }
}

function portFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.REFPORT_MOCK_PORT
  if (raw === undefined || raw === '') return DEFAULT_REFPORT_PORT
  if (!/^\d{1,5}$/.test(raw))
    throw new TypeError(`refport/playwright: REFPORT_MOCK_PORT must be a port number, got ${JSON.stringify(raw)}`)
  return Number(raw)
}

/** `https://track.acme.com/` → `https://track.acme.com`; a path prefix (`/_refport`) is kept. */
function normalizeApiHost(host: string): string {
  let url: URL
  try {
    url = new URL(host)
  } catch {
    throw new TypeError(
      `refport/playwright: apiHosts entry ${JSON.stringify(host)} is not an absolute URL — write it as the tracker's apiHost, e.g. "https://track.acme.com"`,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new TypeError(`refport/playwright: apiHosts entry ${JSON.stringify(host)} must be http(s)`)
  return (url.origin + url.pathname).replace(/\/+$/, '')
}

/** The fixed API URL on `port`. */
export const hubUrl = (port: number) => `http://127.0.0.1:${port}`

/**
 * The environment the app's server needs to report to the test mocks: pass it as the
 * `env` of Playwright's `webServer`. `REFPORT_API_URL` is the one that matters;
 * `REFPORT_API_KEY` is the mock's key (override it with `refportOptions.apiKey` if your
 * server reads its key elsewhere).
 *
 * @example
 * ```ts
 * // playwright.config.ts
 * import { refportServerEnv } from 'refport/playwright'
 *
 * export default defineConfig({
 *   globalSetup: 'refport/playwright/global-setup',
 *   webServer: { command: 'npm start', url: 'http://localhost:3000', env: refportServerEnv() },
 * })
 * ```
 */
export function refportServerEnv(options?: Pick<RefportFixtureOptions, 'port' | 'apiKey'>): {
  REFPORT_API_URL: string
  REFPORT_API_KEY: string
} {
  const resolved = resolveFixtureOptions(options)
  return { REFPORT_API_URL: hubUrl(resolved.port), REFPORT_API_KEY: resolved.apiKey }
}
