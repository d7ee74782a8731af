#!/usr/bin/env bash
# Runs the tests of the production adapters (GCS lake, BigQuery warehouse, daily pipeline parity)
# against fake-gcs-server and bqemulator on 127.0.0.1, installing both first when missing
# (scripts/emulators.sh install). Extra arguments go to vitest.
set -euo pipefail
PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$PROJECT_DIR/scripts/bootstrap.sh"
cd "$PROJECT_DIR"

summary=1
if [ "${1:-}" = "--no-summary" ]; then
  summary=0
  shift
fi

mkdir -p .data/test-results
report="${PLACEMENT_TEST_REPORT:-.data/test-results/vitest-emulators.json}"
rm -f "$report"

# The Google clients must never look for a metadata server or real credentials here.
export METADATA_SERVER_DETECTION=none
unset GOOGLE_APPLICATION_CREDENTIALS STORAGE_EMULATOR_HOST BIGQUERY_EMULATOR_HOST

status=0
if bash scripts/emulators.sh install; then
  npx vitest run --config vitest.emulators.config.ts --reporter=default --reporter=json \
    --outputFile.json="$report" "$@" || status=$?
else
  echo "error: the emulators could not be installed; see the lines above" >&2
  status=1
fi

if [ "$summary" = 1 ]; then node scripts/test-summary.mjs "$report" || status=1; fi
exit "$status"
