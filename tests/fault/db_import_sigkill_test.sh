#!/usr/bin/env bash
# Fault: SIGKILL during `pdex db import` (SQLite, and PostgreSQL when PDEX_TEST_PG_URL is set). A full import is
# timed, then imports into fresh databases are killed at 10 %..90 % of that time. After each kill: the
# database is consistent (SQLite integrity_check ok; either no game data or all of it, never part) and a
# rerun of the import completes and passes `pdex db check`.
#   tests/fault/db_import_sigkill_test.sh [PDEX]
PDEX=${1:-}
source "$(dirname "$0")/lib.sh"

species() { "$PDEX" db check 2>/dev/null | grep -oiE '[0-9]+ species' | grep -oE '[0-9]+' | sed -n 1p; }
# kill_import_at MS: starts an import, SIGKILLs it after MS milliseconds (if still running). Sets KILLED.
kill_import_at() {
  "$PDEX" db import >/dev/null 2>&1 &
  local pid=$!
  sleep "$(awk -v ms="$1" 'BEGIN { printf "%.3f", ms / 1000 }')"
  KILLED=0
  if kill -KILL "$pid" 2>/dev/null; then KILLED=1; fi
  wait "$pid" 2>/dev/null || true
}

run_backend() {
  local name=$1 fresh=$2 consistent=$3
  $fresh
  local t0
  t0=$(now_ms)
  "$PDEX" db import >/dev/null
  local full=$(($(now_ms) - t0))
  check "$name: reference import passes pdex db check (${full} ms)" bash -c "\"$PDEX\" db check >/dev/null"
  local kills=0
  for pct in 10 20 30 40 50 60 70 80 90; do
    $fresh
    kill_import_at $((full * pct / 100))
    kills=$((kills + KILLED))
    check "$name: killed at ${pct}% (killed=$KILLED): database consistent" $consistent
    "$PDEX" db import >/dev/null 2>"$WORK/rerun.err" || fail "$name: rerun after kill at ${pct}%: $(cat "$WORK/rerun.err")"
    check "$name: rerun after kill at ${pct}% passes pdex db check" bash -c "\"$PDEX\" db check >/dev/null"
  done
  figure "SIGKILL during pdex db import ($name): $kills imports killed at 10..90 % of ${full} ms, all consistent, all reruns complete"
}

# --- SQLite --------------------------------------------------------------------------------------------------
sqlite_fresh() {
  rm -f "$WORK"/import.sqlite*
  export PDEX_DATABASE_URL="sqlite://$WORK/import.sqlite"
}
sqlite_consistent() {
  local db=$WORK/import.sqlite
  [[ -f $db ]] || return 0  # killed before the file existed
  [[ $(sqlite3 "$db" 'PRAGMA integrity_check') == ok ]] || { echo "integrity_check failed" >&2; return 1; }
  local has
  has=$(sqlite3 "$db" "SELECT count(*) FROM sqlite_master WHERE name = 'pokemon'")
  [[ $has == 0 ]] && return 0
  local n
  n=$(sqlite3 "$db" 'SELECT count(*) FROM pokemon')
  [[ $n == 0 || $n == "$(sqlite3 "$REFERENCE" 'SELECT count(*) FROM pokemon')" ]] || { echo "partial: $n species" >&2; return 1; }
  local m
  m=$(sqlite3 "$db" 'SELECT count(*) FROM moves')
  [[ ($n == 0 && $m == 0) || ($n != 0 && $m == "$(sqlite3 "$REFERENCE" 'SELECT count(*) FROM moves')") ]] ||
    { echo "partial: $n species, $m moves" >&2; return 1; }
}
if command -v sqlite3 >/dev/null; then
  REFERENCE=$WORK/reference.sqlite
  PDEX_DATABASE_URL="sqlite://$REFERENCE" "$PDEX" db import >/dev/null
  run_backend SQLite sqlite_fresh sqlite_consistent
else
  echo "skip SQLite cases: sqlite3 not found"
fi

# --- PostgreSQL ------------------------------------------------------------------------------------------------
if [[ -n "${PDEX_TEST_PG_URL:-}" ]]; then
  schema="fault_import_$$"
  sep='?'
  [[ "$PDEX_TEST_PG_URL" == *\?* ]] && sep='&'
  pg() { psql "$PDEX_TEST_PG_URL" -Atq -v ON_ERROR_STOP=1 -c "$1"; }
  pg_fresh() {
    pg "DROP SCHEMA IF EXISTS $schema CASCADE; CREATE SCHEMA $schema" >/dev/null
    export PDEX_DATABASE_URL="$PDEX_TEST_PG_URL${sep}options=-csearch_path%3D$schema"
  }
  pg_consistent() {
    local has n m
    has=$(pg "SELECT count(*) FROM information_schema.tables WHERE table_schema = '$schema' AND table_name = 'pokemon'")
    [[ $has == 0 ]] && return 0
    n=$(pg "SELECT count(*) FROM $schema.pokemon")
    m=$(pg "SELECT count(*) FROM $schema.moves")
    [[ ($n == 0 && $m == 0) || ($n == "$PG_SPECIES" && $m == "$PG_MOVES") ]] || { echo "partial: $n species, $m moves" >&2; return 1; }
  }
  pg_fresh
  "$PDEX" db import >/dev/null
  PG_SPECIES=$(pg "SELECT count(*) FROM $schema.pokemon")
  PG_MOVES=$(pg "SELECT count(*) FROM $schema.moves")
  run_backend PostgreSQL pg_fresh pg_consistent
  pg "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null
else
  echo "skip PostgreSQL cases: PDEX_TEST_PG_URL is not set (run under scripts/with-postgres)"
fi
finish
