#!/usr/bin/env bash
# Sluice's PostgreSQL loads against psql \copy, pgloader and a hand-written staging + ON CONFLICT upsert, on the
# same throw-away server (default PostgreSQL settings) and the same data, in one run (release build).
# Usage: Benchmarks/run-postgres.sh [ROWS]   (default 1000000)
# Prints one line per figure and the ratios (Sluice's time over the peer's: below 1 is faster).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh pgloader
source Benchmarks/release-build.sh "$@"
elapsed() { /usr/bin/time -f "%e" -o "$work/time.txt" "$@" >/dev/null; cat "$work/time.txt"; }

source Benchmarks/postgres-server.sh

csv="$work/prices-$rows.csv"
[ -f "$csv" ] || "$sluice" sample ohlcv --rows "$rows" --symbols 500 --output "$csv"
upsert="$work/upsert-$rows.csv"
[ -f "$upsert" ] || "$bench" make-upsert "$csv" "$upsert"
more="$work/more-$rows.csv"  # the same rows under other symbols: new keys for an append into a full table
[ -f "$more" ] || awk -F, 'BEGIN { OFS = "," } NR == 1 { print; next } { $1 = "X" $1; print }' "$csv" >"$more"
echo "input: $csv ($rows rows, $(du -m "$csv" | cut -f1) MB)"

columns="symbol text NOT NULL, date date NOT NULL, open numeric(18,4), high numeric(18,4), low numeric(18,4),
  close numeric(18,4), adj_close numeric(18,4), volume bigint"
names="symbol, date, open, high, low, close, adj_close, volume"
# Warm-up: the first COPY after initdb creates WAL segments; time nothing until it ran.
sql -c "CREATE TABLE warmup ($columns)" -c "\\copy warmup FROM '$csv' csv header" -c "DROP TABLE warmup"

echo "== 1. append $rows rows into an empty table with a primary key"
sql -c "CREATE TABLE p_psql ($columns, PRIMARY KEY (symbol, date))"
sql -c "CREATE TABLE p_pgloader ($columns, PRIMARY KEY (symbol, date))"
psql_s=$(elapsed "${psql_bench[@]}" -c "\\copy p_psql FROM '$csv' csv header")
cat >"$work/pgloader.load" <<LOAD
LOAD CSV FROM '$csv' ($names)
  INTO postgresql://postgres@127.0.0.1:$port/bench?tablename=p_pgloader ($names)
  WITH skip header = 1, fields terminated by ',', fields optionally enclosed by '"';
LOAD
pgloader_s=$(elapsed pgloader --quiet "$work/pgloader.load")
sluice_s=$(elapsed "$sluice" load "$csv" --into "$url" --table p_sluice --key symbol,date --strategy append)
echo "psql_copy_seconds=$psql_s rows=$(sql -c 'SELECT count(*) FROM p_psql')"
echo "pgloader_seconds=$pgloader_s rows=$(sql -c 'SELECT count(*) FROM p_pgloader')"
echo "sluice_append_seconds=$sluice_s rows=$(sql -c 'SELECT count(*) FROM p_sluice')"
echo "ratio_sluice_over_psql=$(ratio "$sluice_s" "$psql_s") (goal <= 0.7)"
echo "ratio_sluice_over_pgloader=$(ratio "$sluice_s" "$pgloader_s") (goal <= 0.15)"

echo "== 2. upsert $rows rows (half existing keys with a changed close, half new) into the $rows-row tables"
updates=$(for column in open high low close adj_close volume; do printf '%s = EXCLUDED.%s, ' $column $column; done)
cat >"$work/upsert.sql" <<SQL
BEGIN;
CREATE TEMP TABLE staging (LIKE p_psql) ON COMMIT DROP;
\\copy staging FROM '$upsert' csv header
INSERT INTO p_psql SELECT DISTINCT ON (symbol, date) * FROM staging
  ON CONFLICT (symbol, date) DO UPDATE SET ${updates%, }
  WHERE (p_psql.open, p_psql.high, p_psql.low, p_psql.close, p_psql.adj_close, p_psql.volume)
    IS DISTINCT FROM (EXCLUDED.open, EXCLUDED.high, EXCLUDED.low, EXCLUDED.close, EXCLUDED.adj_close, EXCLUDED.volume);
COMMIT;
SQL
hand_s=$(elapsed "${psql_bench[@]}" -f "$work/upsert.sql")
sluice_up_s=$(elapsed "$sluice" load "$upsert" --into "$url" --table p_sluice --key symbol,date --strategy upsert)
"$sluice" load "$upsert" --into "$url" --table p_sluice --key symbol,date --strategy upsert --json \
  >"$work/rerun.json" || true
