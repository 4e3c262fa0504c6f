#!/usr/bin/env bash
# A demanding user's mistakes must not cost data: a run that has nothing to
# write keeps what is at -o / --csv; one bad line of a file costs that line
# only; every run ends with a summary that says what was read.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
T="$DM_BIN/demarche-train"
C="$DM_BIN/demarche-chart"
IN="$DM_SOURCE_DIR/tests/data/chart-input.jsonl"
: >"$TMP/empty.jsonl"

# demarche-chart: nothing to draw does not replace a --csv file with a header.
echo precious >"$TMP/keep.csv"
expect_status 1 "chart: nothing to draw" -- "$C" --csv "$TMP/keep.csv" "$TMP/empty.jsonl"
[ "$(cat "$TMP/keep.csv")" = precious ] && ok "chart: --csv file kept" || fail "chart: --csv file replaced: $(head -c 80 "$TMP/keep.csv")"
expect_grep "no CSV written" "$TMP/err" "chart: says no CSV written"
# ... nor the input file, given to --csv by mistake (getopt takes it as the CSV).
cp "$IN" "$TMP/in.jsonl"
expect_status 1 "chart: --csv eats the input name" -- "$C" --csv "$TMP/in.jsonl" </dev/null
cmp -s "$IN" "$TMP/in.jsonl" && ok "chart: the input survives --csv INPUT" || fail "chart: the input file was overwritten"
expect_status 1 "chart: nothing to draw on stdout" -- "$C" "$TMP/empty.jsonl"
expect_grep "^period,series,n,mean,lower,upper$" "$TMP/out" "chart: stdout still gets the header"

# demarche-score: every document an error (a mistyped name) keeps -o FILE.
echo precious >"$TMP/keep.jsonl"
expect_status 1 "score: missing input" -- "$S" -o "$TMP/keep.jsonl" "$TMP/no-such-file.txt"
[ "$(cat "$TMP/keep.jsonl")" = precious ] && ok "score: -o file kept" || fail "score: -o file replaced ($(wc -c <"$TMP/keep.jsonl") bytes)"
expect_grep "every document was an error: .*keep.jsonl not written" "$TMP/err" "score: says why"
expect_grep "1 document, 0 statements, 1 error," "$TMP/err" "score: summary"
# One good document among bad ones: the output is written (exit 1).
expect_status 1 "score: one good, one missing" -- "$S" --extract-only -o "$TMP/keep.jsonl" \
  "$TMP/no-such-file.txt" "$DM_SOURCE_DIR/examples/article.txt"
[ "$(wc -l <"$TMP/keep.jsonl")" -gt 0 ] && ok "score: a partly good run writes -o" || fail "score: -o not written"

# demarche-score --eval: nothing evaluated is no success, and keeps -o.
echo precious >"$TMP/report.txt"
expect_status 1 "eval: an empty labelled file" -- "$S" --eval "$TMP/empty.jsonl" -o "$TMP/report.txt"
expect_grep "nothing to evaluate" "$TMP/err" "eval: says nothing was evaluated"
[ "$(cat "$TMP/report.txt")" = precious ] && ok "eval: -o kept" || fail "eval: -o replaced"
expect_status 0 "eval: a labelled file" -- "$S" --eval "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"

# demarche-train ends with a summary line, on success and on bad data.
expect_status 0 "train: a bundle" -- "$T" -j 1 -o "$TMP/model" "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
expect_grep "^demarche-train: 1 input, 62 statements \(61 hostility, 64 stance labels\), 0 errors, 0 warnings$" \
  "$TMP/err" "train: summary line"
printf '%s\n' '{"text":"We condemn Russia.","hostility":3}' '{"text":"x","hostility":"high"}' \
  '{"text":"y","targets":{"actor":"RUS"}}' >"$TMP/bad.jsonl"
expect_status 1 "train: bad records" -- "$T" -o "$TMP/model2" "$TMP/bad.jsonl"
expect_grep "bad.jsonl:2: " "$TMP/err" "train: bad record named"
expect_grep "^demarche-train: 1 input, 1 statement \(1 hostility, 0 stance labels\), 1 of them in files refused for their errors, 2 errors, " "$TMP/err" "train: summary counts the errors and what the refused file held"
expect_status 0 "train: -q" -- "$T" -q -j 1 -o "$TMP/model" "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
[ ! -s "$TMP/err" ] && ok "train: -q drops the summary" || fail "train: -q printed: $(head -2 "$TMP/err")"

