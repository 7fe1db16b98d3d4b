#!/usr/bin/env bash
# Warm A/B of promkit jars against Prometheus 2.42 over HTTP on the range-query data: starts Prometheus and
# every jar on copies of run.sh's blocks, then sends the same query to each server in turn (order alternating,
# a new connection per request, as bench_queries.py), and prints per server the median / min / p90 wall time
# and the server's CPU time per request (utime+stime of the process). Not part of CI.
#
# usage: benchmarks/rangequery/ab.sh [--data DIR] [--work DIR] [--n N] NAME=JAR ...
#   --data DIR  where run.sh left prom-data and ours-data (default /tmp/rangequery; only read)
#   --work DIR  scratch directory for the copies and logs (default: a new temporary directory)
#   --n N       rounds for a_one (default 2000; a_hundred and count get N/20)
# e.g. benchmarks/rangequery/ab.sh main=/tmp/main.jar branch=server/target/promkit.jar
# Ports: AB_PORT (default 19490) for Prometheus, the jars on the next ones.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=/tmp/rangequery
WORK=""
N=2000
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --n) N=$2; shift 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--data DIR] [--work DIR] [--n N] NAME=JAR ..." >&2; exit 2; }
WORK=${WORK:-$(mktemp -d /tmp/rangequery-ab.XXXXXX)}
PORT=${AB_PORT:-19490}
mkdir -p "$WORK"
cd "$WORK"
rm -rf prom-data && cp -r "$DATA/prom-data" prom-data
rm -rf prom-data/wal prom-data/lock prom-data/chunks_head prom-data/queries.active
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > empty.yml
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
prometheus --config.file=empty.yml --storage.tsdb.path=prom-data --storage.tsdb.retention.time=100y \
  --web.listen-address=127.0.0.1:$PORT > prometheus.log 2>&1 &
PIDS+=($!)
SERVERS=("prom=$PORT:$!")
p=$PORT
for nj in "$@"; do
  name=${nj%%=*}; jar=${nj#*=}; p=$((p + 1))
  rm -rf "data-$name" && cp -r "$DATA/ours-data" "data-$name" && rm -rf "data-$name/wal" "data-$name/lock"
  java -jar "$jar" --config.file=empty.yml --storage.tsdb.path="data-$name" --storage.tsdb.retention.time=100y \
    --web.listen-address=127.0.0.1:$p > "$name.log" 2>&1 &
  PIDS+=($!)
  SERVERS+=("$name=$p:$!")
done
for s in "${SERVERS[@]}"; do
  port=${s#*=}; port=${port%%:*}
  for i in $(seq 1 240); do curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null && break; sleep 0.5; done
done
echo "== $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
python3 "$HERE/ab_loop.py" "$N" "${SERVERS[@]}"
python3 "$HERE/ab_loop.py" "$N" "${SERVERS[@]}"
EXPR=a_hundred python3 "$HERE/ab_loop.py" $((N / 20)) "${SERVERS[@]}"
EXPR='count({__name__!=""})' STEPS=1 python3 "$HERE/ab_loop.py" $((N / 20)) "${SERVERS[@]}"
echo "== $(date -u +%FT%TZ) load $(cut -d' ' -f1-3 /proc/loadavg)"
