#!/usr/bin/env bash
# End to end: Debian's Prometheus and Alertmanager with the repository's configs, scraping a real `pdex serve`
# (a tiny model trained here), a webhook receiver recording what Alertmanager sends.
#   tests/e2e/monitoring_e2e.sh [PDEX]
# 1. normal traffic (the training distribution's levels): the prediction-drift and p1_level drift alerts must
#    not fire; 2. drifted traffic (only Mega Pokémon at level 100): PdexFeatureDrift{feature="p1_level"} and
#    PdexPredictionDrift must reach the receiver within 90 s, and GET /api/v1/monitoring/drift must agree.
# Test overrides (not in the repository's configs): scrape and evaluation every 1 s, every rule's `for`
# shortened to 3 s, Alertmanager group_wait/group_interval 1 s, drift window 300 (min 100 samples).
# Prints the time from the first drifted request to the alert's arrival. Runs in about a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "monitoring_e2e: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")
export PDEX_SOURCE_DIR=${PDEX_SOURCE_DIR:-$PWD}
for tool in prometheus prometheus-alertmanager node jq curl; do
  command -v "$tool" >/dev/null || { echo "monitoring_e2e: $tool not installed (scripts/setup installs it)"; exit 77; }
done
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pdex-monitoring-e2e.XXXXXX")
source tests/e2e/monitoring_lib.sh
trap 'stop_started; rm -rf "$WORK"' EXIT
log() { echo "[$(date -u +%H:%M:%S)] $*"; }
die() {
  echo "FAIL $*" >&2
  echo "--- receiver:" >&2; tail -c 2000 "$WORK/received.jsonl" 2>/dev/null >&2 || true
  echo "--- prometheus alerts:" >&2; curl -s "http://127.0.0.1:$prom_port/api/v1/alerts" | head -c 2000 >&2 || true
  exit 1
}

log "training a tiny model"
build_tiny_model
export PDEX_AUTH=off PDEX_RATE_LIMIT_ANON_RPS=0 PDEX_PREDICTION_LOG=off
export PDEX_DRIFT_WINDOW=300 PDEX_DRIFT_MIN_SAMPLES=100
start_pdex
pdex_port=$PDEX_PORT_USED
log "pdex serve on 127.0.0.1:$pdex_port"

# Webhook receiver.
: >"$WORK/received.jsonl"
node tests/e2e/monitoring_tool.mjs receiver --port-file "$WORK/receiver.port" --out "$WORK/received.jsonl" &
echo $! >"$WORK/receiver.pid"
for _ in $(seq 1 50); do [[ -s "$WORK/receiver.port" ]] && break; sleep 0.1; done
receiver_port=$(cat "$WORK/receiver.port")

# Alertmanager with the repository's config, webhook and timings overridden.
am_port=$(free_port)
sed -e "s#http://127.0.0.1:9099/alerts#http://127.0.0.1:$receiver_port/alerts#" \
  -e 's/group_wait: .*/group_wait: 1s/' -e 's/group_interval: .*/group_interval: 1s/' \
  deploy/alertmanager/alertmanager.yml >"$WORK/alertmanager.yml"
prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am-data" \
  --web.listen-address="127.0.0.1:$am_port" --cluster.listen-address="" --log.level=warn \
  >"$WORK/alertmanager.log" 2>&1 &
echo $! >"$WORK/alertmanager.pid"

# Prometheus with the repository's config and rules: targets and intervals overridden, `for` shortened.
prom_port=$(free_port)
mkdir -p "$WORK/prom/rules"
sed -e "s/127.0.0.1:8000/127.0.0.1:$pdex_port/" -e "s/127.0.0.1:9093/127.0.0.1:$am_port/" \
  -e 's/scrape_interval: .*/scrape_interval: 1s/' -e 's/evaluation_interval: .*/evaluation_interval: 1s/' \
  deploy/prometheus/prometheus.yml >"$WORK/prom/prometheus.yml"
cp deploy/prometheus/rules/recording.yml "$WORK/prom/rules/"
sed -e 's/for: .*/for: 3s/' deploy/prometheus/rules/alerts.yml >"$WORK/prom/rules/alerts.yml"
prometheus --config.file="$WORK/prom/prometheus.yml" --storage.tsdb.path="$WORK/prom-data" \
  --web.listen-address="127.0.0.1:$prom_port" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
echo $! >"$WORK/prometheus.pid"

