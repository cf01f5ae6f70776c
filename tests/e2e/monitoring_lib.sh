# Shared by the monitoring tests (sourced): a tiny real model bundle, a pdex server on a free port
# (tests/server_lib.sh), free ports for Prometheus and Alertmanager. Callers set PDEX (the binary) and WORK (a
# temporary directory) and call stop_started in their EXIT trap: it stops the server and what they started
# themselves (pids in $WORK/*.pid).
source "$(dirname "${BASH_SOURCE[0]}")/../server_lib.sh"

# A free TCP port on 127.0.0.1 (asked from the kernel, then released: a tiny race, fine on a test machine).
free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close();});'
}

# A real bundle trained on a small dataset (about 2 000 battles, 30 rounds: a few seconds) in $WORK/model.
build_tiny_model() {
  cat >"$WORK/dataset.json" <<'JSON'
{"seed": 7, "scenarios": {"fixed_pair": 600, "greedy_best": 600, "random_moveset": 600}, "max_moves": 4,
 "level50_fraction": 0.6, "other_levels": [10, 20, 30, 40, 60, 70, 80, 90, 100], "mc_n": 20,
 "splits": {"train": 0.8, "validation": 0.1}, "turn_limit": 500, "chunk_size": 256}
JSON
  cat >"$WORK/model-config.json" <<'JSON'
{"kind": "gbtree", "label": "winner",
 "xgboost": {"num_boost_round": 30, "max_depth": 4, "eta": 0.3, "seed": 3, "nthread": 1}}
JSON
  PDEX_DATA_DIR="$WORK" "$PDEX" dataset build --config "$WORK/dataset.json" --out "$WORK/dataset" --threads 1 --quiet \
    >/dev/null
  PDEX_DATA_DIR="$WORK" "$PDEX" model train --dataset "$WORK/dataset" --config "$WORK/model-config.json" \
    --out "$WORK/model" --quiet >/dev/null
}

# Starts `pdex serve` on a free port with the tiny model (extra environment from the caller's exports);
# sets PDEX_PORT_USED (and server_lib's SERVER_PID, BASE). Log in $WORK/serve.log.
start_pdex() {
  server_start --log "$WORK/serve.log" --env PDEX_DATA_DIR="$WORK" -- --model "$WORK/model" || return 1
  PDEX_PORT_USED=$SERVER_PORT
}

stop_started() {
  local f
  server_cleanup
  for f in "$WORK"/*.pid; do
    [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null || true
  done
  for f in "$WORK"/*.pid; do
    [[ -f "$f" ]] || continue
    for _ in $(seq 1 50); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.1; done
  done
}
