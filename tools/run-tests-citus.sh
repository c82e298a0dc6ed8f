#!/usr/bin/env bash
# tools/run-tests-citus.sh -- the Citus suite (`make test-citus`, and a suite of tools/run-tests.sh):
# dlpg on a three-node Citus 13.2.2 cluster (a coordinator and two workers on loopback ports).
#
#   tools/run-tests-citus.sh            prove -v test/citus/*.t against the cluster (TAP output)
#   tools/run-tests-citus.sh CMD...     run CMD instead, in the same environment (to try things:
#                                       tools/run-tests-citus.sh bash)
#
# Where Citus comes from: tools/citus-build.sh builds it once from the source tarball
# (DLPG_CITUS_TARBALL, default ../shared/vendor/citus-13.2.2.tar.gz beside the checkout) into a
# cache outside the work tree (/var/cache/dlpg-citus as root); without the tarball, a Citus
# installed in the system's PostgreSQL (citus.so in pg_config --pkglibdir) is used. With
# neither, the suite prints a loud SKIPPED and exits 0 without running a test (counted as
# skipped by tools/run-tests.sh, not failed); a build that fails is a failure.
#
# Where it runs: never from the system's PostgreSQL installation, whether called by `make test`
# or `make test-private`. The suite makes a private tree of its own (tools/private-tree.sh):
# this checkout's dlpg (`make install DESTDIR=TREE`, so `make` must have built it), the cached
# Citus build copied in, and links to the rest of the system's installation; the three servers
# run from its copy of postgres (tools/pgcluster.sh, as `postgres` when we are root), with
# shared_preload_libraries = 'citus'. Nothing is installed into the system.
#
# The cluster: database dlpg_citus on each node with CREATE EXTENSION citus; the coordinator
# registered (citus_set_coordinator_host) and both workers added (citus_add_node), then
# CREATE EXTENSION dlpg on the coordinator (Citus propagates it to the workers). The tests
# distribute dlpg themselves (dlpg.distribute()). They get, in the environment:
#   PGHOST=127.0.0.1 PGUSER PGDATABASE=dlpg_citus PGPORT (the coordinator's)
#   CITUS_COORD_PORT CITUS_WORKER1_PORT CITUS_WORKER2_PORT   the nodes' ports on 127.0.0.1
#   CITUS_DB=dlpg_citus  DLPG_LOAD (the loader built here)  PGCLUSTER_BINDIR (psql)
#
# Knobs: DLPG_CITUS_TARBALL, DLPG_CITUS_CACHE (tools/citus-build.sh); DLPG_CITUS=skip skips the
# suite (still loudly); PGCLUSTER_KEEP=1 keeps the nodes' dirs and logs; PGCLUSTER_SERVER_ENV
# reaches the servers (make test-asan).
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT" || exit 1

skipped() {
    echo
    echo "################################################################################"
    echo "##  citus suite: SKIPPED -- $*"
    echo "##  (no test of dlpg on Citus ran; the suite counts as skipped, not passed)"
    echo "################################################################################"
    echo
    exit 0
}

[ "${DLPG_CITUS:-}" = skip ] && skipped "DLPG_CITUS=skip"

PG_CONFIG=${PG_CONFIG:-pg_config}
if ! pkglibdir=$("$PG_CONFIG" --pkglibdir) || ! sharedir=$("$PG_CONFIG" --sharedir); then
    echo "run-tests-citus: $PG_CONFIG failed" >&2
    exit 1
fi

# ---------------------------------------------------------------- Citus: cached build or installed
stage=$("$ROOT/tools/citus-build.sh")
rc=$?
if [ "$rc" -eq 2 ]; then
    stage=""
    if [ -f "$pkglibdir/citus.so" ] && [ -f "$sharedir/extension/citus.control" ]; then
        echo "run-tests-citus: no tarball: using the Citus installed in $pkglibdir"
    else
        skipped "neither the Citus source tarball (${DLPG_CITUS_TARBALL:-../shared/vendor/citus-13.2.2.tar.gz}) nor an installed Citus"
    fi
elif [ "$rc" -ne 0 ]; then
    echo "run-tests-citus: building Citus failed" >&2
    exit 1
fi

if [ ! -f "$ROOT/dlpg.so" ] || [ ! -x "$ROOT/loader/dlpg-load" ]; then
    echo "run-tests-citus: dlpg.so or loader/dlpg-load is not built (make first)" >&2
    exit 1
