#!/usr/bin/env bash
# Every check CI runs, in order: the README's "pass every test" command (`npm test`).
# Each step is counted; the last line is the summary CI reads: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

# Browsers, from Debian with apt when missing (Playwright cannot download browsers here):
# Chromium for the e2e suite; for the cross-engine suite (e2e/engines) firefox-esr, and
# WebKitGTK with its WebDriver, an X server to draw into (it has no headless mode) and the
# GTK bindings our own small automation browser is written with.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || missing+=(webkit2gtk-driver)
command -v Xvfb >/dev/null 2>&1 || missing+=(xvfb xauth)
/usr/bin/python3 -c "import gi; gi.require_version('WebKit2', '4.1')" >/dev/null 2>&1 || missing+=(python3-gi gir1.2-webkit2-4.1 libwebkit2gtk-4.1-0)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]} (apt)"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}") >/dev/null || echo "browser install failed"
fi
[ -d node_modules ] || npm install --no-audit --no-fund

rm -rf .reports && mkdir -p .reports
: > .reports/steps.txt
# check NAME CMD...: one pass/fail. tests NAME REPORT CMD...: a runner whose JSON report
# at REPORT holds the counts (a crash before writing it counts as one failure).
run() {
  local kind=$1 name=$2 report=$3
  shift 3
  echo
  echo "== $name: $*"
  local started=$SECONDS
  if "$@"; then status=pass; else status=fail; echo "!! $name failed"; fi
  # Each step's wall time, so the whole run can be kept within CI's time budget.
  echo "-- $name: $status in $((SECONDS - started)) s"
  echo "$status $kind $name $report" >> .reports/steps.txt
}
check() { local name=$1; shift; run check "$name" - "$@"; }
tests() { run tests "$@"; }

# CI has two cores, and several steps keep one of them mostly waiting (the Chromium suite
# waits on pages and servers, npm on the network, tsc and tsup run on one thread at times).
# `background LANE FUNCTION` runs the steps of FUNCTION beside the ones that follow, its
# output held in .reports/LANE.log and printed whole by `collect LANE`, so every step's
# lines stay together. Steps that use the same files, ports or packed tarballs never run
# beside each other.
declare -A lanes=()
background() {
  echo
  echo "== $1: started beside the next steps (its output follows when it ends)"
  "$2" > ".reports/$1.log" 2>&1 &
  lanes[$1]=$!
}
collect() {
  wait "${lanes[$1]}"
  cat ".reports/$1.log"
}

export NEXT_TELEMETRY_DISABLED=1
# package.json files against their lockfiles, whatever platforms' optional packages they list.
check lockfile node scripts/check-lockfile.mjs . packages/test-support/fixtures/react18
# The React suite runs once more against React 18, installed in its own folder from its own lockfile.
react18_install() { check react18-install npm ci --prefix packages/test-support/fixtures/react18 --no-audit --no-fund; }
background react18-install react18_install
# Biome after the type check: the lint rules and the formatting (biome.jsonc), in a second or two.
typecheck() {
  check typecheck npx tsc --noEmit
  check lint npm run lint
}
background typecheck typecheck
check build npm run build
collect typecheck
# The Next.js App Router app the e2e suite drives (its layout renders <RefportTracker />).
# After the type check: `next build` writes e2e/next-app/next-env.d.ts, which tsc reads.
check next-build npm run next-app:build
# Alone: its timing tests (deadlines, hanging APIs) get both cores.
tests unit .reports/vitest.json npx vitest run --reporter=default --reporter=json --outputFile.json=.reports/vitest.json
collect react18-install

# Beside the Chromium suite: everything else that needs the build. Its ports are apart from
# the Chromium suite's (e2e/servers/config.mjs); the cross-engine suite starts the same
# servers as the Chromium suite, so it runs them shifted by 7 ports, where none of the
# suites listens (E2E_PORT_OFFSET is how every server and spec finds its port).
beside_e2e() {
  # refport/playwright's own suite: a user's app, the hub, the misconfigurations, two workers.
  tests e2e-fixture .reports/playwright-fixture.json npx playwright test -c e2e/fixture
  # The attribution scenarios once more in Firefox and in WebKit (tracking prevention on).
  E2E_PORT_OFFSET=$((${E2E_PORT_OFFSET:-0} + 7)) \
    tests browsers .reports/browsers.json npx vitest run --config vitest.browsers.config.ts --reporter=default --reporter=json --outputFile.json=.reports/browsers.json
  tests unit-react18 .reports/vitest-react18.json npx vitest run --config packages/test-support/fixtures/react18/vitest.config.ts --reporter=default --reporter=json --outputFile.json=.reports/vitest-react18.json
  check package-lint npm run lint:package --workspaces --include-workspace-root --if-present
  check size-budgets npx size-limit
  # Every TypeScript block of the READMEs (and the type tests beside the check), compiled under
  # strict against the packages packed as users get them: one test per block.
  tests readme-snippets .reports/readme-snippets.json npx vitest run -c scripts/readme-snippets/vitest.config.mjs --reporter=default --reporter=json --outputFile.json=.reports/readme-snippets.json
  # The example user project, installed from the packed tarballs as a user installs them.
  tests example .reports/example.json bash scripts/test-example.sh
}
background beside-e2e beside_e2e
tests e2e .reports/playwright.json npx playwright test
collect beside-e2e

node scripts/summary.mjs
