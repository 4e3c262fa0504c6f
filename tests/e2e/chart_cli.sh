#!/usr/bin/env bash
# demarche-chart through the real executable: a golden CSV, valid PNG/SVG/PDF
# files carrying every series, the summary, counts of what was left out; the
# HTML page, events, smoothing, gaps under --min-n, series that are not
# there, input that is not scored. (The page in a real browser:
# chart_browser.sh.) The small fixture has 1-3 statements a month, so most
# checks pass --min-n 1; the default (5) has its own checks.
. "$(dirname "$0")/lib/common.sh"
C="$DM_BIN/demarche-chart"
C1=("$C" --min-n 1)
IN="$DM_SOURCE_DIR/tests/data/chart-input.jsonl"

expect_status 0 "--help exits 0" -- "$C" --help
expect_grep "^usage: demarche-chart" "$TMP/out" "--help on stdout"
expect_grep "default: month" "$TMP/out" "--help shows live defaults"
expect_status 2 "bad --period" -- "$C" --period fortnight "$IN"
expect_status 2 "bad output extension" -- "$C" -o "$TMP/x.gif" "$IN"

expect_status 0 "CSV by month" -- "${C1[@]}" --series 'USA>RUS,RUS>USA' "$IN"
if diff -u "$DM_SOURCE_DIR/tests/golden/chart-month.csv" "$TMP/out"; then ok "golden CSV"; else fail "CSV differs from tests/golden/chart-month.csv"; fi
expect_grep "^USA>RUS: 5 statements, mean hostility 2.60" "$TMP/err" "series summary"
expect_grep "1\. \[4.00\] (Joe Biden|Antony Blinken) \(USA\), 2022-0[24]" "$TMP/err" "most hostile statement shown"
expect_grep "1 without a date, 1 with an unparsable date" "$TMP/err" "left-out records counted"
expect_grep "chart-input.jsonl:11: warning: unparsable date \"spring 2022\": statement left out" "$TMP/err" \
  "the line with an unparsable date is named"

expect_status 0 "PNG" -- "${C1[@]}" --series 'USA>RUS,RUS>USA' -o "$TMP/c.png" --csv "$TMP/c.csv" "$IN"
sig=$(head -c 8 "$TMP/c.png" | od -An -tx1 | tr -d ' \n')
[ "$sig" = "89504e470d0a1a0a" ] && ok "PNG signature" || fail "PNG signature $sig"
dims=$(head -c 24 "$TMP/c.png" | tail -c 8 | od -An -tu1 | tr -s ' ')
[ "$dims" = " 0 0 4 176 0 0 2 88" ] && ok "PNG is 1200x600" || fail "PNG dimensions bytes:$dims"
cmp -s "$TMP/c.csv" "$DM_SOURCE_DIR/tests/golden/chart-month.csv" && ok "--csv file" || fail "--csv file differs"
expect_status 0 "PNG at twice the size" -- "${C1[@]}" -o "$TMP/c2.png" --width 2400 --height 1200 "$IN"
dims=$(head -c 24 "$TMP/c2.png" | tail -c 8 | od -An -tu1 | tr -s ' ')
[ "$dims" = " 0 0 9 96 0 0 4 176" ] && ok "PNG is 2400x1200" || fail "PNG dimensions bytes:$dims"

expect_status 0 "SVG" -- "${C1[@]}" --series 'USA>RUS,RUS>USA' -o "$TMP/c.svg" "$IN"
xmllint --noout "$TMP/c.svg" && ok "SVG parses as XML" || fail "SVG is not XML"
# Every series is drawn in its own palette colour (cairo writes percentages).
grep -q 'rgb(12.2%,46.7%,70.6%)' "$TMP/c.svg" && ok "first series drawn" || fail "first series missing"
grep -q 'rgb(83.9%,15.3%,15.7%)' "$TMP/c.svg" && ok "second series drawn" || fail "second series missing"

