#!/usr/bin/env bash
# Runs the whole test suite against real components (a Temporal dev server started for the run,
# DuckDB, the demo Odoo over HTTP), installing the toolchain first when missing, then the tests
# of the production adapters against the Cloud Storage and BigQuery emulators
# (scripts/test-emulators.sh, which installs the emulators when missing).
# Extra arguments go to vitest and run the default suite only, e.g. `scripts/test.sh odoo/`.
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$PROJECT_DIR/scripts/bootstrap.sh"
cd "$PROJECT_DIR"

# The dashboard's browser tests drive Debian's Chromium; CI runs as root on a fresh machine.
ensure_chromium() {
  [ "${PLACEMENT_BROWSER_TESTS:-}" = "off" ] && return 0
  [ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] && return 0
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "test: installing chromium (Debian package) for the dashboard browser tests" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >&2 \
      || echo "test: warning: could not install chromium; the dashboard browser tests will fail" >&2
  fi
  return 0
}

ensure_chromium

mkdir -p .data/test-results
report=.data/test-results/vitest.json
emulator_report=.data/test-results/vitest-emulators.json
rm -f "$report" "$emulator_report"

status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?

if [ $# -eq 0 ]; then
  PLACEMENT_TEST_REPORT="$emulator_report" bash scripts/test-emulators.sh --no-summary || status=1
fi

# A plain closing line that any CI can read, whatever vitest prints above it.
node scripts/test-summary.mjs "$report" "$emulator_report" || status=1
exit "$status"
