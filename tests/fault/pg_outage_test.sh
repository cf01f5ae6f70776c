#!/usr/bin/env bash
# Fault: PostgreSQL down at server start, and stopped mid-run. A real `pdex serve` on a PostgreSQL cluster of
# this test's own (PDEX_AUTH=off: API keys live in the database too and are covered by their own tests; this
# test is about predictions and the prediction log). Checks: the server starts and predicts without the
# database (Dex from the file), /ready says so, every prediction answered while PostgreSQL is down is
# buffered and written once it is back (rows in `predictions` = predictions answered, nothing lost), and the
# time from PostgreSQL's restart until the backlog is written.
#   tests/fault/pg_outage_test.sh [PDEX]
PDEX=${1:-}
source "$(dirname "$0")/lib.sh"
pg_available || { echo "skip: PostgreSQL 15 binaries not found"; exit 77; }
pg_init
export PDEX_DATABASE_URL=$PG_URL PDEX_AUTH=off PDEX_RATE_LIMIT_ANON_RPS=0
"$PDEX" db init >/dev/null
train_bundle
rows() { pg_query "SELECT count(*) FROM predictions"; }
ready_json() { curl -s --max-time 30 "$BASE/ready"; }
# wait_rows N SECONDS: until the table holds N rows; prints the milliseconds waited.
wait_rows() {
  local t0
  t0=$(now_ms)
  for _ in $(seq 1 $(($2 * 10))); do
    [[ $(rows 2>/dev/null || echo -1) == "$1" ]] && { echo $(($(now_ms) - t0)); return 0; }
    sleep 0.1
  done
  echo -1
  return 1
}

# --- 1. down at start ------------------------------------------------------------------------------------
pg_stop fast
server_start --log "$WORK/serve1.log" -- --threads 2 --model "$WORK/bundle"
check "starts without the database" kill -0 "$SERVER_PID"
code=$(http_status "$BASE/ready")
body=$(ready_json)
check "/ready reports the database down and the service degraded ($code: ${body:0:160})" \
  bash -c "[[ '$code' == 503 && '$body' == *'\"readiness\":\"degraded\"'* ]]"
answered=0
for i in $(seq 1 25); do
  [[ $(predict) == 200 ]] && answered=$((answered + 1))
done
check "predicts while PostgreSQL is down ($answered/25 answered 200)" test "$answered" -eq 25
t_start=$(now_ms)
pg_start
waited=$(wait_rows "$answered" 60 || true)
check "backlog written after PostgreSQL came back ($answered rows, ${waited} ms)" test "$waited" -ge 0
figure "pg down at start: $answered predictions buffered, written ${waited} ms after PostgreSQL restarted"
# /ready reuses a database check for up to 2 s (ready_cache), so poll for a few seconds.
check "/ready is ready again" bash -c "for _ in \$(seq 1 50); do [[ \$(curl -s '$BASE/ready') == *'\"ready\"'* ]] && exit 0; sleep 0.1; done; exit 1"
server_stop TERM
check "SIGTERM exit 0 (got $SERVER_RC)" test "$SERVER_RC" -eq 0
check "nothing lost at stop" grep -q '"lost_at_stop":0' "$WORK/serve1.log"

# --- 2. stopped mid-run ----------------------------------------------------------------------------------
before=$(rows)
server_start --log "$WORK/serve2.log" -- --threads 2 --model "$WORK/bundle"
ok1=0
for i in $(seq 1 20); do [[ $(predict) == 200 ]] && ok1=$((ok1 + 1)); done
wait_rows $((before + ok1)) 30 >/dev/null || fail "first batch not written"
pg_stop fast
down_at=$(now_ms)
ok2=0
for i in $(seq 1 40); do [[ $(predict) == 200 ]] && ok2=$((ok2 + 1)); done
check "keeps predicting with PostgreSQL stopped ($ok2/40)" test "$ok2" -eq 40
# /ready: 503 for the database, "readiness": "degraded" because predictions are still answered.
state=""
for _ in $(seq 1 50); do
  body=$(ready_json)
  [[ "$body" == *'"readiness":"degraded"'* ]] && { state=$body; break; }
  sleep 0.1
done
check "/ready says degraded while down (${state:0:200})" test -n "$state"
pg_start
waited=$(wait_rows $((before + ok1 + ok2)) 60 || true)
check "all $((ok1 + ok2)) mid-run predictions in the table after recovery (${waited} ms)" test "$waited" -ge 0
figure "pg stopped mid-run: $ok2 predictions during a $((($(now_ms) - down_at) / 1000)) s outage, backlog written ${waited} ms after restart, 0 lost"
server_stop TERM
check "SIGTERM exit 0" test "$SERVER_RC" -eq 0
check "nothing lost at stop" grep -q '"lost_at_stop":0' "$WORK/serve2.log"
finish
