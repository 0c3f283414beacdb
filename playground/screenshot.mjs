// @ts-check
/**
 * Retakes playground/dashboard.png: starts the playground, clicks through the chain in
 * Chromium as two referred visitors (one per partner, one through the React page; the
 * first also buys Acme Pro and renews it), a third who buys at once on the pricing page
 * and a fourth who does nothing, then captures the dashboard.
 *
 *   npm run build && node playground/screenshot.mjs
 *
 * Uses the system Chromium (CHROMIUM_PATH, default /usr/bin/chromium).
 */
import { chromium } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/servers/config.mjs'
import { startPlayground } from './playground.mjs'

const playground = await startPlayground()
const { urls } = playground
const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  args: [...CHROMIUM_ARGS],
})

/**
 * One visitor in a fresh browser profile: lands on `landing`, signs up when given an email,
 * and buys Acme Pro (and renews it) when asked to.
 * @param {string} landing
 * @param {{ email: string, name: string, buy?: boolean }} [signUp]
 */
async function visitor(landing, signUp) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const click = page.waitForResponse((response) => response.url().endsWith('/track/click'))
  await page.goto(landing)
  await click
  if (signUp) {
    await page.click('#signup, #signup-express')
    await page.fill('input[name=email]', signUp.email)
    await page.fill('input[name=name]', signUp.name)
    await page.fill('input[name=password]', 'playground-password')
    await page.click('button[type=submit]')
    await page.waitForSelector('#result[data-status=signed-up]')
    if (signUp.buy) {
      await page.click('#buy button')
      await page.click('#pay')
      await page.click('#renew')
      await page.waitForFunction(() => document.querySelectorAll('tr.delivery').length === 3)
    }
  }
  await context.close()
}

/** A visitor who buys at once from the pricing page's Payment Link, with no sign-up. */
async function directBuyer(/** @type {string} */ landing, /** @type {string} */ email) {
  const context = await browser.newContext()
  const page = await context.newPage()
  const click = page.waitForResponse((response) => response.url().endsWith('/track/click'))
  await page.goto(landing)
  await click
  await page.click('#buy-lifetime')
  await page.fill('input[name=email]', email)
  await page.click('#pay')
  await page.waitForSelector('#paid')
  await context.close()
}

try {
  await visitor(`${urls.site}/?via=jane`, { email: 'ada@example.com', name: 'Ada', buy: true })
  await visitor(`${urls.site}/react?via=alex`, { email: 'grace@example.com', name: 'Grace' })
  await directBuyer(`${urls.site}/pricing?via=alex`, 'linus@example.com')
  await visitor(`${urls.site}/?via=jane`)
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
  await page.goto(urls.dashboard)
  await page.waitForFunction(() => document.querySelectorAll('#sales tbody tr:not(:has(.empty))').length === 3)
  const output = new URL('./dashboard.png', import.meta.url).pathname
  await page.screenshot({ path: output, fullPage: true })
  console.log(`wrote ${output}`)
} finally {
  await browser.close()
  await playground.close()
}
