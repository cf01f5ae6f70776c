#!/bin/bash
# Entry point of the PredictionDex image (Dockerfile).
#   serve [OPTIONS]   create or migrate the schema, import the game data (both idempotent), then `pdex serve`
#   bootstrap         the same preparation, then `pdex pipeline run --promote`: dataset, training, evaluation,
#                     registration and promotion when no production model exists yet (steps whose inputs did
#                     not change are skipped, so a second run is quick); docker-compose.yml runs it once
#   anything else     passed to pdex as is (e.g. `apikey create --scopes read,predict --name web`)
set -euo pipefail

prepare() {
  pdex db init
  pdex db import
}

case "${1:-serve}" in
  serve)
    shift || true
    prepare
    exec pdex serve "$@"
    ;;
  bootstrap)
    prepare
    exec pdex pipeline run --promote
    ;;
  *)
    exec pdex "$@"
    ;;
esac
