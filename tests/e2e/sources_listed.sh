#!/usr/bin/env bash
# CMakeLists.txt lists every source and test by name (no file(GLOB), issue
# 12): a file that exists but is not listed would silently not be built or
# not be run. Each must appear in its CMakeLists.txt.
. "$(dirname "$0")/lib/common.sh"
cd "$DM_SOURCE_DIR" || exit 1
top=CMakeLists.txt
fuzz=tests/fuzz/CMakeLists.txt
# listed NAME FILE WHAT: NAME is a whole word of FILE
listed() {
  if grep -qE "(^|[[:space:]/])$1([[:space:].)]|\$)" "$2"; then ok "$3 is listed"; else fail "$3 exists but is not in $2"; fi
}
for f in src/*/*.c; do
  case $f in
    src/frontend/demarche-*.c) listed "$(basename "$f" .c)" "$top" "$f" ;;
    *) listed "$f" "$top" "$f" ;;
  esac
done
for f in tests/unit/test_*.c examples/*.c bench/*.c tests/e2e/*.sh; do
  listed "$(basename "${f%.*}")" "$top" "$f"
done
for f in tests/fuzz/fuzz_*.c; do
  listed "$(basename "$f" .c)" "$fuzz" "$f"
done
if grep -n "^[^#]*file(GLOB" "$top" "$fuzz"; then fail "file(GLOB) is back"; else ok "no file(GLOB)"; fi
finish
