#!/usr/bin/env bash
# One option table for the three tools (issue 17 item 6): a short letter
# means one thing in every --help; libsvm's letters only in demarche-train;
# the old letters (score -e, chart -p -s -t) still work, with a warning;
# --json and --jsonl are one option; --actors FILE (an extra TSV merged over
# the shipped dictionary) in all three tools, without the model refusing it;
# demarche-chart --warnings=summary|all|none.
. "$(dirname "$0")/lib/common.sh"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
T="$DM_BIN/demarche-train" S="$DM_BIN/demarche-score" C="$DM_BIN/demarche-chart"
L="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"

# Every "-X, --long" or "-X ARG" at the start of a --help line, per tool.
for tool in "$T" "$S" "$C"; do
  "$tool" --help | sed -nE 's/^ {1,4}-([A-Za-z0-9])(, --([a-z-]+)| ([A-Z][A-Za-z|]*))?.*/\1 \3\4/p' \
    | sed "s|\$| $(basename "$tool")|"
done >"$TMP/letters"
awk '{ if ($1 in m && m[$1] != $2) { print "-" $1 ": " m[$1] " (" t[$1] ") and " $2 " (" $3 ")"; bad = 1 }
       m[$1] = $2; t[$1] = $3 } END { exit bad }' "$TMP/letters" >"$TMP/clash" \
  && ok "every short letter means one thing in the three --help texts ($(cut -d' ' -f1 "$TMP/letters" | sort -u | tr -d '\n'))" \
  || fail "letters with two meanings: $(cat "$TMP/clash")"
for l in s t c g p e v; do
  grep -E "^$l " "$TMP/letters" | grep -qv "demarche-train$" && fail "libsvm's -$l outside demarche-train"
done
ok "libsvm's letters (-s -t -c -g -p -e -v) only in demarche-train"
for tool in "$T" "$S" "$C"; do
  for opt in --actors --warnings --quiet --output --help --version; do
    "$tool" --help | grep -qE -- "^ +(-[a-z], )?$opt( |$)" || fail "$(basename "$tool") --help lacks $opt"
  done
done
ok "--actors, --warnings, -q, -o, -h, --version in all three --help texts"

# The old letters: accepted, with a warning naming the new spelling.
expect_status 0 "score -e (old spelling)" -- "$S" --extract-only --json -e "Russia lies."
expect_grep "warning: -e is an old spelling of --text" "$TMP/err" "score -e: the warning says --text"
[ "$(jq -r .text "$TMP/out")" = "Russia lies." ] && ok "score -e still scores its text" || fail "-e: $(cat "$TMP/out")"
expect_status 0 "score -q -e: no warning" -- "$S" -q --extract-only --json -e "Russia lies."
[ -s "$TMP/err" ] && fail "-q -e printed: $(cat "$TMP/err")" || ok "-q hides the old-spelling warning"
CH="$DM_SOURCE_DIR/tests/data/chart-input.jsonl"
expect_status 0 "chart --period --series" -- "$C" -q --min-n 1 --period month --series 'USA>RUS' "$CH"
cp "$TMP/out" "$TMP/new.csv"
expect_status 0 "chart -p -s (old spellings)" -- "$C" --min-n 1 -p month -s 'USA>RUS' "$CH"
cmp -s "$TMP/out" "$TMP/new.csv" && ok "chart -p -s: the same CSV" || fail "chart -p -s differs"
expect_grep "warning: -p is an old spelling of --period" "$TMP/err" "chart -p: the warning"
expect_grep "warning: -s is an old spelling of --series" "$TMP/err" "chart -s: the warning"

# --json and --jsonl: one option in both tools that print JSON.
expect_status 0 "score --json" -- "$S" --extract-only --json --text "Russia lies."
cp "$TMP/out" "$TMP/json"
expect_status 0 "score --jsonl" -- "$S" --extract-only --jsonl --text "Russia lies."
cmp -s "$TMP/out" "$TMP/json" && jq -e .text "$TMP/out" >/dev/null && ok "score: --json = --jsonl" || fail "score --json/--jsonl differ"
expect_status 0 "train --jsonl" -- "$T" -q -v 3 --hash-bits 12 --jsonl "$L"
jq -e '.folds == 3' "$TMP/out" >/dev/null && ok "train --jsonl: the JSON report" || fail "train --jsonl: $(head -c 200 "$TMP/out")"

