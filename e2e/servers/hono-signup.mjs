// @ts-check
/**
 * Sign-up backend on Hono, a Fetch-API framework (the shape of Bun, Deno, Cloudflare
 * Workers and Next.js route handlers): `getClickIdFromRequest(c.req.raw)` on the standard
 * `Request`, then `track.lead`.
 */
import { readFile } from 'node:fs/promises'
import { Hono } from 'hono'
import { getClickIdFromRequest } from 'refport'
import { TRACKER_SCRIPT } from './static-site.mjs'
import { Users, resultPage, signUp, signUpPage } from './signup-common.mjs'

/**
 * @param {{ refport: import('refport').Refport, apiHost: string, publishableKey: string, brand?: string }} options
 */
export function createHonoSignUpApp({ refport, apiHost, publishableKey, brand = 'Acme' }) {
  const users = new Users()
  const app = new Hono()
  app.get('/__health', (c) => c.text('ok'))
  app.get('/refport.js', async (c) =>
    c.body(await readFile(TRACKER_SCRIPT, 'utf8'), 200, { 'content-type': 'text/javascript' }),
  )
  app.get('/signup', (c) => c.html(signUpPage({ brand, apiHost, publishableKey })))
  app.post('/signup', async (c) => {
    const form = await c.req.formData()
    const email = String(form.get('email') ?? '')
    const name = String(form.get('name') ?? '')
    if (!email) return c.text('email is required', 422)
    const clickId = getClickIdFromRequest(c.req.raw)
    const outcome = await signUp(refport, users, { clickId, email, name })
    return c.html(resultPage({ brand, outcome, email }))
  })
  return app
}
