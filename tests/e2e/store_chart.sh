#!/usr/bin/env bash
# demarche-chart --db aggregates in SQL and gives the same CSV and the same
# summary (series, most hostile statements, what was left out and why) as
# charting the JSON Lines of the same run, for every period, series kind,
# metric, window and filter; after a revision and a second model too.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
C="$DM_BIN/demarche-chart"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
NEWS="$DM_SOURCE_DIR/examples/news.jsonl"
DB="$TMP/tone.db"

# The news sample, plus documents without a date, with a date that does not
# parse, with a year only, and an ISO timestamp.
{ cat "$NEWS"
  head -n 3 "$NEWS" | jq -c '.id = .id + "-nodate" | del(.date)'
  sed -n 4,5p "$NEWS" | jq -c '.id = .id + "-bad" | .date = "someday"'
  sed -n 6,7p "$NEWS" | jq -c '.id = .id + "-year" | .date = "2022"'
  sed -n 8p "$NEWS" | jq -c '.id = .id + "-iso" | .date = "2022-06-30T23:59:00Z"'; } >"$TMP/in.jsonl"
"$S" -q "$TMP/in.jsonl" >"$TMP/direct.jsonl" || fail "direct run failed"
"$S" -q --db "$DB" "$TMP/in.jsonl" || fail "storing failed"

# compare LABEL JSONL [chart options...]: CSV and stderr of both ways. The
# JSON Lines way also names each line whose date does not parse (a warning;
# the store has no lines to name, both count them in the summary): those
# lines are left out of the comparison, every other warning printed by both.
compare() {
  local label=$1 jsonl=$2; shift 2
  "$C" --warnings=all "$@" "$jsonl" >"$TMP/a.csv" 2>"$TMP/a.all"; local ra=$?
  grep -v ': warning: unparsable date "' "$TMP/a.all" >"$TMP/a.err"
  "$C" --warnings=all --db "$DB" "$@" >"$TMP/b.csv" 2>"$TMP/b.err"; local rb=$?
  if [ "$ra" = "$rb" ] && cmp -s "$TMP/a.csv" "$TMP/b.csv" && cmp -s "$TMP/a.err" "$TMP/b.err"; then
    ok "$label: same CSV ($(($(wc -l <"$TMP/a.csv") - 1)) rows) and summary"
  else
    fail "$label: differs (exit $ra / $rb)"
    diff "$TMP/a.csv" "$TMP/b.csv" | head -10 >&2
    diff "$TMP/a.err" "$TMP/b.err" | head -10 >&2
  fi
}

compare "default (month, dyads)" "$TMP/direct.jsonl"
compare "by quarter, two series" "$TMP/direct.jsonl" --period quarter --series 'USA>RUS,RUS>USA'
compare "ISO weeks" "$TMP/direct.jsonl" --period week
compare "days in a window" "$TMP/direct.jsonl" --period day --from 2021-06 --to 2022-06-30
compare "years, by speaker" "$TMP/direct.jsonl" --period year --by speaker --top 5
compare "speaker actors" "$TMP/direct.jsonl" --by speaker-actor --min-n 2
compare "stance by target" "$TMP/direct.jsonl" --metric stance --by target
compare "stance by dyad, self included" "$TMP/direct.jsonl" --metric stance --include-self --period year
compare "stance by speaker actor" "$TMP/direct.jsonl" --metric stance --by speaker-actor --top 0
compare "a series nobody has" "$TMP/direct.jsonl" --series 'XYZ>ABC'
grep -q "10 without a date, 6 with an unparsable date, 5 with a date coarser than a month" "$TMP/b.err" && ok "left-out records counted from the store" \
  || fail "counts: $(tail -n 1 "$TMP/b.err")"