expect_status 0 "PDF" -- "${C1[@]}" -o "$TMP/c.pdf" "$IN"
[ "$(head -c 5 "$TMP/c.pdf")" = "%PDF-" ] && ok "PDF header" || fail "not a PDF"

expect_status 0 "stance by target, by quarter, from stdin" -- "${C1[@]}" --metric stance --by target --period quarter - <"$IN"
expect_grep "^2022-Q1,RUS,4,-0.2500," "$TMP/out" "quarterly stance toward RUS"

printf '{"date":"2022-01-01","speaker_actor":"USA","targets":[{"actor":"RUS"}],"hostility":{"level":1,"score":0.25}}\nnot json\n' >"$TMP/bad.jsonl"
expect_status 1 "bad line makes exit 1" -- "${C1[@]}" "$TMP/bad.jsonl"
expect_grep "bad.jsonl:2: invalid JSON" "$TMP/err" "bad line named"

# A truncated .gz input (added by the robustness pass): reported, exit 1.
gzip -c "$IN" >"$TMP/in.jsonl.gz"
head -c $(($(stat -c %s "$TMP/in.jsonl.gz") / 2)) "$TMP/in.jsonl.gz" >"$TMP/cut.jsonl.gz"
expect_status 1 "truncated .gz makes exit 1" -- "${C1[@]}" "$TMP/cut.jsonl.gz"
expect_grep "cut.jsonl.gz:[0-9]+: .*unexpected end of file" "$TMP/err" "truncated .gz named by file:line"
# An unwritable CSV: cannot run (exit 3), nothing left behind.
expect_status 3 "--csv into a missing directory" -- "${C1[@]}" --csv "$TMP/no/such/dir/c.csv" "$IN"
[ -e "$TMP/no" ] && fail "--csv failure left a file" || ok "--csv failure left nothing"

# --from/--to window and --min-n gaps.
expect_status 1 "window and min-n: nothing to draw is exit 1" -- "$C" --series 'USA>RUS' --from 2022-02 --to 2022-04 --min-n 2 "$IN"
[ "$(cat "$TMP/out")" = "period,series,n,mean,lower,upper" ] && ok "periods under --min-n are left out of the CSV" \
  || fail "min-n: $(cat "$TMP/out")"
expect_grep "nothing to draw" "$TMP/err" "nothing to draw said"
expect_grep "series 'USA>RUS' not drawn: its fullest month has 1 statement," "$TMP/err" "why the series is not drawn"
expect_grep "USA>RUS: 2 statements, mean hostility 4.00, 0 of 2 periods drawn" "$TMP/err" "window keeps Feb-Apr only"
expect_grep "3 outside the window" "$TMP/err" "statements outside the window counted"
# ---- The default --min-n: 5 statements a period ------------------------------
# 2020: 6 statements, 2021: 2 (a gap), 2022: 5.
for y in 2020 2020 2020 2020 2020 2020 2021 2021 2022 2022 2022 2022 2022; do
  printf '{"doc":"g","date":"%s-06-01","speaker":"S","speaker_actor":"USA","text":"t","targets":[{"actor":"RUS","stance":"against"}],"hostility":{"level":2,"score":0.5}}\n' "$y"
done >"$TMP/gaps.jsonl"
expect_status 0 "default --min-n" -- "$C" --period year "$TMP/gaps.jsonl"
[ "$(cut -d, -f1 "$TMP/out" | tr '\n' ' ')" = "period 2020 2022 " ] && ok "2021 (n = 2) is a gap at the default --min-n 5" \
  || fail "default min-n: $(cat "$TMP/out")"
"$C" --help | grep -q "default: 5" && ok "--help gives the default --min-n" || fail "--help: no default min-n"

