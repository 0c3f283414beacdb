/**
 * A fresh page for each of the tracker's unit tests (happy-dom), over the tracker's
 * sources (`refport-js` resolves to `src/index.ts` in the vitest and tsc configs).
 *
 * The tracker keeps per-page state in three places, and a test must reset all three to
 * look like a fresh page load: the landing URL (captured when `landing.ts` is first
 * evaluated), the module-level state of `index.ts` / `log.ts`, and the
 * `window.refportConsent` once-per-page guard. {@link loadTracker} does that in the only order that
 * works: URL first, then a fresh module graph, then `import()`.
 *
 * happy-dom keeps one cookie jar and one `document` per test file, so {@link useTrackerPage}
 * also removes the document listeners the tracker added (outbound decoration would
 * otherwise leak into the next test), every cookie on every URL a test visited, and every
 * stub.
 */
import { afterEach, beforeEach, expect, vi } from 'vitest'

export type Tracker = typeof import('refport-js')

/** The happy-dom window with the members the tests poke at. */
export const page = window as unknown as Window & {
  happyDOM: { setURL(url: string): void }
  refportConsent?: unknown
  refport?: unknown
}

/** Navigation Timing `type` of the simulated page load, or `null` for a browser without the API entry. */
export type NavigationType = 'navigate' | 'reload' | 'back_forward' | 'prerender' | null

/** A cookie as happy-dom's `cookieStore` reports it (more fields than the DOM typings list). */
interface StoredCookie {
  name: string
  value: string
  /** `''` / `null` for a host-only cookie. */
  domain: string | null
  path: string
  /** Epoch milliseconds, `null` for a session cookie. */
  expires: number | null
  secure: boolean
}

/** Every cookie a page at the current URL can see. */
const storedCookies = async (): Promise<StoredCookie[]> => (await cookieStore.getAll()) as unknown as StoredCookie[]

const visitedURLs = new Set<string>()
const documentListeners: Array<[string, EventListenerOrEventListenerObject, unknown]> = []
const unhandled: unknown[] = []

/** Moves the page to `url` without a navigation (no reload, the same document and cookie jar). */
function setURL(url: string): void {
  visitedURLs.add(url)
  page.happyDOM.setURL(url)
}

/** Makes `performance.getEntriesByType('navigation')` report `type` (or nothing). */
function setNavigationType(type: NavigationType): void {
  vi.spyOn(performance, 'getEntriesByType').mockImplementation(((entryType: string) =>
    entryType === 'navigation' && type ? [{ entryType, type, name: location.href }] : []) as never)
}

/**
 * A fresh page load of `url`: sets the URL, drops every module so `landing.ts` captures
 * it again, removes the once-per-page guard and all cookies, then imports the tracker.
 * Nothing runs until the test calls `init()`.
 */
export async function loadTracker(url: string, navigationType: NavigationType = 'navigate'): Promise<Tracker> {
  await freshPage(url, navigationType)
  return await import('refport-js')
}

/** Everything {@link loadTracker} does except the import (the script-tag tests load `src/script.ts` instead). */
export async function freshPage(url: string, navigationType: NavigationType = 'navigate'): Promise<void> {
  setURL(url)
  vi.resetModules()
  delete page.refportConsent
  await clearAllCookies()
  setNavigationType(navigationType)
}

/**
 * Expires every cookie visible on any URL a test visited. happy-dom offers no public
 * "clear the jar" on the test window, so this walks the URLs with `cookieStore`, which
 * reports each cookie's Domain and Path, and writes the matching expired cookie.
 */
async function clearAllCookies(): Promise<void> {
  const current = location.href
  for (const url of visitedURLs) {
    page.happyDOM.setURL(url)
    for (const cookie of await storedCookies()) {
      document.cookie =
        `${cookie.name}=; Path=${cookie.path || '/'}; Expires=Thu, 01 Jan 1970 00:00:00 GMT` +
        (cookie.domain ? `; Domain=${cookie.domain}` : '')
    }
  }
  page.happyDOM.setURL(current)
}

/** The cookies the page at `url` (default: the current URL) can see, as the browser stored them. */
export async function cookiesAt(url?: string): Promise<StoredCookie[]> {
  const current = location.href
  if (url) setURL(url)
  try {
    return await storedCookies()
  } finally {
    page.happyDOM.setURL(current)
  }
}

/** `document.cookie` as a page at `url` sees it, the page then moved back. */
export function documentCookieAt(url: string): string {
  const current = location.href
  setURL(url)
  try {
    return document.cookie
  } finally {
    page.happyDOM.setURL(current)
  }
}

/** Writes a cookie as another page (for example a sibling subdomain) would have. */
export function setCookieAs(url: string, cookie: string): void {
  const current = location.href
  setURL(url)
  document.cookie = cookie
  page.happyDOM.setURL(current)
}

