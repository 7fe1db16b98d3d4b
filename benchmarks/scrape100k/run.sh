#!/usr/bin/env bash
# Scrape benchmark: one target with 100,000 series (100 counters x 1000 label sets), scraped every
# 5 s for 5 min by promkit.jar and, in the same run, by the real Prometheus. Prints, per server,
# scrape_duration_seconds of the target (average over the run and the last value) and resident
# memory per active series (process_resident_memory_bytes / prometheus_tsdb_head_series), each
# read through that server's own HTTP API, and the ratios ours / Prometheus'.
#
#   benchmarks/scrape100k/run.sh            # from the repository root, after
#                                           # mvn -B -pl server -am package -DskipTests
# Environment: DURATION (seconds, default 300), INTERVAL (default 5s), PROMETHEUS (default
# /usr/bin/prometheus), PROMKIT_JAR (default server/target/promkit.jar), PROMKIT_JAVA_OPTS (default:
# the flags server/README.md recommends), PROMKIT_ARGS (extra promkit flags, default none; e.g.
# --query.warmup=0), KEEP=1 keeps the temp dir.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${DURATION:-300}
INTERVAL=${INTERVAL:-5s}
PROMETHEUS=${PROMETHEUS:-/usr/bin/prometheus}
PROMKIT_JAR=${PROMKIT_JAR:-server/target/promkit.jar}
# The command line server/README.md gives for production use.
PROMKIT_ARGS=${PROMKIT_ARGS:-}
PROMKIT_JAVA_OPTS=${PROMKIT_JAVA_OPTS:-"-XX:+UseSerialGC -Xms64m -Xmn6m -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30 -XX:-ShrinkHeapInSteps -XX:MarkSweepDeadRatio=1 -XX:TrimNativeHeapInterval=5000"}
[ -x "$PROMETHEUS" ] || { echo "no Prometheus at $PROMETHEUS" >&2; exit 2; }
[ -f "$PROMKIT_JAR" ] || { echo "no $PROMKIT_JAR: mvn -B -pl server -am package -DskipTests" >&2; exit 2; }

TMP=$(mktemp -d /tmp/scrape100k.XXXXXX)
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  [ "${KEEP:-0}" = 1 ] && echo "kept $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
TPORT=$(free_port); OPORT=$(free_port); PPORT=$(free_port)

wait_http() { # url, seconds, log of the process behind it
  for _ in $(seq 1 $(( $2 * 10 ))); do curl -sf -o /dev/null "$1" && return 0; sleep 0.1; done
  echo "no answer from $1 within $2 s; its log:" >&2; tail -20 "$3" >&2; return 1
}

# The source launcher compiles Target.java first, and its first body (100k series) takes a while on a
# busy machine: 60 s was once not enough.
java -Xmx512m benchmarks/scrape100k/Target.java "$TPORT" >"$TMP/target.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$TPORT/metrics" 180 "$TMP/target.log"

config() { # own port
  cat <<YML
global:
  scrape_interval: $INTERVAL
  scrape_timeout: $INTERVAL
scrape_configs:
  - job_name: bench
    static_configs:
      - targets: ['127.0.0.1:$TPORT']
  - job_name: self
    static_configs:
      - targets: ['127.0.0.1:$1']
YML
}
config "$OPORT" >"$TMP/promkit.yml"
config "$PPORT" >"$TMP/prometheus.yml"

# shellcheck disable=SC2086
java $PROMKIT_JAVA_OPTS -jar "$PROMKIT_JAR" --config.file="$TMP/promkit.yml" \
  --storage.tsdb.path="$TMP/promkit-data" --web.listen-address="127.0.0.1:$OPORT" $PROMKIT_ARGS >"$TMP/promkit.log" 2>&1 &
PIDS+=($!)
"$PROMETHEUS" --config.file="$TMP/prometheus.yml" --storage.tsdb.path="$TMP/prometheus-data" \
  --web.listen-address="127.0.0.1:$PPORT" >"$TMP/prometheus.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$OPORT/-/ready" 120 "$TMP/promkit.log"
