#!/usr/bin/env bash
# demarche-score's command-line conventions, through the real executable:
# help, usage errors, inputs (file, stdin, gzip, JSON Lines), data errors
# reported as file:line with the rest processed, the summary, atomic output.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
EX="$DM_SOURCE_DIR/examples/article.txt"

expect_status 0 "--help exits 0" -- "$S" --help
expect_grep "^usage: demarche-score" "$TMP/out" "--help goes to stdout"
[ -s "$TMP/err" ] && fail "--help printed on stderr" || ok "--help prints nothing on stderr"
expect_status 2 "unknown option is a usage error" -- "$S" --no-such-option
expect_status 2 "bad --format value" -- "$S" --format xml
expect_status 2 "-e with files" -- "$S" --text "hello" "$EX"

expect_status 0 "raw text article" -- "$S" --extract-only --jsonl "$EX"
n=$(wc -l <"$TMP/out")
[ "$n" -ge 10 ] && ok "article gives $n statements" || fail "article gives only $n statements"
jq -e . "$TMP/out" >/dev/null && ok "every output line is JSON" || fail "output is not JSON Lines"
jq -e 'has("doc") and has("index") and has("date") and has("speaker") and has("speaker_role")
       and has("speaker_actor") and has("cue") and has("kind") and has("text") and has("start")
       and has("end") and has("targets")' "$TMP/out" >/dev/null \
  && ok "records carry every documented field" || fail "missing fields"
expect_grep "demarche-score: 1 document, $n statements?, 0 errors" "$TMP/err" "summary on stderr"
# Offsets point into the original bytes: original[start:end] is the text as printed.
first=$(jq -r 'select(.speaker == "Helena Marsh") | "\(.start) \(.end)"' "$TMP/out" | head -1)
if [ -n "$first" ]; then
  set -- $first
  slice=$(head -c "$2" "$EX" | tail -c +"$(($1 + 1))")
  [ "$slice" = "playing with fire" ] && ok "byte offsets slice the original" \
    || fail "original[start:end] is '$slice'"
else
  fail "no statement by Helena Marsh"
fi

# stdin and gzip give the same statements.
"$S" --extract-only --jsonl "$EX" >"$TMP/a.jsonl" 2>/dev/null
"$S" --extract-only --jsonl - <"$EX" >"$TMP/b.jsonl" 2>/dev/null
gzip -c "$EX" >"$TMP/article.txt.gz"
"$S" --extract-only --jsonl "$TMP/article.txt.gz" >"$TMP/c.jsonl" 2>/dev/null
[ "$(jq -c 'del(.doc)' "$TMP/a.jsonl")" = "$(jq -c 'del(.doc)' "$TMP/b.jsonl")" ] \
  && ok "stdin gives the same statements" || fail "stdin differs"
[ "$(jq -c 'del(.doc)' "$TMP/a.jsonl")" = "$(jq -c 'del(.doc)' "$TMP/c.jsonl")" ] \
  && ok ".gz gives the same statements" || fail ".gz differs"

