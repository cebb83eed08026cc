#!/usr/bin/env bash
# ThreadSanitizer: builds the tests with -sanitize=thread into .build/tsan and runs the suites with real
# concurrency — the loader pipeline (BatchChannel, PreparedInput), PostgreSQL concurrent loads and COPY, the RESP
# client's pipelines and cluster routing, the Redis loader, parallel compression, and the server-kill fault tests
# (which run the TSan-built `sluice`). Fails on any ThreadSanitizer report, from the test process or a child.
# Suppressions (for dependencies only, each with its reason): scripts/tsan.supp. See docs/FaultSuite.md.
#
#   bash scripts/tsan.sh              # build, then run the suites
#   bash scripts/tsan.sh --filter X   # build, then run only suites matching X
set -euo pipefail
cd "$(dirname "$0")/.."

suites='LoadPipelineTests|SQLiteLoadMetricsTests|StrategyConformanceTests|PostgresConcurrencyTests|PostgresPipelineTests'
suites+='|PostgresFaultRecoveryTests|RESPPipelineTests|RESPConnectionTests|RESPClusterClientTests|RedisLoaderTests'
suites+='|RedisFaultTests|ParallelCompressionTests|ServerKillTests'
if [ "${1:-}" = "--filter" ]; then suites=$2; fi

scratch=.build/tsan
reports=$(mktemp -d)
trap 'rm -rf "$reports"' EXIT

echo "== ThreadSanitizer: build ($scratch)"
start=$(date +%s)
swift build --build-tests --sanitize=thread --scratch-path "$scratch"
built=$(date +%s)
echo "build took $((built - start)) s"

echo "== ThreadSanitizer: $suites"
# Every instrumented process (the test runner and each `sluice` it starts) writes its reports to
# $reports/tsan.PID; halt_on_error stops the process at its first report.
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 log_path=$reports/tsan suppressions=$PWD/scripts/tsan.supp"
status=0
swift test --skip-build --sanitize=thread --scratch-path "$scratch" --filter "$suites" || status=$?
echo "tests took $(($(date +%s) - built)) s"

if compgen -G "$reports/tsan.*" >/dev/null; then
  echo "error: ThreadSanitizer reported:" >&2
  cat "$reports"/tsan.* >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "error: the tests failed under ThreadSanitizer (exit $status)" >&2
  exit "$status"
fi
echo "ThreadSanitizer: no report"
