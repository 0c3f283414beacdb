#!/usr/bin/env node
/**
 * `refport-mock`: starts the mock Refport API from a shell or as a Playwright `webServer`.
 * Prints one line with the URL once listening; stops cleanly on SIGINT / SIGTERM.
 */
import { parseArgs } from 'node:util'
import { MOCK_API_KEY, MOCK_PUBLISHABLE_KEY, startMockRefportApi } from './testing'

const USAGE = `Usage: refport-mock [--port 4010] [--host 127.0.0.1] [--api-key ${MOCK_API_KEY}] [--publishable-key ${MOCK_PUBLISHABLE_KEY}] [--partner jane ...] [--control-origin http://localhost:4403 ...]

Starts the mock Refport API. GET /__mock/state shows what it recorded; POST /__mock/reset clears it;
POST /__mock/faults injects failures, e.g. {"lead":{"status":503,"times":2}}.`

/** Port used when none is given: the one the docs and the Playwright examples use. */
const DEFAULT_PORT = 4010

/** A mistake in the command line: answered with the usage text. */
class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values } = parseCommandLine(argv)
  if (values.help) {
    console.log(USAGE)
    return
  }
  const port = values.port === undefined ? DEFAULT_PORT : /^\d{1,5}$/.test(values.port) ? Number(values.port) : -1
  if (port < 0 || port > 65535) throw new UsageError(`--port must be 0–65535, got ${values.port}`)

  const host = values.host ?? '127.0.0.1'
  const mock = await startMockRefportApi({
    port,
    host,
    apiKey: values['api-key'],
    publishableKey: values['publishable-key'],
    partners: values.partner,
    controlOrigins: values['control-origin'],
  }).catch((error: unknown) => {
    throw new Error(listenProblem(error, port, host))
  })
  console.log(`refport mock API listening on ${mock.url}`)

  let stopping = false
  const stop = () => {
    if (stopping) return
    stopping = true
    mock.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('refport-mock:', error)
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

/** Why the server could not listen, and what to do about it; Node's own text otherwise. */
function listenProblem(error: unknown, port: number, host: string): string {
  const code = (error as { code?: unknown } | null)?.code
  const detail = error instanceof Error ? error.message : String(error)
  if (code == 'EADDRINUSE')
    return `port ${port} on ${host} is already in use (${detail}); stop whatever holds it (another refport-mock?), or pass --port <another port>, or --port 0 for a free one`
  if (code == 'EACCES')
    return `no permission to listen on port ${port} (${detail}); ports below 1024 need privileges — use e.g. --port ${DEFAULT_PORT}`
  if (code == 'EADDRNOTAVAIL' || code == 'ENOTFOUND')
    return `cannot listen on host ${host} (${detail}); it is not an address of this machine — use --host 127.0.0.1`
  return detail
}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'api-key': { type: 'string' },
        'publishable-key': { type: 'string' },
        partner: { type: 'string', multiple: true },
        'control-origin': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error)
  console.error(`refport-mock: ${message}` + (error instanceof UsageError ? `\n\n${USAGE}` : ''))
  process.exit(1)
})
