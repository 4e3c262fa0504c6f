#!/usr/bin/env bash
# demarche-score with a model: -e with given targets, --statements with byte
# and code-point offsets, --explain, --eval (text and JSON), and the loader's
# refusals (newer format, lexicon mismatch, missing file). The model is
# trained here on tests/data/labelled-small.jsonl so that the test needs
# nothing outside the repository.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
L="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
M="$TMP/model"
"$DM_BIN/demarche-train" -q -o "$M" "$L" 2>"$TMP/train.err" || { fail "training the test model"; cat "$TMP/train.err" >&2; finish; exit 1; }

expect_status 0 "-e with a model" -- "$S" -m "$M" --jsonl --text "We condemn Russia's attack on Ukraine." --speaker-actor GBR
jq -e '.hostility.level >= 0 and .hostility.level <= 4 and .hostility.expected_level >= 0 and .hostility.expected_level <= 4' "$TMP/out" >/dev/null \
  && ok "hostility level and score in range" || fail "hostility out of range: $(cat "$TMP/out")"
jq -e '[.targets[] | (.p.against + .p.neutral + .p.favor - 1 | fabs < 0.01) and (.favor_minus_against >= -1 and .favor_minus_against <= 1)
        and (.stance | IN("against","neutral","favor"))] | all and length == 2' "$TMP/out" >/dev/null \
  && ok "stance per target with probabilities summing to 1" || fail "bad stance: $(cat "$TMP/out")"

expect_status 0 "--target given" -- "$S" -m "$M" --jsonl --text "We condemn this attack." --target RUS --target ARMS-TREATY
jq -e '[.targets[].actor] == ["RUS","ARMS-TREATY"] and (.targets[0].mention == null) and (.targets | map(.stance) | length == 2)' \
  "$TMP/out" >/dev/null && ok "given targets scored without a mention" || fail "given targets: $(cat "$TMP/out")"

# "Ça" is 2 code points and 3 bytes: the target Moscow is chars 21-27, bytes 22-28.
printf '%s\n' '{"id":"c","text":"Ça suffit, dit-elle. Moscow must stop.","targets":[{"start":21,"end":27}]}' >"$TMP/chars.jsonl"
printf '%s\n' '{"id":"b","text":"Ça suffit, dit-elle. Moscow must stop.","targets":[{"start":22,"end":28}]}' >"$TMP/bytes.jsonl"
expect_status 0 "--statements --offsets chars" -- "$S" -m "$M" --jsonl --statements --offsets chars "$TMP/chars.jsonl"
jq -e '.targets[0] | .mention == "Moscow" and .actor == "RUS" and .start == 21' "$TMP/out" >/dev/null \
  && ok "code-point offsets in, code-point offsets out (--offsets chars is both)" || fail "chars: $(cat "$TMP/out")"
expect_status 0 "--statements byte offsets" -- "$S" -m "$M" --jsonl --statements "$TMP/bytes.jsonl"
jq -e '.targets[0].mention == "Moscow"' "$TMP/out" >/dev/null && ok "byte offsets" || fail "bytes: $(cat "$TMP/out")"
printf '%s\n' '{"id":"s","text":"Ça suffit.","targets":[{"start":1,"end":3}]}' >"$TMP/split.jsonl"
expect_status 1 "byte offsets splitting a character" -- "$S" -m "$M" --jsonl --statements "$TMP/split.jsonl"
expect_grep "split.jsonl:1: .*split a character" "$TMP/err" "split character reported with file:line"

expect_status 0 "--explain" -- "$S" -m "$M" --jsonl --explain --text "This is not acceptable." --target RUS
jq -e . "$TMP/out" >/dev/null && ok "--explain keeps stdout JSON Lines" || fail "--explain broke stdout"
expect_grep "statement 1: hostility level [0-4], expected level [0-4]\.[0-9]+" "$TMP/err" "--explain prints hostility features"
expect_grep "stance toward RUS" "$TMP/err" "--explain prints stance features"
# Readable (issue 17 item 3): each line says the class it pushes toward and
# why in words, then the bias, and the lines add up to the total.
expect_grep '^ +[-+][0-9.]+ (toward|away from) level [0-4] because of the (word|words) "' "$TMP/err" \
  "--explain: a word's push toward the level, in words"
