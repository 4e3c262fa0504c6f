#!/usr/bin/env bash
# demarche-train end to end on tests/data/labelled-small.jsonl: the bundle
# files exist, training twice gives identical bytes, cross-validation prints
# its report (text and JSON), bad labels exit 1 without writing a bundle,
# usage errors exit 2, and demarche-score scores a statement with every
# bundle trained here.
set -u
: "${DM_SOURCE_DIR:?DM_SOURCE_DIR must be set (ctest sets it)}"
: "${DM_BIN:?DM_BIN must be set (ctest sets it)}"

train="$DM_BIN/demarche-train"
score="$DM_BIN/demarche-score"
data="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
if [ ! -x "$train" ]; then echo "skip: $train not built"; exit 77; fi
export DEMARCHE_DATA="$DM_SOURCE_DIR"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Help and usage.
"$train" --help | grep -q -- "-c C .*default 16)" || fail "--help does not show the live default of -c"
"$train" --bogus >/dev/null 2>&1; [ $? -eq 2 ] || fail "unknown option must exit 2"
"$train" -c abc -o "$tmp/x" "$data" >/dev/null 2>&1; [ $? -eq 2 ] || fail "bad -c must exit 2"
"$train" "$data" >/dev/null 2>&1; [ $? -eq 2 ] || fail "no -o and no -v must exit 2"
"$train" -t rbf --solver liblinear -o "$tmp/x" "$data" >/dev/null 2>&1
[ $? -eq 2 ] || fail "rbf with liblinear must exit 2"
[ ! -e "$tmp/x" ] || fail "a usage error wrote a bundle"
# Ranges come from the parameter table: out of range is a usage error
# naming the range (issue 12: --hash-bits 26 exited 3 from the featurizer).
for bad in "--hash-bits 26" "--hash-bits 9" "--ngrams 4" "-s 8" "-c 0" "-p -1" "--seed -1" \
           "--char-ngrams 3-9" "--char-ngrams 4-2" "--hash-bits 12x" \
           "--task both" "--solver svm" "--kernel poly" "-t 1" "--hostility-model svm"; do
  # shellcheck disable=SC2086
  "$train" $bad -o "$tmp/x" "$data" >/dev/null 2>"$tmp/err"; rc=$?
  [ $rc -eq 2 ] || fail "$bad must exit 2 (a usage error), not $rc"
  grep -q "Try 'demarche-train --help'" "$tmp/err" || fail "$bad: no usage hint"
done
"$train" --hash-bits 26 -o "$tmp/x" "$data" 2>&1 | grep -q -- "--hash-bits needs an integer 10-24, not '26'" \
  || fail "--hash-bits 26: the message does not give the range"
"$train" --help | grep -q -- "--hash-bits N .*(10-24; default 18)" || fail "--help does not show the range and default of --hash-bits"
# The choices too (task, solver, kernel, hostility model): one table.
"$train" --solver svm -o "$tmp/x" "$data" 2>&1 | grep -q -- "--solver must be auto, liblinear or libsvm, not 'svm'" \
  || fail "--solver svm: the message does not give the choices"
"$train" --help >"$tmp/help"
grep -q -- "^  --solver S " "$tmp/help" && grep -q "(auto, liblinear or libsvm; default auto)" "$tmp/help" \
  || fail "--help does not show the choices and default of --solver"
grep -q -- "^  -t, --kernel K " "$tmp/help" && grep -q "(linear or rbf; default linear)" "$tmp/help" \
  || fail "--help does not show -t, --kernel with its default"
grep -q -- "--task T .*(hostility, stance or all; default all)" "$tmp/help" || fail "--help does not show the default of --task"
[ ! -e "$tmp/x" ] || fail "a usage error wrote a bundle"

# Train twice: the same bytes.
"$train" -q --hash-bits 14 -o "$tmp/b1" "$data" || fail "training failed"
for f in manifest.json hostility.model stance.model; do
  [ -s "$tmp/b1/$f" ] || fail "bundle lacks $f"
done
"$train" -q --hash-bits 14 -o "$tmp/b2" "$data" || fail "second training failed"
cmp -r "$tmp/b1" "$tmp/b2" 2>/dev/null || diff -r "$tmp/b1" "$tmp/b2" >/dev/null || fail "two trainings differ"
grep -q '"format_version": 2' "$tmp/b1/manifest.json" || fail "manifest lacks format_version"
grep -q '"licence": "MIT"' "$tmp/b1/manifest.json" || fail "manifest lacks the source licence"
# Retraining over an existing bundle replaces it in place.
"$train" -q --hash-bits 14 -c 2 -o "$tmp/b1" "$data" || fail "retraining over a bundle failed"
grep -q '"C": 2' "$tmp/b1/manifest.json" || fail "the bundle was not replaced"
ls "$tmp" | grep -q -E '\.(tmp|old)-' && fail "temporary directories left behind"

