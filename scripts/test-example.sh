#!/usr/bin/env bash
# Runs examples/attribution-test the way a user gets it: the packages packed with `npm pack`,
# installed from their tarballs into a copy of the example outside the workspace, and its
# Playwright test run with nothing but the public refport/playwright fixture.
# Needs `npm run build` first. Writes .reports/example.json (Playwright JSON) for the summary.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
offset=${E2E_PORT_OFFSET:-0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# refport bundles @refport/contract (tsup noExternal): the two public packages are all a user installs.
npm pack --silent --pack-destination "$work" >/dev/null
npm pack --silent --workspace refport --pack-destination "$work" >/dev/null
cp -r examples/attribution-test "$work/app"
rm -rf "$work/app/node_modules" "$work/app/test-results"
cd "$work/app"
playwright_version=$(node -p "require('$repo/node_modules/@playwright/test/package.json').version")
npm install --prefer-offline --no-audit --no-fund --loglevel=error \
  "$work"/refport-js-*.tgz "$work"/refport-[0-9]*.tgz "@playwright/test@$playwright_version"

mkdir -p "$repo/.reports"
PORT=$((4180 + offset)) REFPORT_MOCK_PORT=$((4013 + offset)) CHROMIUM_PATH=${CHROMIUM_PATH:-/usr/bin/chromium} \
  PLAYWRIGHT_JSON_OUTPUT_NAME="$repo/.reports/example.json" \
  npx playwright test --reporter=list,json
