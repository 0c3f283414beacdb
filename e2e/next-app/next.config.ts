import { fileURLToPath } from 'node:url'
import type { NextConfig } from 'next'

/**
 * The e2e and playground app. It imports `refport-js/react` by package self-reference
 * (the repository root is the nearest package.json, so the root must be built first) and
 * `refport` through the workspace symlink in the root node_modules; both live under the
 * repository root, which is therefore Turbopack's root.
 */
const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url))

const config: NextConfig = {
  turbopack: { root: repositoryRoot },
  outputFileTracingRoot: repositoryRoot,
  poweredByHeader: false,
}

export default config
