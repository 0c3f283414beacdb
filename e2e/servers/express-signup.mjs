// @ts-check
/**
 * Sign-up backend on Express 5, the way a Node user wires Refport by hand: read the
 * cookie header with `getClickIdFromCookie(req.headers.cookie)`, then `track.lead`.
 */
import express from 'express'
import { getClickIdFromCookie } from 'refport'
import { TRACKER_SCRIPT } from './static-site.mjs'
import { Users, resultPage, signUp, signUpPage } from './signup-common.mjs'

/**
 * @param {{ refport: import('refport').Refport, apiHost: string, publishableKey: string, brand?: string }} options
 */
export function createExpressSignUpApp({ refport, apiHost, publishableKey, brand = 'Acme' }) {
  const users = new Users()
  const app = express()
  app.disable('x-powered-by')
  app.get('/__health', (_req, res) => void res.send('ok'))
  app.get('/refport.js', (_req, res) => res.sendFile(TRACKER_SCRIPT))
  app.get('/signup', (_req, res) => void res.type('html').send(signUpPage({ brand, apiHost, publishableKey })))
  app.post('/signup', express.urlencoded({ extended: false }), async (req, res) => {
    const email = String(req.body?.email ?? '')
    const name = String(req.body?.name ?? '')
    if (!email) return void res.status(422).type('text').send('email is required')
    const clickId = getClickIdFromCookie(req.headers.cookie)
    const outcome = await signUp(refport, users, { clickId, email, name })
    res.type('html').send(resultPage({ brand, outcome, email }))
  })
  return app
}
