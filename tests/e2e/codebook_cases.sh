#!/usr/bin/env bash
# The shipped model on hard cases of train/CODEBOOK.md (reported speech,
# describing hostility, negation, procedure, conditional threats): each
# level must fall in the range the codebook allows (tests/data/codebook-cases.tsv).
. "$(dirname "$0")/lib/common.sh"
[ -f "$DM_SOURCE_DIR/models/default/manifest.json" ] || { echo "skip: no shipped model"; exit 77; }
S="$DM_BIN/demarche-score"
while IFS=$'\t' read -r lo hi text todo; do
  case "$lo" in ''|'#'*) continue ;; esac
  level=$("$S" -q --jsonl --text "$text" | jq -r .hostility.level)
  if [ -n "$level" ] && [ "$level" -ge "$lo" ] && [ "$level" -le "$hi" ]; then
    ok "level $level in [$lo,$hi]: $text"
  elif [ "$todo" = todo ]; then
    echo "todo - known miss: level ${level:-none} not in [$lo,$hi]: $text"
  else
    fail "level ${level:-none} not in [$lo,$hi]: $text"
  fi
done <"$DM_SOURCE_DIR/tests/data/codebook-cases.tsv"
finish
