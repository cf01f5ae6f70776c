#!/usr/bin/env bash
# scripts/install-hooks and scripts/pre-commit in a scratch git repository holding this repository's scripts
# and .clang-format: a commit with a badly formatted C++ file is refused naming the file; once formatted it
# is accepted; a failing unit test in the configured build refuses the commit; an existing hook is kept and
# run; --uninstall restores it.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v clang-format >/dev/null || { echo "hooks_test: clang-format not installed (skipped)" >&2; exit 77; }
src=$(pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/pdex-hooks.XXXXXX")
trap 'rm -rf "$work"' EXIT
source "$src/tests/cli_lib.sh"  # pass, fail, $failures

repo=$work/repo
mkdir -p "$repo/scripts" "$repo/src"
cp scripts/check-format scripts/pre-commit scripts/install-hooks "$repo/scripts/"
cp .clang-format "$repo/"
cd "$repo"
git init -q .
git config user.email hooks@test && git config user.name hooks-test
printf '#!/bin/sh\necho local-hook-ran >>"%s/local.log"\n' "$work" >.git/hooks/pre-commit
chmod 755 .git/hooks/pre-commit
scripts/install-hooks >/dev/null
grep -q "installed by PredictionDex" .git/hooks/pre-commit && pass "hook installed" || fail "hook not installed"
[[ -x .git/hooks/pre-commit.local ]] && pass "existing hook kept as pre-commit.local" || fail "existing hook lost"

printf 'int  main( ){return 0;}\n' >src/bad.cc
git add -A
if PDEX_HOOK_SKIP_TESTS=1 git commit -qm bad >"$work/out" 2>&1; then
  fail "badly formatted commit accepted"
else
  grep -q "src/bad.cc differs from clang-format" "$work/out" && pass "badly formatted file refused, named" ||
    fail "refusal does not name the file: $(cat "$work/out")"
fi
grep -q local-hook-ran "$work/local.log" && pass "the kept hook runs first" || fail "the kept hook did not run"
scripts/check-format --fix
git add -A
PDEX_HOOK_SKIP_TESTS=1 git commit -qm good >"$work/out" 2>&1 && pass "formatted commit accepted" ||
  fail "formatted commit refused: $(cat "$work/out")"

# A build directory whose only unit test fails (a CTest project, no compiler needed).
mkdir -p "$work/proj" && cat >"$work/proj/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(hooktest NONE)
enable_testing()
add_test(NAME always_fails COMMAND false)
set_tests_properties(always_fails PROPERTIES LABELS unit)
add_test(NAME slow_integration COMMAND sleep 600)
set_tests_properties(slow_integration PROPERTIES LABELS "unit;integration")
CM
cmake -S "$work/proj" -B "$work/proj/build" -G Ninja >/dev/null
echo "// change" >>src/bad.cc
git add -A
if PDEX_HOOK_BUILD_DIR="$work/proj/build" timeout 50 git commit -qm failing-test >"$work/out" 2>&1; then
  fail "commit accepted with a failing unit test"
else
  grep -q "unit tests failed" "$work/out" && pass "failing unit test refuses the commit (integration tests not run)" ||
    fail "unexpected refusal: $(cat "$work/out")"
fi
sed -i 's/COMMAND false/COMMAND true/' "$work/proj/CMakeLists.txt"
cmake -S "$work/proj" -B "$work/proj/build" >/dev/null
PDEX_HOOK_BUILD_DIR="$work/proj/build" timeout 50 git commit -qm passing-test >"$work/out" 2>&1 &&
  pass "passing unit tests: commit accepted" || fail "commit refused: $(cat "$work/out")"

scripts/install-hooks --uninstall >/dev/null
grep -q local-hook-ran .git/hooks/pre-commit && pass "--uninstall restores the previous hook" ||
  fail "--uninstall did not restore the previous hook"
cd "$src"
if ((failures > 0)); then
  echo "hooks_test: $failures failure(s)" >&2
  exit 1
fi
echo "hooks_test: all passed"
