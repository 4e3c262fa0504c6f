#!/usr/bin/env bash
# Held-out and cross-corpus figures of models/README.md, in one command.
#  a. the shipped bundle (models/default, or MODEL) on train/corpus/test.jsonl;
#  b. models trained with the shipped options (models/train-options.txt) on
#     - corpus-train + NewsMTSC, tested on UNSCon,
#     - corpus-train + UNSCon, tested on NewsMTSC,
#     - corpus-train alone, tested on both (and on the corpus test split);
#  c. what each source adds: the shipped mix (UNGDC-train + corpus-train +
#     UNSCon + NewsMTSC) and the mix less each source, tested on the UNGDC
#     and corpus test splits and on UNSCon (leave-one-meeting-out while
#     UNSCon is in the mix, whole otherwise). SECTIONS=ab or SECTIONS=c runs part.
# The models are written to a temporary directory and removed afterwards
# (KEEP=1 keeps them and prints where). Needs ../shared (UNSCon, NewsMTSC).
# Usage: bash scripts/eval-crosscorpus.sh [MODEL]      (DM_BIN: default build/bin)
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${DM_BIN:-build/bin}"
shared="${DM_SHARED_DIR:-../shared}"
model="${1:-models/default}"
unscon="$shared/data/unscon/sentences.csv"
newsmtsc="$shared/data/newsmtsc/train.jsonl"
for f in "$unscon" "$newsmtsc"; do
  [ -f "$f" ] || { echo "eval-crosscorpus: $f not found (it comes with ../shared)" >&2; exit 1; }
done
[ -x "$bin/demarche-train" ] || { bash scripts/setup.sh; bash scripts/build.sh build; bin=build/bin; }
command -v jq >/dev/null || { echo "eval-crosscorpus: needs jq" >&2; exit 3; }
[ -f train/corpus/train.jsonl ] && [ -f train/corpus/test.jsonl ] \
  || "$bin/split_corpus" train/corpus train/corpus/[ab]-*.jsonl

tmp=$(mktemp -d)
if [ "${KEEP:-0}" = 1 ]; then echo "eval-crosscorpus: models kept in $tmp" >&2
else trap 'rm -rf "$tmp"' EXIT; fi
read -r -a opts < models/train-options.txt

train() {  # train NAME [sources...]
  local name=$1; shift
  "$bin/demarche-train" -q --seed 1 "${opts[@]}" -o "$tmp/$name" \
    --licence "MIT (demarche corpus, train/corpus)" train/corpus/train.jsonl "$@"
}
# One line per evaluation: hostility macro-F1 / MAE / Spearman and stance
# macro-F1 with per-class F1, from the --json report.
report() {  # report LABEL MODEL FILE FORMAT
  "$bin/demarche-score" -q -m "$2" --eval "$3" --eval-format "$4" --json |
  jq -r --arg l "$1" '
    def f: . * 1000 | round / 1000 | tostring;
    def cls: [.classes[] | "\(.label) \(.f1 | f)"] | join(", ");
    "\($l)\n" +
    (if .hostility then "  hostility  n \(.hostility.n)  macro-F1 \(.hostility.macro_f1 | f)  MAE \(.hostility.mae | f)  Spearman \(.hostility.spearman | f)  acc \(.hostility.accuracy | f)  (F1 \(.hostility | cls))\n" else "" end) +
    (if .stance then "  stance     n \(.stance.n)  macro-F1 \(.stance.macro_f1 | f)  acc \(.stance.accuracy | f)  (F1 \(.stance | cls))" else "  stance     (no labels)" end)'
}

# UNSCon only says conflictual or not (its unannotated sentences, mapped to
# 1, include cordial ones, our 0; calls to act are our 2): the fairer view
# of hostility on it is binary, levels 2-4 against 0-1, from the confusion.
binary() {  # binary LABEL MODEL
  "$bin/demarche-score" -q -m "$2" --eval "$unscon" --eval-format unscon --json |
  jq -r --arg l "$1" '
    def f: . * 1000 | round / 1000 | tostring;
    .hostility.confusion as $c
    | ([range(2;5) as $g | range(2;5) as $p | $c[$g][$p]] | add) as $tp
    | ([range(0;2) as $g | range(2;5) as $p | $c[$g][$p]] | add) as $fp
    | ([range(2;5) as $g | range(0;2) as $p | $c[$g][$p]] | add) as $fn
    | ($tp / ($tp + $fp)) as $pr | ($tp / ($tp + $fn)) as $re
    | "\($l)\n  conflictual  precision \($pr | f)  recall \($re | f)  F1 \(2 * $pr * $re / ($pr + $re) | f)  (tp \($tp), fp \($fp), fn \($fn))"'
}

