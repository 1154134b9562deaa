#!/usr/bin/env bash
# `make load-filing`: filing requests under load, measured from outside on a
# release build with SQLite. 100 holders of `seed-demo --scale 100` file
# through POST /api/v1/requests: first from 1 client (each filing waits for
# its own durable commit: the baseline), then 2,000 filings from 16 clients
# (filings at once share group commits). The ratio is the figure.
#
#   scripts/load-filing.sh [FILINGS] [CLIENTS]     defaults: 2000, 16
set -euo pipefail
cd "$(dirname "$0")/.."

FILINGS=${1:-2000}
CLIENTS=${2:-16}
BIN=${PORTAL_BIN:-target/release/portal}
EXAMPLES=${EXAMPLES_DIR:-target/release/examples}
WORK=$(mktemp -d)
PID=
say() { printf '\033[1mload-filing:\033[0m %s\n' "$*"; }
cleanup() {
  [ -n "$PID" ] && kill -9 "$PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for exe in "$BIN" "$EXAMPLES/load_filing"; do
  [ -x "$exe" ] || { say "missing $exe (run: make load-filing)" >&2; exit 1; }
done
export DATABASE_URL="sqlite://$WORK/portal.db?mode=rwc" PORTAL_DATA_DIR="$WORK" RUST_LOG=warn
export PORTAL_JWT_SECRET="load-filing-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
say "seeding 100 holders"
"$BIN" seed-demo --scale 100 >/dev/null
LEPTOS_SITE_ADDR=127.0.0.1:3312 "$BIN" serve >"$WORK/portal.log" 2>&1 &
PID=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null http://127.0.0.1:3312/healthz 2>/dev/null && break
  sleep 0.5
done
commits() { curl -fsS http://127.0.0.1:3312/metrics | awk '/^portal_filing_commits_total/ {c=$2} /^portal_filings_committed_total/ {f=$2} END {print c, f}'; }
"$EXAMPLES/load_filing" http://127.0.0.1:3312 100 200 1 | tee "$WORK/one"
read -r c1 f1 < <(commits)
"$EXAMPLES/load_filing" http://127.0.0.1:3312 100 "$FILINGS" "$CLIENTS" | tee "$WORK/many"
read -r c2 f2 < <(commits)
one=$(awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "filings/s") print $i}' "$WORK/one")
many=$(awk '{for (i = 1; i <= NF; i++) if ($(i+1) == "filings/s") print $i}' "$WORK/many")
say "$(( f2 - f1 )) filings in $(( c2 - c1 )) commits from $CLIENTS clients; $CLIENTS clients / 1 client = $(awk -v a="$many" -v b="$one" 'BEGIN { printf "%.2f", a / b }')"
