#!/usr/bin/env node
/**
 * `refport-mock`: starts the mock Refport API from a shell or as a Playwright `webServer`.
 * Prints one line with the URL once listening; stops cleanly on SIGINT / SIGTERM.
 */
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { PARTNER_SPEC_SYNTAX, parsePartnerSpec } from './mock/partner-spec'
import { parsePartners, type MockPartner } from './mock/partners'
import { MOCK_API_KEY, MOCK_PUBLISHABLE_KEY, startMockRefportApi } from './testing'

const USAGE = `Usage: refport-mock [--port 4010] [--host 127.0.0.1] [--api-key ${MOCK_API_KEY}] [--publishable-key ${MOCK_PUBLISHABLE_KEY}]
                    [--partner ${PARTNER_SPEC_SYNTAX} ...] [--partners partners.json]
                    [--control-origin http://localhost:4403 ...]

Starts the mock Refport API. GET /__mock/state shows what it recorded; POST /__mock/reset clears it;
POST /__mock/faults injects failures, e.g. {"lead":{"status":503,"times":2}}.

Partners: without --partner / --partners any well-formed partner key is accepted (named after
itself, no discount); with them only the partners given are, and a click for another key is a 404.
  --partner jane                         partner "jane"
  --partner 'jane:Jane Doe:20%:JANE20'   named "Jane Doe", 20% off with code JANE20
  --partner 'bob::500:BOB5:3'            500 (minor units: $5.00) off for 3 months, name "bob"
  --partners partners.json               a JSON list [{"key":"jane","name":"Jane Doe","avatarUrl":"https://…",
                                         "discount":{"code":"JANE20","amount":20,"type":"percentage","durationMonths":3}}]
                                         or a record {"jane":{"name":"Jane Doe"}}; POST /__mock/partners takes the same.`

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
  const partners = readPartners(values.partner, values.partners)
  const mock = await startMockRefportApi({
    port,
    host,
    apiKey: values['api-key'],
    publishableKey: values['publishable-key'],
    partners,
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

/**
 * The partners of `--partners <file>` and every `--partner` spec together, checked with
 * the JS API's rules; `undefined` (any key) when neither is given.
 */
function readPartners(specs: string[] | undefined, file: string | undefined): MockPartner[] | undefined {
  if (!specs && file === undefined) return undefined
  const partners: MockPartner[] = file === undefined ? [] : readPartnersFile(file)
  for (const spec of specs ?? []) {
    const partner = parsePartnerSpec(spec)
    if (typeof partner === 'string') throw new UsageError(partner)
    partners.push(partner)
  }
  const parsed = parsePartners(partners)
  if (!parsed.ok) throw new Error(`invalid partners: ${parsed.problem}`)
  return partners
}

function readPartnersFile(file: string): MockPartner[] {
  let input: unknown
  try {
    input = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(
      `--partners ${file}: ${(error as Error).message}; the file must be JSON such as [{"key":"jane","name":"Jane Doe"}]`,
    )
  }
  const parsed = parsePartners(input)
  if (!parsed.ok) throw new Error(`--partners ${file}: ${parsed.problem}`)
  return [...parsed.partners.values()]
}

/** Why the server could not listen, and what to do about it; Node's own text otherwise. */
function listenProblem(error: unknown, port: number, host: string): string {
  const code = (error as { code?: unknown } | null)?.code
  const detail = error instanceof Error ? error.message : String(error)
  if (code === 'EADDRINUSE')
    return `port ${port} on ${host} is already in use (${detail}); stop whatever holds it (another refport-mock?), or pass --port <another port>, or --port 0 for a free one`
  if (code === 'EACCES')
    return `no permission to listen on port ${port} (${detail}); ports below 1024 need privileges — use e.g. --port ${DEFAULT_PORT}`
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
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
        partners: { type: 'string' },
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
  console.error(`refport-mock: ${message}${error instanceof UsageError ? `\n\n${USAGE}` : ''}`)
  process.exit(1)
})
