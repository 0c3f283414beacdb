import { defineConfig } from 'tsup'

// Two entries: the server plugin and the types-only client plugin. `better-auth` and
// `refport` are peer dependencies, so they stay imports; the private @refport/contract
// source is bundled in, so the published package has no runtime dependencies of its own.
export default defineConfig({
  entry: { index: 'src/index.ts', client: 'src/client.ts' },
  format: ['esm', 'cjs'],
  // The contract's types are inlined too, so a published .d.ts never imports the private
  // package (users would get `any`, or "Cannot find module" with skipLibCheck off). tsup's
  // resolver reads only `types`/`main`, and the contract has just `exports`, so it would
  // mark it external; the path makes TypeScript resolve it to the source, which gets bundled.
  dts: {
    resolve: ['@refport/contract'],
    compilerOptions: { paths: { '@refport/contract': ['../contract/src/index.ts'] } },
  },
  external: ['better-auth', 'refport'],
  noExternal: ['@refport/contract'],
  target: 'es2020',
  treeshake: true,
  clean: true,
})
