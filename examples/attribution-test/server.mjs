// The site's server: the page, the tracker script, and a sign-up that reports the lead.
// Nothing here knows about tests: `new Refport()` reads REFPORT_API_KEY and
// REFPORT_API_URL from the environment, which the Playwright config sets.
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createRequire } from 'node:module'
import { Refport, getClickIdFromRequest } from 'refport'

const require = createRequire(import.meta.url)
const tracker = readFileSync(require.resolve('refport-js/script'))
const home = readFileSync(new URL('./public/index.html', import.meta.url))
const refport = new Refport()

async function formField(req, name) {
  let body = ''
  for await (const chunk of req) body += chunk
  return new URLSearchParams(body).get(name) ?? ''
}

const server = createServer(async (req, res) => {
  if (req.method === 'GET' && req.url === '/refport.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' })
    return res.end(tracker)
  }
  if (req.method === 'POST' && req.url === '/signup') {
    const email = await formField(req, 'email')
    const clickId = getClickIdFromRequest(req)
    if (clickId) {
      try {
        await refport.track.lead({ clickId, eventName: 'Sign Up', customerExternalId: email, customerEmail: email })
      } catch (error) {
        console.error('refport lead failed:', error) // never fail a sign-up over attribution
      }
    }
    res.writeHead(200, { 'content-type': 'text/html' })
    return res.end('<!doctype html><title>Welcome</title><h1>Welcome to Acme</h1>')
  }
  if (req.method === 'GET' && new URL(req.url, 'http://x').pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html' })
    return res.end(home)
  }
  res.writeHead(404).end()
})

const port = Number(process.env.PORT ?? 3000)
server.listen(port, '127.0.0.1', () => console.log(`Acme on http://127.0.0.1:${port}`))
