#!/usr/bin/env bash
# Regenerate lexicons/sentiment.tsv from the npm package vader-sentiment
# (see lexicons/NOTICE). Needs npm and the npm registry. The result is
# committed; the build never runs this.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent vader-sentiment@1.1.3 >/dev/null && tar xzf vader-sentiment-1.1.3.tgz)
{
  sed -n '1,/^term\tvalence$/p' lexicons/sentiment.tsv
  awk -F'\t' '$1 ~ /^[a-z]+$/ && $2 + 0 != 0 && !seen[$1]++ { printf "%s\t%g\n", $1, $2 }' "$tmp/package/vader_lexicon.txt"
} >"$tmp/sentiment.tsv"
mv "$tmp/sentiment.tsv" lexicons/sentiment.tsv
echo "make-sentiment-lexicon: $(grep -c . lexicons/sentiment.tsv) lines in lexicons/sentiment.tsv" >&2
