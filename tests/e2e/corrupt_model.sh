#!/usr/bin/env bash
# A corrupt model bundle must give a clear message and exit 3, never a crash:
# each file of a freshly trained bundle (liblinear and libsvm) is truncated
# or damaged, and demarche-score must refuse it, naming the file.
#
# libsvm's svm_load_model crashes on a damaged support-vector section, so
# the loader checks each model file's checksum (manifest) before parsing,
# and validates the model text strictly (crafted files below).
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
expect_status 0 "the intact bundle scores" -- "$S" --model "$TMP/lin" --jsonl --text "Russia must withdraw its troops now."

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
  expect_status 3 "$bundle/$file $how: refused" -- "$S" --model "$dir" --jsonl --text "Russia must withdraw."
  expect_grep "$file" "$TMP/err" "$bundle/$file $how: the message names the file"
}

for how in empty half tail garbage; do
  corrupt lin manifest.json $how
  corrupt svm manifest.json $how
  corrupt lin hostility.model $how
  corrupt lin stance.model $how
  corrupt lin hostility.weights $how
  corrupt lin stance.weights $how
  corrupt svm hostility.model $how
  corrupt svm stance.model $how
done

# Crafted model files with VALID checksums (a bundle is untrusted input,
# issue 8 item 10): each crashed or hung LIBLINEAR's load_model, libsvm's
# svm_load_model or the fold before the model text was validated. Each must
# be refused with a message naming the file, exit 3, within the timeout.
fnv1a64() { # FNV-1a 64 of a file's bytes, as a format-1 manifest records it
  local h=-3750763034362895579 b # 0xcbf29ce484222325
  for b in $(od -An -v -tu1 "$1"); do
    h=$(( (h ^ b) * 1099511628211 ))
  done
  printf 'fnv1a64:%016x' "$h"
}
crc32() { # CRC-32 of a file's bytes, as the manifest records it (gzip's trailer
  # holds it, little-endian, before the length)
  printf 'crc32:%08x' "0x$(gzip -c <"$1" | tail -c 8 | od -An -v -tx1 -N4 | awk '{print $4 $3 $2 $1}')"
}
# checksum_like OLD FILE: FILE's checksum in the algorithm of OLD
checksum_like() { case "$1" in fnv1a64:*) fnv1a64 "$2" ;; *) crc32 "$2" ;; esac; }

