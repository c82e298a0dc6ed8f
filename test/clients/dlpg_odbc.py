"""test/clients/dlpg_odbc.py -- dlpg through psqlODBC (unixODBC, pyodbc), as a BI tool uses it.

Run by odbc.t with Debian's python3 (python3-pyodbc, odbc-postgresql, unixodbc):

    /usr/bin/python3 dlpg_odbc.py CONN DB PARALLEL_DB SETTINGS QUERIES.tsv EXPECTED_DIR X Y FILTERS AGG GROUP_BY

CONN is an ODBC connection string without the database (Driver, Servername, Port, Username of a
dlpg_reader login), SETTINGS the psqlODBC settings docs/reference.md recommends ("Key=Value;..."),
EXPECTED_DIR what psql answered (odbc.t, lib.sh), X ... GROUP_BY the arguments of the chart psql
exported to EXPECTED_DIR/chart.svg. Prints one "ok - ..." / "not ok - ..." line per check (odbc.t
numbers them) and "# ..." diagnostics:
  - the catalog functions (SQLTables, SQLColumns, SQLProcedures) on schema dlpg: the views and
    functions psql lists, no internal function; every column and function has a description in
    dlpg.dictionary, read through ODBC equal to psql's, with the recommended settings and with
    the driver's defaults (7 checks);
  - each query of QUERIES.tsv with ? parameters, as a statement and as an ODBC {call} escape:
    rows equal psql's (2 per query);
  - the DSN settings: the driver's defaults declare jsonb and arrays VARCHAR(255), the recommended
    settings long varchar and booleans SQL_BIT; jsonb and the chart come whole (4 checks);
  - the trial aggregates in a parallel plan run by the reader login (2 checks).
"""
import os
import re
import sys

import pyodbc

SQL_VARCHAR, SQL_WVARCHAR = 12, -9
SQL_LONGVARCHAR, SQL_WLONGVARCHAR = -1, -10
SQL_BIT = -7
SERIES_SQL = "SELECT series, x, x_rank, y, n FROM dlpg.series(?, ?, ?, ?, ?, ?)"
SERIES_CALL = "{call dlpg.series(?, ?, ?, ?, ?, ?)}"


def ok(passed, desc):
    print(("ok - " if passed else "not ok - ") + desc, flush=True)
    return passed


def diag(text):
    for line in str(text).split("\n"):
        print("# " + line, flush=True)


def read_records(path):
    """psql -A -t -F US -R RS output: a list of records, each a list of fields (NULL is '')."""
    with open(path, encoding="utf-8") as f:
        data = f.read()
    if data.endswith("\n"):
        data = data[:-1]
    return [r.split("\x1f") for r in data.split("\x1e")] if data else []


def text(v):
    return "" if v is None else str(v)


def series_rows(rows):
    """(series, x, x_rank, y, n) with y as a double: psql prints the shortest text that reads
    back as the same double, so float(psql's text) == the value ODBC returns, exactly."""
    return [(text(r[0]), text(r[1]), text(r[2]), r[3], text(r[4])) for r in rows]


def psql_series(path):
    rows = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f.read().split("\n"):
                if line:
                    s, x, rank, y, n = line.split("|")
                    rows.append((s, x, rank, float(y) if y else None, n))
    return rows


def connect(conn, db, settings=""):
    return pyodbc.connect(conn + ";Database=" + db + (";" + settings if settings else ""), autocommit=True)


