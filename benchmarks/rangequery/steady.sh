#!/usr/bin/env bash
# Steady-state variant of run.sh's query phase: both servers on already backfilled blocks, then
# bench_queries.py with --reps so that the whole list runs twice (the first rep warms our JVM's JIT;
# Prometheus needs none). Prints per-query medians with each rep's median; compare the last rep.
#
# usage: benchmarks/rangequery/steady.sh [--work DIR] [--runs N] [--reps R]
#   DIR must hold prom-data and ours-data from an earlier run.sh (default /tmp/rangequery).
#   PROM_PORT / OURS_PORT / PROMKIT_JAR as for run.sh.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=/tmp/rangequery
RUNS=5
REPS=2
RQ=${RANGEQUERY_DIR:-/work/shared/bench/rangequery}
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --reps) REPS=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
PROM_PORT=${PROM_PORT:-19290}
OURS_PORT=${OURS_PORT:-19291}
JAR=${PROMKIT_JAR:-$ROOT/server/target/promkit.jar}
END=1795564791
cd "$WORK"
mkdir -p results-steady
printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > empty.yml
rm -rf prom-data/wal prom-data/lock ours-data/wal ours-data/lock prom-data/chunks_head prom-data/queries.active
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
prometheus --config.file=empty.yml --storage.tsdb.path=prom-data --storage.tsdb.retention.time=100y \
  --web.listen-address=127.0.0.1:$PROM_PORT > results-steady/prometheus.log 2>&1 &
PIDS+=($!)
java -jar "$JAR" --config.file=empty.yml --storage.tsdb.path=ours-data --storage.tsdb.retention.time=100y \
  --web.listen-address=127.0.0.1:$OURS_PORT > results-steady/ours.log 2>&1 &
PIDS+=($!)
for port in $PROM_PORT $OURS_PORT; do
  for i in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null; then break; fi
    sleep 0.5
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== promkit ($JAR)"
python3 "$RQ/bench_queries.py" --url http://127.0.0.1:$OURS_PORT --end $END --label ours --runs "$RUNS" \
  --reps "$REPS" --results-dir results-steady | tail -23
echo "== Prometheus 2.42"
python3 "$RQ/bench_queries.py" --url http://127.0.0.1:$PROM_PORT --end $END --label prom --runs "$RUNS" \
  --reps "$REPS" --results-dir results-steady | tail -23
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
