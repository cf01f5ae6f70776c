#!/usr/bin/env bash
# Scale-out on one machine: two `pdex serve` replicas on one PostgreSQL behind nginx (deploy/nginx/pdex.conf),
# all on 127.0.0.1 and free ports (docs/scale-out.md).
#   scripts/with-postgres tests/scaleout/scaleout_test.sh [PDEX]   (PDEX: $PDEX_BIN, else build/release/src/cli/pdex)
# Needs PDEX_TEST_PG_URL (scripts/with-postgres) and nginx; skipped (77) without them. Uses a fresh schema.
# Checks:
#   keys       a key created once (CLI, one database) works on both replicas; a key created and then revoked
#              while they run is accepted, then refused, by both (within PDEX_KEY_CACHE_TTL_MS)
#   balancing  requests through nginx reach both replicas (nginx access log: $upstream_addr)
#   log        predictions served by both replicas land in the one `predictions` table, exactly once each
#   promotion  a version promoted through one replica's API becomes the served model of both replicas
#              (when `pdex model promote` exists; the check is reported as skipped otherwise)
#   SIGKILL    killing a replica under GET load (wrk through nginx) fails at most the requests it had in
#              flight (nginx retries idempotent requests on the other replica; measured: 0)
#   SIGTERM    stopping a replica under POST load fails at most its in-flight requests, and every answered
#              prediction is in the log (the replica drains it on SIGTERM)
set -euo pipefail
cd "$(dirname "$0")/../.."

PDEX=${1:-${PDEX_BIN:-build/release/src/cli/pdex}}
[[ -x "$PDEX" ]] || { echo "scaleout_test: pdex binary not found at '$PDEX'" >&2; exit 2; }
PDEX=$(realpath "$PDEX")
if [[ -z "${PDEX_TEST_PG_URL:-}" ]]; then
  echo "scaleout_test: PDEX_TEST_PG_URL is not set: run under scripts/with-postgres (skipped)" >&2
  exit 77
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$NGINX" ]] || { echo "scaleout_test: nginx not installed (apt-get install nginx) (skipped)" >&2; exit 77; }
for tool in psql curl wrk python3; do
  command -v "$tool" >/dev/null || { echo "scaleout_test: $tool not installed (skipped)" >&2; exit 77; }
done

