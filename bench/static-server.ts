/**
 * A tiny static server on loopback for the browser benchmarks: fixed in-memory pages plus
 * files from allowed folders. Counts every request it answers, preflights included, since
 * Playwright's request events do not show CORS preflights.
 */
import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { extname, join, normalize } from 'node:path'

/** A running static server. */
export interface StaticServer {
  /** `http://127.0.0.1:<port>`. */
  url: string
  port: number
  close(): Promise<void>
}

/** What the server answers: exact-path pages, and URL prefixes mapped to folders on disk. */
export interface StaticSite {
  pages: Record<string, string>
  folders: Record<string, string>
  /** Extra handler tried first (a peer's mock endpoint); returns true when it answered. */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.html': 'text/html',
  '.json': 'application/json',
}

/** Starts the server on 127.0.0.1 with a free port. */
export async function startStaticServer(site: StaticSite): Promise<StaticServer> {
  const server = createServer((req, res) => {
    void answer(site, req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function answer(site: StaticSite, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (site.handle && (await site.handle(req, res))) return
  const path = new URL(req.url ?? '/', 'http://static').pathname
  const page = site.pages[path]
  // no-store: every run downloads the script again, as a first visit would.
  const headers = { 'cache-control': 'no-store' }
  if (page !== undefined) {
    res.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' })
    res.end(page)
    return
  }
  for (const [prefix, folder] of Object.entries(site.folders)) {
    if (!path.startsWith(prefix)) continue
    const relative = normalize(path.slice(prefix.length))
    if (relative.startsWith('..')) break
    try {
      const body = await readFile(join(folder, relative))
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' })
      res.end(body)
      return
    } catch {
      break
    }
  }
  res.writeHead(404, headers)
  res.end()
}
