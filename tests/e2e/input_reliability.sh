#!/usr/bin/env bash
# Input that must never be lost silently (issue 8, items 5-9), through the
# three executables: corrupt, truncated and garbage gzip, directories,
# missing files and over-long lines are errors that count; byte order marks
# and UTF-16/32; duplicate JSON keys; spans that disagree with their
# mention; a chart statement with many targets and long series keys; the
# CSV field and image size caps; long documents read by windows.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
T="$DM_BIN/demarche-train"
C="$DM_BIN/demarche-chart"
EX="$DM_SOURCE_DIR/examples/article.txt"
LABELLED="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
CHART_IN="$DM_SOURCE_DIR/tests/data/chart-input.jsonl"

# ---- 5. Read errors: counted, exit 1, in every format ------------------------
printf '\037\213\010\000garbage after the gzip magic, not deflate data' >"$TMP/magic.gz"
# A real gzip header followed by 200 KB of corrupt deflate data (more than
# the 128 KB the reader looks at first under --format auto).
gzip -c "$EX" >"$TMP/article.gz"
{ head -c 10 "$TMP/article.gz"; head -c 200000 /dev/zero | tr '\0' '\377'; } >"$TMP/corrupt.gz"
gzip -c "$EX" | head -c 400 >"$TMP/cut.gz"
mkdir -p "$TMP/adir"
for f in magic corrupt cut; do
  for fmt in auto text jsonl; do
    expect_status 1 "$f.gz is an error (--format $fmt)" -- "$S" --extract-only --jsonl --format "$fmt" "$TMP/$f.gz"
    expect_grep "$f.gz:[0-9]+: read error" "$TMP/err" "$f.gz: read error named by file:line"
    expect_grep "([0-9]+) documents?, 0 statements, \1 errors?" "$TMP/err" "$f.gz: every document an error"
  done
done
expect_status 1 "a directory is an error" -- "$S" --extract-only --jsonl "$TMP/adir" "$EX"
expect_grep "adir: is a directory" "$TMP/err" "directory named"
expect_grep "2 documents, [1-9][0-9]* statements?, 1 error," "$TMP/err" "directory counted as a document"
expect_status 1 "a missing file is an error" -- "$S" --extract-only --jsonl "$TMP/nosuch.txt"
expect_grep "1 document, 0 statements, 1 error," "$TMP/err" "missing file counted as a document"
expect_status 1 "chart: corrupt gzip" -- "$C" "$TMP/corrupt.gz"
expect_grep "corrupt.gz:[0-9]+: read error" "$TMP/err" "chart names the corrupt gzip"
expect_status 1 "chart: a directory" -- "$C" "$TMP/adir"
expect_grep "adir: is a directory" "$TMP/err" "chart names the directory"

# Over-long lines are documents lost: counted (limit lowered for the test).
{ echo '{"id":"a","text":"\"We condemn this,\" the minister said."}'
  printf '{"id":"long","text":"%s"}\n' "$(head -c 3000 /dev/zero | tr '\0' x)"
  echo '{"id":"b","text":"\"We condemn this,\" the minister said."}'; } >"$TMP/long.jsonl"
DEMARCHE_MAX_LINE=1000 expect_status 1 "over-long line is an error" -- "$S" --extract-only --jsonl "$TMP/long.jsonl"
expect_grep "long.jsonl:2: line longer than 1000 bytes" "$TMP/err" "over-long line named"
expect_grep "3 documents, 2 statements, 1 error," "$TMP/err" "documents = processed + errors"

# UNSCon CSV: a truncated .csv.gz trains nothing and evaluates nothing.
{ echo "file_id,sentence_text,A0,A4,B1,B3"
  for i in $(seq 1 600); do
    case $((i % 3)) in
      0) a0=Direct_NegEval; a4=ukraine ;;
      1) a0=Indirect_NegEval; a4=ukraine ;;
      *) a0=_; a4=_ ;;
    esac
    echo "UNSC_2014_SPV.7165_spch$((i % 40))_Russian_Federation,\"Statement $i on the situation , we respond .\",$a0,$a4,_,_"
  done; } >"$TMP/unscon.csv"
