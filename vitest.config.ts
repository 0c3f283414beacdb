import { availableParallelism } from 'node:os'
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

// Tests run against the sources, so no build is needed first; the published entry points
// are checked separately (publint, attw, e2e on the built files).
const alias = [
  { find: /^refport-js$/, replacement: here('./src/index.ts') },
  { find: /^refport-js\/react$/, replacement: here('./react/index.ts') },
  // The script-tag build's source (published built, as dist/refport.js).
  { find: /^refport-js\/script$/, replacement: here('./src/script.ts') },
  { find: /^refport$/, replacement: here('./packages/refport/src/index.ts') },
  { find: /^refport\/testing$/, replacement: here('./packages/refport/src/testing.ts') },
  { find: /^refport\/stripe$/, replacement: here('./packages/refport/src/stripe.ts') },
  { find: /^refport\/express$/, replacement: here('./packages/refport/src/express.ts') },
  { find: /^refport\/next$/, replacement: here('./packages/refport/src/next.ts') },
  { find: /^@refport\/better-auth$/, replacement: here('./packages/better-auth/src/index.ts') },
  { find: /^@refport\/better-auth\/client$/, replacement: here('./packages/better-auth/src/client.ts') },
]

export default defineConfig({
  resolve: { alias },
  // The sources under test are the debug build's: every log() call is compiled in.
  define: { __REFPORT_DEBUG__: 'true' },
  test: {
    // One worker per core. vitest's default leaves one core to its main process, which mostly
    // waits, so on CI's two cores the files would run one after another.
    maxWorkers: availableParallelism(),
    // A worker thread starts in a fraction of a forked process's time, and the suite starts
    // one per test file: some 10 s of CPU over the whole suite. No test changes the
    // process's working directory or listens for signals, the two things a thread cannot do.
    pool: 'threads',
    projects: [
      {
        extends: true,
        test: {
          name: 'tracker',
          include: ['src/**/*.test.ts'],
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'https://www.acme.com/' } },
        },
      },
      {
        extends: true,
        test: {
          name: 'react',
          include: ['react/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'https://www.acme.com/' } },
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['packages/*/src/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'scripts',
          include: ['scripts/**/*.test.mjs'],
          environment: 'node',
        },
      },
    ],
  },
})
