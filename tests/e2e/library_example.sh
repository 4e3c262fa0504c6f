#!/usr/bin/env bash
# examples/minimal.c, the README's library example, builds and runs against
# the shipped lexicons and model.
. "$(dirname "$0")/lib/common.sh"
if [ ! -f "$DM_SOURCE_DIR/models/default/manifest.json" ]; then
  echo "skip: no shipped model in models/default"; exit 77
fi
expect_status 0 "example_minimal runs" -- "$DM_BIN/example_minimal" "$DM_SOURCE_DIR" \
  '"We condemn this barbaric attack on Kyiv," Foreign Minister Annalena Baerbock said.'
expect_grep '^Annalena Baerbock \(DEU\) said "We condemn this barbaric attack on Kyiv": hostility [0-4]$' "$TMP/out" "statement printed"
expect_grep '^  toward UKR: (against|neutral|favor) \([+-][01]\.[0-9][0-9]\)$' "$TMP/out" "target printed"
expect_status 2 "usage error" -- "$DM_BIN/example_minimal"
finish
