# shellcheck shell=bash
# test/citus/lib.sh -- shared by the Citus tests (test/citus/*.t), SOURCED by them.
#
# They run against the three-node cluster tools/run-tests-citus.sh starts (make test-citus), in
# its database dlpg_citus (citus and dlpg created), from its environment: CITUS_COORD_PORT,
# CITUS_WORKER1_PORT, CITUS_WORKER2_PORT (127.0.0.1), CITUS_DB, DLPG_LOAD, PGCLUSTER_BINDIR.
# The files run in name order and build on each other: 01 distributes dlpg, 02 loads data/dlbs,
# 03 compares the answers with a single node, 04 undistributes and drops the extension.
#
# The TAP helpers (tap_plan, ok, not_ok, is, like, diag, load, rc_is, summary_is, ...) are
# test/loader/lib.sh's.

CITUS_TEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=test/loader/lib.sh
source "$CITUS_TEST_DIR/../loader/lib.sh"

if [ -z "${CITUS_COORD_PORT:-}" ] || [ -z "${CITUS_WORKER1_PORT:-}" ] || [ -z "${CITUS_WORKER2_PORT:-}" ]; then
    echo "Bail out! no Citus cluster (run through tools/run-tests-citus.sh: make test-citus)"
    exit 1
fi
CDB=${CITUS_DB:-dlpg_citus}
export PGHOST=127.0.0.1 PGPORT=$CITUS_COORD_PORT PGDATABASE=$CDB
NODE_PORTS=("$CITUS_COORD_PORT" "$CITUS_WORKER1_PORT" "$CITUS_WORKER2_PORT")
NODE_NAMES=(coordinator worker1 worker2)

# qn PORT SQL [DB]: one value (or rows, '|'-separated) from the node on PORT
qn() { "${PSQL[@]}" -h 127.0.0.1 -p "$1" -d "${3:-$CDB}" -A -t -F '|' -c "$2"; }
# qc SQL: on the coordinator; qw1 / qw2: on a worker
qc() { qn "$CITUS_COORD_PORT" "$1"; }
qw1() { qn "$CITUS_WORKER1_PORT" "$1"; }
qw2() { qn "$CITUS_WORKER2_PORT" "$1"; }

# qerr PORT SQL: "SQLSTATE|message|hint" of the error SQL raises on that node, or "no error"
qerr() {
    qn "$1" "DO \$q\$ DECLARE st text; m text; h text; BEGIN
               BEGIN EXECUTE \$s\$$2\$s\$; EXCEPTION WHEN OTHERS THEN
                   GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, m = MESSAGE_TEXT, h = PG_EXCEPTION_HINT;
                   RAISE NOTICE '%|%|%', st, m, h; RETURN; END;
               RAISE NOTICE 'no error'; END \$q\$" 2>&1 | sed 's/^NOTICE:  //'
}

# shards_left: per node, "name:N" with N the number of shard relations of dlpg's tables
# (dlpg.benchmarks_NNN, dlpg.rejects_NNN and their indexes: Citus hides them from pg_class
# unless citus.override_table_visibility is off) plus Citus shard and table metadata rows
shards_left() {
    local i out=""
    for i in 0 1 2; do
        out+="${NODE_NAMES[$i]}:$(qn "${NODE_PORTS[$i]}" "SET citus.override_table_visibility TO off;
          SELECT (SELECT count(*) FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'dlpg' AND c.relname ~ '_[0-9]+\$')
          + (SELECT count(*) FROM pg_dist_shard) + (SELECT count(*) FROM pg_dist_partition)") "
    done
    printf '%s' "${out% }"
}
