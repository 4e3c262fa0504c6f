#!/usr/bin/env bash
# What -o does to what is already there (issue 8, items 2-4), through
# demarche-score and demarche-chart: a regular file is replaced atomically
# keeping its mode (and owner, as root); a symbolic link stays a link and
# its target gets the content; a FIFO and a device are written directly;
# a directory is refused; a planted link at the old predictable temporary
# name is not followed; a full disk (/dev/full, a small tmpfs) stops the run
# early with "cannot write: No space left on device" and exit 3; SIGTERM
# and SIGHUP leave no *.tmp.* behind.
. "$(dirname "$0")/lib/common.sh"
S="$DM_BIN/demarche-score"
C="$DM_BIN/demarche-chart"
EX="$DM_SOURCE_DIR/examples/article.txt"
CHART_IN="$DM_SOURCE_DIR/tests/data/chart-input.jsonl"
export DEMARCHE_DATA="$DM_SOURCE_DIR"
MNT="$TMP/small"
trap 'mountpoint -q "$MNT" 2>/dev/null && umount "$MNT"; rm -rf "$TMP"' EXIT
D="$TMP/d"
mkdir "$D"
# A full device: a copy of /dev/full made with mknod where we may (root),
# so that a regression replacing the target could never replace the
# system's /dev/full; else /dev/full itself (then we cannot replace it).
FULL=/dev/full
mknod "$TMP/full" c 1 7 2>/dev/null && chmod 666 "$TMP/full" && FULL="$TMP/full"

no_temporaries() { # DIR DESCRIPTION
  if ls -a "$1" | grep -q '\.tmp\.'; then fail "$2: $(ls -a "$1" | grep '\.tmp\.' | tr '\n' ' ')"
  else ok "$2"; fi
}

# Many documents: the example article 300 times, as JSON Lines.
one=$(jq -Rsc '{id:"a",date:"2021-03-04",text:.}' "$EX")
for _ in $(seq 300); do printf '%s\n' "$one"; done >"$TMP/big.jsonl"
"$S" --extract-only --jsonl "$EX" >"$TMP/expected.jsonl" 2>"$TMP/err"
if [ ! -s "$TMP/expected.jsonl" ]; then
  fail "demarche-score gives no statements for $EX: $(head -3 "$TMP/err")"; finish; exit 1
fi

# --- regular files ----------------------------------------------------------
(umask 027; "$S" --extract-only -o "$D/new.jsonl" "$EX" 2>/dev/null)
[ "$(stat -c %a "$D/new.jsonl")" = 640 ] && ok "a new file gets 0666 & ~umask" \
  || fail "new file mode $(stat -c %a "$D/new.jsonl"), wanted 640 under umask 027"
echo old >"$D/private.jsonl"
chmod 600 "$D/private.jsonl"
[ "$(id -u)" -eq 0 ] && chown 65534:65534 "$D/private.jsonl"
expect_status 0 "-o over a 0600 file" -- "$S" --extract-only -o "$D/private.jsonl" "$EX"
[ "$(stat -c %a "$D/private.jsonl")" = 600 ] && ok "its mode 0600 is kept" \
  || fail "mode became $(stat -c %a "$D/private.jsonl")"
if [ "$(id -u)" -eq 0 ]; then
  [ "$(stat -c %u:%g "$D/private.jsonl")" = 65534:65534 ] && ok "its owner is kept (root)" \
    || fail "owner became $(stat -c %u:%g "$D/private.jsonl")"
fi
cmp -s "$D/private.jsonl" "$TMP/expected.jsonl" && ok "and it has the new content" || fail "content"

# --- symbolic links ---------------------------------------------------------
echo old >"$D/victim.jsonl"
ln -s victim.jsonl "$D/link.jsonl"
expect_status 0 "-o through a symbolic link" -- "$S" --extract-only -o "$D/link.jsonl" "$EX"
[ -L "$D/link.jsonl" ] && ok "the link stays a link" || fail "the link was replaced"
cmp -s "$D/victim.jsonl" "$TMP/expected.jsonl" && ok "its target gets the content" \
  || fail "the link's target was not written"