gzip -c "$TMP/unscon.csv" >"$TMP/unscon.csv.gz"
head -c $(($(stat -c %s "$TMP/unscon.csv.gz") / 2)) "$TMP/unscon.csv.gz" >"$TMP/unscon-cut.csv.gz"
expect_status 1 "train: truncated .csv.gz" -- "$T" --unscon "$TMP/unscon-cut.csv.gz" --task hostility -o "$TMP/m-cut"
expect_grep "unscon-cut.csv.gz:[0-9]+: read error: unexpected end of file" "$TMP/err" "train names the truncation"
[ ! -e "$TMP/m-cut" ] && ok "no model written from half the data" || fail "a model was written from a truncated file"
expect_status 0 "train: the whole .csv.gz" -- "$T" --unscon "$TMP/unscon.csv.gz" --task hostility -o "$TMP/m"
expect_status 1 "--eval: truncated .csv.gz" -- "$S" -m "$TMP/m" --eval "$TMP/unscon-cut.csv.gz" --eval-format unscon
expect_grep "unscon-cut.csv.gz:[0-9]+: read error: unexpected end of file" "$TMP/err" "--eval names the truncation"
expect_status 1 "train: a directory" -- "$T" "$TMP/adir" -o "$TMP/m-dir"
expect_grep "adir: is a directory" "$TMP/err" "train names the directory"

# ---- 6. Encodings ---------------------------------------------------------------
cat >"$TMP/docs.jsonl" <<'JSONL'
{"id":"first","text":"\"We condemn this attack,\" the minister said."}
{"id":"second","text":"Lavrov said Moscow \"will respond\" to any sanctions."}
JSONL
"$S" --extract-only --jsonl "$TMP/docs.jsonl" >"$TMP/plain.out" 2>/dev/null
{ printf '\357\273\277'; cat "$TMP/docs.jsonl"; } >"$TMP/bom.jsonl"
expect_status 0 "score: UTF-8 BOM" -- "$S" --extract-only --jsonl "$TMP/bom.jsonl"
cmp -s "$TMP/out" "$TMP/plain.out" && ok "UTF-8 BOM keeps the first record" || fail "UTF-8 BOM changed the output"
for enc in UTF-16LE UTF-16BE UTF-32LE UTF-32BE; do
  # iconv writes no BOM for an explicit byte order: put one first.
  { printf '\357\273\277' | iconv -f UTF-8 -t "$enc"; iconv -f UTF-8 -t "$enc" "$TMP/docs.jsonl"; } >"$TMP/wide.jsonl"
  expect_status 0 "score: $enc with a BOM" -- "$S" --extract-only --jsonl "$TMP/wide.jsonl"
  cmp -s "$TMP/out" "$TMP/plain.out" && ok "$enc decoded" || fail "$enc: $(head -c 300 "$TMP/out")"
done
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$EX"; } >"$TMP/article16.txt"
"$S" --extract-only --jsonl "$EX" 2>/dev/null | jq -c 'del(.doc)' >"$TMP/a.jsonl" 2>/dev/null
"$S" --extract-only --jsonl "$TMP/article16.txt" 2>/dev/null | jq -c 'del(.doc)' >"$TMP/b.jsonl"
cmp -s "$TMP/a.jsonl" "$TMP/b.jsonl" && ok "UTF-16 raw text: same statements and offsets (into the UTF-8 text)" \
  || fail "UTF-16 raw text differs"
iconv -f UTF-8 -t UTF-16LE "$TMP/docs.jsonl" >"$TMP/nobom.jsonl"
expect_status 1 "UTF-16 without a BOM is refused" -- "$S" --extract-only --jsonl "$TMP/nobom.jsonl"
expect_grep "nobom.jsonl:1: .*UTF-16LE without a byte order mark.*iconv -f UTF-16LE -t UTF-8" "$TMP/err" \
  "the refusal says how to convert"
[ -s "$TMP/out" ] && fail "garbage scored from UTF-16" || ok "nothing scored from UTF-16 without a BOM"
# Training and chart read the same way.
{ printf '\357\273\277'; cat "$LABELLED"; } >"$TMP/labelled-bom.jsonl"
expect_status 0 "train: UTF-8 BOM" -- "$T" "$TMP/labelled-bom.jsonl" -o "$TMP/m-bom"
want=$(grep -c . "$LABELLED")
got=$(jq '.training_sources[0].statements' "$TMP/m-bom/manifest.json")
[ "$got" = "$want" ] && ok "train: the BOM costs no record ($got)" || fail "train read $got of $want records"
{ printf '\376\377'; iconv -f UTF-8 -t UTF-16BE "$LABELLED"; } >"$TMP/labelled16.jsonl"
expect_status 0 "train: UTF-16BE with a BOM" -- "$T" "$TMP/labelled16.jsonl" -o "$TMP/m-16"
cmp -s "$TMP/m-bom/hostility.model" "$TMP/m-16/hostility.model" && ok "train: UTF-16 gives the same model" \
  || fail "train: UTF-16 model differs"
