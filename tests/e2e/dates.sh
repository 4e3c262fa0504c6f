#!/usr/bin/env bash
# Dates as users bring them: GDELT's YYYYMMDD and YYYYMMDDHHMMSS read like
# YYYY-MM-DD (from JSON Lines and from the store, --from/--to too); an
# impossible date ("20241341") named with its file:line and why; an empty
# or blank date counted "without a date", as null and no key are.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
C="$DM_BIN/demarche-chart"
n=0
Q='\"We reject these threats from Ukraine,\" Sergei Lavrov said.'
for d in '"2024-03-15"' '""' 'null' '"  "' '"20240315"' '"20240315120000"' '20240315' '' '"20241341"' \
         '"2024-04-01"'; do
  if [ -n "$d" ]; then printf '{"id":"d%s","date":%s,"text":"%s"}\n' "$((++n))" "$d" "$Q"
  else printf '{"id":"d%s","text":"%s"}\n' "$((++n))" "$Q"; fi
done >"$TMP/in.jsonl"

expect_status 0 "score" -- "$S" --json "$TMP/in.jsonl"
cp "$TMP/out" "$TMP/scored.jsonl"
[ "$(wc -l <"$TMP/scored.jsonl")" -eq 10 ] && ok "a statement per record" || fail "$(wc -l <"$TMP/scored.jsonl") statements"
expect_grep 'in.jsonl:9: warning: impossible date "20241341" \(no month 13\)' "$TMP/err" "score names the impossible date"
grep -q 'in.jsonl:[24568]:' "$TMP/err" && fail "score warned of a GDELT or blank date: $(cat "$TMP/err")" \
  || ok "no warning for GDELT or blank dates"

expect_status 0 "chart the scored statements" -- "$C" --min-n 1 "$TMP/scored.jsonl"
expect_grep '^2024-03,RUS>UKR,4,' "$TMP/out" "GDELT dates charted in their month"
expect_grep '^2024-04,RUS>UKR,1,' "$TMP/out" "the next month"
expect_grep "10 statements read, 5 used; left out: 4 without a date, 1 with an unparsable date," \
  "$TMP/err" "empty, blank, null and absent dates are 'without a date'"
expect_grep 'scored.jsonl:9: warning: impossible date "20241341": statement left out \(no month 13\)' \
  "$TMP/err" "chart names the impossible date's line"
[ "$(grep -c warning "$TMP/err")" -eq 1 ] && ok "one warning only" || fail "warnings: $(grep warning "$TMP/err")"

expect_status 0 "--from/--to in GDELT form" -- "$C" --min-n 1 --from 20240301 --to 20240331 "$TMP/scored.jsonl"
expect_grep "4 used; .* 1 outside the window" "$TMP/err" "window from GDELT dates"

expect_status 0 "score into a store" -- "$S" -q --db "$TMP/t.db" "$TMP/in.jsonl"
expect_status 0 "chart the store" -- "$C" --min-n 1 --db "$TMP/t.db"
expect_grep '^2024-03,RUS>UKR,4,' "$TMP/out" "GDELT dates charted from the store"
expect_grep "10 statements read, 5 used; left out: 4 without a date, 1 with an unparsable date," \
  "$TMP/err" "the store counts blank dates as without a date"
# A store written before GDELT dates were read has them as unparsable (NULL
# year). Read-only, its chart parses them as it reads, and leaves the file
# as it was; opened for writing once, the store parses them again.
sqlite3 "$TMP/t.db" "UPDATE documents SET year = NULL, month = NULL, day = NULL WHERE date LIKE '2024031%'"
before=$(sqlite3 "$TMP/t.db" "SELECT count(*) FROM documents WHERE year IS NULL")
expect_status 0 "chart the old store" -- "$C" --min-n 1 --db "$TMP/t.db"
expect_grep "10 statements read, 5 used; left out: 4 without a date, 1 with an unparsable date," "$TMP/err" \
  "the old store's GDELT dates are read by a read-only chart"
expect_grep '^2024-03,RUS>UKR,4,' "$TMP/out" "the old store's GDELT dates charted in their month"
[ "$(sqlite3 "$TMP/t.db" "SELECT count(*) FROM documents WHERE year IS NULL")" = "$before" ] \
  && ok "a read-only chart left the store as it was" || fail "a read-only chart wrote the store"
expect_status 0 "chart the old store to --to" -- "$C" --min-n 1 --to 20240331 --db "$TMP/t.db"
expect_grep "4 used; .* 1 outside the window" "$TMP/err" "the window reads the old store's dates"
expect_status 0 "open the store for writing" -- "$S" -q --db "$TMP/t.db" "$TMP/in.jsonl"
expect_status 0 "chart the store again" -- "$C" --min-n 1 --db "$TMP/t.db"
expect_grep "10 statements read, 5 used; left out: 4 without a date, 1 with an unparsable date," "$TMP/err" \
  "opened for writing, the store parsed its GDELT dates again"
# A date option that does not parse says why (usage error, exit 2).
expect_status 2 "--from of no calendar" -- "$C" --from 20241341 "$TMP/scored.jsonl"
expect_grep '^demarche-chart: --from: impossible date "20241341" \(no month 13\)' "$TMP/err" "--from: why"
expect_status 2 "--to of no form" -- "$C" --to spring "$TMP/scored.jsonl"
expect_grep "^demarche-chart: --to: unparsable date \"spring\" \(expected .*YYYYMMDD" "$TMP/err" "--to: the forms read"
expect_status 2 "score --date of no calendar" -- "$S" --date 2023-02-29 --text "Russia lies."
expect_grep '^demarche-score: --date: impossible date "2023-02-29" \(no day 29 in 2023-02\)' "$TMP/err" "--date: why"
finish
