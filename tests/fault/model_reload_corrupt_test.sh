#!/usr/bin/env bash
# Fault: a corrupt or truncated model bundle on reload (SIGHUP, what a promotion does to a running server).
# While a client predicts continuously, the served bundle is replaced by broken copies (model.json truncated,
# bundle.json truncated, model.json flipped bytes, bundle.json garbage) and the server is sent SIGHUP after
# each: every reload is refused with a logged reason, the old model keeps serving (same model_version) and no
# request fails. A valid new bundle then reloads and serves.
#   tests/fault/model_reload_corrupt_test.sh [PDEX]
PDEX=${1:-}
source "$(dirname "$0")/lib.sh"
export PDEX_AUTH=off PDEX_RATE_LIMIT_ANON_RPS=0 PDEX_DATABASE_URL="sqlite://$WORK/pdex.sqlite"
train_bundle "$WORK/good"
served=$WORK/served
cp -r "$WORK/good" "$served"
server_start --log "$WORK/serve.log" -- --threads 2 --model "$served"
version() { predict >/dev/null; python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["model_version"])' "$WORK/last.json"; }
v0=$(version)
check "serves the first bundle ($v0)" test -n "$v0"

# A client predicting all along: every answer must be 200.
(
  ok=0 bad=0
  while [[ ! -f "$WORK/stop-client" ]]; do
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' -d "$BATTLE" \
      "$BASE/api/v1/predict/battle")
    if [[ $code == 200 ]]; then ok=$((ok + 1)); else bad=$((bad + 1)); fi
  done
  echo "$ok $bad" >"$WORK/client-result"
) &
client=$!

reload_and_expect_refusal() {
  local what=$1 before
  before=$(grep -c 'model reload failed' "$WORK/serve.log" || true)
  kill -HUP "$SERVER_PID"
  for _ in $(seq 1 100); do
    [[ $(grep -c 'model reload failed' "$WORK/serve.log" || true) -gt $before ]] && break
    sleep 0.05
  done
  check "$what: reload refused and logged" test "$(grep -c 'model reload failed' "$WORK/serve.log" || true)" -gt "$before"
  check "$what: the old model keeps serving" test "$(version)" == "$v0"
  cp -r "$WORK/good/." "$served/"
}
size=$(stat -c %s "$served/model.json")
truncate -s $((size / 2)) "$served/model.json"
reload_and_expect_refusal "model.json truncated to half"
truncate -s 100 "$served/bundle.json"
reload_and_expect_refusal "bundle.json truncated"
python3 - "$served/model.json" <<'PY'
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
for i in range(len(b) // 3, len(b) // 3 + 40):
    b[i] ^= 0x5A
open(p, "wb").write(bytes(b))
PY
reload_and_expect_refusal "model.json with flipped bytes"
head -c 4096 /dev/urandom >"$served/bundle.json"
reload_and_expect_refusal "bundle.json replaced by random bytes"
rm -f "$served/model.json"
reload_and_expect_refusal "model.json missing"

# A valid different bundle: accepted.
"$PDEX" model train --dataset "$WORK/dataset" --config "$WORK/model-config.json" --out "$WORK/good2" --seed 99 \
  --quiet >/dev/null
rm -rf "$served" && cp -r "$WORK/good2" "$served"
kill -HUP "$SERVER_PID"
v1=""
for _ in $(seq 1 100); do
  v1=$(version)
  [[ "$v1" != "$v0" ]] && break
  sleep 0.05
done
check "a valid new bundle reloads ($v0 -> $v1)" test "$v1" != "$v0"
touch "$WORK/stop-client"
wait "$client"
read -r ok bad <"$WORK/client-result"
check "no request failed during the reloads ($ok answered, $bad failed)" test "$bad" -eq 0
failures_metric=$(curl -s "$BASE/metrics" | sed -n 's/^pdex_model_reloads_total{result="failure"} //p')
check "pdex_model_reloads_total{result=failure} counts the 5 refusals (${failures_metric:-absent})" \
  test "${failures_metric%.*}" -eq 5
figure "corrupt bundle on reload: 5 corruptions refused, old model served throughout, $ok predictions, $bad failed"
server_stop TERM
check "SIGTERM exit 0" test "$SERVER_RC" -eq 0
finish
