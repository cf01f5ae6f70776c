#!/usr/bin/env bash
# Runs docs/DEMO.md's shell commands, as written and in order, against a real server:
#   tests/demo_commands.sh [PDEX]      (PDEX defaults to $PDEX_BIN, then build/release/src/cli/pdex)
# Every ```sh block is run in one bash session (variables carry over) with -e and pipefail, except a block
# preceded by a `<!-- demo-test: skip (...) -->` line (starting long-running processes). The test prepares what
# `scripts/up` would, quickly: a temporary SQLite database with the game data, a small model through the
# pipeline with loose gates (production in the registry) or, before the registry exists, a trained default
# bundle; then
# `pdex serve` on a free port, and PDEX_URL / PDEX pointing at it. Fails if a command fails, or if an
# expected piece of output is missing (health, a prediction, the paths, metrics).
set -euo pipefail
cd "$(dirname "$0")/.."

PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "demo_commands: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")
if [[ ! -f web/dist/index.html ]]; then
  echo "demo_commands: web/dist not built (npm run build:web): /docs cannot be served (skipped)" >&2
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-demo.XXXXXX")
source tests/server_lib.sh
trap 'server_cleanup; rm -rf "$work"' EXIT
export PDEX_DATA_DIR=$work/data
export PDEX_DATABASE_URL="sqlite://$work/data/pdex.sqlite"
mkdir -p "$PDEX_DATA_DIR"

# The blocks to run.
python3 - docs/DEMO.md "$work/demo.sh" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read().splitlines()
out, block, skip, n, skipped = [], None, False, 0, 0
for line in text:
    if block is None:
        if re.match(r"^<!-- demo-test: skip", line):
            skip = True
        elif line.strip() == "```sh":
            block = []
        elif line.strip():
            skip = False
    elif line.strip() == "```":
        if skip:
            skipped += 1
        else:
            n += 1
            out.append(f"echo '--- docs/DEMO.md block {n}'")
            out.extend(block)
        block, skip = None, False
    else:
        block.append(line)
open(sys.argv[2], "w").write("set -euo pipefail\n" + "\n".join(out) + "\n")
print(f"demo_commands: {n} blocks to run, {skipped} skipped by marker")
PY

# What scripts/up prepares.
"$PDEX" db init >/dev/null
"$PDEX" db import >/dev/null
# A model trained in seconds on a few hundred rows cannot pass the production gates: loose ones here.
cat >"$work/gates.json" <<'JSON'
{"gates": {"max_gap_to_bayes_ceiling": 1, "max_ece": 1},
 "champion_challenger": {"max_accuracy_drop": 1, "max_log_loss_increase": 100},
 "dataset_check": {"min_side1_share": 0, "max_side1_share": 1, "max_duplicate_rate": 1}}
JSON
"$PDEX" pipeline run --scale 0.005 --promote --gates "$work/gates.json" >"$work/pipeline.log" 2>&1 ||
  { echo "demo_commands: pipeline failed: $(tail -20 "$work/pipeline.log")" >&2; exit 1; }
server_start --log "$work/serve.log" -- --threads 2 ||
  { echo "demo_commands: server did not start" >&2; exit 1; }

mkdir -p "$work/bin"
ln -s "$PDEX" "$work/bin/pdex"
set +e
PDEX_URL=$BASE PDEX="$work/bin/pdex" timeout 50 bash "$work/demo.sh" >"$work/out" 2>&1
rc=$?
set -e
cat "$work/out"
if [[ $rc != 0 ]]; then
  echo "demo_commands: FAIL: a docs/DEMO.md command failed (exit $rc, last block above)" >&2
  exit 1
fi
failures=0
for want in '"status":"ok"' '"winner_name"' '"prediction_id"' '/api/v1/predict/battle' 'GET /docs: 200' \
  'pokemon_2_id' 'pdex_predictions_total' 'scripts/test'; do
  grep -qF -- "$want" "$work/out" || { echo "demo_commands: FAIL: '$want' not in the output" >&2; failures=$((failures + 1)); }
done
((failures == 0)) || exit 1
echo "demo_commands: every docs/DEMO.md command ran and printed what the text says"
