// Prints one closing line "N passed, N failed, N skipped" over the vitest JSON reports given as
// arguments (absent files are ignored), and exits non-zero when no test ran at all.
import fs from 'node:fs';

const totals = { passed: 0, failed: 0, skipped: 0, total: 0 };
for (const file of process.argv.slice(2)) {
  if (!fs.existsSync(file)) continue;
  const report = JSON.parse(fs.readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
  totals.skipped += report.numPendingTests + report.numTodoTests;
  totals.total += report.numTotalTests;
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
if (totals.total === 0) {
  console.error('no test ran');
  process.exit(1);
}
