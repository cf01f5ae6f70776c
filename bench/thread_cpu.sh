#!/usr/bin/env bash
# Where a served request's CPU goes, per server thread: starts `pdex serve` on CPU 0 (2 I/O threads, a fresh
# SQLite prediction log, authentication off), loads one route with wrk from CPU 1, and prints each thread's CPU
# time per request (from /proc/<pid>/task/*/stat; the threads are named pdex-io, pdex-worker, pdex-log-writer).
#
#   bench/thread_cpu.sh [predict|health] [seconds] [connections]
#
# Environment: PDEX_BIN (default build/release/src/cli/pdex), PDEX_BENCH_MODEL (default var/models/default, the
# model of `scripts/up`), and any PDEX_* setting of the server (e.g. PDEX_PREDICTION_LOG=off).
set -euo pipefail
cd "$(dirname "$0")/.."

ROUTE=${1:-predict}
SECS=${2:-6}
CONNS=${3:-32}
BIN=${PDEX_BIN:-build/release/src/cli/pdex}
MODEL=${PDEX_BENCH_MODEL:-var/models/default}
command -v wrk >/dev/null || { echo "thread_cpu: wrk not found (apt-get install wrk)" >&2; exit 77; }
[[ -x "$BIN" ]] || { echo "thread_cpu: no pdex binary at $BIN (set PDEX_BIN)" >&2; exit 1; }
[[ -d "$MODEL" ]] || { echo "thread_cpu: no model bundle at $MODEL (run scripts/up once, or set PDEX_BENCH_MODEL)" >&2; exit 1; }
[[ $(nproc) -ge 2 ]] || { echo "thread_cpu: needs 2 CPUs (server and wrk pinned apart)" >&2; exit 77; }

source tests/server_lib.sh  # server_start / server_cleanup, shared with the script tests
PDEX=$BIN
TMP=$(mktemp -d)
export PDEX_AUTH=off PDEX_DATA_DIR="$TMP/data" PDEX_DATABASE_URL="sqlite://$TMP/bench.sqlite"
export PDEX_RATE_LIMIT_ANON_RPS=0 PDEX_RATE_LIMIT_RPS=0
trap 'server_cleanup; rm -rf "$TMP"' EXIT
pin_server() { exec taskset -c 0 "$@"; }  # server_start --via: the server process itself on CPU 0
server_start --log "$TMP/server.log" --via pin_server -- --threads 2 --model "$MODEL" || exit 1

ARGS=("$BASE/health")
if [[ "$ROUTE" == predict ]]; then
  printf 'wrk.method = "POST"\nwrk.body = %s\nwrk.headers["Content-Type"] = "application/json"\n' \
    "'{\"pokemon_1_id\":25,\"pokemon_2_id\":6}'" >"$TMP/predict.lua"
  ARGS=(-s "$TMP/predict.lua" "$BASE/api/v1/predict/battle")
fi
snapshot() {  # tid name utime+stime (clock ticks)
  for t in /proc/"$SERVER_PID"/task/*; do
    echo "$(basename "$t") $(tr ' ' _ <"$t/comm") $(awk '{print $14 + $15}' "$t/stat")"
  done | sort
}
snapshot >"$TMP/before"
out=$(taskset -c 1 wrk -t1 -c"$CONNS" -d"${SECS}s" "${ARGS[@]}")
sleep 1  # the log writer finishes its last batch
snapshot >"$TMP/after"
requests=$(awk '/requests in/ {print $1}' <<<"$out")
echo "$ROUTE: $requests requests, $(awk '/^Requests\/sec:/ {print $2}' <<<"$out") req/s; CPU per request by thread:"
join "$TMP/before" "$TMP/after" | awk -v n="$requests" -v hz="$(getconf CLK_TCK)" '
  { d = ($5 - $3) * 1e6 / hz / n; total += d; name = ($2 == "pdex" ? "pdex (main: I/O)" : $2)
    if (d > 0) printf "  %-18s %6.1f us\n", name, d }
  END { printf "  %-18s %6.1f us\n", "total", total }'
