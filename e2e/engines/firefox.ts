/**
 * Firefox (Debian's firefox-esr) driven headless by puppeteer-core over WebDriver BiDi.
 * Playwright's own Firefox build cannot be downloaded here, and its `moz-firefox` channel
 * needs a newer Firefox than ESR. One browser per run; each session is a new browser
 * context, which has its own cookie jar and history.
 */
import puppeteer, { type Browser, type BrowserContext, type Page } from 'puppeteer-core'
import { TEST_HOSTS } from './hosts'
import type { BrowserCookie, BrowserSession, Engine } from './session'

export const FIREFOX_PATH = process.env.FIREFOX_PATH || '/usr/bin/firefox-esr'

export function firefox(): Engine {
  let browser: Browser | undefined
  return {
    name: 'firefox',
    async start() {
      browser = await puppeteer.launch({
        browser: 'firefox',
        executablePath: FIREFOX_PATH,
        headless: true,
        // The self-signed certificate of https://www.example.test (Secure cookies).
        acceptInsecureCerts: true,
        extraPrefsFirefox: {
          // Firefox's own host mapping: these names resolve to loopback, nothing reaches DNS.
          'network.dns.localDomains': TEST_HOSTS.join(','),
        },
      })
    },
    async newSession() {
      if (!browser) throw new Error('firefox: start() first')
      const context = await browser.createBrowserContext()
      const page = await context.newPage()
      // Unhandled rejections and CSP violations surface as console errors, caught below.
      await page.evaluateOnNewDocument(() => {
        addEventListener('unhandledrejection', (event) => console.error(`unhandledrejection: ${String(event.reason)}`))
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`CSP violation: ${event.violatedDirective}`),
        )
      })
      return firefoxSession(page, context)
    },
    async stop() {
      const running = browser
      browser = undefined
      await running?.close()
    },
  }
}

function firefoxSession(page: Page, context: BrowserContext): BrowserSession {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`pageerror: ${error instanceof Error ? error.message : String(error)}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console.error: ${message.text()}`)
  })
  return {
    async goto(url) {
      await page.goto(url, { waitUntil: 'load' })
    },
    async url() {
      return page.url()
    },
    evaluate: (fn, ...args) => page.evaluate(fn as never, ...(args as unknown as never[])) as never,
    async click(selector, { navigates = false } = {}) {
      if (navigates) await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.click(selector)])
      else await page.click(selector)
    },
    async fill(selector, text) {
      await page.type(selector, text)
    },
    async reload() {
      await page.reload({ waitUntil: 'load' })
    },
    async back() {
      await page.goBack({ waitUntil: 'load' })
    },
    async forward() {
      await page.goForward({ waitUntil: 'load' })
    },
    async cookies() {
      // The context's jar filtered here: `page.cookies()` misses some Domain cookies under BiDi.
      const host = new URL(page.url()).hostname
      return (await context.cookies())
        .filter((cookie) => domainMatches(host, cookie.domain))
        .map(
          (cookie): BrowserCookie => ({
            name: cookie.name,
            value: cookie.value,
            domain: cookie.domain,
            path: cookie.path,
            secure: cookie.secure,
            expires: cookie.expires > 0 ? cookie.expires : undefined,
          }),
        )
    },
    problems: () => problems,
    close: () => context.close(),
  }
}

/**
 * RFC 6265 §5.1.3 domain-match: a host-only cookie (`www.example.test`) for that host
 * alone, a Domain cookie (`.example.test`) for the domain and every subdomain.
 */
function domainMatches(host: string, cookieDomain: string): boolean {
  const domain = cookieDomain.replace(/^\./, '')
  return host === domain || (cookieDomain.startsWith('.') && host.endsWith(cookieDomain))
}
