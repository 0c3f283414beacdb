import { fileURLToPath } from 'node:url'
import { defineConfig, mergeConfig } from 'vitest/config'
import root from '../../vitest.config'

const fixture = (path: string): string => fileURLToPath(new URL(`./node_modules/${path}`, import.meta.url))

/**
 * The react/*.test.tsx suite once more, against React 18 (the oldest major the peer range
 * allows). React, ReactDOM and the testing library all come from this folder, so no copy
 * of React 19 can leak into the run; the rest of the setup is the root's react project.
 *
 * Install first: `npm ci --prefix react/react18 --no-audit --no-fund`
 * Run: `npx vitest run --config react/react18/vitest.config.ts`
 */
export default mergeConfig(
  { ...root, test: { ...root.test, projects: undefined } },
  defineConfig({
    root: fileURLToPath(new URL('../..', import.meta.url)),
    resolve: {
      alias: [
        { find: /^react(\/.*)?$/, replacement: fixture('react$1') },
        { find: /^react-dom(\/.*)?$/, replacement: fixture('react-dom$1') },
        { find: /^@testing-library\/react$/, replacement: fixture('@testing-library/react') },
      ],
    },
    test: {
      name: 'react18',
      env: { REFPORT_REACT_MAJOR: '18' },
      include: ['react/*.test.{ts,tsx}'],
      environment: 'happy-dom',
      environmentOptions: { happyDOM: { url: 'https://www.acme.com/' } },
    },
  }),
)
