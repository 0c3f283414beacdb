// @ts-check
/**
 * The marketing site's pages behind Express and `refportMiddleware()` from
 * `refport/express`: the click is recorded and `refp_id` set by the site's own server,
 * before (and without) any JavaScript, so it holds with scripts off and with the tracker
 * and the click API blocked.
 */
import express from 'express'
import { refportMiddleware } from 'refport/express'

/**
 * @param {{ site: import('node:http').RequestListener, apiKey: string, baseUrl: string }} options
 *   `site`: the static site's handler (fixture pages and /refport.js)
 */
export function createLandingSite({ site, apiKey, baseUrl }) {
  const app = express()
  app.disable('x-powered-by')
  app.use(refportMiddleware({ apiKey, baseUrl }))
  app.use((req, res) => site(req, res))
  return app
}
