#!/usr/bin/env bash
# A killed demarche-score --db run, started again with the same command,
# finishes with the store an uninterrupted run gives (the same SQL dump),
# whatever the point it was killed at: runs are killed (SIGKILL, a crash;
# SIGTERM, the tools' signal handler) after random delays, again and again,
# each restart resuming the last. Then --rescore is killed the same way.
# The seed is printed, and DM_RESUME_SEED replays a run.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3 shell (scripts/setup.sh installs it)"; exit 77; }
seed=${DM_RESUME_SEED:-$(( $(date +%s) % 100000 ))}
echo "seed $seed (DM_RESUME_SEED=$seed replays it)"
RANDOM=$seed

# 560 documents: the news sample twenty times under other ids.
for i in $(seq 1 20); do jq -c --arg i "$i" '.id = .id + "-" + $i' "$DM_SOURCE_DIR/examples/news.jsonl"; done >"$TMP/in.jsonl"
dump() { sqlite3 "$1" .dump; }

"$S" -q --db "$TMP/whole.db" --batch 7 "$TMP/in.jsonl" || fail "uninterrupted run failed"
t0=$(date +%s%N)
"$S" -q --db "$TMP/timing.db" --batch 7 "$TMP/in.jsonl"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "an uninterrupted run takes ${ms} ms"

# kill_at_random DB ARGS...: run, kill after a random delay within the run's
# length, until a run ends by itself (at most 30 kills).
kill_at_random() {
  local db=$1; shift
  local kills=0 rc
  while :; do
    "$S" -q --db "$db" --batch 7 "$@" 2>>"$TMP/kills.err" &
    local pid=$!
    local delay=$(( RANDOM % (ms + 50) ))
    local sig=KILL; [ $((RANDOM % 2)) -eq 0 ] && sig=TERM
    sleep "$(printf '0.%03d' "$delay")" 2>/dev/null || sleep 0.1
    if kill -0 "$pid" 2>/dev/null && [ "$kills" -lt 30 ]; then
      kill -s "$sig" "$pid" 2>/dev/null && kills=$((kills + 1))
      { wait "$pid"; } 2>/dev/null; rc=$?
      echo "  killed with SIG$sig after ${delay} ms (exit $rc): $(sqlite3 "$db" 'SELECT count(*) FROM documents' 2>/dev/null || echo 0) documents stored"
    else
      wait "$pid"; rc=$?
      echo "  run ended by itself (exit $rc) after $kills kills"
      return "$rc"
    fi
  done
}

for round in 1 2 3; do
  rm -f "$TMP/killed.db"*
  kill_at_random "$TMP/killed.db" "$TMP/in.jsonl" || fail "round $round: the last run failed"
  if [ "$(dump "$TMP/killed.db")" = "$(dump "$TMP/whole.db")" ]; then
    ok "round $round: killed runs resumed give the uninterrupted run's store"
  else
    fail "round $round: the store differs from an uninterrupted run's"
    diff <(dump "$TMP/whole.db") <(dump "$TMP/killed.db") | head -20 >&2
  fi
  [ "$(sqlite3 "$TMP/killed.db" 'PRAGMA integrity_check')" = ok ] && ok "round $round: integrity check" \
    || fail "round $round: integrity check failed"
done
# No document is ever half stored: each has all its statements.
bad=$(sqlite3 "$TMP/killed.db" "SELECT count(*) FROM documents d WHERE (SELECT count(*) FROM statements s WHERE s.document = d.id) <> (SELECT count(*) FROM statements s JOIN documents w ON w.id = s.document WHERE w.doc_id = d.doc_id)")
[ "$bad" = 0 ] && ok "no document half stored" || fail "$bad documents half stored"
# The tools' temporary files are all gone.
ls "$TMP" | grep -q '\.tmp\.' && fail "temporary files left" || ok "no temporary files left"

# --rescore with a second model, killed and resumed the same way.
"$DM_BIN/demarche-train" -q --hash-bits 14 -o "$TMP/model2" "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl" \
  || fail "training a second model failed"
cp "$TMP/whole.db" "$TMP/whole2.db"
"$S" -q --db "$TMP/whole2.db" -m "$TMP/model2" --rescore || fail "uninterrupted --rescore failed"
t0=$(date +%s%N)
cp "$TMP/whole.db" "$TMP/timing.db"; rm -f "$TMP/timing.db-"*
"$S" -q --db "$TMP/timing.db" -m "$TMP/model2" --batch 7 --rescore
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
cp "$TMP/whole.db" "$TMP/killed.db"; rm -f "$TMP/killed.db-"*
kill_at_random "$TMP/killed.db" -m "$TMP/model2" --rescore || fail "the last --rescore failed"
if [ "$(dump "$TMP/killed.db")" = "$(dump "$TMP/whole2.db")" ]; then
  ok "killed --rescore runs resumed give the uninterrupted --rescore's store"
else
  fail "killed --rescore differs"
  diff <(dump "$TMP/whole2.db") <(dump "$TMP/killed.db") | head -20 >&2
fi
finish
