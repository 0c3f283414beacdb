// @ts-check
/**
 * The marketing site: static HTML fixture pages, the built script-tag tracker at
 * /refport.js and a React page bundled with esbuild at start-up.
 *
 * One fixture per behaviour (e2e/fixtures/*.html), as Plausible's tracker tests do: a
 * page carries exactly the script-tag attributes its behaviour needs, so a spec reads
 * as "open this page with these params". `{{NAME}}` placeholders in HTML are filled from
 * `vars`, which lets the e2e suite and the playground serve the same pages on other ports.
 */
import { readFile } from 'node:fs/promises'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { extname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO = fileURLToPath(new URL('../../', import.meta.url))
/** The IIFE build of src/script.ts (`npm run build`). */
export const TRACKER_SCRIPT = join(REPO, 'dist/refport.js')

const TYPES = /** @type {Record<string, string>} */ ({
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
})

/**
 * Extra response headers per page. The CSP page proves the tracker needs no inline code
 * and no eval: `script-src 'self'` is the strictest policy a site with its own scripts
 * can have.
 */
const PAGE_HEADERS = /** @type {Record<string, Record<string, string>>} */ ({
  'csp.html': { 'content-security-policy': "script-src 'self'; connect-src 'self' {{API_HOST}}" },
})

/**
 * @typedef {object} StaticSiteOptions
 * @property {string} root folder of the pages (`/name` serves `name.html`, `/` serves `index.html`)
 * @property {Record<string, string>} vars values for `{{NAME}}` placeholders in HTML and page headers
 * @property {string} [reactEntry] a .tsx file bundled with esbuild and served at /assets/react-page.js
 */

/**
 * Builds the request handler of the site. Resolves once the React bundle is built.
 * @param {StaticSiteOptions} options
 * @returns {Promise<import('node:http').RequestListener>}
 */
export async function createStaticSite({ root, vars, reactEntry }) {
  const reactBundle = reactEntry ? await bundleReactPage(reactEntry) : undefined
  const fill = (/** @type {string} */ text) => text.replace(/\{\{(\w+)\}\}/g, (_, name) => vars[name] ?? '')

  return (req, res) => {
    const send = (
      /** @type {number} */ status,
      /** @type {string | Buffer} */ body,
      /** @type {Record<string, string>} */ headers = {},
    ) => {
      // no-store: every visit must run the tracker again, never a cached copy of an earlier test's page.
      // A landing step in front (refportMiddleware() in landing-site.mjs) may have set its own, stricter one.
      if (!res.hasHeader('cache-control')) res.setHeader('cache-control', 'no-store')
      res.writeHead(status, headers)
      res.end(body)
    }
    const path = new URL(req.url ?? '/', 'http://site').pathname
    if (path === '/__health') return send(200, 'ok')
    if (path === '/refport.js') {
      readFile(TRACKER_SCRIPT).then(
        (file) => send(200, file, { 'content-type': TYPES['.js'] }),
        () => send(500, 'dist/refport.js is missing: run `npm run build` first', { 'content-type': 'text/plain' }),
      )
      return
    }
    if (path === '/assets/react-page.js' && reactBundle) return send(200, reactBundle, { 'content-type': TYPES['.js'] })
    // Only flat names: no dots, no slashes, so nothing outside `root` can be asked for.
    const match = /^\/([\w-]*)(\.html|\.js|\.css|\.png)?$/.exec(path)
    if (!match) return send(404, 'not found', { 'content-type': 'text/plain' })
    const file = (match[1] || 'index') + (match[2] || '.html')
    readFile(join(root, file)).then(
      (content) => {
        const isHtml = extname(file) === '.html'
        const headers = Object.fromEntries(
          Object.entries(PAGE_HEADERS[file] ?? {}).map(([name, value]) => [name, fill(value)]),
        )
        send(200, isHtml ? fill(content.toString('utf8')) : content, {
          'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
          ...headers,
        })
      },
      () => send(404, 'not found', { 'content-type': 'text/plain' }),
    )
  }
}

/**
 * Bundles a React page for the browser. `refport-js` and `refport-js/react` resolve to the
 * built package (dist/), the same files a user's bundler would pick up from npm.
 * @param {string} entry
 */
async function bundleReactPage(entry) {
  const { build } = await import('esbuild')
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2020',
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'refport-js/react': join(REPO, 'dist/react/index.js'), 'refport-js': join(REPO, 'dist/index.js') },
    logLevel: 'silent',
  })
  const output = result.outputFiles[0]
  if (!output) throw new Error(`esbuild produced nothing for ${entry}`)
  return Buffer.from(output.contents)
}

/**
 * Listens on loopback with a handler, over http or (given a key and certificate) https.
 * @param {import('node:http').RequestListener} handler
 * @param {{ port: number, host?: string, tls?: { key: string, cert: string } }} options
 * @returns {Promise<import('node:http').Server>}
 */
export function listen(handler, { port, host = '127.0.0.1', tls }) {
  const server = tls ? createHttpsServer(tls, handler) : createHttpServer(handler)
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve(server)
    })
  })
}

/**
 * Closes a server, including idle keep-alive connections (browsers hold them open).
 * @param {import('node:http').Server} server
 * @returns {Promise<void>}
 */
export function close(server) {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
