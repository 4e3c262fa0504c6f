#!/usr/bin/env bash
# The previous sentence of a speech (issue 11): training records may carry
# "previous"; demarche-score gives each speech sentence the one before it
# (dm_model_score_list), so the same sentence scores differently after a
# hostile sentence than alone, and a non-string "previous" is a data error.
. "$(dirname "$0")/lib/common.sh"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
data="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
# Each record gets the text of the record before it as its previous sentence.
jq -sc '. as $r | range(0; length) | $r[.] + (if . > 0 then {previous: $r[. - 1].text} else {} end)' \
  "$data" >"$TMP/prev.jsonl"
expect_status 0 "training with previous sentences" -- \
  "$DM_BIN/demarche-train" -q --task hostility -o "$TMP/model" "$TMP/prev.jsonl"
speech='{"id":"s","speaker_actor":"UKR","text":"The regime has shelled our cities, violated every ceasefire and massacred civilians. This must stop."}'
alone='{"id":"a","speaker_actor":"UKR","text":"This must stop."}'
in_speech=$(echo "$speech" | "$DM_BIN/demarche-score" -q --jsonl -m "$TMP/model" - | jq -r 'select(.index == 2) | .hostility.expected_level')
by_itself=$(echo "$alone" | "$DM_BIN/demarche-score" -q --jsonl -m "$TMP/model" - | jq -r '.hostility.expected_level')
if [ -n "$in_speech" ] && [ -n "$by_itself" ] && [ "$in_speech" != "$by_itself" ]; then
  ok "the second sentence of a speech is scored with the first ($in_speech vs $by_itself alone)"
else
  fail "previous sentence not used: in speech '$in_speech', alone '$by_itself'"
fi
jq -c '. + {previous: 3}' "$data" >"$TMP/bad.jsonl"
expect_status 1 "a non-string previous is a data error" -- \
  "$DM_BIN/demarche-train" -q --task hostility -o "$TMP/bad-model" "$TMP/bad.jsonl"
finish
