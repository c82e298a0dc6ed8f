#!/usr/bin/env bash
# test/citus/03_answers.t -- the Guide's answers on Citus are a single node's: the rows of the
# distributed tables are copied into a plain database (dlpg_single, on the coordinator's server,
# no Citus in it), and a handful of dlpg.series, dlpg.scaling_report, dlpg.axis_values and
# dlpg.chart calls must give the same text on both; dlpg.series also with
# force_parallel_mode = on (PARALLEL RESTRICTED: run in the leader, not in a parallel worker
# that cannot run a distributed query). On the single node, the query each of the three runs
# inside still gets parallel workers (auto_explain of nested statements). The dlpg aggregates
# run on the workers (EXPLAIN (VERBOSE): worker_partial_agg, coord_combine_agg), also with
# coordinator aggregation disabled and for a dlpg_reader.
set -uo pipefail
# shellcheck source=test/citus/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
tap_plan 32

SDB=dlpg_single_$$
TEST_DBS+=("$SDB")
"${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d postgres -c "CREATE DATABASE $SDB" >/dev/null &&
    "${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$SDB" -c 'SET client_min_messages = warning' \
        -c 'CREATE EXTENSION dlpg' >/dev/null ||
    { echo "Bail out! cannot create the single-node database"; exit 1; }
qs() { qn "$CITUS_COORD_PORT" "$1" "$SDB"; }
for t in benchmarks rejects; do
    "${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -c "COPY (SELECT * FROM dlpg.$t) TO STDOUT" |
        "${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$SDB" -c "COPY dlpg.$t FROM STDIN"
done
n=$(qc 'SELECT count(*) FROM dlpg.benchmarks')
is "$(qs 'SELECT count(*) FROM dlpg.benchmarks')" "$n" "the single-node copy holds the cluster's $n benchmarks"
is "$(qs "SELECT count(*) FROM pg_extension WHERE extname = 'citus'")" 0 "... in a database without Citus"

# same CALL LABEL: the rows of CALL (ordered as dlpg returns them) on both
same() {
    local sql=$1 label=$2 got want
    want=$(qs "SELECT * FROM $sql" 2>&1)
    got=$(qc "SELECT * FROM $sql" 2>&1)
    if [ -z "$want" ]; then
        not_ok "$label: the single node gives no rows (the comparison would be vacuous)"
        return
    fi
    is "$got" "$want" "$label: the same rows on Citus as on one node"
}
same "dlpg.series('replica_batch')" "series(replica_batch)"
same "dlpg.series('replica_batch', 'batch_time', '{}', 'avg', 'model')" "series(replica_batch, batch_time, avg, by model)"
same "dlpg.series('model', 'throughput', '{\"precision\": \"fp32\"}', 'median', 'processing_unit')" "series(model, median, fp32, by processing unit)"
same "dlpg.series('precision', 'batch_time', '{}', 'min', 'phase')" "series(precision, batch_time, min, by phase)"
same "dlpg.series('effective_batch', 'throughput', '{}', 'max', 'precision')" "series(effective_batch, max, by precision)"
same "dlpg.scaling_report('weak', '{\"batch_size\": 32}')" "scaling_report(weak, batch 32)"
same "dlpg.scaling_report('strong', '{}', 'processing_unit')" "scaling_report(strong, by processing unit)"
same "dlpg.axis_values ORDER BY axis, value" "axis_values"
same "dlpg.chart('replica_batch', 'throughput', '{}', 'best', 'model')" "chart(replica_batch, by model), SVG"
same "dlpg.chart('precision', 'batch_time', '{}', 'avg', 'processing_unit', NULL, 'vega-lite')" "chart(precision, avg), Vega-Lite"

