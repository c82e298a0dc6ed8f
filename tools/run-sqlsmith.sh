#!/usr/bin/env bash
# tools/run-sqlsmith.sh -- random SQL against dlpg (issue 8): a bounded SQLsmith campaign.
#
#   make test-sqlsmith                the campaign: build, install into a private tree, private
#                                     cluster, SQLSMITH_SEEDS x SQLSMITH_QUERIES, stop
#   tools/run-sqlsmith.sh             the same
#   (tools/run-tests.sh runs a short one, seeds "1 2" x 300 queries, on the cluster it started)
#
# Cluster: when the environment names a running private cluster (PGCLUSTER_DIR with PGHOST
# its socket dir, as tools/pgcluster.sh exports it; the one tools/run-tests.sh started), it is
# used as it is, with the dlpg installed for it. Otherwise the script builds dlpg ($MAKE, default
# make), installs it into a private tree (make install DESTDIR=..., tools/private-tree.sh: the
# system's PostgreSQL is never touched) and starts its own cluster from that tree.
#
# Setup: a template database with dlpg and the real logs of data/dlbs loaded by dlpg-load (17
# benchmarks, 1 rejected log) plus a few rejects (a bad log, bad JSON elements); a login role
# dlpg_smith, member of dlpg_writer and dlpg_reader, not a superuser; each seed gets a fresh
# copy of the template (CREATE DATABASE ... TEMPLATE), with log_error_verbosity = verbose so
# the server log gives each error's SQLSTATE and source file.
#
# Focus: sqlsmith runs with --exclude-catalog (no pg_catalog / information_schema relations: its
# FROM clauses draw from dlpg's tables and views). It picks functions from pg_proc, where dlpg's
# 20-odd are lost among ~3000 of PostgreSQL's, and it never calls set-returning ones. sqlsmith
# reads the catalog with unqualified names ("from pg_proc"), so the role's search_path starts
# with a schema dlpg_smith_focus whose view pg_proc is pg_catalog.pg_proc plus every dlpg
# function SQLSMITH_DLPG_WEIGHT more times (default 30; copy k has oid + k * 10^7), dlpg's set-returning functions shown as
# not set-returning (sqlsmith then calls dlpg.series, dlpg.ingest_json, ... in select lists,
# where PostgreSQL allows them). SQLSMITH_DLPG_WEIGHT=0: no focus view (plain pg_proc).
# The dumped queries (--dump-all-queries) are scanned for calls of dlpg.* functions.
#
# A seed fails when: sqlsmith does not run its SQLSMITH_QUERIES queries (it died, or the
# per-seed time limit SQLSMITH_SEED_SECONDS killed it), the connection was lost (not by
# pg_terminate_backend), the server log shows a crash (terminated by signal, exit code,
# reinitializing, PANIC), or an XX000 error's LOCATION is one of dlpg's src/*.c files.
# XX000 from PostgreSQL's own code and every other SQLSTATE are counted, not failures.
#
# Knobs: SQLSMITH_SEEDS (default "1 2 3 4 5 6 7 8 9 10"), SQLSMITH_QUERIES (per seed, default
# 3000), SQLSMITH_STATEMENT_TIMEOUT (default 1s; sqlsmith also sets 1s itself),
# SQLSMITH_SEED_SECONDS (default 600), SQLSMITH_RESULTS (default results/sqlsmith: per seed its
# queries, sqlsmith's output, the server log slice, report.json, dlpg-xx000.sql),
# SQLSMITH_DLPG_WEIGHT, DLPG_LOAD (the loader, default loader/dlpg-load).
# Last line: "N passed, M failed" (one check per seed, plus one for the setup when it fails).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT" || exit 1
: "${MAKE:=make}"
SEEDS=${SQLSMITH_SEEDS:-"1 2 3 4 5 6 7 8 9 10"}
QUERIES=${SQLSMITH_QUERIES:-3000}
STMT_TIMEOUT=${SQLSMITH_STATEMENT_TIMEOUT:-1s}
SEED_SECONDS=${SQLSMITH_SEED_SECONDS:-600}
WEIGHT=${SQLSMITH_DLPG_WEIGHT:-30}
RESULTS=${SQLSMITH_RESULTS:-$ROOT/results/sqlsmith}
DLPG_LOAD=${DLPG_LOAD:-$ROOT/loader/dlpg-load}
ROLE=dlpg_smith
TEMPLATE=dlpg_smith_template
PASSED=0 FAILED=0
OWN_CLUSTER=0
WORK=""

