# Shared by the script tests that run `pdex serve` (sourced, not run): start a server on a free port, wait
# until it listens, stop it with a signal and keep its exit code, and stop whatever is left from an EXIT trap.
# Callers set PDEX (the binary). Servers listen on 127.0.0.1, port 0 (the kernel picks a free one); the port
# is read from the server's own `"msg":"listening"` log line, so there is no race with other processes.
#
#   server_start [OPTIONS] [--] [ARGS...]
#     Runs `$PDEX serve --host 127.0.0.1 --port 0 ARGS...` in the background and waits for its "listening"
#     line. Sets SERVER_PID, SERVER_PORT, BASE (http://127.0.0.1:PORT) and SERVER_LOG. On timeout, or if the
#     server exits first, prints why with the end of its log on stderr, stops it and returns 1 (never exits).
#     --log FILE      stdout, and stderr unless --err is given (required)
#     --err FILE      stderr apart (for tests that read stdout as JSON lines)
#     --env NAME=VAL  extra environment for this server only (repeatable)
#     --dir DIR       the server's working directory
#     --via CMD       runs CMD with the server command as its arguments, e.g. a shell function that sets a
#                     ulimit; a function must end with `exec "$@"` so that SERVER_PID is the server's own pid
#     --cmd           ARGS are the whole command instead of a `pdex serve` (it must start one that logs its
#                     "listening" line, e.g. the Docker entry point)
#     --timeout SECS  how long to wait for the "listening" line, whole seconds (default 30)
#   server_stop [SIGNAL [PID]]   sends SIGNAL (default TERM) to PID (default SERVER_PID), then server_wait
#   server_wait [PID]            waits for PID (default SERVER_PID) to exit, at most SERVER_STOP_TIMEOUT s
#                                (default 60; then SIGKILL and a message); sets SERVER_RC, clears SERVER_PID
#                                if it was that server
#   server_cleanup [SIGNAL]      for EXIT traps: stops every server still running (SIGNAL, default TERM, then
#                                SIGKILL after 5 s); never fails
# Several servers may run at once (each start overwrites SERVER_PID/SERVER_PORT/BASE: copy them). Call these
# in the test's own shell, not in $(...) or a pipeline: they keep the list of running servers in variables.

SERVER_PID=""
SERVER_PORT=""
SERVER_RC=""
BASE=""
SERVER_LOG=""
SERVER_STOP_TIMEOUT=${SERVER_STOP_TIMEOUT:-60}
_server_live=()  # pids started and not yet waited for

server_start() {
  local log="" err="" dir="" via="" whole=0 timeout=30
  local envs=()
  while (($#)); do
    case $1 in
      --log) log=$2; shift 2 ;;
      --err) err=$2; shift 2 ;;
      --env) envs+=("$2"); shift 2 ;;
      --dir) dir=$2; shift 2 ;;
      --via) via=$2; shift 2 ;;
      --cmd) whole=1; shift ;;
      --timeout) timeout=$2; shift 2 ;;
      --) shift; break ;;
      *) break ;;
    esac
  done
  [[ -n "$log" ]] || { echo "server_start: --log FILE is required" >&2; return 2; }
  local cmd=()
  [[ -n "$via" ]] && cmd+=("$via")
  ((${#envs[@]})) && cmd+=(env "${envs[@]}")
  if ((whole)); then
    cmd+=("$@")
  else
    cmd+=("$PDEX" serve --host 127.0.0.1 --port 0 "$@")
  fi
  # A subshell of its own (for --dir and --via) that becomes the server through exec.
  (
    exec >"$log"
    if [[ -n "$err" ]]; then exec 2>"$err"; else exec 2>&1; fi
    if [[ -n "$dir" ]]; then cd "$dir" || exit 126; fi
    if [[ $(type -t "${cmd[0]}") == function ]]; then "${cmd[@]}"; else exec "${cmd[@]}"; fi
  ) &
  SERVER_PID=$!
  SERVER_LOG=$log
  _server_live+=("$SERVER_PID")
  SERVER_PORT=""
  BASE=""
  local deadline=$(($(date +%s%N) + timeout * 1000000000)) why=""
  while :; do
    SERVER_PORT=$(grep -o '"msg":"listening".*"port":[0-9]*' "$log" 2>/dev/null | sed -n 1p | grep -o '[0-9]*$' || true)
    [[ -n "$SERVER_PORT" ]] && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
      server_wait
      why="exited with code $SERVER_RC before listening"
      break
    fi
    if (($(date +%s%N) >= deadline)); then
      why="did not log \"listening\" within ${timeout} s"
      server_stop KILL
      break
    fi
    sleep 0.05
  done
  if [[ -z "$SERVER_PORT" ]]; then
    {
      echo "server_start: '${cmd[*]}' $why; last lines of $log:"
      tail -n 40 "$log"
      [[ -n "$err" ]] && { echo "--- $err:"; tail -n 40 "$err"; }
    } >&2
    return 1
  fi
  BASE="http://127.0.0.1:$SERVER_PORT"
}

server_stop() {
  local pid=${2:-$SERVER_PID}
  [[ -n "$pid" ]] || { echo "server_stop: no server" >&2; return 1; }
  kill "-${1:-TERM}" "$pid" 2>/dev/null || true
  server_wait "$pid"
}

server_wait() {
  local pid=${1:-$SERVER_PID} t0
  [[ -n "$pid" ]] || { echo "server_wait: no server" >&2; return 1; }
  t0=$(date +%s)
  while kill -0 "$pid" 2>/dev/null; do
    if (($(date +%s) - t0 >= SERVER_STOP_TIMEOUT)); then
      echo "server_wait: server $pid still running after ${SERVER_STOP_TIMEOUT} s: SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.01  # fine-grained: tests time their shutdowns with it
  done
  SERVER_RC=0
  wait "$pid" 2>/dev/null || SERVER_RC=$?
  local rest=() p
  for p in "${_server_live[@]}"; do [[ $p == "$pid" ]] || rest+=("$p"); done
  _server_live=("${rest[@]}")
  [[ $pid == "$SERVER_PID" ]] && SERVER_PID=""
  return 0
}

server_cleanup() {
  local p
  for p in "${_server_live[@]}"; do kill "-${1:-TERM}" "$p" 2>/dev/null || true; done
  for p in "${_server_live[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  _server_live=()
  SERVER_PID=""
  return 0
}