# crafted BUNDLE NAME [STATUS]: copy BUNDLE to $TMP/crafted with
# hostility.model replaced by $TMP/model.txt and its checksum recomputed in
# the manifest; expect STATUS (default 3, a refusal naming the file).
crafted() {
  local bundle=$1 name=$2 want=${3:-3} dir="$TMP/crafted" old new
  rm -rf "$dir"
  cp -r "$TMP/$bundle" "$dir"
  old=$(sed -n '/"hostility"/,/}/s/.*"checksum": "\([a-z0-9]*:[0-9a-f]*\)".*/\1/p' "$dir/manifest.json")
  cp "$TMP/model.txt" "$dir/hostility.model"
  new=$(checksum_like "$old" "$dir/hostility.model")
  sed -i "s/$old/$new/" "$dir/manifest.json"
  # Without its binary weights, the loader reads the LIBLINEAR text.
  jq 'del(.tasks.hostility.weights, .tasks.hostility.weights_checksum, .tasks.hostility.bytes)' \
    "$dir/manifest.json" >"$dir/m.json" && mv "$dir/m.json" "$dir/manifest.json"
  rm -f "$dir/hostility.weights"
  expect_status "$want" "crafted $name: exit $want" -- timeout 60 "$S" --model "$dir" --jsonl --text "Russia must withdraw."
  [ "$want" -eq 0 ] && return
  expect_grep "hostility.model(:[0-9]+)?: " "$TMP/err" "crafted $name: the message names the file"
  if grep -q "is damaged or was changed" "$TMP/err"; then fail "crafted $name: stopped at the checksum, not by validation"; fi
  grep -E "hostility.model" "$TMP/err" | head -1 | sed 's/^/  /'
}
# Small valid models first: they load (so the checksum helper is right and
# the validator accepts what the libraries write), then one defect each.
lin() { printf 'solver_type L2R_LR\nnr_class 3\nlabel 0 3 1\nnr_feature %s\nbias 1\nw\n' "${1:-3}"
        printf '0.5 -0.25 0 \n0 0 1e-3 \n-1 2 3 \n%s' "${2-0.1 0.2 0.3 
}"; }
svm() { printf 'svm_type c_svc\nkernel_type linear\nnr_class 2\ntotal_sv %s\nrho 0.25\nlabel 0 3\n' "${1:-3}"
        printf 'probA -1.5\nprobB 0.1\nnr_sv %s\nSV\n' "${2:-2 1}"
        printf '%s' "${3:-0.5 1:0.5 7:1 
0.25 2:1 
-0.75 1:0.25 16000:1 
}"; }
lin >"$TMP/model.txt"; crafted lin "small valid liblinear model" 0
svm >"$TMP/model.txt"; crafted svm "small valid libsvm model" 0
lin -5 >"$TMP/model.txt"; crafted lin "liblinear negative nr_feature"
lin 2000000000 >"$TMP/model.txt"; crafted lin "liblinear nr_feature beyond the feature dimension"
lin 3 "" >"$TMP/model.txt"; crafted lin "liblinear missing weight line"
lin 3 "0.1 0.2x 0.3
" >"$TMP/model.txt"; crafted lin "liblinear number with trailing garbage"
lin 3 "0.1 nan 0.3
" >"$TMP/model.txt"; crafted lin "liblinear NaN weight"
lin | sed 's/^nr_class .*/nr_class 900000000/' >"$TMP/model.txt"; crafted lin "liblinear huge nr_class"
svm 3 "2 1" "0.5 1:0.5 7:1
" >"$TMP/model.txt"; crafted svm "libsvm truncated support vectors"
svm 2000000000 "1000000000 1000000000" >"$TMP/model.txt"; crafted svm "libsvm huge total_sv"
svm 3 "7 1" >"$TMP/model.txt"; crafted svm "libsvm nr_sv beyond total_sv"
svm 3 "1 1" >"$TMP/model.txt"; crafted svm "libsvm nr_sv adding up to less than total_sv"
svm 3 "2 1" "0.5 -7:0.5
0.25 2:1
-0.75 1:0.25
" >"$TMP/model.txt"; crafted svm "libsvm negative feature index"
svm 3 "2 1" "0.5 7:0.5 3:1
0.25 2:1
-0.75 1:0.25
" >"$TMP/model.txt"; crafted svm "libsvm decreasing feature indices"
svm 3 "2 1" "0.5 99999999:0.5
0.25 2:1
-0.75 1:0.25
" >"$TMP/model.txt"; crafted svm "libsvm feature index beyond the dimension"
svm | sed 's/^nr_class .*/nr_class -3/' >"$TMP/model.txt"; crafted svm "libsvm negative nr_class"
svm | tr '7' '\0' >"$TMP/model.txt"; crafted svm "libsvm NUL byte"
# Binary weights (LIBLINEAR bundles, model/weights.c) with VALID checksums:
# one defect each, refused by the weights check, naming the file. A bundle
# with 2^10 buckets keeps the files small for the shell checksum.
"$T" -q --hash-bits 10 -o "$TMP/small" "$DATA" || fail "cannot train a 2^10 bundle"
expect_grep '"weights": "hostility.weights"' "$TMP/small/manifest.json" "a LIBLINEAR bundle names its weights"
# crafted_weights NAME OFFSET BYTES | append BYTES: patch a copy of hostility.weights
crafted_weights() {
  local name=$1 at=$2 bytes=$3 dir="$TMP/cw" old new
  rm -rf "$dir" && cp -r "$TMP/small" "$dir"
  if [ "$at" = append ]; then printf "$bytes" >>"$dir/hostility.weights"
  else printf "$bytes" | dd of="$dir/hostility.weights" bs=1 seek="$at" conv=notrunc status=none; fi
  old=$(sed -n 's/.*"weights_checksum": "\([a-z0-9]*:[0-9a-f]*\)".*/\1/p' "$dir/manifest.json" | head -1)
  new=$(checksum_like "$old" "$dir/hostility.weights")
  sed -i "s/$old/$new/" "$dir/manifest.json"
  expect_status 3 "crafted weights: $name: refused" -- timeout 60 "$S" --model "$dir" --jsonl --text "Russia must withdraw."
  expect_grep "hostility.weights: " "$TMP/err" "crafted weights: $name: the message names the file"
  if grep -q "is damaged or was changed" "$TMP/err"; then fail "crafted weights: $name: stopped at the checksum, not by the check"; fi
  grep -E "hostility.weights" "$TMP/err" | head -1 | sed 's/^/  /'
}
crafted_weights "bad magic" 0 'DMWEIGHX'
crafted_weights "another version" 8 '\x02'
crafted_weights "unknown solver" 12 '\x09'
crafted_weights "nr_feature beyond the feature dimension" 20 '\xff\xff\xff\x00'
crafted_weights "label out of range" 40 '\x09'
crafted_weights "NaN weight" 60 '\x00\x00\x00\x00\x00\x00\xf8\x7f'
crafted_weights "bias below -1" 39 '\xc1'
crafted_weights "one byte too many" append '\x00'
# A whole weight too many: the header plausible, the weights read apart
# from it (bundle_load.c), and still refused by the size check.
crafted_weights "one weight too many" append '\x00\x00\x00\x00\x00\x00\x00\x00'
# The text beside the weights is not parsed, but must keep its size.
rm -rf "$TMP/cw" && cp -r "$TMP/small" "$TMP/cw" && printf ' ' >>"$TMP/cw/hostility.model"
expect_status 3 "LIBLINEAR text grown beside its weights: refused" -- "$S" --model "$TMP/cw" --jsonl --text "Russia must withdraw."
expect_grep "hostility.model: .*changed after training" "$TMP/err" "grown text: the message says why"
rm -f "$TMP/cw/hostility.model"
expect_status 3 "LIBLINEAR text missing beside its weights: refused" -- "$S" --model "$TMP/cw" --jsonl --text "Russia must withdraw."
expect_grep "missing hostility.model" "$TMP/err" "missing text: the message names the file"
# Scores are the same from the weights and from the text alone.
rm -rf "$TMP/cw" && cp -r "$TMP/small" "$TMP/cw" && rm "$TMP/cw/"*.weights
jq 'del(.tasks[].weights, .tasks[].weights_checksum, .tasks[].bytes)' "$TMP/small/manifest.json" >"$TMP/cw/manifest.json"
"$S" -q --model "$TMP/small" --statements "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl" >"$TMP/w.out" 2>&1
"$S" -q --model "$TMP/cw" --statements "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl" >"$TMP/t.out" 2>&1
if [ -s "$TMP/w.out" ] && cmp -s "$TMP/w.out" "$TMP/t.out"; then ok "weights and text score the same"; else fail "weights and text score differently"; fi
# Checksums: CRC-32 ("crc32:", bundle format 2) as zlib and gzip compute
# it; a format-1 bundle (FNV-1a 64, "fnv1a64:") still loads and scores the
# same; an algorithm this demarche does not know is refused, saying so.
want=$(crc32 "$TMP/small/hostility.weights")
expect_grep "\"weights_checksum\": \"$want\"" "$TMP/small/manifest.json" "the manifest records the CRC-32 of the weights"
expect_grep '"format_version": 2' "$TMP/small/manifest.json" "a new bundle is of format 2"
rm -rf "$TMP/f1" && cp -r "$TMP/small" "$TMP/f1"
for f in hostility.model hostility.weights stance.model stance.weights; do
  old=$(crc32 "$TMP/f1/$f"); new=$(fnv1a64 "$TMP/f1/$f")
  sed -i "s/$old/$new/" "$TMP/f1/manifest.json"
