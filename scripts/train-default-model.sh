#!/usr/bin/env bash
# Rebuild the shipped model bundle, reproducibly: the same inputs and options
# give the same bytes. Needs ../shared (UNSCon and NewsMTSC).
# Usage: bash scripts/train-default-model.sh [OUT_DIR]   (default models/default)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models/default}"
shared="${DM_SHARED_DIR:-../shared}"
for f in "$shared/data/unscon/sentences.csv" "$shared/data/newsmtsc/train.jsonl"; do
  [ -f "$f" ] || { echo "train-default-model: $f not found (it comes with ../shared)" >&2; exit 1; }
done
[ -x build/bin/demarche-train ] || { bash scripts/setup.sh; bash scripts/build.sh build; }
# The corpus's training split (train/CODEBOOK.md, hold-out rule); the test
# split is never trained on.
build/bin/split_corpus train/corpus train/corpus/[ab]-*.jsonl
# The real UN General Debate corpus (train/ungdc, split by speech) is the
# main source; the written corpus a supplement.
build/bin/demarche-train -q --seed 1 $(cat models/train-options.txt) -o "$out" \
  --licence "CC0 texts (UN General Debate); labels MIT (demarche UNGDC corpus, train/ungdc)" \
  train/ungdc/train.jsonl \
  --licence "MIT (demarche corpus, train/corpus)" train/corpus/train.jsonl \
  --unscon "$shared/data/unscon/sentences.csv" \
  --newsmtsc "$shared/data/newsmtsc/train.jsonl"
echo "train-default-model: wrote $out" >&2
