#!/usr/bin/env bash
# demarche-score --shard K/N: the N shards of an input are disjoint, their
# union is the whole run (direct output and a store filled shard by shard),
# a bad record is reported by exactly one shard, usage errors exit 2.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
NEWS="$DM_SOURCE_DIR/examples/news.jsonl"
{ cat "$NEWS"; echo '{"id":"broken",'; } >"$TMP/in.jsonl"

expect_status 2 "--shard 3/3" -- "$S" --shard 3/3 "$NEWS"
expect_status 2 "--shard 0/0" -- "$S" --shard 0/0 "$NEWS"
expect_status 2 "--shard x/3" -- "$S" --shard x/3 "$NEWS"
expect_status 2 "--shard 1/3x" -- "$S" --shard 1/3x "$NEWS"
expect_status 2 "--shard with -e" -- "$S" --shard 0/2 --text "We condemn it."
expect_status 0 "--help" -- "$S" --help
expect_grep "[-]-shard K/N" "$TMP/out" "--help documents --shard"

"$S" -q "$TMP/in.jsonl" >"$TMP/whole.jsonl" 2>/dev/null
: >"$TMP/union.jsonl"
errors=0
for k in 0 1 2 3 4; do
  "$S" --shard "$k/5" "$TMP/in.jsonl" >"$TMP/part$k.jsonl" 2>"$TMP/err$k"
  cat "$TMP/part$k.jsonl" >>"$TMP/union.jsonl"
  errors=$((errors + $(grep -c "in.jsonl:29: " "$TMP/err$k")))
  expect_grep "shard $k/5: [0-9]+ records? of the other shards left to their tasks" "$TMP/err$k" "shard $k/5 says what it left"
done
[ "$(sort "$TMP/union.jsonl" | md5sum)" = "$(sort "$TMP/whole.jsonl" | md5sum)" ] \
  && ok "the five shards add up to the whole run" || fail "shards do not add up to the whole run"
[ "$(jq -r .doc "$TMP/union.jsonl" | sort -u | wc -l)" = "$(jq -r .doc "$TMP/whole.jsonl" | sort -u | wc -l)" ] \
  && ok "every document in exactly one shard's output" || fail "documents lost or doubled"
dups=$(for k in 0 1 2 3 4; do jq -r .doc "$TMP/part$k.jsonl" | sort -u; done | sort | uniq -d | wc -l)
[ "$dups" = 0 ] && ok "no document in two shards" || fail "$dups documents in two shards"
[ "$errors" = 1 ] && ok "the bad record is reported by one shard" || fail "the bad record was reported $errors times"
# news-01 is in shard 6 of 8 (README: FNV-1a 64 of the id modulo N).
"$S" -q --shard 6/8 "$NEWS" | jq -r .doc | grep -qx news-01 && ok "news-01 in shard 6/8, as documented" \
  || fail "news-01 not in shard 6/8"

# A store filled shard by shard holds what one run stores.
for k in 0 1 2; do "$S" -q --db "$TMP/sharded.db" --shard "$k/3" "$NEWS" || fail "storing shard $k/3"; done
"$S" -q --db "$TMP/one.db" "$NEWS"
"$S" -q --db "$TMP/sharded.db" --export | sort >"$TMP/a"
"$S" -q --db "$TMP/one.db" --export | sort >"$TMP/b"
cmp -s "$TMP/a" "$TMP/b" && ok "a store filled by shards exports what one run's does" || fail "sharded store differs"
# Four tasks at once on a new store: one creates it, all write in turn.
for k in 0 1 2 3; do "$S" -q --db "$TMP/together.db" --shard "$k/4" "$NEWS" 2>>"$TMP/together.err" & done; wait
[ ! -s "$TMP/together.err" ] && ok "four concurrent tasks on one new store: no error" || fail "$(head -3 "$TMP/together.err")"
"$S" -q --db "$TMP/together.db" --export | sort >"$TMP/c"
cmp -s "$TMP/b" "$TMP/c" && ok "and the store holds what one run stores" || fail "concurrent store differs"

# Each task its own part store, then one merge (the cluster recipe): the
# merged store exports what one run's does; merging again adds nothing.
for k in 0 1 2; do "$S" -q --db "$TMP/part$k.db" --shard "$k/3" "$NEWS" || fail "part $k"; done
expect_status 0 "--merge three parts" -- "$S" --db "$TMP/merged.db" --merge "$TMP/part0.db" "$TMP/part1.db" "$TMP/part2.db"
expect_grep "merged 3 parts \(0 failed\): 28 documents added, 0 new revisions, 0 already stored" "$TMP/err" "merge summary"
"$S" -q --db "$TMP/merged.db" --export | sort >"$TMP/d"
cmp -s "$TMP/b" "$TMP/d" && ok "the merged store exports what one run's does" || fail "merged store differs"
[ "$(sqlite3 "$TMP/merged.db" 'SELECT count(*) FROM hostility; SELECT count(*) FROM stance; SELECT count(*) FROM scored')" = \
  "$(sqlite3 "$TMP/one.db" 'SELECT count(*) FROM hostility; SELECT count(*) FROM stance; SELECT count(*) FROM scored')" ] \
  && ok "every score merged with its model" || fail "scores lost in the merge"
expect_status 0 "--merge again" -- "$S" --db "$TMP/merged.db" --merge "$TMP/part0.db" "$TMP/part1.db" "$TMP/part2.db"
expect_grep "0 documents added, 0 new revisions, 28 already stored" "$TMP/err" "merging again adds nothing"
expect_status 1 "--merge a file that is not a store" -- "$S" --db "$TMP/merged.db" --merge "$NEWS" "$TMP/part0.db"
expect_grep "news.jsonl: not an SQLite file" "$TMP/err" "a bad part is named"
expect_grep "merged 1 part \(1 failed\)" "$TMP/err" "the other parts are merged"
expect_status 2 "--merge without parts" -- "$S" --db "$TMP/merged.db" --merge
finish
