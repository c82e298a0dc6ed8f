#!/usr/bin/env bash
# test/citus/04_undistribute.t -- dlpg.undistribute() on a worker refuses; on the coordinator it
# brings the tables back with every row and id and leaves no shard and no Citus metadata of
# them on any node; dlpg works as a plain single-node extension after it (TRUNCATE, ingest);
# DROP EXTENSION dlpg then leaves nothing on any node.
set -uo pipefail
# shellcheck source=test/citus/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tap_plan 11

err=$(qerr "$CITUS_WORKER2_PORT" "SELECT * FROM dlpg.undistribute()")
like <(echo "$err") '^55000\|dlpg.undistribute must run on the Citus coordinator' "dlpg.undistribute() on a worker: 55000"

rows_b=$(qc "SELECT md5(string_agg(b::text, ',' ORDER BY id)) FROM dlpg.benchmarks b")
rows_r=$(qc "SELECT md5(string_agg(r::text, ',' ORDER BY id)) FROM dlpg.rejects r")
nb=$(qc 'SELECT count(*) FROM dlpg.benchmarks')
nr=$(qc 'SELECT count(*) FROM dlpg.rejects')
[ "$nb" -gt 0 ] || diag "no benchmarks to keep: the earlier files failed"
is "$(qc "SELECT table_name || ' ' || rows FROM dlpg.undistribute()")" "dlpg.benchmarks $nb
dlpg.rejects $nr" "dlpg.undistribute(): both tables back with their $nb and $nr rows"
is "$(qc "SELECT md5(string_agg(b::text, ',' ORDER BY id)) FROM dlpg.benchmarks b")" "$rows_b" \
    "... every benchmark as it was, ids included"
is "$(qc "SELECT md5(string_agg(r::text, ',' ORDER BY id)) FROM dlpg.rejects r")" "$rows_r" "... every reject too"
is "$(shards_left)" "coordinator:0 worker1:0 worker2:0" \
    "no shard of dlpg's tables and no Citus metadata of them left on any node"
is "$(qc "SELECT count(*) FROM pg_trigger WHERE tgrelid IN ('dlpg.benchmarks'::regclass, 'dlpg.rejects'::regclass)")" 0 \
    "no Citus trigger left on the tables"
id=$(qc "SELECT dlpg.ingest(regexp_replace(dlpg_test_log, '__exp.id__=\"([^\"]*)\"', '__exp.id__=\"undist-\\1\"'), 'after.log')
           FROM (SELECT \$l\$$(cat "$ROOT/data/dlbs/rtx2080/resnet50_8.log")\$l\$ AS dlpg_test_log) s")
is "$(qc "SELECT count(*) FROM dlpg.benchmarks WHERE id = '$id' AND source = 'after.log'")" 1 \
    "an ingest on the coordinator after it goes into the plain table"

is "$(qc 'SELECT * FROM dlpg.distribute(4)' | wc -l)" 2 "dlpg.distribute(4) again after undistribute works"
is "$(qc 'SELECT count(*) FROM dlpg.benchmarks')" "$((nb + 1))" "... and keeps the rows"
qc 'SELECT count(*) FROM dlpg.undistribute()' >/dev/null
"${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -c 'DROP EXTENSION dlpg' >/dev/null 2>"$TAP_WORK/drop.err"
diag_file "$TAP_WORK/drop.err"
is "$(for p in "${NODE_PORTS[@]}"; do qn "$p" "SELECT count(*) FROM pg_extension WHERE extname = 'dlpg'"; done | tr '\n' ' ')" \
   "0 0 0 " "undistribute, then DROP EXTENSION dlpg: gone from every node"
is "$(for p in "${NODE_PORTS[@]}"; do qn "$p" "SET citus.override_table_visibility TO off; SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'dlpg')
                                              + (SELECT count(*) FROM pg_dist_shard)"; done | tr '\n' ' ')" \
   "0 0 0 " "... leaving no table, shard or shard metadata behind"
exit $((TAP_FAILS > 0))
