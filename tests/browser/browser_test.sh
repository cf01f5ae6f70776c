#!/usr/bin/env bash
# CTest wrapper for the browser tests: tests/browser/browser_test.sh PDEX_BINARY ARTIFACT_DIR
# (exit 77 = skipped: node, node_modules or chromium missing).
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v node >/dev/null 2>&1 || { echo "SKIP: node is not installed"; exit 77; }
exec node tests/browser/run.mjs --pdex "$1" --artifacts "$2"