# force_parallel_mode = on: the functions run in the leader
got=$("${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -A -t -F '|' \
        -c 'SET client_min_messages = warning' -c 'SET force_parallel_mode = on' \
        -c "SELECT * FROM dlpg.series('replica_batch', 'throughput', '{}', 'avg', 'model')" 2>&1)
is "$got" "$(qs "SELECT * FROM dlpg.series('replica_batch', 'throughput', '{}', 'avg', 'model')")" \
    "series with force_parallel_mode = on on Citus: the single node's rows"
got=$("${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -A -t -F '|' \
        -c 'SET client_min_messages = warning' -c 'SET force_parallel_mode = on' \
        -c "SELECT count(*) FROM dlpg.scaling_report('weak', '{\"batch_size\": 32}')" \
        -c "SELECT length(dlpg.chart('replica_batch')) > 0" 2>&1)
is "$got" "$(qs "SELECT count(*) FROM dlpg.scaling_report('weak', '{\"batch_size\": 32}')")
t" "scaling_report and chart with force_parallel_mode = on on Citus"

# ingesting more on the cluster and on the node keeps them equal (replace mode on both)
log=$(cat "$ROOT/data/dlbs/h200/resnet50_float16_training_64.log")
qc "SELECT dlpg.ingest(\$l\$$log\$l\$, 'again.log', 'replace')" >/dev/null
qs "SELECT dlpg.ingest(\$l\$$log\$l\$, 'again.log', 'replace')" >/dev/null
same "dlpg.series('replica_batch', 'throughput', '{\"processing_unit\": \"NVIDIA H200\"}', 'best', 'precision')" "series after a replace on both"

# single node: the query dlpg.series, scaling_report and chart run inside (over SPI) still gets a
# parallel plan with workers now that they are PARALLEL RESTRICTED (auto_explain shows the
# nested statement's plan; the calling statement's own plan, a Function Scan, has no Gather)
nested_plans() {
    "${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$SDB" -c "LOAD 'auto_explain'" \
        -c 'SET auto_explain.log_min_duration = 0' -c 'SET auto_explain.log_nested_statements = on' \
        -c 'SET auto_explain.log_analyze = on' -c 'SET auto_explain.log_level = notice' \
        -c 'SET parallel_setup_cost = 0' -c 'SET parallel_tuple_cost = 0' \
        -c 'SET min_parallel_table_scan_size = 0' -c 'SET max_parallel_workers_per_gather = 2' \
        -c "$1" 2>&1 >/dev/null
}
for fn in series scaling_report chart; do
    case $fn in
        series) sql="SELECT count(*) FROM dlpg.series('replica_batch', 'throughput', '{}', 'avg', 'model')" ;;
        scaling_report) sql="SELECT count(*) FROM dlpg.scaling_report('weak', '{\"batch_size\": 32}')" ;;
        chart) sql="SELECT length(dlpg.chart('replica_batch', 'throughput', '{}', 'median', 'model'))" ;;
    esac
    nested_plans "$sql" >"$TAP_WORK/nested.out"
    like "$TAP_WORK/nested.out" 'Workers Launched: [1-9]' \
        "single node: the query inside dlpg.$fn runs with parallel workers"
done

# where the aggregates run (issue 11 item 2): on the workers. Their states are types of their
# own, so Citus pushes them down (worker_partial_agg on each shard, the partial states sent as
# text, coord_combine_agg on the coordinator) instead of pulling every row to the coordinator.
pushed_down() {  # pushed_down SQL AGG...: the plan of SQL has AGG's worker_partial_agg and a coord_combine_agg
    local sql=$1 plan agg missing=""
    shift
    plan=$(qc "EXPLAIN (VERBOSE, COSTS OFF) $sql" 2>&1)
    for agg in "$@"; do
        grep -qF "worker_partial_agg('dlpg.$agg'::regprocedure" <<<"$plan" || missing+=" worker_partial_agg($agg)"
    done
    grep -q 'coord_combine_agg(' <<<"$plan" || missing+=" coord_combine_agg"
    if grep -Eq 'worker_partial_agg\(|coord_combine_agg\(' <<<"$plan" && [ -z "$missing" ]; then
        return 0
    fi
    diag "missing:$missing"
    diag "$plan"
    return 1
}
summary='point_summary(text[],record)'
for agg in min max avg median; do
    q=$(qc "SELECT dlpg.series_query('replica_batch', 'throughput', '{}', '$agg', 'model')")
    if pushed_down "$q" "trial_$agg(double precision)" "$summary"; then
        ok "EXPLAIN (VERBOSE) of series_query(..., '$agg', 'model'): trial_$agg and point_summary (configs and mixed: one state) run on the workers (worker_partial_agg), combined on the coordinator (coord_combine_agg)"
    else
        not_ok "series_query(..., '$agg', 'model') is pushed down to the workers"
    fi
