#!/usr/bin/env bash
# demarche-chart through the real executable: a golden CSV, valid PNG/SVG/PDF
# files carrying every series, the summary, counts of what was left out.
. "$(dirname "$0")/lib/common.sh"
C="$DM_BIN/demarche-chart"
IN="$DM_SOURCE_DIR/tests/data/chart-input.jsonl"

expect_status 0 "--help exits 0" -- "$C" --help
expect_grep "^usage: demarche-chart" "$TMP/out" "--help on stdout"
expect_grep "default: month" "$TMP/out" "--help shows live defaults"
expect_status 2 "bad --period" -- "$C" --period fortnight "$IN"
expect_status 2 "bad output extension" -- "$C" -o "$TMP/x.gif" "$IN"

expect_status 0 "CSV by month" -- "$C" --series 'USA>RUS,RUS>USA' "$IN"
if diff -u "$DM_SOURCE_DIR/tests/golden/chart-month.csv" "$TMP/out"; then ok "golden CSV"; else fail "CSV differs from tests/golden/chart-month.csv"; fi
expect_grep "^USA>RUS: 5 statements, mean hostility 2.60" "$TMP/err" "series summary"
expect_grep "1\. \[4.00\] (Joe Biden|Antony Blinken) \(USA\), 2022-0[24]" "$TMP/err" "most hostile statement shown"
expect_grep "1 without a date, 1 with an unparsable date" "$TMP/err" "left-out records counted"

expect_status 0 "PNG" -- "$C" --series 'USA>RUS,RUS>USA' -o "$TMP/c.png" --csv "$TMP/c.csv" "$IN"
sig=$(head -c 8 "$TMP/c.png" | od -An -tx1 | tr -d ' \n')
[ "$sig" = "89504e470d0a1a0a" ] && ok "PNG signature" || fail "PNG signature $sig"
dims=$(head -c 24 "$TMP/c.png" | tail -c 8 | od -An -tu1 | tr -s ' ')
[ "$dims" = " 0 0 4 176 0 0 2 88" ] && ok "PNG is 1200x600" || fail "PNG dimensions bytes:$dims"
cmp -s "$TMP/c.csv" "$DM_SOURCE_DIR/tests/golden/chart-month.csv" && ok "--csv file" || fail "--csv file differs"
expect_status 0 "PNG at twice the size" -- "$C" -o "$TMP/c2.png" --width 2400 --height 1200 "$IN"
dims=$(head -c 24 "$TMP/c2.png" | tail -c 8 | od -An -tu1 | tr -s ' ')
[ "$dims" = " 0 0 9 96 0 0 4 176" ] && ok "PNG is 2400x1200" || fail "PNG dimensions bytes:$dims"

expect_status 0 "SVG" -- "$C" --series 'USA>RUS,RUS>USA' -o "$TMP/c.svg" "$IN"
xmllint --noout "$TMP/c.svg" && ok "SVG parses as XML" || fail "SVG is not XML"
# Every series is drawn in its own palette colour (cairo writes percentages).
grep -q 'rgb(12.2%,46.7%,70.6%)' "$TMP/c.svg" && ok "first series drawn" || fail "first series missing"
grep -q 'rgb(83.9%,15.3%,15.7%)' "$TMP/c.svg" && ok "second series drawn" || fail "second series missing"

expect_status 0 "PDF" -- "$C" -o "$TMP/c.pdf" "$IN"
[ "$(head -c 5 "$TMP/c.pdf")" = "%PDF-" ] && ok "PDF header" || fail "not a PDF"

expect_status 0 "stance by target, by quarter, from stdin" -- "$C" --metric stance --by target --period quarter - <"$IN"
expect_grep "^2022-Q1,RUS,4,-0.2500," "$TMP/out" "quarterly stance toward RUS"

printf '{"date":"2022-01-01","speaker_actor":"USA","targets":[{"actor":"RUS"}],"hostility":{"level":1,"score":0.25}}\nnot json\n' >"$TMP/bad.jsonl"
expect_status 1 "bad line makes exit 1" -- "$C" "$TMP/bad.jsonl"
expect_grep "bad.jsonl:2: invalid JSON" "$TMP/err" "bad line named"

# A truncated .gz input (added by the robustness pass): reported, exit 1.
gzip -c "$IN" >"$TMP/in.jsonl.gz"
head -c $(($(stat -c %s "$TMP/in.jsonl.gz") / 2)) "$TMP/in.jsonl.gz" >"$TMP/cut.jsonl.gz"
expect_status 1 "truncated .gz makes exit 1" -- "$C" "$TMP/cut.jsonl.gz"
expect_grep "cut.jsonl.gz:[0-9]+: .*unexpected end of file" "$TMP/err" "truncated .gz named by file:line"
# An unwritable CSV: cannot run (exit 3), nothing left behind.
expect_status 3 "--csv into a missing directory" -- "$C" --csv "$TMP/no/such/dir/c.csv" "$IN"
[ -e "$TMP/no" ] && fail "--csv failure left a file" || ok "--csv failure left nothing"

# --from/--to window and --min-n gaps.
expect_status 0 "window and min-n" -- "$C" --series 'USA>RUS' --from 2022-02 --to 2022-04 --min-n 2 "$IN"
[ "$(cat "$TMP/out")" = "period,series,n,mean,lower,upper" ] && ok "periods under --min-n are left out of the CSV" \
  || fail "min-n: $(cat "$TMP/out")"
expect_grep "USA>RUS: 2 statements, mean hostility 4.00, 0 of 2 periods drawn" "$TMP/err" "window keeps Feb-Apr only"
expect_grep "3 outside the window" "$TMP/err" "statements outside the window counted"
finish