# libsvm and SVR variants train too; stdin works.
"$train" -q --hash-bits 14 --solver libsvm -o "$tmp/svm" - <"$data" || fail "libsvm training failed"
grep -q '"solver": "libsvm"' "$tmp/svm/manifest.json" || fail "libsvm bundle not marked"
"$train" -q --hash-bits 14 --task hostility --hostility-model svr -o "$tmp/svr" "$data" \
  || fail "SVR training failed"
[ ! -e "$tmp/svr/stance.model" ] || fail "--task hostility wrote a stance model"

# Cross-validation report, text and JSON.
out=$("$train" -q --hash-bits 14 -v 3 "$data") || fail "-v 3 failed"
echo "$out" | grep -q "macro-F1" || fail "report lacks macro-F1"
echo "$out" | grep -q "Spearman" || fail "report lacks Spearman"
echo "$out" | grep -q "confusion" || fail "report lacks the confusion matrix"
json=$("$train" -q --hash-bits 14 -v 3 --json "$data") || fail "-v 3 --json failed"
echo "$json" | grep -q '"hostility":{' || fail "JSON report lacks hostility"
echo "$json" | grep -q '"macro_f1":' || fail "JSON report lacks macro_f1"

# Bad labels: every error with file:line, exit 1, no bundle.
bad="$tmp/bad.jsonl"
head -3 "$data" >"$bad"
echo '{"text":"Wrong level.","hostility":9}' >>"$bad"
echo '{"text":"Wrong stance.","targets":[{"actor":"RUS","stance":"angry"}]}' >>"$bad"
"$train" -o "$tmp/bad-bundle" "$bad" 2>"$tmp/err"
[ $? -eq 1 ] || fail "bad labels must exit 1"
[ ! -e "$tmp/bad-bundle" ] || fail "bad labels wrote a bundle"
grep -q "bad.jsonl:4:" "$tmp/err" || fail "no file:line for line 4: $(cat "$tmp/err")"
grep -q "bad.jsonl:5:" "$tmp/err" || fail "no file:line for line 5"

# A file in the wrong format names itself.
"$train" -q -v 3 --format unscon "$data" 2>"$tmp/err"
[ $? -eq 1 ] || fail "a jsonl file read as UNSCon must exit 1"
grep -q "labelled-small.jsonl:1:" "$tmp/err" || fail "no file:line for a wrong format: $(cat "$tmp/err")"
"$train" -q -o "$tmp/none" "$tmp/does-not-exist.jsonl" 2>"$tmp/err"
[ $? -eq 1 ] || fail "a missing input must exit 1"
grep -q "does-not-exist.jsonl" "$tmp/err" || fail "a missing input is not named"
gzip -c "$data" >"$tmp/small.jsonl.gz"
"$train" -q --hash-bits 12 -o "$tmp/gz" "$tmp/small.jsonl.gz" || fail "gzip input failed"

# Scoring with each trained bundle: every one loads in demarche-score and
# scores a hostile statement (a real test: any failure fails it).
[ -x "$score" ] || fail "$score not built"
stmt="We condemn the illegal annexation by Russia."
for bundle in b2 svm svr gz; do
  echo "$stmt" | "$score" --model "$tmp/$bundle" --statements - >"$tmp/scored" 2>"$tmp/score.err" \
    || fail "demarche-score cannot score with the $bundle bundle: $(head -1 "$tmp/score.err")"
  grep -q '"hostility":{"level":[0-4]' "$tmp/scored" || fail "$bundle: no hostility level: $(cat "$tmp/scored")"
  grep -q "1 document, 1 statement, 0 errors" "$tmp/score.err" || fail "$bundle: summary: $(cat "$tmp/score.err")"
done
for bundle in b2 svm; do
  echo "$stmt" | "$score" --model "$tmp/$bundle" --statements - >"$tmp/scored" 2>/dev/null
  grep -q '"actor":"RUS".*"stance":"\(against\|neutral\|favor\)"' "$tmp/scored" \
    || fail "$bundle: the target RUS has no stance: $(cat "$tmp/scored")"
done
# The hostility-only bundle gives no stance, and says nothing false.
echo "$stmt" | "$score" --model "$tmp/svr" --statements - >"$tmp/scored" 2>/dev/null
grep -q '"stance"' "$tmp/scored" && fail "a hostility-only bundle gave a stance"
# The same bundle scores the same bytes twice.
echo "$stmt" | "$score" --model "$tmp/b2" --statements - >"$tmp/s1" 2>/dev/null
echo "$stmt" | "$score" --model "$tmp/b1" --statements - >/dev/null 2>&1 || fail "the retrained bundle does not load"
echo "$stmt" | "$score" --model "$tmp/b2" --statements - >"$tmp/s2" 2>/dev/null
cmp -s "$tmp/s1" "$tmp/s2" || fail "two scorings with one bundle differ"
echo "ok"
