#!/usr/bin/env bash
# The Redis cache target through the product path, `sluice load … --into redis://`, against `redis-cli --pipe` fed a
# pre-generated file of the same commands (release build, servers on loopback started here):
#   1. 1 M keys price:SYMBOL:DATE, a JSON value of the row (~140 bytes), EX 300 — serialisation included for Sluice,
#      not for redis-cli (its file is generated before the clock starts);
#   2. the same as hashes (HSET of every column + EXPIRE);
#   3. the same load into a 3-node cluster: ops/s and the ratio to one node.
# Usage: Benchmarks/run-redis-load.sh [ROWS]   (default 1000000). Best and median of 3, alternating the two sides.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v redis-server >/dev/null && command -v redis-cli >/dev/null || bash scripts/install-system-deps.sh redis-server redis-tools
rows="${1:-1000000}"
work="$PWD/bench-data"
mkdir -p "$work"
swift build -c release --product sluice >/dev/null
sluice="$PWD/.build/release/sluice"
csv="$work/prices-$rows.csv"
[ -f "$csv" ] || "$sluice" sample ohlcv --rows "$rows" --symbols 500 --output "$csv"
scratch=$(mktemp -d /tmp/sluice-bench-redis-XXXXXX)
ports=()
cleanup() {
  for port in "${ports[@]}"; do redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$scratch"
}
trap cleanup EXIT
# A free port below 55536 (a cluster node also listens on its port + 10000).
free_port() {
  python3 -c '
import random, socket
while True:
    port = random.randint(20000, 50000)
    try:
        for offset in (0, 10000):
            s = socket.socket(); s.bind(("127.0.0.1", port + offset)); s.close()
        print(port); break
    except OSError: pass'
}
start_server() { # port dir [extra options]
  mkdir -p "$2"
  redis-server --port "$1" --bind 127.0.0.1 --save "" --appendonly no --dir "$2" --daemonize yes \
    --logfile "$2/log" "${@:3}" >/dev/null
  ports+=("$1")
  for _ in $(seq 100); do redis-cli -p "$1" ping >/dev/null 2>&1 && return; sleep 0.1; done
  echo "redis-server on port $1 did not start:" >&2; tail -3 "$2/log" >&2; exit 1
}

echo "input: $csv ($rows rows, $(du -m "$csv" | cut -f1) MB)"
# The peer's input: the very commands Sluice sends, values byte for byte as Sluice's JSON and hash encoders write them.
python3 - "$csv" "$scratch" <<'PY'
import csv, sys
source, scratch = sys.argv[1], sys.argv[2]
def bulk(b): return b"$%d\r\n%s\r\n" % (len(b), b)
def command(*words): return b"*%d\r\n" % len(words) + b"".join(bulk(w) for w in words)
with open(source) as f, open(scratch + "/set.resp", "wb") as sets, open(scratch + "/hash.resp", "wb") as hashes:
    rows = csv.reader(f)
    header = next(rows)
    for row in rows:
        values = dict(zip(header, row))
        key = ("price:%s:%s" % (values["symbol"], values["date"])).encode()
        json = '{"symbol":"%s","date":"%s","open":%s,"high":%s,"low":%s,"close":%s,"adj_close":%s,"volume":%s}' % (
            values["symbol"], values["date"], values["open"], values["high"], values["low"], values["close"],
            values["adj_close"], values["volume"])
        sets.write(command(b"SET", key, json.encode(), b"EX", b"300"))
        fields = [w for name in header for w in (name.encode(), values[name].encode())]
        hashes.write(command(b"HSET", key, *fields) + command(b"EXPIRE", key, b"300"))
PY
echo "redis-cli input: set.resp $(du -m "$scratch/set.resp" | cut -f1) MB, hash.resp $(du -m "$scratch/hash.resp" | cut -f1) MB"

seconds() { /usr/bin/time -f "%e" -o "$scratch/t" "$@" >/dev/null 2>"$scratch/err" || { cat "$scratch/err"; exit 1; }; cat "$scratch/t"; }
stats() { python3 -c "import sys,statistics; v=sorted(map(float,sys.argv[1:])); print(v[0], statistics.median(v))" "$@"; }
ratio() { python3 -c "print(round($1/$2, 3))"; }

port=$(free_port)
start_server "$port" "$scratch/single"
url="redis://127.0.0.1:$port/0"
load=("$sluice" load "$csv" --into "$url" --table prices --key symbol,date --strategy upsert
  --key-template 'price:{symbol}:{date}' --ttl 300)

compare() { # name pipe-file [sluice options]
  local name=$1 file=$2 ours=() theirs=()
  shift 2
  for _ in 1 2 3; do
    redis-cli -p "$port" flushall >/dev/null
    theirs+=("$(seconds sh -c "redis-cli -p $port --pipe <'$file'")")
    redis-cli -p "$port" flushall >/dev/null
    ours+=("$(seconds "${load[@]}" "$@")")
  done
  read -r our_best our_median < <(stats "${ours[@]}")
  read -r their_best their_median < <(stats "${theirs[@]}")
  echo "$name: sluice best $our_best s median $our_median s; redis-cli --pipe best $their_best s median $their_median s;" \
    "ratio best $(ratio "$our_best" "$their_best") median $(ratio "$our_median" "$their_median")"
}

echo "== 1. SET … EX 300 from the CSV (goal: sluice <= 1.1x redis-cli --pipe)"
compare "set" "$scratch/set.resp"
echo "keys after the last load: $(redis-cli -p "$port" dbsize) (rows + Sluice's own keys)"
echo "== 2. hashes: HSET every column + EXPIRE 300"
compare "hash" "$scratch/hash.resp" --value-format hash

echo "== 3. a 3-node cluster against one node, sluice load (SET … EX 300); the nodes share this machine's cores"
cluster=()
for node in 1 2 3; do
  p=$(free_port)
  start_server "$p" "$scratch/node$node" --cluster-enabled yes --cluster-config-file nodes.conf
  cluster+=("127.0.0.1:$p")
done
redis-cli --cluster create "${cluster[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
for address in "${cluster[@]}"; do
  until redis-cli -p "${address##*:}" cluster info | grep -q cluster_state:ok; do sleep 0.2; done
done
single=() clustered=()
for _ in 1 2 3; do
  redis-cli -p "$port" flushall >/dev/null
  single+=("$(seconds "${load[@]}")")
  for address in "${cluster[@]}"; do redis-cli -p "${address##*:}" flushall >/dev/null; done
  clustered+=("$(seconds "$sluice" load "$csv" --into "redis://${cluster[0]}/0?cluster=true" --table prices \
    --key symbol,date --strategy upsert --key-template 'price:{symbol}:{date}' --ttl 300)")
done
read -r single_best single_median < <(stats "${single[@]}")
read -r cluster_best cluster_median < <(stats "${clustered[@]}")
total=0
for address in "${cluster[@]}"; do total=$((total + $(redis-cli -p "${address##*:}" dbsize))); done
echo "cluster: best $cluster_best s ($(python3 -c "print(int($rows/$cluster_best))") ops/s) median $cluster_median s;" \
  "one node: best $single_best s ($(python3 -c "print(int($rows/$single_best))") ops/s) median $single_median s;" \
  "ratio (cluster/one node, ops/s, best) $(ratio "$single_best" "$cluster_best"); keys in the cluster: $total"