t0=$(date +%s%N)
PWD_REPO=$(pwd)
elapsed() { echo "$((($(date +%s%N) - t0) / 1000000)) ms"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-scaleout.XXXXXX")
schema="scaleout_$$_$RANDOM"
source tests/server_lib.sh
declare -A replica_pid=() replica_port=()
nginx_pid=""
cleanup() {
  set +e  # every step runs, whatever the one before returned
  server_cleanup KILL
  if [[ -n "$nginx_pid" ]]; then
    kill -TERM "$nginx_pid" 2>/dev/null
    wait "$nginx_pid" 2>/dev/null
  fi
  psql "$PDEX_TEST_PG_URL" -qc "DROP SCHEMA IF EXISTS $schema CASCADE" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

source tests/cli_lib.sh  # pass, fail, $failures
sql() { psql "$url" -tAqc "$1"; }

# --- one database, one schema ------------------------------------------------------------------------
psql "$PDEX_TEST_PG_URL" -qc "CREATE SCHEMA $schema" >/dev/null
url="$PDEX_TEST_PG_URL?options=-csearch_path%3D$schema"
export PDEX_DATABASE_URL=$url PDEX_DATA_DIR=$work/data
"$PDEX" db init >/dev/null
"$PDEX" db import >/dev/null
"$PDEX" dataset build --scale 0.005 --threads 2 --quiet >/dev/null
"$PDEX" model train --name a --quiet >/dev/null
# With the registry (pdex model promote): version 1 (model a) in production before the replicas start, version 2
# (model b, another seed) registered for the promotion check. The replicas run in a scratch directory whose
# configs/gates.json has loose thresholds: these models are trained on a few hundred rows in seconds and would
# not pass the production gates; what is tested here is that a promotion reaches every replica.
mkdir -p "$work/cwd/configs"
cat >"$work/cwd/configs/gates.json" <<'JSON'
{"gates": {"max_gap_to_bayes_ceiling": 1, "max_ece": 1},
 "champion_challenger": {"max_accuracy_drop": 1, "max_log_loss_increase": 100},
 "dataset_check": {"min_side1_share": 0, "max_side1_share": 1, "max_duplicate_rate": 1}}
JSON
"$PDEX" model train --name b --seed 7 --quiet >/dev/null
"$PDEX" model register a --reason "scale-out test" >/dev/null
"$PDEX" model promote battle_winner_model 1 --reason "scale-out test" --gates "$work/cwd/configs/gates.json" >/dev/null
"$PDEX" model register b --reason "scale-out test" >/dev/null
key_json=$("$PDEX" apikey create --scopes read,predict --name scaleout --json)
key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' <<<"$key_json")
admin=$("$PDEX" apikey create --scopes read,predict,admin --name scaleout-admin --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
echo "setup: schema $schema, game data, a model, two keys ($(elapsed))"

# --- replicas -----------------------------------------------------------------------------------------
# Rate limits are per replica and far above this test's load; the key cache TTL is short so revocation is
# seen quickly.
start_replica() {
  local r=$1
  # No --model: the registry's production version, polled every PDEX_MODEL_POLL s.
  server_start --log "$work/replica-$r.log" --dir "$work/cwd" --env PDEX_DEX_FILE="$PWD_REPO/data/lgpe-dex.json" \
    --env PDEX_KEY_CACHE_TTL_MS=300 --env PDEX_RATE_LIMIT_RPS=1000000 --env PDEX_RATE_LIMIT_BURST=1000000 \
    --env PDEX_RATE_LIMIT_ANON_RPS=1000000 --env PDEX_RATE_LIMIT_ANON_BURST=1000000 --env PDEX_MODEL_POLL=1 \
    -- --threads 2 || { echo "replica $r did not start" >&2; exit 1; }
  replica_pid[$r]=$SERVER_PID
  replica_port[$r]=$SERVER_PORT
}
start_replica 1
start_replica 2
echo "replicas: 127.0.0.1:${replica_port[1]} and 127.0.0.1:${replica_port[2]} ($(elapsed))"

# --- nginx: deploy/nginx/pdex.conf with this test's addresses, as a foreground process --------------------
mkdir -p "$work/nginx/tmp" "$work/nginx/logs"
chmod 755 "$work" "$work/nginx"
chmod 777 "$work/nginx/tmp" "$work/nginx/logs"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
write_nginx_conf() {
  python3 - "$1" "${replica_port[1]}" "${replica_port[2]}" "$work/nginx/pdex.conf" <<'PY'
import re, sys
port, r1, r2, out = sys.argv[1:5]
conf = open("deploy/nginx/pdex.conf").read()
servers = re.findall(r"^\s*server 127\.0\.0\.1:\d+ .*;$", conf, re.M)
assert len(servers) == 2, servers
conf = conf.replace(servers[0], servers[0].replace(re.search(r"127\.0\.0\.1:\d+", servers[0]).group(0), "127.0.0.1:" + r1))
conf = conf.replace(servers[1], servers[1].replace(re.search(r"127\.0\.0\.1:\d+", servers[1]).group(0), "127.0.0.1:" + r2))
conf, n = re.subn(r"listen 127\.0\.0\.1:\d+;", f"listen 127.0.0.1:{port};", conf)
assert n == 1
open(out, "w").write(conf)
PY
  local user_line=""
  [[ $(id -u) -eq 0 ]] && user_line="user nobody nogroup;"
  cat >"$work/nginx/nginx.conf" <<EOF
$user_line
daemon off;
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/logs/error.log warn;
events { worker_connections 512; }
http {
  log_format upstream '\$request_method \$uri \$status \$upstream_addr \$upstream_status';
  access_log $work/nginx/logs/access.log upstream;
  client_body_temp_path $work/nginx/tmp/body;
  proxy_temp_path $work/nginx/tmp/proxy;
  fastcgi_temp_path $work/nginx/tmp/fastcgi;
  uwsgi_temp_path $work/nginx/tmp/uwsgi;
  scgi_temp_path $work/nginx/tmp/scgi;
  include $work/nginx/pdex.conf;
}
EOF
}
lb=""
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  write_nginx_conf "$port"
  "$NGINX" -p "$work/nginx" -c "$work/nginx/nginx.conf" -e "$work/nginx/logs/error.log" >"$work/nginx/logs/stdout.log" 2>&1 &
  nginx_pid=$!
  for _ in $(seq 1 50); do
    if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then lb="http://127.0.0.1:$port"; break; fi
    kill -0 "$nginx_pid" 2>/dev/null || break
    sleep 0.1
  done
  [[ -n "$lb" ]] && break
  kill "$nginx_pid" 2>/dev/null
  wait "$nginx_pid" 2>/dev/null
  nginx_pid=""
done
[[ -n "$lb" ]] || { echo "nginx did not start: $(tail -5 "$work/nginx/logs/error.log")" >&2; exit 1; }
echo "nginx: $lb ($(elapsed))"

status() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
direct() { echo "http://127.0.0.1:${replica_port[$1]}"; }

# --- keys ---------------------------------------------------------------------------------------------
for r in 1 2; do
  [[ $(status -H "X-API-Key: $key" "$(direct $r)/api/v1/types") == 200 ]] && pass "key created once works on replica $r" ||
    fail "key refused by replica $r"
done
late=$("$PDEX" apikey create --scopes read --name late --json)
late_key=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])' <<<"$late")
late_id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$late")
for r in 1 2; do
  [[ $(status -H "X-API-Key: $late_key" "$(direct $r)/api/v1/types") == 200 ]] &&
    pass "key created while serving works on replica $r" || fail "new key refused by replica $r"
done
"$PDEX" apikey revoke "$late_id" >/dev/null
sleep 0.4
for r in 1 2; do
  code=$(status -H "X-API-Key: $late_key" "$(direct $r)/api/v1/types")
  [[ $code == 401 ]] && pass "revoked key refused by replica $r after the cache TTL" || fail "revoked key: $code on replica $r"
done

# --- balancing and the shared prediction log ------------------------------------------------------------
: >"$work/nginx/logs/access.log.mark"
n_pred=40
ok=0
for i in $(seq 1 $n_pred); do
  p1=$((1 + i % 150))
  code=$(curl -s -o "$work/pred.json" -w '%{http_code}' -H "X-API-Key: $key" -H 'Content-Type: application/json' \
    -d "{\"pokemon_1_id\": $p1, \"pokemon_2_id\": 6}" "$lb/api/v1/predict/battle")
  [[ $code == 200 ]] && ok=$((ok + 1))
done
[[ $ok == "$n_pred" ]] && pass "$n_pred predictions through nginx: all 200" || fail "predictions through nginx: $ok/$n_pred 200"
served_by() { grep -c "^POST /api/v1/predict/battle 200 127.0.0.1:$1 " "$work/nginx/logs/access.log" || true; }
by1=$(served_by "${replica_port[1]}")
by2=$(served_by "${replica_port[2]}")
((by1 > 0 && by2 > 0)) && pass "both replicas served predictions ($by1 + $by2)" ||
  fail "predictions not balanced: replica 1 $by1, replica 2 $by2"
logged=0
for _ in $(seq 1 50); do
  logged=$(sql "SELECT count(*) FROM predictions")
  [[ $logged -ge $n_pred ]] && break
  sleep 0.1
done
distinct=$(sql "SELECT count(DISTINCT id) FROM predictions")
[[ $logged == "$n_pred" && $distinct == "$n_pred" ]] &&
  pass "one prediction log: $logged rows, $distinct distinct ids, from both replicas" ||
  fail "prediction log: $logged rows ($distinct distinct), expected $n_pred"

# --- promotion seen by both replicas ---------------------------------------------------------------------
served_version() { curl -s -H "X-API-Key: $key" "$(direct "$1")/api/v1/model" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("version", ""))' 2>/dev/null || true; }
wait_version() { # wait_version WANT: both replicas serve WANT within 10 s; prints the milliseconds it took
  local want=$1 start
  start=$(date +%s%N)
  for _ in $(seq 1 100); do
    [[ "$(served_version 1)" == "$want" && "$(served_version 2)" == "$want" ]] && { echo $((($(date +%s%N) - start) / 1000000)); return 0; }
    sleep 0.1
  done
  return 1
}
v1=battle_winner_model/1
v2=battle_winner_model/2
[[ "$(served_version 1)" == "$v1" && "$(served_version 2)" == "$v1" ]] && pass "both replicas serve the production version $v1" ||
  fail "initial versions: '$(served_version 1)' and '$(served_version 2)', expected $v1"
# transition REPLICA PATH REASON WANT: an admin POST of {"reason": REASON} to PATH on replica REPLICA, then both
# replicas must serve WANT within 10 s. Prints the milliseconds it took, or what went wrong (and returns 1).
transition() {
  local out="$work/transition.json" code ms
  code=$(curl -s -o "$out" -w '%{http_code}' -H "X-API-Key: $admin" -H 'Content-Type: application/json' \
    -d "{\"reason\": \"$3\"}" "$(direct "$1")$2")
  if [[ $code == 200 ]] && ms=$(wait_version "$4"); then
    echo "$ms"
    return 0
  fi
  echo "HTTP $code $(head -c 300 "$out"); serving '$(served_version 1)' and '$(served_version 2)'"
  return 1
}
if out=$(transition 1 /api/v1/models/battle_winner_model/versions/2/promote "scale-out test: promote through replica 1" "$v2"); then
  pass "version 2 promoted through replica 1's API is served by both replicas after $out ms (PDEX_MODEL_POLL=1)"
else
  fail "promotion through replica 1: $out"
fi
if out=$(transition 2 /api/v1/models/battle_winner_model/rollback "scale-out test: roll back through replica 2" "$v1"); then
  pass "a rollback through replica 2's API is served by both replicas after $out ms"
else
  fail "rollback through replica 2: $out"
fi

# --- SIGKILL under GET load -------------------------------------------------------------------------------
connections=8
wrk -t2 -c$connections -d3s --latency -H "X-API-Key: $key" "$lb/api/v1/pokemon/25" >"$work/wrk.txt" 2>&1 &
wrk_pid=$!
sleep 1
server_stop KILL "${replica_pid[2]}"
unset 'replica_pid[2]'
wait "$wrk_pid"
requests=$(grep -o '[0-9]* requests in' "$work/wrk.txt" | grep -o '^[0-9]*')
non2xx=$(grep -o 'Non-2xx or 3xx responses: [0-9]*' "$work/wrk.txt" | grep -o '[0-9]*$' || echo 0)
sock=$(grep -o 'Socket errors: .*' "$work/wrk.txt" || echo "Socket errors: none")
lost=$((non2xx))
if [[ -n "$requests" && $requests -gt 0 && $lost -le $connections && "$sock" == "Socket errors: none" ]]; then
  pass "SIGKILL of replica 2 under GET load: $requests requests, $lost failed (bound: $connections in flight), $sock"
else
  fail "SIGKILL under load: ${requests:-?} requests, $lost non-2xx, $sock; $(cat "$work/wrk.txt")"
fi
retried=$(grep -c "127.0.0.1:${replica_port[2]}, 127.0.0.1:${replica_port[1]}" "$work/nginx/logs/access.log" || true)
echo "     nginx retried $retried request(s) on replica 1 after replica 2 failed"
[[ $(status -H "X-API-Key: $key" "$lb/api/v1/types") == 200 ]] && pass "served by the surviving replica" ||
  fail "nothing served after the kill"

# --- SIGTERM under POST load ------------------------------------------------------------------------------
start_replica 2
sleep 0.3
before=$(sql "SELECT count(*) FROM predictions")
post_worker() {
  local out=$1 deadline=$2 i=0
  while (($(date +%s%N) < deadline)); do
    i=$((i + 1))
    curl -s -o /dev/null -w '%{http_code}\n' -H "X-API-Key: $key" -H 'Content-Type: application/json' \
      -d "{\"pokemon_1_id\": $((1 + i % 150)), \"pokemon_2_id\": 25}" "$lb/api/v1/predict/battle" >>"$out"
  done
}
workers=4
deadline=$(($(date +%s%N) + 3000000000))
wpids=()
for w in $(seq 1 $workers); do
  post_worker "$work/post-$w.txt" "$deadline" &
  wpids+=($!)
done
sleep 1
server_stop TERM "${replica_pid[2]}"
term_rc=$SERVER_RC
unset 'replica_pid[2]'
for p in "${wpids[@]}"; do wait "$p"; done
answered=$(cat "$work"/post-*.txt | grep -c '^200$' || true)
failed=$(cat "$work"/post-*.txt | grep -vc '^200$' || true)
[[ $term_rc == 0 ]] && pass "replica 2 stopped on SIGTERM with exit 0" || fail "replica 2 exit $term_rc on SIGTERM"
((answered > 0 && failed <= workers)) &&
  pass "SIGTERM of replica 2 under POST load: $answered answered, $failed failed (bound: $workers in flight)" ||
  fail "SIGTERM under POST load: $answered answered, $failed failed; codes: $(cat "$work"/post-*.txt | sort | uniq -c | tr '\n' ' ')"
logged=0
for _ in $(seq 1 50); do
  logged=$(($(sql "SELECT count(*) FROM predictions") - before))
  [[ $logged -ge $answered ]] && break
  sleep 0.1
done
[[ $logged == "$answered" ]] && pass "every answered prediction is logged once ($logged), the stopped replica's included" ||
  fail "prediction log after SIGTERM: $logged rows for $answered answered predictions"

echo "scaleout_test: done in $(elapsed)"
if ((failures > 0)); then
  echo "scaleout_test: $failures failure(s)" >&2
  exit 1
fi
echo "scaleout_test: all passed"
