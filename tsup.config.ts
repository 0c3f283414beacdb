import { defineConfig, type Options } from 'tsup'

// The browser entries bundle the private @refport/contract source so the published
// package has no runtime dependencies.
const shared: Options = {
  noExternal: ['@refport/contract'],
  target: 'es2020',
  treeshake: true,
}

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts', 'react/index': 'react/index.ts' },
    format: ['esm', 'cjs'],
    dts: { resolve: ['@refport/contract'] },
    // The React entry imports the core as 'refport-js', so an app that also calls init()
    // shares one tracker state with <RefportTracker />.
    external: ['react', 'refport-js'],
    clean: true,
  },
  {
    // The <script> tag build: one self-starting minified file, global `window.refport`.
    ...shared,
    entry: { refport: 'src/script.ts' },
    format: ['iife'],
    outExtension: () => ({ js: '.js' }),
    minify: true,
  },
])