"$C" --min-n 1 --by target "$CHART_IN" >"$TMP/chart-plain.csv" 2>"$TMP/chart-plain.err"
{ printf '\357\273\277'; cat "$CHART_IN"; } >"$TMP/chart-bom.jsonl"
expect_status 0 "chart: UTF-8 BOM" -- "$C" --min-n 1 --by target "$TMP/chart-bom.jsonl"
cmp -s "$TMP/out" "$TMP/chart-plain.csv" && ok "chart: the BOM costs no record" || fail "chart: BOM changed the CSV"
{ printf '\377\376'; iconv -f UTF-8 -t UTF-16LE "$CHART_IN"; } >"$TMP/chart16.jsonl"
expect_status 0 "chart: UTF-16LE with a BOM" -- "$C" --min-n 1 --by target "$TMP/chart16.jsonl"
cmp -s "$TMP/out" "$TMP/chart-plain.csv" && ok "chart: UTF-16 decoded" || fail "chart: UTF-16 CSV differs"

# ---- 7. Duplicate keys; chart keys --------------------------------------------
printf '%s\n' '{"id":"a","text":"Moscow said no.","text":"Paris said yes."}' >"$TMP/dup.jsonl"
expect_status 1 "score: duplicate key" -- "$S" --extract-only --jsonl "$TMP/dup.jsonl"
expect_grep "dup.jsonl:1: .*duplicate object key" "$TMP/err" "score names the duplicate key"
printf '%s\n' '{"text":"We thank Norway.","hostility":0,"hostility":4}' >"$TMP/dup-train.jsonl"
expect_status 1 "train: duplicate key" -- "$T" "$TMP/dup-train.jsonl" -o "$TMP/m-dup"
expect_grep "dup-train.jsonl:1: .*duplicate object key" "$TMP/err" "train names the duplicate key"
printf '%s\n' '{"date":"2020-01-01","date":"2021-01-01","speaker_actor":"USA","targets":[],"hostility":{"level":1,"score":0.2}}' >"$TMP/dup-chart.jsonl"
expect_status 1 "chart: duplicate key" -- "$C" "$TMP/dup-chart.jsonl"
expect_grep "dup-chart.jsonl:1: .*duplicate object key" "$TMP/err" "chart names the duplicate key"

targets=$(for i in $(seq 0 19); do printf '{"actor":"T%02d"},' $((i < 18 ? i : i - 2)); done)
printf '{"date":"2020-01-15","speaker_actor":"USA","targets":[%s],"hostility":{"level":2,"score":0.5}}\n' \
  "${targets%,}" >"$TMP/many.jsonl"
expect_status 0 "chart: a statement with 20 targets" -- "$C" --min-n 1 --by target "$TMP/many.jsonl"
[ "$(grep -c '^2020-01,T[0-9]*,1,' "$TMP/out")" = 18 ] && ok "each of 18 target series counts the statement once" \
  || fail "chart counts: $(cat "$TMP/out")"
long=$(head -c 200 /dev/zero | tr '\0' A)
printf '{"date":"2020-01-15","speaker_actor":"USA","targets":[{"actor":"%sX"}],"hostility":{"level":0,"score":0.0}}\n{"date":"2020-01-15","speaker_actor":"USA","targets":[{"actor":"%sY"}],"hostility":{"level":4,"score":1.0}}\n' \
  "$long" "$long" >"$TMP/longkeys.jsonl"
expect_status 0 "chart: 201-byte series keys" -- "$C" --min-n 1 "$TMP/longkeys.jsonl"
[ "$(grep -c "^2020-01,USA>${long}[XY],1," "$TMP/out")" = 2 ] && ok "long series keys stay whole and distinct" \
  || fail "long keys merged: $(cut -c1-80 "$TMP/out")"