done
sed -i 's/"format_version": 2/"format_version": 1/' "$TMP/f1/manifest.json"
expect_grep '"weights_checksum": "fnv1a64:' "$TMP/f1/manifest.json" "format-1 bundle made (FNV-1a 64 checksums)"
"$S" -q --model "$TMP/f1" --statements "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl" >"$TMP/f1.out" 2>&1
if [ -s "$TMP/w.out" ] && cmp -s "$TMP/w.out" "$TMP/f1.out"; then ok "a format-1 bundle (fnv1a64) scores as the same bundle with crc32"; else fail "format-1 bundle: refused or scores differently"; head -3 "$TMP/f1.out" >&2; fi
printf 'x' | dd of="$TMP/f1/stance.weights" bs=1 seek=100 conv=notrunc status=none
expect_status 3 "format-1 bundle with damaged weights: refused" -- "$S" --model "$TMP/f1" --jsonl --text "Russia must withdraw."
expect_grep "stance.weights: .*damaged or was changed.*manifest fnv1a64:" "$TMP/err" "format-1 damaged weights: the message says why"
rm -rf "$TMP/alg" && cp -r "$TMP/small" "$TMP/alg"
sed -i "s/\"$want\"/\"sha256:$(printf '%064d' 0)\"/" "$TMP/alg/manifest.json"
expect_status 3 "an unknown checksum algorithm: refused" -- "$S" --model "$TMP/alg" --jsonl --text "Russia must withdraw."
expect_grep 'manifest.json: .*hostility.weights uses an unknown algorithm \("sha256"' "$TMP/err" "unknown algorithm: the message names it"

