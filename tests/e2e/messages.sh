#!/usr/bin/env bash
# Messages (issue 17 item 10): the program's name without its path, one
# style of usage line, a missing bundle said as such, and skip reasons that
# show without ctest -V (scripts/ctest-skips.sh).
. "$(dirname "$0")/lib/common.sh"

for tool in demarche-score demarche-train demarche-chart; do
  # Run through a path, as a user of build/bin/ does.
  expect_status 2 "$tool: unknown option" -- "$DM_BIN/../bin/$tool" --no-such-option
  expect_grep "^$tool: unknown option '--no-such-option'$" "$TMP/err" "$tool: its name, not its path"
  grep -q "/$tool" "$TMP/err" && fail "$tool printed its path: $(head -1 "$TMP/err")" || ok "$tool: no path in the message"
  expect_grep "^Try '$tool --help'.$" "$TMP/err" "$tool: one way to ask for help"
  expect_status 2 "$tool: option without its argument" -- "$DM_BIN/$tool" -o
  expect_grep "^$tool: option '-o' needs an argument$" "$TMP/err" "$tool: a missing argument named"
  expect_status 0 "$tool --help" -- "$DM_BIN/$tool" --help
  expect_grep "^usage: $tool " "$TMP/out" "$tool: usage line in one style"
done

expect_status 3 "a missing bundle" -- "$DM_BIN/demarche-score" --model "$TMP/no-such-bundle" --text "Russia lies."
expect_grep "no-such-bundle: no such model bundle directory" "$TMP/err" "a missing bundle is said as such"
expect_status 3 "a file as bundle" -- "$DM_BIN/demarche-score" --model "$DM_SOURCE_DIR/README.md" --text "Russia lies."
expect_grep "README.md: not a directory" "$TMP/err" "a file given as bundle is said as such"

# A broken lexicon line: the file and line, and a hint that names the
# lexicons, not the model (the model load reads them).
cp -r "$DM_SOURCE_DIR/lexicons" "$TMP/badlex"
printf 'no tab on this line\n' >>"$TMP/badlex/sentiment.tsv"
expect_status 3 "a broken lexicon line" -- "$DM_BIN/demarche-score" --lexicons "$TMP/badlex" --text "Russia lies."
expect_grep "badlex/sentiment.tsv:[0-9]*: expected 2 tab-separated columns" "$TMP/err" "a broken lexicon line is named by file and line"
expect_grep "a lexicon of .*badlex could not be read" "$TMP/err" "the hint names the lexicons"
grep -q "no usable default model" "$TMP/err" && fail "a lexicon fault blamed on the model: $(cat "$TMP/err")" || ok "a lexicon fault is not blamed on the model"

# Skip reasons: from ctest's log, one line per skipped test.
mkdir -p "$TMP/b/Testing/Temporary"
cat >"$TMP/b/Testing/Temporary/LastTest.log" <<'LOG'
1/2 Testing: e2e/needs_data
1/2 Test: e2e/needs_data
Output:
----------------------------------------------------------
skip: PolNeAR dev split not found at ../shared/data/polnear/dev
<end of output>
2/2 Test: unit/test_x
Output:
----------------------------------------------------------
[ RUN      ] t
skipped: Phoenix dictionaries not found (DM_SHARED_DIR)
LOG
bash "$DM_SOURCE_DIR/scripts/ctest-skips.sh" "$TMP/b" >"$TMP/skips"
expect_grep "^skipped e2e/needs_data: PolNeAR dev split not found" "$TMP/skips" "skip reason of an e2e test"
expect_grep "^skipped unit/test_x: Phoenix dictionaries not found" "$TMP/skips" "skip reason of a unit test"
(skip "a reason") >"$TMP/skip-out"; [ $? -eq 77 ] && grep -q "^skip: a reason$" "$TMP/skip-out" \
  && ok "skip() prints its reason to stdout and exits 77" || fail "skip() in lib/common.sh"
finish
