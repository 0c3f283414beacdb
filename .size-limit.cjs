// Size budgets, checked in CI (`npm run size`); the build fails over budget.
// Sizes are minified + brotli, as a visitor downloads them.
module.exports = [
  {
    name: 'script tag: dist/refport.js (every feature)',
    path: 'dist/refport.js',
    limit: '1000 B',
  },
  {
    name: "import { init } from 'refport-js'",
    path: 'dist/index.js',
    import: '{ init }',
    limit: '900 B',
  },
  {
    name: 'refport-js/react: <RefportTracker /> + useRefport() with init()',
    path: 'dist/react/index.js',
    import: '{ RefportTracker, useRefport }',
    ignore: ['react'],
    limit: '1200 B',
  },
  {
    name: 'refport-js/react: the wrapper alone, over init()',
    path: 'dist/react/index.js',
    import: '{ RefportTracker, useRefport }',
    ignore: ['react', 'refport-js'],
    limit: '300 B',
  },
]
