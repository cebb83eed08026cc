#!/usr/bin/env bash
# What the load guards cost — injective Redis keys (escaping, the key-prefix claim), the Redis load mark and touched
# keys, the table lock's holder record, PostgreSQL name checks — on the product path: `sluice load` of this tree
# against BASELINE, another release build of sluice (an earlier commit), alternating, on the same throw-away servers.
#   1. Redis: 1 M rows into an empty database (SET … EX 300, key template price:{symbol}:{date}), as
#      Benchmarks/run-redis-load.sh loads them;
#   2. Redis: upsert of 1 M rows, half changed and half new, into that table (the touched keys are recorded);
#   3. PostgreSQL: append of 1 M rows into an empty keyed table;
#   4. PostgreSQL: upsert of 1 M rows, half changed and half new, into the 1 M-row table (history on);
#   5. export of the 1 M-row PostgreSQL table to Parquet (zstd): reads are checked against the source version before
#      the destination commits.
# Each figure is the median of RUNS (default 5) per binary, runs alternating; the ratio is current over baseline.
# Usage: BASELINE=/path/to/sluice [RUNS=5] [ONLY=regex] Benchmarks/run-load-guards.sh [ROWS]   (default 1000000;
# ONLY picks figures by name, e.g. ONLY='redis_upsert|export')
set -euo pipefail
cd "$(dirname "$0")/.."
: "${BASELINE:?set BASELINE to a release build of sluice to compare with}"
runs="${RUNS:-5}"
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || bash scripts/install-system-deps.sh redis-server redis-tools
source Benchmarks/release-build.sh "$@"
source Benchmarks/postgres-server.sh
csv="$work/prices-$rows.csv"
[ -f "$csv" ] || "$sluice" sample ohlcv --rows "$rows" --symbols 500 --output "$csv"
upsert="$work/upsert-$rows.csv"
[ -f "$upsert" ] || "$bench" make-upsert "$csv" "$upsert"
echo "input: $csv ($rows rows); current $sluice; baseline $BASELINE"

redis_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
redis_dir=$(mktemp -d /tmp/sluice-bench-guards-XXXXXX)
redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no --dir "$redis_dir" --daemonize yes \
  --logfile "$redis_dir/redis.log" >/dev/null
trap 'redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true; rm -rf "$redis_dir";
  "${as_postgres[@]}" "$bin/pg_ctl" -D "$server/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$server"' EXIT
until redis-cli -p "$redis_port" ping >/dev/null 2>&1; do sleep 0.1; done
redis="redis://127.0.0.1:$redis_port/0"

seconds() { /usr/bin/time -f "%e" -o "$work/guards-time.txt" "$@" >/dev/null 2>"$work/guards-err.txt" \
  || { cat "$work/guards-err.txt" >&2; exit 1; }; cat "$work/guards-time.txt"; }
median() { python3 -c "import sys, statistics; print(statistics.median(map(float, sys.argv[1:])))" "$@"; }

# compare NAME PREPARE MEASURE: for each run and each binary ($1 of PREPARE and MEASURE), PREPARE then time MEASURE.
compare() {
  local name=$1 prepare=$2 measure=$3 current=() baseline=()
  [[ "$name" =~ ${ONLY:-.} ]] || return 0
  for _ in $(seq "$runs"); do
    $prepare "$BASELINE"
    baseline+=("$($measure "$BASELINE")")
    $prepare "$sluice"
    current+=("$($measure "$sluice")")
  done
  local c b
  c=$(median "${current[@]}")
  b=$(median "${baseline[@]}")
  echo "$name: current median ${c} s (${current[*]}); baseline median ${b} s (${baseline[*]});" \
    "current_over_baseline=$(ratio "$c" "$b")"
}

redis_flags=(--table prices --key symbol,date --key-template 'price:{symbol}:{date}' --ttl 300)
redis_empty() { redis-cli -p "$redis_port" flushall >/dev/null; }
redis_full() { redis_empty; "$1" load "$csv" --into "$redis" "${redis_flags[@]}" --strategy upsert >/dev/null; }
redis_load() { seconds "$1" load "$csv" --into "$redis" "${redis_flags[@]}" --strategy upsert; }
redis_upsert() { seconds "$1" load "$upsert" --into "$redis" "${redis_flags[@]}" --strategy upsert; }

# A fresh table name for every run, so that no run sees another's rows, history or versions.
made=0
pg_empty() { made=$((made + 1)); table="p_guard_$made"; }
pg_full() { pg_empty; "$1" load "$csv" --into "$url" --table "$table" --key symbol,date --strategy append >/dev/null; }
pg_append() { seconds "$1" load "$csv" --into "$url" --table "$table" --key symbol,date --strategy append; }
pg_upsert() { seconds "$1" load "$upsert" --into "$url" --table "$table" --key symbol,date --strategy upsert; }

# Warm-up: the first COPY after initdb creates WAL segments; the first Redis load grows the server's memory.
pg_full "$sluice"
redis_full "$sluice"

compare "redis_load_${rows}" redis_empty redis_load
compare "redis_upsert_${rows}" redis_full redis_upsert
compare "postgres_append_${rows}" pg_empty pg_append
compare "postgres_upsert_${rows}" pg_full pg_upsert
export_to() { rm -rf "$work/guards-export"; }
pg_export() { seconds "$1" export --target "$url" --table p_guard_1 --to "file:$work/guards-export"; }
compare "postgres_export_parquet_${rows}" export_to pg_export
