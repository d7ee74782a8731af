#!/usr/bin/env bash
# Runs the whole test suite against real components (a Temporal dev server started for the run,
# DuckDB, the demo Odoo over HTTP), installing the toolchain first when missing.
# Extra arguments go to vitest, e.g. `scripts/test.sh odoo/`.
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$PROJECT_DIR/scripts/bootstrap.sh"
cd "$PROJECT_DIR"

mkdir -p .data/test-results
report=.data/test-results/vitest.json
rm -f "$report"

status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?

# A plain closing line that any CI can read, whatever vitest prints above it.
if [ -f "$report" ]; then
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const skipped = r.numPendingTests + r.numTodoTests;
    console.log(`${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
    if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
  ' "$report" || status=1
fi
exit "$status"