# Special files: refused before reading (a FIFO or /dev/zero hung the loader).
rm -rf "$TMP/special" && cp -r "$TMP/svm" "$TMP/special"
ln -sf /dev/zero "$TMP/special/hostility.model"
expect_status 3 "model file linked to /dev/zero: refused" -- timeout 60 "$S" --model "$TMP/special" --jsonl --text "Russia must withdraw."
expect_grep "hostility.model: .*not a regular file" "$TMP/err" "/dev/zero: the message says why"
rm -f "$TMP/special/hostility.model" && mkfifo "$TMP/special/hostility.model"
expect_status 3 "FIFO model file: refused" -- timeout 60 "$S" --model "$TMP/special" --jsonl --text "Russia must withdraw."
expect_grep "hostility.model: .*FIFO" "$TMP/err" "FIFO: the message says why"
rm -f "$TMP/special/hostility.model" && cp "$TMP/svm/hostility.model" "$TMP/special/hostility.model"
rm -f "$TMP/special/manifest.json" && mkfifo "$TMP/special/manifest.json"
expect_status 3 "FIFO manifest: refused" -- timeout 60 "$S" --model "$TMP/special" --jsonl --text "Russia must withdraw."
expect_grep "manifest.json: .*FIFO" "$TMP/err" "FIFO manifest: the message says why"
# A symbolic link to a regular file inside a bundle is still fine.
rm -rf "$TMP/linked" && cp -r "$TMP/svm" "$TMP/linked"
mv "$TMP/linked/hostility.model" "$TMP/linked/h.real" && ln -s h.real "$TMP/linked/hostility.model"
expect_status 0 "a model file that is a symlink to a regular file loads" -- timeout 60 "$S" --model "$TMP/linked" --jsonl --text "Russia must withdraw."

