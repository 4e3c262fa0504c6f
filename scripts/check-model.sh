#!/usr/bin/env bash
# CI: rebuild the shipped bundle and the speaker ranker from the repository
# and ../shared and fail if either differs from the committed
# models/default or models/speaker_ranker.tsv by one byte (a ranker left
# stale by a change of the attribution rules fails here). Without ../shared
# it says so and skips.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${DM_SHARED_DIR:-../shared}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ -d "$shared/data/polnear/train/text" ]; then
  bash scripts/train-speaker-ranker.sh "$tmp/speaker_ranker.tsv" 2>/dev/null
  if cmp -s "$tmp/speaker_ranker.tsv" models/speaker_ranker.tsv; then
    echo "check-model: rebuilt speaker ranker is byte-identical to models/speaker_ranker.tsv"
  else
    echo "check-model: FAIL: the rebuilt speaker ranker differs from models/speaker_ranker.tsv" \
         "(retrain it with scripts/train-speaker-ranker.sh after changing the attribution rules)" >&2
    exit 1
  fi
else
  echo "check-model: ranker skipped: $shared/data/polnear is absent, the speaker ranker cannot be rebuilt here"
fi

if [ ! -f "$shared/data/unscon/sentences.csv" ] || [ ! -f "$shared/data/newsmtsc/train.jsonl" ]; then
  echo "check-model: skipped: $shared/data (UNSCon, NewsMTSC) is absent, the bundle cannot be rebuilt here"
  exit 0
fi
# The split is committed too: rebuilding must not change it.
cp train/corpus/train.jsonl train/corpus/test.jsonl "$tmp/"
bash scripts/train-default-model.sh "$tmp/default"
cmp "$tmp/train.jsonl" train/corpus/train.jsonl && cmp "$tmp/test.jsonl" train/corpus/test.jsonl \
  || { echo "check-model: FAIL: train/corpus/{train,test}.jsonl are not the split of the corpus parts" >&2; exit 1; }
if diff -r "$tmp/default" models/default >/dev/null; then
  echo "check-model: rebuilt bundle is byte-identical to models/default"
else
  echo "check-model: FAIL: the rebuilt bundle differs from models/default:" >&2
  diff -rq "$tmp/default" models/default >&2 || true
  exit 1
fi
