// Size budgets, checked in CI (`npm run size`); the build fails over budget.
// Sizes are minified + brotli, as a visitor downloads them.
//
// The script tag with every feature and `init` must stay within 0.75 × Dub's all-features
// script (2,507 B): 1,880 B, never more. The minted click with partner data measures about
// 2,880 B today, so these two checks fail until the tracker is slimmed to fit (see README
// "Size"); the budgets say what is allowed, not what is measured, and none goes up without
// a line in the README saying why. bench/size-vs-dub.test.ts checks the same rule against
// Dub's file measured in the same run.
// The debug build (dist/refport.debug.js) has no budget: it is not for production pages.
module.exports = [
  {
    name: 'script tag: dist/refport.js (every feature)',
    path: 'dist/refport.js',
    // Measured as served: the file is already minified by terser, and a second esbuild pass
    // only reshuffles it (and measures some 20 B more than a visitor downloads).
    disablePlugins: ['@size-limit/esbuild'],
    limit: '1880 B',
  },
  {
    name: "import { init } from 'refport-js'",
    path: 'dist/index.js',
    import: '{ init }',
    limit: '1880 B',
  },
  {
    // init() plus the React wrapper.
    name: 'refport-js/react: <RefportTracker /> + useRefport() with init()',
    path: 'dist/react/index.js',
    import: '{ RefportTracker, useRefport }',
    ignore: ['react'],
    limit: '3160 B',
  },
  {
    name: 'refport-js/react: the wrapper alone, over init()',
    path: 'dist/react/index.js',
    import: '{ RefportTracker, useRefport }',
    ignore: ['react', 'refport-js'],
    // The wrapper over init(): the click ID and the partner, one subscription, one snapshot.
    limit: '315 B',
  },
]
