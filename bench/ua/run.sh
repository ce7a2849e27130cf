#!/usr/bin/env bash
# Masthead's uap-core parser against uap-core's reference implementation (npm
# uap-ref-impl), over every user agent of tests/test_ua.yaml, uncached, one
# thread, user agent + OS + device; both in this one run, then the ratio.
# Both rates are strings per CPU-second of the process (Google Benchmark's
# default for ua_bench, process.cpuUsage() for the reference), so a machine
# busy with other work slows neither side's figure.
# Target (issue 8): Masthead >= 50x the reference and >= 200,000 strings/s.
#
# Usage: bench/ua/run.sh [BUILD_DIR]   (default: build; ua_bench is built there)
# Env:   UAP_CORE=/usr/share/uap-core  SECONDS_PER_SIDE=3
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build="${1:-$root/build}"
uap="${UAP_CORE:-/usr/share/uap-core}"
seconds="${SECONDS_PER_SIDE:-3}"

if [ ! -d "$here/node_modules/uap-ref-impl" ] || [ ! -d "$here/node_modules/js-yaml" ]; then
  (cd "$here" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
fi
if [ ! -f "$build/build.ninja" ] && [ ! -f "$build/Makefile" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build "$build" --target ua_bench -j2 >/dev/null

ref_line="$(node "$here/reference.js" "$uap/regexes.yaml" "$uap/tests/test_ua.yaml" "$seconds")"
ours_line="$("$build/bench/ua/ua_bench" --regexes="$uap/regexes.yaml" \
  --test_ua="$uap/tests/test_ua.yaml" --benchmark_min_time="$seconds" --benchmark_color=false |
  grep -o 'masthead_ua strings_per_second=[0-9]*')"

rate() { sed -n 's/.*strings_per_second=\([0-9]*\).*/\1/p' <<<"$1"; }
ref="$(rate "$ref_line")"
ours="$(rate "$ours_line")"
echo "reference (uap-ref-impl, node $(node --version)): $ref strings/s"
echo "masthead_ua:                                 $ours strings/s"
awk -v o="$ours" -v r="$ref" 'BEGIN {
  ratio = o / r
  printf "ratio: %.1fx  (targets: >= 50x and >= 200000 strings/s: %s)\n", ratio,
         (ratio >= 50 && o >= 200000) ? "met" : "NOT met"
}'
