#!/usr/bin/env bash
# Counterfactual invariance of the shipped model (issue: "the model scores
# who, not what"): the invented sentences of tests/data/invariance/ are scored
# with only the name of a country, organisation or person swapped, said by
# four speakers. A group is one template, one class of names and one speaker;
# the names of a group that are the speaker's own actor are left out (a
# statement about oneself is another statement). Passes when
#   - the stance label toward the swapped name changes within at most 5% of
#     the groups, and
#   - hostility moves by at most 0.05 on average (mean absolute difference of
#     a variant's hostility score, the expected level / 4, from its group's
#     mean).
# Prints both figures; models/README.md reports them.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
D="$DM_SOURCE_DIR/tests/data/invariance"
MODEL="${DM_INVARIANCE_MODEL:-$DM_SOURCE_DIR/models/default}"

# The statements: templates x names x speakers, as --statements JSON Lines.
jq -nrc --rawfile t "$D/templates.txt" --rawfile n "$D/names.tsv" '
  ($t | split("\n") | map(select(length > 0 and (startswith("#") | not)))) as $tpl
  | ($n | split("\n") | map(select(length > 0 and (startswith("#") | not)) | split("\t"))) as $names
  | range(0; $tpl | length) as $k | $tpl[$k] as $line
  | $names[] as [$class, $name, $adj]
  | (if ($line | contains("{A}")) then (if ($adj // "") == "" then empty else ($line | sub("\\{A\\}"; $adj)) end)
     else ($line | sub("\\{X\\}"; $name)) end) as $text
  | ("USA", "CHN", "GBR", "BRA") as $spk
  | {id: "\($k)|\($class)|\($spk)|\($name)", text: $text, speaker_actor: $spk,
     mention: (if ($line | contains("{A}")) then $adj else $name end)}' >"$TMP/cf.jsonl"
n_in=$(wc -l <"$TMP/cf.jsonl")
[ "$n_in" -gt 1000 ] && ok "$n_in swapped statements" || fail "only $n_in statements generated"

jq -c '{id, text, speaker_actor}' "$TMP/cf.jsonl" >"$TMP/in.jsonl"
expect_status 0 "scoring the swapped statements" -- "$S" -m "$MODEL" --jsonl --statements "$TMP/in.jsonl"

# Join the output with the swapped mention; keep the target whose mention is it.
jq -sc --slurpfile src "$TMP/cf.jsonl" '
  ($src | map({(.id): .mention}) | add) as $m
  | map(. as $o | ($m[$o.doc]) as $mention
        | ($o.targets | map(select(.mention == $mention)) | first) as $t
        | {group: ($o.doc | split("|") | .[0:3] | join("|")), spk: $o.speaker_actor,
           found: ($t != null), actor: $t.actor, stance: $t.stance,
           h: ($o.hostility.expected_level / 4)})
  | map(select(.actor != .spk))' "$TMP/out" >"$TMP/joined.json"

missing=$(jq '[.[] | select(.found | not)] | length' "$TMP/joined.json")
[ "$missing" -eq 0 ] && ok "every swapped name is found as a target" \
  || fail "$missing swapped names not found as targets: $(jq -c '[.[] | select(.found | not)][0:3]' "$TMP/joined.json")"

read -r groups changed hmove <<<"$(jq -r '
  group_by(.group)
  | map({changed: ((map(.stance) | unique | length) > 1),
         dev: ((map(.h) | add / length) as $mean | map(.h - $mean | fabs))})
  | [length, (map(select(.changed)) | length), (map(.dev[]) | add / length)]
  | @tsv' "$TMP/joined.json")"
share=$(jq -n "$changed / $groups")
echo "invariance: $groups groups, stance label changes with the name in $changed ($share); mean hostility move $hmove"
jq -e -n "$share <= 0.05" >/dev/null && ok "stance label changes in <= 5% of groups ($changed of $groups)" \
  || fail "stance label changes with the name in $changed of $groups groups"
jq -e -n "$hmove <= 0.05" >/dev/null && ok "hostility moves <= 0.05 on average ($hmove)" \
  || fail "hostility moves $hmove on average with the name"
finish
