#!/bin/sh
# Checks that data/lgpe-dex.json is exactly what scripts/export-dex makes from the pinned npm packages.
# Exit 77 (CTest SKIP_RETURN_CODE) when the npm packages are not installed.
root="${PDEX_SOURCE_DIR:-$(cd "$(dirname "$0")/.." && pwd)}"
cd "$root" || exit 1
if [ ! -d node_modules/@pkmn/dex ] || [ ! -d node_modules/@pkmn/mods ] || [ ! -d node_modules/pokemon ] ||
   [ ! -d node_modules/pokemon-showdown ]; then
  echo "SKIP: node_modules missing (run npm ci)"
  exit 77
fi
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node not installed"
  exit 77
fi
node scripts/export-dex --check
