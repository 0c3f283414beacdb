import { defineConfig } from 'vitest/config'

// The README blocks are compiled against the packed packages, so this runs after the build,
// on its own (scripts/test-all.sh), not with the unit tests.
export default defineConfig({
  test: { include: ['scripts/readme-snippets/*.check.mjs'], environment: 'node', testTimeout: 10_000 },
})
