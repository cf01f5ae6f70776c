#!/bin/bash
# Container health check: GET /health on the server's own port must answer 200 with "status":"ok".
# Bash's /dev/tcp keeps an HTTP client out of the runtime image. PDEX_PORT: the port the server listens on.
#   pdex-healthcheck [PORT]      exit 0 healthy, 1 not
set -uo pipefail
port=${1:-${PDEX_PORT:-8000}}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&3
response=$(timeout 4 cat <&3) || exit 1
[[ $response == "HTTP/1.1 200 "* && $response == *'"status":"ok"'* ]]