fi

# ---------------------------------------------------------------- the private tree
WORK=$(mktemp -d /tmp/dlpg-citus.XXXXXX) || exit 1
chmod 755 "$WORK"
TREE="$WORK/tree"
NODE_DIRS=()

# shellcheck source=tools/private-tree.sh
source "$ROOT/tools/private-tree.sh"
# shellcheck source=tools/pgcluster.sh
source "$ROOT/tools/pgcluster.sh"

stop_nodes() {
    local d
    for d in "${NODE_DIRS[@]}"; do
        PGCLUSTER_DIR=$d pgcluster_stop
    done
    NODE_DIRS=()
    [ "${PGCLUSTER_KEEP:-0}" = 1 ] || rm -rf "$WORK"
}
trap stop_nodes EXIT
trap 'exit 130' INT TERM

# plain make, not $MAKE: make test-private's wrapper would install into its own tree
if ! make -s --no-print-directory install DESTDIR="$TREE" >"$WORK/install.log" 2>&1; then
    echo "run-tests-citus: make install DESTDIR=$TREE failed:" >&2
    cat "$WORK/install.log" >&2
    exit 1
fi
if [ -n "$stage" ]; then
    cp -a "$stage/." "$TREE/" || exit 1
fi
private_tree_complete "$TREE" || exit 1
PGCLUSTER_POSTGRES=$(private_tree_postgres "$TREE") || exit 1
export PGCLUSTER_POSTGRES

# ---------------------------------------------------------------- three nodes
PORTS=()
for node in coordinator worker1 worker2; do
    unset PGCLUSTER_DIR
    if ! PGCLUSTER_EXTRA_CONF="shared_preload_libraries = 'citus'
max_connections = 100
${PGCLUSTER_EXTRA_CONF:-}" pgcluster_start; then
        echo "run-tests-citus: could not start the $node" >&2
        exit 1
    fi
    NODE_DIRS+=("$PGCLUSTER_DIR")
    PORTS+=("$PGPORT")
    echo "run-tests-citus: $node on 127.0.0.1:$PGPORT ($PGCLUSTER_DIR)"
done
unset PGCLUSTER_DIR
export PGHOST=127.0.0.1 PGPORT=${PORTS[0]} PGDATABASE=dlpg_citus
export CITUS_COORD_PORT=${PORTS[0]} CITUS_WORKER1_PORT=${PORTS[1]} CITUS_WORKER2_PORT=${PORTS[2]}
export CITUS_DB=dlpg_citus DLPG_LOAD="$ROOT/loader/dlpg-load" PGCLUSTER_BINDIR
PSQL=("$PGCLUSTER_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1)

for port in "${PORTS[@]}"; do
    if ! "${PSQL[@]}" -p "$port" -d postgres -c 'CREATE DATABASE dlpg_citus' ||
       ! "${PSQL[@]}" -p "$port" -d dlpg_citus -c 'SET client_min_messages = warning' \
            -c 'CREATE EXTENSION citus'; then
        echo "run-tests-citus: CREATE EXTENSION citus failed on 127.0.0.1:$port" >&2
        exit 1
    fi
done
if ! "${PSQL[@]}" -p "$CITUS_COORD_PORT" -d dlpg_citus -c 'SET client_min_messages = warning' \
        -c "SELECT citus_set_coordinator_host('127.0.0.1', $CITUS_COORD_PORT)" \
        -c "SELECT citus_add_node('127.0.0.1', $CITUS_WORKER1_PORT)" \
        -c "SELECT citus_add_node('127.0.0.1', $CITUS_WORKER2_PORT)" \
        -c 'CREATE EXTENSION dlpg' >/dev/null; then
    echo "run-tests-citus: adding the workers or CREATE EXTENSION dlpg failed" >&2
    exit 1
fi
echo "run-tests-citus: coordinator 127.0.0.1:$CITUS_COORD_PORT, workers :$CITUS_WORKER1_PORT and :$CITUS_WORKER2_PORT, database dlpg_citus"

# ---------------------------------------------------------------- the tests
if [ $# -gt 0 ]; then
    "$@"
    exit
fi
shopt -s nullglob
tests=(test/citus/*.t)
shopt -u nullglob
if [ ${#tests[@]} -eq 0 ]; then
    echo "no tests in test/citus/: 0 tests"
    exit 0
fi
prove -v "${tests[@]}"
