#!/usr/bin/python3
# test/web/api.t -- the web Guide's /api endpoints (web/app.py) against dlpg's own answers:
# every endpoint returns exactly what its dlpg function returns for the same arguments; dlpg's
# errors come back as HTTP 400 with their SQLSTATE, message and the argument at fault; request
# input never becomes SQL text (injection attempts are values dlpg refuses, and nothing
# changes); size limits; a role that could write dlpg's tables is refused; 127.0.0.1 by default.
# TAP output: prove test/web/api.t (needs PGHOST/PGPORT/PGUSER of a superuser, see weblib.py)
import csv
import io
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import weblib  # noqa: E402

Q = urllib.parse.urlencode


def main(tap):
    g = weblib.Guide(tap)
    c = g.conn
    tap.ok(g.url.startswith("http://127.0.0.1:"), "listens on 127.0.0.1 by default: " + g.url)

    # ---- the axis views, row for row ----------------------------------------------------------
    for path, sql in (("/api/x_axes", "SELECT name, label, description, ord FROM dlpg.x_axes ORDER BY ord"),
                      ("/api/y_axes", "SELECT name, label, unit, better FROM dlpg.y_axes"),
                      ("/api/axis_defs", "SELECT name, label, description, ord, kind, x_axis FROM dlpg.axis_defs() ORDER BY ord"),
                      ("/api/axis_values", "SELECT axis, value, label, n, rank FROM dlpg.axis_values ORDER BY axis, rank"),
                      ("/api/axis_values?axis=precision",
                       "SELECT axis, value, label, n, rank FROM dlpg.axis_values WHERE axis = 'precision' ORDER BY rank")):
        status, body = g.get_json(path)
        cur = c.execute(sql)
        cols = [d.name for d in cur.description]
        expected = [dict(zip(cols, r)) for r in cur.fetchall()]
        tap.ok(status == 200 and body == expected and len(body) > 0,
               "%s equals dlpg's rows (%d)" % (path, len(expected)), "got %s %r" % (status, body)[:2000])

    # ---- series, chart, series_query: the same answers as dlpg's functions -------------------
    cases = [
        dict(x_axis="model", y_axis="throughput", filters='{"phase": "training"}', group_by="precision"),
        dict(x_axis="replica_batch", y_axis="batch_time", filters='{"framework": "TensorFlow-nvtfcnn"}', agg="avg",
             group_by="model"),
        dict(x_axis="model", filters='{"processing_unit": "NVIDIA H200"}', series_name="H200"),
        dict(x_axis="model", filters='{"phase": "inference", "model": "nothing"}'),
    ]
    for args in cases:
        rows, notices = g.series(args["x_axis"], args.get("y_axis", "throughput"), args.get("filters", "{}"),
                                 args.get("agg", "best"), args.get("group_by"), args.get("series_name"))
        status, body = g.get_json("/api/series?" + Q(args))
        tap.ok(status == 200 and body["rows"] == rows, "/api/series?%s: %d rows equal dlpg.series'" % (Q(args), len(rows)),
               "got %s %r" % (status, body), "expected %r" % rows)
        tap.eq([n["message"] for n in body.get("notices", [])], notices, "  its NOTICEs are dlpg.series' own")
        status, hdr, text = g.get("/api/series.csv?" + Q(args))
        got = list(csv.DictReader(io.StringIO(text.decode())))
        want = [{k: "" if v is None else "{%s}" % ",".join(v) if isinstance(v, list) else
                 repr(v) if isinstance(v, float) else str(v) for k, v in r.items()} for r in rows]
        tap.ok(status == 200 and got == want and hdr["Content-Type"].startswith("text/csv"),
               "  /api/series.csv: the same rows as CSV", text.decode()[:1000])
        sq = c.execute("SELECT dlpg.series_query(%s, %s, %s::jsonb, %s, %s, %s)",
                       (args["x_axis"], args.get("y_axis", "throughput"), args.get("filters", "{}"),
                        args.get("agg", "best"), args.get("group_by"), args.get("series_name"))).fetchone()[0]
        status, body = g.get_json("/api/series_query?" + Q(args))
        tap.ok(status == 200 and body == {"sql": sq}, "  /api/series_query: dlpg.series_query's text")
        for fmt, ctype in (("vega-lite", "application/json"), ("svg", "image/svg+xml")):
            chart = c.execute("SELECT dlpg.chart(%s, %s, %s::jsonb, %s, %s, %s, %s)",
                              (args["x_axis"], args.get("y_axis", "throughput"), args.get("filters", "{}"),
                               args.get("agg", "best"), args.get("group_by"), args.get("series_name"), fmt)).fetchone()[0]
            status, hdr, text = g.get("/api/chart?" + Q(dict(args, format=fmt)))
            tap.ok(status == 200 and text.decode() == chart and hdr["Content-Type"].startswith(ctype),
                   "  /api/chart format=%s: dlpg.chart's document, byte for byte, as %s" % (fmt, ctype))
            tap.ok(hdr.get("Server-Timing", "").startswith("db;dur="), "  Server-Timing header: " + hdr.get("Server-Timing", ""))
    # the format is read as dlpg.chart reads it, whatever its case: Vega-Lite is JSON, not SVG
    status, hdr, text = g.get("/api/chart?" + Q(dict(x_axis="model", format="Vega-Lite")))
    tap.ok(status == 200 and hdr["Content-Type"].startswith("application/json")
           and "vl.json" in hdr.get("Content-Disposition", "") and text.decode().lstrip().startswith("{"),
           "/api/chart format=Vega-Lite: served as JSON, named .vl.json (the format's case does not matter)")
    # dlpg's defaults hold for absent arguments: /api/chart without format is dlpg.chart's SVG
    status, _, text = g.get("/api/chart?x_axis=model")
    tap.eq(text.decode(), c.execute("SELECT dlpg.chart('model')").fetchone()[0],
           "/api/chart?x_axis=model: dlpg's defaults for the absent arguments (y throughput, best, svg)")
    status, _, text = g.get("/api/chart?" + Q(dict(x_axis="replica_batch", filters='{"phase": "training"}',
                                                   error_bars="true", format="vega-lite")))
    tap.ok(status == 200 and '"lo"' in text.decode(), "/api/chart error_bars=true: the spec has lo/hi")

    # ---- errors: HTTP 400, dlpg's SQLSTATE and message, the argument at fault ----------------
    bad = [
        (dict(x_axis="model", y_axis="latency"), "y_axis"),
        (dict(x_axis="colour"), "x_axis"),
        (dict(y_axis="throughput"), "x_axis"),
        (dict(x_axis="model", agg="mode"), "agg"),
        (dict(x_axis="model", group_by="colour"), "group_by"),
        (dict(x_axis="model", group_by="precision", series_name="mine"), "series_name"),
        (dict(x_axis="model", filters='{"gpu": "H200"}'), "filters"),
        (dict(x_axis="model", filters='{"scaling": "weak"}'), "filters.scaling"),
        (dict(x_axis="model", filters='{"batch_size": 32}'), "filters.batch_size"),
        (dict(x_axis="model", filters='{"phase": {"a": 1}}'), "filters.phase"),
        (dict(x_axis="model", filters='["phase"]'), "filters"),
        (dict(x_axis="model", filters='{"phase": "training"'), "filters"),
    ]
    for args, param in bad:
        sqlstate, message = g.error_of(
            "SELECT * FROM dlpg.series(%s, %s, %s::jsonb, %s, %s, %s)",
            (args.get("x_axis"), args.get("y_axis", "throughput"), args.get("filters", "{}"), args.get("agg", "best"),
             args.get("group_by"), args.get("series_name")))
        for ep in ("/api/series", "/api/chart"):
            status, body = g.get_json("%s?%s" % (ep, Q(args)))
            err = body.get("error", {})
            tap.ok(status == 400 and err.get("sqlstate") == sqlstate and err.get("message") == message
                   and err.get("param") == param and sqlstate is not None,
                   "%s?%s: 400, %s %s, param %s" % (ep, Q(args), sqlstate, (message or "")[:60], param),
                   "got %s %r" % (status, body))
    status, body = g.get_json("/api/chart?" + Q(dict(x_axis="model", format="png")))
    tap.ok(status == 400 and body["error"]["sqlstate"] == "22023" and body["error"]["param"] == "format",
           "/api/chart format=png: 400, 22023, param format", repr(body))
    status, body = g.get_json("/api/chart?" + Q(dict(x_axis="model", error_bars="maybe")))
    tap.ok(status == 400 and body["error"]["sqlstate"] == "22P02" and body["error"]["param"] == "error_bars",
           "/api/chart error_bars=maybe: 400, 22P02, param error_bars", repr(body))
    status, body = g.get_json("/api/series?" + Q(dict(x_axis="model", colour="red")))
    tap.ok(status == 400 and "unknown parameter" in body["error"]["message"], "an unknown parameter: 400", repr(body))
    status, body = g.get_json("/api/series?x_axis=model&x_axis=phase")
    tap.ok(status == 400 and body["error"]["param"] == "x_axis", "a repeated parameter: 400", repr(body))
    status, body = g.get_json("/api/nothing")
    tap.ok(status == 404 and "error" in body, "an unknown path: 404 as JSON")

    # ---- no SQL injection: request text is only ever a bound value ---------------------------
    before = c.execute("SELECT count(*), sum(hashtext(dedup_key)) FROM dlpg.benchmarks").fetchone()
    attacks = [
        dict(x_axis="model'); DROP TABLE dlpg.benchmarks; --"),
        dict(x_axis="model", y_axis="throughput' OR 1=1 --"),
        dict(x_axis="model", group_by="precision; DELETE FROM dlpg.benchmarks"),
        dict(x_axis="model", agg="max); DELETE FROM dlpg.benchmarks; --"),
        dict(x_axis="model", filters='{"model": "x\'); DELETE FROM dlpg.benchmarks; --"}'),
        dict(x_axis="model", filters="{}'::jsonb); DELETE FROM dlpg.benchmarks; --"),
        dict(x_axis="model", series_name="'); DELETE FROM dlpg.benchmarks; --"),
    ]
    for args in attacks:
        status, body = g.get_json("/api/series?" + Q(args))
        tap.ok(status in (200, 400) and (status == 200 or body["error"]["sqlstate"] in ("22023", "22P02")),
               "injection attempt is a value: %s -> %d %s" % (Q(args)[:70], status,
                                                              body.get("error", {}).get("sqlstate") if status != 200 else "rows"),
               repr(body)[:500])
    status, body = g.get_json("/api/axis_values?" + Q(dict(axis="x' OR '1'='1")))
    tap.ok(status == 200 and body == [], "/api/axis_values?axis=<injection>: no rows, it is a value")
    after = c.execute("SELECT count(*), sum(hashtext(dedup_key)) FROM dlpg.benchmarks").fetchone()
    tap.eq(after, before, "dlpg.benchmarks unchanged after the attempts")
    names = {r[0] for r in c.execute("SELECT query FROM pg_stat_activity WHERE application_name = 'dlpg-web'")}
    tap.ok(all("DELETE" not in q and "DROP" not in q for q in names),
           "the app's sessions ran only constant statements", repr(names))

    # ---- sizes and methods ---------------------------------------------------------------
    status, body = g.get_json("/api/series?" + Q(dict(x_axis="model", filters='{"model": "%s"}' % ("m" * 9000))))
    tap.ok(status == 414 and "limit 8192" in body["error"]["message"], "a query string over 8192 bytes: 414", repr(body)[:300])
    status, _, body = g.get("/api/series?x_axis=model", method="POST", data=b"x" * 10)
    tap.eq(status, 405, "POST: 405")
    status, _, body = g.get("/api/series?x_axis=model", method="GET", data=b"x" * 100)
    tap.eq(status, 413, "a GET with a body: 413")
    status, _, _ = g.get("/api/series?" + Q(dict(x_axis="model", filters='{"model": "%s"}' % ("m" * 8000))))
    tap.eq(status, 200, "a query string just under the limit is served")

    # ---- the session: read-only, statement_timeout, as the reader role -------------------------
    row = c.execute("SELECT count(*) FILTER (WHERE usename = %s), count(*) FROM pg_stat_activity"
                    " WHERE application_name = 'dlpg-web' AND datname = %s", (weblib.READER, g.db)).fetchone()
    tap.ok(row[0] >= 1 and row[0] == row[1], "the app's sessions are the reader role %s's (%d)" % (weblib.READER, row[0]))
    rc, out = g.start("postgres", expect_fail=True)
    tap.ok(rc != 0 and "refusing to serve as role postgres, which is a superuser" in out,
           "refuses to run as a superuser", out)
    with weblib.superuser(g.db) as s:
        s.execute("DROP ROLE IF EXISTS dlpg_web_writer")
        s.execute("CREATE ROLE dlpg_web_writer LOGIN IN ROLE dlpg_writer")
    rc, out = g.start("dlpg_web_writer", expect_fail=True)
    tap.ok(rc != 0 and "member of dlpg_writer" in out, "refuses to run as a dlpg_writer", out)
    with weblib.superuser(g.db) as s:
        s.execute("DROP ROLE dlpg_web_writer")
    env = dict(os.environ, DLPG_WEB_DSN=g.dsn(weblib.READER).replace("dbname=" + g.db, "dbname=postgres"))
    r = weblib.subprocess.run([weblib.PYTHON, os.path.join(weblib.ROOT, "web", "app.py"), "--port", "0"],
                              env=env, capture_output=True, text=True, timeout=60)
    tap.ok(r.returncode != 0 and "has no extension dlpg" in r.stderr, "a database without dlpg: refused, said so",
           r.stdout + r.stderr)
    # statement_timeout: a request waiting on a lock is cancelled after 300 ms, 57014 as HTTP 503
    url = g.start(weblib.READER, {"DLPG_WEB_STATEMENT_TIMEOUT": "300"})
    with weblib.superuser(g.db) as s:
        s.autocommit = False
        s.execute("LOCK TABLE dlpg.benchmarks IN ACCESS EXCLUSIVE MODE")
        old, g.url = g.url, url
        status, body = g.get_json("/api/series?x_axis=model")
        g.url = old
        s.rollback()
    tap.ok(status == 503 and body["error"]["sqlstate"] == "57014",
           "DLPG_WEB_STATEMENT_TIMEOUT=300: a request blocked on a lock is cancelled, 503 with 57014", repr(body))


weblib.run(main)
