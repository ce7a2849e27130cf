#!/usr/bin/env bash
# The newcomer's second command, and exactly what CI runs (.ci/run): installs
# what is missing, builds everything in Release with tests, and runs every test
# with CTest. Servers the tests need are started by the tests themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
build_dir=build/test
# Paths relative to the checkout in ccache's keys: a fresh clone elsewhere (CI)
# still hits the cache of earlier builds on the same machine.
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release \
      -DMASTHEAD_BUILD_TESTS=ON -DMASTHEAD_BUILD_BENCH=ON >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
# ASan + UBSan over the GoogleTest binaries and fuzz corpus replays (the "asan"
# preset, docs/security.md). A second full build, too slow for every CI run on
# two cores: only when asked with MASTHEAD_SANITIZE_TESTS=1.
if [ "${MASTHEAD_SANITIZE_TESTS:-0}" = 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$(nproc)"
  ctest --preset asan -j "$(nproc)"
fi
cd "$build_dir"
# --output-on-failure shows why; the summary line ("N% tests passed, ...") ends the run.
ctest --output-on-failure -j "$(nproc)" --timeout 900