# --- the process's own descriptors: written through, never replaced -------
echo "first line" >"$D/app.log"
"$S" --extract-only -o /dev/stdout "$EX" >>"$D/app.log" 2>"$TMP/err"
[ "$(head -1 "$D/app.log")" = "first line" ] && [ "$(tail -n +2 "$D/app.log" | cmp - "$TMP/expected.jsonl" && echo same)" = same ] \
  && ok "-o /dev/stdout >>log appends" || fail "-o /dev/stdout >>log did not append: $(head -3 "$TMP/err")"
"$S" --extract-only -o /dev/stdout "$EX" 2>/dev/null | cmp -s - "$TMP/expected.jsonl" \
  && ok "-o /dev/stdout into a pipe" || fail "-o /dev/stdout into a pipe"

# --- a directory ------------------------------------------------------------
mkdir "$D/adir"
expect_status 3 "-o to a directory" -- "$S" --extract-only -o "$D/adir" "$EX"
expect_grep "adir: is a directory" "$TMP/err" "says it is a directory"

# --- FIFOs and devices: written directly ------------------------------------
mkfifo "$D/fifo"
timeout 20 cat "$D/fifo" >"$TMP/from-fifo" &
reader=$!
expect_status 0 "-o to a FIFO (no hang)" -- timeout 20 "$S" --extract-only -o "$D/fifo" "$EX"
wait "$reader"
cmp -s "$TMP/from-fifo" "$TMP/expected.jsonl" && ok "the FIFO's reader gets the output" \
  || fail "the reader got $(wc -c <"$TMP/from-fifo") bytes"
[ -p "$D/fifo" ] && ok "the FIFO stays a FIFO" || fail "the FIFO was replaced"
if mknod "$D/null" c 1 3 2>/dev/null; then
  expect_status 0 "-o to a copy of /dev/null made with mknod" -- "$S" --extract-only -o "$D/null" "$EX"
  [ -c "$D/null" ] && ok "the device node stays a character device" \
    || fail "the device node became: $(stat -c %F "$D/null")"
else
  echo "skip: mknod not permitted here (not root?): device-node case not run"
fi
no_temporaries "$D" "no temporary files left by any of the above"

# --- demarche-chart ---------------------------------------------------------
# The old code drew into "<out>.tmp.<pid>", following a link planted there.
echo "victim" >"$D/chart-victim"
bash -c 'ln -s "$1/chart-victim" "$1/c.png.tmp.$$"; exec "$2" --min-n 1 -q -o "$1/c.png" "$3"' _ \
  "$D" "$C" "$CHART_IN"
[ "$(cat "$D/chart-victim")" = victim ] && ok "chart: a link planted at <out>.tmp.<pid> is not followed" \
  || fail "chart wrote through the planted link"
[ "$(head -c 4 "$D/c.png" | tail -c 3)" = PNG ] && ok "chart: the PNG is written" || fail "no PNG"
rm -f "$D"/c.png.tmp.*
echo old >"$D/svg-target.svg"
ln -s svg-target.svg "$D/chart-link.svg"
expect_status 0 "chart -o through a link" -- "$C" --min-n 1 -q -o "$D/chart-link.svg" "$CHART_IN"
[ -L "$D/chart-link.svg" ] && grep -q '<svg' "$D/svg-target.svg" && ok "chart: link kept, target drawn" \
  || fail "chart: the link was replaced or its target not drawn"
mkfifo "$D/chart.svg"
timeout 20 cat "$D/chart.svg" >"$TMP/chart-from-fifo" &
reader=$!
expect_status 0 "chart -o to a FIFO" -- timeout 20 "$C" --min-n 1 -q -o "$D/chart.svg" "$CHART_IN"
wait "$reader"
grep -q '</svg>' "$TMP/chart-from-fifo" && ok "chart: the FIFO's reader gets the whole SVG" \
  || fail "chart: the reader got no SVG"
echo old >"$D/c.csv"
chmod 600 "$D/c.csv"
expect_status 0 "chart --csv over a 0600 file" -- "$C" --min-n 1 -q --csv "$D/c.csv" "$CHART_IN"
[ "$(stat -c %a "$D/c.csv")" = 600 ] && head -1 "$D/c.csv" | grep -q '^period,' \
  && ok "chart: CSV written, mode kept" || fail "chart: CSV mode or content"
expect_status 3 "chart --csv $FULL" -- "$C" --min-n 1 --csv "$FULL" "$CHART_IN"
expect_grep "^demarche-chart: $FULL: cannot write: No space left on device" "$TMP/err" \
  "chart: the CSV write error is named"