# ---- Series that are not there; case; nothing to draw; unscored input ---------
expect_status 1 "a series with no data: nothing to draw" -- "$C" --series 'chn>phl' -o "$TMP/none.png" "$IN"
expect_grep "no statements for series 'chn>phl'" "$TMP/err" "the missing series is named"
expect_grep "series in the input \(statements\): USA>RUS \(5\), RUS>USA \(4\)" "$TMP/err" "the available series are listed"
[ -e "$TMP/none.png" ] && fail "an empty chart was written" || ok "no empty chart written"
expect_status 0 "series codes ignore case" -- "${C1[@]}" --series 'usa>rus' "$IN"
expect_grep "^2022-02,USA>RUS,1," "$TMP/out" "usa>rus charts USA>RUS"
# A list typed with blanks ("USA>RUS, RUS > USA") names the same series.
expect_status 0 "series with blanks" -- "${C1[@]}" --series ' USA>RUS, RUS > USA ,' "$IN"
grep -q "no statements for series" "$TMP/err" && fail "a series with blanks not found: $(grep 'no statements' "$TMP/err")" \
  || ok "blanks around series names and '>' ignored"
expect_grep "^2022-02,USA>RUS,1," "$TMP/out" "USA>RUS charted from a list with blanks"
expect_grep "^[0-9-]+,RUS>USA," "$TMP/out" "RUS > USA charted as RUS>USA"
expect_status 2 "a --series of blanks" -- "$C" --series ' , ' "$IN"
jq -c 'del(.hostility) | .targets |= map(del(.stance))' "$IN" >"$TMP/unscored.jsonl"
expect_status 1 "unscored input refused" -- "$C" "$TMP/unscored.jsonl"
expect_grep "unscored.jsonl:1: statement not scored" "$TMP/err" "unscored record named by file:line"
expect_grep "more records without scores" "$TMP/err" "the rest counted, not flooded"
[ "$(grep -c 'not scored' "$TMP/err")" -le 6 ] && ok "at most 5 unscored records named" || fail "unscored flood"
# Nothing to draw says why: not --min-n when nothing was charted at all.
expect_grep "nothing to draw: no record has scores \(.* chart the output of demarche-score\)" "$TMP/err" \
  "nothing to draw: unscored input is the reason given"
grep -q "min-n" "$TMP/err" && fail "unscored input blamed on --min-n" || ok "unscored input: --min-n not blamed"
jq -c '.date = null' "$IN" >"$TMP/undated.jsonl"
expect_status 1 "undated input: nothing to draw" -- "$C" "$TMP/undated.jsonl"
expect_grep "nothing to draw: none of the [0-9]+ statements read could be charted \(the last line says why\)" \
  "$TMP/err" "nothing to draw: undated input, pointed at the counts"
expect_grep "left out: [0-9]+ without a date" "$TMP/err" "the counts say: without a date"
expect_status 1 "too few statements: nothing to draw" -- "$C" --min-n 50 "$IN"
expect_grep "nothing to draw: no period of any series has 50 statements \(--min-n\)" "$TMP/err" \
  "--min-n named when it is the reason"

# ---- HTML page, events, smoothing --------------------------------------------
printf 'date,label\n2022-02-24,"Invasion of Ukraine, full scale"\n2030-01-01,Later\n' >"$TMP/events.csv"
expect_status 0 "HTML" -- "${C1[@]}" --series 'USA>RUS,RUS>USA' --events "$TMP/events.csv" -o "$TMP/c.html" "$IN"
expect_grep "^<!DOCTYPE html>" "$TMP/c.html" "HTML doctype"
[ "$(grep -o 'class="pt"' "$TMP/c.html" | wc -l)" = 10 ] && ok "5 drawn points, in the wide and the narrow design" \
  || fail "points in HTML: $(grep -o 'class="pt"' "$TMP/c.html" | wc -l)"
