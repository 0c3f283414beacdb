#!/usr/bin/env node
// Committed entry for `npx refport-mock`: npm links a workspace bin only if the file exists
// at install time, and dist/ is built later.
import('../dist/cli.js').catch((error) => {
  console.error(`refport-mock: could not start (${error.message}). Build first: npm run build -w refport`)
  process.exit(1)
})