# demarche-chart --events: a bad line is named and left out, the lines after it are read.
printf 'date,label\n2021-12-01,First\n2022-13-01,Bad month\n2022-02-24,After the bad one\n' >"$TMP/ev.csv"
expect_status 1 "chart: events with a bad line" -- "$C" --min-n 1 --events "$TMP/ev.csv" -o "$TMP/c.html" "$IN"
expect_grep "ev.csv:3: event date '2022-13-01': no month 13" "$TMP/err" "chart: bad event line named, with why"
grep -q "After the bad one" "$TMP/c.html" && ok "chart: event after the bad line drawn" || fail "chart: event after the bad line lost"
expect_grep "; 1 error$" "$TMP/err" "chart: the bad line counted once"
# An output that is also an input is refused before anything is written (exit 2).
cp "$DM_SOURCE_DIR/examples/news.jsonl" "$TMP/news.jsonl"
ln -s news.jsonl "$TMP/link.jsonl"
expect_status 2 "score: -o INPUT" -- "$S" "$TMP/news.jsonl" -o "$TMP/news.jsonl"
expect_status 2 "score: -o a link to INPUT" -- "$S" -o "$TMP/link.jsonl" "$TMP/news.jsonl"
expect_grep "is also an input" "$TMP/err" "score: says the output is an input"
cmp -s "$DM_SOURCE_DIR/examples/news.jsonl" "$TMP/news.jsonl" && ok "score: the input survives -o INPUT" || fail "score: -o replaced its input"
expect_status 2 "score: --export -o STORE" -- "$S" --db "$TMP/news.jsonl" --export -o "$TMP/news.jsonl"
expect_status 0 "score: -o /dev/null is no input" -- "$S" --extract-only "$TMP/news.jsonl" -o /dev/null
cp "$IN" "$TMP/in2.jsonl"
expect_status 2 "chart: --csv INPUT with points to draw" -- "$C" --min-n 1 --csv "$TMP/in2.jsonl" "$TMP/in2.jsonl"
expect_status 2 "chart: --csv EVENTS" -- "$C" --min-n 1 --events "$TMP/ev.csv" --csv "$TMP/ev.csv" "$IN"
cmp -s "$IN" "$TMP/in2.jsonl" && ok "chart: the input survives --csv INPUT" || fail "chart: --csv replaced its input"

# --explain with --json writes its sums on stderr: a stderr that cannot be
# written is an output failure (exit 3), not a success.
"$S" --explain --json "$DM_SOURCE_DIR/examples/article.txt" >/dev/null 2>/dev/full
rc=$?; [ "$rc" -eq 3 ] && ok "score: --explain --json 2>/dev/full exits 3" || fail "score: --explain --json 2>/dev/full exit $rc"
# An empty input is no document: the summary says 0 documents with a warning
# naming the file, and -o keeps what was there (an empty download must not
# wipe yesterday's output); on stdout, an empty input is a clean run.
: >"$TMP/empty.txt"
expect_status 0 "score: an empty raw text file" -- "$S" --json "$TMP/empty.txt"
expect_grep "empty.txt: warning: empty input" "$TMP/err" "score: empty file named"
expect_grep "^demarche-score: 0 documents, 0 statements, 0 errors, 1 warning$" "$TMP/err" "score: empty file is 0 documents"
echo precious >"$TMP/keep2.jsonl"
expect_status 1 "score: -o with only an empty input" -- "$S" --json -o "$TMP/keep2.jsonl" "$TMP/empty.jsonl"
[ "$(cat "$TMP/keep2.jsonl")" = precious ] && ok "score: -o kept on an empty input" || fail "score: -o replaced by an empty input"
expect_grep "no document in the input: .*keep2.jsonl not written" "$TMP/err" "score: says -o was kept"
printf '\n \n' | "$S" --json - >"$TMP/out" 2>"$TMP/err"
expect_grep "^<stdin>: warning: empty input" "$TMP/err" "score: blank stdin is empty"
expect_grep "^demarche-score: 0 documents," "$TMP/err" "score: blank stdin is 0 documents"
# ... but a --shard task whose documents all belong to other shards writes
# its (empty) part, exit 0: a pipeline concatenating the parts needs it.
head -1 "$DM_SOURCE_DIR/examples/news.jsonl" >"$TMP/news01.jsonl"   # news-01: shard 6 of 8
echo precious >"$TMP/part0.jsonl"
expect_status 0 "score: --shard with no document of its own" -- "$S" --json --shard 0/8 -o "$TMP/part0.jsonl" "$TMP/news01.jsonl"
[ -e "$TMP/part0.jsonl" ] && [ ! -s "$TMP/part0.jsonl" ] && ok "score: the empty part is written" || fail "score: the part was not written"
expect_grep "shard 0/8: 1 record of the other shards" "$TMP/err" "score: 1 record, singular"
expect_status 0 "score: an empty file beside a document" -- "$S" --json "$TMP/empty.jsonl" "$DM_SOURCE_DIR/examples/article.txt"
expect_grep "^demarche-score: 1 document, " "$TMP/err" "score: the empty file is not counted"