expect_grep "Invasion of Ukraine, full scale" "$TMP/c.html" "event label on the page"
expect_grep "every period with a statement is drawn" "$TMP/c.html" "--min-n 1: the key names no empty gap rule"
grep -q "fewer than 1 statements" "$TMP/c.html" && fail "--min-n 1: the key says 'fewer than 1'" || ok "no 'fewer than 1' in the key"
expect_grep "1 of the events fall outside" "$TMP/err" "an event outside the chart is said"
grep -Eq '(src|href)=|url\(' "$TMP/c.html" && fail "the page refers to something outside" || ok "nothing fetched"
expect_status 0 "events on a PNG" -- "${C1[@]}" --events "$TMP/events.csv" -o "$TMP/ev.png" "$IN"
expect_status 0 "events on an SVG" -- "${C1[@]}" --series 'USA>RUS' --events "$TMP/events.csv" -o "$TMP/ev.svg" "$IN"
expect_grep "stroke-dasharray" "$TMP/ev.svg" "the event is a dashed line in the SVG"
printf 'date,label\nsoon,bad\n' >"$TMP/bad-events.csv"
expect_status 1 "a bad events file" -- "${C1[@]}" --events "$TMP/bad-events.csv" "$IN"
expect_grep "bad-events.csv:2: event date 'soon': expected YYYY, YYYY-MM, YYYY-MM-DD, .*YYYYMMDD" "$TMP/err" \
  "bad event named by file:line, with the forms read"
expect_status 2 "--smooth must be odd" -- "$C" --smooth 2 "$IN"
expect_status 0 "--smooth 3" -- "$C" --period year --smooth 3 --min-n 3 "$TMP/gaps.jsonl"
expect_grep "^period,series,n,mean,lower,upper,smooth_n,smooth_mean,smooth_lower,smooth_upper$" "$TMP/out" "smoothed CSV header"
expect_grep "^2021,USA>RUS,2,2.0000,2.0000,2.0000,13,2.0000," "$TMP/out" "2021 smoothed over 2020-2022 (n = 13)"
expect_status 0 "--smooth 3 HTML" -- "$C" --period year --smooth 3 --min-n 3 -o "$TMP/s.html" "$TMP/gaps.jsonl"
expect_grep "centred mean of 3 years" "$TMP/s.html" "the page says how the line is smoothed"
# One statement, one period: singular words in the series line ("1
# statement-target pair", "1 of 1 period"), and the most hostile statement
# cut at 200 bytes on a character boundary, never inside a UTF-8 character.
long=$(printf 'Ж%.0s' $(seq 1 150))
printf '{"doc":"u1","index":1,"date":"2022-03-01","speaker":"A","speaker_actor":"USA","text":"Russia %s","targets":[{"actor":"RUS","stance":"against","favor_minus_against":-0.5}],"hostility":{"level":3,"expected_level":3.0}}\n' "$long" >"$TMP/one.jsonl"
expect_status 0 "one statement, stance" -- "${C1[@]}" --metric stance "$TMP/one.jsonl"
expect_grep "^USA>RUS: 1 statement-target pair, mean net stance -1.00, 1 of 1 period drawn$" "$TMP/err" "singular series line (stance)"
# A stance chart's examples are its most hostile statements: their figure is
# labelled (not a bare 3.00 under a mean on -1..1), and a statement without
# hostility (a stance-only model) says so rather than showing -1.00.
expect_grep '^  1\. \[hostility 3\.00\] A \(USA\), 2022-03-01, u1: ' "$TMP/err" "stance examples: hostility labelled"
jq -c 'del(.hostility)' "$TMP/one.jsonl" >"$TMP/one-stance.jsonl"
expect_status 0 "stance without hostility" -- "${C1[@]}" --metric stance "$TMP/one-stance.jsonl"
expect_grep '^  1\. \[hostility not scored\] A \(USA\)' "$TMP/err" "stance examples: no hostility said"
grep -q '\[-1.00\]' "$TMP/err" && fail "a -1.00 hostility shown" || ok "no -1.00 hostility shown"
expect_status 0 "one statement, hostility" -- "${C1[@]}" "$TMP/one.jsonl"
expect_grep "^USA>RUS: 1 statement, mean hostility 3.00, 1 of 1 period drawn$" "$TMP/err" "singular series line (hostility)"
if iconv -f UTF-8 -t UTF-8 "$TMP/err" >/dev/null 2>&1; then ok "cut example text is valid UTF-8"; else fail "cut example text is not valid UTF-8"; fi
expect_grep 'ЖЖ\.\.\."$' "$TMP/err" "example text cut with ..."

