import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { afterAll, afterEach, describe, expect, it } from 'vitest'

// The CLI run from source exactly as documented: `npx tsx packages/refport/src/cli.ts`.
const tsxCli = createRequire(import.meta.url).resolve('tsx/cli')
const cliSource = fileURLToPath(new URL('./cli.ts', import.meta.url))

const children: ChildProcessWithoutNullStreams[] = []
afterEach(async () => {
  // SIGTERM, not SIGKILL: tsx relays it to the node process it started, which SIGKILL
  // would orphan (still listening) instead.
  const running = children.splice(0).filter((child) => child.exitCode === null && child.signalCode === null)
  await Promise.all(
    running.map((child) => {
      child.kill('SIGTERM')
      return once(child, 'exit')
    }),
  )
})

function startCli(args: string[]) {
  const child = spawn(process.execPath, [tsxCli, cliSource, ...args], { stdio: 'pipe' })
  children.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>
  /** Resolves with the URL from the one line printed once listening. */
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /^refport mock API listening on (http:\/\/\S+)$/m.exec(stdout)
      if (match) resolve(match[1]!)
    })
    void exited.then(([code]) => reject(new Error(`exited with ${code} before listening: ${stderr}`)))
  })
  // Tests that expect an exit never await `listening`; keep its rejection from being "unhandled".
  listening.catch(() => {})
  return { child, listening, exited, output: () => ({ stdout, stderr }) }
}

// Each test starts tsx and node: seconds on a busy machine, not the default 5 s.
describe('refport-mock CLI', { timeout: 30_000 }, () => {
  it.each<NodeJS.Signals>(['SIGTERM', 'SIGINT'])(
    'prints its URL on one line, serves the API and stops cleanly on %s',
    async (signal) => {
      const cli = startCli(['--port', '0', '--api-key', 'sk_cli', '--publishable-key', 'pk_cli'])
      const url = await cli.listening
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(cli.output().stdout.trim().split('\n')).toHaveLength(1)

      const click = await fetch(`${url}/track/click`, {
        method: 'POST',
        body: JSON.stringify({
          publishableKey: 'pk_cli',
          key: 'jane',
          url: 'https://acme.test/?via=jane',
          referrer: '',
        }),
      })
      expect(click.status).toBe(200)
      const { clickId } = (await click.json()) as { clickId: string }
      const lead = await fetch(`${url}/track/lead`, {
        method: 'POST',
        headers: { authorization: 'Bearer sk_cli' },
        body: JSON.stringify({ clickId, eventName: 'Sign Up', customerExternalId: 'u1' }),
      })
      expect(lead.status).toBe(200)
      expect(await (await fetch(`${url}/__mock/state`)).json()).toMatchObject({
        clicks: [{ clickId }],
        leads: [{ clickId }],
      })

      cli.child.kill(signal)
      const [code] = await cli.exited
      expect(code).toBe(0)
      await expect(fetch(`${url}/__mock/state`)).rejects.toThrow()
    },
  )

  describe('partners', () => {
    const dir = mkdtempSync(join(tmpdir(), 'refport-cli-'))
    afterAll(() => rmSync(dir, { recursive: true, force: true }))
    const click = (url: string, key: string) =>
      fetch(`${url}/track/click`, {
        method: 'POST',
        body: JSON.stringify({
          publishableKey: 'pk_test_refport',
          key,
          url: `https://acme.test/?via=${key}`,
          referrer: '',
        }),
      })

    it('takes --partner specs and a --partners file, and refuses every other key', async () => {
      const file = join(dir, 'partners.json')
      writeFileSync(file, JSON.stringify({ bob: { name: 'Bob Ray', avatarUrl: 'https://cdn.acme.test/bob.png' } }))
      const cli = startCli(['--port', '0', '--partner', 'jane:Jane Doe:20%:JANE20:3', '--partners', file])
      const url = await cli.listening
      expect(await (await click(url, 'jane')).json()).toMatchObject({
        partner: { key: 'jane', name: 'Jane Doe', avatarUrl: null },
        discount: { code: 'JANE20', amount: 20, type: 'percentage', durationMonths: 3 },
      })
      expect(await (await click(url, 'bob')).json()).toMatchObject({
        partner: { key: 'bob', name: 'Bob Ray', avatarUrl: 'https://cdn.acme.test/bob.png' },
        discount: null,
      })
      expect((await click(url, 'carol')).status).toBe(404)
    })

    // Each case spawns a process: the rules themselves are tabled in mock/partner-spec.test.ts and mock/partners.test.ts.
    it.each<[string, (file: string) => string[], string]>([
      ['a spec with a discount but no code', () => ['--partner', 'jane:Jane:20%'], 'needs its code'],
      [
        'a file that is not JSON',
        (file) => {
          writeFileSync(file, '{oops')
          return ['--partners', file]
        },
        'must be JSON',
      ],
      [
        'a key both in the file and a spec',
        (file) => {
          writeFileSync(file, '["jane"]')
          return ['--partners', file, '--partner', 'jane']
        },
        'listed twice',
      ],
    ])('exits 1 saying why for %s', async (_name, args, reason) => {
      const file = join(dir, `bad-${Math.random().toString(36).slice(2)}.json`)
      const cli = startCli(['--port', '0', ...args(file)])
      const [code] = await cli.exited
      expect(code).toBe(1)
      expect(cli.output().stderr).toContain(reason)
    })
  })

  it('prints usage for --help and exits 0', async () => {
    const cli = startCli(['--help'])
    const [code] = await cli.exited
    expect(code).toBe(0)
    expect(cli.output().stdout).toContain('Usage: refport-mock')
  })

  it.each([
    ['an invalid port', ['--port', 'abc']],
    ['an empty port', ['--port', '']],
    ['a port out of range', ['--port', '70000']],
    ['an unknown flag', ['--nope']],
  ])('exits 1 with usage for %s', async (_name, args) => {
    const cli = startCli(args)
    const [code] = await cli.exited
    expect(code).toBe(1)
    expect(cli.output().stderr).toContain('Usage: refport-mock')
  })

  it('exits 1 with the reason when the port is taken', async () => {
    const first = startCli(['--port', '0'])
    const port = new URL(await first.listening).port
    const second = startCli(['--port', port])
    const [code] = await second.exited
    expect(code).toBe(1)
    expect(second.output().stderr).toContain('EADDRINUSE')
    // …and what to do about it.
    expect(second.output().stderr).toContain(`port ${port} on 127.0.0.1 is already in use`)
    expect(second.output().stderr).toContain('--port 0 for a free one')
    expect(second.output().stderr).not.toContain('Usage')
  })

  it('exits 1 saying which --host to use when the host is not an address of this machine', async () => {
    const cli = startCli(['--port', '0', '--host', '192.0.2.1'])
    const [code] = await cli.exited
    expect(code).toBe(1)
    expect(cli.output().stderr).toContain('cannot listen on host 192.0.2.1')
    expect(cli.output().stderr).toContain('--host 127.0.0.1')
  })
})