done
q=$(qc "SELECT dlpg.series_query('replica_batch', 'throughput', '{}', 'max', 'model')")
is "$(qc "EXPLAIN (VERBOSE, COSTS OFF) $q" | grep -o "worker_partial_agg('dlpg\.point_[a-z]*" | sort | uniq -c | tr -s ' ')" \
   " 1 worker_partial_agg('dlpg.point_summary" "one configuration state per group and shard: point_summary, not point_configs and point_mixed side by side"
q=$(qc "SELECT dlpg.series_query('replica_batch', 'throughput', '{}', 'olympic', 'model')")
if pushed_down "$q" "trial_sample(double precision)" "$summary"; then
    ok "EXPLAIN (VERBOSE) of series_query(..., 'olympic', 'model'): the runs' sample (trial_sample) is gathered on the workers"
else
    not_ok "series_query(..., 'olympic', 'model') is pushed down to the workers"
fi
same "dlpg.series('replica_batch', 'throughput', '{}', 'olympic', 'model')" "series(replica_batch, olympic, by model)"
q=$(qc "SELECT dlpg.scaling_query('weak', '{\"batch_size\": 32}', 'model')")
if pushed_down "$q" "trial_avg(double precision)" "$summary"; then
    ok "EXPLAIN (VERBOSE) of scaling_query('weak', batch 32, 'model'): its aggregates run on the workers"
else
    not_ok "scaling_query is pushed down to the workers"
fi
q=$(qc "SELECT dlpg.series_query('replica_batch', 'throughput', '{}', 'avg', 'model')")
diag "EXPLAIN (VERBOSE, COSTS OFF) of series_query('replica_batch', 'throughput', '{}', 'avg', 'model') on Citus:"
diag "$(qc "EXPLAIN (VERBOSE, COSTS OFF) $q" 2>&1 | grep -E 'Output: .*coord_combine_agg|Query: SELECT' | cut -c1-400)"
is "$(qc "SELECT count(*) FROM ($q) s")" "$(qs "SELECT count(*) FROM ($q) s")" \
    "series_query's SQL run as is: as many rows on Citus as on one node"

# the check behind "no benchmark has ..." NOTICEs (one EXISTS per text filter value) stops at the
# first row on Citus too: its statement, as dlpg.series runs it (auto_explain of nested
# statements), has a Limit in each shard's task. Without the LIMIT 1 Citus planned the EXISTS as a
# subplan that copied every matching row to the coordinator (bench/citus_bench.sh: 700 ms a
# filter for 1M benchmarks, most of dlpg.series's time).
"${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -c "LOAD 'auto_explain'" \
    -c 'SET auto_explain.log_min_duration = 0' -c 'SET auto_explain.log_nested_statements = on' \
    -c 'SET auto_explain.log_level = notice' -c 'SET client_min_messages = notice' \
    -c "SELECT count(*) FROM dlpg.series('replica_batch', 'throughput', '{\"precision\": \"fp32\"}')" \
    2>"$TAP_WORK/check_plan.out" >/dev/null
awk '/^NOTICE:/ { inblock = 0 } /Query Text: SELECT EXISTS \(SELECT 1 FROM dlpg\.benchmarks/ { inblock = 1 } inblock' \
    "$TAP_WORK/check_plan.out" >"$TAP_WORK/check_exists.out"
if grep -q 'Task Count: 32' "$TAP_WORK/check_exists.out" &&
   awk '/->  Task/ { task = 1 } task && /->  Limit/ { found = 1 } END { exit !found }' "$TAP_WORK/check_exists.out"; then
    ok "dlpg.series's filter check on Citus: each shard stops at its first matching row (a Limit in the task)"
else
    not_ok "dlpg.series's filter check on Citus: each shard stops at its first matching row (a Limit in the task)"
    diag_file "$TAP_WORK/check_plan.out"
fi

# with coordinator aggregation disabled (Citus refuses any aggregate it would have to pull rows
# for), dlpg.series and scaling_report still answer: nothing of theirs needs the coordinator
for call in "dlpg.series('replica_batch', 'throughput', '{}', 'median', 'model')" \
            "dlpg.series('precision', 'batch_time', '{}', 'min', 'phase')" \
            "dlpg.scaling_report('strong', '{}', 'processing_unit')"; do
    got=$("${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -A -t -F '|' \
            -c 'SET client_min_messages = warning' -c "SET citus.coordinator_aggregation_strategy = 'disabled'" \
            -c "SELECT * FROM $call" 2>&1)
    is "$got" "$(qs "SET client_min_messages = warning; SELECT * FROM $call")" \
        "$call with citus.coordinator_aggregation_strategy = 'disabled': the single node's rows"
done

# as a dlpg_reader: Citus checks EXECUTE on the aggregates' support functions for the caller
qc "CREATE ROLE dlpg_citus_reader_$$ LOGIN IN ROLE dlpg_reader" >/dev/null 2>&1
got=$("${PSQL[@]}" -h 127.0.0.1 -p "$CITUS_COORD_PORT" -d "$CDB" -U "dlpg_citus_reader_$$" -A -t -F '|' \
        -c 'SET client_min_messages = warning' \
        -c "SELECT * FROM dlpg.series('replica_batch', 'batch_time', '{}', 'avg', 'model')" 2>&1)
is "$got" "$(qs "SET client_min_messages = warning; SELECT * FROM dlpg.series('replica_batch', 'batch_time', '{}', 'avg', 'model')")" \
    "a dlpg_reader's series on Citus (aggregates pushed down, checked against the reader): the single node's rows"
qc "DROP ROLE dlpg_citus_reader_$$" >/dev/null 2>&1
exit $((TAP_FAILS > 0))