wait_for() {  # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2 start=$SECONDS
  shift 2
  until "$@"; do
    ((SECONDS - start < limit)) || die "timed out after ${limit}s waiting for $what"
    sleep 0.5
  done
}
target_up() {
  curl -s "http://127.0.0.1:$prom_port/api/v1/query?query=up%7Bjob%3D%22pdex%22%7D" | jq -e '.data.result[0].value[1] == "1"' >/dev/null 2>&1
}
wait_for 30 "Prometheus to scrape pdex" target_up
curl -sf "http://127.0.0.1:$am_port/-/ready" >/dev/null || wait_for 20 "Alertmanager" curl -sf "http://127.0.0.1:$am_port/-/ready"
log "Prometheus 127.0.0.1:$prom_port scrapes pdex; Alertmanager 127.0.0.1:$am_port; receiver 127.0.0.1:$receiver_port"

# Received alerts named $1 (firing), optionally with feature $2.
received() {
  jq -e --arg a "$1" --arg f "${2:-}" -s \
    '[.[] | .body.alerts[]? | select(.status == "firing" and .labels.alertname == $a and ($f == "" or .labels.feature == $f))] | length > 0' \
    "$WORK/received.jsonl" >/dev/null 2>&1
}
firing_in_prometheus() {
  curl -s "http://127.0.0.1:$prom_port/api/v1/alerts" |
    jq -e --arg a "$1" --arg f "${2:-}" '[.data.alerts[] | select(.state == "firing" and .labels.alertname == $a and ($f == "" or .labels.feature == $f))] | length > 0' >/dev/null
}

log "normal traffic"
node tests/e2e/monitoring_tool.mjs traffic --port "$pdex_port" --n 300 --kind normal --seed 1
sleep 8  # several scrapes and evaluations, longer than every shortened `for`
drift=$(curl -sf "http://127.0.0.1:$pdex_port/api/v1/monitoring/drift")
log "after normal traffic: status $(jq -r .status <<<"$drift"), drifted features $(jq -r .drifted_features <<<"$drift"), prediction PSI $(jq -r .prediction_psi <<<"$drift"), p1_level PSI $(jq -r '.features[] | select(.name=="p1_level") | .psi' <<<"$drift")"
[[ $(jq -r .status <<<"$drift") == ok ]] || die "drift status after normal traffic: $drift"
firing_in_prometheus PdexPredictionDrift && die "PdexPredictionDrift fires on normal traffic"
firing_in_prometheus PdexFeatureDrift p1_level && die "PdexFeatureDrift{p1_level} fires on normal traffic"
received PdexFeatureDrift p1_level && die "the receiver got a p1_level drift alert on normal traffic"
echo "ok   no prediction or p1_level drift alert on normal traffic"

log "drifted traffic: only Mega Pokémon at level 100"
start_ms=$(date +%s%3N)
node tests/e2e/monitoring_tool.mjs traffic --port "$pdex_port" --n 300 --kind mega --seed 2
wait_for 90 "PdexFeatureDrift{feature=p1_level} at the receiver" received PdexFeatureDrift p1_level
feature_ms=$(($(date +%s%3N) - start_ms))
wait_for 30 "PdexPredictionDrift at the receiver" received PdexPredictionDrift
prediction_ms=$(($(date +%s%3N) - start_ms))
echo "ok   PdexFeatureDrift{feature=\"p1_level\"} reached the webhook receiver $((feature_ms / 1000)).$(printf '%03d' $((feature_ms % 1000))) s after the first drifted request"
echo "ok   PdexPredictionDrift reached the webhook receiver $((prediction_ms / 1000)).$(printf '%03d' $((prediction_ms % 1000))) s after the first drifted request"

drift=$(curl -sf "http://127.0.0.1:$pdex_port/api/v1/monitoring/drift")
jq -e '.status == "ok" and .prediction_drift == true and ([.features[] | select(.name == "p1_level" and .psi_level == "alert" and .drifted)] | length == 1)' \
  <<<"$drift" >/dev/null || die "/api/v1/monitoring/drift disagrees: $(head -c 600 <<<"$drift")"
echo "ok   /api/v1/monitoring/drift agrees: p1_level PSI $(jq -r '.features[] | select(.name=="p1_level") | .psi' <<<"$drift") (alert), prediction PSI $(jq -r .prediction_psi <<<"$drift"), $(jq -r .drifted_features <<<"$drift") drifted features, dataset drift $(jq -r .dataset_drift <<<"$drift")"
echo "monitoring_e2e: all passed (time to alert: $((feature_ms / 1000)).$(printf '%03d' $((feature_ms % 1000))) s)"
