#!/usr/bin/env bash
# The size budget of the hydrating app's release wasm (issue #12): prints the
# raw and gzip size of the main wasm (what every page loads before it
# hydrates) and fails when its gzip size is over the budget, so the bundle
# cannot grow unnoticed. With a split build (`cargo leptos build --split`,
# see app/src/routes.rs) it also prints the lazily loaded files and, for each
# area of pages, what its first page loads beside the main wasm.
# Run after `make release`.
#
#   scripts/wasm-budget.sh [BUDGET_KB]     default: WASM_BUDGET_KB, or 500
#                                          (531 KB measured 2026-12-04)
set -euo pipefail
cd "$(dirname "$0")/.."

BUDGET_KB=${1:-${WASM_BUDGET_KB:-500}}
WASM=${WASM_FILE:-target/site/pkg/portal.wasm}
[ -f "$WASM" ] || { echo "wasm-budget: no $WASM (run: make release)" >&2; exit 1; }
raw=$(stat -c %s "$WASM")
gz=$(gzip -9 -c "$WASM" | wc -c)
printf 'wasm-budget: %s is %d KB raw, %d KB gzip; budget %d KB gzip\n' \
  "$WASM" $((raw / 1024)) $((gz / 1024)) "$BUDGET_KB"

MANIFEST=$(dirname "$WASM")/__wasm_split_manifest.json
if [ -f "$MANIFEST" ]; then
  python3 - "$MANIFEST" "$gz" <<'EOF'
import functools, gzip, json, os, sys
manifest, main_gz = sys.argv[1], int(sys.argv[2])
pkg = os.path.dirname(manifest)
@functools.cache  # the shared chunks belong to several areas: compress each once
def gz(name):
    with open(os.path.join(pkg, name + ".wasm"), "rb") as f:
        return len(gzip.compress(f.read(), 9))
splits = json.load(open(manifest))
files = sorted({f for fs in splits.values() for f in fs})
total = sum(gz(f) for f in files)
print(f"wasm-budget: {len(splits)} lazily loaded areas in {len(files)} files, {total // 1024} KB gzip in all")
areas = {name: sum(gz(f) for f in files) for name, files in splits.items()}
for name, area in sorted(areas.items(), key=lambda kv: -kv[1]):
    files = splits[name]
    print(f"wasm-budget:   {name.rsplit('_', 1)[0]}: {len(files)} files, {area // 1024} KB gzip;"
          f" with the main wasm {(main_gz + area) // 1024} KB")
EOF
fi

if [ $((gz / 1024)) -gt "$BUDGET_KB" ]; then
  echo "wasm-budget: the main wasm's gzip size is over the budget of $BUDGET_KB KB" >&2
  exit 1
fi
