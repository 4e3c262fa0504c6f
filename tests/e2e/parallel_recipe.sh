#!/usr/bin/env bash
# The README's GNU parallel recipe (sharded tasks, a part store each, one
# merge) run on this host (-S 2/:, two job slots, no ssh): the merged store
# exports what a single run's store does. Over ssh, parallel also copies the
# corpus out (--transferfile) and the parts back (--return): that is
# tests/e2e/parallel_ssh.sh, against a private sshd.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
command -v parallel >/dev/null || { echo "skip: no GNU parallel (scripts/setup.sh installs it)"; exit 77; }
cp "$DM_SOURCE_DIR/examples/news.jsonl" "$TMP/corpus.jsonl"
cd "$TMP" || exit 1
seq 0 5 | parallel --will-cite -S 2/: --transferfile corpus.jsonl --return part-{}.db --cleanup \
  "'$S' -q --db part-{}.db --shard {}/6 corpus.jsonl" 2>"$TMP/parallel.err" \
  && ok "six sharded tasks under GNU parallel" || fail "parallel: $(head -3 "$TMP/parallel.err")"
[ "$(ls part-*.db | wc -l)" = 6 ] && ok "six part stores" || fail "parts: $(ls)"
expect_status 0 "merge the parts" -- "$S" --db "$TMP/tone.db" --merge part-0.db part-1.db part-2.db part-3.db part-4.db part-5.db
expect_grep "merged 6 parts \(0 failed\): 28 documents added" "$TMP/err" "every document merged once"
"$S" -q --db "$TMP/one.db" corpus.jsonl
cmp -s <("$S" -q --db "$TMP/one.db" --export | sort) <("$S" -q --db "$TMP/tone.db" --export | sort) \
  && ok "the merged store holds what one run stores" || fail "the merged store differs from one run's"
finish
