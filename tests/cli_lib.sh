# Check helpers for the script tests (source it): pass and fail count into $failures; run and the expect_*
# helpers drive the `pdex` command and need $PDEX and $work set.
# Each check prints "ok ..." or "FAIL ..." and counts failures in $failures; the test ends with its own summary.

failures=0
pass() { echo "ok   $*"; }
fail() {
  echo "FAIL $*" >&2
  failures=$((failures + 1))
}

# run ARGS...: runs pdex; sets $rc, $out (stdout), $err (stderr).
run() {
  set +e
  "$PDEX" "$@" >"$work/stdout" 2>"$work/stderr"
  rc=$?
  set -e
  out=$(cat "$work/stdout")
  err=$(cat "$work/stderr")
}

expect_rc() {  # NAME EXPECTED
  if [[ "$rc" -eq "$2" ]]; then pass "$1 (exit $rc)"; else fail "$1: exit $rc, expected $2; stderr: $err"; fi
}
expect_contains() {  # NAME HAYSTACK NEEDLE
  if [[ "$2" == *"$3"* ]]; then pass "$1"; else fail "$1: '$3' not in: $2"; fi
}
expect_absent() {  # NAME HAYSTACK NEEDLE
  if [[ "$2" != *"$3"* ]]; then pass "$1"; else fail "$1: '$3' found in: $2"; fi
}
