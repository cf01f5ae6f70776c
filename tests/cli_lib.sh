# Check helpers for the script tests (source it): pass and fail count into $failures; run and the expect_*
# helpers drive the `pdex` command and need $PDEX and $work set.
# Each check prints "ok ..." or "FAIL ..." and counts failures in $failures; the test ends with its own summary.

failures=0
pass() { echo "ok   $*"; }
fail() {
  echo "FAIL $*" >&2
  failures=$((failures + 1))
}

# run ARGS...: runs pdex; sets $rc, $out (stdout), $err (stderr).
run() {
  set +e
  "$PDEX" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}

expect_rc() {  # NAME EXPECTED
  if [[ "$rc" -eq "$2" ]]; then pass "$1 (exit $rc)"; else fail "$1: exit $rc, expected $2; stderr: $err"; fi
}
expect_contains() {  # NAME HAYSTACK NEEDLE
  if [[ "$2" == *"$3"* ]]; then pass "$1"; else fail "$1: '$3' not in: $2"; fi
}
expect_absent() {  # NAME HAYSTACK NEEDLE
  if [[ "$2" != *"$3"* ]]; then pass "$1"; else fail "$1: '$3' found in: $2"; fi
}

# train_tiny_model NAME: a ~700-row dataset and a 10-round model of configs/model.json in
# $PDEX_DATA_DIR/models/NAME (a few seconds); checks both steps.
train_tiny_model() {
  run dataset build --scale 0.005 --threads 1 --quiet --out "$work/dataset"
  expect_rc "dataset build (tiny)" 0
  python3 - configs/model.json "$work/model-config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["xgboost"].update(num_boost_round=10, nthread=1)
c["xgboost"].pop("early_stopping_rounds", None)
c.pop("tune", None)
json.dump(c, open(sys.argv[2], "w"))
PY
  run model train --dataset "$work/dataset" --config "$work/model-config.json" --name "$1" --quiet
  expect_rc "model train (10 rounds) into models/$1" 0
}
