#!/usr/bin/env bash
# The side-by-side with Prometheus on the range-query workload (issue 8): backfill the same
# OpenMetrics file with promtool and with promkit, start Prometheus 2.42 and the promkit server on the
# blocks, time the 22 queries through both HTTP APIs in one run, compare the answers, and write a
# Markdown summary. Takes ~10 minutes on 2 cores; not part of CI.
#
# usage: benchmarks/rangequery/run.sh [--work DIR] [--runs N] [--skip-backfill] [--figures FILE]
#   --work DIR       scratch directory (default /tmp/rangequery): rangequery.om (~660 MB), data dirs, results
#   --runs N         timed runs per query after 1 warm-up (default 7, as the reference figures)
#   --skip-backfill  reuse DIR/prom-data and DIR/ours-data from an earlier run (rangequery.om not needed)
#   --figures FILE   also copy the summary there
# Needs: python3, java 17+, promtool and prometheus 2.42 on PATH, the shared workload scripts
# (RANGEQUERY_DIR, default /work/shared/bench/rangequery) and server/target/promkit.jar (built if missing;
# PROMKIT_JAR=FILE runs another jar, e.g. a copy while the tree is rebuilt).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=/tmp/rangequery
RUNS=7
SKIP_BACKFILL=0
FIGURES=""
RQ=${RANGEQUERY_DIR:-/work/shared/bench/rangequery}
while [ $# -gt 0 ]; do
  case "$1" in
    --work) WORK=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    --skip-backfill) SKIP_BACKFILL=1; shift ;;
    --figures) FIGURES=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
START=1795478401
END=1795564791
PROM_PORT=${PROM_PORT:-19290}
OURS_PORT=${OURS_PORT:-19291}
JAR=${PROMKIT_JAR:-$ROOT/server/target/promkit.jar}
mkdir -p "$WORK/results"
cd "$WORK"

if [ ! -f "$JAR" ]; then
  (cd "$ROOT" && mvn -B -q -o -pl server -am package -DskipTests)
fi
if [ $SKIP_BACKFILL = 0 ] && [ ! -f rangequery.om ]; then
  python3 "$RQ/gen_rangequery.py" --start $START --out rangequery.om
fi

# "wall user sys" seconds of a command (JVM start-up included for ours); its stdout goes to file $1
timed() { local out=$1; shift; /usr/bin/time -f "%e %U %S" -o "$out.time" "$@" > "$out"; cat "$out.time"; }

if [ $SKIP_BACKFILL = 0 ]; then
  rm -rf prom-data ours-data
  echo "== backfill: promtool"
  read -r PW PU PS < <(timed results/backfill-promtool.txt \
    promtool tsdb create-blocks-from openmetrics --max-block-duration=24h rangequery.om prom-data)
  echo "== backfill: promkit"
  read -r OW OU OS < <(timed results/backfill-ours.txt \
    java -jar "$JAR" tsdb create-blocks-from openmetrics --max-block-duration=24h rangequery.om ours-data)
  cat results/backfill-promtool.txt results/backfill-ours.txt
  echo "{\"promtool_s\": $PW, \"promtool_cpu_s\": $(python3 -c "print($PU+$PS)"), \"ours_s\": $OW," \
    "\"ours_cpu_s\": $(python3 -c "print($OU+$OS)"), \"loadavg\": \"$(cut -d' ' -f1-3 /proc/loadavg)\"}" \
    > results/backfill-times.json
fi

printf 'global:\n  scrape_interval: 1h\nscrape_configs: []\n' > empty.yml
rm -rf prom-data/wal prom-data/lock ours-data/wal ours-data/lock prom-data/chunks_head prom-data/queries.active
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
prometheus --config.file=empty.yml --storage.tsdb.path=prom-data --storage.tsdb.retention.time=100y \
  --web.listen-address=127.0.0.1:$PROM_PORT > results/prometheus.log 2>&1 &
PIDS+=($!)
java -jar "$JAR" --config.file=empty.yml --storage.tsdb.path=ours-data --storage.tsdb.retention.time=100y \
  --web.listen-address=127.0.0.1:$OURS_PORT > results/ours.log 2>&1 &
PIDS+=($!)
for port in $PROM_PORT $OURS_PORT; do
  for i in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$port/-/ready" > /dev/null; then break; fi
    sleep 0.5
  done
done

rm -rf answers-prom answers-ours
echo "== queries: Prometheus 2.42"
python3 "$RQ/bench_queries.py" --url http://127.0.0.1:$PROM_PORT --end $END --label prom --runs "$RUNS" \
  --answers-dir answers-prom --results-dir results | tail -23
echo "== queries: promkit"
python3 "$RQ/bench_queries.py" --url http://127.0.0.1:$OURS_PORT --end $END --label ours --runs "$RUNS" \
  --answers-dir answers-ours --results-dir results | tail -23
cleanup

echo "== answers: promkit vs Prometheus 2.42's reference answers"
python3 "$RQ/compare_answers.py" "$RQ/prometheus-answers" answers-ours > results/compare-ours.txt || true
cut -c1-220 results/compare-ours.txt
python3 "$RQ/compare_answers.py" "$RQ/prometheus-answers" answers-prom > results/compare-prom.txt || true
python3 "$ROOT/benchmarks/rangequery/summarize.py" "$WORK" > results/summary.md
cat results/summary.md
if [ -n "$FIGURES" ]; then cp results/summary.md "$FIGURES"; fi
