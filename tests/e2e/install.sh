#!/usr/bin/env bash
# cmake --install puts the tools, lexicons and models under a prefix, and an
# installed demarche-score finds its lexicons and default model there with
# no option.
. "$(dirname "$0")/lib/common.sh"
build="$DM_BIN/.."
if ! cmake --install "$build" --prefix "$TMP/inst" >"$TMP/install.log" 2>&1; then
  fail "cmake --install"; cat "$TMP/install.log" >&2; finish; exit 1
fi
for tool in demarche-score demarche-train demarche-chart; do
  [ -x "$TMP/inst/bin/$tool" ] && ok "$tool installed" || fail "$tool not installed"
done
[ -f "$TMP/inst/share/demarche/lexicons/actors.tsv" ] && ok "lexicons installed" || fail "lexicons missing"
cd "$TMP"
unset DEMARCHE_DATA
expect_status 0 "installed --help" -- "$TMP/inst/bin/demarche-score" --help
expect_grep "default: $TMP/inst/share/demarche/models/default" "$TMP/out" "installed tool looks in its own share/"
expect_status 0 "installed tool extracts" -- "$TMP/inst/bin/demarche-score" --extract-only --jsonl --text "Russia must leave Ukraine."
expect_grep '"actor":"UKR"' "$TMP/out" "installed lexicons used"
if [ -f "$DM_SOURCE_DIR/models/default/manifest.json" ]; then
  expect_status 0 "installed tool scores with the default model" -- "$TMP/inst/bin/demarche-score" --jsonl --text "We condemn this barbaric attack."
  expect_grep '"hostility":\{"level":[0-4]' "$TMP/out" "scored with the installed model"
else
  echo "skip: no shipped model yet"
fi
# The library for other C programs: headers, libdemarche.a, demarche.pc and
# the CMake package; a ten-line program builds against the installed copy
# with pkg-config, and with find_package(demarche), and runs.
inst="$TMP/inst"
[ -f "$inst/include/demarche/demarche.h" ] && ok "headers installed" || fail "headers missing"
lib=$(find "$inst" -name libdemarche.a | head -1)
[ -n "$lib" ] && ok "libdemarche.a installed" || fail "libdemarche.a missing"
pc=$(find "$inst" -name demarche.pc | head -1)
[ -n "$pc" ] && ok "demarche.pc installed" || fail "demarche.pc missing"
cfg=$(find "$inst" -name demarcheConfig.cmake | head -1)
[ -n "$cfg" ] && ok "demarcheConfig.cmake installed" || fail "demarcheConfig.cmake missing"
cat >"$TMP/prog.c" <<'PROG'
#include <demarche/demarche.h>
#include <stdio.h>
int main(int argc, char **argv) {
    dm_error err; dm_model *m = NULL;
    if (argc != 3 || dm_model_load(argv[1], argv[2], &m, &err) != DM_OK) return 1;
    printf("dimensions %d\n", dm_featurizer_dimensions(dm_model_featurizer(m)));
    dm_model_destroy(&m);
    return 0;
}
PROG
# A sanitizer build installs an instrumented library: the program needs the
# same runtime.
san=""
grep -q "^DM_SANITIZE:BOOL=ON" "$build/CMakeCache.txt" && san="-fsanitize=address,undefined"
grep -q "^DM_TSAN:BOOL=ON" "$build/CMakeCache.txt" && san="-fsanitize=thread"
grep -q "^DM_FUZZ:BOOL=ON" "$build/CMakeCache.txt" && { echo "skip: the fuzzing build's library needs libFuzzer"; finish; exit $?; }
export PKG_CONFIG_PATH="$(dirname "$pc")${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
flags=$(pkg-config --cflags --libs demarche 2>"$TMP/pc.err") || { fail "pkg-config --cflags --libs demarche: $(cat "$TMP/pc.err")"; finish; exit 1; }
expect_status 0 "a C program builds with pkg-config --cflags --libs demarche" -- \
  sh -c "cc $san -o '$TMP/prog' '$TMP/prog.c' $flags"
model="$inst/share/demarche/models/default"
if [ -f "$model/manifest.json" ]; then
  expect_status 0 "the program runs against the installed library" -- \
    env LD_LIBRARY_PATH="$inst/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$TMP/prog" "$model" "$inst/share/demarche/lexicons"
  want=$(sed -n '/"features"/,/}/s/.*"dimensions": \([0-9]*\).*/\1/p' "$model/manifest.json")
  expect_grep "^dimensions $want\$" "$TMP/out" "the program loaded the installed model"
