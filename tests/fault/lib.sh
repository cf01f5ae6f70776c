# Shared by the fault-injection tests (tests/fault/*_test.sh): sourced, not run. Each test gets a work
# directory, check helpers, a tiny real model bundle, a `pdex serve` it controls (tests/server_lib.sh:
# server_start, server_stop, SERVER_PID, BASE, SERVER_RC), and optionally its own PostgreSQL cluster that it
# can stop and start (scripts/with-postgres's server cannot be stopped mid-test). Servers listen on 127.0.0.1,
# any free port.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
PDEX=${PDEX:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "fault test: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pdex-fault.XXXXXX")
export PDEX_DATA_DIR=$WORK/var
mkdir -p "$PDEX_DATA_DIR"
source "$ROOT/tests/server_lib.sh"
source "$ROOT/tests/cli_lib.sh"  # pass, fail, $failures
PG_DIR=""

fault_cleanup() {
  server_cleanup KILL
  [[ -n "$PG_DIR" ]] && pg_stop immediate || true
  rm -rf "$WORK"
}
trap fault_cleanup EXIT

check() {  # check "what" COMMAND...: passes when the command succeeds
  local what=$1
  shift
  if "$@"; then pass "$what"; else fail "$what"; fi
}
finish() {
  if ((failures > 0)); then
    echo "$(basename "$0"): $failures failure(s)" >&2
    exit 1
  fi
  echo "$(basename "$0"): all passed"
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# Figures for docs/RELIABILITY.md, greppable in the test log.
figure() { echo "[figures] $*"; }

# A tiny real bundle (10 rounds on a 700-row dataset: about a second) in $WORK/bundle.
train_bundle() {
  "$PDEX" dataset build --scale 0.005 --threads 1 --quiet --out "$WORK/dataset" >/dev/null
  python3 - "$ROOT/configs/model.json" "$WORK/model-config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c["xgboost"].update(num_boost_round=10, nthread=1)
c["xgboost"].pop("early_stopping_rounds", None)
c.pop("tune", None)
json.dump(c, open(sys.argv[2], "w"))
PY
  "$PDEX" model train --dataset "$WORK/dataset" --config "$WORK/model-config.json" --out "${1:-$WORK/bundle}" \
    --quiet >/dev/null
}

http_status() { curl -s -o /dev/null -w '%{http_code}' --max-time 30 "$@"; }
BATTLE='{"pokemon_1_id": 25, "pokemon_2_id": 6}'
predict() { curl -s -o "$WORK/last.json" -w '%{http_code}' --max-time 30 -H 'Content-Type: application/json' \
  -d "${1:-$BATTLE}" "$BASE/api/v1/predict/battle"; }

# --- a PostgreSQL cluster of this test's own ---------------------------------------------------------------
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
pg_available() { [[ -x $PG_BIN/initdb && -x $PG_BIN/pg_ctl ]]; }
pg_as=()
[[ $(id -u) -eq 0 ]] && { id -u postgres >/dev/null 2>&1 && pg_as=(runuser -u postgres --) || pg_as=(runuser -u nobody --); }
# pg_init: a fresh cluster on a free port; sets PG_URL (password auth over TCP) and starts it.
pg_init() {
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pdex-fault-pg.XXXXXX")
  chmod 700 "$PG_DIR"
  ((${#pg_as[@]})) && chown "${pg_as[2]}" "$PG_DIR"
  local password
  password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
  printf '%s\n' "$password" >"$PG_DIR/pwfile"
  ((${#pg_as[@]})) && chown "${pg_as[2]}" "$PG_DIR/pwfile"
  "${pg_as[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U pdex --pwfile="$PG_DIR/pwfile" --auth-host=scram-sha-256 \
    --auth-local=trust --encoding=UTF8 --locale=C --no-sync >"$PG_DIR/initdb.log" 2>&1
  PG_PORT=""
  for _ in 1 2 3 4 5 6 7 8; do
    local p=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && continue
    PG_PORT=$p
    pg_start && break
    PG_PORT=""
  done
  [[ -n "$PG_PORT" ]] || { echo "PostgreSQL did not start" >&2; return 1; }
  "${pg_as[@]}" "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U pdex -d postgres -q -c "CREATE DATABASE pdex" >/dev/null
  PG_URL="postgresql://pdex:$password@127.0.0.1:$PG_PORT/pdex?connect_timeout=2"
}
pg_start() {
  "${pg_as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
    -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR -c fsync=off" start >/dev/null
}
pg_stop() { "${pg_as[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m "${1:-fast}" -w stop >/dev/null 2>&1; }
pg_query() { "${pg_as[@]}" "$PG_BIN/psql" -h "$PG_DIR" -p "$PG_PORT" -U pdex -d pdex -Atq -c "$1"; }
