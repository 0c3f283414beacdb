/**
 * Injected failures of the mock API, so users and our own e2e tests can prove what
 * happens when the Refport API is slow, down or refusing.
 */

/**
 * What the mock does to requests of one endpoint.
 *
 * @example
 * ```ts
 * const slowThenDown: Fault = { delayMs: 2000, status: 503, times: 3 }
 * mock.setFaults({ lead: slowThenDown })
 * ```
 */
export interface Fault {
  /** Answer with this status (200–599) instead of handling the request. */
  status?: number
  /** Body of that answer; default a JSON `{ error: { code, message } }` matching `status`. */
  body?: string
  /** Wait this long before answering (or failing), in ms: simulates latency. */
  delayMs?: number
  /** Never answer; the connection stays open until the client gives up or the mock closes. */
  hang?: boolean
  /** Close the connection without an answer: the client sees a network error. */
  drop?: boolean
  /** Apply to this many requests, then clear itself (default: until replaced). */
  times?: number
}

/**
 * Faults per endpoint: `click` is `POST /track/click`, `lead` is `POST /track/lead`,
 * `sale` is `POST /track/sale`.
 *
 * @example
 * ```ts
 * const offline: FaultMap = { click: { drop: true }, lead: { hang: true } }
 * mock.setFaults(offline) // the tracker gets a network error, track.lead times out
 * mock.setFaults({}) // back to normal
 * ```
 */
export interface FaultMap {
  click?: Fault
  lead?: Fault
  sale?: Fault
}

export type FaultTarget = keyof FaultMap

const TARGETS: readonly FaultTarget[] = ['click', 'lead', 'sale']

/**
 * Checks a fault map coming from code or from `POST /__mock/faults`.
 * @returns an error message, or `null` when the map is valid.
 */
export function faultMapProblem(input: unknown): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return 'faults must be an object such as { "lead": { "status": 503 } }'
  for (const [target, fault] of Object.entries(input)) {
    if (!TARGETS.includes(target as FaultTarget))
      return `unknown fault target ${JSON.stringify(target)}; use "click", "lead" or "sale"`
    if (fault === undefined || fault === null) continue
    if (typeof fault !== 'object' || Array.isArray(fault)) return `faults.${target} must be an object`
    const { status, body, delayMs, hang, drop, times } = fault as Record<string, unknown>
    if (status !== undefined && !(Number.isInteger(status) && (status as number) >= 200 && (status as number) <= 599))
      return `faults.${target}.status must be an integer from 200 to 599`
    if (body !== undefined && typeof body !== 'string') return `faults.${target}.body must be a string`
    if (delayMs !== undefined && !(typeof delayMs === 'number' && Number.isFinite(delayMs) && delayMs >= 0))
      return `faults.${target}.delayMs must be a number ≥ 0`
    if (hang !== undefined && typeof hang !== 'boolean') return `faults.${target}.hang must be a boolean`
    if (drop !== undefined && typeof drop !== 'boolean') return `faults.${target}.drop must be a boolean`
    if (times !== undefined && !(Number.isInteger(times) && (times as number) > 0))
      return `faults.${target}.times must be a positive integer`
  }
  return null
}

/** Holds the active faults and hands out the one for each request, counting `times` down. */
export class FaultBox {
  private faults: FaultMap = {}

  /** Replaces every fault. @throws TypeError naming the invalid field. */
  set(faults: FaultMap): void {
    const problem = faultMapProblem(faults)
    if (problem) throw new TypeError(`refport mock: ${problem}`)
    this.faults = {}
    for (const target of TARGETS) {
      const fault = faults[target]
      if (fault) this.faults[target] = { ...fault }
    }
  }

  /** A copy of the active faults. */
  get(): FaultMap {
    return structuredClone(this.faults)
  }

  /** The fault for one request to `target`, or `undefined`. */
  take(target: FaultTarget): Fault | undefined {
    const fault = this.faults[target]
    if (!fault) return undefined
    if (fault.times !== undefined && --fault.times <= 0) delete this.faults[target]
    return fault
  }
}
