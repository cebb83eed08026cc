#!/usr/bin/env bash
# Parquet writer benchmark: Sluice (CSV → Parquet, zstd) against pyarrow (read_csv + write_table) on the
# same 1,000,000 price rows, then the file size of every Sluice codec.
# Usage: Benchmarks/run-parquet.sh [CSV]   (default /work/main/bench-data/prices-1000000.csv, read-only)
# Prints one line per figure and the ratios against the issue's goals (size ≤ 1.1×, time ≤ 1.5×).
set -euo pipefail
cd "$(dirname "$0")/.."
csv="${1:-/work/main/bench-data/prices-1000000.csv}"
work="$(mktemp -d "${TMPDIR:-/tmp}/sluice-parquet-bench.XXXXXX")"
trap 'rm -rf "$work"' EXIT
ln -s "$(readlink -f "$csv")" "$work/prices.csv"
swift build -c release --product SluiceBenchmarks >/dev/null
bench="$PWD/.build/release/SluiceBenchmarks"
python="${PYTHON:-python3}"
size() { stat -c %s "$1"; }

# Best of 3 runs of a command (whole process, as a user runs it): "WALL CPU" seconds, CPU = user + system
# of the run with the best wall time (on a shared machine CPU time is the steadier figure).
best() {
  local best_wall="" best_cpu=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >/dev/null
    read -r wall user system <"$work/time.txt"
    if [ -z "$best_wall" ] || (( $(echo "$wall < $best_wall" | bc -l) )); then
      best_wall=$wall
      best_cpu=$(echo "$user + $system" | bc -l)
    fi
  done
  printf "%.2f %.2f\n" "$best_wall" "$best_cpu"
}

echo "input: $csv ($(du -m "$csv" | cut -f1) MB)"
echo "== 1. CSV → Parquet zstd: sluice convert vs pyarrow read_csv + write_table"
read -r sluice_s sluice_cpu < <(best "$bench" convert "$work/prices.csv" "$work/sluice.parquet")
sluice_bytes=$(size "$work/sluice.parquet")
echo "sluice_seconds=$sluice_s sluice_cpu_seconds=$sluice_cpu sluice_bytes=$sluice_bytes"

cat >"$work/peer.py" <<'PY'
import sys, time
import pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq
source, target, mode = sys.argv[1], sys.argv[2], sys.argv[3]
best_total = best_write = float("inf")
for _ in range(3):
    start = time.perf_counter()
    cpu_start = time.process_time()
    if mode == "decimal":
        types = {name: pa.decimal128(18, 4) for name in ["open", "high", "low", "close", "adj_close"]}
        types.update(symbol=pa.string(), date=pa.date32(), volume=pa.int64())
        table = pc.read_csv(source, convert_options=pc.ConvertOptions(column_types=types))
    else:
        table = pc.read_csv(source)
    written = time.perf_counter()
    cpu_written = time.process_time()
    pq.write_table(table, target, compression="zstd")
    end = time.perf_counter()
    if end - start < best_total:
        best_total, best_cpu = end - start, time.process_time() - cpu_start
        best_write, best_write_cpu = end - written, time.process_time() - cpu_written
print("%.2f %.2f %.2f %.2f %s" % (best_total, best_cpu, best_write, best_write_cpu,
                                  ",".join("%s:%s" % (f.name, f.type) for f in table.schema)))
PY
read -r dec_total dec_cpu dec_write dec_write_cpu dec_schema < <("$python" "$work/peer.py" "$work/prices.csv" "$work/pyarrow-decimal.parquet" decimal)
read -r inf_total inf_cpu inf_write inf_write_cpu inf_schema < <("$python" "$work/peer.py" "$work/prices.csv" "$work/pyarrow-inferred.parquet" inferred)
dec_bytes=$(size "$work/pyarrow-decimal.parquet")
inf_bytes=$(size "$work/pyarrow-inferred.parquet")
echo "pyarrow_decimal_seconds=$dec_total pyarrow_decimal_cpu_seconds=$dec_cpu" \
  "pyarrow_decimal_write_seconds=$dec_write pyarrow_decimal_write_cpu_seconds=$dec_write_cpu pyarrow_decimal_bytes=$dec_bytes"
echo "  schema: $dec_schema"
echo "pyarrow_inferred_seconds=$inf_total pyarrow_inferred_cpu_seconds=$inf_cpu" \
  "pyarrow_inferred_write_seconds=$inf_write pyarrow_inferred_write_cpu_seconds=$inf_write_cpu pyarrow_inferred_bytes=$inf_bytes"
echo "  schema: $inf_schema"
ratio() { echo "scale=2; $1 / $2" | bc -l; }
echo "ratio size sluice/pyarrow(decimal)=$(ratio "$sluice_bytes" "$dec_bytes") (goal <= 1.1)" \
  "time sluice/pyarrow(decimal)=$(ratio "$sluice_s" "$dec_total") (goal <= 1.5)" \
  "cpu sluice/pyarrow(decimal)=$(ratio "$sluice_cpu" "$dec_cpu")"
echo "ratio size sluice/pyarrow(inferred)=$(ratio "$sluice_bytes" "$inf_bytes")" \
  "time sluice/pyarrow(inferred)=$(ratio "$sluice_s" "$inf_total")"

echo "== 2. file size and time per codec (sluice convert; codec from the name, prices.CODEC.parquet)"
for codec in uncompressed snappy gzip zstd lz4raw; do
  out="$work/prices.$codec.parquet"
  read -r seconds cpu < <(best "$bench" convert "$work/prices.csv" "$out")
  echo "codec=$codec bytes=$(size "$out") seconds=$seconds cpu_seconds=$cpu"
done
