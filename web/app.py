#!/usr/bin/python3
"""dlpg's web Guide: the Deep Learning Performance Guide's page over dlpg's SQL functions.

The reference "application back end" of dlpg: every piece of logic stays in the database, and
this app only calls dlpg's functions with bound parameters and passes their answers on:

  /                      the page (static/index.html + static/guide.js): axes, filters, chart,
                         table, downloads, SQL; its state is its query string
  /api/x_axes            rows of dlpg.x_axes            /api/y_axes   rows of dlpg.y_axes
  /api/axis_defs         rows of dlpg.axis_defs()       (labels and kinds of the filters)
  /api/axis_values       rows of dlpg.axis_values       (?axis= for one axis)
  /api/series            rows of dlpg.series(...) and its NOTICEs, as JSON
  /api/series.csv        the same rows as CSV
  /api/series_query      dlpg.series_query(...): the SQL behind a chart
  /api/chart             dlpg.chart(...) as the document it is (SVG or Vega-Lite JSON)

The chart endpoints take exactly dlpg.chart's arguments as query parameters: x_axis, y_axis,
filters (JSON), agg, group_by, series_name (and format, error_bars for /api/chart). dlpg's
errors come back as HTTP 400 with {"error": {"sqlstate", "message", "detail", "hint", "param"}},
"param" naming the argument at fault, so the page shows the message next to that control.

Safe by default: listens on 127.0.0.1; refuses to run as a role that can write dlpg's tables
(it wants a login role with only dlpg_reader); every session is read-only with a
statement_timeout; requests have a size limit; and no SQL text is built from a request: the
statements below are constants, and a request only chooses which of dlpg's named arguments
are passed (names from a fixed list, so that an absent argument keeps dlpg's default) and their
bound values.

Configuration (environment): DLPG_WEB_DSN (libpq connection string; empty: the PG* variables),
DLPG_WEB_HOST (127.0.0.1), DLPG_WEB_PORT (8080), DLPG_WEB_STATEMENT_TIMEOUT (ms, 10000),
DLPG_WEB_MAX_QUERY (bytes of a query string, 8192), DLPG_WEB_POOL (connections, 4).
Run: /usr/bin/python3 web/app.py [--host H] [--port P] [--dsn DSN]
"""

import argparse
import csv
import io
import json
import os
import re
import sys
import time

import psycopg
import psycopg_pool
from flask import Flask, Response, jsonify, request, send_from_directory

HERE = os.path.dirname(os.path.abspath(__file__))
STATIC = os.path.join(HERE, "static")

# dlpg.chart's arguments, in its order, with the SQL type each is bound as. A request passes a
# subset; only those are named in the call, so dlpg's own defaults apply to the others.
CHART_ARGS = (("x_axis", "text"), ("y_axis", "text"), ("filters", "jsonb"), ("agg", "text"),
              ("group_by", "text"), ("series_name", "text"))
EXTRA_CHART_ARGS = (("format", "text"), ("error_bars", "boolean"))
SERIES_COLUMNS = ("series", "x", "x_rank", "y", "n", "x_value", "configs", "mixed")

# Which argument a dlpg error is about, from its message (src/series.c, src/chart.c): the page
# shows the message next to that control. The filter key, when the message names one, too.
ERROR_PARAMS = (
    (re.compile(r'^unknown x axis'), "x_axis"),
    (re.compile(r'^unknown y axis'), "y_axis"),
    (re.compile(r'^unknown aggregation method'), "agg"),
    (re.compile(r'^unknown group_by'), "group_by"),
    (re.compile(r'^series_name and group_by'), "series_name"),
    (re.compile(r'^unknown chart format'), "format"),
    (re.compile(r'^invalid scaling'), "filters.scaling"),
    (re.compile(r'^filter "([a-z_]+)"'), "filters.{0}"),
    (re.compile(r'^unknown filter key'), "filters"),
    (re.compile(r'^filters must be'), "filters"),
    (re.compile(r'^invalid input syntax for type json'), "filters"),
    (re.compile(r'^invalid input syntax for type boolean'), "error_bars"),
)


class BadRequest(Exception):
    """A request the app refuses before calling dlpg (unknown or repeated parameter)."""

    def __init__(self, message, param=None, status=400):
        super().__init__(message)
        self.message, self.param, self.status = message, param, status


