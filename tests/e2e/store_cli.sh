#!/usr/bin/env bash
# demarche-score --db end to end: storing is idempotent, a changed text is a
# revision, bad records are reported by file:line and the counts add up,
# --export prints what a direct run prints, a second model's scores sit
# beside the first (--rescore, --models, --model-id), a newer schema is
# refused and a file that is not a store too, usage errors exit 2.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
NEWS="$DM_SOURCE_DIR/examples/news.jsonl"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
command -v sqlite3 >/dev/null || { echo "skip: no sqlite3 shell (scripts/setup.sh installs it)"; exit 77; }
DB="$TMP/tone.db"
q() { sqlite3 "$DB" "$1"; }

expect_status 0 "--help" -- "$S" --help
expect_grep "[-]-db FILE" "$TMP/out" "--help documents --db"
expect_grep "default: 256\)" "$TMP/out" "--help shows the live default of --batch"
expect_status 2 "--export without --db" -- "$S" --export
expect_status 2 "--export --offsets chars (the store has no text to count in)" -- "$S" --db "$DB" --export --offsets chars
expect_status 2 "--db with -e" -- "$S" --db "$DB" --text "We condemn it."
expect_status 2 "--db with --lines" -- "$S" --db "$DB" --lines "$NEWS"
expect_status 2 "--rescore with a FILE" -- "$S" --db "$DB" --rescore "$NEWS"
expect_status 2 "--db with -o" -- "$S" --db "$DB" -o "$TMP/x.jsonl" "$NEWS"
expect_status 2 "--batch 0" -- "$S" --db "$DB" --batch 0 "$NEWS"
expect_status 2 "--min-attribution while storing" -- "$S" --db "$DB" --min-attribution cue "$NEWS"
expect_status 2 "--export and --rescore together" -- "$S" --db "$DB" --export --rescore
[ -e "$DB" ] && fail "a usage error created the store" || ok "usage errors create nothing"

# Store, then store again: nothing added the second time.
expect_status 0 "store the news sample" -- "$S" --db "$DB" "$NEWS"
expect_grep "28 documents added, 0 new revisions, 0 already stored; 78 statements stored with scores of model fnv1a64:[0-9a-f]{16}" "$TMP/err" "summary of what was stored"
[ "$(q 'PRAGMA journal_mode')" = wal ] && ok "WAL mode" || fail "journal mode $(q 'PRAGMA journal_mode')"
[ "$(q 'PRAGMA user_version')" = 3 ] && ok "schema version 3" || fail "user_version $(q 'PRAGMA user_version')"
before=$(q 'SELECT count(*) FROM documents; SELECT count(*) FROM statements; SELECT count(*) FROM hostility; SELECT count(*) FROM stance')
expect_status 0 "store the same input again" -- "$S" --db "$DB" "$NEWS"
expect_grep "0 documents added, 0 new revisions, 28 already stored; 0 statements stored" "$TMP/err" "second run reports already stored"
[ "$before" = "$(q 'SELECT count(*) FROM documents; SELECT count(*) FROM statements; SELECT count(*) FROM hostility; SELECT count(*) FROM stance')" ] \
  && ok "the second run added nothing" || fail "the second run changed the store"
# Every score carries its model.
[ "$(q 'SELECT count(*) FROM statements s LEFT JOIN hostility h ON h.statement = s.id WHERE h.model IS NULL')" = 0 ] \
  && ok "every statement has a score with its model" || fail "statements without a model's score"

# --export prints what a direct run prints, byte for byte.
"$S" -q "$NEWS" >"$TMP/direct.jsonl" || fail "direct run failed"
expect_status 0 "--export" -- "$S" --db "$DB" --export -o "$TMP/export.jsonl"
cmp -s "$TMP/direct.jsonl" "$TMP/export.jsonl" && ok "--export equals the direct run" || fail "--export differs from the direct run"
expect_grep "exported 28 documents, 78 statements" "$TMP/err" "--export summary"
"$S" -q --context --min-attribution cue "$NEWS" >"$TMP/direct-cue.jsonl"
"$S" -q --db "$DB" --export --context --min-attribution cue >"$TMP/export-cue.jsonl"
cmp -s "$TMP/direct-cue.jsonl" "$TMP/export-cue.jsonl" && ok "--export honours --context and --min-attribution" \
  || fail "--export --context --min-attribution differs from the direct run"

