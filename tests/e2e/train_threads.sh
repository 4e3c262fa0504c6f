#!/usr/bin/env bash
# demarche-train -j N (issue 13 item 4): cross-validation folds and grid
# points run on N threads, and the bundle, the report and the messages are
# the same bytes for every N (the report's wall time aside) - with solvers
# that draw from rand() (LIBLINEAR dual, libsvm's probabilities) and Platt
# calibration, whose folds predict examples other folds train on.
. "$(dirname "$0")/lib/common.sh"
T="$DM_BIN/demarche-train"
LABELLED="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"

# The labelled set with a group per record (for --cv-by-group), 3 groups.
awk '{ sub(/^\{/, "{\"group\": \"g" NR % 3 "\", "); print }' "$LABELLED" >"$TMP/grouped.jsonl"

# same_for_all_n DESCRIPTION -- args...: -j 1, 2 and 3 give the same bytes
# (a bundle in $TMP/b.N when the args name BUNDLE).
same_for_all_n() {
  local desc=$1; shift 2
  local n rc ref_rc="" args
  for n in 1 2 3; do
    args=("${@//BUNDLE/$TMP/b.$n}")
    rm -rf "$TMP/b.$n"
    "$T" -j "$n" "${args[@]}" 2>"$TMP/err.$n" | sed -E 's/"seconds":[0-9.e+-]+//; s/^time [0-9.]+ s$//' >"$TMP/out.$n"
    rc=${PIPESTATUS[0]}
    [ -z "$ref_rc" ] && ref_rc=$rc
    if [ "$rc" -ne "$ref_rc" ]; then fail "$desc: -j $n exit $rc, -j 1 exit $ref_rc"; return; fi
  done
  if [ "$ref_rc" -ne 0 ]; then fail "$desc: exit $ref_rc"; sed 's/^/  /' "$TMP/err.1" | head >&2; return; fi
  for n in 2 3; do
    if ! cmp -s "$TMP/out.1" "$TMP/out.$n"; then
      fail "$desc: the report of -j $n differs from -j 1"; diff "$TMP/out.1" "$TMP/out.$n" | head -6 >&2; return
    fi
    if ! cmp -s "$TMP/err.1" "$TMP/err.$n"; then
      fail "$desc: stderr of -j $n differs from -j 1"; diff "$TMP/err.1" "$TMP/err.$n" | head -6 >&2; return
    fi
    if [ -d "$TMP/b.1" ] && ! diff -r "$TMP/b.1" "$TMP/b.$n" >/dev/null; then
      fail "$desc: the bundle of -j $n differs from -j 1"; return
    fi
  done
  ok "$desc: -j 1, 2, 3 identical ($(wc -c <"$TMP/out.1") bytes of report)"
}

same_for_all_n "5-fold cross-validation (logistic regression)" -- -v 5 --json "$LABELLED"
same_for_all_n "L2-loss SVC dual (draws from rand), Platt scaling" -- -s 1 -v 4 --json "$LABELLED"
same_for_all_n "a grid, text report, and the bundle trained with its best" -- \
  -s 1 --grid -v 3 -o BUNDLE "$LABELLED"
[ -f "$TMP/b.1/manifest.json" ] && ok "the grid wrote a bundle" || fail "the grid wrote no bundle"
same_for_all_n "libsvm (probabilities draw from rand)" -- --solver libsvm -v 3 --json "$LABELLED"
same_for_all_n "cross-validation by group" -- --cv-by-group --json "$TMP/grouped.jsonl"
same_for_all_n "SVR hostility, grid" -- --hostility-model svr --task hostility --grid -v 3 --json "$LABELLED"

for bad in 0 x 300; do
  expect_status 2 "-j $bad is a usage error" -- "$T" -j "$bad" -v 3 "$LABELLED"
done
"$T" --help | grep -q -- "--threads N" && ok "--help documents -j" || fail "--help does not document -j"
finish
