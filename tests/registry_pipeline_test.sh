#!/usr/bin/env bash
# Integration test of the model lifecycle with tiny models (seconds): `pdex pipeline run --promote` from an
# empty data directory, a second run that skips every step, a worse model whose promotion is refused with
# the failing check named (exit 1), rollback, `pdex runs list|show|compare`, a running `pdex serve` that
# follows promotions and rollbacks of the production alias and refuses an altered artifact, and a pipeline
# killed with SIGKILL mid-step that a rerun resumes cleanly.
#   tests/registry_pipeline_test.sh [PDEX]     (default $PDEX_BIN, then build/release/src/cli/pdex)
# Uses SQLite in a temporary directory, or PostgreSQL when PDEX_TEST_PG_URL is set (scripts/with-postgres).
set -euo pipefail
cd "$(dirname "$0")/.."

PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "registry_pipeline_test: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")

work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-registry.XXXXXX")
source tests/server_lib.sh
pipeline_pgid=""
pg_schema=""
cleanup() {
  server_cleanup
  [[ -n "$pipeline_pgid" ]] && kill -KILL -- "-$pipeline_pgid" 2>/dev/null || true
  [[ -n "$pg_schema" ]] && PGOPTIONS=--client-min-messages=warning psql "$PDEX_TEST_PG_URL" -q -c "DROP SCHEMA $pg_schema CASCADE" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
export PDEX_DATA_DIR="$work/var"
export PDEX_AUTH=off
if [[ -n "${PDEX_TEST_PG_URL:-}" ]]; then
  # A fresh schema on the shared test server (libpq options select it).
  pg_schema="registry_test_$$"
  psql "$PDEX_TEST_PG_URL" -q -c "CREATE SCHEMA $pg_schema" >/dev/null
  sep='?'
  [[ "$PDEX_TEST_PG_URL" == *\?* ]] && sep='&'
  export PDEX_DATABASE_URL="${PDEX_TEST_PG_URL}${sep}options=-csearch_path%3D$pg_schema"
  backend=postgresql
else
  export PDEX_DATABASE_URL="sqlite://$work/pdex.sqlite"
  backend=sqlite
fi
echo "backend: $backend"

source tests/cli_lib.sh  # the scripts run from the repository root (cd above)
json_get() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1]))" "$1"; }

# Tiny model and loose quality gates; champion/challenger margins of zero.
cat >"$work/model.json" <<'J'
{"kind": "gbtree", "label": "winner", "xgboost": {"num_boost_round": 20, "max_depth": 3, "eta": 0.3, "seed": 3, "nthread": 1}}
J
cat >"$work/stump.json" <<'J'
{"kind": "gbtree", "label": "winner", "xgboost": {"num_boost_round": 1, "max_depth": 1, "eta": 0.3, "seed": 3, "nthread": 1}}
J
cat >"$work/gates.json" <<'J'
{"gates": {"min_accuracy": 0.5}, "champion_challenger": {"max_accuracy_drop": 0.0, "max_log_loss_increase": 0.0}}
J
cat >"$work/loose.json" <<'J'
{"gates": {}, "champion_challenger": {"max_accuracy_drop": 1.0, "max_log_loss_increase": 100.0}}
J
pipeline=(pipeline run --model-config "$work/model.json" --gates "$work/gates.json")

# --- first pipeline: every step runs, version 1 in production ------------------------------------------
run "${pipeline[@]}" --scale 0.004 --promote
expect_rc "pipeline run --promote" 0
for step in "1/7] import: running" "2/7] dataset: running" "3/7] train: running" "4/7] evaluate: running" \
  "5/7] register" "7/7] promote: battle_winner_model version 1 in production"; do
  expect_contains "progress line [$step" "$err" "$step"
done
run model list --json
expect_contains "version 1 is production" "$(json_get 'd["models"][0]["aliases"]["production"]' <<<"$out")" "1"

# --- second pipeline: nothing changed, every step skipped ----------------------------------------------
run runs list --kind train --json
trains_before=$(json_get 'len(d["runs"])' <<<"$out")
run "${pipeline[@]}" --scale 0.004 --promote
expect_rc "second pipeline run" 0
for step in import dataset train evaluate; do
  expect_contains "$step skipped" "$err" "$step: skipped"
done
expect_contains "promote skipped" "$err" "7/7] promote: skipped"
run runs list --kind train --json
expect_contains "no new training run" "$(json_get 'len(d["runs"])' <<<"$out")" "$trains_before"
run model list --json
expect_contains "still one version" "$(json_get 'len(d["models"][0]["versions"])' <<<"$out")" "1"

# --- a worse challenger is refused, naming the failed check ---------------------------------------------
dataset_dir=$(json_get 'd["models"][0]["versions"][0]["lineage"]["dataset_dir"]' <<<"$out")
run model train --dataset "$dataset_dir" --config "$work/stump.json" --out "$work/stump" --quiet
expect_rc "train a stump" 0
run model register "$work/stump" --alias candidate --json
expect_rc "register the stump" 0
expect_contains "stump is version 2" "$(json_get 'd["version"]' <<<"$out")" "2"
run model promote battle_winner_model 2 --reason "try the stump" --gates "$work/gates.json"
expect_rc "promotion of a worse model refused" 1
expect_contains "refusal names the champion/challenger check" "$err" "promotion refused: failed champion_challenger:"
expect_contains "report shows the failing check" "$out" "FAIL champion_challenger:log_loss"
run model promote battle_winner_model 2 --gates "$work/gates.json"
expect_rc "promote without --reason" 2
run model promote battle_winner_model 9 --reason x --gates "$work/gates.json"
expect_rc "promote an unknown version" 2
run model list --json
expect_contains "production unchanged" "$(json_get 'd["models"][0]["aliases"]["production"]' <<<"$out")" "1"

