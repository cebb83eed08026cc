#!/usr/bin/env bash
# Issue 6's archive and export figures against the peers, on a throw-away PostgreSQL server (release build):
#   1. archive ROWS rows from PostgreSQL to Parquet with zstd — write, read back and verify, delete — against
#      `psql -c "\copy (SELECT ...) TO STDOUT" | zstd` alone (goal: at most 1.5x);
#   2. a full export of the same rows to Parquet with zstd, against the same peer;
#   3. history's cost: an upsert of ROWS rows (half changed, half new) with history against --no-history, on
#      PostgreSQL and on SQLite (goal: at most 1.3x).
# Usage: Benchmarks/run-archive-history.sh [ROWS]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
source Benchmarks/release-build.sh "$@"
elapsed() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null; cat "$work/time.txt"; }
source Benchmarks/postgres-server.sh

csv="$work/prices-$rows.csv"
[ -f "$csv" ] || "$sluice" sample ohlcv --rows "$rows" --symbols 500 --output "$csv"
echo "input: $csv ($rows rows, $(du -m "$csv" | cut -f1) MB)"
"$sluice" load "$csv" --into "$url" --table prices --key symbol,date --strategy append >/dev/null
"$sluice" load "$csv" --into "$url" --table exported --key symbol,date --strategy append >/dev/null
sql -c "CHECKPOINT"
cutoff=2100-01-01  # every row

echo "== 1. archive $rows rows to Parquet (zstd), verified, then deleted, against psql \\copy | zstd"
out=$(mktemp -d "$work/archive-XXXXXX")
trap '"${as_postgres[@]}" "$bin/pg_ctl" -D "$server/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$server" "$out"' EXIT
read -r peer_s peer_kb < <(elapsed bash -c "$(printf '%q ' "${psql_bench[@]}") -c \"\\copy (SELECT * FROM prices \
WHERE date < '$cutoff') TO STDOUT\" | zstd -q -o '$out/peer.tsv.zst'")
read -r archive_s archive_kb < <(elapsed "$sluice" archive --target "$url" --table prices --before "$cutoff" \
  --to "file:$out/archive" --format parquet --compression zstd)
echo "psql_copy_zstd_seconds=$peer_s bytes=$(stat -c %s "$out/peer.tsv.zst")"
echo "sluice_archive_seconds=$archive_s peak_mb=$((archive_kb / 1024)) parquet_bytes=$(find "$out/archive/prices" -name '*.parquet' -printf '%s\n' | awk '{ s += $1 } END { print s }') left_in_source=$(sql -c 'SELECT count(*) FROM prices')"
echo "ratio_archive_over_psql_zstd=$(ratio "$archive_s" "$peer_s") (goal <= 1.5)"
python3 - "$out/archive" <<'PY' || echo "pyarrow check skipped (scripts/install-python-deps.sh installs it)"
import sys, pyarrow.dataset as ds
table = ds.dataset(sys.argv[1] + "/prices", format="parquet", partitioning="hive").to_table()
print(f"pyarrow reads the archive: {table.num_rows} rows")
PY

echo "== 2. export $rows rows to Parquet (zstd), against psql \\copy | zstd"
read -r export_s export_kb < <(elapsed "$sluice" export --target "$url" --table exported --to "file:$out/export" \
  --format parquet --compression zstd)
echo "sluice_export_seconds=$export_s peak_mb=$((export_kb / 1024))"
echo "ratio_export_over_psql_zstd=$(ratio "$export_s" "$peer_s")"

echo "== 3. upsert $rows rows (half changed, half new) with history against --no-history"
upsert="$work/upsert-$rows.csv"
[ -f "$upsert" ] || "$bench" make-upsert "$csv" "$upsert"
for table in h_on h_off; do
  "$sluice" load "$csv" --into "$url" --table "$table" --key symbol,date --strategy upsert >/dev/null
done
sql -c "CHECKPOINT"
read -r on_s on_kb < <(elapsed "$sluice" load "$upsert" --into "$url" --table h_on --key symbol,date --strategy upsert)
sql -c "CHECKPOINT"
read -r off_s off_kb < <(elapsed "$sluice" load "$upsert" --into "$url" --table h_off --key symbol,date \
  --strategy upsert --no-history)
echo "postgres_upsert_history_seconds=$on_s postgres_upsert_no_history_seconds=$off_s history_rows=$(sql -c \
  'SELECT count(*) FROM "_sluice_history_h_on"')"
echo "ratio_postgres_history_over_none=$(ratio "$on_s" "$off_s") (goal <= 1.3)"
db="$out/history.sqlite"
for table in h_on h_off; do
  "$sluice" load "$csv" --into "sqlite:$db" --table "$table" --key symbol,date --strategy upsert >/dev/null
done
read -r son_s son_kb < <(elapsed "$sluice" load "$upsert" --into "sqlite:$db" --table h_on --key symbol,date \
  --strategy upsert)
read -r soff_s soff_kb < <(elapsed "$sluice" load "$upsert" --into "sqlite:$db" --table h_off --key symbol,date \
  --strategy upsert --no-history)
echo "sqlite_upsert_history_seconds=$son_s sqlite_upsert_no_history_seconds=$soff_s"
echo "ratio_sqlite_history_over_none=$(ratio "$son_s" "$soff_s") (goal <= 1.3)"
