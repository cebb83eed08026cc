#!/usr/bin/env bash
# Sluice benchmarks against their peers, on the same data in the same run (release build).
# Usage: Benchmarks/run.sh [ROWS]   (default 1000000; the memory check also loads 5 x ROWS)
# Prints one line per figure; BENCHMARKS.md records a run and how to read it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
rows="${1:-1000000}"
work="bench-data"
mkdir -p "$work"
swift build -c release --product sluice >/dev/null
swift build -c release --product SluiceBenchmarks >/dev/null
sluice="$PWD/.build/release/sluice"
bench="$PWD/.build/release/SluiceBenchmarks"
timev() { /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null; cat "$work/time.txt"; }

csv="$work/prices-$rows.csv"
[ -f "$csv" ] || "$sluice" sample ohlcv --rows "$rows" --symbols 500 --output "$csv"
mb=$(du -m "$csv" | cut -f1)
echo "input: $csv ($rows rows, ${mb} MB)"

echo "== 1. parse CSV into batches (one core)"
"$bench" parse "$csv"

echo "== 2. append into an empty SQLite table with a primary key: sluice vs sqlite3 .import"
rm -f "$work"/s.sqlite* "$work"/q.sqlite*
read -r sluice_s sluice_kb < <(timev "$sluice" load "$csv" --into "sqlite:$work/s.sqlite" --table prices \
  --key symbol,date --strategy append)
schema=$(sqlite3 "$work/s.sqlite" ".schema prices")
# Peer A: sqlite3's .import with the shell's defaults (rollback journal, synchronous=FULL).
sqlite3 "$work/q.sqlite" "$schema"
read -r peer_s peer_kb < <(timev sqlite3 "$work/q.sqlite" ".mode csv" ".import --skip 1 $csv prices")
# Peer B: the same, with the settings Sluice uses (WAL, synchronous=NORMAL, 64 MiB cache): the fair peer.
rm -f "$work"/w.sqlite*
sqlite3 "$work/w.sqlite" "PRAGMA journal_mode=WAL" "$schema" >/dev/null
read -r tuned_s tuned_kb < <(timev sqlite3 "$work/w.sqlite" "PRAGMA synchronous=NORMAL" "PRAGMA cache_size=-65536" \
  ".mode csv" ".import --skip 1 $csv prices")
sluice_rows=$(sqlite3 "$work/s.sqlite" "SELECT count(*) FROM prices")
peer_rows=$(sqlite3 "$work/q.sqlite" "SELECT count(*) FROM prices")
tuned_rows=$(sqlite3 "$work/w.sqlite" "SELECT count(*) FROM prices")
echo "sluice_append_seconds=$sluice_s rows=$sluice_rows peak_kb=$sluice_kb"
echo "sqlite3_import_default_seconds=$peer_s rows=$peer_rows peak_kb=$peer_kb"
echo "sqlite3_import_wal_seconds=$tuned_s rows=$tuned_rows peak_kb=$tuned_kb"
echo "ratio_sluice_over_sqlite3_default=$(python3 -c "print(round($sluice_s/$peer_s, 3))")"
echo "ratio_sluice_over_sqlite3_wal=$(python3 -c "print(round($sluice_s/$tuned_s, 3))")"

echo "== 3. upsert $rows rows (half existing keys with a changed close, half new)"
"$bench" make-upsert "$csv" "$work/upsert.csv"
read -r upsert_s upsert_kb < <(timev "$sluice" load "$work/upsert.csv" --into "sqlite:$work/s.sqlite" \
  --table prices --key symbol,date --strategy upsert)
echo "upsert_seconds=$upsert_s rows_per_second=$(python3 -c "print(int($rows/$upsert_s))") peak_kb=$upsert_kb"
"$sluice" verify --into "sqlite:$work/s.sqlite" --table prices >/dev/null && echo "verify_after_upsert=ok"

echo "== 4. peak memory: append $rows and $((rows * 5)) rows"
big="$work/prices-$((rows * 5)).csv.zst"
[ -f "$big" ] || "$sluice" sample ohlcv --rows "$((rows * 5))" --symbols 2500 --output "$big"
for input in "$csv" "$big"; do
  rm -f "$work"/m.sqlite*
  read -r seconds kb < <(timev "$sluice" load "$input" --into "sqlite:$work/m.sqlite" --table prices \
    --key symbol,date --strategy append)
  echo "memory input=$(basename "$input") seconds=$seconds peak_mb=$((kb / 1024))"
done
