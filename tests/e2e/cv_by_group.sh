#!/usr/bin/env bash
# demarche-train --cv-by-group: folds are whole groups (the "group" key of
# jsonl records; UNSCon: the meeting), records without a group are always
# training data, -v K deals the groups into K folds, fewer than 2 groups is
# an error. With ../shared, UNSCon gives 4 meetings: leave-one-meeting-out.
. "$(dirname "$0")/lib/common.sh"
train="$DM_BIN/demarche-train"
data="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
# Records 1-30 in groups a, b, c (10 each); the rest without a group.
jq -c 'input_line_number as $n | if $n <= 30 then . + {group: (["a","b","c"][($n - 1) % 3])} else . end' \
  "$data" >"$TMP/grouped.jsonl"
grouped_h=$(head -30 "$TMP/grouped.jsonl" | jq -s '[.[] | select(.hostility != null)] | length')

expect_status 0 "leave one group out" -- "$train" -q --task hostility --cv-by-group --json "$TMP/grouped.jsonl"
cp "$TMP/out" "$TMP/logo.json"
[ "$(jq .folds "$TMP/logo.json")" = 3 ] && ok "3 groups, 3 folds" || fail "folds: $(jq .folds "$TMP/logo.json")"
[ "$(jq .hostility.n "$TMP/logo.json")" = "$grouped_h" ] && ok "only grouped records are tested ($grouped_h)" \
  || fail "tested $(jq .hostility.n "$TMP/logo.json"), grouped $grouped_h"
expect_status 0 "same folds, same report" -- "$train" -q --task hostility --cv-by-group --json "$TMP/grouped.jsonl"
cmp -s <(jq -S 'del(.seconds)' "$TMP/out") <(jq -S 'del(.seconds)' "$TMP/logo.json") && ok "deterministic" || fail "two runs differ"
expect_status 0 "groups dealt into 2 folds" -- "$train" -q --task hostility --cv-by-group -v 2 --json "$TMP/grouped.jsonl"
[ "$(jq .folds "$TMP/out")" = 2 ] && ok "-v 2: 2 folds" || fail "-v 2 gave $(jq .folds "$TMP/out") folds"
jq -c '. + {group: "only"}' "$data" >"$TMP/one.jsonl"
expect_status 1 "one group is an error" -- "$train" -q --task hostility --cv-by-group "$TMP/one.jsonl"
expect_grep "at least 2 groups" "$TMP/err" "the error says why"
jq -c '. + {group: 7}' "$data" >"$TMP/bad.jsonl"
expect_status 1 "a non-string group is a data error" -- "$train" -q --cv-by-group "$TMP/bad.jsonl"

unscon="$DM_SOURCE_DIR/../shared/data/unscon/sentences.csv"
if [ -f "$unscon" ]; then
  expect_status 0 "UNSCon leave one meeting out" -- "$train" -q --task hostility --cv-by-group --json \
    "$data" --unscon "$unscon"
  [ "$(jq .folds "$TMP/out")" = 4 ] && ok "4 UNSCon meetings" || fail "UNSCon folds: $(jq .folds "$TMP/out")"
  [ "$(jq .hostility.n "$TMP/out")" = 1636 ] && ok "every UNSCon sentence tested once" \
    || fail "UNSCon tested $(jq .hostility.n "$TMP/out")"
else
  echo "skip: no ../shared/data/unscon (UNSCon part)"
fi
finish
