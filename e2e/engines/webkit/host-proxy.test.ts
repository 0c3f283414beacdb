/**
 * The WebKit runner's loopback proxy plays DNS for the test host names and refuses every
 * other host, so a WebKit test can never reach the internet.
 */
import { createServer, request, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startHostProxy } from './host-proxy'

let site: Server
let sitePort: number
let proxy: Awaited<ReturnType<typeof startHostProxy>>

beforeAll(async () => {
  site = createServer((req, res) => res.end(`${req.headers.host} ${req.url}`))
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', () => resolve()))
  sitePort = (site.address() as AddressInfo).port
  proxy = await startHostProxy()
})
afterAll(async () => {
  await proxy.close()
  site.closeAllConnections()
  await new Promise((resolve) => site.close(resolve))
})

/** Sends one request through the proxy: absolute form for http, CONNECT for a tunnel. */
function viaProxy(method: 'GET' | 'CONNECT', target: string): Promise<{ status: number; body: string }> {
  const { port } = new URL(proxy.url)
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      method,
      path: target,
      headers: { host: method === 'GET' ? new URL(target).host : target },
    })
    req.on('connect', (res, socket) => {
      socket.destroy()
      resolve({ status: res.statusCode ?? 0, body: '' })
    })
    req.on('response', (res) => {
      let body = ''
      res.on('data', (chunk: Buffer) => (body += chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

describe('host proxy', () => {
  it.each(['www.example.test', 'app.example.test', 'other-brand.test', 'WWW.Example.TEST'])(
    'GET http://%s:port/ reaches the server on 127.0.0.1',
    async (host) => {
      const url = `http://${host}:${sitePort}/page?x=1`
      expect(await viaProxy('GET', url)).toEqual({ status: 200, body: `${new URL(url).host} /page?x=1` })
    },
  )

  it('CONNECT www.example.test:port opens a tunnel to 127.0.0.1', async () => {
    expect((await viaProxy('CONNECT', `www.example.test:${sitePort}`)).status).toBe(200)
  })

  it.each([
    ['GET', 'http://example.com/'],
    ['GET', 'http://www.example.test.evil.com/'],
    ['GET', 'http://evilexample.test/'],
    ['CONNECT', 'example.com:443'],
    ['CONNECT', 'www.example.test.evil.com:443'],
  ] as const)('%s %s is refused (403), nothing leaves the machine', async (method, target) => {
    expect((await viaProxy(method, target)).status).toBe(403)
  })
})
