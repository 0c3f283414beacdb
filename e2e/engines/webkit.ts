/**
 * WebKit (WebKitGTK, the engine of Safari) driven over W3C WebDriver by WebKitWebDriver,
 * with Safari's tracking prevention (ITP) on. WebKitGTK has no headless mode, so it draws
 * into a private Xvfb display. The browser is our own small one
 * (webkit/automation-browser.py): every session gets a persistent profile folder of its own
 * with ITP enabled, the only set-up in which WebKit caps script-written cookies as Safari
 * does. Host names reach the e2e servers through a loopback proxy (webkit/host-proxy.ts).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ORIGINS } from '../servers/config.mjs'
import { startProcess } from './processes'
import type { BrowserCookie, BrowserSession, Engine } from './session'
import { startHostProxy } from './webkit/host-proxy'

export const WEBKIT_DRIVER_PATH = process.env.WEBKIT_DRIVER_PATH || '/usr/bin/WebKitWebDriver'
const AUTOMATION_BROWSER = fileURLToPath(new URL('./webkit/automation-browser.py', import.meta.url))
/** The name the automation browser reports; WebDriver's `browserName` must match it. */
const BROWSER_NAME = 'refport-webkit'
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf'

type Stoppable = { stop(): Promise<void> }

export function webkit(): Engine {
  const stops: Array<() => Promise<void>> = []
  /**
   * Two WebKitWebDriver processes: each holds one session at a time, so the spare session
   * opens on the one the previous test has just left.
   */
  const drivers: string[] = []
  let opened = 0
  let proxyUrl: string | undefined
  let profiles: string | undefined
  /** The next session, opened while the current test runs: a session costs seconds to start. */
  let spare: Promise<BrowserSession> | undefined

  async function openSession(): Promise<BrowserSession> {
    const driverUrl = drivers[opened++ % drivers.length]
    if (!driverUrl || !proxyUrl || !profiles) throw new Error('webkit: start() first')
    const profile = mkdtempSync(join(profiles, 'session-'))
    let session: BrowserSession | undefined
    try {
      const wd = webDriver(driverUrl)
      const created = await wd<{ sessionId: string }>('POST', '/session', {
        capabilities: {
          alwaysMatch: {
            browserName: BROWSER_NAME,
            acceptInsecureCerts: true,
            'webkitgtk:browserOptions': {
              binary: AUTOMATION_BROWSER,
              args: ['--profile', profile, '--proxy', proxyUrl],
            },
          },
        },
      })
      const client = webDriver(`${driverUrl}/session/${created.sessionId}`)
      await client('POST', '/timeouts', { script: 10_000, pageLoad: 15_000, implicit: 0 })
      session = webkitSession(client, profile)
      // The first page of a profile starts WebKit's web and network processes.
      await session.goto(`${ORIGINS.siteIp}/__health`)
      return session
    } catch (error) {
      await session?.close().catch(() => {})
      rmSync(profile, { recursive: true, force: true })
      throw error
    }
  }

  return {
    name: 'webkit',
    async start() {
      // Every session's profile lives in here. WebKit's processes may still write to a
      // profile for a moment after the session ends, so the folder goes only once they
      // are all stopped (the last step of stop()).
      const folder = mkdtempSync(join(tmpdir(), 'refport-webkit-'))
      profiles = folder
      stops.push(async () => rmSync(folder, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }))
      const proxy = await startHostProxy()
      stops.push(() => proxy.close())
      proxyUrl = proxy.url
      const { xvfb, display } = await startXvfb()
      stops.push(() => xvfb.stop())
      for (const _ of [1, 2]) {
        const port = await freePort()
        const driver = startProcess(WEBKIT_DRIVER_PATH, [`--port=${port}`, '--host=127.0.0.1'], {
          env: { ...process.env, DISPLAY: display },
        })
        stops.push(() => driver.stop())
        await waitForDriver(`http://127.0.0.1:${port}`, driver)
        drivers.push(`http://127.0.0.1:${port}`)
      }
    },
    async newSession() {
      const session = await (spare ?? openSession())
      spare = openSession()
      spare.catch(() => {}) // reported when taken
      return session
    },
    async stop() {
      await spare?.then((session) => session.close()).catch(() => {})
      spare = undefined
      drivers.length = 0
      // Last started, first stopped: the driver (and the browsers it runs), Xvfb, the proxy, the profiles.
      for (const stop of stops.splice(0).reverse()) await stop().catch(() => {})
    },
  }
}

