#!/usr/bin/env bash
# The README's examples stay true: every ```sh block right after a line
# "<!-- tested -->" is run with bash -euo pipefail, from a directory where
# build/bin is this build and examples/, models/, lexicons/, train/ and
# tests/ are the source tree's, and must exit 0. Mark a block for this
# test by putting the comment on the line before its fence.
. "$(dirname "$0")/lib/common.sh"
README="$DM_SOURCE_DIR/README.md"
mkdir -p "$TMP/run/build"
ln -s "$DM_BIN" "$TMP/run/build/bin"
for d in examples models lexicons train tests scripts; do ln -s "$DM_SOURCE_DIR/$d" "$TMP/run/$d"; done
awk -v dir="$TMP" '
  /^<!-- tested -->$/ { armed = 1; next }
  armed && /^```sh$/ { n++; file = sprintf("%s/block%02d.sh", dir, n); inblock = 1; armed = 0;
                        printf "" > file; next }
  inblock && /^```$/ { inblock = 0; close(file); next }
  inblock { print >> file; next }
  { armed = 0 }' "$README"
blocks=("$TMP"/block*.sh)
[ -e "${blocks[0]}" ] || { fail "no <!-- tested --> block in README.md"; finish; exit 1; }
for b in "${blocks[@]}"; do
  first=$(grep -m1 -v '^\s*#' "$b")
  if (cd "$TMP/run" && bash -euo pipefail "$b") >"$TMP/out" 2>"$TMP/err"; then
    ok "README example runs: $first"
  else
    fail "README example fails: $first"; sed 's/^/  /' "$TMP/err" | tail -5 >&2
  fi
done
echo "${#blocks[@]} README blocks run"
finish
