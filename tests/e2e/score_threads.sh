#!/usr/bin/env bash
# demarche-score -j N (issue 13 item 1): one reader, N workers and an ordered
# writer must print the same bytes for every N - standard output, standard
# error (warnings and errors in input order, the summary counts) and the
# exit status - in every input mode: raw text documents, JSON Lines
# documents, --statements with bad records mixed in, --lines, standard
# input, gzip, a table, --explain and -o. The inputs are long enough to
# span many batches (256 records each), so that batches finish out of order.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
ART="$DM_SOURCE_DIR/tests/articles"
LABELLED="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"

# Statements: the labelled set 12 times (744 records, 3 batches), with bad
# records among them: broken JSON, no text, a bad date (a warning), a target
# span outside the text, an unknown key, blank lines and an over-long line.
for i in $(seq 12); do
  cat "$LABELLED"
  echo '{"text": "We condemn this attack by Russia.", "speaker_actor": "GBR"'
  echo '{"id": "no-text-'"$i"'"}'
  echo '{"text": "France welcomes the agreement.", "date": "2020-13-45"}'
  echo '{"text": "Short.", "targets": [{"start": 3, "end": 99}]}'
  echo
  printf '{"text": "%s"}\n' "$(head -c 3000 /dev/zero | tr '\0' 'x')"
done >"$TMP/statements.jsonl"
gzip -c "$TMP/statements.jsonl" >"$TMP/statements.jsonl.gz"
# Documents: the 15 articles 20 times (300 documents, more than one batch).
for i in $(seq 20); do cat "$ART/articles.jsonl"; done >"$TMP/docs.jsonl"
# Lines: the statements' texts, one a line.
jq -r 'select(.text? and (.text | length) < 2000) | .text' "$TMP/statements.jsonl" 2>/dev/null \
  >"$TMP/lines.txt" || sed -n 's/.*"text": "\([^"]*\)".*/\1/p' "$TMP/statements.jsonl" >"$TMP/lines.txt"

# same_for_all_n DESCRIPTION -- args...: -j 1, 2 and 3 give the same bytes
# (STDIN: the file on standard input; MAXLINE: DEMARCHE_MAX_LINE).
same_for_all_n() {
  local desc=$1; shift 2
  local n rc ref_rc=""
  for n in 1 2 3; do
    env ${MAXLINE:+DEMARCHE_MAX_LINE=$MAXLINE} "$S" -j "$n" "$@" >"$TMP/out.$n" 2>"$TMP/err.$n" <"${STDIN:-/dev/null}"
    rc=$?
    [ -z "$ref_rc" ] && ref_rc=$rc
    if [ "$rc" -ne "$ref_rc" ]; then fail "$desc: -j $n exit $rc, -j 1 exit $ref_rc"; return; fi
  done
  if [ ! -s "$TMP/out.1" ] && [ ! -s "$TMP/err.1" ]; then fail "$desc: no output at all"; return; fi
  for n in 2 3; do
    if ! cmp -s "$TMP/out.1" "$TMP/out.$n"; then
      fail "$desc: stdout of -j $n differs from -j 1"; diff "$TMP/out.1" "$TMP/out.$n" | head -5 >&2; return
    fi
    if ! cmp -s "$TMP/err.1" "$TMP/err.$n"; then
      fail "$desc: stderr of -j $n differs from -j 1"; diff "$TMP/err.1" "$TMP/err.$n" | head -5 >&2; return
    fi
  done
  ok "$desc: -j 1, 2, 3 identical (exit $ref_rc, $(wc -l <"$TMP/out.1") lines out, $(wc -l <"$TMP/err.1") on stderr)"
}

same_for_all_n "raw text articles and a missing file" -- --jsonl \
  "$ART"/0*.txt "$TMP/no-such-file.txt" "$ART"/1*.txt
same_for_all_n "JSON Lines documents" -- --jsonl "$TMP/docs.jsonl"
same_for_all_n "documents, extraction only" -- --extract-only --jsonl "$TMP/docs.jsonl"
MAXLINE=2048 same_for_all_n "--statements with bad records" -- --jsonl --statements "$TMP/statements.jsonl"
expect_grep "statements.jsonl:[0-9]+: " "$TMP/err.2" "errors are named by file:line"
expect_grep "warning: " "$TMP/err.2" "warnings are kept"
expect_grep "line longer than 2048 bytes" "$TMP/err.2" "the over-long line is reported"
expect_grep "^demarche-score: [0-9]+ documents?, [0-9]+ statements?, [1-9][0-9]* errors?, [1-9][0-9]* warnings?" \
  "$TMP/err.2" "the summary counts errors and warnings"
