#!/usr/bin/env bash
# Integration test of `pdex apikey create|list|revoke` and of keys against a running `pdex serve`:
#   tests/apikey_cli_test.sh [PDEX]      (PDEX defaults to $PDEX_BIN, then build/release/src/cli/pdex)
# SQLite in a temporary directory. Checks: the key is printed once and works; list never shows the secret
# or its hash; unknown scopes exit 2 naming the scope; the secret never reaches the database file; a revoked
# key is refused (401) by a running server within its key cache TTL; SIGTERM stops the server with exit 0.
set -euo pipefail
cd "$(dirname "$0")/.."

PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "apikey_cli_test: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")

work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-apikey-cli.XXXXXX")
source tests/server_lib.sh
trap 'server_cleanup; rm -rf "$work"' EXIT
export PDEX_DATABASE_URL="sqlite://$work/pdex.sqlite"

source tests/cli_lib.sh  # the scripts run from the repository root (cd above)

# --- create / list / revoke -------------------------------------------------------------------------
run apikey create --scopes read,wrte
expect_rc "unknown scope" 2
expect_contains "unknown scope is named" "$err" "unknown scope 'wrte'"
run apikey create
expect_rc "--scopes is required" 2

run apikey create --scopes read,predict --name "ci bot" --json
expect_rc "create" 0
key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' <<<"$out")
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$out")
secret=${key##*_}
[[ "$key" =~ ^pdex_[0-9a-f]{12}_[0-9a-f]{64}$ ]] && pass "key format" || fail "key format: $key"

run apikey create --scopes admin
expect_rc "create (text)" 0
expect_contains "text output shows the key once" "$out" "pdex_"
admin_key=$(grep -E '^pdex_' <<<"$out")

run apikey list
expect_rc "list" 0
expect_contains "list shows the id" "$out" "$id"
expect_contains "list shows scopes" "$out" "predict,read"
expect_absent "list never shows the secret" "$out" "$secret"
hash=$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)
expect_absent "list never shows the hash" "$out" "$hash"
run apikey list --json
expect_rc "list --json" 0
n=$(python3 -c 'import json,sys; print(len(json.load(sys.stdin)))' <<<"$out")
[[ "$n" == 2 ]] && pass "list --json has 2 keys" || fail "list --json: $n keys"
expect_absent "list --json never shows the secret" "$out" "$secret"

db_bytes=$({ cat "$work/pdex.sqlite"; cat "$work/pdex.sqlite-wal" 2>/dev/null || true; } | strings)
expect_contains "the hash is stored" "$db_bytes" "$hash"
expect_absent "the secret is not stored" "$db_bytes" "$secret"

run apikey revoke nothex
expect_rc "revoke malformed id" 2
run apikey revoke ffffffffffff
expect_rc "revoke unknown id" 1
expect_contains "unknown id named" "$err" "ffffffffffff"

# --- against a running server -------------------------------------------------------------------------
if ! server_start --log "$work/serve.log" --env PDEX_KEY_CACHE_TTL_MS=500 -- --threads 1; then
  fail "server did not start (its log above)"
else
  base=$BASE
  status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
  [[ $(status "$base/api/v1/types") == 401 ]] && pass "no key: 401" || fail "no key: not 401"
  [[ $(status -H "X-API-Key: $key" "$base/api/v1/types") == 200 ]] && pass "read key: 200" || fail "read key: not 200"
  [[ $(status -H "X-API-Key: $admin_key" "$base/api/v1/types") == 403 ]] && pass "admin-only key on a read route: 403" ||
    fail "admin key: not 403"
  cookie=$(curl -s -D - -o /dev/null -X POST -H "Origin: $base" "$base/api/v1/session" | grep -i '^set-cookie:' || true)
  expect_contains "session cookie is HttpOnly" "$cookie" "HttpOnly"
  expect_contains "session cookie is SameSite=Strict" "$cookie" "SameSite=Strict"
  run apikey revoke "$id"
  expect_rc "revoke" 0
  run apikey revoke "$id"
  expect_contains "revoke twice" "$out" "already revoked"
  start=$(date +%s%N)
  code=200
  for _ in $(seq 1 50); do
    code=$(status -H "X-API-Key: $key" "$base/api/v1/types")
    [[ "$code" == 401 ]] && break
    sleep 0.1
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [[ "$code" == 401 ]] && pass "revoked key refused after ${ms} ms (TTL 500 ms)" || fail "revoked key still accepted"
  body=$(curl -s -H "X-API-Key: $key" "$base/api/v1/types")
  expect_contains "revoked is said" "$body" "revoked"
  server_stop TERM
  [[ "$SERVER_RC" == 0 ]] && pass "SIGTERM: exit 0" || fail "SIGTERM: exit $SERVER_RC"
  expect_contains "prediction log drained at stop" "$(cat "$work/serve.log")" '"msg":"prediction log drained"'
  run apikey list --json
  expect_contains "last_used_at recorded at stop" "$out" '"last_used_at": "20'
fi

if ((failures > 0)); then
  echo "apikey_cli_test: $failures failure(s)" >&2
  exit 1
fi
echo "apikey_cli_test: all passed"
