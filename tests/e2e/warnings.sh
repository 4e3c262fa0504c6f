#!/usr/bin/env bash
# Diagnostics (issue 17 item 4): --warnings=summary|all|none, the summary
# line kept unless -q, progress with a rate and the share read, and the
# progress line cleared before a warning is printed.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
for i in 1 2 3 4 5 6 7; do
  printf '{"id":"d%s","date":"bad%s","text":"\\"We condemn this,\\" the minister said."}\n' "$i" "$i"
done >"$TMP/w.jsonl"

expect_status 0 "default: summary" -- "$S" --extract-only --jsonl "$TMP/w.jsonl"
[ "$(grep -c 'warning: unparsable date' "$TMP/err")" -eq 3 ] && ok "summary: the first 3 of a kind printed" \
  || fail "summary printed $(grep -c 'warning: unparsable date' "$TMP/err") warnings"
expect_grep "4 more warnings not shown" "$TMP/err" "summary: how many were held back"
expect_grep '^ +7  unparsable date' "$TMP/err" "summary: a count per kind"
expect_grep "7 documents, 7 statements, 0 errors, 7 warnings" "$TMP/err" "summary line"

expect_status 0 "--warnings=all" -- "$S" --extract-only --jsonl --warnings=all "$TMP/w.jsonl"
[ "$(grep -c 'warning: unparsable date' "$TMP/err")" -eq 7 ] && ok "all: every warning" || fail "all printed $(grep -c warning: "$TMP/err")"

expect_status 0 "--warnings=none" -- "$S" --extract-only --jsonl --warnings=none "$TMP/w.jsonl"
grep -q "warning:" "$TMP/err" && fail "none printed a warning" || ok "none: no warning printed"
expect_grep "7 documents, 7 statements, 0 errors, 7 warnings" "$TMP/err" "none: the summary line still counts them"

expect_status 0 "-q" -- "$S" --extract-only --jsonl -q "$TMP/w.jsonl"
[ -s "$TMP/err" ] && fail "-q printed: $(head -2 "$TMP/err")" || ok "-q: nothing on stderr"
expect_status 2 "--warnings=some is a usage error" -- "$S" --warnings=some -e x
expect_status 2 "demarche-train --warnings=some" -- "$DM_BIN/demarche-train" --warnings=some -v 2 "$TMP/w.jsonl"

# Progress on a terminal (script(1) gives one): a rate and the share read,
# and the line cleared before each warning.
if command -v script >/dev/null; then
  DEMARCHE_PROGRESS_EVERY_RECORD=1 script -qec "'$S' --extract-only --jsonl --warnings=all '$TMP/w.jsonl' >/dev/null" \
    "$TMP/tty" >/dev/null 2>&1
  expect_grep "[0-9]+ documents, [0-9]+ statements \([0-9]+/s\), 0 errors, [0-9]+% read" "$TMP/tty" \
    "progress shows a rate and the share read"
  # Every warning starts a line: after a progress line comes \r ESC[K.
  if grep -aq 'read.\[K[^'$'\r'']*warning:' "$TMP/tty" || grep -aqE 'errors[^'$'\r'']*\.jsonl:[0-9]+: warning' "$TMP/tty"; then
    fail "a warning follows the progress line on the same line: $(grep -a warning "$TMP/tty" | head -2 | cat -v)"
  else
    ok "the progress line is cleared before warnings"
  fi
  [ "$(grep -ac $'\r\033\[K/' "$TMP/tty")" -ge 1 ] && ok "clear sequence before a warning" \
    || fail "no clear sequence before warnings: $(head -c 600 "$TMP/tty" | cat -v)"
  # demarche-chart: the same progress line (rate, share read), cleared
  # before the warnings that follow it.
  C="$DM_BIN/demarche-chart"
  DEMARCHE_PROGRESS_EVERY_RECORD=1 script -qec "'$C' --series 'A>B,C>D' '$DM_SOURCE_DIR/tests/data/chart-input.jsonl' >/dev/null" \
    "$TMP/ctty" >/dev/null 2>&1
  expect_grep "[0-9]+ statements read \([0-9]+/s\), 0 errors, [0-9]+% read" "$TMP/ctty" \
    "chart: progress shows a rate and the share read"
  if grep -aqE 'read[^'$'\r'']*demarche-chart: warning' "$TMP/ctty"; then
    fail "chart: a warning follows the progress line: $(grep -a warning "$TMP/ctty" | head -2 | cat -v)"
  else
    ok "chart: the progress line is cleared before warnings"
  fi
else
  echo "skip: script(1) not installed: progress not tested"
fi
finish