MAXLINE=2048 same_for_all_n "--statements, gzip" -- --jsonl --statements "$TMP/statements.jsonl.gz"
MAXLINE=2048 STDIN="$TMP/statements.jsonl" same_for_all_n "--statements on standard input" -- --jsonl --statements -
MAXLINE=2048 STDIN="$TMP/statements.jsonl.gz" same_for_all_n "gzip on standard input" -- --jsonl --statements
MAXLINE=2048 same_for_all_n "--lines" -- --jsonl --lines "$TMP/lines.txt"
MAXLINE=2048 same_for_all_n "a table" -- --table --statements "$TMP/statements.jsonl"
expect_grep "^doc +# +speaker" "$TMP/out.3" "the table has its header"
[ "$(grep -c '^doc  *#  *speaker' "$TMP/out.3")" -eq 1 ] && ok "the header is printed once" \
  || fail "the header is printed $(grep -c '^doc  *#  *speaker' "$TMP/out.3") times"
same_for_all_n "--explain" -- --jsonl --explain --statements "$LABELLED"
expect_grep "the decision value toward" "$TMP/err.3" "explanations on stderr"
same_for_all_n "--offsets chars, --warnings=all" -- --jsonl --offsets chars --warnings=all "$TMP/docs.jsonl"
same_for_all_n "--min-attribution cue on documents" -- --jsonl --min-attribution cue "$TMP/docs.jsonl"

# -o: the file holds what standard output would.
for n in 1 3; do
  "$S" -q -j "$n" -o "$TMP/o.$n.jsonl" --statements "$TMP/statements.jsonl" 2>/dev/null
done
cmp -s "$TMP/o.1.jsonl" "$TMP/o.3.jsonl" && [ -s "$TMP/o.1.jsonl" ] && ok "-o: -j 1 and -j 3 write the same file" \
  || fail "-o: the files of -j 1 and -j 3 differ"

# --db: the workers extract and score, the writer stores in input order, so
# the store (its rows, ids included) and the messages are the same for
# every -j; a second run stores nothing and says so; duplicates within the
# input are stored once.
cat "$TMP/docs.jsonl" "$ART/articles.jsonl" >"$TMP/docs-dup.jsonl"
for n in 1 3; do
  "$S" -j "$n" --db "$TMP/s.$n.db" "$TMP/docs-dup.jsonl" 2>"$TMP/db-err.$n"
  echo "exit $?" >>"$TMP/db-err.$n"
  "$S" -j "$n" --db "$TMP/s.$n.db" "$TMP/docs-dup.jsonl" 2>"$TMP/db-again.$n"
  sqlite3 "$TMP/s.$n.db" "SELECT * FROM documents ORDER BY id; SELECT id, document, n, text, start, end FROM statements ORDER BY id;
    SELECT * FROM targets ORDER BY id; SELECT statement, level, score FROM hostility ORDER BY statement;
    SELECT target, stance, score FROM stance ORDER BY target" >"$TMP/db-dump.$n"
done
[ -s "$TMP/db-dump.1" ] && cmp -s "$TMP/db-dump.1" "$TMP/db-dump.3" \
  && ok "--db: -j 1 and -j 3 store the same rows" || fail "--db: the stores of -j 1 and -j 3 differ"
sed -i 's/s\.[13]\.db/s.N.db/' "$TMP/db-err.1" "$TMP/db-err.3"
cmp -s "$TMP/db-err.1" "$TMP/db-err.3" && ok "--db: -j 1 and -j 3 say the same" \
  || { fail "--db: stderr of -j 1 and -j 3 differ"; diff "$TMP/db-err.1" "$TMP/db-err.3" | head -5 >&2; }
expect_grep "15 documents added, 0 new revisions, 300 already stored" "$TMP/db-err.3" \
  "--db -j 3: the repeats within the input are stored once"
expect_grep " 0 documents added, 0 new revisions, 315 already stored" "$TMP/db-again.3" \
  "--db -j 3: a second run stores nothing"

# Usage errors.
for bad in 0 -1 abc 2x 257; do
  expect_status 2 "-j $bad is a usage error" -- "$S" -j "$bad" --text "We condemn it."
done
expect_grep "number of threads" "$TMP/err" "the usage error says what -j takes"
"$S" --help | grep -q -- "--threads N" && ok "--help documents -j" || fail "--help does not document -j"
expect_status 0 "--threads 2 with -e" -- "$S" --threads 2 --text "We condemn the attack by Russia."
finish
