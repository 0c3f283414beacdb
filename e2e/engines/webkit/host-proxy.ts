/**
 * A loopback HTTP proxy that plays DNS for WebKit: requests for the test host names
 * (*.example.test, other-brand.test, 127.0.0.1, localhost) go to 127.0.0.1 on the port of
 * the URL; anything else is refused, so nothing leaves the machine. WebKitGTK has no
 * host-resolver switch like Chromium's, and editing /etc/hosts would touch the whole machine.
 *
 * Plain http arrives in absolute form (`GET http://www.example.test:4100/ HTTP/1.1`) and is
 * forwarded; https arrives as `CONNECT host:port` (RFC 9110 §9.3.6) and is tunnelled.
 */
import { createServer, request as httpRequest } from 'node:http'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { TEST_HOSTS } from '../hosts'

/** True for a host name the e2e servers answer for (host names are case-insensitive). */
export const isTestHost = (host: string): boolean =>
  [...TEST_HOSTS, '127.0.0.1', 'localhost'].includes(host.toLowerCase() as never)

/** Starts the proxy on a free loopback port. */
export async function startHostProxy(): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  const server = createServer((req, res) => {
    let target: URL
    try {
      target = new URL(req.url ?? '')
    } catch {
      res.writeHead(400).end('absolute-form request expected')
      return
    }
    if (target.protocol !== 'http:' || !isTestHost(target.hostname)) {
      res.writeHead(403).end(`refused: ${target.host} is not a test host`)
      return
    }
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: Number(target.port || 80),
        method: req.method,
        path: target.pathname + target.search,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders)
        answer.pipe(res)
      },
    )
    upstream.on('error', () => (res.headersSent ? res.destroy() : res.writeHead(502).end()))
    req.pipe(upstream)
  })
  server.on('connect', (req, client, head) => {
    const [host = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/)
    if (!isTestHost(host)) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    const upstream = connect(Number(port), '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    const end = () => {
      upstream.destroy()
      client.destroy()
    }
    upstream.on('error', end)
    client.on('error', end)
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
