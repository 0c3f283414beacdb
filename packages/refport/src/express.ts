/**
 * `refport/express`: the first-party landing middleware for Express and any Connect-style
 * server (`(req, res, next)`). A thin adapter over the Fetch core of `refport`
 * (`createRefportLanding`): it builds a `Request` from the Node request and writes the
 * decision into the response.
 */
import { webcrypto } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createLandingHandler } from './landing/handler'
import type { RefportLandingOptions } from './landing/options'

export type { RefportLandingOptions } from './landing/options'

/**
 * A Connect/Express middleware: `(req, res, next) => void`.
 *
 * @example
 * ```ts
 * const middleware: RefportMiddleware = refportMiddleware()
 * app.use(middleware)
 * ```
 */
export type RefportMiddleware = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void

/**
 * The first-party landing middleware for Express (4 and 5) and Connect. Mount it before
 * the routes that serve pages (`express.static` included):
 *
 * - a page load with `?refp_id=<clickId>` stores it in `refp_id` from the server;
 * - a page load with a partner key (`?via=jane`) registers the click server to server and
 *   sets the cookie, holding the page at most `waitMs` (default 1 s) when the API is slow;
 * - later page loads renew `refp_id` to its full lifetime (at most once a day), which
 *   Safari grants to cookies set by the site's server, not to those written by JavaScript.
 *
 * Works without JavaScript on the page and behind ad blockers. With the browser tracker on
 * the same pages, a landing is still one click. Prefetches, assets, API routes and
 * non-GET requests pass through untouched. The visitor's IP is Express's `req.ip` (which
 * follows Express's own `trust proxy` setting), else the socket's address.
 *
 * @throws TypeError for option values that are bugs in the calling code.
 *
 * @example
 * ```ts
 * import express from 'express'
 * import { refportMiddleware } from 'refport/express'
 *
 * const app = express()
 * app.use(refportMiddleware()) // REFPORT_API_KEY from the environment
 * app.use(express.static('public'))
 * ```
 */
export function refportMiddleware(options: RefportLandingOptions = {}): RefportMiddleware {
  // Node 18 has no global `crypto`; its `webcrypto` is the same Web Crypto API.
  const handle = createLandingHandler(options, { random: globalThis.crypto ?? webcrypto })
  return (req, res, next) => {
    const request = toFetchRequest(req)
    if (!request) return next()
    const ip = (req as { ip?: unknown }).ip
    handle(request, { ip: typeof ip === 'string' ? ip : req.socket?.remoteAddress }).then((landing) => {
      landing.pending?.catch(() => {}) // a long-lived server keeps the click going by itself
      if (!landing.setCookies.length) return next()
      try {
        onHeaders(res, (passed) => {
          // Headers handed to writeHead itself win over setHeader: fold ours into them.
          if (passed)
            for (const name of Object.keys(passed)) {
              const lower = name.toLowerCase()
              if (lower === 'set-cookie')
                res.setHeader('set-cookie', ([] as string[]).concat(passed[name] as string | string[]))
              if (lower === 'set-cookie' || lower === 'cache-control') delete passed[name]
            }
          appendSetCookies(res, landing.setCookies)
          if (landing.cacheControl) res.setHeader('cache-control', landing.cacheControl)
        })
        if (landing.redirectTo) {
          res.statusCode = 307
          res.setHeader('location', landing.redirectTo)
          res.end()
          return
        }
      } catch {
        // The response was already under way (another middleware answered first): serve it as is.
      }
      next()
    })
  }
}

/**
 * The Fetch `Request` the core reads: method, headers and the URL the visitor asked for.
 * Only GET requests are converted (nothing else is a landing), and no body is read. `null`
 * when the `Host` header cannot form a URL (a hostile or missing one).
 */
function toFetchRequest(req: IncomingMessage): Request | null {
  if (req.method !== 'GET') return null
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue
    try {
      // Node joins repeated Cookie headers with "; " and keeps others as arrays.
      headers.set(name, Array.isArray(value) ? value.join(name === 'cookie' ? '; ' : ', ') : value)
    } catch {
      // A value fetch refuses (a control character): the core never needs it.
    }
  }
  const encrypted = (req.socket as { encrypted?: boolean } | undefined)?.encrypted === true
  // `originalUrl` keeps the mount path when the middleware is mounted under one (Express).
  const path = (req as { originalUrl?: string }).originalUrl ?? req.url ?? '/'
  // The origin comes from Host alone (X-Forwarded-* are the core's, read only when trusted);
  // an absolute-form request target could name any host.
  if (!path.startsWith('/')) return null
  try {
    return new Request(new URL(path, `${encrypted ? 'https' : 'http'}://${req.headers.host ?? ''}`), {
      method: 'GET',
      headers,
    })
  } catch {
    return null
  }
}

/** Appends to whatever `Set-Cookie` the page itself sets, never replacing it. */
function appendSetCookies(res: ServerResponse, values: string[]): void {
  const existing = res.getHeader('set-cookie')
  const list = existing === undefined ? [] : Array.isArray(existing) ? existing : [String(existing)]
  res.setHeader('set-cookie', [...list, ...values])
}

/**
 * Runs `apply` just before the response's headers are written. Routes after the middleware
 * (`express.static` sets `Cache-Control: public, max-age=0`, a handler may set cookies of its
 * own) would otherwise overwrite what the landing needs. Node writes headers through
 * `writeHead`, explicitly or from the first `write`/`end`.
 */
function onHeaders(res: ServerResponse, apply: (passed: Record<string, unknown> | undefined) => void): void {
  const writeHead = res.writeHead
  let applied = false
  res.writeHead = function (this: ServerResponse, ...args: unknown[]) {
    if (!applied) {
      applied = true
      // writeHead(status, [statusMessage], [headers]): headers, when given, come last.
      const last = args[args.length - 1]
      apply(
        args.length > 1 && last && typeof last === 'object' && !Array.isArray(last)
          ? (last as Record<string, unknown>)
          : undefined,
      )
    }
    return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, args)
  } as ServerResponse['writeHead']
}