/** The descriptor of `document.cookie` on happy-dom's Document prototype. */
function cookieDescriptor(): PropertyDescriptor {
  for (let proto = Object.getPrototypeOf(document); proto; proto = Object.getPrototypeOf(proto)) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, 'cookie')
    if (descriptor) return descriptor
  }
  throw new Error('document.cookie has no descriptor')
}

/**
 * Records every string assigned to `document.cookie` (still applying it), so a test can
 * see the exact attributes the tracker wrote, including ones the jar does not report
 * (`SameSite`, `Max-Age`).
 */
export function recordCookieWrites(): string[] {
  const writes: string[] = []
  const { get, set } = cookieDescriptor()
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get() {
      return get!.call(document)
    },
    set(value: string) {
      writes.push(value)
      set!.call(document, value)
    },
  })
  return writes
}

/**
 * Records every `document.cookie` access from now on, in order: `read`, or the name of the
 * cookie written. A read right after a write is a synchronous round trip to the browser's
 * cookie store, so the tests pin how many the tracker makes.
 */
export function recordCookieAccess(): string[] {
  const accesses: string[] = []
  const { get, set } = cookieDescriptor()
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get() {
      accesses.push('read')
      return get!.call(document)
    },
    set(value: string) {
      accesses.push(value.split('=')[0]!)
      set!.call(document, value)
    },
  })
  return accesses
}

/** Makes `document.cookie` throw on read and/or write, as it does in a sandboxed iframe. */
export function breakDocumentCookie({ read = true, write = true } = {}): void {
  const { get, set } = cookieDescriptor()
  const securityError = (): never => {
    throw new DOMException('The document is sandboxed and lacks the allow-same-origin flag.', 'SecurityError')
  }
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: read ? securityError : () => get!.call(document),
    set: write ? securityError : (value: string) => set!.call(document, value),
  })
}

/** A click API answer as the real API sends it. */
export const clickResponse = (body: unknown, status = 200): Response =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  })

export type FetchStub = ReturnType<typeof vi.fn<(input: RequestInfo | URL, init?: RequestInit) => Promise<Response>>>

/** Replaces `fetch` with a stub answering `respond` (default: a click ID `cl_minted`). */
export function stubFetch(
  respond: (input: RequestInfo | URL, init?: RequestInit) => Response | Promise<Response> = () =>
    clickResponse({ clickId: 'cl_minted', partner: { key: 'jane' } }),
): FetchStub {
  const stub = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => respond(input, init))
  vi.stubGlobal('fetch', stub)
  return stub
}

/**
 * Lets every pending promise continuation and I/O callback run: the tracker's landing
 * work is a chain of promises (fetch → body → cookie), and `setImmediate` fires only once
 * the microtask queue is empty. Several rounds cover a body read through a stream.
 * Not a sleep: no wall-clock time is waited for.
 */
export async function settle(): Promise<void> {
  for (let round = 0; round < 10; round++) await new Promise((resolve) => setImmediate(resolve))
}

/**
 * Registers the per-test isolation: document listeners added by the tracker are
 * removed, cookies cleared, stubs restored, and any unhandled rejection (window event or
 * Node process event) fails the test.
 */
export function useTrackerPage(): void {
  const onWindowRejection = (event: Event): void => {
    unhandled.push((event as PromiseRejectionEvent).reason ?? event)
  }
  const onProcessRejection = (reason: unknown): void => {
    unhandled.push(reason)
  }
  beforeEach(() => {
    unhandled.length = 0
    addEventListener('unhandledrejection', onWindowRejection)
    process.on('unhandledRejection', onProcessRejection)
    const add = document.addEventListener
    vi.spyOn(document, 'addEventListener').mockImplementation(function (this: Document, type, listener, options) {
      documentListeners.push([type, listener!, options])
      add.call(this, type, listener, options)
    })
  })
  afterEach(async () => {
    await settle()
    removeEventListener('unhandledrejection', onWindowRejection)
    process.off('unhandledRejection', onProcessRejection)
    for (const [type, listener, options] of documentListeners.splice(0))
      document.removeEventListener(type, listener, options as EventListenerOptions)
    vi.useRealTimers()
    vi.unstubAllGlobals()
    vi.restoreAllMocks()
    delete (document as unknown as Record<string, unknown>).cookie
    delete (document as unknown as Record<string, unknown>).currentScript
    delete page.refport
    delete page.refportConsent
    document.body.innerHTML = ''
    document.head.innerHTML = ''
    await clearAllCookies()
    expect(unhandled, 'unhandled promise rejections').toEqual([])
  })
}

/**
 * Takes `crypto` away, as in a very old browser or an odd sandbox: the tracker cannot mint
 * a click ID and falls back to the request-first path (the API mints the ID, the cookie is
 * written when its answer arrives). Tests of that path, and of rules that hold on both
 * paths but are easiest to see on it, call this first.
 */
export function withoutCrypto(): void {
  vi.stubGlobal('crypto', undefined)
}
