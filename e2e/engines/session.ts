/**
 * What a scenario may do with a browser, the same in every engine: Firefox (puppeteer-core
 * over WebDriver BiDi) and WebKit (W3C WebDriver to WebKitGTK). Each scenario is written
 * once against this and runs in both; engine-specific code stays in firefox.ts and webkit.ts.
 */

/** A cookie as the browser stores it, for the page currently open. */
export interface BrowserCookie {
  name: string
  value: string
  /** `.example.test` for a Domain cookie, the bare host for a host-only one. */
  domain: string
  path: string
  secure: boolean
  /** Unix time in seconds; `undefined` for a session cookie. */
  expires: number | undefined
}

/** One fresh profile (cookies, history, storage) with one tab. */
export interface BrowserSession {
  /** Opens `url` and resolves after its `load` event. */
  goto(url: string): Promise<void>
  /** The address bar. */
  url(): Promise<string>
  /**
   * Runs `fn` in the page (its source is sent, so it may use only its arguments) and
   * resolves with its (awaited) result.
   */
  evaluate<T, A extends unknown[]>(fn: (...args: A) => T | Promise<T>, ...args: A): Promise<T>
  /**
   * A real click (pointer events from the browser, not `element.click()`) on the first
   * match. With `navigates`, resolves once the page it leads to has loaded.
   */
  click(selector: string, options?: { navigates?: boolean }): Promise<void>
  /** Types `text` into the first match. */
  fill(selector: string, text: string): Promise<void>
  reload(): Promise<void>
  back(): Promise<void>
  forward(): Promise<void>
  /** The cookies the current page's URL would be sent. */
  cookies(): Promise<BrowserCookie[]>
  /** Page errors and console errors seen so far, where the engine reports them. */
  problems(): string[]
  /** Ends the session and removes its profile. */
  close(): Promise<void>
}

/** A browser engine, started once per run; every session gets a fresh profile. */
export interface Engine {
  readonly name: 'firefox' | 'webkit'
  start(): Promise<void>
  newSession(): Promise<BrowserSession>
  /** Stops every process the engine started; safe to call twice or after a failed start. */
  stop(): Promise<void>
}