# Training: a labelled "statement" over 1 MB (a whole document) is an error of
# its line, not gigabytes of memory (featurising holds some 60-90 bytes a byte).
python3 -c 'import json; print(json.dumps({"text": "Russia lies. " * 90000, "hostility": 3}))' >"$TMP/long.jsonl"
cat "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl" >>"$TMP/long.jsonl"
expect_status 1 "train: a 1.1 MB labelled text" -- "$T" -j 1 -o "$TMP/model3" "$TMP/long.jsonl"
expect_grep "long.jsonl:1: \"text\" is 1170000 bytes, over the 1048576" "$TMP/err" "train: over-long text named"
[ ! -e "$TMP/model3" ] && ok "train: no bundle from it" || fail "train: a bundle was written"
expect_status 1 "eval: a 1.1 MB labelled text" -- "$S" --eval "$TMP/long.jsonl"
expect_grep "long.jsonl:1: \"text\" is 1170000 bytes" "$TMP/err" "eval: over-long text named"
# Scoring: a given statement over 1 MB (a document given as one statement)
# is an error of its record, the records around it are scored.
python3 -c 'import json; print(json.dumps({"id": "s1", "text": "We thank France."})); print(json.dumps({"id": "big", "text": "Russia lies. " * 90000})); print(json.dumps({"id": "s3", "text": "Russia must withdraw."}))' >"$TMP/given.jsonl"
expect_status 1 "score: a 1.1 MB given statement" -- "$S" -j 1 --json --statements "$TMP/given.jsonl"
expect_grep "given.jsonl:2: a given statement of 1170000 bytes, over the 1048576" "$TMP/err" "score: over-long statement named"
[ "$(wc -l <"$TMP/out")" -eq 2 ] && ok "score: the statements around it scored" || fail "score: $(wc -l <"$TMP/out") statements"
expect_grep "^demarche-score: 3 documents, 2 statements, 1 error, " "$TMP/err" "score: summary counts it"
# A JSON array of records (json.dump, pandas) is not a text: scored as one it
# gave hundreds of "statements" made of its keys ("id"), without a word.
jq -s . "$DM_SOURCE_DIR/examples/news.jsonl" >"$TMP/news-array.json"
expect_status 1 "score: a JSON array file" -- "$S" --json "$TMP/news-array.json"
expect_grep "news-array.json:1: one JSON array of 28 records, not JSON Lines .*jq -c" "$TMP/err" "score: JSON array named, with the fix"
[ ! -s "$TMP/out" ] && ok "score: no statements made of JSON syntax" || fail "score: $(wc -l <"$TMP/out") statements from a JSON array"
expect_status 0 "score: --format text still scores it as a text" -- "$S" --json --format text "$TMP/news-array.json"
printf '[Reuters] "We will not accept this," the minister said.\n' >"$TMP/bracket.txt"
expect_status 0 "score: a text that starts with [ is a text" -- "$S" --json "$TMP/bracket.txt"

# An events CSV whose quote never closes: the error says that the rest of the
# file went into it (the events after it are not drawn).
printf 'date,label\n2022-02-24,"Invasion\n2022-03-01,After\n' >"$TMP/ev-open.csv"
expect_status 1 "chart: events with an unclosed quote" -- "$C" --min-n 1 --events "$TMP/ev-open.csv" -o "$TMP/c2.html" "$IN"
expect_grep "ev-open.csv:2: unterminated quoted field: its quote is never closed, so the rest of the file is inside it" "$TMP/err" "chart: unclosed quote explained"
finish
