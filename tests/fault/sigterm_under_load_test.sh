#!/usr/bin/env bash
# Fault: SIGTERM under load. 16 keep-alive clients predict as fast as they can; the server gets SIGTERM in
# the middle. Checks: it exits 0; every request answered before the stop got a complete 200 (requests in
# flight finish; new connections are refused, never answered with a half response); every prediction it
# acknowledged (200 with a prediction_id) is in the database afterwards (the log queue was drained, nothing
# acknowledged lost); and the shutdown time.
#   tests/fault/sigterm_under_load_test.sh [PDEX]
PDEX=${1:-}
source "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || { echo "skip: sqlite3 not found"; exit 77; }
export PDEX_AUTH=off PDEX_RATE_LIMIT_ANON_RPS=0 PDEX_DATABASE_URL="sqlite://$WORK/pdex.sqlite"
# Slow the log's batches down so that a backlog exists at SIGTERM (the drain is what is tested).
export PDEX_PREDICTION_LOG_BATCH=50
"$PDEX" db init >/dev/null
train_bundle
server_start --log "$WORK/serve.log" -- --threads 2 --model "$WORK/bundle"
port=${BASE##*:}

python3 - "$port" "$SERVER_PID" "$WORK/acked.txt" <<'PY' >"$WORK/load.out" 2>&1 &
import http.client, json, os, signal, sys, threading, time
port, pid, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
body = json.dumps({"pokemon_1_id": 25, "pokemon_2_id": 6})
acked, bad, refused = [], [], [0]
lock = threading.Lock()
stop_at = time.time() + 1.5
def client(i):
    conn = None
    while True:
        try:
            if conn is None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            conn.request("POST", "/api/v1/predict/battle", body, {"Content-Type": "application/json"})
            r = conn.getresponse()
            data = r.read()
            with lock:
                if r.status == 200:
                    acked.append(json.loads(data)["prediction_id"])
                elif r.status != 503:
                    bad.append(f"{r.status} {data[:200]!r}")
            if r.getheader("Connection", "").lower() == "close":
                conn.close(); conn = None
        except (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected, BrokenPipeError):
            # Refused or closed between requests (after SIGTERM): not an answered request.
            with lock:
                refused[0] += 1
            conn = None
            if time.time() > stop_at:
                return
            time.sleep(0.01)
        except Exception as e:  # a half response, a bad JSON body...
            with lock:
                bad.append(repr(e))
            return
threads = [threading.Thread(target=client, args=(i,)) for i in range(16)]
for t in threads: t.start()
time.sleep(1.5)
t0 = time.time()
os.kill(pid, signal.SIGTERM)
print(f"sigterm after {len(acked)} answers", flush=True)
for t in threads: t.join()
open(out, "w").write("\n".join(acked) + "\n")
print(f"acked {len(acked)} bad {len(bad)} refused {refused[0]}")
for b in bad[:10]: print("bad:", b)
PY
loader=$!
# The load script sends the SIGTERM; a second one would hit the default handler. Wait for the exit.
until grep -q '^sigterm' "$WORK/load.out" 2>/dev/null; do sleep 0.01; done
t0=$(now_ms)
server_wait
shutdown_ms=$(($(now_ms) - t0))
wait "$loader" || true
cat "$WORK/load.out"
acked=$(grep -c . "$WORK/acked.txt" || true)
read -r _ _ _ bad _ refused < <(grep '^acked' "$WORK/load.out")
check "server exit 0 after SIGTERM under load (got $SERVER_RC)" test "$SERVER_RC" -eq 0
check "no half or failed answer ($bad)" test "$bad" -eq 0
check "requests were answered ($acked)" test "$acked" -gt 50
check "nothing lost at stop (log)" grep -q '"lost_at_stop":0' "$WORK/serve.log"
sqlite3 "$WORK/pdex.sqlite" 'SELECT id FROM predictions' | sort >"$WORK/stored.txt"
sort "$WORK/acked.txt" | grep . >"$WORK/acked.sorted"
missing=$(comm -23 "$WORK/acked.sorted" "$WORK/stored.txt" | wc -l)
check "every acknowledged prediction is in the database ($acked acknowledged, $missing missing)" test "$missing" -eq 0
figure "SIGTERM under load (16 clients): $acked predictions acknowledged, $missing lost, $bad failed answers, server exited ${shutdown_ms} ms after SIGTERM"
finish