say() { echo "run-sqlsmith: $*"; }
fail_setup() {
    echo "run-sqlsmith: $*" >&2
    FAILED=$((FAILED + 1))
    finish
}
cleanup() {
    if [ -n "${PSQL_BIN:-}" ] && [ -n "${PGHOST:-}" ]; then
        local db
        for db in $("$PSQL_BIN" -X -A -t -d postgres -c \
                "SELECT datname FROM pg_database WHERE datname LIKE 'dlpg\\_smith\\_%'" 2>/dev/null); do
            "$PSQL_BIN" -X -q -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
        done
        "$PSQL_BIN" -X -q -d postgres -c "DROP ROLE IF EXISTS $ROLE" >/dev/null 2>&1
    fi
    if [ "$OWN_CLUSTER" = 1 ]; then
        mkdir -p "$RESULTS" && cp "$PGCLUSTER_LOG" "$RESULTS/postgres.log" 2>/dev/null
        pgcluster_stop
        OWN_CLUSTER=0
    fi
    [ -n "$WORK" ] && rm -rf "$WORK"
    WORK=""
}
finish() {
    cleanup
    echo "$PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ] && exit 0
    exit 1
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v sqlsmith >/dev/null 2>&1 || fail_setup "no sqlsmith (tools/install-deps.sh installs it)"
command -v python3 >/dev/null 2>&1 || fail_setup "no python3"
[ -x "$DLPG_LOAD" ] || fail_setup "no dlpg-load at $DLPG_LOAD (run make)"

# ---------------------------------------------------------------- the cluster
# shellcheck source=tools/pgcluster.sh
source "$ROOT/tools/pgcluster.sh"
if [ -n "${PGCLUSTER_DIR:-}" ] && [ "${PGHOST:-}" = "$PGCLUSTER_DIR" ] && [ -n "${PGCLUSTER_LOG:-}" ] &&
   [ -f "$PGCLUSTER_DIR/data/postmaster.pid" ]; then
    say "using the running cluster $PGCLUSTER_DIR"
else
    WORK=$(mktemp -d /tmp/dlpg-sqlsmith.XXXXXX) || exit 1
    chmod 755 "$WORK"
    TREE="$WORK/tree"
    say "building and installing into the private tree $TREE"
    if ! "$MAKE" >"$WORK/build.log" 2>&1 || ! "$MAKE" install "DESTDIR=$TREE" >>"$WORK/build.log" 2>&1; then
        tail -n 30 "$WORK/build.log" >&2
        fail_setup "build or make install DESTDIR=$TREE failed"
    fi
    # shellcheck source=tools/private-tree.sh
    source "$ROOT/tools/private-tree.sh"
    private_tree_complete "$TREE" || fail_setup "could not complete the private tree"
    PGCLUSTER_POSTGRES=$(private_tree_postgres "$TREE") || fail_setup "no postgres in the private tree"
    export PGCLUSTER_POSTGRES
    PGCLUSTER_EXTRA_CONF="log_error_verbosity = verbose" pgcluster_start ||
        fail_setup "could not start a private cluster"
    OWN_CLUSTER=1
fi
PSQL_BIN="$PGCLUSTER_BINDIR/psql"
PSQL=("$PSQL_BIN" -X -q -v ON_ERROR_STOP=1)
LOG=$PGCLUSTER_LOG

# ---------------------------------------------------------------- the template database
rm -rf "$RESULTS" && mkdir -p "$RESULTS" || exit 1
"${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $TEMPLATE" \
    -c "CREATE DATABASE $TEMPLATE" >/dev/null || fail_setup "cannot create database $TEMPLATE"
"${PSQL[@]}" -d "$TEMPLATE" -c 'CREATE EXTENSION dlpg' >/dev/null || fail_setup "CREATE EXTENSION dlpg failed"
mkdir -p "$RESULTS/fixtures"
printf 'not a DLBS log\n' >"$RESULTS/fixtures/notes.log"
"$DLPG_LOAD" -q -d "$TEMPLATE" data/dlbs "$RESULTS/fixtures" 2>"$RESULTS/load.err"
load_rc=$?
# exit 1: run.log and notes.log are rejected, as they should be
[ "$load_rc" -le 1 ] || { cat "$RESULTS/load.err" >&2; fail_setup "dlpg-load exited $load_rc"; }
# bad JSON elements (after a good one: see the report of issue 8 about a first reject)
"${PSQL[@]}" -d "$TEMPLATE" -c "SELECT count(*) FROM dlpg.ingest_json('[{\"exp.id\": \"smith-json\", \"exp.model\": \"resnet50\", \"exp.replica_batch\": 8, \"results.time\": 9.5}, 1, {}]', 'bad.json')" \
    >/dev/null || fail_setup "ingest_json of the bad elements failed"
counts=$("$PSQL_BIN" -X -A -t -d "$TEMPLATE" -c "SELECT (SELECT count(*) FROM dlpg.benchmarks) || ' benchmarks, ' || (SELECT count(*) FROM dlpg.rejects) || ' rejects'")
"${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' -c "DROP ROLE IF EXISTS $ROLE" \
    -c "CREATE ROLE $ROLE LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE IN ROLE dlpg_writer, dlpg_reader" \
    -c "ALTER ROLE $ROLE SET statement_timeout = '$STMT_TIMEOUT'" >/dev/null ||
    fail_setup "cannot create role $ROLE"

if [ "$WEIGHT" -gt 0 ] 2>/dev/null; then
    # the focus view (see the header); sqlsmith's catalog queries read pg_proc unqualified
    "${PSQL[@]}" -d "$TEMPLATE" >/dev/null <<SQL || fail_setup "cannot create the focus view"
CREATE SCHEMA dlpg_smith_focus;
DO \$\$
DECLARE cols text;
BEGIN
    SELECT string_agg(CASE attname WHEN 'proretset' THEN 'false AS proretset'
                                   WHEN 'oid' THEN '(p.oid::bigint + k::bigint * 10000000)::oid AS oid'
                                   ELSE 'p.' || quote_ident(attname) END, ', ' ORDER BY attnum)
      INTO cols
      FROM pg_catalog.pg_attribute
     WHERE attrelid = 'pg_catalog.pg_proc'::regclass AND attnum > 0 AND NOT attisdropped;
    -- copy k of a dlpg function has oid + k * 10^7: sqlsmith looks each routine's arguments
    -- up by its oid, which must give one row
    EXECUTE format('CREATE VIEW dlpg_smith_focus.pg_proc AS
                    SELECT * FROM pg_catalog.pg_proc WHERE pronamespace <> %L::regnamespace
                    UNION ALL
                    SELECT %s FROM pg_catalog.pg_proc p, generate_series(0, %s) AS k
                     WHERE p.pronamespace = %L::regnamespace',
                   'dlpg', cols, $WEIGHT, 'dlpg');
END
\$\$;
GRANT USAGE ON SCHEMA dlpg_smith_focus TO $ROLE;
GRANT SELECT ON dlpg_smith_focus.pg_proc TO $ROLE;
SQL
    "${PSQL[@]}" -d postgres -c "ALTER ROLE $ROLE SET search_path = dlpg_smith_focus, pg_catalog, public" \
        >/dev/null || fail_setup "cannot set the search_path of $ROLE"
fi
say "template $TEMPLATE: $counts; role $ROLE (dlpg_writer, dlpg_reader); dlpg weight $WEIGHT"

# ---------------------------------------------------------------- the seeds
DLPG_SOURCES=(src/*.c src/*/*.c)
for seed in $SEEDS; do
    db="dlpg_smith_$seed"
    dir="$RESULTS/seed-$seed"
    mkdir -p "$dir"
    if ! "${PSQL[@]}" -d postgres -c 'SET client_min_messages = warning' -c "DROP DATABASE IF EXISTS $db" \
            -c "CREATE DATABASE $db TEMPLATE $TEMPLATE" \
            -c "ALTER DATABASE $db SET log_error_verbosity = verbose" >/dev/null; then
        echo "seed $seed: FAILED (cannot create database $db)"
        FAILED=$((FAILED + 1))
        continue
    fi
    offset=$(stat -c %s "$LOG")
    start=$SECONDS
    timeout -k 10 "$SEED_SECONDS" sqlsmith "--target=host=$PGHOST port=$PGPORT dbname=$db user=$ROLE" \
        "--seed=$seed" "--max-queries=$QUERIES" --exclude-catalog --dump-all-queries --verbose \
        >"$dir/queries.sql" 2>"$dir/sqlsmith.err"
    smith_rc=$?
    secs=$((SECONDS - start))
    sleep 0.2       # let the server write the last lines
    tail -c +"$((offset + 1))" "$LOG" >"$dir/postgres.log"
    python3 "$ROOT/tools/sqlsmith-report.py" "$dir" "$dir/postgres.log" "$db" "${DLPG_SOURCES[@]}" ||
        echo "run-sqlsmith: the report of seed $seed failed" >&2
    alive=1
    "$PGCLUSTER_BINDIR/pg_isready" -q -t 10 || alive=0
    verdict=$(python3 - "$dir/report.json" "$QUERIES" "$smith_rc" "$alive" "$secs" <<'PY'
import json, sys
path, want, rc, alive, secs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "1", sys.argv[5]
try:
    r = json.load(open(path))
except Exception as e:
    print("FAILED (no report: %s)" % e); sys.exit()
why = []
if rc != 0:
    why.append("sqlsmith exited %d%s" % (rc, " (time limit)" if rc in (124, 137) else ""))
if r["executed"] != want:
    why.append("ran %s of %d queries" % (r["executed"], want))
if r["crash_lines"]:
    why.append("server crash: " + r["crash_lines"][0])
lost = r["connection_lost"] - r["admin_terminations"]
if lost > 0:
    why.append("%d connection(s) lost" % lost)
if r["dlpg_xx000"]:
    why.append("%d XX000 from dlpg: %s (%s)" % (len(r["dlpg_xx000"]), r["dlpg_xx000"][0]["message"], r["dlpg_xx000"][0]["location"]))
if not alive:
    why.append("server not answering")
errs = sum(r["errors_by_sqlstate"].values())
line = "%s queries in %ss, %d errors, %d calling dlpg functions (%s of them without error)" % (
    r["executed"], secs, errs, r["dlpg_calling_queries"],
    "?" if r["dlpg_calling_queries_ok"] is None else r["dlpg_calling_queries_ok"])
print(("ok: " + line) if not why else ("FAILED: " + line + "; " + "; ".join(why)))
PY
)
    echo "seed $seed: $verdict"
    case "$verdict" in ok:*) PASSED=$((PASSED + 1)) ;; *) FAILED=$((FAILED + 1)) ;; esac
    "${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
