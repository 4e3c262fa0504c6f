#!/usr/bin/env bash
# The programs carry zlib, jansson, yajl, sqlite3, libsvm and liblinear
# inside them (DM_STATIC_DEPS, CMakeLists.txt): fewer shared objects for the
# dynamic loader to map and relocate at every start-up. Each of them still
# works from inside: gzip input (zlib), JSON Lines in (yajl) and out
# (jansson's --explain --json), a store (sqlite3), a LIBLINEAR text model
# (liblinear) and the shared library keeps naming them as it did.
. "$(dirname "$0")/lib/common.sh"
[ "${DM_STATIC_DEPS_USED:-}" = ON ] || skip "this build links the libraries shared (DM_STATIC_DEPS=OFF or a static library missing)"
command -v readelf >/dev/null || skip "no readelf"
S="$DM_BIN/demarche-score"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
for prog in demarche-score demarche-train demarche-chart; do
  readelf -d "$DM_BIN/$prog" >"$TMP/dyn" 2>&1 || { fail "readelf $prog"; continue; }
  grep -q NEEDED "$TMP/dyn" || { fail "$prog: no NEEDED entries read"; continue; }
  shared=$(grep NEEDED "$TMP/dyn" | grep -oE '\[lib(z|jansson|yajl|sqlite3|svm|linear)\.so[^]]*\]' | tr '\n' ' ')
  [ -z "$shared" ] && ok "$prog loads none of the six shared" || fail "$prog still loads $shared"
  grep -q 'NEEDED.*\[libicuuc' "$TMP/dyn" && ok "$prog: ICU stays shared" || fail "$prog: no libicuuc NEEDED"
done
NEWS="$DM_SOURCE_DIR/examples/news.jsonl"
head -3 "$NEWS" | gzip -c >"$TMP/news.jsonl.gz"
expect_status 0 "score gzip'ed JSON Lines" -- "$S" -q "$TMP/news.jsonl.gz"
[ "$(wc -l <"$TMP/out")" -gt 0 ] && ok "statements scored from the .gz" || fail "no output from the .gz"
expect_status 0 "--explain --json" -- "$S" -q --explain --json "$TMP/news.jsonl.gz"
expect_grep '"hostility"' "$TMP/out" "the JSON output carries scores"
expect_status 0 "store into a database" -- "$S" -q --db "$TMP/s.db" "$TMP/news.jsonl.gz"
expect_status 0 "export the store" -- "$S" -q --db "$TMP/s.db" --export
[ "$(wc -l <"$TMP/out")" -gt 0 ] && ok "the store exports its statements" || fail "the store exported nothing"
if [ -f "$DM_BIN/../libdemarche.so" ]; then
  readelf -d "$DM_BIN/../libdemarche.so" >"$TMP/so" 2>&1
  grep -q 'NEEDED.*\[libsqlite3' "$TMP/so" && ok "libdemarche.so links sqlite3 shared" ||
    fail "libdemarche.so does not name libsqlite3"
fi
finish
