#!/usr/bin/env bash
# scripts/slurm/score.sbatch and merge.sbatch run as Slurm runs them, without
# Slurm (SLURM_ARRAY_TASK_ID set here; tests/e2e/slurm.sh runs them under a
# real one): three shards and a merge give what one run stores; a task run
# again replaces its part; a record with errors is reported by the merge at
# file:line; a missing part and a damaged one (cut short, a page
# overwritten) are named and nothing of the damaged one is imported.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
SCORE="$DM_SOURCE_DIR/scripts/slurm/score.sbatch"
MERGE="$DM_SOURCE_DIR/scripts/slurm/merge.sbatch"
export DEMARCHE_DATA="$DM_SOURCE_DIR" DEMARCHE_SCORE="$S"
cd "$TMP" || exit 1
{ cat "$DM_SOURCE_DIR/examples/news.jsonl"; echo '{"id":"broken",'; } >corpus.jsonl
echo corpus.jsonl >inputs.list
"$S" -q --db one.db corpus.jsonl 2>/dev/null
"$S" -q --db one.db --export | sort >one.export

expect_status 2 "score.sbatch outside an array" -- env -u SLURM_ARRAY_TASK_ID bash "$SCORE" 3 parts corpus.jsonl
expect_status 2 "score.sbatch: task 3 of N=3" -- env SLURM_ARRAY_TASK_ID=3 bash "$SCORE" 3 parts corpus.jsonl
expect_grep "task 3 is not a shard of N=3" "$TMP/err" "says which task is out of range"
expect_status 2 "merge.sbatch without N" -- bash "$MERGE" merged.db parts

for k in 0 1 2; do
  SLURM_ARRAY_TASK_ID=$k SLURM_JOB_ID=7 bash "$SCORE" 3 parts @inputs.list 2>"task$k.err" \
    && ok "task $k" || fail "task $k: $(cat "task$k.err")"
done
[ "$(ls parts | tr '\n' ' ')" = "part-0-of-3.db part-0-of-3.log part-1-of-3.db part-1-of-3.log part-2-of-3.db part-2-of-3.log " ] \
  && ok "a part and a log per task, no temporary store" || fail "parts: $(ls parts | tr '\n' ' ')"
# A killed attempt's temporary store is not a part; the next attempt
# removes it and replaces the part whole.
touch parts/part-1-of-3.db.tmp-7-0 parts/part-1-of-3.db.tmp-7-0-wal
before=$(stat -c %i parts/part-1-of-3.db)
SLURM_ARRAY_TASK_ID=1 SLURM_JOB_ID=7 SLURM_RESTART_COUNT=1 bash "$SCORE" 3 parts corpus.jsonl 2>task1.again \
  && ok "task 1 run again" || fail "task 1 again: $(cat task1.again)"
[ "$(stat -c %i parts/part-1-of-3.db)" != "$before" ] && ok "its part replaced (renamed into place)" \
  || fail "part 1 written in place"
[ "$(ls parts | grep -c tmp)" = 0 ] && ok "the killed attempt's temporary store removed" || fail "$(ls parts)"
expect_grep "9 documents added, 0 new revisions, 0 already stored" task1.again "the new attempt starts a new store"

expect_status 1 "merge: a record had errors" -- bash "$MERGE" merged.db parts 3
expect_grep "^corpus.jsonl:29: " "$TMP/err" "the record with errors reported at file:line"
expect_grep "part-[0-9]-of-3.log: shard [0-9]/3 had records with errors" "$TMP/err" "and its shard named"
expect_grep "merged 3 parts \(0 failed\): 28 documents added, 0 new revisions, 0 already stored" "$TMP/err" \
  "every document merged once"
"$S" -q --db merged.db --export | sort | cmp -s one.export - && ok "the merged store holds what one run stores" \
  || fail "the merged store differs from one run's"

# The same corpus without the bad record: a clean merge exits 0; run again
# (requeued) it adds nothing.
head -n -1 corpus.jsonl >clean.jsonl
for k in 0 1 2; do SLURM_ARRAY_TASK_ID=$k bash "$SCORE" 3 clean clean.jsonl 2>/dev/null || fail "clean task $k"; done
expect_status 0 "merge clean parts" -- bash "$MERGE" clean.db clean 3
expect_status 0 "merge them again" -- bash "$MERGE" clean.db clean 3
expect_grep "0 documents added, 0 new revisions, 28 already stored" "$TMP/err" "merging again adds nothing"

# Damaged parts: cut short (a copy that stopped), a page overwritten.
mkdir bad
size=$(stat -c %s clean/part-0-of-3.db)
head -c $((size / 2)) clean/part-0-of-3.db >bad/part-0-of-3.db
cp clean/part-1-of-3.db bad/part-1-of-3.db
printf '%4096s' '' | tr ' ' '\377' | dd of=bad/part-1-of-3.db bs=4096 seek=$((size / 4096 / 2)) conv=notrunc status=none
expect_status 1 "merge: two damaged parts, one missing" -- bash "$MERGE" bad.db bad 3
expect_grep "^bad/part-0-of-3.db: a damaged store \(truncated or corrupt: .*\): nothing of it merged" "$TMP/err" \
  "the cut part is named, with what is wrong"
expect_grep "^bad/part-1-of-3.db: a damaged store \(truncated or corrupt: .*\): nothing of it merged" "$TMP/err" \
  "the overwritten part is named, with what is wrong"
expect_grep "^bad/part-2-of-3.db: missing: shard 2's task did not finish" "$TMP/err" "the missing part is named"
[ "$("$S" -q --db bad.db --export | wc -l)" = 0 ] && ok "nothing of the damaged parts imported" \
  || fail "damaged parts imported: $("$S" -q --db bad.db --export | jq -r .doc | sort -u | tr '\n' ' ')"
# Its tasks run again, the merge completes the store.
for k in 0 1 2; do SLURM_ARRAY_TASK_ID=$k bash "$SCORE" 3 bad clean.jsonl 2>/dev/null || fail "re-run task $k"; done
expect_status 0 "merge the re-run parts" -- bash "$MERGE" bad.db bad 3
"$S" -q --db bad.db --export | sort | cmp -s one.export - && ok "the store is then whole" \
  || fail "the store differs from one run's after re-running the damaged parts"
finish
