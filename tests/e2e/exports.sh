#!/usr/bin/env bash
# libdemarche.so exports the public API and nothing else (issue 12 item 4):
# the functions declared in include/demarche/*.h are exactly the functions
# the shared library exports. The library is compiled with
# -fvisibility=hidden and the public headers mark their declarations
# (DM_PUBLIC_BEGIN/END, core.h), so that the functions of the internal
# headers (src/<module>/<name>_internal.h) are not callable from outside.
. "$(dirname "$0")/lib/common.sh"
lib="$DM_BIN/../libdemarche.so"
[ -f "$lib" ] || skip "no libdemarche.so in this build (DM_FUZZ builds the static library only)"
command -v nm >/dev/null || skip "no nm"
cc=${CC:-cc}
# Declared: every dm_NAME( of the preprocessed public headers (they hold
# declarations only: no inline functions, no function-like macros calling
# the library). A function pointer type, (*dm_x_fn)(, does not match.
"$cc" -E -P -I"$DM_SOURCE_DIR/include" "$DM_SOURCE_DIR/include/demarche/demarche.h" \
  >"$TMP/pre.c" 2>"$TMP/cc.err" || { fail "the public headers do not preprocess: $(head -3 "$TMP/cc.err")"; finish; exit 1; }
grep -oE '\bdm_[a-z0-9_]+[[:space:]]*\(' "$TMP/pre.c" | sed -E 's/[[:space:]]*\($//' | sort -u >"$TMP/declared"
# Exported: the functions in the dynamic symbol table.
nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "W" || $2 == "i" { print $3 }' | sort -u >"$TMP/exported"
n_declared=$(wc -l <"$TMP/declared")
n_exported=$(grep -c '^dm_' "$TMP/exported")
echo "public functions: $n_declared declared in include/demarche/*.h, $n_exported dm_ functions exported"
[ "$n_declared" -gt 50 ] && ok "the headers declare $n_declared functions" || fail "only $n_declared declarations found: the parse is broken"
missing=$(comm -23 "$TMP/declared" "$TMP/exported")
[ -z "$missing" ] && ok "every declared function is exported" ||
  fail "declared in include/demarche but not exported (not defined, or defined without its header): $(echo $missing)"
extra=$(comm -13 "$TMP/declared" "$TMP/exported")
[ -z "$extra" ] && ok "nothing else is exported" ||
  fail "exported but not declared in include/demarche (internal; hide it or make it public): $(echo $extra)"
# An internal function the library itself uses everywhere stays hidden.
grep -qx 'dm_log' "$TMP/exported" && fail "dm_log (core/log_internal.h) is exported" || ok "dm_log is not exported"
finish