# A newer format version is refused with a message naming the version.
rm -rf "$TMP/newer"
cp -r "$TMP/lin" "$TMP/newer"
sed -i 's/"format_version": [0-9]*/"format_version": 999/' "$TMP/newer/manifest.json"
expect_status 3 "newer bundle refused" -- "$S" --model "$TMP/newer" --jsonl --text "Russia must withdraw."
expect_grep "999" "$TMP/err" "newer bundle: the message names the version"
# Compatibility (issue 12): the manifest records the feature dimensions and
# the ICU version; another dimension count or ICU major version is refused
# naming both, another ICU minor version warns and scores.
expect_grep '"dimensions": [0-9]+' "$TMP/lin/manifest.json" "the manifest records the feature dimensions"
expect_grep '"icu_version": "[0-9]+' "$TMP/lin/manifest.json" "the manifest records the ICU version"
icu=$(sed -n 's/.*"icu_version": "\([0-9.]*\)".*/\1/p' "$TMP/lin/manifest.json")
major=${icu%%.*}; minor=${icu#*.}; minor=${minor%%.*}
dims=$(sed -n '/"features"/,/}/s/.*"dimensions": \([0-9]*\).*/\1/p' "$TMP/lin/manifest.json")
rm -rf "$TMP/compat" && cp -r "$TMP/lin" "$TMP/compat"
sed -i "s/\"dimensions\": $dims/\"dimensions\": $((dims + 7))/" "$TMP/compat/manifest.json"
expect_status 3 "another dimension count: refused" -- "$S" --model "$TMP/compat" --jsonl --text "Russia must withdraw."
expect_grep "$((dims + 7)) feature dimensions.*computes $dims" "$TMP/err" "dimensions: the message names both counts"
rm -rf "$TMP/compat" && cp -r "$TMP/lin" "$TMP/compat"
sed -i "s/\"icu_version\": \"$icu\"/\"icu_version\": \"$((major + 1)).0\"/" "$TMP/compat/manifest.json"
expect_status 3 "another ICU major version: refused" -- "$S" --model "$TMP/compat" --jsonl --text "Russia must withdraw."
expect_grep "ICU $((major + 1)).0.*runs ICU $icu.*retrain" "$TMP/err" "ICU major: the message names both versions"
rm -rf "$TMP/compat" && cp -r "$TMP/lin" "$TMP/compat"
sed -i "s/\"icu_version\": \"$icu\"/\"icu_version\": \"$major.$((minor + 1))\"/" "$TMP/compat/manifest.json"
expect_status 0 "another ICU minor version: scores" -- "$S" --model "$TMP/compat" --jsonl --text "Russia must withdraw."
expect_grep "warning: .*ICU $major.$((minor + 1))" "$TMP/err" "ICU minor: a warning names the version"
# With -j 2 the bundle loads on a thread of its own (cli_score.c,
# load_resources): a refusal and a warning must read as with -j 1, in the
# same order, and the exit status be the same.
printf '{"text": "Russia must withdraw.", "speaker": "USA"}\n' >"$TMP/one.jsonl"
for bundle in compat bad; do
  [ "$bundle" = bad ] && { rm -rf "$TMP/bad" && cp -r "$TMP/lin" "$TMP/bad" && echo garbage >"$TMP/bad/manifest.json"; }
  want=0; [ "$bundle" = bad ] && want=3
  for j in 1 2; do
    expect_status "$want" "$bundle bundle, --statements -j $j: exit $want" -- "$S" -j "$j" --model "$TMP/$bundle" --statements "$TMP/one.jsonl"
    grep -v '^demarche-score: [0-9]* document' "$TMP/err" >"$TMP/err-j$j"
  done
  if [ -s "$TMP/err-j1" ] && cmp -s "$TMP/err-j1" "$TMP/err-j2"; then ok "$bundle bundle: -j 2 reports what -j 1 reports"
  else fail "$bundle bundle: the messages of -j 1 and -j 2 differ (or are empty)"; diff "$TMP/err-j1" "$TMP/err-j2" | head -10 >&2; fi
done
expect_grep "manifest.json" "$TMP/err-j2" "bad bundle, -j 2: the message names the file"
finish
