#!/usr/bin/env bash
# CI: rebuild the shipped bundle from the repository and ../shared and fail
# if it differs from the committed models/default by one byte. Without
# ../shared it says so and skips.
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${DM_SHARED_DIR:-../shared}"
if [ ! -f "$shared/data/unscon/sentences.csv" ] || [ ! -f "$shared/data/newsmtsc/train.jsonl" ]; then
  echo "check-model: skipped: $shared/data (UNSCon, NewsMTSC) is absent, the bundle cannot be rebuilt here"
  exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
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
