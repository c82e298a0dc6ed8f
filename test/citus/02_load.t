#!/usr/bin/env bash
# test/citus/02_load.t -- dlpg-load through the coordinator into the distributed tables: the
# bundled logs (data/dlbs: 17 benchmarks, 1 reject), again (all duplicates), four loaders at
# once (still each benchmark once), one loader with --jobs 4 (duplicates again; then 40 new
# logs, each once, on both workers), --on-conflict replace (same ids, new values, no now() in the
# DO UPDATE for Citus to refuse) and error (each one rejected, 23505); an ingest on a worker
# gets an id of that worker's range, never one of the coordinator's.
set -uo pipefail
# shellcheck source=test/citus/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_loader
tap_plan 29

DATA="$ROOT/data/dlbs"
cd "$ROOT" || exit 1

load first -d "$CDB" data/dlbs
rc_is 1 "dlpg-load data/dlbs on the coordinator: exit 1 (one file rejected)"
is "$(qc 'SELECT count(*) FROM dlpg.benchmarks') $(qc 'SELECT count(*) FROM dlpg.rejects')" "17 1" \
    "17 benchmarks and 1 reject stored"
summary_is "$LOAD_ERR" "benchmarks_ingested=17 duplicates=0 rejected=1" "summary: 17 ingested, 1 rejected"
is "$(qc "WITH s AS MATERIALIZED (SELECT get_shard_id_for_distribution_column('dlpg.benchmarks', dedup_key) AS shardid
                                   FROM dlpg.benchmarks)
         SELECT count(DISTINCT p.groupid) FROM s JOIN pg_dist_placement p USING (shardid)")" 2 \
    "the benchmarks are spread over both workers"

ids_before=$(qc "SELECT string_agg(id || ':' || dedup_key, ',' ORDER BY id) FROM dlpg.benchmarks")
load second -d "$CDB" data/dlbs
summary_is "$LOAD_ERR" "benchmarks_ingested=0 duplicates=17" "the same folder again: 17 duplicates, nothing ingested"
is "$(qc 'SELECT count(*) FROM dlpg.benchmarks')" 17 "... still 17 benchmarks"

pids=()
for n in 1 2 3 4; do
    "$DLPG_LOAD" -q -d "$CDB" data/dlbs/h200 data/dlbs/rtx2080/[ar]*_*.log data/dlbs/failed >"$TAP_WORK/par$n.out" 2>"$TAP_WORK/par$n.err" &
    pids+=($!)
done
rcs=""
for p in "${pids[@]}"; do wait "$p"; rcs+="$? "; done
is "$rcs" "0 0 0 0 " "four loaders at once over the same folders: all exit 0"
is "$(qc 'SELECT count(*) FROM dlpg.benchmarks') $(qc "SELECT string_agg(id || ':' || dedup_key, ',' ORDER BY id) FROM dlpg.benchmarks")" \
   "17 $ids_before" "... still 17 benchmarks with the same ids"

# --jobs 4: four connections to the coordinator in one loader
load jobs -d "$CDB" --jobs 4 data/dlbs
rc_is 1 "dlpg-load --jobs 4 data/dlbs through the coordinator: exit 1 (the bad file again)"
summary_is "$LOAD_ERR" "files_read=18 benchmarks_ingested=0 duplicates=17 rejected=1" "... one summary: 17 duplicates"
is "$(qc "SELECT string_agg(id || ':' || dedup_key, ',' ORDER BY id) FROM dlpg.benchmarks")" "$ids_before" \
    "... still the 17 benchmarks with the same ids"

