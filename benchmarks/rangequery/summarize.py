#!/usr/bin/env python3
"""Markdown summary of a benchmarks/rangequery/run.sh run: disk bytes per sample, backfill times,
per-query medians (ours vs Prometheus) and the answer comparison. usage: summarize.py WORK_DIR"""
import json
import os
import sys
import time

work = sys.argv[1]
res = os.path.join(work, "results")


def disk(d):
    chunks = index = other = samples = 0
    for b in sorted(os.listdir(d)):
        p = os.path.join(d, b)
        if not os.path.isfile(os.path.join(p, "meta.json")):
            continue
        samples += json.load(open(os.path.join(p, "meta.json")))["stats"]["numSamples"]
        for f in os.listdir(os.path.join(p, "chunks")):
            chunks += os.path.getsize(os.path.join(p, "chunks", f))
        index += os.path.getsize(os.path.join(p, "index"))
        other += os.path.getsize(os.path.join(p, "meta.json")) + os.path.getsize(os.path.join(p, "tombstones"))
    return samples, chunks, index, other


out = ["Run %s UTC; load average before the queries: %s." % (
    time.strftime("%Y-%m-%d %H:%M", time.gmtime()), open("/proc/loadavg").read().split()[0]), ""]
out.append("| on disk | samples | chunk bytes | index bytes | bytes/sample (chunks) | bytes/sample (chunks+index) |")
out.append("|---|---|---|---|---|---|")
for name, d in (("promtool 2.42", "prom-data"), ("promkit", "ours-data")):
    s, c, i, _ = disk(os.path.join(work, d))
    out.append("| %s | %d | %d | %d | %.3f | %.3f |" % (name, s, c, i, c / s, (c + i) / s))
bt = os.path.join(res, "backfill-times.json")
if os.path.exists(bt):
    t = json.load(open(bt))
    out += ["", "Backfill (`--max-block-duration=24h`, each a process, JVM start-up included; load average after: %s): "
            "promtool %.1f s wall / %.1f s CPU, promkit %.1f s wall / %.1f s CPU (%.1fx less wall time, %.1fx less CPU)."
            % (t.get("loadavg", "?"), t["promtool_s"], t.get("promtool_cpu_s", 0), t["ours_s"], t.get("ours_cpu_s", 0),
               t["promtool_s"] / t["ours_s"], t.get("promtool_cpu_s", 0) / max(t.get("ours_cpu_s", 1), 1e-9))]
o = json.load(open(os.path.join(res, "queries_ours.json")))
p = {q["n"]: q for q in json.load(open(os.path.join(res, "queries_prom.json")))["queries"]}
out += ["", "Medians of %d timed runs after 1 warm-up, HTTP end to end (bench_queries.py):" % o["runs"], "",
        "| # | query | steps | promkit ms | Prometheus ms | promkit/Prometheus |", "|---|---|---|---|---|---|"]
so = sp = 0.0
for q in o["queries"]:
    r = p[q["n"]]
    so += q["median_ms"]
    sp += r["median_ms"]
    out.append("| %d | `%s` | %d | %.1f | %.1f | %.2f |" % (q["n"], q["expr"].replace("|", "\\|"), q["steps"],
               q["median_ms"], r["median_ms"], q["median_ms"] / max(r["median_ms"], 1e-3)))
out.append("| | **sum of medians** | | **%.0f** | **%.0f** | **%.2f** |" % (so, sp, so / sp))
cmp_file = os.path.join(res, "compare-ours.txt")
if os.path.exists(cmp_file):
    out += ["", "Answers of promkit against Prometheus 2.42's reference answers (compare_answers.py):", "", "```"]
    out += [l[:200] for l in open(cmp_file).read().splitlines()]
    out += ["```"]
print("\n".join(out))
