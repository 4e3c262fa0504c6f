#!/usr/bin/env bash
# demarche-score and the speaker ranker (README "How the speaker was found",
# bench/POLNEAR.md round 13): by default the data's models/speaker_ranker.tsv
# gives a quote the rules found nobody for a "ranked" speaker; --ranker none
# leaves it "none"; --min-attribution resolved drops the guess; a damaged
# weight file is refused with its reason (exit 3). Invented text.
. "$(dirname "$0")/lib/common.sh"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
S="$DM_BIN/demarche-score"
printf 'Dan Ruiz toured the plant in Elm Falls on Monday. The workers cheered him.\n\nThe line was built for "the next ten years" of work.\n' >"$TMP/a.txt"
expect_status 0 "default: the shipped ranker" -- "$S" --extract-only --jsonl -q "$TMP/a.txt"
expect_grep '"speaker":"Dan Ruiz".*"attribution":"ranked"' "$TMP/out" "a quote with no cue gets a ranked speaker"
expect_status 0 "--ranker none" -- "$S" --extract-only --jsonl -q --ranker none "$TMP/a.txt"
expect_grep '"speaker":null.*"attribution":"none"' "$TMP/out" "--ranker none: the rules only"
expect_status 0 "--min-attribution resolved" -- "$S" --extract-only --jsonl -q --min-attribution resolved "$TMP/a.txt"
if [ -s "$TMP/out" ]; then fail "a ranked speaker is a guess: --min-attribution resolved must drop it"; else ok "ranked is dropped by --min-attribution resolved"; fi
sed 's/^w\t1\t/w\t1\t9/' "$DM_SOURCE_DIR/models/speaker_ranker.tsv" >"$TMP/bad.tsv"
expect_status 3 "a damaged weight file" -- "$S" --extract-only --jsonl -q --ranker "$TMP/bad.tsv" "$TMP/a.txt"
expect_grep 'checksum mismatch' "$TMP/err" "the reason is given"
expect_status 3 "a missing weight file" -- "$S" --extract-only --jsonl -q --ranker "$TMP/none.tsv" "$TMP/a.txt"
finish
