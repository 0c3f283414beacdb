// Adds up the runs recorded by scripts/test-all.sh and prints the one closing line CI
// reads: "N passed, N failed". Exits 1 on any failure.
//
// .reports/steps.txt has a line per run: "<pass|fail> <check|tests> <name> <report>".
// A check counts as one test. A test run counts its report's tests; skipped tests count as
// failures (a skipped test proves nothing), and a run that failed without writing its
// report (it crashed before running) counts as one failure.
import { existsSync, readFileSync } from 'node:fs'

let passed = 0
let failed = 0
const lines = []

function countReport(path) {
  const report = JSON.parse(readFileSync(path, 'utf8'))
  if ('numPassedTests' in report) {
    // vitest
    return {
      passed: report.numPassedTests,
      failed: report.numFailedTests,
      skipped: report.numPendingTests + report.numTodoTests,
    }
  }
  // Playwright: expected = passed; unexpected and flaky count as failed.
  const { expected, unexpected, flaky, skipped } = report.stats
  return { passed: expected, failed: unexpected + flaky, skipped }
}

for (const line of readFileSync('.reports/steps.txt', 'utf8').split('\n').filter(Boolean)) {
  const [status, kind, name, report] = line.split(' ')
  if (kind === 'check') {
    if (status === 'pass') passed += 1
    else failed += 1
    lines.push(`${name}: ${status}`)
  } else if (existsSync(report)) {
    const counts = countReport(report)
    passed += counts.passed
    failed += counts.failed + counts.skipped
    // A runner can fail on its own (an unhandled error outside any test) with every test green.
    if (status === 'fail' && counts.failed === 0) failed += 1
    lines.push(`${name}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
  } else {
    failed += 1
    lines.push(`${name}: ${status}, no report`)
  }
}

console.log(`\n${lines.join('\n')}`)
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed ? 1 : 0)
