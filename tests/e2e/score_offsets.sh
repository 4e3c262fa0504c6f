#!/usr/bin/env bash
# --offsets chars honoured for every input mode (issue 17 item 8): start/end
# of statements and targets are then code points of the original text, as
# jq and Python slice; by default bytes.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
printf '« Ça suffit », a dit le ministre. "Moscow will respond to any sanctions," Lavrov said on Tuesday.\n' >"$TMP/doc.txt"

check_slices() { # FILE-OF-TEXT OUTPUT DESCRIPTION: every text[start:end] (code points) is the statement/mention
  jq -e -n --rawfile t "$1" '[inputs] | length > 0 and all(.[];
      (. as $r | $t[$r.start:$r.end] | startswith($r.text[0:3]))
      and all(.targets[] | select(.start != null); $t[.start:.end] == .mention))' "$2" >/dev/null
}
expect_status 0 "raw text, --offsets chars" -- "$S" --extract-only --jsonl --offsets chars "$TMP/doc.txt"
check_slices "$TMP/doc.txt" "$TMP/out" && ok "raw text: code-point offsets slice the original" \
  || fail "raw text: code-point slices wrong: $(jq -c '[.start,.end,.text]' "$TMP/out")"
cp "$TMP/out" "$TMP/chars.jsonl"
expect_status 0 "raw text, bytes" -- "$S" --extract-only --jsonl "$TMP/doc.txt"
[ "$(jq -c '[.start,.end]' "$TMP/out")" != "$(jq -c '[.start,.end]' "$TMP/chars.jsonl")" ] \
  && ok "bytes and chars differ after non-ASCII text" || fail "--offsets chars changed nothing"

# JSON Lines documents.
jq -Rn --rawfile t "$TMP/doc.txt" '{id: "d1", text: $t}' -c >"$TMP/docs.jsonl"
expect_status 0 "JSON Lines documents, --offsets chars" -- "$S" --extract-only --jsonl --offsets chars "$TMP/docs.jsonl"
check_slices "$TMP/doc.txt" "$TMP/out" && ok "JSON Lines: code-point offsets" || fail "JSON Lines: $(jq -c '[.start,.end]' "$TMP/out")"

# --lines and -e: offsets into the line.
printf 'Ça alors, la Russie et Moscow mentent.\n' >"$TMP/line.txt"
expect_status 0 "--lines, --offsets chars" -- "$S" --extract-only --jsonl --lines --offsets chars "$TMP/line.txt"
check_slices "$TMP/line.txt" "$TMP/out" && ok "--lines: code-point offsets" || fail "--lines: $(cat "$TMP/out")"
expect_status 0 "-e, --offsets chars" -- "$S" --extract-only --jsonl --offsets chars --text "$(cat "$TMP/line.txt")"
check_slices "$TMP/line.txt" "$TMP/out" && ok "-e: code-point offsets" || fail "-e: $(cat "$TMP/out")"
finish
