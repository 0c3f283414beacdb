/**
 * Reads an environment variable where there may be no `process` at all (edge runtimes,
 * Deno without the Node compat layer, browsers in tests). Bun and Deno with compat expose
 * `process.env` like Node.
 */
export function readEnv(name: string): string | undefined {
  try {
    const value = typeof process === 'object' && process ? process.env?.[name] : undefined
    return typeof value === 'string' && value !== '' ? value : undefined
  } catch {
    // Deno without --allow-env throws on access instead of returning undefined.
    return undefined
  }
}
