"""test/web/weblib.py -- shared by the web Guide's tests (test/web/*.t), imported by them.

The tests talk to an already running server through the libpq environment (PGHOST, PGPORT,
PGUSER: a superuser, as tools/pgcluster.sh exports them). Each test file makes a database of its
own, dlpg_web_<pid>, loads data/dlbs into it with dlpg-load ($DLPG_LOAD, default
loader/dlpg-load; the demo data of `make demo` and `make guide`), makes the login role
dlpg_web_test with only dlpg_reader (cluster-wide, kept), and starts web/app.py on a free port
of 127.0.0.1 connected as that role. The answers of the app are compared with dlpg's own,
asked directly over psycopg as the superuser. Output is TAP (class Tap).
"""

import atexit
import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psycopg

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PYTHON = os.environ.get("DLPG_PYTHON", "/usr/bin/python3")
READER = "dlpg_web_test"


class Tap:
    """TAP output with the plan at the end (done)."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, *diag):
        self.n += 1
        print("%sok %d - %s" % ("" if cond else "not ", self.n, name), flush=True)
        if not cond:
            self.failed += 1
            for d in diag:
                self.diag(d)
        return cond

    def eq(self, got, expected, name):
        return self.ok(got == expected, name, "got:      %r" % (got,), "expected: %r" % (expected,))

    def diag(self, text):
        for line in str(text).splitlines() or [""]:
            print("# " + line, flush=True)

    def done(self):
        print("1..%d" % self.n, flush=True)
        return 1 if self.failed else 0


def superuser(dbname):
    return psycopg.connect(dbname=dbname, autocommit=True)


class Guide:
    """A database with the demo data and the web app serving it (stopped at exit)."""

    def __init__(self, tap, extra_env=None):
        self.tap = tap
        self.db = "dlpg_web_%d" % os.getpid()
        self.procs = []
        self.conn = None
        atexit.register(self.close)
        with superuser("postgres") as c:
            c.execute("DROP DATABASE IF EXISTS %s" % self.db)
            c.execute("CREATE DATABASE %s" % self.db)
            if not c.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (READER,)).fetchone():
                c.execute("CREATE ROLE %s LOGIN" % READER)
        self.conn = superuser(self.db)
        self.conn.execute("CREATE EXTENSION dlpg")
        self.conn.execute("GRANT dlpg_reader TO %s" % READER)
        loader = os.environ.get("DLPG_LOAD", os.path.join(ROOT, "loader", "dlpg-load"))
        r = subprocess.run([loader, "-q", os.path.join(ROOT, "data", "dlbs")], capture_output=True, text=True,
                           env=dict(os.environ, PGDATABASE=self.db))
        n = self.conn.execute("SELECT count(*) FROM dlpg.benchmarks").fetchone()[0]
        tap.ok(n == 17, "dlpg-load data/dlbs: 17 benchmarks in %s" % self.db, r.stdout, r.stderr)
        self.url = self.start(READER, extra_env)

    def dsn(self, user):
        host = os.environ.get("PGHOST", "")
        port = os.environ.get("PGPORT", "5432")
        return "host=%s port=%s dbname=%s user=%s" % (host, port, self.db, user)

    def start(self, user, extra_env=None, expect_fail=False):
        """Start web/app.py as `user` on a free port; its URL (or, with expect_fail, the
        process's exit status and output)."""
        env = dict(os.environ, DLPG_WEB_DSN=self.dsn(user), **(extra_env or {}))
        env.pop("DLPG_WEB_HOST", None)
        proc = subprocess.Popen([PYTHON, os.path.join(ROOT, "web", "app.py"), "--port", "0"],
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
        if expect_fail:
            out, _ = proc.communicate(timeout=60)
            return proc.returncode, out
        line = proc.stdout.readline()
        m = re.match(r"dlpg-web: serving (http://\S+/)", line)
        if not m:
            proc.kill()
            rest = proc.stdout.read()
            raise SystemExit("web/app.py did not start: %s%s" % (line, rest))
        self.procs.append(proc)
        return m.group(1)

    def close(self):
        for proc in self.procs:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs = []
        if self.conn is None:
            return
        try:
            self.conn.close()
            self.conn = None
            with superuser("postgres") as c:
                c.execute("DROP DATABASE IF EXISTS %s WITH (FORCE)" % self.db)
        except Exception as e:                      # noqa: BLE001 -- cleanup, report only
            print("# cleanup: %s" % e)

    # ---- HTTP ------------------------------------------------------------------------------
    def get(self, path, method="GET", data=None):
        """(status, headers, body bytes) of a request to the app."""
        req = urllib.request.Request(self.url.rstrip("/") + path, method=method, data=data)
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.headers, r.read()
        except urllib.error.HTTPError as e:
            return e.code, e.headers, e.read()

    def get_json(self, path):
        status, _, body = self.get(path)
        return status, json.loads(body)

    # ---- dlpg's own answers ----------------------------------------------------------------
    def series(self, x_axis, y_axis="throughput", filters="{}", agg="best", group_by=None, series_name=None):
        """(rows as dicts, NOTICE messages) of dlpg.series, asked directly."""
        notices = []

        def handler(d):
            notices.append(d.message_primary)
        self.conn.add_notice_handler(handler)
        try:
            cur = self.conn.execute(
                "SELECT series, x, x_rank, y, n, x_value, configs, mixed"
                "  FROM dlpg.series(%s, %s, %s::jsonb, %s, %s, %s)",
                (x_axis, y_axis, filters, agg, group_by, series_name))
            cols = [d.name for d in cur.description]
            rows = [dict(zip(cols, r)) for r in cur.fetchall()]
        finally:
            self.conn.remove_notice_handler(handler)
        return rows, notices

    def error_of(self, sql, params):
        """(sqlstate, message) dlpg raises for a statement."""
        try:
            self.conn.execute(sql, params)
        except psycopg.Error as e:
            return e.diag.sqlstate, e.diag.message_primary
        return None, None


def run(main):
    tap = Tap()
    try:
        main(tap)
    except Exception as e:                          # noqa: BLE001 -- a crash is a failed test
        import traceback
        tap.ok(False, "test script ran to its end", traceback.format_exc())
    sys.exit(tap.done())
