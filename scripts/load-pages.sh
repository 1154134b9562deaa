#!/usr/bin/env bash
# `make load-pages`: the pages and the API under load, measured from outside
# on a release build with SQLite, beside a bare Leptos SSR page built and
# measured in the same run (these machines are noisy: the ratio is the
# figure). For a holder of `seed-demo --scale 1000`: server-rendered `/`
# (anonymous) and `/data/messages`, and GET /api/v1/me/data/messages; and
# /healthz through the same stack.
#
#   scripts/load-pages.sh [SECONDS] [CONNECTIONS]     defaults: 10 s, 32
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-10}
CONNECTIONS=${2:-32}
BIN=${PORTAL_BIN:-target/release/portal}
# The bench profile writes to target/release (cargo names its directory so).
EXAMPLES=${EXAMPLES_DIR:-target/release/examples}
WORK=$(mktemp -d)
PIDS=()
say() { printf '\033[1mload-pages:\033[0m %s\n' "$*"; }
cleanup() {
  # -9: a portal that froze (see docs/NOTES.md, "Scale") ignores SIGTERM.
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for exe in "$BIN" "$EXAMPLES/bare_page" "$EXAMPLES/load_pages"; do
  [ -x "$exe" ] || { say "missing $exe (run: make load-pages)" >&2; exit 1; }
done
wait_up() {
  for _ in $(seq 1 120); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.5
  done
  say "$1 did not answer" >&2; return 1
}

"$EXAMPLES/bare_page" 127.0.0.1:3310 >"$WORK/bare.log" 2>&1 &
PIDS+=($!)
export DATABASE_URL="sqlite://$WORK/portal.db?mode=rwc" PORTAL_DATA_DIR="$WORK" RUST_LOG=warn
export PORTAL_JWT_SECRET="load-pages-secret-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
say "seeding 1,000 holders"
"$BIN" seed-demo --scale 1000 >/dev/null
LEPTOS_SITE_ADDR=127.0.0.1:3311 "$BIN" serve >"$WORK/portal.log" 2>&1 &
PIDS+=($!)
wait_up http://127.0.0.1:3310/
wait_up http://127.0.0.1:3311/healthz
TOKEN=$("$EXAMPLES/load_pages" --login http://127.0.0.1:3311 holder-1@scale.example scale-password-1)

say "$CONNECTIONS connections, ${SECONDS_EACH} s each"
load() { "$EXAMPLES/load_pages" --seconds "$SECONDS_EACH" --connections "$CONNECTIONS" "$@" | tee -a "$WORK/figures"; }
load "bare Leptos page /" http://127.0.0.1:3310/
load "portal /healthz" http://127.0.0.1:3311/healthz
load "portal / (anonymous)" http://127.0.0.1:3311/
load --cookie "portal_session=$TOKEN" "portal /data/messages (holder)" http://127.0.0.1:3311/data/messages
load --bearer "$TOKEN" "API GET /api/v1/me/data/messages" http://127.0.0.1:3311/api/v1/me/data/messages
awk '
  /^bare Leptos page/ { for (i = 1; i <= NF; i++) if ($(i+1) == "req/s") bare = $i }
  /^portal \/ |^portal \/data|^API/ {
    for (i = 1; i <= NF; i++) if ($(i+1) == "req/s") rate = $i
    name = $0; sub(/ +[0-9.]+ req\/s.*/, "", name)
    printf "ratio to the bare page: %-34s %.2f\n", name, rate / bare
  }' "$WORK/figures"
if grep -h "ERROR\|panicked" "$WORK/portal.log" | head -5 | grep -q .; then
  say "the portal logged errors:"; grep -h "ERROR\|panicked" "$WORK/portal.log" | head -20; exit 1
fi
