#!/usr/bin/env bash
# A corrupt model bundle must give a clear message and exit 3, never a crash:
# each file of a freshly trained bundle (liblinear and libsvm) is truncated
# or damaged, and demarche-score must refuse it, naming the file.
#
# libsvm's svm_load_model crashes on a damaged support-vector section, so
# the loader checks each model file's checksum (manifest) before parsing.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
T="$DM_BIN/demarche-train"
DATA="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
if [ ! -x "$T" ] || [ ! -x "$S" ]; then echo "skip: demarche-train or demarche-score not built"; exit 77; fi
export DEMARCHE_DATA="$DM_SOURCE_DIR"
# Under LeakSanitizer: liblinear's load_model leaks its weight vector when it
# fails on a damaged file (third-party code, see EXIT_LOAD_MODEL in linear.cpp).
printf 'leak:load_model\nleak:read_model_header\n' >"$TMP/lsan.supp"
export LSAN_OPTIONS="suppressions=$TMP/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

"$T" -q --hash-bits 14 -o "$TMP/lin" "$DATA" || { fail "cannot train a liblinear bundle"; finish; exit 1; }
"$T" -q --hash-bits 14 --solver libsvm -o "$TMP/svm" "$DATA" || { fail "cannot train a libsvm bundle"; finish; exit 1; }
expect_status 0 "the intact bundle scores" -- "$S" --model "$TMP/lin" --jsonl -e "Russia must withdraw its troops now."

# corrupt BUNDLE FILE HOW: copy the bundle, damage one file, expect a refusal.
corrupt() {
  local bundle=$1 file=$2 how=$3 dir="$TMP/bad"
  rm -rf "$dir"
  cp -r "$TMP/$bundle" "$dir"
  local size
  size=$(stat -c %s "$dir/$file")
  case $how in
    empty) : >"$dir/$file" ;;
    half) head -c $((size / 2)) "$TMP/$bundle/$file" >"$dir/$file" ;;
    tail) head -c $((size * 9 / 10)) "$TMP/$bundle/$file" >"$dir/$file" ;;
    garbage) head -c 2000 /dev/zero | tr '\0' 'x' >"$dir/$file" ;;
  esac
  expect_status 3 "$bundle/$file $how: refused" -- "$S" --model "$dir" --jsonl -e "Russia must withdraw."
  expect_grep "$file" "$TMP/err" "$bundle/$file $how: the message names the file"
}

for how in empty half tail garbage; do
  corrupt lin manifest.json $how
  corrupt svm manifest.json $how
  corrupt lin hostility.model $how
  corrupt lin stance.model $how
  corrupt svm hostility.model $how
  corrupt svm stance.model $how
done

# A newer format version is refused with a message naming the version.
rm -rf "$TMP/newer"
cp -r "$TMP/lin" "$TMP/newer"
sed -i 's/"format_version": 1/"format_version": 999/' "$TMP/newer/manifest.json"
expect_status 3 "newer bundle refused" -- "$S" --model "$TMP/newer" --jsonl -e "Russia must withdraw."
expect_grep "999" "$TMP/err" "newer bundle: the message names the version"
finish
