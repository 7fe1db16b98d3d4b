#!/usr/bin/env python3
"""ab.sh's loop: the same range query (EXPR, default a_one; STEPS, default 1000) sent N times to each server in
turn, the order alternating every round, a new connection per request (urllib, as bench_queries.py).
usage: ab_loop.py N NAME=PORT[:PID] ... ; prints per server the median / min / p90 wall ms and, given the PID,
the server's CPU ms per request (utime+stime from /proc/PID/stat, JIT and GC threads included)."""
import sys, time, statistics, urllib.parse, urllib.request, os
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))
END = 1795564791
def url(port, expr, steps):
    p = {"query": expr, "start": str(END - (steps - 1) * 10), "end": str(END), "step": "10"}
    return "http://127.0.0.1:%d/api/v1/query_range?%s" % (port, urllib.parse.urlencode(p))
def cpu(pid):
    if not pid: return 0.0
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
n = int(sys.argv[1]); expr = os.environ.get("EXPR", "a_one"); steps = int(os.environ.get("STEPS", "1000"))
srv = []
for a in sys.argv[2:]:
    name, rest = a.split("=")
    port, _, pid = rest.partition(":")
    srv.append((name, int(port), int(pid) if pid else 0))
times = {s[0]: [] for s in srv}; c0 = {s[0]: cpu(s[2]) for s in srv}
for i in range(n):
    for name, port, pid in (srv if i % 2 == 0 else srv[::-1]):
        u = url(port, expr, steps)
        t0 = time.perf_counter()
        with OPENER.open(u, timeout=60) as r:
            b = r.read()
        times[name].append((time.perf_counter() - t0) * 1000)
print("expr=%s n=%d load=%s" % (expr, n, open("/proc/loadavg").read().split()[:3]))
for name, port, pid in srv:
    t = sorted(times[name])
    print("%-8s median %.3f  min %.3f  p90 %.3f ms   server cpu/req %.3f ms" % (name, statistics.median(t), t[0], t[int(len(t)*0.9)], (cpu(pid) - c0[name]) * 1000 / n))
