#!/usr/bin/env bash
# tools/guide.sh -- `make guide`: the Deep Learning Performance Guide as a web page (web/app.py,
# docs/web.md) on the demo data, on this machine only.
#
#   1. installs what is missing (tools/install-deps.sh), builds dlpg and dlpg-load
#   2. installs them into a private tree (tools/private-tree.sh: the system's PostgreSQL is never
#      touched) and starts a private cluster from it (tools/pgcluster.sh)
#   3. creates database dlpg_guide, loads data/dlbs and the MLPerf trees of data/mlperf with
#      dlpg-load (as `make demo` does), and a
#      login role dlpg_web with only dlpg_reader, which the app connects as
#   4. starts the app on 127.0.0.1, prints its URL, and on Ctrl-C (or when the app stops) stops
#      the app and the cluster and removes the private tree
#
# Knobs (environment):
#   DLPG_WEB_PORT   the port (default 8080; 0: any free port)
#   DLPG_WEB_HOST   the address to listen on (default 127.0.0.1; anything else exposes the page
#                   to the network, with no authentication)
#   DLPG_WEB_DSN    a libpq connection string of an existing database with dlpg: steps 1-3 are
#                   skipped and the app serves that database (connect as a role with only
#                   dlpg_reader, e.g. "host=db.example dbname=perf user=dlpg_web")
#   DLPG_WEB_STATEMENT_TIMEOUT, DLPG_WEB_MAX_QUERY, DLPG_WEB_POOL: see web/app.py
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
PYTHON=${DLPG_PYTHON:-/usr/bin/python3}
export DLPG_WEB_PORT=${DLPG_WEB_PORT:-8080}

APP_PID=""
WORK=""
CLUSTER=0
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2>/dev/null; then
        kill "$APP_PID" 2>/dev/null || true
        wait "$APP_PID" 2>/dev/null || true
    fi
    if [ "$CLUSTER" = 1 ]; then
        echo "guide: stopping the cluster" >&2
        pgcluster_stop
    fi
    [ -n "$WORK" ] && rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -z "${DLPG_WEB_DSN:-}" ]; then
    echo "== dlpg guide: installing what is missing, building =="
    tools/install-deps.sh
    make -s >/dev/null
    WORK=$(mktemp -d /tmp/dlpg-guide.XXXXXX)
    chmod 755 "$WORK"
    make -s install DESTDIR="$WORK/tree" >/dev/null
    # shellcheck source=tools/private-tree.sh
    source tools/private-tree.sh
    private_tree_complete "$WORK/tree"
    PGCLUSTER_POSTGRES=$(private_tree_postgres "$WORK/tree")
    export PGCLUSTER_POSTGRES
    # shellcheck source=tools/pgcluster.sh
    source tools/pgcluster.sh
    unset PGCLUSTER_DIR PGCLUSTER_LOG PGCLUSTER_TCPHOST     # a cluster of our own, whatever the shell has
    CLUSTER=1
    PGCLUSTER_QUIET=1 pgcluster_start
    pgcluster_psql -q -d postgres -c 'CREATE DATABASE dlpg_guide'
    pgcluster_psql -q -d dlpg_guide -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION dlpg' \
        -c 'CREATE ROLE dlpg_web LOGIN' -c 'GRANT dlpg_reader TO dlpg_web'
    echo
    echo "== dlpg-load data/dlbs data/mlperf/training data/mlperf/inference =="
    # run.log (DLBS's own report) is no benchmark: rejected, exit status 1, as in make demo
    PGDATABASE=dlpg_guide loader/dlpg-load -q data/dlbs data/mlperf/training data/mlperf/inference ||
        echo "(dlpg-load exit code $?: some input was rejected, see dlpg.rejects)"
    DLPG_WEB_DSN="host=$PGHOST port=$PGPORT dbname=dlpg_guide user=dlpg_web"
fi
export DLPG_WEB_DSN

echo
if [ "$CLUSTER" = 1 ]; then
    echo "== the web Guide (web/app.py) on the demo data; Ctrl-C stops it and the cluster =="
else
    echo "== the web Guide (web/app.py) on DLPG_WEB_DSN; Ctrl-C stops it =="
fi
"$PYTHON" web/app.py &
APP_PID=$!
wait "$APP_PID"
