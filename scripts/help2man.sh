#!/usr/bin/env bash
# A man page (roff, section 1) from a tool's --help, so that the two say the
# same: scripts/help2man.sh TOOL [VERSION] >TOOL.1 (CMake runs it for the
# three tools; `cmake --install` puts the pages in share/man/man1).
# The --help layout it reads: "usage:" lines, a blank line, a description,
# then sections whose heading is a line ending in ":" and whose options are
# "  -x, --long ARG   text" lines with indented continuations.
set -euo pipefail
tool=$1
version=${2:-}
name=$(basename "$tool")
"$tool" --help | awk -v name="$name" -v version="$version" '
function esc(s) { gsub(/\\/, "\\e", s); sub(/^[.\047]/, "\\\\\\&&", s); return s }
BEGIN { state = "usage" }
state == "usage" && /^usage: / { sub(/^usage: /, ""); syn[++nsyn] = $0; next }
state == "usage" && /^       [^ ]/ { sub(/^ +/, ""); syn[++nsyn] = $0; next }
state == "usage" && /^$/ { state = "desc"; next }
state == "desc" && desc == "" && /^[^ ]/ { desc = $0 }
{ body[++nbody] = $0 }
END {
  what = desc; sub(/[.:].*$/, "", what); sub(/ \(.*$/, "", what); sub(/,$/, "", what)
  printf ".TH %s 1 \"\" \"demarche %s\" \"User Commands\"\n", toupper(name), version
  printf ".SH NAME\n%s \\- %s\n", name, esc(tolower(substr(what, 1, 1)) substr(what, 2))
  print ".SH SYNOPSIS"
  for (i = 1; i <= nsyn; i++) printf "%s%s\n", (i > 1 ? ".br\n" : ""), esc(syn[i])
  print ".SH DESCRIPTION"
  for (i = 1; i <= nbody; i++) {
    line = body[i]
    if (line == "") { print ".PP"; continue }
    if (line ~ /^[A-Z][^:]*:$/) { sub(/:$/, "", line); printf ".SS %s\n", esc(line); continue }
    if (line ~ /^  +-/) {
      # "  -o, --output FILE    text": the option part ends at two spaces.
      sub(/^ +/, "", line)
      opt = line; txt = ""
      if (match(line, /   */)) { opt = substr(line, 1, RSTART - 1); txt = substr(line, RSTART + RLENGTH) }
      printf ".TP\n.B %s\n%s\n", esc(opt), esc(txt)
      continue
    }
    sub(/^ +/, "", line)
    print esc(line)
  }
}'
