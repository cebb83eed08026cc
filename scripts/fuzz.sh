#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ (instrumented with -sanitize=fuzzer,address) and runs each for SECONDS
# (default 60) on a copy of its seed corpus in Fuzz/Corpus/<Target>/, after replaying Fuzz/Regressions/<Target>/.
# The repository's corpus is never written to. Exits non-zero when any fuzzer crashes, trips AddressSanitizer, runs
# out of memory or hangs (> 10 s on one input), printing the reproducer's path; see docs/Fuzzing.md.
#
#   scripts/fuzz.sh [SECONDS]        FUZZ_TARGETS="FuzzCSV FuzzRESP" scripts/fuzz.sh 30
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
targets=(${FUZZ_TARGETS:-FuzzCSV FuzzJSON FuzzParquet FuzzRESP})
# Let libFuzzer and AddressSanitizer report crashes: the Swift runtime's backtracer can hang on a fuzzer's crash.
export SWIFT_BACKTRACE=enable=no
flags=(-c debug --package-path "$root/Fuzz" -Xswiftc -sanitize=fuzzer,address)

swift build "${flags[@]}"
bin="$(swift build "${flags[@]}" --show-bin-path)"
work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-fuzz.XXXXXX")"
echo "fuzzing ${targets[*]} for ${seconds}s each; corpora, logs and reproducers in $work"

failed=0
for target in "${targets[@]}"; do
  dir="$work/$target"
  mkdir -p "$dir/corpus"
  cp "$root/Fuzz/Corpus/$target/"* "$dir/corpus/"
  options=(-timeout=10 -rss_limit_mb=2048 -artifact_prefix="$dir/")
  regressions=("$root/Fuzz/Regressions/$target/"*)
  status=0
  if [ -e "${regressions[0]}" ]; then
    "$bin/$target" "${options[@]}" "${regressions[@]}" >"$dir/regressions.log" 2>&1 || status=$?
  fi
  if [ "$status" -eq 0 ]; then
    "$bin/$target" "${options[@]}" -max_total_time="$seconds" -print_final_stats=1 "$dir/corpus" \
      >"$dir/fuzz.log" 2>&1 || status=$?
  fi
  if [ "$status" -ne 0 ]; then
    failed=1
    echo "FAIL $target (exit $status)"
    grep -h -E 'ERROR|SUMMARY|Fatal error|Precondition failed|Assertion failed|Running:' "$dir"/*.log | head -n 20
    for reproducer in "$dir"/crash-* "$dir"/timeout-* "$dir"/oom-* "$dir"/leak-* "$dir"/slow-unit-*; do
      [ -e "$reproducer" ] && echo "reproducer: $reproducer"
    done
  else
    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$dir/fuzz.log" | grep -o '[0-9]*$' || echo '?')"
    speed="$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$dir/fuzz.log" | grep -o '[0-9]*$' || echo '?')"
    coverage="$(grep -o 'cov: [0-9]*' "$dir/fuzz.log" | tail -n 1 || echo 'cov: ?')"
    echo "ok   $target: $runs runs, $speed/s, $coverage"
  fi
done
exit "$failed"
