#!/usr/bin/env bash
# No alarm without blame (issue 11 item 4): a model trained here with the
# shipped options (models/train-options.txt) on the committed corpora
# (train/corpus, train/ungdc) scores the cases of tests/data/blame-cases.tsv;
# each level must lie in [min, max]. Lines marked "todo" are known misses:
# printed, counted, not failing (a todo that starts passing is reported).
. "$(dirname "$0")/lib/common.sh"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
data=()
for f in train/corpus/train.jsonl train/ungdc/train.jsonl; do
  [ -f "$DM_SOURCE_DIR/$f" ] && data+=("$DM_SOURCE_DIR/$f")
done
[ ${#data[@]} -gt 0 ] || { echo "skip: no committed corpus"; exit 77; }
# shellcheck disable=SC2046
"$DM_BIN/demarche-train" -q --seed 1 $(cat "$DM_SOURCE_DIR/models/train-options.txt") \
  --task hostility -o "$TMP/model" "${data[@]}" || { fail "training"; finish; exit 1; }
todo_miss=0 todo_pass=0
while IFS=$'\t' read -r lo hi text todo; do
  case "$lo" in ''|'#'*) continue ;; esac
  level=$("$DM_BIN/demarche-score" -q --jsonl -m "$TMP/model" --text "$text" | jq -r .hostility.level)
  inside=false
  [ -n "$level" ] && [ "$level" != null ] && [ "$level" -ge "$lo" ] && [ "$level" -le "$hi" ] && inside=true
  if [ "$todo" = todo ]; then
    if $inside; then todo_pass=$((todo_pass + 1)); echo "todo now passes - level $level in [$lo,$hi]: $text"
    else todo_miss=$((todo_miss + 1)); echo "todo - level ${level:-none} not in [$lo,$hi]: $text"; fi
  elif $inside; then ok "level $level in [$lo,$hi]: $text"
  else fail "level ${level:-none} not in [$lo,$hi]: $text"; fi
done <"$DM_SOURCE_DIR/tests/data/blame-cases.tsv"
echo "known misses: $todo_miss; todo cases now passing: $todo_pass"
finish
