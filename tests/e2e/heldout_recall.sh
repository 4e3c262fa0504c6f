#!/usr/bin/env bash
# Quote extraction on the held-out news sample (tests/heldout): recall and
# exact speaker accuracy stay above their floors.
. "$(dirname "$0")/lib/common.sh"
E="$DM_BIN/eval_extraction"
[ -x "$E" ] || { echo "skip: $E not built"; exit 77; }
expect_status 0 "eval_extraction on the held-out sample" -- "$E" "$DM_SOURCE_DIR/examples/news.jsonl" \
  "$DM_SOURCE_DIR/tests/heldout/news-gold.jsonl" "$DM_SOURCE_DIR/lexicons"
cat "$TMP/out"
rate() { awk -v m="$1" '$1 == m { print $4 }' "$TMP/out"; }
awk -v r="$(rate found)" 'BEGIN { exit !(r >= 0.98) }' && ok "recall $(rate found) >= 0.98" || fail "recall $(rate found) < 0.98"
awk -v r="$(rate speaker_exact)" 'BEGIN { exit !(r >= 0.90) }' && ok "exact speaker $(rate speaker_exact) >= 0.90" \
  || fail "exact speaker $(rate speaker_exact) < 0.90"
finish