# Bad records: reported by file:line, the rest stored, the counts add up.
{ head -n 2 "$NEWS"; echo '{"id":"bad-1","text":'; echo '{"id":"bad-2","date":"2023-01-01"}'
  echo '{"id":"new-1","date":"2023-02-01","text":"\"We will never accept this,\" Sergei Lavrov said of the United States."}'; } >"$TMP/mixed.jsonl"
expect_status 1 "a file with bad records" -- "$S" --db "$DB" "$TMP/mixed.jsonl"
expect_grep "mixed.jsonl:3: " "$TMP/err" "broken JSON named by file:line"
expect_grep "mixed.jsonl:4: " "$TMP/err" "record without text named by file:line"
expect_grep "1 document added, 0 new revisions, 2 already stored" "$TMP/err" "good records stored, known ones skipped"
expect_grep "^demarche-score: 5 documents, 1 statement, 2 errors" "$TMP/err" "the counts add up (1 + 2 + 2 errors)"
[ "$(q "SELECT input || ':' || input_line FROM documents WHERE doc_id = 'new-1'")" = "$TMP/mixed.jsonl:5" ] \
  && ok "a document records where it was read" || fail "input of new-1: $(q "SELECT input, input_line FROM documents WHERE doc_id = 'new-1'")"

# A changed text under a stored id is a new revision; the latest is used.
head -n 1 "$NEWS" | jq -c '.text = "Updated. " + .text' >"$TMP/rev.jsonl"
id1=$(head -n 1 "$NEWS" | jq -r .id)
expect_status 0 "a revised document" -- "$S" --db "$DB" "$TMP/rev.jsonl"
expect_grep "0 documents added, 1 new revision, 0 already stored" "$TMP/err" "revision reported"
[ "$(q "SELECT group_concat(revision || '/' || latest, ' ') FROM (SELECT * FROM documents WHERE doc_id = '$id1' ORDER BY revision)")" = "1/0 2/1" ] \
  && ok "both revisions kept, the second is the latest" || fail "revisions of $id1: $(q "SELECT revision, latest FROM documents WHERE doc_id = '$id1'")"
