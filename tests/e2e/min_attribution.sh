#!/usr/bin/env bash
# demarche-score --min-attribution: the "attribution" evidence of each
# statement, and the filter that drops carried-over guesses (invented text).
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
cat >"$TMP/a.txt" <<'TXT'
"The deal is dead," Lena Ortiz said.

"Nobody wants it."

Dan Ruiz arrived later. "We will see," he said.
TXT
count() { grep -c . "$1" || true; }
expect_status 0 "all statements" -- "$S" --extract-only --jsonl -q "$TMP/a.txt"
cp "$TMP/out" "$TMP/all"
[ "$(count "$TMP/all")" -eq 3 ] && ok "3 statements by default" || fail "wanted 3 statements, got $(count "$TMP/all")"
expect_grep '"attribution":"cue"' "$TMP/all" "a cue statement says attribution cue"
expect_grep '"attribution":"carried"' "$TMP/all" "the follow-on paragraph says attribution carried"
expect_grep '"attribution":"pronoun"' "$TMP/all" "he said says attribution pronoun"
expect_status 0 "--min-attribution resolved" -- "$S" --extract-only --jsonl -q --min-attribution resolved "$TMP/a.txt"
[ "$(count "$TMP/out")" -eq 2 ] && ok "resolved drops the carried statement" || fail "resolved kept $(count "$TMP/out")"
expect_status 0 "--min-attribution cue" -- "$S" --extract-only --jsonl -q --min-attribution cue "$TMP/a.txt"
[ "$(count "$TMP/out")" -eq 1 ] && ok "cue keeps only the cue statement" || fail "cue kept $(count "$TMP/out")"
expect_grep 'Lena Ortiz' "$TMP/out" "the kept statement is Lena Ortiz's"
expect_status 2 "an unknown level is a usage error" -- "$S" --extract-only --min-attribution guess "$TMP/a.txt"
# The summary says how many statements the floor left out (not "1 statement"
# as if that were all), for a run and for a store's --export.
expect_status 0 "--min-attribution cue, summary" -- "$S" --extract-only --jsonl --min-attribution cue "$TMP/a.txt"
expect_grep "1 document, 1 statement \(2 more below --min-attribution cue, not printed\), 0 errors" "$TMP/err" \
  "the summary counts what the floor left out"
expect_status 0 "no floor, no note" -- "$S" --extract-only --jsonl "$TMP/a.txt"
grep -q "below --min-attribution" "$TMP/err" && fail "a floor note without --min-attribution" || ok "no floor note by default"
expect_status 0 "store" -- "$S" -q --extract-only --db "$TMP/a.db" "$TMP/a.txt"
expect_status 0 "--export --min-attribution resolved" -- "$S" --db "$TMP/a.db" --export --min-attribution resolved
[ "$(count "$TMP/out")" -eq 2 ] && ok "export: resolved keeps 2" || fail "export kept $(count "$TMP/out")"
expect_grep "exported 1 document, 2 statements \(1 more below --min-attribution resolved, not printed\)" "$TMP/err" \
  "the export summary counts what the floor left out"
finish
