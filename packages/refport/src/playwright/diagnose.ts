/**
 * The failure message of `expectCredited` and `landViaPartner`: what was expected, and
 * every fact that says where the chain broke — the click, the browser's cookie, what the
 * app's server sent and what it got back. Pure: facts in, text out.
 */
import type { RecordedLead, RecordedSale } from '@refport/contract'
import type { MockState } from '../mock/store'
import type { HubLogEntry } from './hub'

/**
 * What a test expects to be credited.
 *
 * @example
 * ```ts
 * const signUp: CreditExpectation = { partner: 'jane', event: 'Sign Up' }
 * const purchase: CreditExpectation = { type: 'sale', partner: 'jane', event: 'Purchase' }
 * ```
 */
export interface CreditExpectation {
  /** `lead` (default) or `sale`. */
  type?: 'lead' | 'sale'
  /** Partner key, as in `?via=jane`. */
  partner: string
  /** Event name: `'Sign Up'` for a lead, `'Purchase'` for a sale; any when omitted. */
  event?: string
  customerExternalId?: string
  customerEmail?: string
}

/** A tracker request the browser made, as the fixture saw it. */
export interface BrowserCall {
  url: string
  /** Status the mock answered with; absent when the request failed. */
  status?: number
  /** The mock's error message, or the network failure. */
  message?: string
}

/** Everything the fixture knows when an expectation fails. */
export interface Facts {
  state: MockState
  /** `refp_id` cookies in the browser context. */
  cookies: Array<{ value: string; domain: string }>
  /** Click requests answered by the test's mock. */
  browserClicks: BrowserCall[]
  /** Requests to a `/track/` path on a host the fixture does not route. */
  strayCalls: BrowserCall[]
  apiHosts: string[]
  hub: HubFacts
}

/** What the hub (the fixed `REFPORT_API_URL`) saw during the test. */
export interface HubFacts {
  url: string
  /** `false` when nothing answers at `url`: the global setup is missing. */
  running: boolean
  requests: HubLogEntry[]
  unrouted: HubLogEntry[]
}

/** The recorded lead or sale that satisfies `expected`, if any. */
export function findCredit(state: MockState, expected: CreditExpectation): RecordedLead | RecordedSale | undefined {
  const list: Array<RecordedLead | RecordedSale> = expected.type === 'sale' ? state.sales : state.leads
  return list.find((record) => {
    if (record.partner.key !== expected.partner) return false
    if (expected.event !== undefined && record.eventName !== expected.event) return false
    if (expected.customerExternalId !== undefined && record.customerExternalId !== expected.customerExternalId)
      return false
    if (expected.customerEmail !== undefined && (record as RecordedLead).customerEmail !== expected.customerEmail)
      return false
    return true
  })
}

/** Describes what was expected in one phrase: `a lead "Sign Up" credited to partner "jane"`. */
export function describeExpectation(expected: CreditExpectation): string {
  const type = expected.type ?? 'lead'
  const event = expected.event === undefined ? '' : ` ${JSON.stringify(expected.event)}`
  const customer = [
    expected.customerExternalId === undefined
      ? ''
      : ` customerExternalId ${JSON.stringify(expected.customerExternalId)}`,
    expected.customerEmail === undefined ? '' : ` customerEmail ${JSON.stringify(expected.customerEmail)}`,
  ].join('')
  return `a ${type}${event}${customer ? ` for${customer}` : ''} credited to partner ${JSON.stringify(expected.partner)}`
}

/** The full failure message of `expectCredited`. */
export function creditFailure(expected: CreditExpectation, timeoutMs: number, facts: Facts): string {
  const lines = [`refport: expected ${describeExpectation(expected)} within ${timeoutMs} ms, but none was recorded.`]
  lines.push(
    ...clickLines(facts),
    ...cookieLines(facts),
    ...recordLines(expected, facts),
    ...serverLines(expected, facts),
  )
  return lines.join('\n')
}

/** The failure message of `landViaPartner` when no click for `partner` reached the mock. */
export function clickFailure(partner: string, landingUrl: string, timeoutMs: number, facts: Facts): string {
  const lines = [
    `refport: landed on ${landingUrl} but no click for partner ${JSON.stringify(partner)} reached the mock within ${timeoutMs} ms.`,
  ]
  lines.push(...clickLines(facts), ...cookieLines(facts))
  return lines.join('\n')
}

