#!/usr/bin/env bash
# cmake --install puts the tools, lexicons and models under a prefix, and an
# installed demarche-score finds its lexicons and default model there with
# no option.
. "$(dirname "$0")/lib/common.sh"
build="$DM_BIN/.."
if ! cmake --install "$build" --prefix "$TMP/inst" >"$TMP/install.log" 2>&1; then
  fail "cmake --install"; cat "$TMP/install.log" >&2; finish; exit 1
fi
for tool in demarche-score demarche-train demarche-chart; do
  [ -x "$TMP/inst/bin/$tool" ] && ok "$tool installed" || fail "$tool not installed"
done
[ -f "$TMP/inst/share/demarche/lexicons/actors.tsv" ] && ok "lexicons installed" || fail "lexicons missing"
cd "$TMP"
unset DEMARCHE_DATA
expect_status 0 "installed --help" -- "$TMP/inst/bin/demarche-score" --help
expect_grep "default: $TMP/inst/share/demarche/models/default" "$TMP/out" "installed tool looks in its own share/"
expect_status 0 "installed tool extracts" -- "$TMP/inst/bin/demarche-score" --extract-only --jsonl -e "Russia must leave Ukraine."
expect_grep '"actor":"UKR"' "$TMP/out" "installed lexicons used"
if [ -f "$DM_SOURCE_DIR/models/default/manifest.json" ]; then
  expect_status 0 "installed tool scores with the default model" -- "$TMP/inst/bin/demarche-score" --jsonl -e "We condemn this barbaric attack."
  expect_grep '"hostility":\{"level":[0-4]' "$TMP/out" "scored with the installed model"
else
  echo "skip: no shipped model yet"
fi
finish
