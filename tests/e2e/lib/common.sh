# Shared helpers for the end-to-end tests (sourced, not run by ctest).
set -u
: "${DM_SOURCE_DIR:?DM_SOURCE_DIR must be set (ctest sets it)}"
: "${DM_BIN:?DM_BIN must be set (ctest sets it)}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILED=0
PASSED=0

ok()   { PASSED=$((PASSED + 1)); echo "ok - $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL - $1" >&2; }

# expect_status WANT DESCRIPTION -- command...
expect_status() {
  local want=$1 desc=$2; shift 3
  "$@" >"$TMP/out" 2>"$TMP/err"
  local got=$?
  if [ "$got" -eq "$want" ]; then ok "$desc (exit $got)"; else
    fail "$desc: exit $got, wanted $want"; sed 's/^/  stderr: /' "$TMP/err" | head -20 >&2; fi
}

# expect_grep PATTERN FILE DESCRIPTION
expect_grep() {
  if grep -qE -- "$1" "$2"; then ok "$3"; else fail "$3: /$1/ not in $2"; head -20 "$2" | sed 's/^/  /' >&2; fi
}

# skip REASON: the test cannot run here. The reason goes to stdout, where
# scripts/ctest-skips.sh (run by scripts/test.sh) finds it for the summary.
skip() { echo "skip: $*"; exit 77; }

finish() {
  echo "$PASSED passed, $FAILED failed"
  [ "$FAILED" -eq 0 ]
}
