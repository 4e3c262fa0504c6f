#!/usr/bin/env bash
# Quote extraction on the golden articles (tests/articles): recall and
# speaker accuracy must stay above their floors. Builds nothing: it runs the
# eval_extraction benchmark that CMake puts in $DM_BIN next to the tools.
# Exit 77 (skipped) when the evaluator or the lexicons are missing.
set -u
: "${DM_SOURCE_DIR:?DM_SOURCE_DIR must be set (ctest sets it)}"
: "${DM_BIN:?DM_BIN must be set (ctest sets it)}"

# Floors (speaker = exact speaker accuracy over the quotes found); raise
# them as the extractor improves. The environment may override them.
RECALL_FLOOR=${DM_RECALL_FLOOR:-0.98}
SPEAKER_FLOOR=${DM_SPEAKER_FLOOR:-0.95}

eval_bin="$DM_BIN/eval_extraction"
articles="$DM_SOURCE_DIR/tests/articles"
lexicons="$DM_SOURCE_DIR/lexicons"

if [ ! -x "$eval_bin" ]; then
  echo "skip: $eval_bin not built"
  exit 77
fi
for f in "$lexicons/actors.tsv" "$lexicons/cues.tsv" "$articles/articles.jsonl" "$articles/gold.jsonl"; do
  if [ ! -f "$f" ]; then echo "skip: $f missing"; exit 77; fi
done

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$eval_bin" --verbose "$articles/articles.jsonl" "$articles/gold.jsonl" "$lexicons" >"$out"
status=$?
cat "$out"
if [ "$status" -ne 0 ]; then
  echo "FAIL - eval_extraction exited $status" >&2
  exit 1
fi

# Metric lines: NAME COUNT OF RATE
rate() { awk -v m="$1" '$1 == m { print $4 }' "$out"; }
recall=$(rate found)
speaker=$(rate speaker_exact)
if [ -z "$recall" ] || [ -z "$speaker" ]; then
  echo "FAIL - no found/speaker_exact lines in the evaluator output" >&2
  exit 1
fi

failed=0
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
if below "$recall" "$RECALL_FLOOR"; then
  echo "FAIL - recall $recall < $RECALL_FLOOR" >&2; failed=1
else
  echo "ok - recall $recall >= $RECALL_FLOOR"
fi
if below "$speaker" "$SPEAKER_FLOOR"; then
  echo "FAIL - speaker accuracy $speaker < $SPEAKER_FLOOR" >&2; failed=1
else
  echo "ok - speaker accuracy $speaker >= $SPEAKER_FLOOR"
fi
exit "$failed"
