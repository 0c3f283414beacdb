import { defineConfig, type Options } from 'tsup'

// The private @refport/contract source is bundled into every entry, so the published
// package has no runtime dependencies and no second copy of the cookie rules to drift.
const shared: Options = {
  noExternal: ['@refport/contract'],
  target: 'es2020',
  treeshake: true,
  // Keep `node:http` etc. as written: Deno only resolves built-ins with the prefix, and
  // Node 18 (our floor) understands it.
  removeNodeProtocol: false,
}

export default defineConfig([
  {
    ...shared,
    entry: {
      index: 'src/index.ts',
      testing: 'src/testing.ts',
      stripe: 'src/stripe.ts',
      express: 'src/express.ts',
      next: 'src/next.ts',
      // Optional peers (@playwright/test, stripe) stay external: tsup leaves peerDependencies out.
      playwright: 'src/playwright.ts',
      // Playwright's `globalSetup`, named by module specifier; Playwright loads it with
      // import(), so package.json exports only its ESM build.
      'playwright-global-setup': 'src/playwright-global-setup.ts',
    },
    // The frameworks are the user's (optional peer dependencies), and tldts is a dependency:
    // none is bundled. The main entry imports neither framework.
    external: ['next', 'next/server', 'express', 'tldts'],
    format: ['esm', 'cjs'],
    // The contract's types are inlined too: a published .d.ts that imports the private
    // package would leave users with `any` for LeadRequest/LeadResponse. tsup's resolver
    // reads only `types`/`main`, and the contract has just `exports`, so it would mark it
    // external; the path makes TypeScript resolve it to the source, which gets bundled.
    dts: {
      resolve: ['@refport/contract'],
      compilerOptions: { paths: { '@refport/contract': ['../contract/src/index.ts'] } },
    },
    // Node built-ins are only used by refport/testing; `node:` specifiers stay as they are.
    platform: 'node',
    clean: [
      'index.*',
      'testing.*',
      'stripe.*',
      'express.*',
      'next.*',
      'playwright.*',
      'playwright-global-setup.*',
      'chunk-*',
      'options-*',
      'wire-*',
    ],
  },
  {
    // `refport-mock`: the shebang comes from src/cli.ts; tsup marks the file executable.
    ...shared,
    entry: { cli: 'src/cli.ts' },
    format: ['esm'],
    platform: 'node',
    target: 'node18',
    clean: ['cli.*'],
  },
])
