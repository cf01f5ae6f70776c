# Sourced by bench/http_bench.sh and bench/thread_cpu.sh: one `pdex serve` on a free loopback port.
#
#   bench_free_port                      prints a free TCP port on 127.0.0.1
#   bench_start_server NAME LOG CMD...   runs CMD in the background (output to LOG) and waits up to 10 s for
#                                        GET /health on $BENCH_PORT; on failure prints LOG to stderr and exits 1.
#                                        Sets BENCH_SERVER (the pid). CMD is the whole command, e.g.
#                                        `env X=1 taskset -c 0 pdex serve --port "$BENCH_PORT" ...`.
#   bench_stop_server                    SIGTERM, then waits for the graceful stop (idempotent)

bench_free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

BENCH_SERVER=""
bench_start_server() {
  local name=$1 log=$2
  shift 2
  "$@" >"$log" 2>&1 &
  BENCH_SERVER=$!
  for _ in $(seq 100); do
    curl -fs "http://127.0.0.1:$BENCH_PORT/health" >/dev/null 2>&1 && return 0
    kill -0 "$BENCH_SERVER" 2>/dev/null || break  # exited: no point waiting
    sleep 0.1
  done
  echo "$name: server did not start:" >&2
  cat "$log" >&2
  exit 1
}

bench_stop_server() {
  [[ -n "$BENCH_SERVER" ]] && { kill -TERM "$BENCH_SERVER" 2>/dev/null; wait "$BENCH_SERVER" 2>/dev/null || true; }
  BENCH_SERVER=""
}
