# Shared by the monitoring tests (sourced): a tiny real model bundle, a pdex server on a free port, free
# ports for Prometheus and Alertmanager. Callers set PDEX (the binary) and WORK (a temporary directory) and
# kill what they start (pids in $WORK/*.pid) in their EXIT trap.

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
# sets PDEX_PORT_USED. Log in $WORK/serve.log.
start_pdex() {
  PDEX_DATA_DIR="$WORK" "$PDEX" serve --host 127.0.0.1 --port 0 --model "$WORK/model" >"$WORK/serve.log" 2>&1 &
  echo $! >"$WORK/pdex.pid"
  for _ in $(seq 1 100); do
    PDEX_PORT_USED=$(grep -o '"msg":"listening".*"port":[0-9]*' "$WORK/serve.log" 2>/dev/null | grep -o '"port":[0-9]*' |
      cut -d: -f2 || true)
    [[ -n "$PDEX_PORT_USED" ]] && return 0
    kill -0 "$(cat "$WORK/pdex.pid")" 2>/dev/null || break
    sleep 0.1
  done
  echo "pdex serve did not start:" >&2
  tail -5 "$WORK/serve.log" >&2
  return 1
}

stop_started() {
  local f
  for f in "$WORK"/*.pid; do
    [[ -f "$f" ]] && kill "$(cat "$f")" 2>/dev/null || true
  done
  for f in "$WORK"/*.pid; do
    [[ -f "$f" ]] || continue
    for _ in $(seq 1 50); do kill -0 "$(cat "$f")" 2>/dev/null || break; sleep 0.1; done
  done
}