function clickLines(facts: Facts): string[] {
  const { clicks } = facts.state
  const lines: string[] = []
  if (clicks.length) {
    lines.push(
      `- Click: recorded — ${clicks.map((click) => `${click.clickId} for ${JSON.stringify(click.key)} (from the ${click.source})`).join('; ')}.`,
    )
  } else {
    lines.push('- Click: none recorded by the mock.')
  }
  for (const call of facts.browserClicks.filter((call) => call.status === undefined || call.status >= 400))
    lines.push(
      `  The mock answered the browser's click ${call.url} with ${call.status ?? 'no answer'}${call.message ? `: ${call.message}` : ''}.${clickHint(call)}`,
    )
  for (const call of facts.strayCalls)
    lines.push(
      `  The browser sent ${call.url}${call.message ? ` (${call.message})` : ''}, a host the fixture does not route to the mock. ` +
        `If that is your tracker's apiHost, add it: test.use({ refportOptions: { apiHosts: [${JSON.stringify(apiHostOf(call.url))}] } }).`,
    )
  if (!clicks.length && !facts.browserClicks.length && !facts.strayCalls.length)
    lines.push(
      `  The browser made no click request at all (routed hosts: ${facts.apiHosts.join(', ')}): did the page load the tracker, and did the URL carry the partner parameter?`,
    )
  return lines
}

function clickHint(call: BrowserCall): string {
  if (call.status === 401) return ' Set refportOptions.publishableKey to the key your page sends.'
  if (call.status === 404)
    return ' Add the partner to refportOptions.partners, or leave partners unset to accept any key.'
  return ''
}

function apiHostOf(url: string): string {
  const parsed = new URL(url)
  return parsed.origin + parsed.pathname.replace(/\/track\/.*$/, '')
}

function cookieLines(facts: Facts): string[] {
  if (!facts.cookies.length) return ['- Cookie: no refp_id cookie in the browser.']
  const known = new Set(facts.state.clicks.map((click) => click.clickId))
  return facts.cookies.map(
    (cookie) =>
      `- Cookie: refp_id=${cookie.value} (domain ${cookie.domain}) in the browser — ${known.has(cookie.value) ? 'a click the mock recorded' : 'NOT a click the mock recorded'}.`,
  )
}

function recordLines(expected: CreditExpectation, facts: Facts): string[] {
  const type = expected.type ?? 'lead'
  const records: Array<RecordedLead | RecordedSale> = type === 'sale' ? facts.state.sales : facts.state.leads
  if (!records.length) return [`- ${type === 'sale' ? 'Sales' : 'Leads'}: none recorded.`]
  const inBrowser = new Set(facts.cookies.map((cookie) => cookie.value))
  const lines = [`- ${type === 'sale' ? 'Sales' : 'Leads'} recorded instead:`]
  for (const record of records) {
    const foreign =
      inBrowser.size && !inBrowser.has(record.clickId)
        ? ` — for another click ID than the browser's ${[...inBrowser].join(', ')}`
        : ''
    lines.push(
      `  ${JSON.stringify(record.eventName)} for partner ${JSON.stringify(record.partner.key)}, clickId ${record.clickId}, customerExternalId ${JSON.stringify(record.customerExternalId)}${foreign}`,
    )
  }
  return lines
}

function serverLines(expected: CreditExpectation, facts: Facts): string[] {
  const { hub } = facts
  if (!hub.running)
    return [
      `- Server: nothing answers at ${hub.url}, the app's REFPORT_API_URL. Add globalSetup: 'refport/playwright/global-setup' to playwright.config.ts.`,
    ]
  const path = expected.type === 'sale' ? '/track/sale' : '/track/lead'
  const lines: string[] = []
  const seen = [...hub.requests, ...hub.unrouted]
  if (!seen.length) {
    lines.push(
      `- Server: your app's server made no call to ${hub.url} during this test. Start it with REFPORT_API_URL=${hub.url} ` +
        '(webServer: { env: refportServerEnv() }); without it, it reports to https://api.refport.io or to whatever URL it was given.',
    )
  } else if (!seen.some((entry) => entry.path.endsWith(path))) {
    lines.push(`- Server: your app's server called ${hub.url} but sent no ${path}.`)
  }
  const inBrowser = new Set(facts.cookies.map((cookie) => cookie.value))
  for (const entry of hub.requests.filter((entry) => entry.status < 200 || entry.status >= 300))
    lines.push(
      `- Server: ${entry.method} ${entry.path}${idsOf(entry)} was answered ${entry.status || 'with nothing'}${entry.message ? `: ${entry.message}` : ''}.`,
    )
  // Calls the hub could not tie to a worker: any test's, unless the click ID is this browser's.
  for (const entry of hub.unrouted) {
    const mine =
      entry.clickId !== undefined && inBrowser.has(entry.clickId) ? " — the click ID in this browser's cookie" : ''
    lines.push(
      `- Server: ${entry.method} ${entry.path}${idsOf(entry)} was answered 404: ${entry.message?.replace(/^refport hub: /, '') ?? 'no test owns it'}${mine}.`,
    )
  }
  return lines
}

function idsOf(entry: HubLogEntry): string {
  const ids = [
    entry.clickId === undefined ? '' : `clickId ${entry.clickId}`,
    entry.customerExternalId === undefined ? '' : `customerExternalId ${JSON.stringify(entry.customerExternalId)}`,
  ].filter(Boolean)
  return ids.length ? ` (${ids.join(', ')})` : ''
}
