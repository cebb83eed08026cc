#!/usr/bin/env bash
# Compressed file output: `SluiceBenchmarks convert` (CSV in, every format and codec out) against pigz and bzip2
# compressing the already-serialised JSONL, on the same data in the same run (release build).
# Usage: Benchmarks/run-files.sh [ROWS [CSV]]   (default 1000000 rows from bench-data/prices-ROWS.csv, made with
# `sluice sample` when missing; the CSV is linked into a temporary folder and never modified)
# Prints one line per figure, best of 3 wall seconds for the headline numbers with the CPU seconds (user + system)
# of the best run, and the ratios (Sluice over the peer). Other processes on the machine show in the wall time, not
# in the CPU time: compare both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh pigz
rows="${1:-1000000}"
swift build -c release --product sluice >/dev/null
swift build -c release --product SluiceBenchmarks >/dev/null
sluice="$PWD/.build/release/sluice"
bench="$PWD/.build/release/SluiceBenchmarks"
source_csv="${2:-$PWD/bench-data/prices-$rows.csv}"
if [ ! -f "$source_csv" ]; then
  mkdir -p bench-data
  "$sluice" sample ohlcv --rows "$rows" --symbols 500 --output "$source_csv"
fi
work=$(mktemp -d /tmp/sluice-bench-files-XXXXXX)
trap 'rm -rf "$work"' EXIT
ln -s "$source_csv" "$work/prices.csv"
csv="$work/prices.csv"
csv_bytes=$(stat -L -c %s "$csv")
cores=$(nproc)
echo "input: $source_csv ($rows rows, $csv_bytes bytes), $cores cores"

# Wall seconds of one run (standard output to /dev/null unless the command redirects it itself); its CPU seconds
# (user + system) are left in $work/cpu.txt.
seconds() {
  /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >/dev/null
  read -r wall user system <"$work/time.txt"
  python3 -c "print(round($user + $system, 2))" >"$work/cpu.txt"
  echo "$wall"
}
# The best wall seconds of three runs, and that run's CPU seconds: "WALL CPU".
best3() {
  local best="" best_cpu=""
  for _ in 1 2 3; do
    local s
    s=$(seconds "$@")
    if [ -z "$best" ] || python3 -c "import sys; sys.exit(0 if $s < $best else 1)"; then
      best=$s
      best_cpu=$(cat "$work/cpu.txt")
    fi
  done
  echo "$best $best_cpu"
}
ratio() { python3 -c "print(round($1/$2, 3))"; }
per_second() { python3 -c "print(int($1/$2))"; }

echo "== 0. serialise CSV -> JSONL once (uncompressed; the peers' input)"
jsonl="$work/peer.jsonl"
read -r serialise_s serialise_cpu < <(best3 "$bench" convert "$csv" "$jsonl")
echo "convert_csv_to_jsonl_seconds=$serialise_s cpu=$serialise_cpu jsonl_bytes=$(stat -c %s "$jsonl")"

echo "== 1. CSV -> JSONL.gz (level 6) against pigz -6 -p $cores on the JSONL"
read -r sluice_gz_s sluice_gz_cpu < <(best3 "$bench" convert "$csv" "$work/out.jsonl.gz")
read -r pigz_s pigz_cpu < <(best3 sh -c 'exec pigz -6 -p "$1" -c "$2" >"$3"' sh "$cores" "$jsonl" "$work/peer.jsonl.pigz.gz")
gzip_s=$(seconds sh -c 'exec gzip -6 -c "$1" >"$2"' sh "$jsonl" "$work/peer.jsonl.gzip.gz")
gzip_cpu=$(cat "$work/cpu.txt")
gzip -t "$work/out.jsonl.gz"
cmp <(gzip -dc "$work/out.jsonl.gz") "$jsonl"
echo "sluice_jsonl_gz_seconds=$sluice_gz_s cpu=$sluice_gz_cpu bytes=$(stat -c %s "$work/out.jsonl.gz")"
echo "pigz_seconds=$pigz_s cpu=$pigz_cpu bytes=$(stat -c %s "$work/peer.jsonl.pigz.gz")"
echo "gzip_single_thread_seconds=$gzip_s cpu=$gzip_cpu bytes=$(stat -c %s "$work/peer.jsonl.gzip.gz")"
echo "ratio_sluice_over_pigz=$(ratio "$sluice_gz_s" "$pigz_s") (goal <= 1.3)"

echo "== 2. CSV -> JSONL.bz2 (level 9) against bzip2 -9 on the JSONL"
read -r sluice_bz_s sluice_bz_cpu < <(best3 "$bench" convert "$csv" "$work/out.jsonl.bz2")
read -r bzip2_s bzip2_cpu < <(best3 sh -c 'exec bzip2 -9 -c "$1" >"$2"' sh "$jsonl" "$work/peer.jsonl.bz2")
bzip2 -t "$work/out.jsonl.bz2"
cmp <(bzip2 -dc "$work/out.jsonl.bz2") "$jsonl"
echo "sluice_jsonl_bz2_seconds=$sluice_bz_s cpu=$sluice_bz_cpu bytes=$(stat -c %s "$work/out.jsonl.bz2")"
echo "bzip2_seconds=$bzip2_s cpu=$bzip2_cpu bytes=$(stat -c %s "$work/peer.jsonl.bz2")"
echo "ratio_sluice_over_bzip2=$(ratio "$sluice_bz_s" "$bzip2_s") (goal <= 0.6)"

echo "== 3. CSV -> CSV.zst and CSV -> CSV.lz4, rows per second (goal >= 1000000)"
read -r plain_s plain_cpu < <(best3 "$bench" convert "$csv" "$work/plain.csv")
echo "csv_uncompressed_seconds=$plain_s cpu=$plain_cpu rows_per_second=$(per_second "$rows" "$plain_s")"
for codec in zst lz4; do
  read -r codec_s codec_cpu < <(best3 "$bench" convert "$csv" "$work/out.csv.$codec")
  echo "csv_${codec}_seconds=$codec_s cpu=$codec_cpu rows_per_second=$(per_second "$rows" "$codec_s")"
done
zstd -t -q "$work/out.csv.zst"
lz4 -t -q "$work/out.csv.lz4"
cmp <(zstd -dc "$work/out.csv.zst") "$work/plain.csv"
cmp <(lz4 -dc "$work/out.csv.lz4") "$work/plain.csv"

echo "== 4. size and time per format and codec (one run each; % of the uncompressed CSV input)"
printf '%-6s %-6s %12s %8s %8s %8s\n' format codec bytes percent seconds cpu
for format in csv tsv json jsonl; do
  for codec in none gz bz2 lz4 zst; do
    out="$work/table.$format"
    [ "$codec" = none ] || out="$out.$codec"
    s=$(seconds "$bench" convert "$csv" "$out")
    bytes=$(stat -c %s "$out")
    printf '%-6s %-6s %12d %7.1f%% %8s %8s\n' "$format" "$codec" "$bytes" \
      "$(python3 -c "print($bytes * 100 / $csv_bytes)")" "$s" "$(cat "$work/cpu.txt")"
    rm -f "$out"
  done
done
