#!/usr/bin/env bash
# Integration test of `pdex db init|import|check` on the built binary:
#   tests/db_cli_test.sh [PDEX]      (PDEX defaults to $PDEX_BIN, then build/release/src/cli/pdex)
# Runs from the repository root. SQLite always; PostgreSQL too when PDEX_TEST_PG_URL is set (as
# scripts/with-postgres does), in a schema of its own that is dropped at the end. Bad data files are made
# from data/lgpe-dex.json with node, with content_sha256 recomputed so that the importer reaches the
# broken field. Each must fail with exit code 3, one line naming file, record and field, and leave the
# database exactly as it was.
set -euo pipefail
cd "$(dirname "$0")/.."

PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "db_cli_test: pdex binary not found at '$PDEX' (pass it as \$1 or PDEX_BIN)" >&2; exit 2; }
PDEX=$(realpath "$PDEX")
DATA=data/lgpe-dex.json
[[ -f "$DATA" ]] || { echo "db_cli_test: $DATA missing" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-db-cli.XXXXXX")
pg_schema="db_cli_test_$$"
pg_url=""
cleanup() {
  if [[ -n "$pg_url" ]]; then
    psql "$PDEX_TEST_PG_URL" -q -c "DROP SCHEMA IF EXISTS $pg_schema CASCADE" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

source tests/cli_lib.sh  # the scripts run from the repository root (cd above)
expect_one_line() {  # NAME TEXT
  local lines
  lines=$(printf '%s' "$2" | grep -c '' || true)
  if [[ "$lines" -eq 1 ]]; then pass "$1: one line"; else fail "$1: $lines lines: $2"; fi
}

# make_variant NAME JS: writes $work/NAME.json, data/lgpe-dex.json with `d` (the parsed document) changed by
# JS, and content_sha256 recomputed over the key-sorted content (the canonical form, docs/data-format.md).
make_variant() {
  node -e '
    const fs = require("fs"), crypto = require("crypto");
    const [src, dst, js] = process.argv.slice(1);
    const d = JSON.parse(fs.readFileSync(src, "utf8"));
    new Function("d", js)(d);
    const sorted = (v) => Array.isArray(v) ? v.map(sorted)
      : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])])) : v;
    d.content_sha256 = crypto.createHash("sha256").update(JSON.stringify(sorted(d.content))).digest("hex");
    fs.writeFileSync(dst, JSON.stringify(d, null, 1));
  ' "$DATA" "$work/$1.json" "$2"
}

# The database's whole observable state, to prove that a failed command changed nothing.
state() { "$PDEX" db check --json 2>/dev/null || true; }

# --- help -------------------------------------------------------------------------------------------
for sub in "" init import check; do
  run db $sub --help
  expect_rc "db $sub --help" 0
  expect_contains "db $sub --help shows usage" "$out" "Usage:"
done

# --- SQLite: init, import, idempotent re-import, check -------------------------------------------------
export PDEX_DATABASE_URL="sqlite://$work/sqlite/pdex.sqlite"
run db init
expect_rc "sqlite: db init" 0
expect_contains "sqlite: db init prints the location" "$out" "$work/sqlite/pdex.sqlite"
expect_contains "sqlite: db init prints the schema version" "$out" "(migrated from 0)"
run db init
expect_rc "sqlite: db init again" 0
expect_contains "sqlite: db init again is a no-op" "$out" "already up to date"

run db import
expect_rc "sqlite: db import" 0
expect_contains "sqlite: db import counts species" "$out" "188 species"
expect_contains "sqlite: db import prints the time" "$out" " s."
expect_contains "sqlite: db import prints the location" "$out" "Database: sqlite://"
run db import "$DATA"
expect_rc "sqlite: db import again" 0
expect_contains "sqlite: db import again changes nothing" "$out" "already up to date, nothing changed"

run db check
expect_rc "sqlite: db check" 0
expect_contains "sqlite: db check passes" "$out" "All checks passed."
run db check --json
expect_rc "sqlite: db check --json" 0
sqlite_report="$out"
if node -e 'const r = JSON.parse(process.argv[1]); process.exit(r.ok === true && r.counts.species === 188 &&
      r.counts.type_chart_rows === 324 && r.counts.types === 18 ? 0 : 1)' "$sqlite_report"; then
  pass "sqlite: db check --json reports ok, 188 species, 324 chart rows, 18 types"
else
  fail "sqlite: db check --json: $sqlite_report"
fi

# --- bad data files: exit 3, one line naming file/record/field, database untouched ------------------------
head -c 20000 "$DATA" >"$work/truncated.json"
node -e 'const fs = require("fs"); const t = fs.readFileSync(process.argv[1], "utf8");
  fs.writeFileSync(process.argv[2], t.replace("\"types\": [", "\"types\": [,"));' "$DATA" "$work/malformed.json"
make_variant unknown-type 'd.content.pokemon[24].types[0] = "Plasma";'
make_variant negative-stat 'd.content.pokemon[24].base_stats.atk = -5;'
make_variant absurd-stat 'd.content.pokemon[24].base_stats.hp = 9999;'
make_variant duplicate-id 'd.content.pokemon[1].id = d.content.pokemon[0].id;'
make_variant unknown-move 'd.content.learnsets[10].move = "notamove";'
make_variant bad-accuracy 'd.content.moves[3].accuracy = 0;'
node -e 'const fs = require("fs"); const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
  d.content.moves[3].power += 1; fs.writeFileSync(process.argv[2], JSON.stringify(d));' "$DATA" "$work/wrong-hash.json"

