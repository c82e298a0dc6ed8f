#!/usr/bin/env python3
"""test/docs/examples.t -- the SQL examples of the docs run, and print what the docs show.

Convention (README.md, docs/reference.md): a ```sql block followed (blank lines allowed) by a
```text block is an example with its output. The test runs the sql block with psql and compares
what psql prints with the text block. A ```sql block without a ```text block after it is not run
(a signature, a sketch).

How a block runs: one psql session per block (so \\set variables and transactions stay inside
their block), from the project root (so `cat data/...` in backticks works), with
psql -X -q -P pager=off, after SET extra_float_digits = 0 and SET timezone = 'UTC' (not
shown). Errors are printed as psql prints them without the "psql:<stdin>:N: " prefix
(ERROR:  ..., DETAIL:  ...), in order with the results. Lines are compared without trailing
blanks; leading and trailing empty lines are ignored.

The database: a new one, dlpg_docs_<pid>, with CREATE EXTENSION dlpg and data/dlbs loaded by
dlpg-load (17 benchmarks: 8 H200 ResNet50 logs, 8 RTX 2080 SUPER logs, 1 failed run; 1 reject,
rtx2080/run.log), in the docs' order: blocks that ingest change what later blocks see. Dropped
at the end.

Needs: a running server (libpq environment, as tools/pgcluster.sh exports it) whose PGUSER can
create databases; psql (PGCLUSTER_BINDIR, else PATH); DLPG_LOAD (default loader/dlpg-load).
DOCS_EXAMPLES_FILES: the files to read (space-separated, relative to the project root).
TAP output: prove test/docs/examples.t
"""
import os
import re
import subprocess
import sys

ROOT = os.path.realpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
FILES = os.environ.get("DOCS_EXAMPLES_FILES", "README.md docs/reference.md").split()
BIN = os.environ.get("PGCLUSTER_BINDIR", "")
PSQL = os.path.join(BIN, "psql") if BIN and os.access(os.path.join(BIN, "psql"), os.X_OK) else "psql"
LOADER = os.environ.get("DLPG_LOAD", os.path.join(ROOT, "loader", "dlpg-load"))
DB = "dlpg_docs_%d" % os.getpid()
PREAMBLE = "SET extra_float_digits = 0;\nSET timezone = 'UTC';\n"
FENCE = re.compile(r"^```\s*(\w[\w-]*)?\s*$")


def examples(path):
    """(line of the sql block, sql, expected output) for each sql block followed by a text block"""
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        lines = f.read().split("\n")
    blocks = []  # (lang, first line number, text, index of the line after the block)
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if m:
            lang = m.group(1) or ""
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            blocks.append((lang, i + 1, "\n".join(lines[i + 1:j]), i, j))
            i = j + 1
        else:
            i += 1
    found = []
    for a, b in zip(blocks, blocks[1:]):
        if a[0] == "sql" and b[0] == "text" and all(not l.strip() for l in lines[a[4] + 1:b[3]]):
            found.append((a[1], a[2], b[2]))
    return found


def normalise(text):
    out = [l.rstrip() for l in text.split("\n")]
    while out and not out[0]:
        out.pop(0)
    while out and not out[-1]:
        out.pop()
    return out


def run_psql(db, sql):
    p = subprocess.run([PSQL, "-X", "-q", "-P", "pager=off", "-d", db],
                       input=PREAMBLE + sql + "\n", cwd=ROOT, text=True,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return re.sub(r"(?m)^psql:<stdin>:\d+: ", "", p.stdout)


def admin(sql):
    return subprocess.run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", "postgres", "-c", sql],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def diag(text):
    for l in text.split("\n"):
        print("# " + l)


def main():
    cases = []
    for path in FILES:
        cases += [(path, line, sql, want) for line, sql, want in examples(path)]
    print("1..%d" % (len(cases) + 2))
    failures = 0

    # setup: a database with dlpg and data/dlbs
    r = admin("DROP DATABASE IF EXISTS %s" % DB)
    r = admin("CREATE DATABASE %s" % DB)
    ok = r.returncode == 0
    if ok:
        r = subprocess.run([PSQL, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", DB, "-c", "CREATE EXTENSION dlpg"],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ok = r.returncode == 0
    if ok:
        r = subprocess.run([LOADER, "-q", "-d", DB, "data/dlbs"], cwd=ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        ok = r.returncode in (0, 1)
    if ok:
        got = run_psql(DB, "SELECT count(*) FROM dlpg.benchmarks;")
        ok = [l.strip() for l in normalise(got)[2:3]] == ["17"]
        r.stdout = got
    try:
        if ok:
            print("ok 1 - database %s with dlpg and data/dlbs (17 benchmarks)" % DB)
        else:
            failures += 1
            print("not ok 1 - database %s with dlpg and data/dlbs (17 benchmarks)" % DB)
            diag(r.stdout)
        if cases:
            print("ok 2 - %d examples with output in %s" % (len(cases), " ".join(FILES)))
        else:
            failures += 1
            print("not ok 2 - no example with output in %s" % " ".join(FILES))
        n = 2
        for path, line, sql, want in cases:
            n += 1
            name = "%s:%d" % (path, line)
            if not ok:
                print("not ok %d - %s (no database)" % (n, name))
                failures += 1
                continue
            got = normalise(run_psql(DB, sql))
            if got == normalise(want):
                print("ok %d - %s" % (n, name))
            else:
                failures += 1
                print("not ok %d - %s" % (n, name))
                diag("sql:\n" + sql)
                diag("expected:\n" + "\n".join(normalise(want)))
                diag("got:\n" + "\n".join(got))
    finally:
        admin("DROP DATABASE IF EXISTS %s" % DB)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