def main():
    conn_str, db, par_db, settings, queries_file, expected_dir = sys.argv[1:7]
    chart_args = sys.argv[7:12]
    exp = lambda name: os.path.join(expected_dir, name)
    max_long = dict(kv.split("=", 1) for kv in settings.split(";") if "=" in kv).get("MaxLongVarcharSize")
    try:
        c = connect(conn_str, db, settings)
        plain = connect(conn_str, db)
    except pyodbc.Error as e:
        ok(False, "psqlODBC connects as the dlpg_reader login")
        diag(e)
        return 1
    cur = c.cursor()
    cur.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
    user, superuser = cur.fetchone()
    ok(not superuser and user.startswith("dlpg_odbc_reader"),
       "%s %s connects as %s, not a superuser (server %s)"
       % (c.getinfo(pyodbc.SQL_DRIVER_NAME), c.getinfo(pyodbc.SQL_DRIVER_VER), user,
          c.getinfo(pyodbc.SQL_DBMS_VER)))

    # ---- the catalog, as a BI tool's navigator reads it
    views = sorted(t.table_name for t in cur.tables(schema="dlpg", tableType="VIEW"))
    want_views = [r[0] for r in read_records(exp("views.rec"))]
    ok(views == want_views and "dictionary" in views,
       "SQLTables(dlpg, VIEW): the views psql lists (%s)" % ", ".join(views))
    if views != want_views:
        diag("psql: %s" % want_views)
    remarks = {t.table_name: t.remarks for t in cur.tables(schema="dlpg", tableType="VIEW")}
    diag("REMARKS of the views as psqlODBC returns them: %r" % remarks)

    dictionary = [[text(v) for v in r] for r in
                  cur.execute('SELECT object, "column", type, description FROM dlpg.dictionary').fetchall()]
    described = {(r[0], r[1]) for r in dictionary if r[3].strip()}
    relations = [r[0] for r in read_records(exp("relations.rec"))]
    columns, bare = 0, []
    for rel in relations:
        for col in cur.columns(schema="dlpg", table=rel):
            columns += 1
            if ("dlpg." + rel, col.column_name) not in described:
                bare.append("dlpg.%s.%s" % (rel, col.column_name))
    ok(columns > 0 and not bare,
       "SQLColumns: each of the %d columns of the %d tables and views has its description in dlpg.dictionary"
       % (columns, len(relations)))
    if bare:
        diag("no description: %s" % ", ".join(bare))

    procs = sorted({p.procedure_name for p in cur.procedures(schema="dlpg")})
    with open(exp("functions.txt"), encoding="utf-8") as f:
        want_procs = sorted(l for l in f.read().split("\n") if l)
    ok(procs == want_procs and "series" in procs,
       "SQLProcedures(dlpg): the functions psql's \\df dlpg.* lists (%d)" % len(procs))
    if procs != want_procs:
        diag("ODBC: %s\npsql: %s" % (procs, want_procs))
    internal = [p for p in procs if p.startswith("trials_") or p == "write_axis_views"]
    undescribed = [p for p in procs if ("dlpg." + p, "") not in described]
    ok(not internal and not undescribed,
       "SQLProcedures(dlpg): no internal function (trials_*, write_axis_views), each one described in dlpg.dictionary")
    if internal or undescribed:
        diag("internal: %s; no description: %s" % (internal, undescribed))

    want_dict = read_records(exp("dictionary.rec"))
    ok(dictionary == want_dict and len(dictionary) > 0,
       "dlpg.dictionary through ODBC (recommended settings) = psql's, text for text (%d rows)" % len(want_dict))
    plain_dict = [[text(v) for v in r] for r in
                  plain.cursor().execute('SELECT object, "column", type, description FROM dlpg.dictionary').fetchall()]
    ok(plain_dict == want_dict, "dlpg.dictionary through ODBC (driver defaults) = psql's, text for text")
    for got, want in zip(dictionary, want_dict):
        if got != want:
            diag("first difference: ODBC %r, psql %r" % (got, want))
            break

    # ---- series with bound parameters
    with open(queries_file, encoding="utf-8") as f:
        lines = [l.rstrip("\n") for l in f if l.strip() and not l.startswith("#")]
    for line in lines:
        name, *args = line.split("\t")
        args = [None if a == "\\N" else a for a in (args + ["\\N"] * 6)[:6]]
        expected = psql_series(exp(name + ".out"))
        for desc, sql in (("? parameters", SERIES_SQL), ("{call dlpg.series(?, ...)}", SERIES_CALL)):
            got, err = None, None
            try:
                got = series_rows(c.cursor().execute(sql, *args).fetchall())
            except pyodbc.Error as e:
                err = e
            passed = err is None and got == expected and len(expected) > 0
            ok(passed, "%s: rows equal psql's, %s (%d rows)" % (name, desc, len(expected)))
            if err is not None:
                diag(err)
            elif not passed:
                diag("psql: %r\nODBC: %r" % (expected, got))

    # ---- DSN settings: what the driver declares, and what arrives
    def declared(connection):
        return {col.column_name: (col.data_type, col.column_size)
                for col in connection.cursor().columns(schema="dlpg", table="benchmarks")}
    d = declared(plain)
    short = [k for k in ("params", "batch_times_ms")
             if d.get(k, (None,))[0] in (SQL_VARCHAR, SQL_WVARCHAR) and d[k][1] == 255]
    ok(len(short) == 2,
       "driver defaults: jsonb and double precision[] declared VARCHAR(255) (params %r, batch_times_ms %r), "
       "what the recommended settings fix" % (d.get("params"), d.get("batch_times_ms")))
    d = declared(c)
    longs = {k: d.get(k) for k in ("params", "batch_times_ms", "model")}
    ok(max_long is not None
       and all(v is not None and v[0] in (SQL_LONGVARCHAR, SQL_WLONGVARCHAR) and v[1] == int(max_long)
               for v in longs.values())
       and d.get("throughput_derived", (None,))[0] == SQL_BIT,
       "recommended settings: jsonb, double precision[] and text declared long varchar of MaxLongVarcharSize %s, "
       "boolean SQL_BIT (%r, throughput_derived %r)" % (max_long, longs, d.get("throughput_derived")))
    want_params = [(int(r[0]), r[1]) for r in read_records(exp("params.rec"))]
    got_params = [(r[0], r[1]) for r in
                  cur.execute("SELECT id, params::text FROM dlpg.benchmarks ORDER BY id").fetchall()]
    longest = max((len(p) for _, p in want_params), default=0)
    ok(got_params == want_params and longest > 255,
       "recommended settings: params of all %d benchmarks whole (up to %d characters) = psql's"
       % (len(want_params), longest))
    svg = cur.execute("SELECT dlpg.chart(?, ?, ?, ?, ?)", *chart_args).fetchone()[0]
    with open(exp("chart.svg"), encoding="utf-8") as f:
        exported = f.read()
    ok(svg is not None and svg + "\n" == exported,
       "dlpg.chart through ODBC (%d characters, %d lines) = psql's \\g export of it, byte for byte "
       "(plus the newline psql ends a row with)" % (len(svg or ""), (svg or "").count("\n")))

    # ---- the trial aggregates in a parallel plan, run by the reader login
    try:
        p = connect(conn_str, par_db, settings)
        pc = p.cursor()
        for s in ("parallel_setup_cost = 0", "parallel_tuple_cost = 0", "min_parallel_table_scan_size = 0"):
            pc.execute("SET " + s)
        q = pc.execute("SELECT dlpg.series_query(?, ?, ?, ?, ?)",
                       "replica_batch", "throughput", '{"framework": "ParFW"}', "median", "model").fetchone()[0]
        answers, plans = {}, {}
        for workers in (0, 2):
            pc.execute("SET max_parallel_workers_per_gather = %d" % workers)
            plans[workers] = "\n".join(r[0] for r in pc.execute(
                "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + q).fetchall())
            answers[workers] = [tuple(r) for r in pc.execute(q).fetchall()]
        parallel = (re.search(r"Partial (Hash|Group)?Aggregate", plans[2]) is not None
                    and re.search(r"Workers Launched: [1-9]", plans[2]) is not None
                    and "Gather" not in plans[0])
        ok(parallel, "reader login, parallel settings: trial_median aggregates partially in launched workers "
                     "(serial with max_parallel_workers_per_gather = 0)")
        if not parallel:
            diag(plans[2])
        ok(answers[2] == answers[0] and len(answers[0]) == 12,
           "reader login: the parallel answer = the serial one (%d points)" % len(answers[0]))
    except pyodbc.Error as e:
        ok(False, "reader login, parallel settings: trial_median aggregates partially in launched workers")
        ok(False, "reader login: the parallel answer = the serial one")
        diag(e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
