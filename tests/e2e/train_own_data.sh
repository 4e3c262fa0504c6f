#!/usr/bin/env bash
# A user retrains on a small file of their own: a CSV given by mistake is
# named once as what it is (not one "invalid JSON" a line, yet every line
# counted), a bundle without figures says how to get them, and the report's
# figures say what they are: macro-F1 over the classes present ("-" for a
# class neither labelled nor predicted, not 0), Spearman of what against
# what, and the grid's chosen point marked as optimistic. The bundle scores
# at once.
. "$(dirname "$0")/lib/common.sh"
T="$DM_BIN/demarche-train"
S="$DM_BIN/demarche-score"

# A CSV of 1 header and 3 rows, given as training data.
printf 'text,hostility\n"Russia must withdraw its troops now.",3\n"We thank France for its help.",0\n"Moscow lies.",3\n' >"$TMP/mine.csv"
expect_status 1 "train: a CSV is refused" -- "$T" -o "$TMP/m" "$TMP/mine.csv"
expect_grep "mine.csv:1: not JSON Lines: this looks like a CSV or TSV header \(\"text,hostility\"\)" "$TMP/err" "train: the CSV named as such"
expect_grep "mine.csv:2: and 3 more lines \(2-4\) that are not JSON either" "$TMP/err" "train: the other lines named once"
n=$(grep -c 'invalid JSON' "$TMP/err"); [ "$n" -eq 0 ] && ok "train: no invalid-JSON line per row" || fail "train: $n invalid-JSON lines"
expect_grep "^demarche-train: 1 input, 0 statements .*, 4 errors, " "$TMP/err" "train: every line counted in the summary"
[ ! -e "$TMP/m" ] && ok "train: no bundle" || fail "train: a bundle was written from a CSV"

# The same data as JSON Lines: 2 classes of 5 present.
python3 - "$TMP/mine.jsonl" <<'PY'
import json, sys
hostile = ["Russia must withdraw its troops now.", "We condemn the brutal attacks by Moscow.",
           "The regime in Tehran lies and threatens its neighbours."]
kind = ["We thank France for its help.", "We welcome the talks with China.",
        "Germany has been a steadfast partner."]