def _call(function, args, extra=()):
    """The constant text of a call of dlpg.<function> with named, bound arguments.

    `args` are (name, type) pairs from CHART_ARGS/EXTRA_CHART_ARGS, never request text: the
    request's values go in as parameters. x_axis is always passed (NULL when absent), so that
    dlpg answers a missing one with its own message listing the valid axes."""
    parts = ["%s => %%s::%s" % (name, typ) for name, typ in args]
    return "dlpg.%s(%s)" % (function, ", ".join(parts))


def chart_arguments(allowed):
    """The request's arguments of a chart function: ([(name, type)], [values]).

    Unknown or repeated parameters are refused (a typo would silently draw another chart);
    an empty value counts as absent."""
    names = {name for name, _ in allowed}
    given = {}
    for key, vals in request.args.lists():
        if key not in names:
            raise BadRequest('unknown parameter "%s" (valid: %s)' % (key[:64], ", ".join(n for n, _ in allowed)),
                             param=None)
        if len(vals) > 1:
            raise BadRequest('parameter "%s" given more than once' % key, param=key)
        if vals[0] != "":
            given[key] = vals[0]
    used, values = [], []
    for name, typ in allowed:
        if name in given or name == "x_axis":
            used.append((name, typ))
            values.append(given.get(name))
    return used, values


def error_param(message):
    for pattern, param in ERROR_PARAMS:
        m = pattern.match(message)
        if m:
            return param.format(*m.groups())
    return None


