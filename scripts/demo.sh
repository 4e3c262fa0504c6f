#!/usr/bin/env bash
# The main job (the README's first command): set up, build, score the
# bundled example article with the shipped model and print its statements,
# then score the bundled dated news sample and draw its tone-over-time chart;
# last, store the sample in an SQLite store (a second run adds nothing) and
# chart it from the store: the same CSV.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh build
mkdir -p out
echo "== statements in examples/article.txt (shipped model) =="
build/bin/demarche-score --table examples/article.txt
build/bin/demarche-score -q examples/news.jsonl -o out/news-scored.jsonl
echo "== tone over time: examples/news.jsonl =="
build/bin/demarche-chart out/news-scored.jsonl --period quarter --series 'USA>RUS,RUS>USA,CHN>USA,USA>CHN' \
  --title "Hostility between the US, Russia and China (example sample)" \
  --csv out/news-chart.csv -o out/news-chart.png
echo "chart: out/news-chart.png  data: out/news-chart.csv  scored: out/news-scored.jsonl"
echo "== the store: examples/news.jsonl in out/tone.db, charted from it (README \"The store\") =="
build/bin/demarche-score --db out/tone.db examples/news.jsonl
build/bin/demarche-chart --db out/tone.db --period quarter --series 'USA>RUS,RUS>USA,CHN>USA,USA>CHN' \
  --title "Hostility between the US, Russia and China (from the store)" \
  --csv out/store-chart.csv -o out/store-chart.png 2>/dev/null
if cmp -s out/news-chart.csv out/store-chart.csv; then
  echo "chart from the store: out/store-chart.png, the same CSV as from the JSON Lines (out/store-chart.csv)"
else
  echo "demo: the store's chart differs from the JSON Lines' chart" >&2
  exit 1
fi
