import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'tracker',
          include: ['src/**/*.test.ts'],
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'https://www.acme.com/' } },
        },
      },
      {
        test: {
          name: 'react',
          include: ['react/**/*.test.{ts,tsx}'],
          environment: 'happy-dom',
          environmentOptions: { happyDOM: { url: 'https://www.acme.com/' } },
        },
      },
      {
        test: {
          name: 'server',
          include: ['packages/*/src/**/*.test.ts'],
          environment: 'node',
        },
      },
    ],
  },
})
