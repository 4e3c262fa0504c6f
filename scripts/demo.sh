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
# 78 statements over four years: too few a quarter for a point of its own
# (--min-n 5), so the line is the mean of 3 quarters around each one.
chart_options=(--period quarter --by speaker-actor --series USA,RUS,CHN --smooth 3
               --events examples/news-events.csv)
build/bin/demarche-chart out/news-scored.jsonl "${chart_options[@]}" \
  --title "Hostility of US, Russian and Chinese officials (example sample)" \
  --csv out/news-chart.csv -o out/news-chart.png -o out/news-chart.html
echo "chart: out/news-chart.png  page: out/news-chart.html  data: out/news-chart.csv  scored: out/news-scored.jsonl"
echo "== the store: examples/news.jsonl in out/tone.db, charted from it (README \"The store\") =="
build/bin/demarche-score --db out/tone.db examples/news.jsonl
build/bin/demarche-chart --db out/tone.db "${chart_options[@]}" \
  --title "Hostility of US, Russian and Chinese officials (from the store)" \
  --csv out/store-chart.csv -o out/store-chart.png 2>/dev/null
if cmp -s out/news-chart.csv out/store-chart.csv; then
  echo "chart from the store: out/store-chart.png, the same CSV as from the JSON Lines (out/store-chart.csv)"
else
  echo "demo: the store's chart differs from the JSON Lines' chart" >&2
  exit 1
fi
