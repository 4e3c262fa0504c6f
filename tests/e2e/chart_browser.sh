#!/usr/bin/env bash
# demarche-chart's HTML page in a real browser (headless Chromium): a
# screenshot, then the page's DOM after a script clicks a point and a legend
# entry, at desktop and at phone width: the number of points, the statements
# listed for the point (most hostile first, markup shown as text), the count
# of the rest, the series toggled off, no script error. Skips (77) with the
# reason when Chromium is missing (scripts/setup.sh installs Debian's).
. "$(dirname "$0")/lib/common.sh"
C="$DM_BIN/demarche-chart"
IN="$DM_SOURCE_DIR/tests/data/chart-input.jsonl"

browser=""
for b in chromium chromium-browser google-chrome; do
  command -v "$b" >/dev/null 2>&1 && { browser=$(command -v "$b"); break; }
done
[ -n "$browser" ] || skip "no chromium on PATH (Debian package 'chromium'; bash scripts/setup.sh installs it)"

# The fixture, with four more USA>RUS statements in February 2022; the most
# hostile (first in the file: it wins the tie with Biden's 1.0) holds
# markup that must stay text.
evil='</script><img src=x onerror=\"document.title=1\"><b>bold</b>'
printf '{"doc":"evil","date":"2022-02-14","speaker":"Ned Price","speaker_actor":"USA","text":"%s","targets":[{"actor":"RUS","stance":"against"}],"hostility":{"level":4,"score":1.0}}\n' "$evil" >"$TMP/in.jsonl"
cat "$IN" >>"$TMP/in.jsonl"
for i in 1 2 3; do
  printf '{"doc":"x%d","date":"2022-02-1%d","speaker":"Ned Price","speaker_actor":"USA","text":"Filler %d.","targets":[{"actor":"RUS","stance":"against"}],"hostility":{"level":1,"score":0.2%d}}\n' "$i" "$i" "$i" "$i"
done >>"$TMP/in.jsonl"
printf 'date,label\n2022-03-01,An event\n' >"$TMP/events.csv"

expect_status 0 "chart page" -- "$C" --min-n 1 --top 3 --series 'USA>RUS,RUS>USA' \
  --events "$TMP/events.csv" --csv "$TMP/c.csv" -o "$TMP/c.html" "$TMP/in.jsonl"
points=$(($(wc -l <"$TMP/c.csv") - 1))
# USA>RUS February 2022: 1 + 4 statements, the evil one first.
feb=$(awk -F, '$1 == "2022-02" && $2 == "USA>RUS" { print $3 }' "$TMP/c.csv")
[ "$feb" = 5 ] && ok "fixture: USA>RUS has 5 statements in 2022-02" || fail "fixture: feb n=$feb"

run_browser() { # run_browser WIDTH HEIGHT ARGS... (stdout: dump, stderr: log)
  local w=$1 h=$2; shift 2
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --no-first-run \
    --user-data-dir="$TMP/profile" --enable-logging=stderr --v=0 \
    --window-size="$w,$h" "$@"
}