done

# ---------------------------------------------------------------- summary
python3 - "$RESULTS" $SEEDS <<'PY'
import collections, json, os, sys
results, seeds = sys.argv[1], sys.argv[2:]
tot = collections.Counter(); funcs = collections.Counter(); errs = collections.Counter()
funcs_ok = collections.Counter()
other_xx = set(); dlpg_xx = []; crashes = []; lost = 0
for s in seeds:
    try:
        r = json.load(open(os.path.join(results, "seed-" + s, "report.json")))
    except Exception:
        continue
    tot["executed"] += r["executed"] or 0
    tot["calling"] += r["dlpg_calling_queries"]
    tot["calling_ok"] += r["dlpg_calling_queries_ok"] or 0
    funcs.update(r["dlpg_functions"]); errs.update(r["errors_by_sqlstate"])
    funcs_ok.update(r["dlpg_functions_ok"])
    other_xx.update(r["xx000_other"]); dlpg_xx += [(s, x) for x in r["dlpg_xx000"]]
    crashes += r["crash_lines"]; lost += max(0, r["connection_lost"] - r["admin_terminations"])
print("sqlsmith summary")
print("  queries run:                    %d (%d seeds)" % (tot["executed"], len(seeds)))
print("  queries calling dlpg functions: %d" % tot["calling"])
print("  ... of them without error:     %d" % tot["calling_ok"])
print("  dlpg functions (queries calling it / of them without error):")
for name, n in sorted(funcs.items()):
    print("    %-22s %6d %6d" % (name, n, funcs_ok[name]))
print("  errors by SQLSTATE:             " + (", ".join("%s %d" % kv for kv in errs.most_common()) or "none"))
print("  XX000 from PostgreSQL's code:   " + (str(len(other_xx)) + " kinds" if other_xx else "none"))
for x in sorted(other_xx):
    print("    " + x)
print("  crashes:                        %d" % len(crashes))
for c in crashes[:5]:
    print("    " + c)
print("  connections lost:               %d" % lost)
print("  XX000 from dlpg:                %d" % len(dlpg_xx))
for s, x in dlpg_xx[:10]:
    print("    seed %s: %s (%s); statements in %s" % (s, x["message"], x["location"],
          os.path.join(results, "seed-" + s, "dlpg-xx000.sql")))
PY
finish
