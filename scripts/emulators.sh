#!/usr/bin/env bash
# Local emulators of the production services: fake-gcs-server for Cloud Storage and bqemulator
# (BigQuery's REST API over DuckDB) for BigQuery. Both listen on 127.0.0.1 only.
#
#   scripts/emulators.sh install   # builds or installs both into ~/.cache/placement-tools (idempotent)
#   scripts/emulators.sh start     # starts both on free ports, prints the endpoints and the variables to export
#   scripts/emulators.sh stop      # stops what `start` started, by the PIDs it recorded
#   scripts/emulators.sh paths     # prints the binaries and the state folder as KEY=VALUE lines
#
# bqemulator reads `gs://bucket/object` as the file `<gcs root>/bucket/object`, so fake-gcs-server
# runs on its filesystem backend with that same root: a load job sees what the lake wrote.
set -euo pipefail

TOOLS_DIR="${PLACEMENT_TOOLS_DIR:-$HOME/.cache/placement-tools}"
FAKE_GCS_VERSION=v1.56.1
BQEMULATOR_VERSION=1.4.0
# bqemulator loads DuckDB's spatial and avro extensions at start. DuckDB would download them; the
# PyPI packages below ship the files for this DuckDB version, copied where DuckDB looks first.
DUCKDB_VERSION=1.5.5
PYTHON_FOR_BQEMULATOR="${PYTHON_FOR_BQEMULATOR:-}"

FAKE_GCS_BIN="$TOOLS_DIR/bin/fake-gcs-server"
BQEMULATOR_VENV="$TOOLS_DIR/bqemulator-$BQEMULATOR_VERSION"
BQEMULATOR_BIN="$BQEMULATOR_VENV/bin/bqemulator"
# DuckDB keeps extensions under $HOME/.duckdb; the emulator gets its own HOME so the user's stays untouched.
BQEMULATOR_HOME="$BQEMULATOR_VENV/home"
STATE_DIR="${PLACEMENT_EMULATORS_DIR:-$TOOLS_DIR/emulators-state}"

log() { echo "emulators: $*" >&2; }

find_python() {
  # bqemulator needs Python >= 3.11.
  for candidate in "$PYTHON_FOR_BQEMULATOR" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    command -v "$candidate" >/dev/null 2>&1 || continue
    if "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      command -v "$candidate"
      return 0
    fi
  done
  return 1
}

install_fake_gcs() {
  [ -x "$FAKE_GCS_BIN" ] && return 0
  command -v go >/dev/null 2>&1 || { log "fake-gcs-server needs Go >= 1.25 to build (go install); none on PATH"; return 1; }
  log "building fake-gcs-server $FAKE_GCS_VERSION (about a minute)"
  mkdir -p "$TOOLS_DIR/bin"
  GOBIN="$TOOLS_DIR/bin" go install "github.com/fsouza/fake-gcs-server@$FAKE_GCS_VERSION"
}

install_bqemulator() {
  local extensions="$BQEMULATOR_HOME/.duckdb/extensions/v$DUCKDB_VERSION/linux_amd64"
  if [ -x "$BQEMULATOR_BIN" ] && [ -f "$extensions/spatial.duckdb_extension" ]; then return 0; fi
  [ "$(uname -sm)" = "Linux x86_64" ] || { log "the pinned DuckDB extensions exist for Linux x86-64 only"; return 1; }
  local python
  python="$(find_python)" || { log "bqemulator needs Python >= 3.11; set PYTHON_FOR_BQEMULATOR"; return 1; }
  log "installing bqemulator $BQEMULATOR_VERSION with $python"
  "$python" -m venv "$BQEMULATOR_VENV"
  "$BQEMULATOR_VENV/bin/pip" install --quiet --disable-pip-version-check \
    "bqemulator==$BQEMULATOR_VERSION" "duckdb==$DUCKDB_VERSION" numpy \
    "duckdb-extension-spatial==$DUCKDB_VERSION" "duckdb-extension-avro==$DUCKDB_VERSION"
  mkdir -p "$extensions"
  local site
  site="$("$BQEMULATOR_VENV/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
  for name in spatial avro; do
    cp "$site/duckdb_extension_$name/extensions/v$DUCKDB_VERSION/$name.duckdb_extension" "$extensions/"
  done
}

free_port() {
  "$BQEMULATOR_VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() {
  local url="$1" what="$2" log_file="$3"
  for _ in $(seq 1 120); do
    curl -sf "$url" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  log "$what did not answer $url within 60 s; its log:"
  tail -20 "$log_file" >&2
  return 1
}

start() {
  install_fake_gcs
  install_bqemulator
  if [ -f "$STATE_DIR/env" ]; then
    log "already started (state in $STATE_DIR); run '$0 stop' first"
    cat "$STATE_DIR/env"
    return 0
  fi
  mkdir -p "$STATE_DIR/gcs"
  local gcs_port bq_port grpc_port
  gcs_port="$(free_port)"
  bq_port="$(free_port)"
  grpc_port="$(free_port)"

  "$FAKE_GCS_BIN" -scheme http -host 127.0.0.1 -port "$gcs_port" -backend filesystem \
    -filesystem-root "$STATE_DIR/gcs" -external-url "http://127.0.0.1:$gcs_port" \
    -public-host "127.0.0.1:$gcs_port" -log-level warn >"$STATE_DIR/fake-gcs.log" 2>&1 &
  echo $! >"$STATE_DIR/fake-gcs.pid"

  HOME="$BQEMULATOR_HOME" BQEMU_GCS_LOCAL_ROOT="$STATE_DIR/gcs" "$BQEMULATOR_BIN" start --ephemeral \
    --rest-host 127.0.0.1 --rest-port "$bq_port" --grpc-host 127.0.0.1 --grpc-port "$grpc_port" \
    --project placement-test --log-level warning >"$STATE_DIR/bqemulator.log" 2>&1 &
  echo $! >"$STATE_DIR/bqemulator.pid"

  wait_for "http://127.0.0.1:$gcs_port/_internal/healthcheck" fake-gcs-server "$STATE_DIR/fake-gcs.log"
  wait_for "http://127.0.0.1:$bq_port/bigquery/v2/projects/placement-test/datasets" bqemulator "$STATE_DIR/bqemulator.log"

  cat >"$STATE_DIR/env" <<EOF
GCS_API_ENDPOINT=http://127.0.0.1:$gcs_port
BIGQUERY_API_ENDPOINT=http://127.0.0.1:$bq_port
BIGQUERY_PROJECT=placement-test
METADATA_SERVER_DETECTION=none
EOF
  cat "$STATE_DIR/env"
}

stop() {
  for name in bqemulator fake-gcs; do
    local pid_file="$STATE_DIR/$name.pid"
    [ -f "$pid_file" ] || continue
    local pid
    pid="$(cat "$pid_file")"
    kill "$pid" 2>/dev/null || true
    rm -f "$pid_file"
  done
  rm -f "$STATE_DIR/env"
  rm -rf "$STATE_DIR/gcs"
}

paths() {
  cat <<EOF
FAKE_GCS_BIN=$FAKE_GCS_BIN
BQEMULATOR_BIN=$BQEMULATOR_BIN
BQEMULATOR_HOME=$BQEMULATOR_HOME
EOF
}

case "${1:-}" in
  install) install_fake_gcs && install_bqemulator ;;
  start) start ;;
  stop) stop ;;
  paths) paths ;;
  *)
    echo "usage: $0 install|start|stop|paths" >&2
    exit 2
    ;;
esac