# 1. The page as it is: a screenshot.
run_browser 1200 900 --screenshot="$TMP/shot.png" "file://$TMP/c.html" >/dev/null 2>"$TMP/shot.log"
if [ -s "$TMP/shot.png" ] && [ "$(head -c 8 "$TMP/shot.png" | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; then
  ok "screenshot taken ($(stat -c %s "$TMP/shot.png") bytes)"
  [ "$(stat -c %s "$TMP/shot.png")" -gt 10000 ] && ok "screenshot is not blank" || fail "screenshot too small"
else
  fail "no screenshot"; sed 's/^/  /' "$TMP/shot.log" | tail -5 >&2
fi
grep -E "Uncaught|CONSOLE.*(Error|error)" "$TMP/shot.log" >&2 && fail "console errors while loading" \
  || ok "no console errors while loading"

# 2. The same page with a probe: errors recorded from the first byte, then
# a click on the USA>RUS February point and on the first legend entry; the
# findings written into the DOM, which Chromium prints.
probe_head='<script>window.__errors=[];window.addEventListener("error",function(e){__errors.push(String(e.message))});</script>'
probe_tail='<script>
(function(){var r=[],q=function(s){return document.querySelectorAll(s)};
function vis(e){return getComputedStyle(e).display!=="none"}
var plots=[].filter.call(q(".plot"),vis);
r.push("visible_plots="+plots.length);r.push("visible_design="+(plots[0]?plots[0].className:""));
r.push("points="+plots[0].querySelectorAll(".pt").length);
var D=JSON.parse(document.getElementById("chart-data").textContent),s=-1,p=-1;
D.series.forEach(function(S,i){if(S.name==="USA>RUS")S.points.forEach(function(P,k){if(P.label==="2022-02"){s=i;p=k}})});
var pt=plots[0].querySelector(".pt[data-s=\""+s+"\"][data-p=\""+p+"\"]");
r.push("found_point="+(pt?1:0));
if(pt)pt.dispatchEvent(new MouseEvent("click",{bubbles:true}));
var li=q("#panel li");r.push("listed="+li.length);
r.push("first="+(li[0]?li[0].querySelector("q").textContent:""));
r.push("first_doc="+(li[0]&&li[0].textContent.indexOf("document evil")>=0?1:0));
var rest=document.querySelector("#panel .rest");r.push("rest="+(rest?rest.textContent:""));
r.push("images="+document.images.length+" bold="+q("#panel b").length+" title="+document.title);
var b=q("#legend button")[0];b.click();
r.push("toggled="+(vis(plots[0].querySelector(".series[data-s=\"0\"]"))?0:1)+" pressed="+b.getAttribute("aria-pressed"));
var t=plots[0].querySelector("text.tick").getBoundingClientRect();r.push("tick_px="+Math.round(t.height));
r.push("overflow="+(document.documentElement.scrollWidth>window.innerWidth?1:0));
r.push("errors="+window.__errors.length+" "+window.__errors.join("|"));
var pre=document.createElement("pre");pre.id="probe";pre.textContent="\n"+r.join("\n")+"\n";document.body.appendChild(pre);})();
</script>'
{
  sed "s|<head>|<head>${probe_head//|/\\|}|" "$TMP/c.html" | sed '$d'
  printf '%s\n</body></html>\n' "$probe_tail"
} >"$TMP/probe.html"
# The page's own last line is "</body></html>": the probe goes before it.
tail -1 "$TMP/c.html" | grep -q '^</body></html>$' && ok "page ends with </body></html>" || fail "page end moved"

for size in 1200x900 390x844; do
  run_browser "${size%x*}" "${size#*x}" --dump-dom "file://$TMP/probe.html" >"$TMP/dom-$size.html" 2>"$TMP/dom-$size.log"
  sed -n '/<pre id="probe">/,/<\/pre>/p' "$TMP/dom-$size.html" >"$TMP/probe-$size.txt"
  val() { grep -m1 "^$1=" "$TMP/probe-$size.txt" | cut -d= -f2-; }
  want_design=$([ "$size" = 1200x900 ] && echo "plot wide" || echo "plot narrow")
  [ "$(val visible_plots)" = 1 ] && [ "$(val visible_design)" = "$want_design" ] \
    && ok "$size: one design shown, the $want_design one" || fail "$size: plots $(val visible_plots) $(val visible_design)"
  [ "$(val points)" = "$points" ] && ok "$size: $points points, as many as the CSV's drawn periods" \
    || fail "$size: $(val points) points, CSV has $points"
  [ "$(val found_point)" = 1 ] && ok "$size: the 2022-02 USA>RUS point is on the page" || fail "$size: point not found"
  [ "$(val listed)" = 3 ] && ok "$size: a click lists --top 3 statements" || fail "$size: listed $(val listed)"
  # (Chromium prints the probe's text escaped: the text itself is the markup.)
  grep -qF 'first=&lt;/script&gt;&lt;img src=x onerror="document.title=1"&gt;&lt;b&gt;bold&lt;/b&gt;' \
    "$TMP/probe-$size.txt" \
    && ok "$size: the most hostile first, its markup shown as text" || fail "$size: first listed: $(val first)"
  [ "$(val first_doc)" = 1 ] && ok "$size: the document id is listed" || fail "$size: no document id"
  val rest | grep -q "^and 2 more" && ok "$size: the count of the rest (2)" || fail "$size: rest: $(val rest)"
  [ "$(val images)" = "0 bold=0 title=Hostility by month" ] && ok "$size: no element made from a statement" \
    || fail "$size: injected: $(val images)"
  [ "$(val toggled)" = "1 pressed=false" ] && ok "$size: the legend hides a series" || fail "$size: toggle $(val toggled)"
  tick=$(val tick_px)
  [ "${tick:-0}" -ge 10 ] && ok "$size: axis labels ${tick} px high" || fail "$size: axis labels $tick px"
  [ "$(val overflow)" = 0 ] && ok "$size: no sideways scrolling" || fail "$size: the page is wider than the window"
  [ "$(val errors)" = "0 " ] && ok "$size: no script error" || fail "$size: script errors: $(val errors)"
  grep -E "Uncaught" "$TMP/dom-$size.log" >&2 && fail "$size: console errors" || ok "$size: console clean"
done
finish