# replace: one log changed
mkdir -p "$TAP_WORK/h200"
cp "$DATA"/h200/*.log "$TAP_WORK/h200/"
changed=$(ls "$TAP_WORK"/h200/*.log | head -n 1)
sed -i -E 's/^__results\.time__=.*/__results.time__=123.25/' "$changed"
n_h200=$(ls "$TAP_WORK"/h200/*.log | wc -l)
load replace -d "$CDB" --on-conflict replace --source-prefix r: "$TAP_WORK/h200"
rc_is 0 "--on-conflict replace through the coordinator: exit 0 (Citus takes the DO UPDATE)"
like "$LOAD_ERR" "^  benchmarks ingested: +$n_h200 \\(0 inserted, $n_h200 replaced\\)" "summary: $n_h200 replaced"
is "$(qc "SELECT string_agg(id || ':' || dedup_key, ',' ORDER BY id) FROM dlpg.benchmarks")" "$ids_before" \
    "replace keeps every id"
is "$(qc "SELECT batch_time_ms FROM dlpg.benchmarks WHERE source = 'r:$changed'")" 123.25 \
    "... and stores the new values"
is "$(qc "SELECT count(*) FROM dlpg.benchmarks WHERE source LIKE 'r:%' AND ingested_at >= now() - interval '10 minutes'")" \
   "$n_h200" "... with a new ingested_at"

load error -d "$CDB" --on-conflict error --source-prefix e: "$TAP_WORK/h200"
rc_is 1 "--on-conflict error over stored benchmarks: exit 1"
is "$(qc "SELECT count(*) || '|' || string_agg(DISTINCT sqlstate, ',') FROM dlpg.rejects WHERE source LIKE 'e:%'")" \
   "$n_h200|23505" "... each one rejected with 23505"

# --jobs 4 over new logs
mkdir -p "$TAP_WORK/jobs"
h200_logs=("$DATA"/h200/*.log)
for i in $(seq -w 1 40); do
    log_with_id "${h200_logs[$((10#$i % ${#h200_logs[@]}))]}" "citus-jobs-$i" "$TAP_WORK/jobs/j$i.log"
done
load jobs-new -d "$CDB" --jobs 4 --batch 5 "$TAP_WORK/jobs"
rc_is 0 "--jobs 4 --batch 5 over 40 new logs through the coordinator: exit 0"
is "$(qc "SELECT count(*) || ' ' || count(DISTINCT exp_id) FROM dlpg.benchmarks WHERE exp_id LIKE 'citus-jobs-%'") $(qc "WITH s AS MATERIALIZED (
        SELECT get_shard_id_for_distribution_column('dlpg.benchmarks', dedup_key) AS shardid
          FROM dlpg.benchmarks WHERE exp_id LIKE 'citus-jobs-%')
        SELECT count(DISTINCT p.groupid) FROM s JOIN pg_dist_placement p USING (shardid)")" "40 40 2" \
    "... each stored once, spread over both workers"

# an ingest on a worker
log=$(cat "$ROOT/test/citus/../../data/dlbs/rtx2080/$(ls "$DATA/rtx2080" | head -n 1)")
w_id=$(qw1 "SELECT dlpg.ingest(regexp_replace(\$l\$$log\$l\$, '__exp.id__=\"([^\"]*)\"', '__exp.id__=\"w1-\\1\"'), 'worker1.log')")
is "$(qc "SELECT count(*) FROM dlpg.benchmarks WHERE id = '$w_id' AND source = 'worker1.log'")" 1 \
    "an ingest on worker1 is stored and seen from the coordinator (id $w_id)"
is "$(qc "SELECT count(*) FROM dlpg.benchmarks WHERE id = '$w_id'")" 1 "... its id is not one of the coordinator's"
is "$(qc "SELECT '$w_id'::bigint > (SELECT max(id) FROM dlpg.benchmarks WHERE source <> 'worker1.log')
               AND '$w_id'::bigint >= (SELECT groupid FROM pg_dist_node WHERE nodeport = $CITUS_WORKER1_PORT)::bigint << 48")" t \
    "... it is in worker1's range (group << 48), above every id the coordinator gave"
r_id=$(qw2 "SELECT count(*) FROM dlpg.load('dlbs_log', 'not a log', 'worker2-bad.log')" >/dev/null;
       qc "SELECT id FROM dlpg.rejects WHERE source = 'worker2-bad.log'")
is "$(qc "SELECT count(*) FROM dlpg.rejects WHERE id = '$r_id'") $(qc "SELECT '$r_id'::bigint >= (SELECT groupid FROM pg_dist_node WHERE nodeport = $CITUS_WORKER2_PORT)::bigint << 48")" \
   "1 t" "a reject written on worker2 (a reference table) gets an id of worker2's range"

# a worker added after dlpg.distribute: its sequences start where CREATE EXTENSION left them (1),
# as worker2's are made here (DDL propagation off, as on a node that citus_add_node just added)
seq_state() {  # port: the benchmarks id sequence's min value and last value
    qn "$1" "SELECT s.seqmin || ' ' || q.last_value FROM pg_sequence s,
                    LATERAL (SELECT last_value FROM dlpg.benchmarks_id_seq) q
              WHERE s.seqrelid = pg_get_serial_sequence('dlpg.benchmarks', 'id')::regclass"
}
qn "$CITUS_WORKER2_PORT" "SET citus.enable_ddl_propagation TO off;
    ALTER SEQUENCE dlpg.benchmarks_id_seq MINVALUE 1 MAXVALUE 9223372036854775807 RESTART 1" >/dev/null
w1_before=$(seq_state "$CITUS_WORKER1_PORT")
is "$(seq_state "$CITUS_WORKER2_PORT")" "1 1" "a worker as citus_add_node leaves it: ids from 1, the coordinator's range"
is "$(qc "SELECT nodeport || ' ' || adjusted || ' ' || (ids_from = ((SELECT groupid FROM pg_dist_node d WHERE d.nodeport = a.nodeport)::bigint << 48) + 1)
            FROM dlpg.adjust_worker_ids() a ORDER BY nodeport = $CITUS_WORKER2_PORT")" "$CITUS_WORKER1_PORT false true
$CITUS_WORKER2_PORT true true" \
   "dlpg.adjust_worker_ids(): the new worker moved to its own range (group << 48), the other not moved"
is "$(seq_state "$CITUS_WORKER1_PORT")" "$w1_before" "... the other worker's sequence as it was (its next id unchanged)"
w2_id=$(qw2 "SELECT dlpg.ingest(regexp_replace(\$l\$$log\$l\$, '__exp.id__=\"([^\"]*)\"', '__exp.id__=\"w2-\\1\"'), 'worker2.log')")
is "$(qc "SELECT '$w2_id'::bigint >= (SELECT groupid FROM pg_dist_node WHERE nodeport = $CITUS_WORKER2_PORT)::bigint << 48")" t \
   "... an ingest on it then gets an id of its range"
err=$(qerr "$CITUS_WORKER1_PORT" "SELECT * FROM dlpg.adjust_worker_ids()")
like <(echo "$err") '^55000|dlpg.adjust_worker_ids must run on the Citus coordinator' \
   "dlpg.adjust_worker_ids() on a worker refuses: 55000"
exit $((TAP_FAILS > 0))
