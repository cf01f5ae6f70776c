#!/usr/bin/env bash
# The HTTP benchmark scripts still run and still mean what they print (docs/performance.md): a short
# bench/http_bench.sh (1 s per route) and bench/thread_cpu.sh against a tiny model trained here. Checks the
# shape of their output and that no request failed; the figures themselves are not judged (they belong to
# Release builds on a quiet machine, not to CI).
#   tests/bench_scripts_test.sh PDEX_BINARY
set -euo pipefail
cd "$(dirname "$0")/.."
PDEX=$(realpath "$1")
command -v wrk >/dev/null || { echo "skipped: wrk not installed"; exit 77; }
[[ $(nproc) -ge 2 ]] || { echo "skipped: needs 2 CPUs"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PDEX_DATA_DIR="$work/var" PDEX_DATABASE_URL="sqlite://$work/pdex.sqlite"
source tests/cli_lib.sh

train_tiny_model bench
model=$PDEX_DATA_DIR/models/bench

set +e
bench=$(PDEX_BIN="$PDEX" PDEX_BENCH_MODEL="$model" bash bench/http_bench.sh 1 4 2>&1)
rc=$?
set -e
echo "$bench"
[[ $rc -eq 0 ]] && pass "http_bench.sh exits 0" || fail "http_bench.sh exit $rc"
for route in "GET /health" "POST /api/v1/predict/battle" "POST /api/v1/predict/best-move" "POST /api/v1/simulate/odds"; do
  expect_contains "http_bench measures $route" "$bench" "$route"
done
expect_contains "http_bench paces at half rate" "$bench" "at half of the maximum rate"
expect_contains "http_bench says how long each paced run lasts" "$bench" "1s per paced run"
set +e
usage=$(bash bench/http_bench.sh 1 4 0 2>&1)
rc=$?
set -e
[[ $rc -eq 2 ]] && pass "http_bench refuses a paced run of 0 s (exit 2)" || fail "http_bench 1 4 0: exit $rc"
expect_contains "http_bench names the bad argument" "$usage" "'0' is not a positive integer"
expect_contains "http_bench prints the ratio against /health" "$bench" "predict/battle ÷ health:"
expect_contains "http_bench measures predict without the log" "$bench" "without the prediction log"
# Every route line: a rate > 0 and an errors column of 0 (non-2xx answers would make the figures meaningless).
# Maximum-rate lines: method path req/s p50 p99 errors ratio; half-rate lines: method path target achieved
# connections p50 p99 errors.
bad=$(awk '/^(GET|POST) \// {
  if (NF == 7 && ($3 + 0 <= 0 || $6 != 0)) print
  else if (NF == 8 && ($4 + 0 <= 0 || $8 != 0)) print
  else if (NF != 7 && NF != 8) print
}' <<<"$bench")
[[ -z "$bad" ]] && pass "every measured route answered without errors" || fail "routes with errors or no rate: $bad"

set +e
threads=$(PDEX_BIN="$PDEX" PDEX_BENCH_MODEL="$model" bash bench/thread_cpu.sh predict 1 4 2>&1)
rc=$?
set -e
echo "$threads"
[[ $rc -eq 0 ]] && pass "thread_cpu.sh exits 0" || fail "thread_cpu.sh exit $rc"
for name in pdex-worker pdex-log-writer total; do
  expect_contains "thread_cpu reports $name" "$threads" "$name"
done

echo "bench_scripts: $failures failure(s)"
[[ $failures -eq 0 ]]