# A window that ends before it starts is a usage error (it was read whole
# and every statement counted "outside the window"); touching ends are fine.
expect_status 2 "--from after --to" -- "$C" --from 2023 --to 2022 "$IN"
expect_grep "--from is after --to: the window holds no date: '--from 2023, --to 2022'" "$TMP/err" "window error says why"
expect_status 2 "--from after --to, days" -- "$C" --from 2022-03-15 --to 2022-03-10 "$IN"
expect_status 0 "--from 2022-03 --to 2022 is a window" -- "${C1[@]}" --from 2022-03 --to 2022 "$IN"

# 40 series: the legend lists what fits and counts the rest ("+ N more
# series"); nothing is drawn past the canvas (it ran off the bottom,
# over the notes, and out of the picture).
for i in $(seq -w 0 39); do for m in 1 2; do
  printf '{"doc":"d%s","index":%d,"date":"2022-0%d-01","speaker_actor":"S%s","text":"x","targets":[{"actor":"RUS","stance":"against"}],"hostility":{"level":2,"expected_level":2.0}}\n' "$i" "$m" "$m" "$i"
done; done >"$TMP/forty.jsonl"
expect_status 0 "40 series as SVG" -- "${C1[@]}" --by speaker-actor -o "$TMP/forty.svg" "$TMP/forty.jsonl"
maxy=$(grep -o '<use[^>]*y="[0-9.]*"' "$TMP/forty.svg" | sed 's/.*y="\([0-9.]*\)"/\1/' | sort -n | tail -1)
awk -v y="$maxy" 'BEGIN { exit !(y > 0 && y <= 592) }' && ok "legend of 40 series within the canvas (lowest text at y=$maxy)" \
  || fail "text drawn at y=$maxy, past the 600-pixel canvas"

# --include-self where it can change nothing (hostility by speaker actor or
# speaker: no targets) is said; where it acts, no word.
expect_status 0 "--include-self by speaker actor" -- "${C1[@]}" --include-self --by speaker-actor "$IN"
expect_grep "warning: --include-self changes nothing here" "$TMP/err" "--include-self without targets said"
expect_status 0 "--include-self by dyad" -- "${C1[@]}" --include-self "$IN"
grep -q "include-self changes nothing" "$TMP/err" && fail "--include-self by dyad called useless" || ok "--include-self by dyad: no warning"
expect_status 0 "--include-self, stance by speaker actor" -- "${C1[@]}" --include-self --metric stance --by speaker-actor "$IN"
grep -q "include-self changes nothing" "$TMP/err" && fail "--include-self with stance called useless" || ok "--include-self with stance: no warning"
expect_status 2 "too many series" -- "$C" --series "$(seq -s, 1 65 | sed 's/[0-9][0-9]*/S&/g')" "$IN"
expect_grep "too many series \(at most 64\)" "$TMP/err" "the most series named"
# A point of one statement: its tooltip says no interval, not "3.00 to 3.00".
expect_status 0 "HTML, one statement a point" -- "${C1[@]}" --series 'USA>RUS' -o "$TMP/one.html" "$IN"
grep -Eq '95% ([0-9.]+) to \1, n = 1<' "$TMP/one.html" && fail "a one-statement point shows an interval" \
  || ok "no x-to-x interval for one statement"
expect_grep 'no interval, n = 1</title>' "$TMP/one.html" "one statement: 'no interval' in the tooltip"
expect_grep '95% [0-9.]+ to [0-9.]+, n = [2-9]' "$TMP/one.html" "more statements: the interval in the tooltip"
finish
