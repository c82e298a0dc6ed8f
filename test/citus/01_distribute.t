#!/usr/bin/env bash
# test/citus/01_distribute.t -- dlpg 0.3.0 created and updated on the coordinator is updated on
# every node; CREATE EXTENSION dlpg reached the workers; dlpg.distribute()
# refuses on a worker and takes a bad shard count, then on the coordinator distributes
# dlpg.benchmarks by hash on dedup_key and makes dlpg.rejects a reference table; a second call
# refuses. Leaves dlpg distributed for the next files.
set -uo pipefail
# shellcheck source=test/citus/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tap_plan 15

want_version=$(qc "SELECT default_version FROM pg_available_extensions WHERE name = 'dlpg'")

# the update path on the cluster, before distributing: CREATE EXTENSION and ALTER EXTENSION
# UPDATE on the coordinator reach the workers, and every node runs the update scripts
versions() { local p; for p in "${NODE_PORTS[@]}"; do qn "$p" "SELECT extversion FROM pg_extension WHERE extname = 'dlpg'"; done | tr '\n' ' '; }
"${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -c 'SET client_min_messages = warning' \
    -c 'DROP EXTENSION dlpg' -c "CREATE EXTENSION dlpg VERSION '0.3.0'" 2>&1 | sed 's/^/# /'
is "$(versions)" "0.3.0 0.3.0 0.3.0 " "CREATE EXTENSION dlpg VERSION '0.3.0' on the coordinator: 0.3.0 on every node"
"${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -c 'SET client_min_messages = warning' \
    -c 'ALTER EXTENSION dlpg UPDATE' 2>&1 | sed 's/^/# /'
is "$(versions)" "$want_version $want_version $want_version " \
    "ALTER EXTENSION dlpg UPDATE on the coordinator: $want_version on every node"
is "$(qc "SELECT count(*) FROM pg_dist_node WHERE noderole = 'primary' AND isactive AND groupid <> 0")" 2 \
    "two active workers in pg_dist_node"
for i in 1 2; do
    is "$(qn "${NODE_PORTS[$i]}" "SELECT extversion FROM pg_extension WHERE extname = 'dlpg'")" "$want_version" \
        "CREATE EXTENSION dlpg on the coordinator reached ${NODE_NAMES[$i]} (dlpg $want_version)"
done

err=$(qerr "$CITUS_WORKER1_PORT" "SELECT * FROM dlpg.distribute()")
like <(echo "$err") '^55000\|dlpg.distribute must run on the Citus coordinator, and this node is not one\|Connect to the coordinator' \
    "dlpg.distribute() on a worker: 55000, not a coordinator, with a hint"
err=$(qerr "$CITUS_COORD_PORT" "SELECT * FROM dlpg.distribute(0)")
like <(echo "$err") '^22023\|shard_count must be between 1 and 64000, not 0' "dlpg.distribute(0): 22023"

out=$(qc "SELECT table_name, method, coalesce(distribution_column, '-'), shards FROM dlpg.distribute()" 2>"$TAP_WORK/dist.err")
is "$out" "dlpg.benchmarks|hash|dedup_key|32
dlpg.rejects|reference|-|1" "dlpg.distribute() on the coordinator: benchmarks hash by dedup_key in 32 shards, rejects reference"
diag_file "$TAP_WORK/dist.err"

is "$(qc "SELECT logicalrelid::text || ' ' || partmethod::text || ' ' || coalesce(column_to_column_name(logicalrelid, partkey), '-')
            FROM pg_dist_partition WHERE logicalrelid::text LIKE 'dlpg.%' ORDER BY 1")" \
   "dlpg.benchmarks h dedup_key
dlpg.rejects n -" "pg_dist_partition: dlpg.benchmarks hash on dedup_key, dlpg.rejects reference"
is "$(qc "SELECT count(DISTINCT p.groupid) FROM pg_dist_shard s JOIN pg_dist_placement p USING (shardid)
           WHERE s.logicalrelid = 'dlpg.benchmarks'::regclass")" 2 "the 32 shards of dlpg.benchmarks are on both workers"
for i in 1 2; do
    is "$(qn "${NODE_PORTS[$i]}" "SELECT count(*) FROM pg_dist_partition WHERE logicalrelid::text LIKE 'dlpg.%'")" 2 \
        "${NODE_NAMES[$i]} has the metadata of both tables (ingest there works)"
done
# what 04_undistribute.t checks is gone: shard relations that Citus hides from pg_class
w1_shards=$(qw1 "SET citus.override_table_visibility TO off;
                 SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE n.nspname = 'dlpg' AND c.relkind = 'r' AND c.relname ~ '^(benchmarks|rejects)_[0-9]+$'")
is "$w1_shards" 17 "worker1 holds 17 shard tables (16 of dlpg.benchmarks, 1 of dlpg.rejects), seen with citus.override_table_visibility off"
is "$(qc "SELECT count(*) FROM dlpg.benchmarks") $(qc "SELECT count(*) FROM dlpg.rejects")" "0 0" \
    "the distributed tables are empty"
err=$(qerr "$CITUS_COORD_PORT" "SELECT * FROM dlpg.distribute()")
like <(echo "$err") '^55000\|dlpg is already distributed\|dlpg.undistribute\(\) first' \
    "a second dlpg.distribute(): 55000, already distributed"
exit $((TAP_FAILS > 0))
