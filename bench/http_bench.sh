#!/usr/bin/env bash
# HTTP throughput and latency of `pdex serve` with wrk (Debian package `wrk`), all routes in one run so their
# figures compare (DESIGN §7: absolute numbers move ±20 % between runs; compare within a run only).
#
#   bench/http_bench.sh [seconds-per-route] [connections] [seconds-per-paced-run]
#
# (the paced half-rate runs default to 30 s when seconds-per-route is 8 or more, else to seconds-per-route)
#
# Environment: PDEX_BIN (default build/release/src/cli/pdex, else build/debug/...), PDEX_BENCH_MODEL (a model
# bundle: adds POST /api/v1/predict/battle), PDEX_BENCH_THREADS (server I/O threads, default 2),
# PDEX_BENCH_PIN=0 to not pin (default: server on CPU 0, wrk on CPU 1 — "setting A"),
# PDEX_BENCH_API_KEY (sent as X-API-Key; without it the server runs with PDEX_AUTH=off, measuring the HTTP
# layer without authentication, on a throwaway SQLite prediction log). A non-zero "errors" column (non-2xx
# answers) means the figures are not valid.
# Prints one line per route: req/s, p50, p99, and req/s as a ratio of GET /health (the HTTP ceiling); then p50/p99
# of /health and /predict/battle paced at half their maximum rate, and the predict ÷ health ratio (goal ≥ 0.70).
# PDEX_BENCH_MODEL also adds POST /api/v1/predict/best-move (4 candidate moves), and a last run of predict/battle
# on a server without the prediction log (PDEX_PREDICTION_LOG=off), which attributes the log's share.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_ROUTE=${1:-8}
CONNECTIONS=${2:-32}
PACED_SECONDS=${3:-}
THREADS=${PDEX_BENCH_THREADS:-2}
for arg in "$SECONDS_PER_ROUTE" "$CONNECTIONS" "${PACED_SECONDS:-1}" "$THREADS"; do
  [[ "$arg" =~ ^[1-9][0-9]{0,4}$ ]] || { echo "http_bench: '$arg' is not a positive integer (usage: see the header)" >&2; exit 2; }