echo "hand_written_upsert_seconds=$hand_s rows=$(sql -c 'SELECT count(*) FROM p_psql')"
echo "sluice_upsert_seconds=$sluice_up_s rows=$(sql -c 'SELECT count(*) FROM p_sluice')"
echo "ratio_sluice_over_hand_written=$(ratio "$sluice_up_s" "$hand_s") (goal <= 1.0)"
echo "sluice_rerun: $(cat "$work/rerun.json")"

echo "== 3. append $rows rows with new keys into the tables now holding $(sql -c 'SELECT count(*) FROM p_psql') rows"
psql_more_s=$(elapsed "${psql_bench[@]}" -c "\\copy p_psql FROM '$more' csv header")
sluice_more_s=$(elapsed "$sluice" load "$more" --into "$url" --table p_sluice --key symbol,date --strategy append)
echo "psql_copy_seconds=$psql_more_s sluice_append_seconds=$sluice_more_s"
echo "ratio_sluice_over_psql=$(ratio "$sluice_more_s" "$psql_more_s") (goal <= 1.0)"
"$sluice" verify --into "$url" --table p_sluice >/dev/null && echo "verify=ok"

echo "== 4. reload the same $rows rows with 1% changed: incremental against upsert, into identical $rows-row tables"
changed="$work/changed-$rows.csv"  # every 100th row's close moved by 0.01
[ -f "$changed" ] || awk -F, 'BEGIN { OFS = "," } NR > 1 && NR % 100 == 0 { $6 = sprintf("%.4f", $6 + 0.01) } { print }' \
  "$csv" >"$changed"
# Each table is first loaded by its own strategy, as a nightly job would have loaded it the night before.
"$sluice" load "$csv" --into "$url" --table p_inc --key symbol,date --strategy incremental >/dev/null
"$sluice" load "$csv" --into "$url" --table p_up --key symbol,date --strategy upsert >/dev/null
sql -c "CHECKPOINT"
sluice_inc_s=$(elapsed "$sluice" load "$changed" --into "$url" --table p_inc --key symbol,date --strategy incremental)
sql -c "CHECKPOINT"
sluice_up1_s=$(elapsed "$sluice" load "$changed" --into "$url" --table p_up --key symbol,date --strategy upsert)
echo "sluice_incremental_seconds=$sluice_inc_s sluice_upsert_seconds=$sluice_up1_s"
echo "ratio_incremental_over_upsert=$(ratio "$sluice_inc_s" "$sluice_up1_s") (goal <= 0.5)"
"$sluice" versions --into "$url" --table p_inc --json | python3 -c '
import json, sys
latest = json.load(sys.stdin)[-1]["metrics"]
print("incremental_counts: updated=%d inserted=%d skipped=%d" % (latest["records_updated"], latest["records_inserted"],
      latest["records_skipped"]))'

echo "== 5. peak memory: append $rows and $((rows * 5)) rows into new tables"
big="$work/prices-$((rows * 5)).csv.zst"
[ -f "$big" ] || "$sluice" sample ohlcv --rows "$((rows * 5))" --symbols 2500 --output "$big"
for input in "$csv" "$big"; do
  table="m_$(basename "$input" | tr -c 'a-z0-9\n' '_')"
  /usr/bin/time -f "%e %M" -o "$work/time.txt" "$sluice" load "$input" --into "$url" --table "$table" \
    --key symbol,date --strategy append >/dev/null
  read -r seconds kb <"$work/time.txt"
  echo "memory input=$(basename "$input") seconds=$seconds peak_mb=$((kb / 1024))"
done

echo "== 6. two tables of $rows rows: one after the other against both at once (two loads side by side)"
start=$(date +%s.%N)
for table in s_one s_two; do
  "$sluice" load "$csv" --into "$url" --table "$table" --key symbol,date --strategy append >/dev/null
done
sequential_s=$(python3 -c "import time; print(round(time.time() - $start, 2))")
start=$(date +%s.%N)
for table in c_one c_two; do
  "$sluice" load "$csv" --into "$url" --table "$table" --key symbol,date --strategy append >/dev/null &
done
wait
concurrent_s=$(python3 -c "import time; print(round(time.time() - $start, 2))")
echo "sequential_seconds=$sequential_s concurrent_seconds=$concurrent_s"
echo "ratio_concurrent_over_sequential=$(ratio "$concurrent_s" "$sequential_s") (below 1: loading tables side by side pays)"
