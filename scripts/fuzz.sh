#!/usr/bin/env bash
# Builds the libFuzzer targets with clang-14 (-fsanitize=fuzzer,address,undefined)
# in build/clang-fuzz and fuzzes each for a bounded time, growing its corpus in
# fuzz/corpus/<target>/. A crash stops the run with the reproducer written as
# fuzz/corpus/<target>/crash-<sha1> (keep it there once fixed: every ordinary
# build replays the corpus as the CTest test fuzz_replay.<target>).
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 60 s, every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all_targets=(http_request_fuzz form_fuzz cookie_fuzz markdown_fuzz importer_fuzz
             mail_sanitize_fuzz text_normaliser_fuzz ua_parser_fuzz)
targets=("${@:-${all_targets[@]}}")
build_dir=build/clang-fuzz
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=true
# The "fuzz" preset of CMakePresets.json: clang-14, MASTHEAD_FUZZ=ON, in build/clang-fuzz.
[ -f "$build_dir/build.ninja" ] || cmake --preset fuzz >/dev/null
cmake --build "$build_dir" -j "$(nproc)" --target "${targets[@]}"
failed=()
for target in "${targets[@]}"; do
  corpus=fuzz/corpus/$target
  mkdir -p "$corpus"
  echo "== $target: ${seconds}s"
  # New inputs go to a scratch directory and are merged (minimised) into the corpus after.
  scratch=$(mktemp -d)
  if ! "$build_dir/fuzz/"*/"$target" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
       -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$corpus/" \
       "$scratch" "$corpus" 2>"$build_dir/$target.log"; then
    tail -40 "$build_dir/$target.log"
    failed+=("$target")
  else
    grep -E "^stat::(number_of_executed_units|new_units_added)" "$build_dir/$target.log" || true
    "$build_dir/fuzz/"*/"$target" -merge=1 "$corpus" "$scratch" 2>/dev/null >/dev/null || true
  fi
  rm -rf "$scratch"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "crashes in: ${failed[*]} (reproducers in fuzz/corpus/<target>/crash-*)"
  exit 1
fi
echo "no crashes"
