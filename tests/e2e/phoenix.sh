#!/usr/bin/env bash
# The Phoenix/CAMEO actor dictionaries (../shared/data/phoenix, MIT) load
# with --phoenix: their actors are found, date-restricted codes resolve by the
# statement's date, and our own dictionary wins where both know a name.
. "$(dirname "$0")/lib/common.sh"
P="${DM_SHARED_DIR:-$DM_SOURCE_DIR/../shared}/data/phoenix/Phoenix.Countries.actors.txt"
if [ ! -f "$P" ]; then echo "skip: $P not found (needs ../shared)"; exit 77; fi
S="$DM_BIN/demarche-score"
doc='{"id":"kz","date":"2012-05-01","text":"\"We value this partnership,\" Nursultan Nazarbayev told reporters. \"Brussels must act,\" he added."}'
echo "$doc" >"$TMP/doc.jsonl"
expect_status 0 "without Phoenix" -- "$S" --extract-only --jsonl "$TMP/doc.jsonl"
expect_grep '"speaker":"Nursultan Nazarbayev","speaker_role":null,"speaker_actor":null' "$TMP/out" "unknown to our dictionary"
expect_status 0 "with Phoenix" -- "$S" --extract-only --jsonl --phoenix "$P" "$TMP/doc.jsonl"
expect_grep '"speaker":"Nursultan Nazarbayev",.*"speaker_actor":"KAZ"' "$TMP/out" "Phoenix actor found (KAZ)"
expect_grep '"actor":"EU","mention":"Brussels"' "$TMP/out" "our dictionary wins for Brussels"
expect_status 2 "--phoenix needs a file" -- "$S" --extract-only --phoenix
expect_status 3 "a missing Phoenix file cannot run" -- "$S" --extract-only --phoenix /nonexistent.actors "$TMP/doc.jsonl"
finish
