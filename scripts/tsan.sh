#!/usr/bin/env bash
# ThreadSanitizer: builds the tests with -sanitize=thread into .build/tsan and runs the suites with real
# concurrency — the loader pipeline (BatchChannel, PreparedInput), PostgreSQL concurrent loads and COPY, the RESP
# client's pipelines and cluster routing, the Redis loader, parallel compression, and the server-kill fault tests
# (which run the TSan-built `sluice`). Fails on any ThreadSanitizer report, from the test process or a child.
# Suppressions (narrow, each with its reason): scripts/tsan.supp. A canary first shows whether TSan can see
# Synchronization.Mutex (it cannot with Swift 6.3.1 on Linux: see the suppressions). See docs/FaultSuite.md.
#
#   bash scripts/tsan.sh              # build, then run the suites
#   bash scripts/tsan.sh --filter X   # build, then run only suites matching X
set -euo pipefail
cd "$(dirname "$0")/.."

suites='LoadPipelineTests|SQLiteLoadMetricsTests|StrategyConformanceTests|PostgresConcurrencyTests|PostgresPipelineTests'
suites+='|RESPPipelineTests|RESPConnectionTests|RESPClusterClientTests|RedisLoaderTests'
suites+='|RedisFaultTests|RedisCrashLeftoverTests|CacheTableLockTests|ParallelCompressionTests|ServerKillTests'
if [ "${1:-}" = "--filter" ]; then suites=$2; fi

scratch=.build/tsan
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

echo "== ThreadSanitizer: build ($scratch)"
start=$(date +%s)
swift build --build-tests --sanitize=thread --scratch-path "$scratch"
built=$(date +%s)
echo "build took $((built - start)) s"

echo "== ThreadSanitizer: can it see Synchronization.Mutex? (scripts/tsan-mutex-canary.swift)"
swiftc -sanitize=thread -g scripts/tsan-mutex-canary.swift -o "$reports/canary"
mutex_blind=0
for attempt in 1 2 3 4 5; do  # a race needs contention to show: up to five tries
  if TSAN_OPTIONS="halt_on_error=0 exitcode=0" "$reports/canary" 2>&1 | grep -q 'ThreadSanitizer: Swift access race'; then
    mutex_blind=1
    break
  fi
done
if [ "$mutex_blind" = 1 ]; then
  echo "no: a contended Mutex looks like a race here; scripts/tsan.supp suppresses the Mutex closures reported so far"
else
  echo "yes"
fi

echo "== ThreadSanitizer: $suites"
# Every instrumented process (the test runner and each `sluice` it starts) writes its reports to
# $reports/tsan.PID and goes on (exitcode=0), so that one run shows every report; any report fails the step.
export TSAN_OPTIONS="halt_on_error=0 exitcode=0 second_deadlock_stack=1 log_path=$reports/tsan suppressions=$PWD/scripts/tsan.supp"
status=0
swift test --skip-build --sanitize=thread --scratch-path "$scratch" --filter "$suites" || status=$?
echo "tests took $(($(date +%s) - built)) s"
unset TSAN_OPTIONS

if compgen -G "$reports/tsan.*" >/dev/null; then
  echo "error: ThreadSanitizer reported, by kind and top frame:" >&2
  grep -h 'WARNING: ThreadSanitizer:' "$reports"/tsan.* | sed 's/ (pid=.*//' | sort | uniq -c >&2
  grep -h -A2 'WARNING: ThreadSanitizer:' "$reports"/tsan.* | grep '#0' | sed 's/ (.*//' | sort | uniq -c | sort -rn >&2
  cat "$reports"/tsan.* >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "error: the tests failed under ThreadSanitizer (exit $status)" >&2
  exit "$status"
fi
echo "ThreadSanitizer: no report"