# case FILE NEEDLE...: every needle must appear in the one-line error.
bad_case() {
  local name=$1
  shift
  local before after
  before=$(state)
  run db import "$work/$name.json"
  expect_rc "bad $name: exit code" 3
  expect_one_line "bad $name" "$err"
  expect_contains "bad $name names the file" "$err" "$name.json"
  local needle
  for needle in "$@"; do expect_contains "bad $name names '$needle'" "$err" "$needle"; done
  after=$(state)
  if [[ "$before" == "$after" ]]; then pass "bad $name: database untouched"; else fail "bad $name: database changed"; fi
}
bad_case truncated "malformed JSON"
bad_case malformed "malformed JSON"
bad_case unknown-type "pokemon[24] (pikachu)" "types[0]" "Plasma"
bad_case negative-stat "pokemon[24] (pikachu)" "base_stats.atk" "-5"
bad_case absurd-stat "pokemon[24] (pikachu)" "base_stats.hp" "9999"
bad_case duplicate-id "pokemon[1]" "id" "duplicate"
bad_case unknown-move "learnsets[10]" "move" "notamove"
bad_case bad-accuracy "moves[3]" "accuracy"
bad_case wrong-hash "content_sha256"
run db import "$work/does-not-exist.json"
expect_rc "missing file: exit code" 3
expect_one_line "missing file" "$err"
expect_contains "missing file names the file" "$err" "does-not-exist.json"

# --- a different valid file replaces the data; the original restores it ------------------------------------
make_variant other-content 'd.content.moves[0].short_desc += " (edited)";'
run db import "$work/other-content.json"
expect_rc "sqlite: import of changed content" 0
expect_contains "sqlite: changed content is imported" "$out" "Imported"
run db check
expect_rc "sqlite: check after changed content" 0
run db import
expect_rc "sqlite: re-import of the original" 0
expect_contains "sqlite: original is imported again" "$out" "Imported"

# --- a row changed behind pdex's back fails the check (exit 3) ------------------------------------------
if command -v sqlite3 >/dev/null; then
  cp "$work/sqlite/pdex.sqlite" "$work/tampered.sqlite"
  for ext in -wal -shm; do [[ -f "$work/sqlite/pdex.sqlite$ext" ]] && cp "$work/sqlite/pdex.sqlite$ext" "$work/tampered.sqlite$ext"; done
  sqlite3 "$work/tampered.sqlite" "UPDATE pokemon SET spe = spe + 1 WHERE id = 25"
  PDEX_DATABASE_URL="sqlite://$work/tampered.sqlite" run db check
  expect_rc "tampered: db check" 3
  expect_contains "tampered: db check names the hash check" "$err" "data_hash"
else
  echo "skip tampered-row case: sqlite3 not installed"
fi

# --- unreachable PostgreSQL: exit 1, one line, no password ---------------------------------------------
for sub in init import check; do
  PDEX_DATABASE_URL="postgresql://pdex:topsecret@127.0.0.1:1/db" run db $sub
  expect_rc "unreachable postgresql: db $sub" 1
  expect_one_line "unreachable postgresql: db $sub" "$err"
  expect_contains "unreachable postgresql: db $sub names the server" "$err" "postgresql://pdex:***@127.0.0.1:1/db"
  if [[ "$err" == *topsecret* ]]; then fail "unreachable postgresql: db $sub prints the password"; else pass "unreachable postgresql: db $sub hides the password"; fi
done

# --- PostgreSQL: the same, and the same report as SQLite -------------------------------------------------
if [[ -n "${PDEX_TEST_PG_URL:-}" ]]; then
  psql "$PDEX_TEST_PG_URL" -q -v ON_ERROR_STOP=1 -c "CREATE SCHEMA $pg_schema" >/dev/null
  sep='?'
  [[ "$PDEX_TEST_PG_URL" == *\?* ]] && sep='&'
  pg_url="$PDEX_TEST_PG_URL${sep}options=-csearch_path%3D$pg_schema"
  export PDEX_DATABASE_URL="$pg_url"
  run db init
  expect_rc "postgresql: db init" 0
  if [[ "$PDEX_TEST_PG_URL" =~ ://[^:/@]+:([^@]+)@ ]] && [[ "$out$err" == *"${BASH_REMATCH[1]}"* ]]; then
    fail "postgresql: db init prints the password"
  fi
  expect_contains "postgresql: db init masks the password" "$out" ":***@"
  run db import
  expect_rc "postgresql: db import" 0
  expect_contains "postgresql: db import counts species" "$out" "188 species"
  run db import
  expect_rc "postgresql: db import again" 0
  expect_contains "postgresql: db import again changes nothing" "$out" "already up to date, nothing changed"
  bad_case unknown-type "pokemon[24] (pikachu)" "types[0]" "Plasma"
  run db check --json
  expect_rc "postgresql: db check --json" 0
  if node -e '
      const [a, b] = process.argv.slice(1).map((s) => JSON.parse(s));
      if (a.database.backend !== "sqlite" || b.database.backend !== "postgresql") process.exit(1);
      delete a.database; delete b.database;
      process.exit(JSON.stringify(a) === JSON.stringify(b) ? 0 : 1);' "$sqlite_report" "$out"; then
    pass "postgresql: db check --json equals SQLite's apart from the database object"
  else
    fail "postgresql: db check --json differs from SQLite's"
    diff <(echo "$sqlite_report") <(echo "$out") >&2 || true
  fi
else
  echo "skip PostgreSQL cases: PDEX_TEST_PG_URL is not set (run under scripts/with-postgres)"
fi

if ((failures)); then
  echo "db_cli_test: $failures failure(s)" >&2
  exit 1
fi
echo "db_cli_test: all passed"