"$S" -q --db "$DB" --export >"$TMP/after-rev.jsonl"
[ "$(jq -r "select(.doc == \"$id1\") | .start" "$TMP/after-rev.jsonl" | head -n 1)" != \
  "$(jq -r "select(.doc == \"$id1\") | .start" "$TMP/direct.jsonl" | head -n 1)" ] \
  && ok "--export gives the latest revision" || fail "--export still gives the first revision"
[ "$(jq -r .doc "$TMP/after-rev.jsonl" | grep -c "^$id1\$")" = "$(jq -r .doc "$TMP/direct.jsonl" | grep -c "^$id1\$")" ] \
  && ok "a revision replaces, never doubles, the document's statements" || fail "revision doubled statements"

# Plain-text statements have no ids: refused by file, not stored as revisions.
printf 'We condemn Russia.\nWe welcome France.\n' >"$TMP/lines.txt"
expect_status 1 "--statements on plain text" -- "$S" --db "$DB" --statements "$TMP/lines.txt"
expect_grep "lines.txt: --db stores documents with ids" "$TMP/err" "plain-text statements refused with the reason"
[ "$(q "SELECT count(*) FROM documents WHERE doc_id = 'lines.txt'")" = 0 ] && ok "nothing stored for them" || fail "lines stored"

# A second model: its scores sit beside the first's.
"$DM_BIN/demarche-train" -q --hash-bits 14 -o "$TMP/model2" "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl" \
  || fail "training a second model failed"
# --rescore on threads: the store ends the same for every -j.
cp "$DB" "$TMP/j1.db" && cp "$DB" "$TMP/j3.db"
expect_status 0 "--rescore -j 1" -- "$S" --db "$TMP/j1.db" -m "$TMP/model2" -j 1 --rescore
expect_grep "rescored with model fnv1a64:[0-9a-f]+ on 1 thread," "$TMP/err" "--rescore -j 1 says one thread"
expect_status 0 "--rescore -j 3" -- "$S" --db "$TMP/j3.db" -m "$TMP/model2" -j 3 --rescore
expect_grep "on 3 threads," "$TMP/err" "--rescore -j 3 says three threads"
"$S" -q --db "$TMP/j1.db" --export >"$TMP/j1.jsonl"
"$S" -q --db "$TMP/j3.db" --export >"$TMP/j3.jsonl"
[ -s "$TMP/j1.jsonl" ] && cmp -s "$TMP/j1.jsonl" "$TMP/j3.jsonl" \
  && ok "--rescore -j 3 stores the scores of -j 1" || fail "--rescore -j 3 differs from -j 1"
[ "$(sqlite3 "$TMP/j1.db" 'SELECT count(*) FROM scored')" = "$(sqlite3 "$TMP/j3.db" 'SELECT count(*) FROM scored')" ] \
  && ok "as many documents scored" || fail "scored counts differ"
expect_status 0 "--rescore with a second model" -- "$S" --db "$DB" -m "$TMP/model2" --rescore
expect_grep "29 documents, [0-9]+ statements rescored with model fnv1a64:" "$TMP/err" "--rescore summary (latest revisions)"
expect_status 0 "--rescore again" -- "$S" --db "$DB" -m "$TMP/model2" --rescore
expect_grep "0 documents, 0 statements rescored" "$TMP/err" "a second --rescore has nothing to do"
expect_status 0 "--models" -- "$S" --db "$DB" --models
[ "$(wc -l <"$TMP/out")" = 2 ] && ok "two models listed" || fail "--models: $(cat "$TMP/out")"
expect_grep "	model2	format 2" "$TMP/out" "the new model by its bundle name and version"
first=$(head -n 1 "$TMP/out" | cut -f1)
"$S" -q --db "$DB" --export --model-id "$first" >"$TMP/export-first.jsonl"
cmp -s "$TMP/after-rev.jsonl" "$TMP/export-first.jsonl" && ok "--model-id gives the first model's scores, kept" \
  || fail "the first model's scores changed"
"$S" -q --db "$DB" --export >"$TMP/export-new.jsonl"
# (grep, not jq, which would print 0.0 as 0)
{ "$S" -q -m "$TMP/model2" "$TMP/rev.jsonl"; "$S" -q -m "$TMP/model2" "$NEWS" | grep -v "^{\"doc\":\"$id1\","
  "$S" -q -m "$TMP/model2" "$TMP/mixed.jsonl" 2>/dev/null | grep '^{"doc":"new-1",'; } >"$TMP/direct-new.jsonl"
[ "$(sort "$TMP/export-new.jsonl" | md5sum)" = "$(sort "$TMP/direct-new.jsonl" | md5sum)" ] \
  && ok "by default the newest model's scores, as a direct run with it gives" || fail "newest model's export differs"
expect_status 3 "--model-id unknown" -- "$S" --db "$DB" --export --model-id nosuch
expect_grep "no model 'nosuch' in the store" "$TMP/err" "unknown model named"

# A newer schema is refused, untouched; so is a file that is not a store.
cp "$DB" "$TMP/newer.db"
sqlite3 "$TMP/newer.db" "PRAGMA user_version = 99"
sum=$(md5sum <"$TMP/newer.db")
expect_status 3 "a newer store" -- "$S" --db "$TMP/newer.db" "$NEWS"
expect_grep "newer.db: store schema version 99 is newer than this demarche reads \(3\)" "$TMP/err" "newer schema refused with its version"
[ "$sum" = "$(md5sum <"$TMP/newer.db")" ] && ok "the newer store is left as it was" || fail "the newer store was changed"
expect_status 3 "a text file as store" -- "$S" --db "$NEWS" "$NEWS"
expect_grep "not an SQLite file" "$TMP/err" "a file that is not a store is named"
finish
