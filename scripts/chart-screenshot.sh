#!/usr/bin/env bash
# The README's picture of the demo's page: out/news-chart.html (from
# scripts/demo.sh) opened in headless Chromium with one point clicked, saved
# as docs/news-chart-html.png. Usage: bash scripts/chart-screenshot.sh [PAGE [PNG [SERIES [PERIOD]]]]
set -euo pipefail
cd "$(dirname "$0")/.."
page="${1:-out/news-chart.html}" png="${2:-docs/news-chart-html.png}"
series="${3:-USA}" period="${4:-2022-Q1}"
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "chart-screenshot: no chromium (bash scripts/setup.sh installs it)" >&2; exit 1; }
[ -f "$page" ] || { echo "chart-screenshot: $page not found (run scripts/demo.sh)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The page with a last script that clicks the point (nothing else changes).
sed '$d' "$page" >"$tmp/page.html"
cat >>"$tmp/page.html" <<JS
<script>(function(){var D=JSON.parse(document.getElementById("chart-data").textContent);
D.series.forEach(function(S,i){if(S.name==="$series")S.points.forEach(function(P,k){if(P.label==="$period"){
var e=document.querySelector(".plot.wide .pt[data-s=\\""+i+"\\"][data-p=\\""+k+"\\"]");if(e)e.dispatchEvent(new MouseEvent("click"));}});});})();</script>
</body></html>
JS
mkdir -p "$(dirname "$png")"
timeout 90 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --hide-scrollbars \
  --user-data-dir="$tmp/profile" --window-size=1200,1050 --screenshot="$tmp/shot.png" \
  "file://$(realpath "$tmp/page.html")" >/dev/null 2>&1
mv "$tmp/shot.png" "$png"
echo "screenshot: $png"
