#!/usr/bin/env bash
# Runs each fuzz target for FUZZ_SECONDS from its committed seeds and prints one line per
# target: "fuzz <target>: N runs, C crashes". New corpus entries go to <build>/corpus/,
# crash inputs to <build>/crashes/. Exits non-zero if any target crashed.
# Usage: fuzz/run.sh <build dir> <target>...
set -uo pipefail
cd "$(dirname "$0")/.."
build=$1; shift
seconds=${FUZZ_SECONDS:-30}
mkdir -p "$build/logs" "$build/crashes"
failed=0

for target in "$@"; do
  bin="$build/fuzz_$target" log="$build/logs/$target.log"
  corpus="$build/corpus/$target" seeds="fuzz/corpus/$target"
  mkdir -p "$corpus"
  dict=()
  [ -f "fuzz/$target.dict" ] && dict=(-dict="fuzz/$target.dict")
  # Leaks count: the Lua targets keep one state for the whole run, on purpose.
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$build/crashes/$target-" "${dict[@]}" "$corpus" "$seeds" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
  [ -n "$runs" ] || runs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" | tail -n 1)
  crashes=0
  if [ "$rc" -ne 0 ]; then crashes=1; failed=1; fi
  echo "fuzz $target: ${runs:-0} runs, $crashes crashes"
  if [ "$rc" -ne 0 ]; then
    grep -E 'ERROR|property failed|lua_host|runtime error|Test unit written' "$log" | head -n 20
  fi
done
exit "$failed"
