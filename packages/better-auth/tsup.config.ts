import { defineConfig } from 'tsup'

// Two entries: the server plugin and the types-only client plugin. `better-auth` and
// `refport` are peer dependencies, so they stay imports; the private @refport/contract
// source is bundled in, so the published package has no runtime dependencies of its own.
export default defineConfig({
  entry: { index: 'src/index.ts', client: 'src/client.ts' },
  format: ['esm', 'cjs'],
  dts: { resolve: ['@refport/contract'] },
  external: ['better-auth', 'refport'],
  noExternal: ['@refport/contract'],
  target: 'es2020',
  treeshake: true,
  clean: true,
})