wait_http "http://127.0.0.1:$PPORT/-/ready" 120 "$TMP/prometheus.log"

START=$(date -u +%s)
echo "$(date -u '+%F %T') UTC: target :$TPORT ($(head -c 200 "$TMP/target.log" | tr -d '\n')), promkit :$OPORT, prometheus :$PPORT; running ${DURATION}s"
echo "promkit: java $PROMKIT_JAVA_OPTS -jar $PROMKIT_JAR $PROMKIT_ARGS"
# CPU seconds (user + system) each process used up to ready: start-up (and promkit's query warm-up).
cpu_s() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$1/stat"; }
echo "CPU s at ready: promkit $(cpu_s "${PIDS[1]}") prometheus $(cpu_s "${PIDS[2]}")"
sleep "$DURATION"

q() { # port, expr -> value of the single result (or "-")
  curl -sf --data-urlencode "query=$2" "http://127.0.0.1:$1/api/v1/query" \
    | jq -r 'if (.data.result|length)==1 then .data.result[0].value[1] else "-" end'
}
RANGE="$(( $(date -u +%s) - START ))s"
printf '%-46s %16s %16s %8s\n' measure promkit prometheus ratio
row() { # label, expr
  local o p
  o=$(q "$OPORT" "$2"); p=$(q "$PPORT" "$2")
  printf '%-46s %16s %16s %8s\n' "$1" "$o" "$p" \
    "$(awk -v o="$o" -v p="$p" 'BEGIN { if (o+0==o && p+0==p && p!=0) printf "%.3f", o/p; else print "-" }')"
}
row "scrape_duration_seconds avg over run" "avg_over_time(scrape_duration_seconds{job=\"bench\"}[$RANGE])"
row "scrape_duration_seconds avg after 1st minute" \
  "avg_over_time(scrape_duration_seconds{job=\"bench\"}[$(( $(date -u +%s) - START - 60 ))s])"
row "scrape_duration_seconds last" "scrape_duration_seconds{job=\"bench\"}"
row "scrape_duration_seconds max over run" "max_over_time(scrape_duration_seconds{job=\"bench\"}[$RANGE])"
row "scrapes of the target in the run" "count_over_time(up{job=\"bench\"}[$RANGE])"
row "up (last)" "up{job=\"bench\"}"
row "scrape_samples_scraped (last)" "scrape_samples_scraped{job=\"bench\"}"
row "prometheus_tsdb_head_series (last)" "prometheus_tsdb_head_series{job=\"self\"}"
row "process_resident_memory_bytes (last)" "process_resident_memory_bytes{job=\"self\"}"
row "process_resident_memory_bytes max over run" "max_over_time(process_resident_memory_bytes{job=\"self\"}[$RANGE])"
row "resident bytes per series (last)" \
  "process_resident_memory_bytes{job=\"self\"} / on(job, instance) prometheus_tsdb_head_series{job=\"self\"}"
row "resident bytes per series (avg, last minute)" \
  "avg_over_time(process_resident_memory_bytes{job=\"self\"}[1m]) / on(job, instance) avg_over_time(prometheus_tsdb_head_series{job=\"self\"}[1m])"
row "process_cpu_seconds_total (last)" "process_cpu_seconds_total{job=\"self\"}"
row "CPU s after the 1st minute (increase)" \
  "increase(process_cpu_seconds_total{job=\"self\"}[$(( $(date -u +%s) - START - 60 ))s])"
echo "RSS now (ps, KiB): promkit $(ps -o rss= -p "${PIDS[1]}") prometheus $(ps -o rss= -p "${PIDS[2]}")"
if command -v jcmd >/dev/null; then
  echo "promkit heap (jcmd GC.heap_info):"
  jcmd "${PIDS[1]}" GC.heap_info 2>/dev/null | sed -n '2,$p'
fi