def create_app(dsn=None, statement_timeout=None, pool_size=None, max_query=None, check_role=True):
    env = os.environ.get
    dsn = dsn if dsn is not None else env("DLPG_WEB_DSN", "")
    statement_timeout = int(statement_timeout or env("DLPG_WEB_STATEMENT_TIMEOUT", "10000"))
    pool_size = int(pool_size or env("DLPG_WEB_POOL", "4"))
    max_query = int(max_query or env("DLPG_WEB_MAX_QUERY", "8192"))

    app = Flask(__name__, static_folder=STATIC, static_url_path="/static")
    # Nothing is ever posted (a body is refused below); should anything read one, Flask stops at 1 kB.
    app.config["MAX_CONTENT_LENGTH"] = 1024
    app.config["JSON_SORT_KEYS"] = False

    # Every session: read-only, a statement timeout, a name in pg_stat_activity.
    options = "-c default_transaction_read_only=on -c statement_timeout=%d" % statement_timeout
    pool = psycopg_pool.ConnectionPool(
        dsn, min_size=1, max_size=pool_size, open=True, timeout=30,
        kwargs={"options": options, "application_name": "dlpg-web", "autocommit": True})
    app.config["DLPG_POOL"] = pool
    try:
        pool.wait(timeout=15)
    except psycopg_pool.PoolTimeout:
        pool.close()
        raise SystemExit("dlpg-web: cannot connect to the database (DLPG_WEB_DSN=%r): see the server's log "
                         "or try psql with the same connection string" % dsn)

    if check_role:
        check_reader_role(pool)

    @app.before_request
    def limit_size():
        if len(request.query_string) > max_query:
            return error_response(414, "URI too long: the query string has %d bytes (limit %d)"
                                  % (len(request.query_string), max_query))
        if request.method not in ("GET", "HEAD"):
            return error_response(405, "only GET is served")
        if request.content_length:
            return error_response(413, "a request body is never read: send the arguments in the query string")
        return None

    def run(sql, params, notices=None):
        """Rows of a constant statement with bound parameters, and the time the database took
        (for the Server-Timing header). NOTICEs go to `notices` when given."""
        with pool.connection() as conn:
            handler = None
            if notices is not None:
                def handler(diag):
                    notices.append({"severity": diag.severity_nonlocalized, "message": diag.message_primary,
                                    "detail": diag.message_detail, "hint": diag.message_hint})
                conn.add_notice_handler(handler)
            try:
                t0 = time.perf_counter()
                cur = conn.execute(sql, params)
                rows = cur.fetchall()
                return rows, (time.perf_counter() - t0) * 1000
            finally:
                if handler is not None:
                    conn.remove_notice_handler(handler)

    def timed(resp, db_ms, t0):
        resp.headers["Server-Timing"] = "db;dur=%.3f, app;dur=%.3f" % (db_ms, (time.perf_counter() - t0) * 1000)
        return resp

    @app.errorhandler(psycopg.Error)
    def database_error(e):
        diag = e.diag
        sqlstate = diag.sqlstate or getattr(e, "sqlstate", None)
        message = diag.message_primary or str(e).strip()
        # Class 22 (bad argument values) and 54 (limits: too many points) are the caller's
        # mistakes; 57014 is the statement timeout; anything else is ours.
        status = 400 if sqlstate and sqlstate[:2] in ("22", "54") else 503 if sqlstate == "57014" else 500
        return error_response(status, message, sqlstate=sqlstate, detail=diag.message_detail,
                              hint=diag.message_hint, param=error_param(message))

    @app.errorhandler(psycopg_pool.PoolTimeout)
    def pool_timeout(e):
        return error_response(503, "no database connection available: %s" % e)

    @app.errorhandler(BadRequest)
    def bad_request(e):
        return error_response(e.status, e.message, param=e.param)

    @app.errorhandler(413)
    def too_large(e):
        return error_response(413, "request body too large (limit %d bytes)" % app.config["MAX_CONTENT_LENGTH"])

    @app.errorhandler(404)
    def not_found(e):
        return error_response(404, "not found: %s" % request.path[:200])

    @app.get("/")
    def index():
        resp = send_from_directory(STATIC, "index.html")
        # Only this app's scripts; Vega compiles its expressions with Function() ('unsafe-eval'),
        # vega-embed adds a <style> ('unsafe-inline' styles).
        resp.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
            "img-src 'self' data:; frame-ancestors 'none'")
        return resp

    @app.get("/favicon.ico")
    def favicon():
        return Response(status=204)

    def rows_of(sql, params=()):
        t0 = time.perf_counter()
        rows, db_ms = run(sql, params)
        return rows, db_ms, t0

    @app.get("/api/x_axes")
    def x_axes():
        rows, db_ms, t0 = rows_of("SELECT name, label, description, ord FROM dlpg.x_axes ORDER BY ord")
        return timed(jsonify([dict(zip(("name", "label", "description", "ord"), r)) for r in rows]), db_ms, t0)

    @app.get("/api/y_axes")
    def y_axes():
        rows, db_ms, t0 = rows_of("SELECT name, label, unit, better FROM dlpg.y_axes")
        return timed(jsonify([dict(zip(("name", "label", "unit", "better"), r)) for r in rows]), db_ms, t0)

    @app.get("/api/axis_defs")
    def axis_defs():
        rows, db_ms, t0 = rows_of("SELECT name, label, description, ord, kind, x_axis FROM dlpg.axis_defs() ORDER BY ord")
        cols = ("name", "label", "description", "ord", "kind", "x_axis")
        return timed(jsonify([dict(zip(cols, r)) for r in rows]), db_ms, t0)

    @app.get("/api/axis_values")
    def axis_values():
        for key in request.args:
            if key != "axis":
                raise BadRequest('unknown parameter "%s" (valid: axis)' % key[:64])
        axis = request.args.get("axis") or None
        rows, db_ms, t0 = rows_of(
            "SELECT axis, value, label, n, rank FROM dlpg.axis_values"
            " WHERE %s::text IS NULL OR axis = %s::text ORDER BY axis, rank", (axis, axis))
        cols = ("axis", "value", "label", "n", "rank")
        return timed(jsonify([dict(zip(cols, r)) for r in rows]), db_ms, t0)

    def series_rows():
        used, values = chart_arguments(CHART_ARGS)
        notices = []
        t0 = time.perf_counter()
        rows, db_ms = run("SELECT %s FROM %s" % (", ".join(SERIES_COLUMNS), _call("series", used)),
                          values, notices)
        return rows, notices, db_ms, t0

    @app.get("/api/series")
    def series():
        rows, notices, db_ms, t0 = series_rows()
        return timed(jsonify({"rows": [dict(zip(SERIES_COLUMNS, r)) for r in rows], "notices": notices}), db_ms, t0)

    @app.get("/api/series.csv")
    def series_csv():
        rows, notices, db_ms, t0 = series_rows()
        out = io.StringIO()
        w = csv.writer(out, lineterminator="\n")
        w.writerow(SERIES_COLUMNS)
        for r in rows:
            w.writerow(["" if v is None else "{" + ",".join(v) + "}" if isinstance(v, list) else
                        repr(v) if isinstance(v, float) else v for v in r])
        resp = Response(out.getvalue(), mimetype="text/csv")
        resp.headers["Content-Disposition"] = "attachment; filename=dlpg-series.csv"
        return timed(resp, db_ms, t0)

    @app.get("/api/series_query")
    def series_query():
        used, values = chart_arguments(CHART_ARGS)
        t0 = time.perf_counter()
        rows, db_ms = run("SELECT %s" % _call("series_query", used), values)
        return timed(jsonify({"sql": rows[0][0]}), db_ms, t0)

    @app.get("/api/chart")
    def chart():
        used, values = chart_arguments(CHART_ARGS + EXTRA_CHART_ARGS)
        t0 = time.perf_counter()
        rows, db_ms = run("SELECT %s" % _call("chart", used), values)
        fmt = (request.args.get("format") or "svg").lower()  # dlpg.chart reads it case-insensitively
        mimetype = "application/json" if fmt == "vega-lite" else "image/svg+xml"
        resp = Response(rows[0][0], mimetype=mimetype)
        if request.args.get("format"):
            ext = "vl.json" if fmt == "vega-lite" else "svg"
            resp.headers["Content-Disposition"] = "inline; filename=dlpg-chart.%s" % ext
        return timed(resp, db_ms, t0)

    app.wsgi_app = ServerTiming(app.wsgi_app)
    return app