# ---- 8. Spans that disagree with their mention ----------------------------------
cat >"$TMP/spans.jsonl" <<'JSONL'
{"id":"a","text":"Paris and Moscow disagree; Moscow insists.","targets":[{"actor":"RUS","mention":"Moscow","start":25,"end":30},{"actor":"DEU","mention":"Berlin","start":0,"end":6},{"actor":"FRA","mention":"Paris","start":0,"end":5}]}
JSONL
expect_status 1 "--statements: a target whose mention is absent" -- "$S" --extract-only --jsonl --statements "$TMP/spans.jsonl"
expect_grep 'spans.jsonl:1: warning: target 1: offsets 25-30 hold other words than the mention "Moscow"; moved to its nearest occurrence, bytes 27-33' \
  "$TMP/err" "mismatched span re-located with a warning"
expect_grep 'spans.jsonl:1: target 2: mention "Berlin" is not in the text; target left out' "$TMP/err" \
  "absent mention: that target rejected with file:line"
jq -e '[.targets[] | "\(.actor):\(.start)-\(.end)"] == ["RUS:27-33", "FRA:0-5"]' "$TMP/out" >/dev/null \
  && ok "the record keeps its other targets" || fail "targets: $(cat "$TMP/out")"
printf '%s\n' '{"text":"Paris and Moscow disagree; Moscow insists.","hostility":1,"targets":[{"actor":"RUS","mention":"Moscow","start":0,"end":6,"stance":"against"}]}' >"$TMP/train-span.jsonl"
cat "$LABELLED" >>"$TMP/train-span.jsonl"
expect_status 0 "train: a span that is not its mention" -- "$T" "$TMP/train-span.jsonl" -o "$TMP/m-span"
expect_grep 'train-span.jsonl:1: warning: targets\[0\]: span 0-6 is not the mention "Moscow"' "$TMP/err" \
  "train warns with file:line"
printf '%s\n' '{"text":"Moscow insists.","hostility":1,"targets":[{"actor":"DEU","mention":"Berlin","start":0,"end":6,"stance":"against"}]}' >"$TMP/train-absent.jsonl"
expect_status 1 "train: a mention that is not in the text" -- "$T" "$TMP/train-absent.jsonl" -o "$TMP/m-absent"
expect_grep 'train-absent.jsonl:1: targets\[0\]: mention "Berlin" is not in the text' "$TMP/err" "train names it"

# ---- 9. Caps ----------------------------------------------------------------------
{ echo "file_id,sentence_text,A0,A4,B1,B3"
  echo 'UNSC_2014_SPV.7165_spch1_France,"A fine sentence .",_,_,_,_'
  printf 'UNSC_2014_SPV.7165_spch2_France,"never closed'
  head -c 1100000 /dev/zero | tr '\0' y; } >"$TMP/unterminated.csv"
expect_status 1 "train: a 1.1 MB unterminated quoted field" -- "$T" --unscon "$TMP/unterminated.csv" -o "$TMP/m-cap"
expect_grep "unterminated.csv:3: field 2 is longer than 1048576 bytes \(a quote that is never closed\?\)" \
  "$TMP/err" "CSV field cap named by file:line"
expect_status 2 "chart: --width 20000" -- "$C" --min-n 1 --width 20000 -o "$TMP/c.png" "$CHART_IN"
expect_grep "width needs 200-10000" "$TMP/err" "--width cap explained"
expect_status 2 "chart: --height 20000" -- "$C" --min-n 1 --height 20000 -o "$TMP/c.png" "$CHART_IN"
expect_status 2 "chart: a 10000x5000 PNG" -- "$C" --min-n 1 --width 10000 --height 5000 -o "$TMP/c.png" "$CHART_IN"
expect_grep "at most 25000000 pixels" "$TMP/err" "PNG pixel cap explained"
expect_status 0 "chart: 10000x600 SVG" -- "$C" --min-n 1 --width 10000 --height 600 -o "$TMP/c.svg" -q "$CHART_IN"

# A long document is read by windows: the same statements as read whole.
for i in 1 2 3 4 5; do cat "$EX"; echo; done >"$TMP/long.txt"
"$S" --extract-only --jsonl "$TMP/long.txt" >"$TMP/whole.jsonl" 2>/dev/null
DEMARCHE_WINDOW_BYTES=1200 expect_status 0 "a document read by 1200-byte windows" -- "$S" --extract-only --jsonl "$TMP/long.txt"
cmp -s "$TMP/out" "$TMP/whole.jsonl" && ok "windows give the statements, numbers and offsets of the whole" \
  || fail "windows differ: $(diff "$TMP/out" "$TMP/whole.jsonl" | head -5)"
[ "$(wc -l <"$TMP/out")" -ge 50 ] && ok "five articles, $(wc -l <"$TMP/out") statements" || fail "too few statements"

finish
