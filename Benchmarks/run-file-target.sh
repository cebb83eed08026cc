#!/usr/bin/env bash
# The file target through the product path, `sluice load … --into file:DIR`, against the peers that do only part of
# the work (release build): pigz and bzip2 compressing the already-serialised JSONL, pyarrow writing Parquet from
# CSV, and the file target's own keyed loads (upsert, 1%-changed incremental) with peak memory.
# Usage: Benchmarks/run-file-target.sh [ROWS]   (default 1000000). Prints one line per figure; best of 3 where noted.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh pigz
bash scripts/install-python-deps.sh
source Benchmarks/release-build.sh "$@"
csv="$work/prices-$rows.csv"
[ -f "$csv" ] || "$sluice" sample ohlcv --rows "$rows" --symbols 500 --output "$csv"
scratch=$(mktemp -d /tmp/sluice-bench-files-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
# Best of three wall-clock seconds (and the peak RSS of that run, KB) of a command.
best() {
  local best_s="" best_kb=""
  for _ in 1 2 3; do
    rm -rf "$scratch/lake"
    /usr/bin/time -f "%e %M" -o "$scratch/time.txt" "$@" >/dev/null
    read -r s kb <"$scratch/time.txt"
    if [ -z "$best_s" ] || python3 -c "import sys; sys.exit(0 if $s < $best_s else 1)"; then best_s=$s; best_kb=$kb; fi
  done
  echo "$best_s $best_kb"
}
load=("$sluice" load "$csv" --into "file:$scratch/lake" --table prices)

echo "input: $csv ($rows rows, $(du -m "$csv" | cut -f1) MB)"
"$bench" convert "$csv" "$scratch/prices.jsonl" >/dev/null

echo "== 1. CSV to JSONL.gz through sluice load, against pigz -6 -p 2 compressing the serialised JSONL"
read -r gz_s gz_kb < <(best "${load[@]}" --strategy append --format jsonl --compression gzip)
read -r pigz_s _ < <(best sh -c "pigz -6 -p 2 -c '$scratch/prices.jsonl' >'$scratch/p.jsonl.gz'")
echo "sluice_jsonl_gz_seconds=$gz_s peak_kb=$gz_kb pigz_seconds=$pigz_s ratio=$(ratio "$gz_s" "$pigz_s") (goal <= 1.3)"

echo "== 2. CSV to JSONL.bz2 through sluice load, against bzip2 -9 alone"
read -r bz_s _ < <(best "${load[@]}" --strategy append --format jsonl --compression bzip2)
bzip2_s=$(/usr/bin/time -f "%e" -o "$scratch/t.txt" sh -c "bzip2 -9 -c '$scratch/prices.jsonl' >'$scratch/p.bz2'"; cat "$scratch/t.txt")
echo "sluice_jsonl_bz2_seconds=$bz_s bzip2_seconds=$bzip2_s ratio=$(ratio "$bz_s" "$bzip2_s") (goal <= 0.6)"

echo "== 3. CSV to CSV.zst and CSV.lz4 through sluice load: rows per second"
read -r zst_s _ < <(best "${load[@]}" --strategy append --format csv --compression zstd)
read -r lz4_s _ < <(best "${load[@]}" --strategy append --format csv --compression lz4)
echo "csv_zst_rows_per_second=$(python3 -c "print(int($rows/$zst_s))") csv_lz4_rows_per_second=$(python3 -c "print(int($rows/$lz4_s))") (goal >= 1000000)"

echo "== 4. CSV to Parquet (zstd) through sluice load, against pyarrow read_csv + write_table(zstd)"
read -r pq_s pq_kb < <(best "${load[@]}" --strategy append --format parquet --compression zstd)
"${load[@]}" --strategy append --format parquet --compression zstd >/dev/null
pq_bytes=$(find "$scratch/lake/prices" -name '*.parquet' -printf '%s\n' | awk '{ s += $1 } END { print s }')
cat >"$scratch/arrow.py" <<PY
import time, pyarrow as pa, pyarrow.csv as pc, pyarrow.parquet as pq, os
types = {c: pa.decimal128(18, 4) for c in ["open", "high", "low", "close", "adj_close"]}
types.update(symbol=pa.string(), date=pa.date32(), volume=pa.int64())
start = time.time()
table = pc.read_csv("$csv", convert_options=pc.ConvertOptions(column_types=types))
pq.write_table(table, "$scratch/arrow.parquet", compression="zstd")
print(time.time() - start, os.path.getsize("$scratch/arrow.parquet"))
PY
read -r arrow_s arrow_bytes < <(python3 "$scratch/arrow.py")
echo "sluice_parquet_seconds=$pq_s peak_kb=$pq_kb bytes=$pq_bytes pyarrow_seconds=$arrow_s bytes=$arrow_bytes"
echo "ratio_time=$(ratio "$pq_s" "$arrow_s") (goal <= 1.5) ratio_size=$(ratio "$pq_bytes" "$arrow_bytes") (goal <= 1.1)"

echo "== 5. keyed loads into a month-partitioned Parquet table: upsert of $rows rows, then 1% changed"
changed="$work/changed-$rows.csv"
[ -f "$changed" ] || awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } NR % 100 == 0 { $6 = $6 + 0.0001 } { print }' \
  "$csv" >"$changed"
rm -rf "$scratch/lake"
up=$( { /usr/bin/time -f "%e %M" "${load[@]}" --key symbol,date --partition-by date:month >/dev/null; } 2>&1 )
inc=$( { /usr/bin/time -f "%e %M" "$sluice" load "$changed" --into "file:$scratch/lake" --table prices \
  --strategy incremental >/dev/null; } 2>&1 )
verify=$( { /usr/bin/time -f "%e" "$sluice" verify --target "file:$scratch/lake" --table prices >/dev/null; } 2>&1 )
echo "upsert_new_seconds_peak_kb=$up incremental_1pct_seconds_peak_kb=$inc verify_seconds=$verify"
