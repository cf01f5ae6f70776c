#!/usr/bin/env bash
# `pdex serve` end to end: the web root option (--web-root: /, /assets/*, /docs, /redoc, SPA fallback, unknown
# API path still problem+json) and the access log (buffered, not flushed per request): after SIGTERM every
# answered request has its JSON line on stdout, none lost, and the server exits 0.
#   tests/serve_web_and_log_test.sh [PDEX]      (PDEX defaults to $PDEX_BIN, then build/release/src/cli/pdex)
set -euo pipefail
cd "$(dirname "$0")/.."

PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "serve_web_and_log_test: pdex binary not found at '$PDEX'" >&2; exit 2; }
command -v curl >/dev/null || { echo "serve_web_and_log_test: curl not found" >&2; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-serve-web.XXXXXX")
source tests/server_lib.sh
source tests/cli_lib.sh  # pass, fail, $failures
trap 'server_cleanup; rm -rf "$work"' EXIT

mkdir -p "$work/web/assets" "$work/web/docs" "$work/web/redoc"
echo '<!doctype html><title>PredictionDex test app</title>' >"$work/web/index.html"
echo 'console.log(1)' >"$work/web/assets/index-abc123.js"
echo '<!doctype html><title>Swagger UI</title>' >"$work/web/docs/index.html"
echo '<!doctype html><title>ReDoc</title>' >"$work/web/redoc/index.html"

export PDEX_AUTH=off PDEX_DATABASE_URL="sqlite://$work/pdex.sqlite" PDEX_DATA_DIR="$work/var"
export PDEX_RATE_LIMIT_ANON_RPS=0 PDEX_PREDICTION_LOG=off
# stdout alone in $work/log: every line of it must be JSON.
server_start --log "$work/log" --err "$work/err" -- --threads 2 --web-root "$work/web" || exit 1
base=$BASE

check() {  # name, path, expected status, expected text in body or header dump
  local out status
  out=$(curl -s -D - "$base$2" || true)
  status=$(head -1 <<<"$out" | awk '{print $2}')
  if [[ "$status" == "$3" && "$out" == *"$4"* ]]; then pass "$1"; else fail "$1: status $status, expected $3 with '$4': $out"; fi
}
check "GET / is the app" / 200 "PredictionDex test app"
check "client route falls back to index.html" /pokedex/25 200 "PredictionDex test app"
check "hashed assets are immutable" /assets/index-abc123.js 200 "max-age=31536000, immutable"
check "GET /docs is Swagger UI" /docs 200 "Swagger UI"
check "GET /redoc is ReDoc" /redoc 200 "ReDoc"
check "/docs allows inline styles" /docs 200 "style-src 'self' 'unsafe-inline'"
check "unknown API path is problem+json" /api/v1/nothing 404 "application/problem+json"
check "traversal refused" /assets/..%2f..%2fetc%2fpasswd 404 "application/problem+json"

# A burst of keep-alive requests, then SIGTERM: every request has its access log line.
n=300
urls=()
for i in $(seq "$n"); do urls+=("$base/health"); done
curl -s "${urls[@]}" >/dev/null
expected=$((n + 8))  # the burst plus the 8 checks above
server_stop TERM
[[ $SERVER_RC -eq 0 ]] && pass "SIGTERM: exit 0" || fail "SIGTERM: exit $SERVER_RC"
lines=$(grep -c '"msg":"request"' "$work/log" || true)
[[ "$lines" -eq "$expected" ]] && pass "access log: $lines request lines after the stop" ||
  fail "access log: $lines request lines, expected $expected"
grep -q '"msg":"stopped"' "$work/log" && pass "stop logged" || fail "no 'stopped' line"
bad=$(grep -v '^{.*}$' "$work/log" | head -3 || true)
[[ -z "$bad" ]] && pass "every line is one JSON object" || fail "non-JSON lines: $bad"

[[ $failures -eq 0 ]] || { echo "$failures failure(s)" >&2; exit 1; }
echo "all passed"
