#!/usr/bin/env bash
# demarche-train --grid (issue 17 item 4): every grid point with its
# cross-validation figures is in the report itself, not only in progress
# notes on a terminal: the text report's table, --json's "grid" array, and
# the bundle manifest's cross_validation.grid (as libsvm's grid.py prints
# every point and writes them to a file).
. "$(dirname "$0")/lib/common.sh"
T="$DM_BIN/demarche-train"
L="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
export DEMARCHE_DATA="$DM_SOURCE_DIR"

# stderr is not a terminal here: the table must come with the report.
expect_status 0 "--grid --json" -- "$T" -q --grid -v 3 --hash-bits 12 --json "$L"
jq -e '(.grid | length) == 14
       and ([.grid[] | select(.task == "hostility")] | length) == 7
       and ([.grid[] | select(.task == "stance")] | length) == 7
       and all(.grid[]; has("C") and has("gamma") and has("macro_f1") and has("accuracy") and has("best"))
       and ([.grid[] | select(.best)] | length) == 2
       and ([.grid[] | select(.best and .task == "hostility")][0].C == .hostility.C)
       and ([.grid[] | select(.best and .task == "stance")][0].C == .stance.C)' "$TMP/out" >/dev/null \
  && ok "--json: every grid point, the chosen one marked and equal to the report's C" \
  || fail "--json grid: $(head -c 400 "$TMP/out")"
cp "$TMP/out" "$TMP/grid.json"

expect_status 0 "--grid text report" -- "$T" -q --grid -v 3 --hash-bits 12 "$L"
expect_grep "^grid search \(3-fold cross-validation" "$TMP/out" "text: the grid table heads the report"
[ "$(grep -cE '^[ *] (hostility|stance) +[0-9.e+-]+ +[0-9.e+-]+ +[0-9.]+ +[0-9.]+' "$TMP/out")" -eq 14 ] \
  && ok "text: 14 rows (7 C values x 2 tasks)" || fail "text grid rows: $(grep -c . "$TMP/out") lines: $(head -20 "$TMP/out")"
[ "$(grep -c '^\* ' "$TMP/out")" -eq 2 ] && ok "text: one chosen point per task" || fail "text: chosen points: $(grep '^\*' "$TMP/out")"

# The bundle's manifest keeps the same table.
expect_status 0 "--grid -o" -- "$T" -q --grid -v 3 --hash-bits 12 -o "$TMP/m" "$L"
jq -e --slurpfile r "$TMP/grid.json" '[.cross_validation.grid[] | [.task, .C, .best, (.macro_f1 * 1e6 | round)]] == [$r[0].grid[] | [.task, .C, .best, (.macro_f1 * 1e6 | round)]]' "$TMP/m/manifest.json" >/dev/null \
  && ok "manifest: cross_validation.grid is the --json table" \
  || fail "manifest grid: $(jq -c .cross_validation.grid "$TMP/m/manifest.json" | head -c 300)"

# Without --grid: no grid table.
expect_status 0 "-v 3 --json" -- "$T" -q -v 3 --hash-bits 12 --json "$L"
jq -e 'has("grid") | not' "$TMP/out" >/dev/null && ok "plain CV: no grid key" || fail "plain CV has a grid"
finish
