#!/usr/bin/env bash
# Builds the .deb from a build directory with CPack and checks it (docs/packaging.md):
#   tests/packaging/deb_package_test.sh BUILD_DIR
# Checks: `cpack -G DEB` succeeds; dpkg-deb -I: name, version = the project version, Depends computed by
# dpkg-shlibdeps (SOCI, XGBoost, spdlog, OpenSSL, libc), conffiles, maintainer scripts; dpkg-deb -c: the
# binary in /usr/bin, game data and configs in /usr/share/predictiondex, the web app when web/dist is built,
# the systemd unit, sysusers file and environment file; the packaged binary reports the version and git hash
# and imports the packaged game data from the packaged working directory; `systemd-analyze verify` finds
# nothing to say about the unit and `systemd-analyze security --offline` rates it 2.0 or better.
set -euo pipefail
cd "$(dirname "$0")/../.."

build=${1:?usage: deb_package_test.sh BUILD_DIR}
[[ -f "$build/CPackConfig.cmake" ]] || { echo "deb_package_test: $build/CPackConfig.cmake missing" >&2; exit 2; }
command -v dpkg-deb >/dev/null || { echo "deb_package_test: dpkg-deb not installed" >&2; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
source tests/cli_lib.sh  # pass, fail, $failures
expect() { if grep -qE "$2" <<<"$3"; then pass "$1"; else fail "$1: /$2/ not in: $3"; fi; }

version=$(sed -n 's/^project(PredictionDex VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
start=$(date +%s)
if ! cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1; then
  fail "cpack -G DEB: $(tail -20 "$work/cpack.log")"
  exit 1
fi
deb=$(ls "$work"/out/*.deb)
pass "cpack -G DEB built $(basename "$deb") ($(($(stat -c %s "$deb") / 1024)) KiB, $(($(date +%s) - start)) s)"

info=$(dpkg-deb -I "$deb")
expect "package name" '^ Package: predictiondex$' "$info"
expect "version is the project version ($version)" "^ Version: ${version//./\\.}$" "$info"
depends=$(sed -n 's/^ Depends: //p' <<<"$info")
for lib in libc6 libsoci-core4.0 libsoci-sqlite3-4.0 libsoci-postgresql4.0 libxgboost0 "libspdlog1.10(-fmt9)?" libssl3 libjemalloc2 libstdc\\+\\+6; do
  expect "Depends (dpkg-shlibdeps) has $lib" "(^|, )$lib( |,|$)" "$depends"
done
expect "conffiles" '^ .* conffiles' "$info"
for s in postinst prerm postrm; do expect "maintainer script $s" "^ .* $s" "$info"; done
conffiles=$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)
expect "pdex.env is a conffile" '^/etc/predictiondex/pdex.env$' "$conffiles"

contents=$(dpkg-deb -c "$deb")
for f in ./usr/bin/pdex ./usr/share/predictiondex/data/lgpe-dex.json ./usr/share/predictiondex/configs/gates.json \
  ./usr/share/predictiondex/configs/model.json ./usr/share/predictiondex/configs/dataset.json \
  ./usr/lib/systemd/system/pdex.service ./usr/lib/sysusers.d/predictiondex.conf ./etc/predictiondex/pdex.env \
  ./usr/share/doc/predictiondex/packaging.md; do
  expect "contains $f" " ${f//./\\.}$" "$contents"
done
if [[ -f web/dist/index.html ]]; then
  expect "contains the web app" ' \./usr/share/predictiondex/web/dist/index\.html$' "$contents"
else
  echo "note web/dist not built: web app not expected in the package"
fi
expect "pdex is executable" '^-rwxr-xr-x .* \./usr/bin/pdex$' "$contents"
if grep -qE ' \./(usr/local|home|root|work)/' <<<"$contents"; then fail "files outside the FHS layout"; else
  pass "files only under /usr and /etc"; fi

# The packaged files, unpacked: the binary runs from the packaged working directory with packaged data.
dpkg-deb -x "$deb" "$work/root"
out=$("$work/root/usr/bin/pdex" --version)
hash=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
[[ "$out" == "pdex $version ($hash)" ]] && pass "packaged pdex --version: $out" ||
  fail "packaged pdex --version: '$out', expected 'pdex $version ($hash)'"
mkdir -p "$work/state"
if (cd "$work/root/usr/share/predictiondex" &&
  PDEX_DATA_DIR="$work/state" PDEX_DEX_FILE="$work/root/usr/share/predictiondex/data/lgpe-dex.json" \
    "$work/root/usr/bin/pdex" db init >/dev/null &&
  PDEX_DATA_DIR="$work/state" PDEX_DEX_FILE="$work/root/usr/share/predictiondex/data/lgpe-dex.json" \
    "$work/root/usr/bin/pdex" db import >/dev/null) 2>"$work/err"; then
  pass "packaged pdex imports the packaged game data"
else
  fail "packaged db init/import: $(cat "$work/err")"
fi

# The unit, with its binary paths pointed at the unpacked copy (systemd-analyze checks they are executable).
if command -v systemd-analyze >/dev/null; then
  sed "s|/usr/bin/pdex|$work/root/usr/bin/pdex|g" "$work/root/usr/lib/systemd/system/pdex.service" >"$work/pdex.service"
  msg=$(systemd-analyze verify "$work/pdex.service" 2>&1) && [[ -z "$msg" ]] && pass "systemd-analyze verify: clean" ||
    fail "systemd-analyze verify: $msg"
  level=$(systemd-analyze security --offline=true "$work/pdex.service" 2>&1 | sed -n 's/.*Overall exposure level for pdex.service: \([0-9.]*\).*/\1/p')
  if [[ -n "$level" ]] && awk -v l="$level" 'BEGIN {exit !(l <= 2.0)}'; then
    pass "systemd-analyze security: exposure $level (<= 2.0)"
  else
    fail "systemd-analyze security: exposure '${level:-?}' (want <= 2.0)"
  fi
  for k in 'User=pdex' 'StateDirectory=predictiondex' 'ProtectSystem=strict' 'NoNewPrivileges=yes' \
    'EnvironmentFile=-/etc/predictiondex/pdex.env'; do
    grep -qx "$k" "$work/pdex.service" && pass "unit: $k" || fail "unit lacks $k"
  done
else
  echo "note systemd-analyze not installed: unit not verified"
fi

if ((failures > 0)); then
  echo "deb_package_test: $failures failure(s)" >&2
  exit 1
fi
echo "deb_package_test: all passed"
