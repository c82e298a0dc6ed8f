#!/usr/bin/python3
"""bench/web_bench.py REPS PGHOST PGPORT BENCHDB ROWS -- the timing half of bench/web_bench.sh.

For each database (BENCHDB_demo: the demo logs; BENCHDB_small: 2,000 synthetic benchmarks;
BENCHDB: ROWS synthetic benchmarks) it starts
web/app.py on it and times, alternately, REPS times after a warm-up:
  direct: the statement the app runs for the request, `SELECT dlpg.chart(x_axis => $1, ...)`,
          over psycopg on one open connection, as the same role, with the same session options
  server: GET /api/chart?<the same arguments>: the request's time at the server, from the WSGI
          call to the response built (Server-Timing "total", web/app.py's ServerTiming); the
          ratio server / direct is the figure (target <= 1.2)
  http:   the same request as this client sees it over loopback on a kept-alive connection, as
          a browser sends it (werkzeug's threaded HTTP server and http.client included)
and prints the medians, and the app's own db (the statement as the app timed it) and app (the
handler) times. Then the sizes of the page's files beside the vendored Vega builds, raw and
gzipped.
"""
import gzip
import http.client
import os
import re
import statistics
import subprocess
import sys
import time
import urllib.parse

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.join(ROOT, "web"))
import psycopg  # noqa: E402
from app import CHART_ARGS, EXTRA_CHART_ARGS, _call  # noqa: E402  -- the app's own statement

TARGET = 1.2
ARGS = {"x_axis": "model", "y_axis": "throughput", "filters": '{"phase":"training"}', "group_by": "precision",
        "format": "vega-lite"}


def bench(db, reps, host, port):
    dsn = "host=%s port=%s dbname=%s user=dlpg_web_bench" % (host, port, db)
    app = subprocess.Popen([sys.executable, os.path.join(ROOT, "web", "app.py"), "--port", "0"],
                           env=dict(os.environ, DLPG_WEB_DSN=dsn), stdout=subprocess.PIPE,
                           stderr=subprocess.DEVNULL, text=True)
    try:
        m = re.match(r"dlpg-web: serving http://127.0.0.1:(\d+)/", app.stdout.readline())
        if not m:
            raise SystemExit("web_bench: the app did not start")
        app_port = int(m.group(1))
        used = [(n, t) for n, t in CHART_ARGS + EXTRA_CHART_ARGS if n in ARGS or n == "x_axis"]
        sql = "SELECT %s" % _call("chart", used)
        values = [ARGS.get(n) for n, _ in used]
        path = "/api/chart?" + urllib.parse.urlencode(ARGS)
        conn = psycopg.connect(dsn, autocommit=True, application_name="dlpg-web-bench",
                               options="-c default_transaction_read_only=on -c statement_timeout=10000")
        direct, http_ms, db_ms, app_ms, total_ms = [], [], [], [], []
        size = None
        h = http.client.HTTPConnection("127.0.0.1", app_port, timeout=60)
        for rep in range(reps + 1):
            t0 = time.perf_counter()
            text = conn.execute(sql, values).fetchone()[0]
            t1 = time.perf_counter()
            h.request("GET", path)
            r = h.getresponse()
            body = r.read()
            t2 = time.perf_counter()
            if r.status != 200 or body.decode() != text:
                raise SystemExit("web_bench: the app's answer differs from dlpg.chart's (%d)" % r.status)
            timing = dict(re.findall(r"(\w+);dur=([\d.]+)", r.getheader("Server-Timing", "")))
            if rep > 0:
                direct.append((t1 - t0) * 1000)
                http_ms.append((t2 - t1) * 1000)
                db_ms.append(float(timing["db"]))
                app_ms.append(float(timing["app"]))
                total_ms.append(float(timing["total"]))
            size = len(body)
        h.close()
        conn.close()
        points = text.count('"series":')
        med = statistics.median
        return dict(direct=med(direct), http=med(http_ms), db=med(db_ms), app=med(app_ms), total=med(total_ms),
                    min_ratio=min(total_ms) / min(direct), size=size, points=points)
    finally:
        app.terminate()
        app.wait()


def main():
    reps, host, port, benchdb, rows = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
    with psycopg.connect(host=host, port=port, dbname=benchdb) as c:
        version = c.execute("SHOW server_version").fetchone()[0]
    print("dlpg web benchmark, %s, PostgreSQL %s" % (time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), version))
    print("request: GET /api/chart?%s" % urllib.parse.urlencode(ARGS))
    print("direct: the app's statement over psycopg; server: the request at the server (Server-Timing total);")
    print("db, app: the statement and the handler as the app times them; http: the request seen by a client")
    print("over loopback, kept alive; medians of %d runs after a warm-up; min ratio: fastest server / fastest direct" % reps)
    print()
    print("%-29s %6s %6s %9s %9s %8s %6s %7s %-6s %7s %7s %7s %9s" % (
        "data", "points", "bytes", "direct ms", "server ms", "added ms", "ratio", "target", "result", "db ms",
        "app ms", "http ms", "min ratio"))
    for label, db in (("demo logs (17 benchmarks)", benchdb + "_demo"),
                      ("synthetic (2000 benchmarks)", benchdb + "_small"),
                      ("synthetic (%d benchmarks)" % rows, benchdb)):
        r = bench(db, reps, host, port)
        ratio = r["total"] / r["direct"]
        print("%-29s %6d %6d %9.2f %9.2f %8.2f %6.3f %7s %-6s %7.2f %7.2f %7.2f %9.3f" % (
            label, r["points"], r["size"], r["direct"], r["total"], r["total"] - r["direct"], ratio, "<= %.1f" % TARGET,
            "met" if ratio <= TARGET else "MISSED", r["db"], r["app"], r["http"], r["min_ratio"]))
    print()
    print("the page's files beside Vega's (bytes; gzip -9 as a server or proxy would send them):")
    static = os.path.join(ROOT, "web", "static")
    own = ["index.html", "guide.js", "guide.css"]
    vendor = ["vendor/vega.min.js", "vendor/vega-lite.min.js", "vendor/vega-embed.min.js"]
    totals = {}
    for group, files in (("page", own), ("vega", vendor)):
        for f in files:
            data = open(os.path.join(static, f), "rb").read()
            z = len(gzip.compress(data, 9))
            totals.setdefault(group, [0, 0])
            totals[group][0] += len(data)
            totals[group][1] += z
            print("  %-26s %9d %9d" % (f, len(data), z))
    print("  %-26s %9d %9d" % ("page total", *totals["page"]))
    print("  %-26s %9d %9d" % ("vega total", *totals["vega"]))
    print("  page / vega: %.1f%% (raw), %.1f%% (gzip)" % (100.0 * totals["page"][0] / totals["vega"][0],
                                                         100.0 * totals["page"][1] / totals["vega"][1]))


main()
