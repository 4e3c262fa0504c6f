#!/usr/bin/env bash
# The speaker's own actor as a target: marked "self": true by demarche-score
# and left out of dyad and target series by demarche-chart unless
# --include-self.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
C="$DM_BIN/demarche-chart"

expect_status 0 "own actor named" -- "$S" --jsonl --text "Russia will never accept threats from NATO." --speaker-actor RUS
jq -e '[.targets[] | select(.actor == "RUS")][0].self == true' "$TMP/out" >/dev/null \
  && ok "RUS said by RUS is self" || fail "no self mark: $(cat "$TMP/out")"
jq -e '[.targets[] | select(.actor == "NATO")][0] | has("self") | not' "$TMP/out" >/dev/null \
  && ok "NATO said by RUS is not self" || fail "NATO marked self: $(cat "$TMP/out")"

jq -c '. + {date: "2022-03-01"}' "$TMP/out" >"$TMP/scored.jsonl"
expect_status 0 "chart without self" -- "$C" --min-n 1 -q --csv - "$TMP/scored.jsonl"
grep -q 'RUS>RUS' "$TMP/out" && fail "RUS>RUS charted by default" || ok "RUS>RUS left out by default"
grep -q 'RUS>NATO' "$TMP/out" && ok "RUS>NATO charted" || fail "RUS>NATO missing: $(cat "$TMP/out")"
expect_status 0 "chart --include-self" -- "$C" --min-n 1 -q --include-self --csv - "$TMP/scored.jsonl"
grep -q 'RUS>RUS' "$TMP/out" && ok "RUS>RUS kept with --include-self" || fail "--include-self: $(cat "$TMP/out")"
finish
