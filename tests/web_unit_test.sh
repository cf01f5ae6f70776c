#!/usr/bin/env bash
# The web app's unit tests (vitest: type math, quiz, i18n, API error mapping, Prometheus parsing).
# Exit 77 (skipped) without node or node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v node >/dev/null 2>&1 && [[ -x node_modules/.bin/vitest ]] || { echo "SKIP: node_modules missing (scripts/setup)"; exit 77; }
VITE_CONFIG_NATIVE_IGNORE_WARNING=true exec node_modules/.bin/vitest run --config web/vite.config.ts --reporter=dot
