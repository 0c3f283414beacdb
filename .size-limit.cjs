// Size budgets, checked in CI (`npm run size`); the build fails over budget.
// Sizes are minified + brotli, as a visitor downloads them.
//
// The product budget for the script tag with every feature and for `init` is 0.75 × Dub's
// all-features script (2,507 B): 1,880 B. It is NOT met yet: the script tag measures
// 3,087 B (1,207 B over) and `import { init }` 2,910 B (1,030 B over), with the minted
// click, partner data and the Stripe hand-off. Until a product decision removes or slims a
// feature, each budget below is the measured size (rounded up by at most 5 B), so any byte
// added fails CI; lower them as bytes come out, down to 1,880 B. See README "Size".
// bench/size-vs-dub.test.ts checks the 1,880 B rule itself against Dub's file measured in
// the same run.
// The debug build (dist/refport.debug.js) has no budget: it is not for production pages.
module.exports = [
  {
    name: 'script tag: dist/refport.js (every feature)',
    path: 'dist/refport.js',
    // Measured as served: the file is already minified by terser, and a second esbuild pass
    // only reshuffles it (and measures some 20 B more than a visitor downloads).
    disablePlugins: ['@size-limit/esbuild'],
    // Product budget 1,880 B: not met yet, 1,207 B over.
    limit: '3090 B',
  },
  {
    name: "import { init } from 'refport-js'",
    path: 'dist/index.js',
    import: '{ init }',
    // Product budget 1,880 B: not met yet, 1,030 B over.
    limit: '2915 B',
  },
  {
    // init() plus the React wrapper.
    name: 'refport-js/react: <RefportTracker /> + useRefport() with init()',
    path: 'dist/react/index.js',
    import: '{ RefportTracker, useRefport }',
    ignore: ['react'],
    limit: '3480 B',
  },
  {
    name: 'refport-js/react: the wrapper alone, over init()',
    path: 'dist/react/index.js',
    import: '{ RefportTracker, useRefport }',
    ignore: ['react', 'refport-js'],
    // The wrapper over init(): the click ID and the partner, one subscription, one snapshot.
    limit: '385 B',
  },
]
