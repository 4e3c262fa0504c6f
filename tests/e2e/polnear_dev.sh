#!/usr/bin/env bash
# Attribution on real news: quote F1 and speaker accuracy on PolNeAR dev
# (../shared/data/polnear/dev, see bench/POLNEAR.md) must stay above their
# floors. Skips (exit 77) with the reason when the data or the evaluator is
# missing.
set -u
: "${DM_SOURCE_DIR:?DM_SOURCE_DIR must be set (ctest sets it)}"
: "${DM_BIN:?DM_BIN must be set (ctest sets it)}"
shared=${DM_SHARED_DIR:-$DM_SOURCE_DIR/../shared}
split="$shared/data/polnear/dev"

# Floors: the measured dev figures (bench/POLNEAR.md: F1 0.951, speaker
# accuracy 0.753 after the second round of issue 9) minus a small margin.
F1_FLOOR=${DM_POLNEAR_F1_FLOOR:-0.94}
SPEAKER_FLOOR=${DM_POLNEAR_SPEAKER_FLOOR:-0.73}

eval_bin="$DM_BIN/eval_polnear"
if [ ! -x "$eval_bin" ]; then echo "skip: $eval_bin not built"; exit 77; fi
if [ ! -d "$split/text" ] || [ ! -d "$split/attributions" ]; then
  echo "skip: PolNeAR dev split not found at $split"
  exit 77
fi

out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$eval_bin" "$split" "$DM_SOURCE_DIR/lexicons" >"$out"
status=$?
cat "$out"
if [ "$status" -ne 0 ]; then echo "FAIL - eval_polnear exited $status" >&2; exit 1; fi

rate() { awk -v m="$1" '$1 == m { print $NF }' "$out"; }
f1=$(rate quote_f1)
speaker=$(rate speaker_accuracy)
articles=$(awk '$1 == "articles" { print $2 }' "$out")
if [ -z "$f1" ] || [ -z "$speaker" ] || [ "${articles:-0}" -lt 50 ]; then
  echo "FAIL - evaluator output lacks quote_f1/speaker_accuracy or read too few articles" >&2
  exit 1
fi
failed=0
below() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 < b + 0) }'; }
if below "$f1" "$F1_FLOOR"; then echo "FAIL - quote F1 $f1 < $F1_FLOOR" >&2; failed=1
else echo "ok - quote F1 $f1 >= $F1_FLOOR"; fi
if below "$speaker" "$SPEAKER_FLOOR"; then echo "FAIL - speaker accuracy $speaker < $SPEAKER_FLOOR" >&2; failed=1
else echo "ok - speaker accuracy $speaker >= $SPEAKER_FLOOR"; fi
exit "$failed"
