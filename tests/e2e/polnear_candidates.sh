#!/usr/bin/env bash
# The learned-speaker study of eval_polnear (bench/POLNEAR.md, round 13) on
# an invented article (tests/data/polnear-rank, PolNeAR's layout, no
# PolNeAR text): a cue-less quote after "Ana Ortiz, a teacher from Salem,
# was not convinced." carries the earlier speaker Dan Ruiz (a "carried"
# error); the candidates must hold Ana Ortiz, named one sentence back and
# judged right by the evaluator's own matching, so the oracle of that class
# is 0 in the quote's sentence and 100 from one sentence back on.
. "$(dirname "$0")/lib/common.sh"
bin="$DM_BIN/eval_polnear"
[ -x "$bin" ] || skip "$bin not built"
split="$DM_SOURCE_DIR/tests/data/polnear-rank/split"
expect_status 0 "eval_polnear --candidates" -- "$bin" --candidates "$split" "$DM_SOURCE_DIR/lexicons"
cp "$TMP/out" "$TMP/cand"
expect_grep '^speaker_accuracy +1 +2 ' "$TMP/cand" "the rules get one of two speakers"
expect_grep '^carried +1 +0\.0 +100\.0 +100\.0 +100\.0 +100\.0 ' "$TMP/cand" \
  "carried error: Ana Ortiz is a candidate from one sentence back"
expect_grep '^all_judged +2 +50\.0 +100\.0 ' "$TMP/cand" "oracle over all judged quotes"
expect_status 0 "eval_polnear --rank-cv" -- "$bin" --rank-cv "$split" "$DM_SOURCE_DIR/lexicons"
expect_grep '^ranker, 5-fold CV by article' "$TMP/out" "the CV table is printed"
expect_status 2 "an unknown option is a usage error" -- "$bin" --rank-nonsense "$split"
expect_status 0 "--help" -- "$bin" --help
expect_grep '[-]-rank-cv' "$TMP/out" "the help lists the rank-cv option"
finish
