# Sourced by the benchmark scripts: ROWS from the first argument (default 1,000,000), the bench-data folder, the
# release builds of sluice and SluiceBenchmarks, and `ratio A B` (A/B to three places).
rows="${1:-1000000}"
work="$PWD/bench-data"
mkdir -p "$work"
swift build -c release --product sluice >/dev/null
swift build -c release --product SluiceBenchmarks >/dev/null
sluice="$PWD/.build/release/sluice"
bench="$PWD/.build/release/SluiceBenchmarks"
ratio() { python3 -c "print(round($1/$2, 3))"; }
