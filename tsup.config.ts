import { defineConfig, type Options } from 'tsup'

// The browser entries bundle the private @refport/contract source so the published
// package has no runtime dependencies.
const shared: Options = {
  noExternal: ['@refport/contract'],
  // Debug messages are compiled out of every build but the debug script (src/log.ts).
  define: { __REFPORT_DEBUG__: 'false' },
  target: 'es2020',
  treeshake: true,
}

// The same terser settings for every shipped file. The npm entries are minified too: a
// bundler re-minifies them anyway, but esbuild's minifier (Vite, size-limit) neither inlines
// nor mangles across a module as terser does, and an app bundled with it ships some 6% more
// of the tracker otherwise. Export names and the 'use client' directive survive terser.
// unsafe_arrows turns function expressions into arrows; safe here because no tracker
// function reads `this` or `arguments` or is called with `new` (4 B brotli on the script tag).
const terserOptions = { ecma: 2020, compress: { passes: 3, hoist_funs: true, unsafe_arrows: true } } as const

/** The <script> tag build: one self-starting minified file, global `window.refport`. */
const scriptBuild = (name: string, debug: boolean): Options => ({
  ...shared,
  entry: { [name]: 'src/script.ts' },
  format: ['iife'],
  outExtension: () => ({ js: '.js' }),
  // esbuild's own tree-shaking (rollup's adds a function wrapper terser keeps): the same
  // code, "use strict" for this file only, 9 B less brotli as served.
  treeshake: false,
  // terser's extra passes save about 5% over esbuild's minifier on this file. hoist_funs
  // moves function declarations to the top of their scope, where the language already
  // hoists them (no change in behaviour), and brotli finds more repeats that way.
  minify: 'terser',
  // esbuild's syntax minifier before terser folds a few shapes terser leaves: 13 B brotli.
  minifySyntax: true,
  terserOptions: { ...terserOptions, toplevel: true },
  define: { __REFPORT_DEBUG__: String(debug) },
})

export default defineConfig([
  {
    ...shared,
    entry: { index: 'src/index.ts' },
    format: ['esm', 'cjs'],
    dts: { resolve: ['@refport/contract'] },
    // As in the script tag: 13 B brotli less for `import { init }` (not for the React wrapper).
    minify: 'terser',
    minifySyntax: true,
    terserOptions,
  },
  {
    // 'use client' must stay the first statement so a Next.js server layout can render the
    // component; tsup's rollup tree-shaking strips module directives, esbuild alone keeps them.
    // The core stays external ('refport-js'), so an app that also calls init() shares one
    // tracker state with <RefportTracker />.
    ...shared,
    entry: { 'react/index': 'react/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    external: ['react', 'refport-js'],
    treeshake: false,
    minify: 'terser',
    // terser drops directives it does not know ('use client') unless told to keep them.
    terserOptions: { ...terserOptions, compress: { ...terserOptions.compress, directives: false } },
  },
  // The four builds run at once. This one, with no declarations, empties dist/ as it starts,
  // before any build has written a file. A build with declarations must not: its .d.ts step
  // removes every .d.ts under dist/ when it starts, seconds in, and could take the React
  // entry's, already written by its own build.
  { ...scriptBuild('refport', false), clean: true },
  // The same script with every decision logged to the console under data-debug: for a
  // developer chasing a missing click, never for production pages.
  scriptBuild('refport.debug', true),
])
