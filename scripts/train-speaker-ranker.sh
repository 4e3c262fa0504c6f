#!/usr/bin/env bash
# Rebuild the speaker ranker (models/speaker_ranker.tsv), reproducibly: the
# same extraction rules, lexicons and PolNeAR train split give the same
# bytes. Needs ../shared (PolNeAR). Trains on train only, never on dev.
# Retrain whenever the attribution rules (src/statements), cues.tsv or the
# ranker's features change: the candidates and what the rules guess move
# with them (bench/POLNEAR.md, round 13).
# Usage: bash scripts/train-speaker-ranker.sh [OUT]   (default models/speaker_ranker.tsv)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-models/speaker_ranker.tsv}"
case $out in /*) ;; *) out="$PWD/$out" ;; esac
shared="${DM_SHARED_DIR:-../shared}"
split="$shared/data/polnear/train"
[ -d "$split/text" ] || { echo "train-speaker-ranker: $split not found (it comes with ../shared)" >&2; exit 1; }
build="${DM_BUILD_DIR:-build}"
[ -x "$build/bin/eval_polnear" ] || { bash scripts/setup.sh; bash scripts/build.sh "$build"; }
case $build in /*) ;; *) build="$PWD/$build" ;; esac
# The study's knobs (bench/polnear_rank.h) must not reach the shipped weights.
unset PR_DROP PR_TRAIN PR_C PR_ANY_FOLD PR_NO_FOLLOW
# The split's path is recorded in the file: give it the same way each time.
(cd "$shared/data/polnear" && "$build/bin/eval_polnear" --rank-train "$out" train \
  "$OLDPWD/lexicons" >/dev/null)
echo "train-speaker-ranker: wrote $out ($(grep -c '^w' "$out") weights, $(tail -1 "$out"))" >&2
