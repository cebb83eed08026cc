#!/usr/bin/env bash
# The RESP client against Redis's own tools, each peer measured in the same run (release build): the bulk
# pipeline vs redis-cli --pipe, single-command latency vs redis-benchmark -c 1 -P 1, and a 3-node cluster
# pipeline vs one node. Every server is a throw-away one on a free loopback port, stopped and deleted at the end.
# Usage: Benchmarks/run-redis.sh [RUNS]   (default 3: each side measured RUNS times, best and median printed)
# Environment: PIPELINE_COUNT (1000000), LATENCY_COUNT (100000), CLUSTER_COUNT (1000000).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in redis-server redis-cli redis-benchmark; do
  command -v "$tool" >/dev/null || bash scripts/install-system-deps.sh redis-tools
done
runs="${1:-3}"
swift build -c release --product RESPBenchmarks >/dev/null
bench="$PWD/.build/release/RESPBenchmarks"
echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(redis-server --version | cut -d' ' -f3)"

echo "== 1. bulk pipeline: RESPConnection.pipeline vs redis-cli --pipe"
"$bench" pipeline "${PIPELINE_COUNT:-1000000}" --runs "$runs"

echo "== 2. single-command latency: RESPConnection.send vs redis-benchmark -c 1 -P 1"
"$bench" latency --count "${LATENCY_COUNT:-100000}" --runs "$runs"

echo "== 3. cluster: RESPClusterClient.pipeline on 3 primaries vs RESPConnection.pipeline on one node"
"$bench" cluster --count "${CLUSTER_COUNT:-1000000}" --runs "$runs"