compare "stance, two dyads" "$TMP/direct.jsonl" --metric stance --series 'USA>RUS,RUS>UKR'
compare "speaker actors asked for" "$TMP/direct.jsonl" --by speaker-actor --series USA,CHN
compare "stance of a speaker actor" "$TMP/direct.jsonl" --metric stance --by speaker-actor --series RUS
compare "stance of targets asked for" "$TMP/direct.jsonl" --metric stance --by target --series RUS,USA --period year
compare "series in lower case, smoothed, min-n 1" "$TMP/direct.jsonl" --series 'usa>rus,chn>usa' --period quarter --smooth 3 --min-n 1
compare "speaker actors by year, default min-n" "$TMP/direct.jsonl" --by speaker-actor --period year

# After a revision and a second model: the store's newest scores and
# latest revisions, as its --export gives them.
head -n 1 "$NEWS" | jq -c '.text = "Updated: \"We reject these threats,\" Sergei Lavrov said of the United States. " + .text' >"$TMP/rev.jsonl"
"$S" -q --db "$DB" "$TMP/rev.jsonl" || fail "storing a revision failed"
"$DM_BIN/demarche-train" -q --hash-bits 14 -o "$TMP/model2" "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl" \
  || fail "training a second model failed"
"$S" -q --db "$DB" -m "$TMP/model2" --rescore || fail "--rescore failed"
"$S" -q --db "$DB" --export >"$TMP/export2.jsonl"
compare "newest model, latest revisions" "$TMP/export2.jsonl" --period quarter
compare "newest model, stance" "$TMP/export2.jsonl" --metric stance --by target
first=$("$S" --db "$DB" --models | head -n 1 | cut -f1)
"$S" -q --db "$DB" --export --model-id "$first" >"$TMP/export1.jsonl"
# (--min-n 1: at the default 5 this sample draws nothing by quarter, and
# two empty CSVs would be alike.)
"$C" --db "$DB" --model-id "$first" --period quarter --min-n 1 >"$TMP/b.csv" 2>/dev/null
"$C" --period quarter --min-n 1 "$TMP/export1.jsonl" >"$TMP/a.csv" 2>/dev/null
cmp -s "$TMP/a.csv" "$TMP/b.csv" && ok "--model-id charts the first model's scores" || fail "--model-id CSV differs"
cmp -s "$TMP/b.csv" <("$C" --db "$DB" --period quarter --min-n 1 2>/dev/null) && fail "both models chart the same" \
  || ok "the two models' charts differ"

# Drawing from the store works as from a file; errors are named.
expect_status 0 "PNG from the store" -- "$C" --db "$DB" --min-n 1 -o "$TMP/c.png" --csv "$TMP/c.csv"
expect_status 0 "HTML page from the store" -- "$C" --db "$DB" --period year --by speaker-actor -o "$TMP/c.html"
expect_grep '"statements":\[\{"date"' "$TMP/c.html" "the page lists statements from the store"
"$S" -q --db "$DB" --export >"$TMP/export3.jsonl"
"$C" -q --period year --by speaker-actor -o "$TMP/j.html" "$TMP/export3.jsonl"
cmp -s "$TMP/c.html" "$TMP/j.html" && ok "the page from the store is the page from its export, byte for byte" \
  || fail "store and export pages differ"
"$C" -q --db "$DB" --metric stance --by target --period year --top 2 -o "$TMP/c2.html"
"$C" -q --metric stance --by target --period year --top 2 -o "$TMP/j2.html" "$TMP/export3.jsonl"
cmp -s "$TMP/c2.html" "$TMP/j2.html" && ok "so is the page of stance by target" || fail "stance pages differ"
[ "$(head -c 4 "$TMP/c.png" | od -An -tx1 | tr -d ' \n')" = "89504e47" ] && ok "a PNG" || fail "not a PNG"
expect_status 2 "--db with an input file" -- "$C" --db "$DB" "$TMP/direct.jsonl"
expect_status 2 "--model-id without --db" -- "$C" --model-id x "$TMP/direct.jsonl"
expect_status 3 "a missing store" -- "$C" --db "$TMP/none.db"
expect_grep "none.db: no such store" "$TMP/err" "missing store named"
[ -e "$TMP/none.db" ] && fail "charting created a store" || ok "charting creates nothing"
expect_status 3 "an unknown model" -- "$C" --db "$DB" --model-id nosuch
finish
