#!/usr/bin/env bash
# The PolNeAR evaluator on an invented article (tests/data/polnear-mini, in
# PolNeAR's layout; no PolNeAR text): a gold "he" whose antecedent chain
# passes through another pronoun source ("He said ... "Q," he said.") is
# resolved to the named person before it, never to the pronoun itself, so
# the extraction's "Dan Ruiz" is right for both quotes. A second article
# names "Ana Ruiz" and "Émile Ruiz": a gold "Ruiz" is the latest of them,
# which takes reading "Émile" as one word (ICU letters, not ASCII bytes,
# which cut it to "mile" and so saw no second Ruiz). A third names "Dan J.
# Ruiz" and then his sister "Ana Ruiz": a gold "Mr. Ruiz" is Dan (initials
# skipped, a woman's given name refused for "Mr."), and so must the
# extraction's expansion of "Mr. Ruiz" be. A fourth (round 9) names "Sen.
# Lena Ortiz Vega, who said ...": the gold "who" is the name before it (not
# the nearest named source, "Tom Hale"), and a gold "Ms. Ortiz" is right as
# "Lena Ortiz Vega" (a double surname of which the gold gives the first).
# A fifth (round 13) names "Tom Hale", then opens a sentence with "Maybe
# Hale" and a numbered line "2) Can Hale win?": "Maybe" and "Can" are no
# given names, so a gold "Hale" is right as "Tom Hale".
# A sixth quotes "Tom Hale, the owner", then "the company wrote ... It
# added": the gold "It" is the company (a thing, not the person named last).
set -u
: "${DM_SOURCE_DIR:?DM_SOURCE_DIR must be set (ctest sets it)}"
: "${DM_BIN:?DM_BIN must be set (ctest sets it)}"
eval_bin="$DM_BIN/eval_polnear"
if [ ! -x "$eval_bin" ]; then echo "skip: $eval_bin not built"; exit 77; fi
out=$("$eval_bin" "$DM_SOURCE_DIR/tests/data/polnear-mini/split" "$DM_SOURCE_DIR/lexicons")
status=$?
echo "$out"
if [ "$status" -ne 0 ]; then echo "FAIL - eval_polnear exited $status" >&2; exit 1; fi
line() { awk -v m="$1" '$1 == m { print $2 "/" $3 }' <<<"$out"; }
failed=0
for want in "quote_recall 11/11" "speaker_accuracy 11/11" "pronoun_sources 4/4"; do
  set -- $want
  got=$(line "$1")
  if [ "$got" != "$2" ]; then echo "FAIL - $1 $got, want $2" >&2; failed=1
  else echo "ok - $1 $got"; fi
done
exit "$failed"
