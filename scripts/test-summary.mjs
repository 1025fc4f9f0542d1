// Adds up vitest's and Playwright's JSON reports into one closing line: "N passed, N failed".
import { existsSync, readFileSync } from "node:fs";

// (further vitest reports, such as the integration suite on PostgreSQL, are added when they exist)
const [vitestFile, playwrightFile, ...moreVitest] = process.argv.slice(2);
let passed = 0,
  failed = 0,
  skipped = 0;
let missing = false;

if (existsSync(vitestFile)) {
  const v = JSON.parse(readFileSync(vitestFile, "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
} else missing = true;

for (const file of moreVitest.filter((f) => existsSync(f))) {
  const v = JSON.parse(readFileSync(file, "utf8"));
  passed += v.numPassedTests;
  failed += v.numFailedTests;
  skipped += v.numPendingTests + (v.numTodoTests ?? 0);
}

if (existsSync(playwrightFile)) {
  const s = JSON.parse(readFileSync(playwrightFile, "utf8")).stats;
  passed += s.expected + (s.flaky ?? 0);
  failed += s.unexpected;
  skipped += s.skipped;
} else missing = true;

if (missing) {
  console.log("a test report is missing: a runner did not finish");
  failed += 1;
}
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failed || skipped ? 1 : 0);
