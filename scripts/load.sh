#!/usr/bin/env bash
# `make load`: mixed traffic from Locust against the portal while its
# sweeper and e-mail sender run, first one instance on SQLite, then two
# instances on one PostgreSQL (when one answers at 127.0.0.1:5432). Prints
# throughput, p50/p99 per endpoint and the count of 5xx, which must be 0.
#
#   scripts/load.sh [SECONDS] [CLIENTS]     defaults: 60 s, 32 clients
#   PORTAL_BIN=target/debug/portal scripts/load.sh 15   (a short run)
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_TO_RUN=${1:-60}
CLIENTS=${2:-32}
BIN=${PORTAL_BIN:-target/release/portal}
HOLDERS=$CLIENTS
LOCUST=.venv/bin/locust
PG_ADMIN_URL=${LOAD_PG_URL:-postgres://postgres@127.0.0.1:5432/test}
WORK=$(mktemp -d)
PIDS=()

say() { printf '\033[1mload:\033[0m %s\n' "$*"; }
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

[ -x "$BIN" ] || { say "no portal binary at $BIN (build it first)" >&2; exit 1; }
[ -x "$LOCUST" ] || { say "Locust is missing: run scripts/bootstrap.sh" >&2; exit 1; }

wait_healthy() {
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$1/healthz" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  say "the portal on port $1 did not start" >&2
  return 1
}

# run NAME DATABASE_URL PORT...: seeds, starts one instance per port, drives them.
run() {
  local name=$1 url=$2; shift 2
  local dir="$WORK/$name" hosts=""
  mkdir -p "$dir"
  export DATABASE_URL="$url" PORTAL_DATA_DIR="$dir" RUST_LOG=warn
  # One signing secret for every instance, as in a real deployment.
  export PORTAL_JWT_SECRET="load-test-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  say "$name: seeding $HOLDERS holders"
  "$BIN" seed-demo --scale "$HOLDERS" >/dev/null
  for port in "$@"; do
    LEPTOS_SITE_ADDR="127.0.0.1:$port" "$BIN" serve >"$dir/serve-$port.log" 2>&1 &
    PIDS+=($!)
    wait_healthy "$port"
    hosts="${hosts:+$hosts,}http://127.0.0.1:$port"
  done
  say "$name: $CLIENTS clients for ${SECONDS_TO_RUN}s against $hosts"
  local status=0
  LOAD_HOSTS="$hosts" LOAD_HOLDERS="$HOLDERS" "$LOCUST" -f load/locustfile.py --headless \
    --host "${hosts%%,*}" -u "$CLIENTS" -r "$CLIENTS" -t "${SECONDS_TO_RUN}s" \
    --only-summary --stop-timeout 10 --loglevel WARNING || status=$?
  if grep -h "ERROR\|panicked" "$dir"/serve-*.log | head -5 | grep -q .; then
    say "$name: the server logged errors:"; grep -h "ERROR\|panicked" "$dir"/serve-*.log | head -20
    status=1
  fi
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  PIDS=()
  return $status
}

failed=0
run sqlite "sqlite://$WORK/sqlite/portal.db?mode=rwc" 3300 || failed=1

if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then
  psql "$PG_ADMIN_URL" -qc 'DROP DATABASE IF EXISTS portal_load WITH (FORCE)' -c 'CREATE DATABASE portal_load' >/dev/null
  run postgres-2-instances "${PG_ADMIN_URL%/*}/portal_load" 3300 3301 || failed=1
  psql "$PG_ADMIN_URL" -qc 'DROP DATABASE IF EXISTS portal_load WITH (FORCE)' >/dev/null || true
else
  say "no PostgreSQL at 127.0.0.1:5432: the two-instance run is skipped"
fi
exit $failed