class ServerTiming:
    """WSGI middleware: the whole time of a request at the server (routing, checks, the dlpg
    call, the response built), added as Server-Timing "total" beside the handler's "db" and
    "app" (bench/web_bench.sh compares it with the dlpg.chart call alone)."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        t0 = time.perf_counter()

        def timed_start(status, headers, exc_info=None):
            headers.append(("Server-Timing", "total;dur=%.3f" % ((time.perf_counter() - t0) * 1000)))
            return start_response(status, headers, exc_info)
        return self.wsgi_app(environ, timed_start)


def error_response(status, message, sqlstate=None, detail=None, hint=None, param=None):
    resp = jsonify({"error": {"sqlstate": sqlstate, "message": message, "detail": detail,
                              "hint": hint, "param": param}})
    resp.status_code = status
    return resp


def check_reader_role(pool):
    """Refuse a role that could change dlpg's data: the app wants a login role with only
    dlpg_reader (CREATE ROLE dlpg_web LOGIN; GRANT dlpg_reader TO dlpg_web)."""
    with pool.connection() as conn:
        if not conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'dlpg'").fetchone():
            raise SystemExit("dlpg-web: the database has no extension dlpg (CREATE EXTENSION dlpg, as a superuser)")
        row = conn.execute("""
            SELECT current_user, r.rolsuper,
                   pg_has_role(current_user, 'dlpg_writer', 'MEMBER'),
                   has_table_privilege('dlpg.benchmarks', 'INSERT, UPDATE, DELETE, TRUNCATE')
                     OR has_table_privilege('dlpg.rejects', 'INSERT, UPDATE, DELETE, TRUNCATE'),
                   has_table_privilege('dlpg.axis_values', 'SELECT')
              FROM pg_roles r WHERE r.rolname = current_user""").fetchone()
    user, superuser, writer, writes, reads = row
    why = ("is a superuser" if superuser else "is a member of dlpg_writer" if writer else
           "may write dlpg's tables" if writes else "cannot read dlpg.axis_values (grant it dlpg_reader)"
           if not reads else None)
    if why:
        raise SystemExit("dlpg-web: refusing to serve as role %s, which %s; connect as a role with only "
                         "dlpg_reader:\n  CREATE ROLE dlpg_web LOGIN; GRANT dlpg_reader TO dlpg_web;" % (user, why))


def main(argv=None):
    env = os.environ.get
    p = argparse.ArgumentParser(description="dlpg's web Guide (see docs/web.md)")
    p.add_argument("--host", default=env("DLPG_WEB_HOST", "127.0.0.1"))
    p.add_argument("--port", type=int, default=int(env("DLPG_WEB_PORT", "8080")))
    p.add_argument("--dsn", default=env("DLPG_WEB_DSN", ""))
    a = p.parse_args(argv)
    app = create_app(dsn=a.dsn)
    from werkzeug.serving import WSGIRequestHandler, make_server

    class Handler(WSGIRequestHandler):
        protocol_version = "HTTP/1.1"       # keep-alive: a page's requests share a connection
    server = make_server(a.host, a.port, app, threaded=True, request_handler=Handler)
    host = "[%s]" % a.host if ":" in a.host else a.host
    print("dlpg-web: serving http://%s:%d/" % (host, server.server_port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        app.config["DLPG_POOL"].close()


if __name__ == "__main__":
    sys.exit(main())