echo "options: $(cat models/train-options.txt)"
sections="${SECTIONS:-abc}"
if [[ $sections == *a* ]]; then
report "a. $model on train/corpus/test.jsonl" "$model" train/corpus/test.jsonl jsonl

train no-unscon --newsmtsc "$newsmtsc"
train no-newsmtsc --unscon "$unscon"
train corpus-only
report "b1. corpus-train + NewsMTSC -> UNSCon" "$tmp/no-unscon" "$unscon" unscon
report "b2. corpus-train + UNSCon -> NewsMTSC" "$tmp/no-newsmtsc" "$newsmtsc" newsmtsc
binary "b1'. corpus-train + NewsMTSC -> UNSCon, conflictual (2-4) vs not (0-1)" "$tmp/no-unscon"
report "b3. corpus-train alone -> UNSCon" "$tmp/corpus-only" "$unscon" unscon
report "b4. corpus-train alone -> NewsMTSC" "$tmp/corpus-only" "$newsmtsc" newsmtsc
report "b5. corpus-train alone -> train/corpus/test.jsonl" "$tmp/corpus-only" train/corpus/test.jsonl jsonl
fi

# c. One line per (mix, test): hostility macro-F1 / MAE / Spearman /
# conflict F1 (levels 2-4 against 0-1), stance macro-F1.
line() {  # line LABEL   (the --json report on stdin)
  jq -r --arg l "$1" '
    def f: . * 1000 | round / 1000 | tostring;
    .hostility as $h | $h.confusion as $c
    | ([range(2;5) as $g | range(2;5) as $p | $c[$g][$p]] | add) as $tp
    | ([range(0;2) as $g | range(2;5) as $p | $c[$g][$p]] | add) as $fp
    | ([range(2;5) as $g | range(0;2) as $p | $c[$g][$p]] | add) as $fn
    | "  \($l): hostility \($h.macro_f1|f) / \($h.mae|f) / \($h.spearman|f) / conflict \((2*$tp/(2*$tp+$fp+$fn))|f)"
      + (if .stance then ", stance \(.stance.macro_f1|f)" else "" end)'
}
if [[ $sections == *c* ]]; then
  echo "c. what each source adds (hostility macro-F1 / MAE / Spearman / conflict F1, stance macro-F1)"
  ungdc=(--licence "UNGDC corpus" train/ungdc/train.jsonl)
  corpus=(--licence "demarche corpus" train/corpus/train.jsonl)
  uns=(--unscon "$unscon")
  nws=(--newsmtsc "$newsmtsc")
  for mix in all no-ungdc no-corpus no-unscon no-newsmtsc; do
    src=()
    [ "$mix" = no-ungdc ] || src+=("${ungdc[@]}")
    [ "$mix" = no-corpus ] || src+=("${corpus[@]}")
    [ "$mix" = no-unscon ] || src+=("${uns[@]}")
    [ "$mix" = no-newsmtsc ] || src+=("${nws[@]}")
    "$bin/demarche-train" -q --seed 1 "${opts[@]}" -o "$tmp/c-$mix" "${src[@]}"
    echo " mix: $mix"
    "$bin/demarche-score" -q -m "$tmp/c-$mix" --eval train/ungdc/test.jsonl --json | line "UNGDC test"
    "$bin/demarche-score" -q -m "$tmp/c-$mix" --eval train/corpus/test.jsonl --json | line "corpus test"
    if [ "$mix" = no-unscon ]; then
      "$bin/demarche-score" -q -m "$tmp/c-$mix" --eval "$unscon" --eval-format unscon --json | line "UNSCon (whole)"
    else
      # UNSCon by meeting; the other sources of the mix train in every fold
      # (NewsMTSC left out: it has no hostility labels).
      lsrc=()
      [ "$mix" = no-ungdc ] || lsrc+=("${ungdc[@]}")
      [ "$mix" = no-corpus ] || lsrc+=("${corpus[@]}")
      "$bin/demarche-train" -q --seed 1 "${opts[@]}" --task hostility --cv-by-group --json \
        "${lsrc[@]}" "${uns[@]}" | line "UNSCon leave-one-meeting-out"
    fi
  done
fi