# --- serve follows the production alias -------------------------------------------------------------------
port=""
server_start --log "$work/serve.log" --env PDEX_MODEL_POLL=0.3 -- --threads 1 && port=$SERVER_PORT
served_version() { curl -s "http://127.0.0.1:$port/api/v1/model" | json_get 'd["version"]' 2>/dev/null || true; }
wait_for_version() {
  for _ in $(seq 1 50); do
    [[ "$(served_version)" == "$1" ]] && return 0
    sleep 0.1
  done
  return 1
}
if [[ -z "$port" ]]; then
  fail "server did not start (its log above)"
else
  if wait_for_version battle_winner_model/1; then pass "serves the production version 1"; else fail "serves $(served_version), expected battle_winner_model/1"; fi
  card=$(curl -s "http://127.0.0.1:$port/api/v1/model")
  expect_contains "model card has the registry block" "$(json_get 'd["registry"]["aliases"]["production"]' <<<"$card")" "1"
  run model promote battle_winner_model 2 --reason "forced for the test" --gates "$work/loose.json"
  expect_rc "promote with loose margins" 0
  if wait_for_version battle_winner_model/2; then pass "promotion picked up without restart"; else fail "still serving $(served_version) after promotion"; fi
  # An altered artifact is refused and the current model keeps serving.
  v1_path=$("$PDEX" model show battle_winner_model 1 --json | json_get 'd["artifact_path"]')
  cp "$v1_path/bundle.json" "$work/v1-bundle.json"
  echo " " >>"$v1_path/bundle.json"
  run model rollback battle_winner_model --reason "test rollback"
  expect_rc "rollback" 0
  expect_contains "rollback message" "$out" "rolled back from version 2 to version 1"
  sleep 1
  expect_contains "altered artifact refused, version 2 kept" "$(served_version)" "battle_winner_model/2"
  expect_contains "refusal logged" "$(cat "$work/serve.log")" "registry model not loaded; keeping the current model"
  cp "$work/v1-bundle.json" "$v1_path/bundle.json"  # repaired: version 1 is the champion below
  server_stop TERM
fi
run model list --json
expect_contains "rollback restored version 1" "$(json_get 'd["models"][0]["aliases"]["production"]' <<<"$out")" "1"
run model show battle_winner_model 1 --json
expect_contains "audit trail records the rollback" "$(json_get '[h["action"]+":"+h["reason"] for h in d["history"]]' <<<"$out")" "rollback:test rollback"
run model archive battle_winner_model 1
expect_rc "archiving the production version is refused" 1
run model archive battle_winner_model 2 --reason done
expect_rc "archiving the rolled-back version again is refused" 1
expect_contains "it says why" "$err" "already archived"

# --- runs -------------------------------------------------------------------------------------------------
run runs list
expect_rc "runs list" 0
expect_contains "runs list shows pipelines" "$out" "pipeline"
train_ids=$("$PDEX" runs list --kind train --json | json_get '" ".join(str(r["id"]) for r in d["runs"])')
read -r newest oldest _ <<<"$train_ids"
run runs compare "$oldest" "$newest"
expect_rc "runs compare" 0
expect_contains "compare shows the differing depth" "$out" "config.xgboost.max_depth"
run runs show "$oldest"
expect_contains "runs show has artifacts" "$out" "artifact bundle"
run runs list --kind bogus
expect_rc "unknown run kind" 2

# --- resume after SIGKILL mid-pipeline ------------------------------------------------------------------
# The kill lands 0.3 s into the dataset step, so that step must last well beyond it: at --scale 0.01 it took
# 0.3 s and the race was lost now and then; 0.05 takes about 1.5 s.
export PDEX_DATA_DIR="$work/var2"
rm -rf "$work/var2"
resume_scale=0.05
setsid "$PDEX" "${pipeline[@]}" --scale "$resume_scale" >"$work/killed.out" 2>"$work/killed.err" &
pipeline_pgid=$!
killed=0
for _ in $(seq 1 300); do
  if grep -q "2/7] dataset: running" "$work/killed.err"; then
    sleep 0.3
    kill -KILL -- "-$pipeline_pgid" 2>/dev/null && killed=1
    break
  fi
  sleep 0.05
done
wait "$pipeline_pgid" 2>/dev/null || true
pipeline_pgid=""
if ((killed)); then pass "pipeline killed during the dataset step"; else fail "never saw the dataset step: $(cat "$work/killed.err")"; fi
run "${pipeline[@]}" --scale "$resume_scale"
expect_rc "rerun after SIGKILL" 0
expect_contains "abandoned runs marked failed" "$err" "marked failed; resuming"
expect_contains "import not redone" "$err" "1/7] import: skipped"
expect_contains "dataset redone" "$err" "2/7] dataset: running"
run runs list --json
expect_contains "the killed runs are failed and say why" "$(json_get '[r["error"] for r in d["runs"] if r["status"]=="failed"]' <<<"$out")" "abandoned: process"
run "${pipeline[@]}" --scale "$resume_scale"
expect_contains "third run skips the dataset" "$err" "2/7] dataset: skipped"
expect_contains "third run skips training" "$err" "3/7] train: skipped"

if [[ -n "$pg_schema" ]]; then PGOPTIONS=--client-min-messages=warning psql "$PDEX_TEST_PG_URL" -q -c "DROP SCHEMA $pg_schema CASCADE" >/dev/null && pg_schema=""; fi
if ((failures > 0)); then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "all checks passed ($backend)"
