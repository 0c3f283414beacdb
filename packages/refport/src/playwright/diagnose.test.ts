import { describe, expect, it } from 'vitest'
import type { MockState } from '../mock/store'
import { creditFailure, describeExpectation, findCredit, type Facts } from './diagnose'

const click = {
  clickId: 'clk_jane_00000000000000',
  key: 'jane',
  url: 'https://acme.com/?via=jane',
  referrer: '',
  origin: 'https://acme.com',
  source: 'browser',
  userAgent: '',
  ip: '',
  createdAt: '',
} as const
const lead = (clickId: string, key: string, eventName = 'Sign Up') => ({
  id: 'lead_1',
  clickId,
  eventName,
  customerExternalId: 'user_1',
  customerEmail: 'ada@example.com',
  partner: { key },
  createdAt: '',
})
const state = (partial: Partial<MockState>): MockState =>
  ({ clicks: [], leads: [], sales: [], preflights: 0, ...partial }) as MockState

function facts(partial: Partial<Facts> = {}): Facts {
  return {
    state: state({}),
    cookies: [],
    browserClicks: [],
    strayCalls: [],
    apiHosts: ['https://api.refport.io'],
    hub: { url: 'http://127.0.0.1:4010', running: true, requests: [], unrouted: [] },
    ...partial,
  }
}

describe('findCredit', () => {
  const recorded = state({ leads: [lead('c1', 'jane'), lead('c2', 'bob', 'Demo Booked')] as MockState['leads'] })
  it.each([
    [{ partner: 'jane' }, 'c1'],
    [{ partner: 'jane', event: 'Sign Up' }, 'c1'],
    [{ partner: 'jane', event: 'Demo Booked' }, undefined],
    [{ partner: 'bob', customerEmail: 'ada@example.com' }, 'c2'],
    [{ partner: 'bob', customerExternalId: 'user_2' }, undefined],
    [{ partner: 'jane', type: 'sale' as const }, undefined],
  ])('%j → %s', (expected, clickId) => {
    expect(findCredit(recorded, expected)?.clickId).toBe(clickId)
  })
})

describe('the failure message of expectCredited', () => {
  it('names the expectation in words', () => {
    expect(describeExpectation({ partner: 'jane', event: 'Sign Up', customerEmail: 'a@b.c' })).toBe(
      'a lead "Sign Up" for customerEmail "a@b.c" credited to partner "jane"',
    )
    expect(describeExpectation({ type: 'sale', partner: 'jane' })).toBe('a sale credited to partner "jane"')
  })

  it('the browser never sent a click: says so, and which hosts are routed', () => {
    const message = creditFailure({ partner: 'jane' }, 100, facts())
    expect(message).toContain('- Click: none recorded by the mock.')
    expect(message).toContain('The browser made no click request at all (routed hosts: https://api.refport.io)')
    expect(message).toContain('- Cookie: no refp_id cookie in the browser.')
  })

  it("the mock refused the page's publishable key: quotes the answer and the option to set", () => {
    const message = creditFailure(
      { partner: 'jane' },
      100,
      facts({
        browserClicks: [{ url: 'https://api.refport.io/track/click', status: 401, message: 'unknown publishableKey' }],
      }),
    )
    expect(message).toContain(
      "The mock answered the browser's click https://api.refport.io/track/click with 401: unknown publishableKey. Set refportOptions.publishableKey",
    )
  })

  it("a lead for another click: names the lead's click and the browser's", () => {
    const message = creditFailure(
      { partner: 'jane' },
      100,
      facts({
        state: state({
          clicks: [click] as MockState['clicks'],
          leads: [lead('clk_other', 'bob')] as MockState['leads'],
        }),
        cookies: [{ value: click.clickId, domain: 'acme.com' }],
        hub: {
          url: 'http://127.0.0.1:4010',
          running: true,
          requests: [{ at: 1, method: 'POST', path: '/track/lead', status: 200, clickId: 'clk_other' }],
          unrouted: [],
        },
      }),
    )
    expect(message).toContain(
      `- Cookie: refp_id=${click.clickId} (domain acme.com) in the browser — a click the mock recorded.`,
    )
    expect(message).toContain(
      `"Sign Up" for partner "bob", clickId clk_other, customerExternalId "user_1" — for another click ID than the browser's ${click.clickId}`,
    )
    expect(message).not.toContain('made no call')
  })

  it('the server called the hub with another path only, and a call it could not route', () => {
    const message = creditFailure(
      { partner: 'jane' },
      100,
      facts({
        hub: {
          url: 'http://127.0.0.1:4010',
          running: true,
          requests: [
            { at: 1, method: 'POST', path: '/track/click', status: 401, message: 'missing or invalid API key' },
          ],
          unrouted: [
            {
              at: 1,
              method: 'POST',
              path: '/track/sale',
              status: 404,
              clickId: 'clk_nobody',
              message: 'refport hub: unknown clickId "clk_nobody" — no browser in this test run made that click',
            },
          ],
        },
      }),
    )
    expect(message).toContain("- Server: your app's server called http://127.0.0.1:4010 but sent no /track/lead.")
    expect(message).toContain('- Server: POST /track/click was answered 401: missing or invalid API key.')
    expect(message).toContain(
      '- Server: POST /track/sale (clickId clk_nobody) was answered 404: unknown clickId "clk_nobody" — no browser in this test run made that click.',
    )
  })

  it('an unrouted lead for the click ID in this browser\'s cookie is named as this test\'s, and is not "no call"', () => {
    const message = creditFailure(
      { partner: 'jane' },
      100,
      facts({
        cookies: [{ value: 'stale_0001', domain: 'acme.com' }],
        hub: {
          url: 'http://127.0.0.1:4010',
          running: true,
          requests: [],
          unrouted: [
            {
              at: 1,
              method: 'POST',
              path: '/track/lead',
              status: 404,
              clickId: 'stale_0001',
              message: 'refport hub: unknown clickId "stale_0001" — no browser in this test run made that click',
            },
          ],
        },
      }),
    )
    expect(message).toContain(
      `- Server: POST /track/lead (clickId stale_0001) was answered 404: unknown clickId "stale_0001" — no browser in this test run made that click — the click ID in this browser's cookie.`,
    )
    expect(message).not.toContain('made no call')
    expect(message).not.toContain('sent no /track/lead')
  })

  it('no hub: tells the user to add the global setup, and nothing about server calls it cannot know', () => {
    const message = creditFailure(
      { partner: 'jane' },
      100,
      facts({ hub: { url: 'http://127.0.0.1:4010', running: false, requests: [], unrouted: [] } }),
    )
    expect(message).toContain("Add globalSetup: 'refport/playwright/global-setup' to playwright.config.ts.")
    expect(message).not.toContain('made no call')
  })
})
