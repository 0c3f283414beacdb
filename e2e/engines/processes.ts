/**
 * Child processes the engines need (Xvfb, WebKitWebDriver) and the browsers those start,
 * always stopped: each runs in its own process group, killed as a group on stop and, should
 * the test worker exit without stopping them, on the worker's `exit`.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process'

const running = new Set<ChildProcess>()

const killAll = (): void => {
  for (const child of running) killGroup(child, 'SIGKILL')
}
process.once('exit', killAll)
// Node's default for these signals exits without 'exit' handlers: clean up, then exit the same way.
for (const signal of ['SIGTERM', 'SIGINT'] as const)
  process.once(signal, () => {
    killAll()
    process.kill(process.pid, signal)
  })

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    // A negative pid signals the whole group: the browser and the helpers it started too.
    if (child.pid) process.kill(-child.pid, signal)
  } catch {
    // Already gone.
  }
}

/** Starts `command` in a process group of its own; `stop` ends the group. */
export function startProcess(command: string, args: string[], options: SpawnOptions = {}) {
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], ...options, detached: true })
  running.add(child)
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    // Kept short: only for the message of a start that failed.
    stderr = (stderr + chunk.toString()).slice(-4000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.once('exit', () => running.delete(child))
  return {
    child,
    exited,
    stderr: () => stderr,
    /** SIGTERM to the group, SIGKILL if it still runs after a second. */
    async stop(): Promise<void> {
      if (child.exitCode !== null || child.signalCode !== null) return
      killGroup(child, 'SIGTERM')
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 1000)
      await exited
      clearTimeout(timer)
      // Members of the group that outlived its leader.
      killGroup(child, 'SIGKILL')
    },
  }
}
