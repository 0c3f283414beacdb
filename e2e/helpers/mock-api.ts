/**
 * What every browser suite (Playwright in Chromium, the Firefox and WebKit runner) asks the
 * mock Refport API, and names unique per test so tests running side by side against one
 * mock never see each other's clicks or leads. No browser code here.
 */
import { randomBytes } from 'node:crypto'
import { registerClick } from '@refport/test-support/mock-api'
import type { MockState } from 'refport/testing'
import { ORIGINS } from '../servers/config.mjs'

/** A partner key no other test uses, e.g. `jane_k3v9x1`. */
export const partnerKey = (name: string): string => `${name}_${randomBytes(4).toString('hex')}`

/** An email no other test uses. */
export const uniqueEmail = (name: string): string => `${name}.${randomBytes(4).toString('hex')}@example.test`

/** Everything the mock API recorded. */
export async function mockState(apiOrigin: string = ORIGINS.mockApi): Promise<MockState> {
  const response = await fetch(`${apiOrigin}/__mock/state`)
  if (!response.ok) throw new Error(`mock state: HTTP ${response.status}`)
  return (await response.json()) as MockState
}

/** Clicks the mock recorded for `key`. */
export const clicksFor = async (key: string, apiOrigin?: string) =>
  (await mockState(apiOrigin)).clicks.filter((click) => click.key === key)

/** Leads the mock recorded for `email`. */
export const leadsFor = async (email: string) =>
  (await mockState()).leads.filter((lead) => lead.customerEmail === email)

/**
 * A click through a Refport short link (`https://refp.example.test/<key>`) for partner
 * `key`, registered on the mock, as the link does before redirecting with `?refp_id=`.
 * Returns its click ID.
 */
export const shortLinkClick = (key: string): Promise<string> =>
  registerClick(ORIGINS.mockApi, key, `https://refp.example.test/${key}`)