expect_grep "output could not be written" "$TMP/err" "chart: the summary says why it stopped"
ln -s "$FULL" "$D/full.png"
expect_status 3 "chart -o a link to a full device" -- "$C" --min-n 1 -q -o "$D/full.png" "$CHART_IN"
expect_grep "full.png: cannot write: No space left on device" "$TMP/err" "chart: the PNG write error is named"
no_temporaries "$D" "chart: no temporary files left"

# --- a full disk: stop early ------------------------------------------------
expect_status 3 "score -o $FULL" -- "$S" --extract-only -o "$FULL" "$TMP/big.jsonl"
expect_grep "^demarche-score: $FULL: cannot write: No space left on device" "$TMP/err" \
  "the write error is named"
expect_grep "stopped early: the output could not be written" "$TMP/err" "the summary says why"
docs=$(sed -n 's/^demarche-score: \([0-9]*\) documents.*/\1/p' "$TMP/err")
# (it finds out when its 256 kB output buffer is first written: some 50)
[ -n "$docs" ] && [ "$docs" -lt 100 ] && ok "it stopped early ($docs of 300 documents)" \
  || fail "it read ${docs:-?} of 300 documents before stopping"
# Input that never ends: the run must still stop at the first failed write.
mkfifo "$TMP/endless"
(cat "$TMP/big.jsonl"; exec sleep 60) >"$TMP/endless" &
feeder=$!
expect_status 3 "score -o $FULL on endless input stops" -- timeout 30 "$S" --extract-only -o "$FULL" "$TMP/endless"
kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
# Standard output on a full device (by hand: expect_status redirects stdout).
"$S" --extract-only "$TMP/big.jsonl" >"$FULL" 2>"$TMP/err"; rc=$?
[ "$rc" -eq 3 ] && grep -q "standard output: cannot write: No space left on device" "$TMP/err" \
  && ok "stdout on a full device: exit 3 and the reason" || fail "stdout to a full device: exit $rc"

mkdir -p "$MNT"
if mount -t tmpfs -o size=64k tmpfs "$MNT" 2>/dev/null; then
  echo "keep me" >"$MNT/old.jsonl"
  expect_status 3 "score -o on a full 64k tmpfs" -- "$S" --extract-only -o "$MNT/old.jsonl" "$TMP/big.jsonl"
  expect_grep "old.jsonl: cannot write: No space left on device" "$TMP/err" "tmpfs: the reason is named"
  [ "$(cat "$MNT/old.jsonl")" = "keep me" ] && ok "tmpfs: the old file is untouched" \
    || fail "tmpfs: the old file was changed"
  no_temporaries "$MNT" "tmpfs: no temporary file left"
  expect_status 3 "chart -o on a full tmpfs" -- "$C" --min-n 1 -q -o "$MNT/c.png" --width 4000 --height 4000 "$CHART_IN"
  no_temporaries "$MNT" "tmpfs: chart left no temporary file"
  umount "$MNT"
else
  echo "skip: cannot mount a tmpfs here (needs root): small-disk cases not run"
fi

# --- signals: no temporary file left ----------------------------------------
for sig in TERM HUP; do
  rm -f "$TMP/sig.fifo"
  mkfifo "$TMP/sig.fifo"
  (cat "$TMP/big.jsonl"; exec sleep 60) >"$TMP/sig.fifo" &
  feeder=$!
  "$S" --extract-only -o "$D/killed.jsonl" "$TMP/sig.fifo" 2>/dev/null &
  pid=$!
  for _ in $(seq 100); do ls "$D" | grep -q 'killed.jsonl.tmp' && break; sleep 0.1; done
  ls "$D" | grep -q 'killed.jsonl.tmp' || fail "SIG$sig: the run never made its temporary file"
  kill -"$sig" "$pid"
  wait "$pid"
  rc=$?
  kill "$feeder" 2>/dev/null; wait "$feeder" 2>/dev/null
  [ "$rc" -gt 128 ] && ok "SIG$sig ends the run by the signal (exit $rc)" || fail "SIG$sig: exit $rc"
  no_temporaries "$D" "SIG$sig leaves no *.tmp.*"
  [ ! -e "$D/killed.jsonl" ] && ok "SIG$sig: no partial output in place" || fail "SIG$sig: partial output"
done

[ -c "$FULL" ] && ok "$FULL is still a character device" || fail "$FULL was replaced"

finish
