#!/usr/bin/env bash
# Training data with typos is refused, not half-read (issue 17 item 7):
# unknown keys are errors naming the line (warnings under --lenient), the
# report shows the parameters used (an RBF model's gamma), and --eval
# reports on the good records and counts the bad ones.
. "$(dirname "$0")/lib/common.sh"
T="$DM_BIN/demarche-train"
S="$DM_BIN/demarche-score"
good='{"text":"Russia must stop lying.","hostility":3,"targets":[{"actor":"RUS","stance":"against"}]}
{"text":"We thank France for its help.","hostility":0,"targets":[{"actor":"FRA","stance":"favor"}]}
{"text":"China spreads lies about us.","hostility":3,"targets":[{"actor":"CHN","stance":"against"}]}
{"text":"We welcome the talks with Germany.","hostility":0,"targets":[{"actor":"DEU","stance":"favor"}]}'
{ echo "$good"; echo '{"text":"Moscow lies.","hostility":3,"target":[{"actor":"RUS","stance":"against"}]}'; } >"$TMP/typo.jsonl"
expect_status 1 "an unknown key is an error" -- "$T" -o "$TMP/m" "$TMP/typo.jsonl"
expect_grep 'typo.jsonl:5: unknown key "target"' "$TMP/err" "the error names file:line and the key"
[ -e "$TMP/m" ] && fail "a model was written" || ok "no model written"
expect_status 0 "--lenient trains" -- "$T" --lenient -o "$TMP/m" "$TMP/typo.jsonl"
expect_grep 'typo.jsonl:5: warning: unknown key "target" ignored' "$TMP/err" "--lenient: a warning naming the line"
{ echo "$good"; echo '{"text":"Moscow lies.","hostility":3,"targets":[{"actor":"RUS","stnce":"against"}]}'; } >"$TMP/typo2.jsonl"
expect_status 1 "an unknown key in a target" -- "$T" -v 2 "$TMP/typo2.jsonl"
expect_grep 'typo2.jsonl:5: unknown key "stnce" in targets\[0\]' "$TMP/err" "a target's unknown key named"

# Every shipped corpus uses only the codebook's keys.
for f in "$DM_SOURCE_DIR"/train/corpus/*.jsonl "$DM_SOURCE_DIR"/train/ungdc/*.jsonl; do
  "$S" -q --eval "$f" >/dev/null 2>"$TMP/err" || true
  grep -q "unknown key" "$TMP/err" && fail "$(basename "$f"): $(grep -m1 "unknown key" "$TMP/err")"
done
ok "the shipped corpora have no unknown keys"

# The report shows the parameters used: an RBF model's gamma is never 0.
expect_status 0 "rbf cross-validation" -- "$T" -q -t rbf -v 2 --json "$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
jq -e '.hostility.gamma > 0 and .stance.gamma > 0' "$TMP/out" >/dev/null \
  && ok "report gives the gamma used ($(jq -c .hostility.gamma "$TMP/out"))" || fail "gamma: $(jq -c '[.hostility.gamma,.stance.gamma]' "$TMP/out")"

# --eval with a bad record: a report on the good ones, the bad counted, exit 1.
{ echo "$good"; echo '{"text":"Moscow lies.","hostilty":3}'; echo 'not json'; } >"$TMP/eval.jsonl"
expect_status 1 "--eval with bad records" -- "$S" --eval "$TMP/eval.jsonl"
expect_grep "^hostility" "$TMP/out" "--eval still reports"
expect_grep "evaluated 4 labelled statements .*2 bad records left out" "$TMP/err" "--eval counts the bad records"
expect_grep 'eval.jsonl:5: unknown key "hostilty"' "$TMP/err" "--eval names the bad record"

# Settings the trained models never read are said, not silently dropped.
echo "$good" >"$TMP/good.jsonl"
expect_status 0 "-g with the linear kernel" -- "$T" -g 0.5 -o "$TMP/mg" "$TMP/good.jsonl"
expect_grep "warning: -g \(gamma\) ignored: it is the rbf kernel's" "$TMP/err" "-g on a linear model said"
expect_grep ", 1 warning" "$TMP/err" "and counted in the summary"
expect_status 0 "-p without svr" -- "$T" -p 0.3 -o "$TMP/mp" "$TMP/good.jsonl"
expect_grep "warning: -p \(epsilon of SVR\) ignored" "$TMP/err" "-p on svc said"
expect_status 0 "--stance-c without stance" -- "$T" --task hostility --stance-c 2 -o "$TMP/ms" "$TMP/good.jsonl"
expect_grep "warning: --stance-c ignored" "$TMP/err" "--stance-c without a stance model said"
expect_status 0 "-s with libsvm" -- "$T" --solver libsvm -s 3 -o "$TMP/mt" "$TMP/good.jsonl"
expect_grep "warning: -s \(LIBLINEAR's classifier type\) ignored" "$TMP/err" "-s with libsvm said"
expect_status 0 "-g with rbf, -p with svr, -s with liblinear" -- "$T" -t rbf -g 0.5 -o "$TMP/mr" "$TMP/good.jsonl"
grep -q "ignored" "$TMP/err" && fail "a used setting called ignored: $(grep ignored "$TMP/err")" || ok "-g with rbf: no warning"
expect_status 0 "-p with svr, -s with liblinear" -- "$T" --hostility-model svr -p 0.3 -s 2 -o "$TMP/mv" "$TMP/good.jsonl"
grep -q "ignored" "$TMP/err" && fail "a used setting called ignored: $(grep ignored "$TMP/err")" || ok "-p with svr, -s: no warning"
finish
