#!/usr/bin/env bash
# demarche-score's ways to give statements (issue 17 item 1): --lines (one
# statement per input line), repeated -e, --speaker/--speaker-actor for any
# given statement, and the note when a document yields no statement.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"

printf 'Russia must withdraw its troops now.\nWe thank France for its help.\n\nChina is a threat.\n' >"$TMP/plain.txt"

# --lines: one statement a line, index = line number, blank lines skipped.
expect_status 0 "--lines reads plain lines" -- "$S" --lines --jsonl --speaker-actor GBR - <"$TMP/plain.txt"
[ "$(wc -l <"$TMP/out")" -eq 3 ] && ok "--lines: three statements" || fail "--lines gives $(wc -l <"$TMP/out") statements"
[ "$(jq -r '.index' "$TMP/out" | tr '\n' ' ')" = "1 2 4 " ] && ok "--lines: index is the line number" \
  || fail "--lines indices: $(jq -r '.index' "$TMP/out" | tr '\n' ' ')"
[ "$(jq -r '.text' "$TMP/out" | head -1)" = "Russia must withdraw its troops now." ] \
  && ok "--lines: a line is one statement" || fail "--lines text: $(jq -r .text "$TMP/out" | head -1)"
[ "$(jq -r '.speaker_actor' "$TMP/out" | sort -u)" = "GBR" ] && ok "--speaker-actor applies to --lines" \
  || fail "--lines speaker_actor: $(jq -r .speaker_actor "$TMP/out" | sort -u | tr '\n' ' ')"
[ "$(jq -r '.kind' "$TMP/out" | sort -u)" = "given" ] && ok "--lines statements are given" || fail "kind"
expect_grep "3 documents, 3 statements, 0 errors" "$TMP/err" "--lines: a line is a document in the summary"
# --lines with a file names the file as doc.
expect_status 0 "--lines with a file" -- "$S" --lines --jsonl --extract-only "$TMP/plain.txt"
[ "$(jq -r .doc "$TMP/out" | sort -u)" = "plain.txt" ] && ok "--lines: doc is the file name" || fail "doc"

# --statements with plain text lines: each line is a statement (not one merged).
expect_status 0 "--statements on plain lines" -- "$S" --statements --jsonl --extract-only - <"$TMP/plain.txt"
[ "$(wc -l <"$TMP/out")" -eq 3 ] && ok "--statements on plain text: one statement a line" \
  || fail "--statements on plain text gives $(wc -l <"$TMP/out") statements"

# Repeated -e: every one is scored, in order.
expect_status 0 "repeated -e" -- "$S" --jsonl --text "Russia lies." --text "France is a friend." \
  --speaker "Joe Smith" --speaker-actor USA
[ "$(jq -r '"\(.index) \(.text)"' "$TMP/out" | tr '\n' '|')" = "1 Russia lies.|2 France is a friend.|" ] \
  && ok "each -e is a statement, numbered in order" || fail "-e gave: $(jq -c '[.index,.text]' "$TMP/out" | tr '\n' ' ')"
[ "$(jq -r '.speaker' "$TMP/out" | sort -u)" = "Joe Smith" ] && ok "--speaker applies to -e" || fail "--speaker with -e"
[ "$(jq -r '.speaker_actor' "$TMP/out" | sort -u)" = "USA" ] && ok "--speaker-actor applies to -e" || fail "--speaker-actor with -e"

# --speaker-actor for --statements records without one (a record's own wins).
printf '%s\n' '{"text":"Russia must stop."}' '{"text":"France helps.","speaker_actor":"DEU"}' >"$TMP/st.jsonl"
expect_status 0 "--statements with --speaker-actor" -- "$S" --statements --jsonl --extract-only --speaker-actor GBR "$TMP/st.jsonl"
[ "$(jq -r .speaker_actor "$TMP/out" | tr '\n' ' ')" = "GBR DEU " ] && ok "--speaker-actor is the default of records" \
  || fail "records' speaker actors: $(jq -r .speaker_actor "$TMP/out" | tr '\n' ' ')"

# A document with no statement says so, and points at --lines.
expect_status 0 "plain sentences as a document" -- "$S" --jsonl --extract-only - <"$TMP/plain.txt"
expect_grep "1 document yielded no statement.*--lines" "$TMP/err" "a document without statements gets a note"
expect_status 0 "-q drops the note" -- "$S" -q --jsonl --extract-only - <"$TMP/plain.txt"
[ -s "$TMP/err" ] && fail "-q printed: $(head -2 "$TMP/err")" || ok "-q: nothing on stderr"

expect_status 2 "-e with --lines is a usage error" -- "$S" --text "x" --lines

# A line's bad bytes are reported at file:line, and the other lines scored.
printf 'Russia lies.\nBad \377 bytes.\nFrance helps.\n' >"$TMP/bad.txt"
expect_status 0 "--lines with invalid UTF-8 on one line" -- "$S" --lines --jsonl --extract-only "$TMP/bad.txt"
expect_grep "bad.txt:2: warning: 1 invalid UTF-8" "$TMP/err" "--lines: invalid UTF-8 reported at its line"
[ "$(wc -l <"$TMP/out")" -eq 3 ] && ok "--lines: every line still scored" || fail "--lines with bad bytes: $(wc -l <"$TMP/out") statements"
finish
