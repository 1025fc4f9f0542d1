// Adds up vitest's and Playwright's JSON reports into one closing line: "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";

// every report given: vitest's (numPassedTests …) and Playwright's (stats); the first two must exist,
// further ones (the suites on PostgreSQL) are added when they do
const files = process.argv.slice(2);
let passed = 0,
  failed = 0,
  skipped = 0;
let missing = false;

files.forEach((file, i) => {
  if (!existsSync(file)) {
    if (i < 2) missing = true;
    return;
  }
  const r = JSON.parse(readFileSync(file, "utf8"));
  if (r.stats) {
    passed += r.stats.expected + (r.stats.flaky ?? 0);
    failed += r.stats.unexpected;
    skipped += r.stats.skipped;
  } else {
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
});

if (missing) {
  console.log("a test report is missing: a runner did not finish");
  failed += 1;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || skipped ? 1 : 0);