# JSON Lines with broken records: each reported as file:line, the rest processed, exit 1.
cat >"$TMP/docs.jsonl" <<'JSONL'
{"id":"ok1","date":"2021-03-04","text":"\"We condemn this attack,\" the minister said."}
{"id":"broken", "text": "no closing quote
{"id":"notext","date":"2021"}

{"id":"ok2","date":"2021-03-05T10:00:00Z","text":"Lavrov said Moscow \"will respond\" to any sanctions."}
JSONL
gzip -c "$TMP/docs.jsonl" >"$TMP/docs.jsonl.gz"
for f in "$TMP/docs.jsonl" "$TMP/docs.jsonl.gz"; do
  expect_status 1 "bad records make exit 1 ($(basename "$f"))" -- "$S" --extract-only --jsonl "$f"
  expect_grep "docs.jsonl(.gz)?:2: invalid JSON" "$TMP/err" "broken JSON named by file:line"
  expect_grep "docs.jsonl(.gz)?:3: record has no \"text\"" "$TMP/err" "record without text named"
  expect_grep "4 documents, [0-9]+ statements?, 2 errors" "$TMP/err" "summary counts errors"
  [ "$(jq -r .doc "$TMP/out" | sort -u | tr '\n' ' ')" = "ok1 ok2 " ] \
    && ok "good records processed" || fail "good records missing: $(jq -r .doc "$TMP/out" | sort -u)"
  expect_grep '"date":"2021-03-05T10:00:00Z"' "$TMP/out" "dates carried through"
done

# A missing file is an error, the other inputs still processed.
expect_status 1 "missing input file" -- "$S" --extract-only --jsonl /nonexistent.txt "$EX"
expect_grep "/nonexistent.txt: cannot open" "$TMP/err" "missing file named"
[ "$(wc -l <"$TMP/out")" -eq "$n" ] && ok "other input processed" || fail "other input lost"

# Invalid UTF-8: replaced, warned, still processed.
printf '"We reject this \xff outright," the envoy said.\n' >"$TMP/bad.txt"
expect_status 0 "invalid UTF-8 still processed" -- "$S" --extract-only --jsonl "$TMP/bad.txt"
expect_grep "invalid UTF-8" "$TMP/err" "invalid UTF-8 warned"
expect_grep "We reject this" "$TMP/out" "statement found despite invalid UTF-8"

# Atomic output file: written whole, no temporary left behind.
expect_status 0 "--output" -- "$S" --extract-only -o "$TMP/out.jsonl" "$EX"
[ "$(wc -l <"$TMP/out.jsonl")" -eq "$n" ] && ok "--output holds every statement" || fail "--output incomplete"
ls "$TMP" | grep -q 'out.jsonl.tmp' && fail "temporary file left" || ok "no temporary file left"
expect_status 3 "--output into a missing directory" -- "$S" --extract-only -o /nonexistent/dir/x "$EX"

# -e: one statement from the shell.
expect_status 0 "-e TEXT" -- "$S" --extract-only --jsonl --text "Russia must withdraw its troops from Ukraine." --speaker-actor GBR
expect_grep '"kind":"given"' "$TMP/out" "-e gives a given statement"
expect_grep '"speaker_actor":"GBR"' "$TMP/out" "-e carries the speaker actor"
expect_grep '"actor":"RUS"' "$TMP/out" "-e finds the targets"

# A truncated .gz input (added by the robustness pass): the lines before the
# cut are processed, the cut is reported with the file name, exit 1.
for i in $(seq 1 400); do
  printf '{"id":"t%d","date":"2024-01-02","text":"\\"We will not accept this number %d,\\" Sergei Lavrov said."}\n' "$i" "$i"
done | gzip -c >"$TMP/full.jsonl.gz"
head -c $(($(stat -c %s "$TMP/full.jsonl.gz") / 2)) "$TMP/full.jsonl.gz" >"$TMP/cut.jsonl.gz"
expect_status 1 "truncated .gz makes exit 1" -- "$S" --extract-only --jsonl "$TMP/cut.jsonl.gz"
expect_grep "cut.jsonl.gz:[0-9]+: .*unexpected end of file" "$TMP/err" "truncated .gz named by file:line"
[ -s "$TMP/out" ] && ok "records before the cut processed" || fail "nothing processed before the cut"
expect_grep "[0-9]+ documents?, [0-9]+ statements?, 1 error," "$TMP/err" "summary counts the cut"
expect_status 1 "truncated .gz on stdin makes exit 1" -- "$S" --extract-only --jsonl - <"$TMP/cut.jsonl.gz"

# --statements targets given by mention (first occurrence), as in training data.
printf '%s\n' '{"id":"m","text":"Paris and Moscow disagree; Moscow insists.","targets":[{"mention":"Moscow","actor":"RUS-GOV"}]}' >"$TMP/mention.jsonl"
expect_status 0 "--statements target by mention" -- "$S" --extract-only --jsonl --statements "$TMP/mention.jsonl"
expect_grep '"targets":\[\{"actor":"RUS-GOV","mention":"Moscow","start":10,"end":16\}\]' "$TMP/out" "mention located at its first occurrence"
printf '%s\n' '{"id":"m","text":"Paris and Moscow.","targets":[{"mention":"Berlin"}]}' >"$TMP/nomention.jsonl"
expect_status 1 "mention not in the text" -- "$S" --extract-only --jsonl --statements "$TMP/nomention.jsonl"
expect_grep 'nomention.jsonl:1: target 1: mention "Berlin" is not in the text' "$TMP/err" "missing mention named"

# --date fills JSON Lines records that give no date (no key, null, ""); a
# record's own date wins. It used to be ignored for JSON Lines, silently.
printf '%s\n' '{"id":"n1","text":"\"We reject these threats from Ukraine,\" Sergei Lavrov said."}' \
  '{"id":"n2","date":null,"text":"\"We reject these threats from Ukraine,\" Sergei Lavrov said."}' \
  '{"id":"n3","date":"","text":"\"We reject these threats from Ukraine,\" Sergei Lavrov said."}' \
  '{"id":"n4","date":"2020-01-02","text":"\"We reject these threats from Ukraine,\" Sergei Lavrov said."}' >"$TMP/nodate.jsonl"
expect_status 0 "--date on JSON Lines" -- "$S" --extract-only --jsonl --date 2024-03 "$TMP/nodate.jsonl"
[ "$(jq -r '.doc + " " + .date' "$TMP/out" | tr '\n' ' ')" = "n1 2024-03 n2 2024-03 n3 2024-03 n4 2020-01-02 " ] \
  && ok "--date fills records without a date, a record's own wins" || fail "dates: $(jq -c '[.doc,.date]' "$TMP/out")"
expect_status 0 "--date on --statements records" -- "$S" --extract-only --jsonl --statements --date 2024-03 "$TMP/nodate.jsonl"
[ "$(jq -r .date "$TMP/out" | tr '\n' ' ')" = "2024-03 2024-03 2024-03 2020-01-02 " ] \
  && ok "--date fills --statements records" || fail "statements dates: $(jq -r .date "$TMP/out" | tr '\n' ' ')"
# --lenient and --eval-format belong to --eval: alone they would do nothing.
expect_status 2 "--lenient without --eval" -- "$S" --lenient --extract-only "$TMP/nodate.jsonl"
expect_grep "lenient works with --eval FILE only" "$TMP/err" "--lenient without --eval said"
expect_status 2 "--eval-format without --eval" -- "$S" --eval-format unscon --extract-only "$TMP/nodate.jsonl"
expect_grep "eval-format works with --eval FILE only" "$TMP/err" "--eval-format without --eval said"

# An actor code typed in lower case is the actor, not a code of its own:
# "rus" would lose the self flag (and score the target as another's).
expect_status 0 "--speaker-actor in lower case" -- "$S" --extract-only --jsonl --speaker-actor rus --text "Russia will never accept these threats."
[ "$(jq -c '[.speaker_actor, .targets[0].actor, .targets[0].self]' "$TMP/out")" = '["RUS","RUS",true]' ] \
  && ok "rus read as RUS: the speaker's own actor is self" || fail "lower-case code: $(cat "$TMP/out")"
expect_grep "warning: --speaker-actor 'rus' read as 'RUS' \(actor codes are upper case\)" "$TMP/err" "the change said"
expect_grep "0 errors, 1 warning$" "$TMP/err" "the summary counts the option's warning"
expect_status 0 "two lower-case codes and -e" -- "$S" --extract-only --jsonl --speaker-actor rus --target usa -e "They signed it."
expect_grep "0 errors, 3 warnings$" "$TMP/err" "the summary counts the three option warnings"
expect_status 0 "--target in lower case" -- "$S" --extract-only --jsonl --target arms-treaty --text "They signed it."
[ "$(jq -r '.targets[0].actor' "$TMP/out")" = ARMS-TREATY ] && ok "--target arms-treaty read as ARMS-TREATY" \
  || fail "--target: $(cat "$TMP/out")"
expect_status 0 "-q hides the note" -- "$S" -q --extract-only --jsonl --speaker-actor usa --text "x y"
[ -s "$TMP/err" ] && fail "-q printed: $(cat "$TMP/err")" || ok "-q: no note"
finish
