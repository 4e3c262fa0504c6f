#!/usr/bin/env bash
# Configure and build into build/ (or into $1, with extra cmake options after it).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
if ! cmake --build "$dir" -j"$(nproc)" >"$dir/build.log" 2>&1; then
  cat "$dir/build.log" >&2
  echo "build failed (log: $dir/build.log)" >&2
  exit 1
fi
grep -E "warning:" "$dir/build.log" >&2 || true
