#!/usr/bin/env bash
# /metrics of a real `pdex serve` (tiny trained model, SQLite prediction log, API keys on) after some traffic:
#   tests/monitoring_metrics_test.sh [PDEX]
# - `promtool check metrics` is clean;
# - every metric name of DESIGN §6 and of the issue (process, prediction log, reloads, drift) is exposed;
# - every metric name used in a Grafana panel query (deploy/grafana/dashboards/*.json) or a Prometheus rule
#   exists in the output (recording-rule names pdex:* come from deploy/prometheus/rules/recording.yml);
# - GET /api/v1/monitoring/drift answers 200 with statistics and agrees with /metrics.
set -euo pipefail
cd "$(dirname "$0")/.."
PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "monitoring_metrics_test: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")
export PDEX_SOURCE_DIR=${PDEX_SOURCE_DIR:-$PWD}
command -v promtool >/dev/null || { echo "promtool not installed (scripts/setup installs it)"; exit 77; }
command -v node >/dev/null || { echo "node not installed"; exit 77; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pdex-monitoring-metrics.XXXXXX")
source tests/e2e/monitoring_lib.sh
trap 'stop_started; rm -rf "$WORK"' EXIT

source tests/cli_lib.sh  # pass, fail, $failures

build_tiny_model
export PDEX_DATABASE_URL="sqlite://$WORK/pdex.sqlite"
"$PDEX" db init >/dev/null
key=$("$PDEX" apikey create --scopes read,predict --name monitoring-test --json | jq -r .key)
export PDEX_AUTH=on PDEX_RATE_LIMIT_RPS=0 PDEX_RATE_LIMIT_ANON_RPS=0 PDEX_PREDICTION_LOG=on PDEX_METRICS_ACCESS=public
export PDEX_DRIFT_WINDOW=200 PDEX_DRIFT_MIN_SAMPLES=50 PDEX_DRIFT_REFRESH_MS=0
start_pdex
base="http://127.0.0.1:$PDEX_PORT_USED"

node tests/e2e/monitoring_tool.mjs traffic --port "$PDEX_PORT_USED" --n 120 --kind normal --key "$key" >/dev/null
curl -s -o /dev/null "$base/api/v1/pokemon/999999" -H "X-API-Key: $key"                 # a 404
curl -s -o /dev/null "$base/api/v1/pokemon" -H "X-API-Key: pdex_bad_key"                # an auth failure
curl -s -o /dev/null "$base/api/v1/model" -H "X-API-Key: $key"
sleep 0.5  # the prediction log writer's flush interval is 100 ms
curl -sf "$base/metrics" >"$WORK/metrics.txt"

if out=$(promtool check metrics <"$WORK/metrics.txt" 2>&1) && [[ -z "$out" ]]; then
  pass "promtool check metrics is clean ($(grep -vc '^#' "$WORK/metrics.txt") samples)"
else
  fail "promtool check metrics: $out"
fi

# Names with at least one sample (histograms through their _bucket/_sum/_count).
grep -v '^#' "$WORK/metrics.txt" | sed -E 's/[{ ].*//' | sort -u >"$WORK/names.txt"
has_metric() {
  grep -qx "$1" "$WORK/names.txt" || grep -qx "${1}_bucket" "$WORK/names.txt" || grep -qx "${1}_count" "$WORK/names.txt"
}
for name in pdex_http_requests_total pdex_http_request_duration_seconds pdex_predictions_total \
  pdex_prediction_confidence pdex_model_info pdex_feature_drift_psi pdex_feature_drift_ks_pvalue \
  pdex_prediction_drift_psi process_resident_memory_bytes process_open_fds process_start_time_seconds \
  pdex_prediction_log_queue_depth pdex_prediction_log_dropped_total pdex_model_reloads_total pdex_model_loaded \
  pdex_dataset_drift pdex_feature_drift_ks_pvalue_adjusted pdex_drift_window_predictions; do
  if has_metric "$name"; then pass "exposes $name"; else fail "missing $name"; fi
done
grep -q '^pdex_http_requests_total{route="/api/v1/pokemon/{id}",method="GET",status="404"}' "$WORK/metrics.txt" &&
  pass "route label is the template, not the raw path" || fail "no templated 404 series"
grep -q '^pdex_prediction_log_written_total [1-9]' "$WORK/metrics.txt" && pass "prediction log written" ||
  fail "prediction log wrote nothing"

# Every metric a dashboard panel or a rule uses.
recorded=$(grep -o 'record: *[a-z_:0-9]*' deploy/prometheus/rules/recording.yml | sed 's/record: *//')
exprs=$(jq -r '.panels[].targets[].expr' deploy/grafana/dashboards/*.json; grep -h 'expr:' -A3 deploy/prometheus/rules/*.yml)
used=$(printf '%s\n' "$exprs" | grep -oE '\b(pdex_[a-z0-9_]+|process_[a-z_]+|up)\b' | sort -u)
used_recorded=$(printf '%s\n' "$exprs" | grep -oE '\bpdex:[a-z0-9_:]+' | sort -u)
n=0
for name in $used; do
  base_name=$(sed -E 's/_(bucket|sum|count)$//' <<<"$name")
  [[ "$name" == up ]] && continue  # written by Prometheus itself
  n=$((n + 1))
  # A family without samples yet (no 429 answered so far) still counts: its # TYPE line is there.
  has_metric "$name" || has_metric "$base_name" || grep -q "^# TYPE $base_name " "$WORK/metrics.txt" ||
    fail "dashboard/rule metric $name not in /metrics"
done
for name in $used_recorded; do
  grep -qx "$name" <<<"$recorded" || fail "dashboard/rule uses $name, which no recording rule defines"
done
pass "checked $n metric names used by dashboards and rules"

drift=$(curl -sf "$base/api/v1/monitoring/drift" -H "X-API-Key: $key")
status=$(jq -r .status <<<"$drift")
[[ "$status" == ok ]] && pass "drift route status ok" || fail "drift route status $status: $drift"
api_psi=$(jq -r '.features[] | select(.name=="p1_level") | .psi' <<<"$drift")
metric_psi=$(grep '^pdex_feature_drift_psi{feature="p1_level"}' "$WORK/metrics.txt" | awk '{print $2}')
[[ -n "$api_psi" && -n "$metric_psi" ]] && pass "p1_level PSI: route $api_psi, metrics $metric_psi" ||
  fail "p1_level PSI missing (route '$api_psi', metrics '$metric_psi')"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/monitoring/drift")
[[ "$code" == 401 ]] && pass "drift route needs a key" || fail "drift route without key: $code"
code=$(curl -s -o /dev/null -w '%{http_code}' "$base/api/v1/monitoring/drift?x=1" -H "X-API-Key: $key")
[[ "$code" == 422 ]] && pass "unknown query parameter 422" || fail "unknown query parameter: $code"

# `pdex monitor drift` over the prediction log: the same rows as the server's window (all 120 fit in it), so
# the same statistics.
"$PDEX" monitor drift --model "$WORK/model" --json >"$WORK/offline.json"
cli_count=$(jq -r .count "$WORK/offline.json")
api_count=$(jq -r .count <<<"$drift")
cli_psi=$(jq -r '.features[] | select(.name=="p1_level") | .psi' "$WORK/offline.json")
if [[ "$cli_count" == "$api_count" ]] && jq -e --argjson a "$api_psi" --argjson b "$cli_psi" -n '($a - $b) | fabs < 1e-9' >/dev/null; then
  pass "pdex monitor drift agrees with the server ($cli_count predictions, p1_level PSI $cli_psi)"
else
  fail "pdex monitor drift: count $cli_count vs $api_count, p1_level PSI $cli_psi vs $api_psi"
fi
"$PDEX" monitor drift --model "$WORK/model" --html >"$WORK/report.html"
grep -q '<td>p1_level</td>' "$WORK/report.html" && pass "HTML report" || fail "HTML report"
set +e
"$PDEX" monitor drift --model "$WORK/model" --from 2001-01-01 --to 2001-01-02 >/dev/null 2>&1
[[ $? == 1 ]] && pass "empty range exits 1" || fail "empty range exit code"
"$PDEX" monitor drift --model "$WORK/model" --from 01/02/2026 >/dev/null 2>&1
[[ $? == 2 ]] && pass "bad --from exits 2" || fail "bad --from exit code"
set -e
if command -v sqlite3 >/dev/null; then
  # Records without a logged feature vector get them recomputed from the logged request: same figures.
  sqlite3 "$WORK/pdex.sqlite" "UPDATE predictions SET features = NULL"
  "$PDEX" monitor drift --model "$WORK/model" --json >"$WORK/recomputed.json"
  jq -e --slurpfile a "$WORK/offline.json" '.features_recomputed == .count and
      ([.features[].psi] == [$a[0].features[].psi])' "$WORK/recomputed.json" >/dev/null &&
    pass "features recomputed from logged inputs give the same PSI" || fail "recomputed features differ"
fi

if ((failures > 0)); then
  echo "monitoring_metrics_test: $failures failure(s)" >&2
  exit 1
fi
echo "monitoring_metrics_test: all passed"
