#!/usr/bin/env bash
# Sluice's main job on the embedded default: generate a sample of daily market data, load it into
# ./sluice.sqlite with upsert, print the metrics and the recorded version, and verify the table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-system-deps.sh
swift build -c release --product sluice
sluice=".build/release/sluice"
rows="${ROWS:-100000}"
$sluice sample ohlcv --rows "$rows" --symbols 50 --output prices.csv.zst
$sluice inspect prices.csv.zst --no-count --sample 3
echo
$sluice load prices.csv.zst --table prices --key symbol,date --strategy upsert --validate positive-price,ohlc
echo
$sluice versions --table prices
echo
$sluice verify --table prices