with open(sys.argv[1], "w") as f:
    for i in range(24):
        h = i % 2 == 0
        t = (hostile if h else kind)[i // 2 % 3] + " (%d)" % i
        f.write(json.dumps({"id": "m%d" % i, "text": t, "hostility": 3 if h else 0}) + "\n")
PY
# One broken line: the file is refused whole, and the summary still counts
# what was read in it (it said "0 statements").
{ head -5 "$TMP/mine.jsonl"; echo '{"text": broken'; tail -n +6 "$TMP/mine.jsonl"; } >"$TMP/onebad.jsonl"
expect_status 1 "train: a file with one bad line" -- "$T" -j 1 -v 3 "$TMP/onebad.jsonl"
expect_grep "onebad.jsonl:6: invalid JSON" "$TMP/err" "train: the bad line named"
expect_grep "^demarche-train: 1 input, 24 statements \(24 hostility, 0 stance labels\), 24 of them in files refused for their errors, 1 error, " \
  "$TMP/err" "train: the summary counts what the refused file held"
expect_status 0 "train: a bundle without -v" -- "$T" -j 1 -o "$TMP/m" "$TMP/mine.jsonl"
expect_grep "note: .*m has no evaluation figures: -v 5 .*--eval" "$TMP/err" "train: says how to evaluate"
expect_status 0 "score: the new bundle scores at once" -- "$S" --json --model "$TMP/m" --text "Russia must withdraw."
expect_grep '"hostility":\{"level":[0-4]' "$TMP/out" "score: a hostility score from the new bundle"
expect_status 0 "train: -v 4" -- "$T" -j 1 -v 4 "$TMP/mine.jsonl"
expect_grep "macro-F1 [01]\.[0-9]{4} \(over the 2 classes present\)" "$TMP/out" "report: macro-F1 says over which classes"
expect_grep "Spearman -?[01]\.[0-9]{4} \(gold level vs expected level\)" "$TMP/out" "report: Spearman says of what"
expect_grep "^  1 +- +- +- +0$" "$TMP/out" "report: an absent class is -, not 0"
expect_status 0 "train: --grid" -- "$T" -j 1 --grid -v 3 "$TMP/mine.jsonl"
expect_grep "the best of 7 grid points by these same folds: optimistic" "$TMP/out" "report: grid figures marked optimistic"
# The grid's figure without the optimism: nested CV, after the grid's own
# report; the same bytes on one thread and two; usage errors for what it is not.
expect_status 0 "train: --grid --nested" -- "$T" -j 1 --grid --nested -v 3 "$TMP/mine.jsonl"
expect_grep "^nested cross-validation of the grid search \(3 outer folds, each choosing by a 3-fold CV" "$TMP/out" "report: nested CV headed"
expect_grep "^  hostility +3 +[0-9.e+]+ +0 +[01]\.[0-9]{4}$" "$TMP/out" "report: each outer fold's chosen C"
expect_grep "^hostility \(nested 3-fold cross-validation of the grid search" "$TMP/out" "report: the nested figure named"
[ "$(grep -n 'grid search (3-fold' "$TMP/out" | cut -d: -f1)" -lt "$(grep -n '^nested cross-validation' "$TMP/out" | cut -d: -f1)" ] \
  && ok "report: the grid's report first" || fail "report: nested before the grid"
grep -v '^time ' "$TMP/out" >"$TMP/nested1"
expect_status 0 "train: --grid --nested -j 2" -- "$T" -j 2 --grid --nested -v 3 "$TMP/mine.jsonl"
grep -v '^time ' "$TMP/out" >"$TMP/nested2"
cmp -s "$TMP/nested1" "$TMP/nested2" && ok "nested: same report for -j 1 and -j 2" || fail "nested: -j 2 differs"
expect_status 0 "train: --grid --nested --json" -- "$T" -j 1 --grid --nested --json -v 3 "$TMP/mine.jsonl"
[ "$(wc -l <"$TMP/out")" -eq 2 ] && ok "json: the grid's object, then the nested one" || fail "json: $(wc -l <"$TMP/out") lines"
tail -1 "$TMP/out" | jq -e '.nested == true and (.grid | length) == 3 and .grid[0].outer_fold == 1 and (.hostility.macro_f1 | type) == "number"' >/dev/null \
  && ok "json: nested object" || fail "json: nested object: $(tail -1 "$TMP/out" | head -c 300)"
expect_status 2 "train: --nested without --grid" -- "$T" -j 1 --nested -v 3 "$TMP/mine.jsonl"
expect_grep "--nested estimates a grid search: give it with --grid" "$TMP/err" "usage: --nested needs --grid"
# Folds by group: the heading says how the folds were made and what N counts.
jq -c 'input_line_number as $n | . + {group: (["a","b","c"][($n - 1) % 3])}' "$TMP/mine.jsonl" >"$TMP/grouped.jsonl"
expect_status 0 "train: --cv-by-group" -- "$T" -j 1 --cv-by-group "$TMP/grouped.jsonl"
expect_grep "^hostility \(leave-one-group-out cross-validation, 3 groups; N: the grouped statements, C=" "$TMP/out" \
  "report: leave-one-group-out named as such"
expect_status 2 "train: --nested --cv-by-group" -- "$T" -j 1 --grid --nested --cv-by-group "$TMP/grouped.jsonl"
expect_grep "--nested is by statements: not with --cv-by-group" "$TMP/err" "usage: --nested is by statements"
expect_status 0 "train: --cv-by-group -v 2" -- "$T" -j 1 --cv-by-group -v 2 "$TMP/grouped.jsonl"
expect_grep "^hostility \(2-fold cross-validation by whole groups; N: the grouped statements" "$TMP/out" \
  "report: group folds named as such"
# More folds than statements: the message says what is needed, plainly.
head -3 "$TMP/mine.jsonl" >"$TMP/three.jsonl"
expect_status 1 "train: -v 5 on 3 statements" -- "$T" -j 1 -v 5 "$TMP/three.jsonl"
expect_grep "5-fold cross-validation needs at least 5 statements \(the data has 3" "$TMP/err" "train: fold count message"
# A JSON array of records (json.dump, pandas): one error naming the fix, in
# demarche-train and demarche-chart, not one "invalid JSON" a line.
jq -s . "$TMP/mine.jsonl" >"$TMP/mine.json"
expect_status 1 "train: a JSON array" -- "$T" -j 1 -v 3 "$TMP/mine.json"
expect_grep "mine.json:1: a JSON array, not JSON Lines .*jq -c" "$TMP/err" "train: the array named, with the fix"
expect_grep "^demarche-train: 1 input, 0 statements .*, 1 error, " "$TMP/err" "train: one error"
jq -s . "$DM_SOURCE_DIR/tests/data/chart-input.jsonl" >"$TMP/scored.json"
expect_status 1 "chart: a JSON array" -- "$DM_BIN/demarche-chart" --min-n 1 "$TMP/scored.json"
expect_grep "scored.json:1: a JSON array, not JSON Lines .*jq -c" "$TMP/err" "chart: the array named, with the fix"
[ "$(grep -c 'invalid JSON' "$TMP/err")" -eq 0 ] && ok "chart: no invalid-JSON line per line" || fail "chart: invalid-JSON lines"
finish
