#!/usr/bin/env python3
"""tools/sqlsmith-report.py -- what one SQLsmith seed did, from its outputs and the server log.

  sqlsmith-report.py SEED_DIR LOG_SLICE DATABASE DLPG_SOURCES...

SEED_DIR holds queries.sql (sqlsmith --dump-all-queries: each query ends with ";\\n") and
sqlsmith.err (its --verbose progress and report). LOG_SLICE is the part of the server log
written while the seed ran (log_line_prefix '%m [%p] %q%u@%d ', log_error_verbosity = verbose).
DATABASE is the seed's database. DLPG_SOURCES are the file names of dlpg's C sources
(ingest.c, series.c, ...): an XX000 whose LOCATION is in one of them is dlpg's.

Writes SEED_DIR/report.json and SEED_DIR/dlpg-xx000.sql (the statements of dlpg's XX000s) and
prints nothing; tools/run-sqlsmith.sh prints the summary.
"""
import collections
import json
import os
import re
import sys

seed_dir, log_slice, database = sys.argv[1:4]
dlpg_sources = set(os.path.basename(s) for s in sys.argv[4:])

# ---------------------------------------------------------------- the queries
with open(os.path.join(seed_dir, "queries.sql"), encoding="utf-8", errors="replace") as f:
    text = f.read()
queries = [q for q in text.split(";\n") if q.strip()]
call_re = re.compile(r"\bdlpg\.([a-z_0-9]+)\s*\(")
calls = [set(call_re.findall(q)) for q in queries]

# ---------------------------------------------------------------- sqlsmith's own report
with open(os.path.join(seed_dir, "sqlsmith.err"), encoding="utf-8", errors="replace") as f:
    err = f.read()
# the report is printed every 800 queries and at the end: the last one counts
m = re.findall(r"^queries: (\d+)", err, re.M)
executed = int(m[-1]) if m else None
# progress characters: . ok, e error, S syntax error, t timeout, C connection broken
progress = "".join(l for l in err.splitlines() if re.fullmatch(r"[.eStC]+", l))
broken = progress.count("C")
# one progress character per executed query, in order: which dlpg-calling queries ran without
# an error (those surely executed dlpg's code; a failed one may have stopped before it)
functions = collections.Counter()
functions_ok = collections.Counter()
calling = calling_ok = 0
for i, names in enumerate(calls):
    if names:
        calling += 1
        functions.update(names)
        if len(progress) == len(calls) and progress[i] == ".":
            calling_ok += 1
            functions_ok.update(names)

# ---------------------------------------------------------------- the server log
prefix = re.compile(r"^\d{4}-\d\d-\d\d [0-9:.]+ \S+ \[(\d+)\] (?:(\S*)@(\S*) )?([A-Z]+):  (.*)$")
errors = collections.Counter()
xx000 = []          # dicts: message, location, statement, dlpg
crash_lines = []
admin_kills = 0
current = {}        # pid -> the last ERROR record of that pid (for LOCATION / STATEMENT)
last = None         # the record continuation lines belong to (a multi-line STATEMENT)
crash_re = re.compile(r"terminated by signal|was terminated by exception|exited with exit code|"
                      r"all server processes terminated|server process .* was terminated|"
                      r"database system was interrupted|PANIC")
with open(log_slice, encoding="utf-8", errors="replace") as f:
    for line in f:
        line = line.rstrip("\n")
        m = prefix.match(line)
        if not m:
            if last is not None and last.get("in_statement"):
                last["statement"] += "\n" + line
            continue
        pid, user, db, level, rest = m.groups()
        if last is not None:
            last["in_statement"] = False
        if crash_re.search(line) and level in ("LOG", "PANIC", "FATAL"):
            crash_lines.append(line)
        if level == "FATAL" and rest.startswith("57P01"):
            admin_kills += 1      # pg_terminate_backend: the connection ends, nothing crashed
        if db != database:
            last = None
            continue
        if level == "ERROR":
            code = rest.split(":", 1)[0]
            errors[code] += 1
            rec = {"code": code, "message": rest[len(code) + 1:].strip(), "location": "",
                   "statement": "", "in_statement": False}
            current[pid] = rec
            if code == "XX000":
                xx000.append(rec)
            last = rec
        elif level == "LOCATION" and pid in current:
            current[pid]["location"] = rest.strip()
            last = current[pid]
        elif level == "STATEMENT" and pid in current:
            current[pid]["statement"] = rest
            current[pid]["in_statement"] = True
            last = current[pid]
            del current[pid]
        else:
            last = None


def location_file(loc):
    # "record_reject, ingest.c:444"
    m = re.search(r"([^ ,/]+\.c):\d+$", loc)
    return m.group(1) if m else ""


dlpg_xx000 = [r for r in xx000 if location_file(r["location"]) in dlpg_sources]
with open(os.path.join(seed_dir, "dlpg-xx000.sql"), "w", encoding="utf-8") as f:
    for r in dlpg_xx000:
        f.write("-- XX000: %s\n-- LOCATION: %s\n%s;\n\n" % (r["message"], r["location"], r["statement"]))

report = {
    "generated": len(queries),
    "executed": executed,
    "dlpg_calling_queries": calling,
    "dlpg_functions": dict(functions),
    "dlpg_calling_queries_ok": calling_ok if len(progress) == len(calls) else None,
    "dlpg_functions_ok": dict(functions_ok),
    "errors_by_sqlstate": dict(errors),
    "xx000": len(xx000),
    "xx000_other": sorted(set("%s (%s)" % (r["message"], r["location"]) for r in xx000 if r not in dlpg_xx000)),
    "dlpg_xx000": [{"message": r["message"], "location": r["location"]} for r in dlpg_xx000],
    "crash_lines": crash_lines,
    "connection_lost": broken,
    "admin_terminations": admin_kills,
}
with open(os.path.join(seed_dir, "report.json"), "w", encoding="utf-8") as f:
    json.dump(report, f, indent=1, sort_keys=True)
