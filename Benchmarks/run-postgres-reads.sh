#!/usr/bin/env bash
# PostgreSQL read paths on a throw-away server (release build): `sluice verify` (reads and digests every row) and
# `sluice export` to CSV and to Parquet (zstd) of ROWS rows, against `psql \copy (SELECT …) TO STDOUT` into
# /dev/null (the server's own text output, read and thrown away). With BASELINE=/path/to/another/sluice, the same
# commands run with that binary too, alternating, for a before/after figure. Each figure is the best of RUNS
# (default 3), with the peak RSS of that run.
# Usage: [BASELINE=…] [RUNS=3] Benchmarks/run-postgres-reads.sh [ROWS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/release-build.sh "$@"
source Benchmarks/postgres-server.sh
runs="${RUNS:-3}"
out=$(mktemp -d "$work/reads-XXXXXX")
trap '"${as_postgres[@]}" "$bin/pg_ctl" -D "$server/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$server" "$out"' EXIT

csv="$work/prices-$rows.csv"
[ -f "$csv" ] || "$sluice" sample ohlcv --rows "$rows" --symbols 500 --output "$csv"
echo "input: $csv ($rows rows)"
"$sluice" load "$csv" --into "$url" --table prices --key symbol,date --strategy append >/dev/null
sql -c "VACUUM ANALYZE prices" -c "CHECKPOINT"

# best NAME COMMAND…: runs COMMAND $runs times, prints "NAME seconds peak_mb" for the fastest run.
best() {
  local name=$1 best_s="" best_kb=0
  shift
  for _ in $(seq "$runs"); do
    rm -rf "$out/export"
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null
    read -r s kb <"$out/time.txt"
    if [ -z "$best_s" ] || python3 -c "import sys; sys.exit(0 if $s < $best_s else 1)"; then best_s=$s best_kb=$kb; fi
  done
  echo "$name $best_s $((best_kb / 1024))"
}

binaries=("$sluice")
[ -n "${BASELINE:-}" ] && binaries+=("$BASELINE")
peer=$(best psql_copy_to_devnull bash -c "$(printf '%q ' "${psql_bench[@]}") -c '\\copy (SELECT * FROM prices) TO STDOUT'")
echo "$peer"
peer_s=$(echo "$peer" | cut -d' ' -f2)
declare -A figures
for binary in "${binaries[@]}"; do
  label=$([ "$binary" = "$sluice" ] && echo current || echo baseline)
  for job in verify export_csv export_parquet_zstd; do
    case $job in
      verify) line=$(best "$label.$job" "$binary" verify --into "$url" --table prices) ;;
      export_csv) line=$(best "$label.$job" "$binary" export --target "$url" --table prices --to "file:$out/export" \
        --format csv) ;;
      export_parquet_zstd) line=$(best "$label.$job" "$binary" export --target "$url" --table prices \
        --to "file:$out/export" --format parquet --compression zstd) ;;
    esac
    read -r _ s mb <<<"$line"
    figures[$label.$job]=$s
    echo "$label $job seconds=$s peak_mb=$mb ratio_over_psql_copy=$(ratio "$s" "$peer_s")"
  done
done
if [ -n "${BASELINE:-}" ]; then
  for job in verify export_csv export_parquet_zstd; do
    echo "$job current_over_baseline=$(ratio "${figures[current.$job]}" "${figures[baseline.$job]}")"
  done
fi
