#!/usr/bin/env bash
# Recipe: the whole pipeline on the UN General Debate speeches 1946-2024
# (../shared/data/ungdc/speeches.jsonl.gz; speech mode: every sentence is a
# statement of the speaking country), charted as USA->RUS and RUS->USA
# hostility by year. The Soviet Union is RUS in this corpus.
# Usage: bash scripts/ungdc-chart.sh [SPEECHES.jsonl.gz]   (outputs in out/)
set -euo pipefail
cd "$(dirname "$0")/.."
speeches="${1:-../shared/data/ungdc/speeches.jsonl.gz}"
if [ ! -f "$speeches" ]; then
  echo "ungdc-chart: $speeches not found (it comes with ../shared)" >&2
  exit 1
fi
bash scripts/setup.sh
bash scripts/build.sh build
mkdir -p out
build/bin/demarche-score "$speeches" -o out/ungdc-scored.jsonl
build/bin/demarche-chart out/ungdc-scored.jsonl --period year --series 'USA>RUS,RUS>USA' \
  --events examples/ungdc-events.csv \
  --title "UN General Debate: hostility of US statements about Russia/USSR and back, by year" \
  --csv out/ungdc-usa-rus.csv -o out/ungdc-usa-rus.png -o out/ungdc-usa-rus.html
echo "chart: out/ungdc-usa-rus.png  page: out/ungdc-usa-rus.html  data: out/ungdc-usa-rus.csv"
