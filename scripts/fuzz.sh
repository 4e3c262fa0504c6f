#!/usr/bin/env bash
# Build the libFuzzer harnesses (clang, ASan + UBSan) and run each for
# SECONDS (default 60). Exit 1 if any harness finds a crash, a leak, UB or
# a timeout; the reproducer lands in $DM_FUZZ_OUT/artifacts/<harness>-*.
#
#   bash scripts/fuzz.sh [SECONDS] [HARNESS...]
#
# Environment:
#   DM_FUZZ_BUILD  build directory (default build-fuzz)
#   DM_FUZZ_OUT    corpora, artifacts and logs (default $DM_FUZZ_BUILD/fuzz-out;
#                  keep a long campaign's corpus there or outside the repository)
#   DM_FUZZ_ARGS   extra libFuzzer flags, e.g. "-jobs=2 -workers=2"
#   DM_SOURCE_DIR  where the harnesses find lexicons/ and models/ (default .)
# Seeds: tests/fuzz/corpus/<harness>/ (committed, regression inputs
# included) plus inputs generated from tests/ and the shipped lexicons.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-60}"
shift || true
build="${DM_FUZZ_BUILD:-build-fuzz}"
out="${DM_FUZZ_OUT:-$build/fuzz-out}"
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(extract records bundle chart)

if ! command -v clang >/dev/null; then
  echo "fuzz: clang not found (scripts/setup.sh installs it)" >&2
  exit 1
fi
CC=clang bash scripts/build.sh "$build" -DDM_FUZZ=ON -DBUILD_TESTING=OFF
mkdir -p "$out/artifacts" "$out/seeds"
src="$(pwd)"
data="${DM_SOURCE_DIR:-$src}"
bin="$src/$build/bin"
[[ "$build" = /* ]] && bin="$build/bin"

# seed HARNESS NAME MODE-BYTE FILE: the mode byte, then the file's bytes.
seed() {
  mkdir -p "$out/seeds/$1"
  { printf "\\x$(printf %02x "$3")"; cat "$4"; } >"$out/seeds/$1/$2"
}

gen_seeds() {
  local f i
  for f in tests/articles/*.txt; do
    for i in 0 1 2 5; do seed extract "$(basename "$f").$i" "$i" "$f"; done
  done
  head -c 4000 tests/heldout/*.txt 2>/dev/null >"$out/seeds/heldout.txt" || true
  [ -s "$out/seeds/heldout.txt" ] && seed extract heldout 1 "$out/seeds/heldout.txt"
  seed records labelled.0 0 tests/data/labelled-small.jsonl
  seed records labelled.1 1 tests/data/labelled-small.jsonl
  seed records labelled.2 2 tests/data/labelled-small.jsonl
  seed records labelled.10 10 tests/data/labelled-small.jsonl
  head -c 6000 tests/articles/articles.jsonl >"$out/seeds/articles.jsonl"
  seed records articles.0 0 "$out/seeds/articles.jsonl"
  seed records gold.1 1 tests/articles/gold.jsonl
  gzip -c tests/data/labelled-small.jsonl >"$out/seeds/labelled.jsonl.gz"
  seed records labelled-gz.2 2 "$out/seeds/labelled.jsonl.gz"
  for i in 0 7 18 41 45 60 99 128 160 255; do
    seed chart "input.$i" "$i" tests/data/chart-input.jsonl
    # the second byte of a chart input is options too: keep the file whole
    { printf "\\x$(printf %02x "$i")"; cat tests/data/chart-input.jsonl; } \
      >"$out/seeds/chart/input.$i.b"
  done
  # Bundle seeds: small models of every kind the loader accepts, trained
  # on tests/data with 2^10 buckets (the harness's manifest has 10 bits).
  local tr="$bin/demarche-train" t="$out/seeds/train"
  rm -rf "$t" && mkdir -p "$t"
  local -a kinds=("lin:0:" "svm:1:--solver libsvm" "svr:3:--solver libsvm --hostility-model svr"
                  "linsvr:2:--hostility-model svr" "cs:0:-s 4")
  local k name mode opts
  for k in "${kinds[@]}"; do
    IFS=: read -r name mode opts <<<"$k"
    # shellcheck disable=SC2086
    if ASAN_OPTIONS=detect_leaks=0 DEMARCHE_DATA="$data" "$tr" -q --lexicons "$data/lexicons" \
         --hash-bits 10 --ngrams 1 $opts -o "$t/$name" \
         tests/data/labelled-small.jsonl 2>"$t/$name.log"; then
      # mode bits 3+4: through a bundle directory and dm_model_load
      seed bundle "$name.hostility" "$mode" "$t/$name/hostility.model"
      seed bundle "$name.stance" $(( (mode & 1) | 4 )) "$t/$name/stance.model"
      seed bundle "$name.hostility.dir" $(( mode | 0x18 )) "$t/$name/hostility.model"
    else
      echo "fuzz: cannot train the $name seed bundle (see $t/$name.log)" >&2
    fi
  done
}
gen_seeds

# LeakSanitizer: LIBLINEAR's load_model leaks on a file it rejects (its
# EXIT_LOAD_MODEL); the validator should keep such files from it.
printf 'leak:load_model\nleak:read_model_header\n' >"$out/lsan.supp"
export LSAN_OPTIONS="suppressions=$src/$out/lsan.supp"
[[ "$out" = /* ]] && export LSAN_OPTIONS="suppressions=$out/lsan.supp"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export DM_SOURCE_DIR="$data"
# fuzz_extract scores with a small bundle trained above on this tree's
# lexicons and features (models/default may lag behind a feature change).
if [ -f "$out/seeds/train/lin/manifest.json" ]; then
  export DM_FUZZ_MODEL="$src/$out/seeds/train/lin"
  [[ "$out" = /* ]] && export DM_FUZZ_MODEL="$out/seeds/train/lin"
fi

failed=()
for h in "${harnesses[@]}"; do
  exe="$bin/fuzz_$h"
  [ -x "$exe" ] || { echo "fuzz: no harness $exe" >&2; failed+=("$h"); continue; }
  mkdir -p "$out/corpus/$h" "$out/seeds/$h"
  max_len=16384
  [ "$h" = bundle ] && max_len=65536 # the seed models are up to 43 KB
  echo "== fuzz_$h: ${secs}s =="
  # shellcheck disable=SC2086
  if (cd "$out" && "$exe" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 \
        -max_len="$max_len" -print_final_stats=1 -artifact_prefix="artifacts/$h-" \
        ${DM_FUZZ_ARGS:-} "corpus/$h" "$src/tests/fuzz/corpus/$h" "seeds/$h" \
        >"$h.log" 2>&1); then
    grep -E "^(#[0-9]+ +DONE|stat::number_of_executed_units|stat::average_exec_per_sec)" "$out/$h.log" || true
  else
    echo "fuzz_$h FAILED (log: $out/$h.log; reproducer: $out/artifacts/$h-*):" >&2
    grep -E "ERROR:|SUMMARY:|runtime error" "$out/$h.log" | head -5 >&2 || true
    failed+=("$h")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in ${failed[*]}" >&2
  exit 1
fi
echo "fuzz: ${harnesses[*]}: no crash in ${secs}s each"
