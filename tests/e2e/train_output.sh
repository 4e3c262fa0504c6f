#!/usr/bin/env bash
# demarche-train -o DIR never destroys a user's files (issue 8, item 1): an
# existing directory that is not a bundle is refused (with or without a
# trailing slash) and its files survive; an empty directory is used; an old
# bundle is replaced only by a complete new one; a bundle holding other
# files is refused; a link to a bundle stays a link; a full disk and a
# signal during the save leave the old bundle and no temporary directory.
. "$(dirname "$0")/lib/common.sh"
T="$DM_BIN/demarche-train"
DATA="$DM_SOURCE_DIR/tests/data/labelled-small.jsonl"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
MNT="$TMP/small"
trap 'mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"; rm -rf "$TMP"' EXIT
train() { "$T" -q --hash-bits 12 "$@" "$DATA"; }
no_temporaries() { # DIR DESCRIPTION
  if ls -a "$1" | grep -qE '\.(tmp|old)-'; then fail "$2: $(ls -a "$1" | grep -E '\.(tmp|old)-' | tr '\n' ' ')"
  else ok "$2"; fi
}
C_of() { jq -r '.tasks.hostility.C' "$1/manifest.json" 2>/dev/null; }

# A directory of the user's: refused, every file kept.
mkdir -p "$TMP/mine/sub"
echo "thesis" >"$TMP/mine/chapter1.txt"
echo "data" >"$TMP/mine/sub/table.csv"
for o in "$TMP/mine" "$TMP/mine/"; do
  expect_status 3 "-o $(basename "$o")$( [ "${o%/}" != "$o" ] && echo /) (not a bundle) is refused" -- train -o "$o"
  expect_grep "^demarche-train: .*mine/?: is a directory but not a demarche model bundle" "$TMP/err" \
    "the refusal says why"
  [ "$(cat "$TMP/mine/chapter1.txt")" = thesis ] && [ "$(cat "$TMP/mine/sub/table.csv")" = data ] \
    && [ "$(ls "$TMP/mine" | wc -l)" -eq 2 ] && ok "the user's files survive" || fail "the user's files were touched"
done
# A directory holding a manifest.json that is not ours: refused too.
mkdir "$TMP/other"
echo '{"name":"some other tool"}' >"$TMP/other/manifest.json"
expect_status 3 "-o a directory with a foreign manifest.json" -- train -o "$TMP/other"
[ -s "$TMP/other/manifest.json" ] && ok "the foreign manifest survives" || fail "foreign manifest removed"

# An empty directory: used.
mkdir "$TMP/empty"
expect_status 0 "-o an empty directory" -- train -o "$TMP/empty/"
[ -s "$TMP/empty/manifest.json" ] && [ -s "$TMP/empty/hostility.model" ] && ok "the bundle is written there" \
  || fail "no bundle in the empty directory"

# An old bundle: replaced by the new one.
expect_status 0 "first bundle" -- train -c 2 -o "$TMP/b"
expect_status 0 "-o over the old bundle" -- train -c 4 -o "$TMP/b/"
[ "$(C_of "$TMP/b")" = 4 ] && ok "the old bundle is replaced" || fail "C is $(C_of "$TMP/b"), wanted 4"
no_temporaries "$TMP" "no temporary or old directories left"

# A bundle with a file of the user's in it: refused, nothing removed.
echo "my notes" >"$TMP/b/NOTES.txt"
expect_status 3 "-o a bundle holding another file" -- train -c 8 -o "$TMP/b"
expect_grep "holding other files too \('NOTES.txt'\)" "$TMP/err" "the refusal names the file"
[ "$(cat "$TMP/b/NOTES.txt")" = "my notes" ] && [ "$(C_of "$TMP/b")" = 4 ] && ok "the bundle and the note survive" \
  || fail "the bundle or the note changed"
rm "$TMP/b/NOTES.txt"

# A link to a bundle: the link stays, its target is replaced.
ln -s b "$TMP/b-link"
expect_status 0 "-o through a link to a bundle" -- train -c 8 -o "$TMP/b-link"
[ -L "$TMP/b-link" ] && [ "$(C_of "$TMP/b")" = 8 ] && ok "the link stays, the bundle it names is new" \
  || fail "the link was replaced or its bundle not"
# A regular file in the way: refused.
echo "text" >"$TMP/afile"
expect_status 3 "-o a regular file" -- train -o "$TMP/afile"
[ "$(cat "$TMP/afile")" = text ] && ok "the file is untouched" || fail "the file changed"

# A signal while the bundle is being saved (strace delivers SIGTERM at the
# first write of a model file, deterministically): the old bundle stays
# whole, no temporary directory is left.
if command -v strace >/dev/null && strace -o /dev/null true 2>/dev/null; then
  # Kill at the moment the temporary directory is made (mkdir), at a model
  # file's first write, and at the rename into place.
  for when in "mkdir" "write:when=2" "renameat2"; do
    call=${when%%:*}
    strace -f -o /dev/null -e trace="$call" -e inject="$when:signal=SIGTERM" \
      "$T" -q --hash-bits 12 -c 16 -o "$TMP/b" "$DATA" 2>"$TMP/err"
    rc=$?
    [ "$rc" -eq 143 ] && ok "SIGTERM at $call ends the run (exit $rc)" || fail "SIGTERM at $call: exit $rc"
    no_temporaries "$TMP" "SIGTERM at $call leaves no temporary directory"
    c=$(C_of "$TMP/b")
    [ "$c" = 8 ] || [ "$c" = 16 ] && ok "SIGTERM at $call: a whole bundle is in place (C $c)" \
      || fail "SIGTERM at $call: the bundle is broken"
  done
else
  echo "skip: strace missing or not permitted here: signal-during-save cases not run"
fi

# A full disk: the error is named, the old bundle stays, nothing left over.
mkdir -p "$MNT"
if mount -t tmpfs -o size=64k tmpfs "$MNT" 2>/dev/null; then
  mkdir "$MNT/empty"
  expect_status 3 "-o on a full 64k tmpfs" -- train -o "$MNT/empty"
  expect_grep "^demarche-train: .*empty: cannot write: No space left on device" "$TMP/err" "the reason is named"
  expect_grep "no model written" "$TMP/err" "the summary says no model was written"
  [ -d "$MNT/empty" ] && [ -z "$(ls -A "$MNT/empty")" ] && ok "the empty directory is left as it was" \
    || fail "the directory changed"
  no_temporaries "$MNT" "no temporary directory on the full disk"
  umount "$MNT"
else
  echo "skip: cannot mount a tmpfs here (needs root): full-disk case not run"
fi

finish
