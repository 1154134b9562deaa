#!/usr/bin/env bash
# The size budget of the hydrating app's release wasm (issue #12): prints its
# raw and gzip size and fails when the gzip size is over the budget, so the
# bundle cannot grow unnoticed. Run after `cargo leptos build --release`.
#
#   scripts/wasm-budget.sh [BUDGET_KB]     default: WASM_BUDGET_KB, or 1850 (1,779 KB measured 2026-12-03)
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET_KB=${1:-${WASM_BUDGET_KB:-1850}}
WASM=${WASM_FILE:-target/site/pkg/portal.wasm}
[ -f "$WASM" ] || { echo "wasm-budget: no $WASM (run: cargo leptos build --release)" >&2; exit 1; }
raw=$(stat -c %s "$WASM")
gz=$(gzip -9 -c "$WASM" | wc -c)
printf 'wasm-budget: %s is %d KB raw, %d KB gzip; budget %d KB gzip\n' \
  "$WASM" $((raw / 1024)) $((gz / 1024)) "$BUDGET_KB"
if [ $((gz / 1024)) -gt "$BUDGET_KB" ]; then
  echo "wasm-budget: the gzip size is over the budget of $BUDGET_KB KB" >&2
  exit 1
fi
