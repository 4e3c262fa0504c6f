#!/usr/bin/env bash
# Golden files of demarche-score: the statements of the test articles
# (extraction), and the scores of the example article with the shipped
# model. Regenerate after an intended change with:
#   DM_UPDATE_GOLDEN=1 ctest --test-dir build -R score_golden
# and review the diff before committing.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
G="$DM_SOURCE_DIR/tests/golden"

check() { # NAME -- command...
  local name=$1; shift 2
  "$@" >"$TMP/$name" 2>"$TMP/$name.err"
  local status=$?
  if [ "$status" -ne 0 ]; then fail "$name: exit $status"; sed 's/^/  /' "$TMP/$name.err" >&2; return; fi
  if [ "${DM_UPDATE_GOLDEN:-0}" = 1 ]; then cp "$TMP/$name" "$G/$name"; ok "$name regenerated"; return; fi
  if diff -u "$G/$name" "$TMP/$name" >"$TMP/$name.diff"; then ok "$name matches"; else
    fail "$name differs from tests/golden/$name"; head -40 "$TMP/$name.diff" >&2; fi
}

check articles-extract.jsonl -- "$S" --extract-only --jsonl "$DM_SOURCE_DIR/tests/articles/articles.jsonl"
check article-extract.table -- "$S" --extract-only --table "$DM_SOURCE_DIR/examples/article.txt"
if [ -f "$DM_SOURCE_DIR/models/default/manifest.json" ]; then
  check article-scored.jsonl -- "$S" --jsonl "$DM_SOURCE_DIR/examples/article.txt"
  # the table's signs, and the speaker's own actor in parentheses: (FRA)=
  check article-scored.table -- "$S" --table "$DM_SOURCE_DIR/examples/article.txt"
else
  echo "skip: no shipped model in models/default, scored golden not checked"
fi
finish
