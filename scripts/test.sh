#!/usr/bin/env bash
# Set up, build and run every test (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh build
status=0
ctest --test-dir build --output-on-failure -j"$(nproc)" || status=$?
# ctest shows a skipped test as "Skipped" only: say why.
bash scripts/ctest-skips.sh build
exit "$status"
