#!/usr/bin/env bash
# `make fuzz`: Schemathesis over the portal's OpenAPI document, once per
# role (anonymous, holder, officer, administrator), with the checks "no
# server error", "documented status code" and "response matches its schema".
# A fresh portal (demo data, embedded SQLite) runs on its own port.
#
#   FUZZ_EXAMPLES  generated cases per operation and role (default 40; CI: 8)
#   PORTAL_BIN     the portal binary (default target/debug/portal)
set -euo pipefail
cd "$(dirname "$0")/.."

examples=${FUZZ_EXAMPLES:-40}
port=${FUZZ_PORT:-3291}
bin=${PORTAL_BIN:-target/debug/portal}
st=.venv-fuzz/bin/st
[ -x "$st" ] || { echo "fuzz: $st is missing: run scripts/bootstrap.sh" >&2; exit 1; }
[ -x "$bin" ] || cargo build -p server --bin portal

data=$(mktemp -d)
export PORTAL_DATA_DIR=$data DATABASE_URL="sqlite://$data/portal.db?mode=rwc" \
  LEPTOS_SITE_ADDR=127.0.0.1:$port LEPTOS_SITE_ROOT=target/site RUST_LOG=warn
"$bin" seed-demo >/dev/null
"$bin" serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
base=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

token() {
  curl -sf "$base/api/v1/auth/login" -H 'content-type: application/json' \
    -d "{\"email\":\"$1\",\"password\":\"$2\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
# Every token first: fuzzing the sign-in form throttles this address later.
declare -A tokens=(
  [holder]=$(token demo@example.com demo-password-1)
  [officer]=$(token officer@example.com officer-password-1)
  [admin]=$(token admin@example.com admin-password-1)
)

# The anonymous role stays anonymous: Schemathesis would otherwise sign up
# an account of its own before fuzzing without credentials.
config=$data/schemathesis.toml
printf '[auth]\nauto-signup = false\n' >"$config"

status=0
for role in anonymous holder officer admin; do
  echo "fuzz: as $role, $examples cases per operation"
  auth=()
  [ "$role" = anonymous ] || auth=(-H "Authorization: Bearer ${tokens[$role]}")
  # Signing out would end the role's session for the rest of the run.
  "$st" --config-file "$config" run "$base/api/v1/openapi.json" "${auth[@]}" \
    --checks not_a_server_error,status_code_conformance,response_schema_conformance \
    --max-examples "$examples" --seed 20261130 --exclude-path /api/v1/auth/logout \
    --phases examples,coverage,fuzzing --no-color --warnings off || status=1
done
if grep -q ' ERROR ' "$data/server.log"; then
  echo "fuzz: the server logged errors:" >&2
  grep ' ERROR ' "$data/server.log" | head -20 >&2
  status=1
fi
exit $status