fi
mkdir -p "$TMP/cmake-prog"
cp "$TMP/prog.c" "$TMP/cmake-prog/prog.c"
cat >"$TMP/cmake-prog/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.25)
project(prog C)
find_package(demarche 0.1 REQUIRED)
add_executable(prog prog.c)
target_link_libraries(prog PRIVATE demarche::demarche)
CM
expect_status 0 "find_package(demarche) configures" -- \
  env CFLAGS="$san" LDFLAGS="$san" cmake -S "$TMP/cmake-prog" -B "$TMP/cmake-prog/build" -DCMAKE_PREFIX_PATH="$inst"
expect_status 0 "a CMake program builds against demarche::demarche" -- cmake --build "$TMP/cmake-prog/build"
if [ -f "$model/manifest.json" ]; then
  expect_status 0 "the CMake-built program runs" -- "$TMP/cmake-prog/build/prog" "$model" "$inst/share/demarche/lexicons"
fi

# Issue 17 item 9: the shared library with its SONAME, linked by the
# program above (pkg-config prefers it), man pages made from --help, and
# dm_data_dir() naming the installed data directory.
so=$(find "$inst" -name 'libdemarche.so.*.*' | head -1)
[ -n "$so" ] && ok "libdemarche.so installed ($(basename "$so"))" || fail "no libdemarche.so.VERSION installed"
if [ -n "$so" ]; then
  soname=$(objdump -p "$so" | awk '/SONAME/ {print $2}')
  [ "$soname" = "libdemarche.so.0" ] && ok "SONAME $soname" || fail "SONAME is '$soname'"
  [ -L "$(dirname "$so")/libdemarche.so.0" ] && [ -L "$(dirname "$so")/libdemarche.so" ] \
    && ok "libdemarche.so -> libdemarche.so.0 -> $(basename "$so")" || fail "the .so links are missing"
  objdump -p "$TMP/prog" | grep -q "NEEDED *libdemarche.so.0" && ok "the pkg-config program links the shared library" \
    || fail "the program does not need libdemarche.so.0"
fi
for tool in demarche-score demarche-train demarche-chart; do
  page="$inst/share/man/man1/$tool.1"
  if [ -f "$page" ]; then
    ok "$tool.1 installed"
    missing=$("$inst/bin/$tool" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u | while read -r o; do
      grep -qF -- "${o//-/\\-}" "$page" || grep -qF -- "$o" "$page" || echo "$o"; done | tr '\n' ' ')
    [ -z "$missing" ] && ok "$tool.1 has every option of --help" || fail "$tool.1 lacks: $missing"
    if command -v man >/dev/null; then
      MANWIDTH=80 man -l "$page" >"$TMP/man.txt" 2>/dev/null && grep -q "^NAME" "$TMP/man.txt" \
        && ok "$tool.1 renders" || fail "$tool.1 does not render"
    fi
  else
    fail "$tool.1 not installed"
  fi
done
cat >"$TMP/datadir.c" <<'PROG'
#include <demarche/demarche.h>
#include <stdio.h>
int main(void) { puts(dm_data_dir()); return 0; }
PROG
if sh -c "cc $san -o '$TMP/datadir' '$TMP/datadir.c' $flags" 2>"$TMP/cc.err"; then
  got=$(env -u DEMARCHE_DATA LD_LIBRARY_PATH="$inst/lib" "$TMP/datadir")
  want=$(cd "$inst/share/demarche" && pwd -P)
  [ "$got" = "$want" ] && ok "dm_data_dir() is the installed data directory ($got)" || fail "dm_data_dir() is '$got', wanted '$want'"
  got=$(DEMARCHE_DATA=/opt/dm LD_LIBRARY_PATH="$inst/lib" "$TMP/datadir")
  [ "$got" = "/opt/dm" ] && ok "DEMARCHE_DATA overrides dm_data_dir()" || fail "dm_data_dir() with DEMARCHE_DATA: '$got'"
else
  fail "the dm_data_dir program does not build: $(head -3 "$TMP/cc.err")"
fi
finish