done
[[ -n "$PACED_SECONDS" ]] || PACED_SECONDS=$((SECONDS_PER_ROUTE >= 8 ? 30 : SECONDS_PER_ROUTE))
command -v wrk >/dev/null || { echo "http_bench: wrk not found (apt-get install wrk)" >&2; exit 77; }
BIN=${PDEX_BIN:-}
if [[ -z "$BIN" ]]; then
  for b in build/release/src/cli/pdex build/debug/src/cli/pdex build/*/src/cli/pdex; do
    [[ -x "$b" ]] && { BIN=$b; break; }
  done
fi
[[ -x "${BIN:-}" ]] || { echo "http_bench: no pdex binary (set PDEX_BIN)" >&2; exit 1; }

source tests/server_lib.sh  # server_start / server_stop / server_cleanup, shared with the script tests
PDEX=$BIN
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
# A fresh prediction log per run: the log's inserts are part of every prediction's cost, and a table grown by
# earlier runs makes them slower, so figures from a reused database do not compare. (With an API key the
# key lives in the caller's database, so that database is used.)
if [[ -z "${PDEX_BENCH_API_KEY:-}" ]]; then
  export PDEX_DATA_DIR="$TMP/data" PDEX_DATABASE_URL="sqlite://$TMP/bench.sqlite"
fi
pin_server() { exec "${SERVER_PIN[@]}" "$@"; }  # server_start --via: the server process itself is pinned
start_server() {  # [VAR=value...]: starts pdex serve with these extra environment variables and waits for it
  local opts=(--log "$LOG") kv
  for kv in "$@"; do opts+=(--env "$kv"); done
  [[ ${#SERVER_PIN[@]} -gt 0 ]] && opts+=(--via pin_server)
  server_start "${opts[@]}" -- --threads "$THREADS" "${MODEL_ARGS[@]}" || exit 1
}
trap 'server_cleanup; rm -rf "$LOG" "$TMP"' EXIT
start_server

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
[[ -n "${PDEX_BENCH_MODEL:-}" ]] && ROUTES+=("POST /api/v1/predict/battle" "POST /api/v1/predict/best-move")
post_script "$TMP/best.lua" '{"pokemon_a_id":25,"pokemon_b_id":7,"available_moves":["thunderbolt","quickattack","thunderwave","thunder"]}'

to_ms() {  # wrk latency text (e.g. 1.23ms, 850.00us, 1.02s) -> milliseconds
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.3f", n }'
}

script_for() {  # $1 = path -> the Lua script of its body, if any
  case "$1" in
    /api/v1/simulate/odds) echo "$TMP/odds.lua" ;;
    /api/v1/predict/battle) echo "$TMP/predict.lua" ;;
    /api/v1/predict/best-move) echo "$TMP/best.lua" ;;
  esac
}

# Paced variant of a script: each connection waits a random 0..2×$2 ms (mean $2) before each request, so the
# offered load is about connections * 1000 / $2 req/s (wrk2 is not in Debian; wrk's delay() hook is the
# closest). wrk truncates the delay to whole milliseconds, so the pacing keeps the mean delay fixed
# (PACED_DELAY_MS) and sets the number of connections for the target rate. The delay is random because a fixed
# one keeps the connections in step: they fire in bursts of dozens at once, and the last of a burst waits for
# all the others (p50 1.4 ms instead of 0.7 ms for predict at half load). Latency is measured from each
# request's send, so it is not corrected for coordinated omission.
PACED_DELAY_MS=10
paced_script() {  # $1 = out file, $2 = mean delay ms, $3 = body script (optional)
  { [[ -n "${3:-}" ]] && cat "$3"; echo "function delay() return math.random(0, 2 * $2) end"; } >"$1"
}

ratio() {  # $1 / $2 with two decimals, 0 when $2 is 0 or empty
  awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'
}

LAST_RPS="" LAST_P50="" LAST_P99="" LAST_ERRORS=""
run_wrk() {  # $1 = path, $2 = script (may be empty), $3 = duration s, $4 = connections (default CONNECTIONS)
  local args=() out
  [[ -n "$2" ]] && args=(-s "$2")
  out=$("${WRK_PIN[@]}" wrk -t1 -c"${4:-$CONNECTIONS}" -d"${3}s" --latency "${HEADER_ARGS[@]}" "${args[@]}" \
        "$BASE$1" 2>&1)
  LAST_RPS=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  LAST_P50=$(to_ms "$(awk '$1 == "50%" {print $2}' <<<"$out")")
  LAST_P99=$(to_ms "$(awk '$1 == "99%" {print $2}' <<<"$out")")
  LAST_ERRORS=$(awk '/Non-2xx or 3xx responses:/ {print $5}' <<<"$out")
  LAST_ERRORS=${LAST_ERRORS:-0}
}

printf "pdex serve: %s, %s I/O thread(s)%s; wrk: %s connections, %ss per route, %ss per paced run\n" "$BIN" \
  "$THREADS" "$([[ ${#SERVER_PIN[@]} -gt 0 ]] && echo ', server on CPU 0, wrk on CPU 1')" "$CONNECTIONS" \
  "$SECONDS_PER_ROUTE" "$PACED_SECONDS"
printf "%-42s %10s %10s %10s %8s %8s\n" route req/s p50_ms p99_ms errors ratio
HEALTH_RPS=""  # the first route's rate (/health): the ratio column's base
declare -A MAX_RPS
for route in "${ROUTES[@]}"; do
  method=${route%% *} path=${route#* }
  run_wrk "$path" "$(script_for "$path")" "$SECONDS_PER_ROUTE"
  MAX_RPS[$path]=$LAST_RPS
  [[ -z "$HEALTH_RPS" ]] && HEALTH_RPS=$LAST_RPS
  ratio=$(ratio "$LAST_RPS" "$HEALTH_RPS")
  printf "%-42s %10s %10s %10s %8s %8s\n" "$method $path" "$LAST_RPS" "$LAST_P50" "$LAST_P99" "$LAST_ERRORS" "$ratio"
done

# Latency at half of each headline route's maximum rate (DESIGN §7 goal: p99 under 2 ms for predict).
HALF_ROUTES=("GET /health")
[[ -n "${PDEX_BENCH_MODEL:-}" ]] && HALF_ROUTES+=("POST /api/v1/predict/battle")
printf "\nat half of the maximum rate (paced with wrk's delay()):\n"
printf "%-42s %10s %10s %11s %10s %10s %8s\n" route target achieved connections p50_ms p99_ms errors
# Steady state, not the saturation runs' aftermath: their hundreds of MB of prediction log and access log are
# flushed to disk first (otherwise the kernel's writeback, 30 s later, lands in these runs), and each paced run
# lasts long enough (PACED_SECONDS) to include its own writeback. Predict's p99 at half rate, two runs each
# (2026-12-05): 2.56 and 2.66 ms with 8 s runs and no sync; 2.03 and 1.84 ms with both.
sync
for route in "${HALF_ROUTES[@]}"; do
  method=${route%% *} path=${route#* }
  target=$(awk -v r="${MAX_RPS[$path]}" 'BEGIN { printf "%d", r / 2 }')
  conns=$(awk -v t="$target" -v d="$PACED_DELAY_MS" 'BEGIN { c = int(t * d / 1000 + 0.5); printf "%d", (c < 1 ? 1 : c) }')
  paced_script "$TMP/paced.lua" "$PACED_DELAY_MS" "$(script_for "$path")"
  run_wrk "$path" "$TMP/paced.lua" "$PACED_SECONDS" "$conns"
  printf "%-42s %10s %10s %11s %10s %10s %8s\n" "$method $path" "$target" "$LAST_RPS" "$conns" "$LAST_P50" "$LAST_P99" \
    "$LAST_ERRORS"
done
if [[ -n "${PDEX_BENCH_MODEL:-}" ]]; then
  printf "\npredict/battle ÷ health: %s (goal ≥ 0.70)\n" "$(ratio "${MAX_RPS[/api/v1/predict/battle]}" "${MAX_RPS[/health]}")"
  # What the prediction log (its queue and the background writer sharing the server's CPU) costs: the same
  # route on a server started with PDEX_PREDICTION_LOG=off.
  server_stop
  start_server PDEX_PREDICTION_LOG=off
  run_wrk /api/v1/predict/battle "$TMP/predict.lua" "$SECONDS_PER_ROUTE"
  printf "\nwithout the prediction log (PDEX_PREDICTION_LOG=off): POST /api/v1/predict/battle %s req/s, p50 %s ms," \
    "$LAST_RPS" "$LAST_P50"
  printf " p99 %s ms, errors %s; ÷ with the log: %s\n" "$LAST_P99" "$LAST_ERRORS" \
    "$(ratio "$LAST_RPS" "${MAX_RPS[/api/v1/predict/battle]}")"
fi
