#!/usr/bin/env bash
# Security sweep of a running `pdex serve` driven by docs/openapi.json (scopes, headers, error bodies, secrets
# in logs): tests/security/security_sweep.py. Usage: tests/security_sweep_test.sh [PDEX]
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 tests/security/security_sweep.py "${1:-${PDEX_BIN:-build/release/src/cli/pdex}}"
