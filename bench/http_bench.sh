#!/usr/bin/env bash
# HTTP throughput and latency of `pdex serve` with wrk (Debian package `wrk`), all routes in one run so their
# figures compare (DESIGN §7: absolute numbers move ±20 % between runs; compare within a run only).
#
#   bench/http_bench.sh [seconds-per-route] [connections]
#
# Environment: PDEX_BIN (default build/release/src/cli/pdex, else build/debug/...), PDEX_BENCH_MODEL (a model
# bundle: adds POST /api/v1/predict/battle), PDEX_BENCH_THREADS (server I/O threads, default 1),
# PDEX_BENCH_PIN=0 to not pin (default: server on CPU 0, wrk on CPU 1 — "setting A"),
# PDEX_BENCH_API_KEY (sent as X-API-Key; without it the server runs with PDEX_AUTH=off, measuring the HTTP
# layer without authentication). A non-zero "errors" column (non-2xx answers) means the figures are not valid.
# Prints one line per route: req/s, p50, p99, and req/s as a ratio of GET /health (the HTTP ceiling).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_ROUTE=${1:-8}
CONNECTIONS=${2:-32}
THREADS=${PDEX_BENCH_THREADS:-1}
command -v wrk >/dev/null || { echo "http_bench: wrk not found (apt-get install wrk)" >&2; exit 77; }
BIN=${PDEX_BIN:-}
if [[ -z "$BIN" ]]; then
  for b in build/release/src/cli/pdex build/debug/src/cli/pdex build/*/src/cli/pdex; do
    [[ -x "$b" ]] && { BIN=$b; break; }
  done
fi
[[ -x "${BIN:-}" ]] || { echo "http_bench: no pdex binary (set PDEX_BIN)" >&2; exit 1; }

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
SERVER_PIN=() WRK_PIN=()
if [[ "${PDEX_BENCH_PIN:-1}" == 1 ]] && command -v taskset >/dev/null && [[ $(nproc) -ge 2 ]]; then
  SERVER_PIN=(taskset -c 0) WRK_PIN=(taskset -c 1)
fi
MODEL_ARGS=()
[[ -n "${PDEX_BENCH_MODEL:-}" ]] && MODEL_ARGS=(--model "$PDEX_BENCH_MODEL")

HEADER_ARGS=()
if [[ -n "${PDEX_BENCH_API_KEY:-}" ]]; then
  HEADER_ARGS=(-H "X-API-Key: $PDEX_BENCH_API_KEY")
else
  export PDEX_AUTH=off
fi
# One client address and one key make all the load: lift the rate limits (the limiter's cost stays measured).
export PDEX_RATE_LIMIT_ANON_RPS=${PDEX_RATE_LIMIT_ANON_RPS:-1000000} PDEX_RATE_LIMIT_ANON_BURST=${PDEX_RATE_LIMIT_ANON_BURST:-10000000}
export PDEX_RATE_LIMIT_RPS=${PDEX_RATE_LIMIT_RPS:-1000000} PDEX_RATE_LIMIT_BURST=${PDEX_RATE_LIMIT_BURST:-10000000}

LOG=$(mktemp)
TMP=$(mktemp -d)
"${SERVER_PIN[@]}" "$BIN" serve --host 127.0.0.1 --port "$PORT" --threads "$THREADS" "${MODEL_ARGS[@]}" >"$LOG" 2>&1 &
SERVER=$!
trap 'kill -TERM $SERVER 2>/dev/null; wait $SERVER 2>/dev/null; rm -rf "$LOG" "$TMP"' EXIT
for _ in $(seq 100); do
  curl -fs "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -fs "http://127.0.0.1:$PORT/health" >/dev/null || { echo "http_bench: server did not start:" >&2; cat "$LOG" >&2; exit 1; }

post_script() {  # $1 = file, $2 = JSON body
  cat >"$1" <<LUA
wrk.method = "POST"
wrk.body = '$2'
wrk.headers["Content-Type"] = "application/json"
LUA
}
post_script "$TMP/odds.lua" '{"pokemon_1_id":"bulbasaur","pokemon_2_id":7,"pokemon_1_moves":["tackle"],"pokemon_2_moves":["tackle"],"policy_1":"fixed","policy_2":"fixed","method":"exact"}'
post_script "$TMP/predict.lua" '{"pokemon_1_id":25,"pokemon_2_id":6}'

ROUTES=("GET /health" "GET /api/v1/pokemon/25" "GET /api/v1/pokemon?type=Fire&limit=20" "POST /api/v1/simulate/odds")
[[ -n "${PDEX_BENCH_MODEL:-}" ]] && ROUTES+=("POST /api/v1/predict/battle")

to_ms() {  # wrk latency text (e.g. 1.23ms, 850.00us, 1.02s) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

printf "pdex serve: %s, %s I/O thread(s)%s; wrk: %s connections, %ss per route\n" "$BIN" "$THREADS" \
  "$([[ ${#SERVER_PIN[@]} -gt 0 ]] && echo ', server on CPU 0, wrk on CPU 1')" "$CONNECTIONS" "$SECONDS_PER_ROUTE"
printf "%-42s %10s %10s %10s %8s %8s\n" route req/s p50_ms p99_ms errors ratio
BASE=""
for route in "${ROUTES[@]}"; do
  method=${route%% *} path=${route#* }
  script=()
  [[ "$path" == /api/v1/simulate/odds ]] && script=(-s "$TMP/odds.lua")
  [[ "$path" == /api/v1/predict/battle ]] && script=(-s "$TMP/predict.lua")
  out=$("${WRK_PIN[@]}" wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_ROUTE}s" --latency "${HEADER_ARGS[@]}" "${script[@]}" \
        "http://127.0.0.1:$PORT$path" 2>&1)
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  p99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  errors=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  [[ -z "$BASE" ]] && BASE=$rps
  ratio=$(awk -v a="$rps" -v b="$BASE" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  printf "%-42s %10s %10s %10s %8s %8s\n" "$method $path" "$rps" "$p50" "$p99" "${errors:-0}" "$ratio"
done
