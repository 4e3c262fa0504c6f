#!/usr/bin/env bash
# Print why each skipped test skipped, from ctest's log, so that the reason
# shows without `ctest -V` (ctest itself prints only "Skipped").
# usage: scripts/ctest-skips.sh [BUILD_DIR]   (default: build)
# A test says why by printing a line starting with "skip:" or "skipped:"
# (tests/e2e/lib/common.sh: skip REASON; cmocka tests: print_message).
set -u
log="${1:-build}/Testing/Temporary/LastTest.log"
[ -f "$log" ] || exit 0
awk '
  /^[0-9]+\/[0-9]+ Test: / { name = $3; next }
  /^(skip|skipped): / && name != "" {
    sub(/^(skip|skipped): /, "");
    printf "skipped %s: %s\n", name, $0
  }' "$log"
