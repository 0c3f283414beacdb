// @ts-check
/**
 * Retakes playground/dashboard.png: starts the playground, clicks through the chain in
 * Chromium as two referred visitors (one per partner, one through the React page) and a
 * third who does not sign up, then captures the dashboard.
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
 * One visitor in a fresh browser profile: lands on `landing`, and signs up when given an email.
 * @param {string} landing
 * @param {{ email: string, name: string }} [signUp]
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
  }
  await context.close()
}

try {
  await visitor(`${urls.site}/?via=jane`, { email: 'ada@example.com', name: 'Ada' })
  await visitor(`${urls.site}/react?via=alex`, { email: 'grace@example.com', name: 'Grace' })
  await visitor(`${urls.site}/?via=jane`)
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
  await page.goto(urls.dashboard)
  await page.waitForFunction(() => document.querySelectorAll('#leads tbody tr:not(:has(.empty))').length == 2)
  const output = new URL('./dashboard.png', import.meta.url).pathname
  await page.screenshot({ path: output, fullPage: true })
  console.log(`wrote ${output}`)
} finally {
  await browser.close()
  await playground.close()
}
