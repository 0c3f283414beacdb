import { describe, expect, it } from 'vitest'
import { skipReason, type SkipReason } from './request-kind'

const NAVIGATE = {
  'sec-fetch-dest': 'document',
  'sec-fetch-mode': 'navigate',
  accept: 'text/html,application/xhtml+xml',
}

function kind(path: string, headers: Record<string, string>, method = 'GET'): SkipReason | null {
  const url = new URL(path, 'https://www.acme.com')
  return skipReason(new Request(url, { method, headers }), url)
}

describe('which requests are page loads the landing middleware acts on', () => {
  it.each<[string, string, Record<string, string>]>([
    ['a browser navigation (Fetch Metadata)', '/?via=jane', NAVIGATE],
    ['a navigation to a nested page', '/pricing/team?via=jane', NAVIGATE],
    ['an old browser without Fetch Metadata that accepts HTML', '/?via=jane', { accept: 'text/html' }],
    ['a navigation with only Sec-Fetch-Mode', '/?via=jane', { 'sec-fetch-mode': 'navigate' }],
  ])('acts on %s', (_name, path, headers) => {
    expect(kind(path, headers)).toBeNull()
  })

  it.each<[string, string, Record<string, string>, string, SkipReason]>([
    ['a POST (a form)', '/?via=jane', NAVIGATE, 'POST', 'method'],
    ['a HEAD', '/?via=jane', NAVIGATE, 'HEAD', 'method'],
    ['a speculation-rules prefetch', '/?via=jane', { ...NAVIGATE, 'sec-purpose': 'prefetch' }, 'GET', 'prefetch'],
    [
      'a speculation-rules prerender',
      '/?via=jane',
      { ...NAVIGATE, 'sec-purpose': 'prefetch;prerender' },
      'GET',
      'prefetch',
    ],
    [
      'a <link rel=prefetch> (Purpose: prefetch)',
      '/?via=jane',
      { ...NAVIGATE, purpose: 'prefetch' },
      'GET',
      'prefetch',
    ],
    ['a Next.js router prefetch', '/?via=jane', { ...NAVIGATE, 'next-router-prefetch': '1' }, 'GET', 'prefetch'],
    ['a React Server Components request (RSC: 1)', '/?via=jane', { rsc: '1', accept: '*/*' }, 'GET', 'framework-data'],
    ['an RSC request marked only by ?_rsc=', '/?via=jane&_rsc=1x2y', NAVIGATE, 'GET', 'framework-data'],
    [
      'a fetch() from a page',
      '/?via=jane',
      { 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors', accept: '*/*' },
      'GET',
      'not-a-document',
    ],
    [
      'an <iframe> load',
      '/?via=jane',
      { 'sec-fetch-dest': 'iframe', 'sec-fetch-mode': 'navigate', accept: 'text/html' },
      'GET',
      'not-a-document',
    ],
    ['an image', '/?via=jane', { 'sec-fetch-dest': 'image', 'sec-fetch-mode': 'no-cors' }, 'GET', 'not-a-document'],
    [
      'a client without Fetch Metadata that does not accept HTML (curl, an API client)',
      '/?via=jane',
      { accept: '*/*' },
      'GET',
      'not-a-document',
    ],
    ['an API route', '/api/users?via=jane', NAVIGATE, 'GET', 'api'],
    ['the API root', '/api?via=jane', NAVIGATE, 'GET', 'api'],
    ['a Next.js build file', '/_next/static/chunks/app.js?via=jane', NAVIGATE, 'GET', 'asset'],
    ['a file with an extension', '/logo.png?via=jane', { accept: 'text/html' }, 'GET', 'asset'],
    ['favicon.ico', '/favicon.ico', NAVIGATE, 'GET', 'asset'],
    ['a health check', '/__health', NAVIGATE, 'GET', 'asset'],
  ])('leaves %s alone', (_name, path, headers, method, reason) => {
    expect(kind(path, headers, method)).toBe(reason)
  })
})