expect_grep '(toward|away from) "(against|neutral|favor)" because of ' "$TMP/err" "--explain: stance lines name the class"
expect_grep "the bias" "$TMP/err" "--explain shows the bias"
# The shown contributions, the rest and the bias add up to the total.
awk '/the decision value toward/ { sum = 0; on = 1; next }
     on && /^ +[-+][0-9.]+ / { sum += $1; next }
     on && /^ +=/ { d = sum - $2; if (d < 0) d = -d; if (d > 0.01) bad++; n++; on = 0 }
     END { exit !(n > 0 && bad == 0) }' "$TMP/err" \
  && ok "--explain: the lines add up to the decision value" || fail "--explain sums do not add up: $(head -30 "$TMP/err")"

expect_status 0 "--eval" -- "$S" -m "$M" --eval "$L"
expect_grep "^hostility" "$TMP/out" "--eval hostility report"
expect_grep "N +[0-9]+ +accuracy" "$TMP/out" "--eval prints N and accuracy"
expect_grep "against +[0-9.]+ +[0-9.]+ +[0-9.]+ +[0-9]+" "$TMP/out" "--eval per-class columns"
expect_status 0 "--eval --json" -- "$S" -m "$M" --eval "$L" --json
jq -e '.hostility.macro_f1 >= 0 and .stance.n > 0' "$TMP/out" >/dev/null && ok "--eval --json" || fail "--eval --json: $(head -c 300 "$TMP/out")"

# The loader refuses what it cannot honour, with the reason.
cp -r "$M" "$TMP/newer"
sed -i 's/"format_version": *[0-9]*/"format_version": 999/' "$TMP/newer/manifest.json"
expect_status 3 "newer bundle refused" -- "$S" -m "$TMP/newer" --text "x"
expect_grep "newer|version" "$TMP/err" "newer format named"
cp -r "$M" "$TMP/missing"; rm "$TMP/missing/stance.model"
expect_status 3 "bundle with a missing file refused" -- "$S" -m "$TMP/missing" --text "x"
expect_grep "stance.model" "$TMP/err" "missing file named"
cp -r "$DM_SOURCE_DIR/lexicons" "$TMP/lex"; printf 'zzqoutragezz\t2.0\tcondemnation\n' >>"$TMP/lex/hostility.tsv"
expect_status 3 "other lexicons refused" -- "$S" -m "$M" --lexicons "$TMP/lex" --text "x"
expect_grep "lexicons differ" "$TMP/err" "lexicon mismatch named"
# --context: the reporting sentence of a partial quote; --date for raw text.
printf 'Lavrov said the plan was "dead on arrival" in Geneva.\n' >"$TMP/partial.txt"
expect_status 0 "--context and --date" -- "$S" -m "$M" --jsonl --context --date 2021-06 "$TMP/partial.txt"
jq -e '.kind == "partial" and .date == "2021-06" and (.context | contains("Lavrov said the plan"))' "$TMP/out" >/dev/null \
  && ok "partial quote carries its reporting context and the date" || fail "context: $(cat "$TMP/out")"
# --grid chooses C by cross-validation and records it in the manifest.
expect_status 0 "demarche-train --grid" -- "$DM_BIN/demarche-train" -q --grid -v 3 --hash-bits 12 -o "$TMP/grid" "$L"
jq -e '.cross_validation.folds == 3 and (.cross_validation.hostility.C > 0) and (.cross_validation.stance.C > 0)' \
  "$TMP/grid/manifest.json" >/dev/null && ok "--grid records the chosen C and its CV figures" \
  || fail "--grid manifest: $(jq -c .cross_validation "$TMP/grid/manifest.json" 2>&1 | head -c 300)"
finish