/** A WebDriver client bound to a base URL: `(method, path, body)` → the answer's `value`. */
function webDriver(base: string) {
  return async <T = unknown>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(base + path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const answer = (await response.json()) as { value: T & { error?: string; message?: string } }
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${answer.value?.error}: ${answer.value?.message}`)
    return answer.value
  }
}

function webkitSession(wd: ReturnType<typeof webDriver>, profile: string): BrowserSession {
  const find = async (selector: string): Promise<string> =>
    (await wd<Record<string, string>>('POST', '/element', { using: 'css selector', value: selector }))[ELEMENT]!
  // Runs an async function: WebDriver's async script calls back with the last argument.
  const evaluate = async <T>(source: string, args: unknown[]): Promise<T> => {
    const result = await wd<{ ok: T } | { error: string }>('POST', '/execute/async', {
      script: `const done = arguments[arguments.length - 1];
        Promise.resolve().then(() => (${source}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
          .then((ok) => done({ ok }), (error) => done({ error: String(error && error.stack || error) }))`,
      args,
    })
    if ('error' in result) throw new Error(`in the page: ${result.error}`)
    return result.ok
  }
  // A navigation has finished when the marker left on the old document is gone and the
  // new one has loaded. WebDriver may answer a script sent mid-navigation with an error.
  const waitForNewDocument = async (): Promise<void> => {
    const deadline = Date.now() + 15_000
    while (Date.now() < deadline) {
      const loaded = await evaluate<boolean>(
        '() => !("__refportOldDocument" in window) && document.readyState == "complete"',
        [],
      ).catch(() => false)
      if (loaded) return
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    throw new Error('webkit: the click did not lead to a new page within 15 s')
  }
  return {
    async goto(url) {
      await wd('POST', '/url', { url })
    },
    url: () => wd<string>('GET', '/url'),
    evaluate: (fn, ...args) => evaluate(fn.toString(), args),
    async click(selector, { navigates = false } = {}) {
      if (navigates) await evaluate('() => { window.__refportOldDocument = true }', [])
      await wd('POST', `/element/${await find(selector)}/click`, {})
      if (navigates) await waitForNewDocument()
    },
    async fill(selector, text) {
      await wd('POST', `/element/${await find(selector)}/value`, { text })
    },
    async reload() {
      await wd('POST', '/refresh', {})
    },
    async back() {
      await wd('POST', '/back', {})
    },
    async forward() {
      await wd('POST', '/forward', {})
    },
    async cookies() {
      type WebDriverCookie = {
        name: string
        value: string
        domain: string
        path: string
        secure: boolean
        expiry?: number
      }
      return (await wd<WebDriverCookie[]>('GET', '/cookie')).map(
        (cookie): BrowserCookie => ({
          name: cookie.name,
          value: cookie.value,
          domain: cookie.domain,
          path: cookie.path,
          secure: cookie.secure,
          expires: cookie.expiry,
        }),
      )
    },
    // Written by the automation browser: classic WebDriver has no page-error or console events.
    problems: () => {
      try {
        return readFileSync(join(profile, 'problems.log'), 'utf8').split('\n').filter(Boolean)
      } catch {
        return [] // nothing reported yet
      }
    },
    async close() {
      try {
        // WebKitWebDriver ends the browser with the session; the profile folder stays behind.
        await wd('DELETE', '')
      } finally {
        // WebKit's network process may still be writing into the profile for a moment after
        // the session ends (ENOTEMPTY): retry, and leave any rest to the removal of the
        // whole profiles folder when the engine stops.
        try {
          rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 })
        } catch {}
      }
    },
  }
}

/** An X display of its own (Xvfb picks a free number and writes it to fd 3). */
async function startXvfb(): Promise<{ xvfb: Stoppable; display: string }> {
  const xvfb = startProcess('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  })
  const displayNumber = await new Promise<string>((resolve, reject) => {
    let text = ''
    xvfb.child.stdio[3]!.on('data', (chunk: Buffer) => {
      text += chunk.toString()
      if (text.includes('\n')) resolve(text.trim())
    })
    void xvfb.exited.then(() => reject(new Error(`Xvfb exited: ${xvfb.stderr()}`)))
  })
  return { xvfb, display: `:${displayNumber}` }
}

/** A loopback port free right now (the driver takes it a moment later). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitForDriver(url: string, driver: ReturnType<typeof startProcess>): Promise<void> {
  let exited = false
  void driver.exited.then(() => (exited = true))
  const deadline = Date.now() + 10_000
  while (Date.now() < deadline && !exited) {
    const ready = await fetch(`${url}/status`).then(
      (response) => response.ok,
      () => false,
    )
    if (ready) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`WebKitWebDriver did not start: ${driver.stderr()}`)
}
