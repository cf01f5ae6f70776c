#!/usr/bin/env bash
# Fault: the disk fills up under SQLite. The "disk" is the process's file-size limit (ulimit -f, with SIGXFSZ
# ignored so writes fail with EFBIG as on a full disk instead of killing the process).
#   1. `pdex db import` with room for less than the Dex: fails with a clear message and a non-zero exit; the
#      database passes PRAGMA integrity_check and is as before (one transaction); the rerun with room succeeds.
#   2. `pdex serve` whose prediction log hits the limit: keeps predicting, /ready says degraded, and once the
#      limit is raised (prlimit on the running server) the backlog is written; nothing lost.
#   tests/fault/sqlite_disk_full_test.sh [PDEX]
PDEX=${1:-}
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 not found"; exit 77; }
db=$WORK/pdex.sqlite
export PDEX_DATABASE_URL="sqlite://$db"
"$PDEX" db init >/dev/null
integrity() { sqlite3 "$db" 'PRAGMA integrity_check'; }

# --- 1. import into a full disk ---------------------------------------------------------------------------
size_before=$(stat -c %s "$db")
set +e
(
  trap '' XFSZ
  ulimit -f 256  # KiB: the schema fits, the Dex (several MiB with indexes) does not
  exec "$PDEX" db import
) >"$WORK/import.out" 2>"$WORK/import.err"
rc=$?
set -e
err=$(cat "$WORK/import.err")
check "import on a full disk fails (exit $rc)" test "$rc" -ne 0
check "the error says why: ${err:0:200}" bash -c "grep -qiE 'disk|full|too large|space' '$WORK/import.err'"
check "no crash, no stack trace" bash -c "! grep -qiE 'terminate|Aborted|core dumped|#[0-9]+ 0x' '$WORK/import.err'"
check "integrity_check ok after the failed import" test "$(integrity)" == ok
check "the failed import left no game data (one transaction)" \
  test "$(sqlite3 "$db" 'SELECT count(*) FROM pokemon')" -eq 0
"$PDEX" db import >/dev/null 2>"$WORK/import2.err" || fail "import with room failed: $(cat "$WORK/import2.err")"
check "rerun with room: pdex db check passes" bash -c "\"$PDEX\" db check >/dev/null"
check "integrity_check ok after the rerun" test "$(integrity)" == ok
figure "sqlite disk full during import: exit $rc, integrity ok, rerun completes (db ${size_before} -> $(stat -c %s "$db") bytes)"

# --- 2. the prediction log on a full disk -------------------------------------------------------------------
train_bundle
export PDEX_AUTH=off PDEX_RATE_LIMIT_ANON_RPS=0
sqlite3 "$db" 'PRAGMA wal_checkpoint(TRUNCATE)' >/dev/null
# The limit is per file: the main database is already far larger than it (reads stay fine) and the empty
# write-ahead log has 64 KiB of room, a few dozen commits of the prediction log whatever the batching.
limit_kib=64
with_small_disk() {  # runs in the server's own subshell
  trap '' XFSZ
  ulimit -S -f "$limit_kib"  # soft only, so prlimit can raise it later
  exec "$@"
}
server_start --log "$WORK/serve.log" --via with_small_disk -- --threads 2 --model "$WORK/bundle" ||
  { fail "server did not start"; finish; }
big=$(python3 -c 'import json; print(json.dumps({"pokemon_1_id": 25, "pokemon_2_id": 6, "level_1": 77, "nature_1": "Modest"}))')
# Predict until the log reports the full disk (at least 150 requests, at most 1500): how many commits fit
# depends on how the writer batches, which depends on the machine's speed.
answered=0
sent=0
state=""
while ((sent < 1500)); do
  sent=$((sent + 1))
  [[ $(predict "$big") == 200 ]] && answered=$((answered + 1))
  if ((sent >= 150 && sent % 50 == 0)); then
    body=$(curl -s "$BASE/ready")
    [[ "$body" == *degraded* ]] && { state=$body; break; }
  fi
done
check "keeps predicting with the disk full ($answered/$sent)" test "$answered" -eq "$sent"
for _ in $(seq 1 100); do
  [[ -n "$state" ]] && break
  body=$(curl -s "$BASE/ready")
  [[ "$body" == *degraded* ]] && { state=$body; break; }
  sleep 0.1
done
check "/ready says degraded: ${state:0:160}" test -n "$state"
written_during=$(sqlite3 "$db" 'SELECT count(*) FROM predictions' 2>/dev/null || echo "?")
prlimit --pid "$SERVER_PID" --fsize=unlimited
t0=$(now_ms)
got=0
for _ in $(seq 1 300); do
  got=$(sqlite3 "$db" 'SELECT count(*) FROM predictions' 2>/dev/null || echo 0)
  [[ "$got" -ge "$answered" ]] && break
  sleep 0.1
done
recovered=$(($(now_ms) - t0))
check "backlog written once there is room ($got/$answered rows, ${recovered} ms)" test "$got" -eq "$answered"
figure "sqlite disk full under the prediction log: $answered predictions answered, $written_during written while full, all $got written ${recovered} ms after room was made"
server_stop TERM
check "SIGTERM exit 0 (got $SERVER_RC)" test "$SERVER_RC" -eq 0
check "integrity_check ok after the run" test "$(integrity)" == ok
finish