# --actors: a minister the shipped dictionary does not know.
printf 'code\tkind\tname\trole\tfrom\tto\tshort\nRUS\tperson\tIvan Testovich\tforeign minister\t2030-01-01\t\t\nKOS\tstate\tKosova\t\t\t\t\n' >"$TMP/extra.tsv"
printf '{"id":"a1","date":"2031-05-02","text":"\\"We will never accept these threats from Ukraine,\\" Ivan Testovich said on Monday."}\n' >"$TMP/doc.jsonl"
expect_status 0 "score without --actors" -- "$S" --json "$TMP/doc.jsonl"
jq -e '.speaker == "Ivan Testovich" and .speaker_actor == null' "$TMP/out" >/dev/null \
  && ok "without --actors the minister has no actor" || fail "without: $(cat "$TMP/out")"
cp "$TMP/out" "$TMP/unresolved.jsonl"
# With the shipped model: the extra dictionary is no lexicon the model was
# trained with, so it is not refused.
expect_status 0 "score --actors (default model)" -- "$S" --json --actors "$TMP/extra.tsv" "$TMP/doc.jsonl"
jq -e '.speaker_actor == "RUS" and .speaker_role == "foreign minister" and .hostility.level >= 0' "$TMP/out" >/dev/null \
  && ok "score --actors: the minister is RUS's foreign minister, scored" || fail "score --actors: $(cat "$TMP/out")"
expect_status 0 "score -a, a name as target" -- "$S" --json -a "$TMP/extra.tsv" --date 2031-01-01 --speaker-actor FRA \
  --text "Testovich lies about everything." --text "Kosova deserves our support."
jq -se '[.[] | [.targets[].actor]] == [["RUS"], ["KOS"]]' "$TMP/out" >/dev/null \
  && ok "score -a: the extra names are targets (a new code too)" || fail "score -a targets: $(cat "$TMP/out")"
expect_status 0 "score --actors: a shipped name still known" -- "$S" --json --extract-only -a "$TMP/extra.tsv" --text "Russia lies."
jq -e '[.targets[].actor] == ["RUS"]' "$TMP/out" >/dev/null && ok "the shipped dictionary is still there" || fail "shipped lost: $(cat "$TMP/out")"
printf 'code\tkind\tname\n' >"$TMP/bad.tsv"
expect_status 3 "score --actors with a bad file" -- "$S" --json -a "$TMP/bad.tsv" --text "x"
expect_grep "bad.tsv" "$TMP/err" "the bad dictionary is named"

# chart --actors: scored output without the minister's actor joins the
# RUS>UKR series when the chart is given the dictionary.
expect_status 1 "chart without --actors: no dyad" -- "$C" --min-n 1 "$TMP/unresolved.jsonl"
expect_status 0 "chart --actors" -- "$C" --min-n 1 --actors "$TMP/extra.tsv" "$TMP/unresolved.jsonl"
expect_grep "^2031-05,RUS>UKR,1," "$TMP/out" "chart --actors: the statement is in RUS>UKR"
expect_status 2 "chart --actors --db: a usage error" -- "$C" --actors "$TMP/extra.tsv" --db "$TMP/none.db"

# train --actors: the extra dictionary locates a target given only by code.
printf '{"text":"Testovich is lying again.","hostility":2,"targets":[{"actor":"RUS","stance":"against"}],"date":"2031-01-01"}\n' >"$TMP/one.jsonl"
expect_status 0 "train --actors" -- "$T" -q --lenient -v 2 --hash-bits 12 --actors "$TMP/extra.tsv" "$L" "$TMP/one.jsonl"

# chart --warnings: the first 3 of a kind, then a count; all; none.
expect_status 1 "chart: 5 missing series" -- "$C" --series 'A>B,C>D,E>F,G>H,I>J' "$CH"
[ "$(grep -c "warning: no statements for series" "$TMP/err")" -eq 3 ] && ok "chart summary: 3 of a kind printed" \
  || fail "chart summary: $(grep -c warning "$TMP/err") warnings"
expect_grep "2 more warnings not shown" "$TMP/err" "chart summary: the rest counted"
expect_status 1 "chart --warnings=all" -- "$C" --warnings=all --series 'A>B,C>D,E>F,G>H,I>J' "$CH"
[ "$(grep -c "warning: no statements for series" "$TMP/err")" -eq 5 ] && ok "chart --warnings=all: all 5" || fail "all: $(cat "$TMP/err")"
expect_status 1 "chart --warnings=none" -- "$C" --warnings=none --series 'A>B,C>D,E>F,G>H,I>J' "$CH"
grep -q "warning:" "$TMP/err" && fail "none printed a warning" || ok "chart --warnings=none: none printed"
expect_grep "statements read" "$TMP/err" "chart --warnings=none: the summary stays"
expect_status 2 "chart --warnings=some" -- "$C" --warnings=some "$CH"
finish
