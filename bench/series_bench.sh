#!/usr/bin/env bash
# bench/series_bench.sh -- query benchmark of dlpg's series engine (run by `make bench` from the
# project root, after bench/ingest_bench.sh).
#
# Data: $BENCH_ROWS (default 1,000,000) ok benchmarks made directly in SQL (one INSERT ... SELECT
# from generate_series, random() under setseed, so every run gets the same rows) into
# dlpg.benchmarks, then VACUUM ANALYZE. A configuration = framework (3) x model (10) x phase x
# precision (fp32/fp16/bf16, + int8 for inference) x data type (synthetic/real/real/nvme) x GPU (5,
# each with its server) x replica batch (16..512) x devices (1/2/4/8, on 1 node or, for some, 2
# nodes with an interconnect); 3 to 7 trials per configuration (5 on average). A configuration's
# batch time follows model, GPU, precision, phase, batch and device count, times a per-configuration
# factor; each trial adds ~3% noise (and 2% of trials are 25% slower); throughput =
# effective_batch * 1000 / batch_time_ms, as DLBS computes it. params = '{}'.
#
# Cases, each a ratio dlpg / baseline (target <= 1.2), the baseline being the best hand-written SQL
# over the typed columns that gives the same answer (checked before timing: same groups, same y
# within 1e-9 relative, same n; and dlpg's rows in (series, x_rank) order with x_rank the dense rank
# of x):
#   series-max   SELECT * FROM dlpg.series('replica_batch', 'throughput',
#                    '{"phase": "training", "precision": "fp32"}', 'max', 'model')
#                vs  SELECT model, replica_batch, max(throughput), count(*) ... GROUP BY 1, 2 ORDER BY 1, 2
#   series-avg   SELECT * FROM dlpg.series('num_devices', 'throughput',
#                    '{"model": "resnet50", "scaling": "weak", "batch_size": 64}', 'avg', 'framework')
#                vs the same GROUP BY with model = 'ResNet50' (exact: what a hand-writer who knows the
#                stored spelling writes) and, second row, lower(model) = 'resnet50' (case-insensitive
#                like dlpg's filter)
#   trial_avg    SELECT dlpg.trial_avg(throughput) FROM dlpg.benchmarks  vs  avg(throughput)
#   trial_avg by model   the same, GROUP BY model
#   trial_median by model (information, no target)  dlpg.trial_median vs
#                percentile_cont(0.5) WITHIN GROUP (ORDER BY throughput)
# Parallel: series-max's dlpg.series and its hand-written GROUP BY with
# max_parallel_workers_per_gather = 2 vs 0 (parallel_setup_cost / parallel_tuple_cost at their
# defaults, 1000 / 0.1, unless BENCH_PARALLEL_COSTS=low sets both to 0): speed-up = serial time /
# parallel time, for dlpg and for plain SQL. Also EXPLAIN (ANALYZE) of dlpg.series_query(...) in
# parallel mode, checked for a Partial Aggregate, and the plan dlpg.series itself runs (auto_explain
# of nested statements) checked for launched workers.
#
# Each case: one warm-up run of each side, then $BENCH_REPS (default 5) measured runs, rotating which
# side goes first. Parallel workers off (max_parallel_workers_per_gather = 0) and JIT off, except
# for the parallel sides. A run's time is clock_timestamp() taken by the server right before and
# right after the statement (two \gset round trips around it, so it includes planning, execution
# and sending the rows, like psql's \timing). The table shows medians; all runs go to
# bench/out/series.txt too.
#
# Knobs: BENCH_REPS (5), BENCH_ROWS (1000000), BENCH_SKIP_INSTALL=1 (do not run `make install`),
#        BENCH_SHARED_BUFFERS (1GB: the cluster's shared_buffers, sized to hold the table),
#        BENCH_PARALLEL_COSTS (default | low).
# When the installed dlpg has no dlpg.series / dlpg.trial_* yet, only the baselines are timed and
# the script exits 1.
set -euo pipefail

BENCH=series_bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
REPS=${BENCH_REPS:-5}
ROWS=${BENCH_ROWS:-1000000}
PARALLEL_COSTS=${BENCH_PARALLEL_COSTS:-default}
SHARED_BUFFERS=${BENCH_SHARED_BUFFERS:-1GB}
OUT="$OUTDIR/series.txt"
BENCHDB=dlpg_series_bench
TARGET=1.2

bench_count BENCH_REPS "$REPS"
bench_count BENCH_ROWS "$ROWS"
case "$PARALLEL_COSTS" in
    default) PAR_SET="RESET parallel_setup_cost; RESET parallel_tuple_cost;"
             PAR_DESC="parallel_setup_cost and parallel_tuple_cost at their defaults (1000, 0.1)" ;;
    low)     PAR_SET="SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0;"
             PAR_DESC="parallel_setup_cost = 0, parallel_tuple_cost = 0 (lowered)" ;;
    *) echo "series_bench: BENCH_PARALLEL_COSTS must be default or low" >&2; exit 2 ;;
esac

bench_workdir dlpg-series-bench
bench_install

# --- private cluster ---------------------------------------------------------------------------
# shared_buffers large enough to hold dlpg.benchmarks (~300 MB heap for 1M rows; pgcluster's 256MB
# would not): with the heap outside shared buffers every scan goes through a small ring buffer
# and the OS page cache, which costs the serial plans little but caps the parallel speed-up on
# 2 CPUs (measured: 1.3x instead of 1.7x). A PGCLUSTER_EXTRA_CONF of the caller still wins.
export PGCLUSTER_EXTRA_CONF="shared_buffers = '$SHARED_BUFFERS'${PGCLUSTER_EXTRA_CONF:+
$PGCLUSTER_EXTRA_CONF}"
bench_cluster
psql_bench -c "SET client_min_messages = warning" -c "CREATE EXTENSION dlpg"

have=$(psql_bench -At -c "
  SELECT to_regprocedure('dlpg.series(text, text, jsonb, text, text, text)') IS NOT NULL
     AND to_regprocedure('dlpg.series_query(text, text, jsonb, text, text, text)') IS NOT NULL
     AND to_regprocedure('dlpg.trial_avg(double precision)') IS NOT NULL
     AND to_regprocedure('dlpg.trial_median(double precision)') IS NOT NULL")
HAVE_DLPG=0
[ "$have" = t ] && HAVE_DLPG=1
if [ "$HAVE_DLPG" = 0 ]; then
    echo "series_bench: the installed dlpg has no dlpg.series/series_query/trial_avg/trial_median: timing the baselines only" >&2
fi

# --- data ----------------------------------------------------------------------------------------
# bench/series_data.sql (shared with bench/citus_bench.sh): ROWS generated rows, then VACUUM ANALYZE.

echo "series_bench: generating $ROWS rows"
gen_t0=$(date +%s.%N)
psql_bench -v ROWS="$ROWS" -f "$ROOT/bench/series_data.sql"
gen_s=$(awk -v a="$gen_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
n=$(psql_bench -At -c "SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok'")
if [ "$n" != "$ROWS" ]; then
    echo "series_bench: generated $n ok rows, want $ROWS" >&2
    exit 1
fi
# Load the heap into shared buffers (pg_prewarm is in PostgreSQL's contrib, part of Debian's
# postgresql-15 package); the INSERT has mostly left it there already.
if psql_bench -c "SET client_min_messages = warning" -c "CREATE EXTENSION IF NOT EXISTS pg_prewarm" 2>/dev/null; then
    psql_bench -c "SELECT pg_prewarm('dlpg.benchmarks')" >/dev/null
    PREWARM="pg_prewarm'ed"
else
    PREWARM="not prewarmed (no pg_prewarm)"
fi

# --- the statements ----------------------------------------------------------------------------
# Q[case,side]: the timed statement; SHAPE[case,side]: how its result maps to (k, x, y, n) for the
# check: series5 = dlpg.series's (series, x, x_rank, y, n), series4 = (series, x, y, n),
# agg1 = (y), agg2 = (k, y). DLPG_ARGS[case]: dlpg.series's arguments, for the order check and
# EXPLAIN.
declare -A Q SHAPE DLPG_ARGS SIDES_OF TARGET_OF LABEL_OF TOL
CASES=(series-max series-avg trial-avg trial-avg-model trial-median-model)

DLPG_ARGS[series-max]="'replica_batch', 'throughput', '{\"phase\": \"training\", \"precision\": \"fp32\"}', 'max', 'model'"
Q[series-max,dlpg]="SELECT * FROM dlpg.series(${DLPG_ARGS[series-max]})"
Q[series-max,base]="SELECT model, replica_batch, max(throughput), count(*) FROM dlpg.benchmarks
 WHERE precision = 'fp32' AND phase = 'training' AND status = 'ok' AND replica_batch IS NOT NULL
 GROUP BY 1, 2 ORDER BY 1, 2"
SHAPE[series-max,dlpg]=series5; SHAPE[series-max,base]=series4
SIDES_OF[series-max]="base"; TOL[series-max]=0
LABEL_OF[series-max,base]="GROUP BY"

DLPG_ARGS[series-avg]="'num_devices', 'throughput', '{\"model\": \"resnet50\", \"scaling\": \"weak\", \"batch_size\": 64}', 'avg', 'framework'"
Q[series-avg,dlpg]="SELECT * FROM dlpg.series(${DLPG_ARGS[series-avg]})"
Q[series-avg,base]="SELECT framework, num_devices, avg(throughput), count(*) FROM dlpg.benchmarks
 WHERE replica_batch = 64 AND model = 'ResNet50' AND status = 'ok' AND num_devices IS NOT NULL
 GROUP BY 1, 2 ORDER BY 1, 2"
Q[series-avg,baseci]="SELECT framework, num_devices, avg(throughput), count(*) FROM dlpg.benchmarks
 WHERE replica_batch = 64 AND lower(model) = 'resnet50' AND status = 'ok' AND num_devices IS NOT NULL
 GROUP BY 1, 2 ORDER BY 1, 2"
SHAPE[series-avg,dlpg]=series5; SHAPE[series-avg,base]=series4; SHAPE[series-avg,baseci]=series4
SIDES_OF[series-avg]="base baseci"; TOL[series-avg]=1e-9
LABEL_OF[series-avg,base]="model = 'ResNet50'"; LABEL_OF[series-avg,baseci]="lower(model) ="

Q[trial-avg,dlpg]="SELECT dlpg.trial_avg(throughput) FROM dlpg.benchmarks"
Q[trial-avg,base]="SELECT avg(throughput) FROM dlpg.benchmarks"
SHAPE[trial-avg,dlpg]=agg1; SHAPE[trial-avg,base]=agg1
SIDES_OF[trial-avg]="base"; TOL[trial-avg]=1e-9
LABEL_OF[trial-avg,base]="avg()"

Q[trial-avg-model,dlpg]="SELECT model, dlpg.trial_avg(throughput) FROM dlpg.benchmarks GROUP BY model"
Q[trial-avg-model,base]="SELECT model, avg(throughput) FROM dlpg.benchmarks GROUP BY model"
SHAPE[trial-avg-model,dlpg]=agg2; SHAPE[trial-avg-model,base]=agg2
SIDES_OF[trial-avg-model]="base"; TOL[trial-avg-model]=1e-9
LABEL_OF[trial-avg-model,base]="avg()"

Q[trial-median-model,dlpg]="SELECT model, dlpg.trial_median(throughput) FROM dlpg.benchmarks GROUP BY model"
Q[trial-median-model,base]="SELECT model, percentile_cont(0.5) WITHIN GROUP (ORDER BY throughput) FROM dlpg.benchmarks GROUP BY model"
SHAPE[trial-median-model,dlpg]=agg2; SHAPE[trial-median-model,base]=agg2
SIDES_OF[trial-median-model]="base"; TOL[trial-median-model]=1e-9
LABEL_OF[trial-median-model,base]="percentile_cont"

for c in "${CASES[@]}"; do TARGET_OF[$c]=$TARGET; done
TARGET_OF[trial-median-model]=info

# the parallel case: series-max, both sides, 0 vs 2 workers per gather
PCASE=parallel
Q[$PCASE,dlpg0]=${Q[series-max,dlpg]};  Q[$PCASE,dlpg2]=${Q[series-max,dlpg]}
Q[$PCASE,base0]=${Q[series-max,base]};  Q[$PCASE,base2]=${Q[series-max,base]}

# the SQL literal of a text (dollar-quoted)
# shellcheck disable=SC2016
lit() { printf '$bq$%s$bq$' "$1"; }

# --- check: dlpg and each baseline give the same answer ----------------------------------------
{
    cat <<'SQL'
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SET jit = off;
CREATE TABLE bench_expect (bcase text, side text, rows bigint);
CREATE TABLE bench_run (bcase text, side text, rep int, ms float8, rows bigint);
-- (k, x, y, n) of a statement's result, by its shape
CREATE FUNCTION bench_kxyn(q text, shape text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
SELECT CASE shape
    WHEN 'series5' THEN format('SELECT r.c1::text, r.c2::text, r.c4::float8, r.c5::bigint FROM (%s) AS r(c1, c2, c3, c4, c5)', q)
    WHEN 'series4' THEN format('SELECT r.c1::text, r.c2::text, r.c3::float8, r.c4::bigint FROM (%s) AS r(c1, c2, c3, c4)', q)
    WHEN 'agg1'    THEN format('SELECT ''''::text, ''''::text, r.c1::float8, NULL::bigint FROM (%s) AS r(c1)', q)
    WHEN 'agg2'    THEN format('SELECT r.c1::text, ''''::text, r.c2::float8, NULL::bigint FROM (%s) AS r(c1, c2)', q)
END
$f$;
-- Raise unless both statements give the same (k, x) groups with the same n and y (relative
-- tolerance tol); return the row count.
CREATE FUNCTION bench_check(name text, qa text, shape_a text, qb text, shape_b text, tol float8)
RETURNS bigint LANGUAGE plpgsql AS $f$
DECLARE
    na bigint;
    nb bigint;
    bad text;
BEGIN
    DROP TABLE IF EXISTS ck_a, ck_b;
    EXECUTE 'CREATE TEMP TABLE ck_a (k, x, y, n) AS ' || bench_kxyn(qa, shape_a);
    EXECUTE 'CREATE TEMP TABLE ck_b (k, x, y, n) AS ' || bench_kxyn(qb, shape_b);
    SELECT count(*) INTO na FROM ck_a;
    SELECT count(*) INTO nb FROM ck_b;
    SELECT string_agg(d, '; ') INTO bad FROM (
        SELECT format('(%s, %s): dlpg y=%s n=%s, baseline y=%s n=%s',
                      coalesce(a.k, b.k), coalesce(a.x, b.x), a.y, a.n, b.y, b.n) AS d
          FROM ck_a AS a FULL JOIN ck_b AS b
            ON coalesce(a.k, '') = coalesce(b.k, '') AND coalesce(a.x, '') = coalesce(b.x, '')
         WHERE a.k IS NULL OR b.k IS NULL
            OR a.n IS DISTINCT FROM b.n
            OR (a.y IS NULL) <> (b.y IS NULL)
            OR abs(a.y - b.y) > tol * greatest(abs(a.y), abs(b.y))
         LIMIT 5) AS m;
    IF bad IS NOT NULL OR na = 0 THEN
        RAISE EXCEPTION 'check %: dlpg % rows, baseline % rows; differences: %', name, na, nb, coalesce(bad, 'none (but no rows)');
    END IF;
    RETURN na;
END
$f$;
-- Raise unless dlpg.series's rows come in (series, x_rank) order and x_rank is the dense rank of
-- the (numeric) x.
CREATE FUNCTION bench_check_order(name text, q text) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
    bad bigint;
BEGIN
    EXECUTE format($q$
        SELECT count(*) FILTER (WHERE o <> row_number OR x_rank <> dense_rank)
          FROM (SELECT s.ordinality AS o, s.x_rank,
                       row_number() OVER (ORDER BY s.series, s.x_rank),
                       dense_rank() OVER (ORDER BY s.x::numeric)
                  FROM %s WITH ORDINALITY AS s) AS r$q$,
                   regexp_replace(q, '^SELECT \* FROM ', ''))
      INTO bad;
    IF bad > 0 THEN
        RAISE EXCEPTION 'check %: % rows of dlpg.series out of (series, x_rank) order or with a wrong x_rank', name, bad;
    END IF;
END
$f$;
SQL
    for c in "${CASES[@]}"; do
        for s in ${SIDES_OF[$c]}; do
            if [ "$HAVE_DLPG" = 1 ]; then
                printf "INSERT INTO bench_expect SELECT '%s', 'dlpg', bench_check('%s vs %s', %s, '%s', %s, '%s', %s);\n" \
                    "$c" "$c" "$s" "$(lit "${Q[$c,dlpg]}")" "${SHAPE[$c,dlpg]}" \
                    "$(lit "${Q[$c,$s]}")" "${SHAPE[$c,$s]}" "${TOL[$c]}"
            fi
            # the baseline's own row count (self-check: it equals itself)
            printf "INSERT INTO bench_expect SELECT '%s', '%s', bench_check('%s self', %s, '%s', %s, '%s', 0);\n" \
                "$c" "$s" "$c" "$(lit "${Q[$c,$s]}")" "${SHAPE[$c,$s]}" "$(lit "${Q[$c,$s]}")" "${SHAPE[$c,$s]}"
        done
        if [ "$HAVE_DLPG" = 1 ] && [ "${SHAPE[$c,dlpg]}" = series5 ]; then
            printf "SELECT bench_check_order('%s', %s) \\g /dev/null\n" "$c" "$(lit "${Q[$c,dlpg]}")"
        fi
    done
    # the parallel plans must give the same answer too
    echo "SET max_parallel_workers_per_gather = 2;"
    echo "$PAR_SET"
    if [ "$HAVE_DLPG" = 1 ]; then
        printf "SELECT bench_check('%s (2 workers)', %s, 'series5', %s, 'series4', 1e-9) \\g /dev/null\n" \
            "series-max" "$(lit "${Q[series-max,dlpg]}")" "$(lit "${Q[series-max,base]}")"
        printf "SELECT bench_check_order('%s (2 workers)', %s) \\g /dev/null\n" "series-max" "$(lit "${Q[series-max,dlpg]}")"
    fi
    echo "RESET max_parallel_workers_per_gather; RESET parallel_setup_cost; RESET parallel_tuple_cost;"
    # expected rows of the parallel case: those of series-max
    for s in dlpg0 dlpg2 base0 base2; do
        printf "INSERT INTO bench_expect SELECT '%s', '%s', rows FROM bench_expect WHERE bcase = 'series-max' AND side = '%s';\n" \
            "$PCASE" "$s" "${s%?}"
    done
} >"$WORK/check.sql"

echo "series_bench: checking that dlpg and the baselines agree"
psql_bench -f "$WORK/check.sql"

# --- timed runs --------------------------------------------------------------------------------
# One psql session runs everything, so caches are equally warm for all sides. Per run: the
# parallel settings (outside the timing), t0, the statement (rows to /dev/null, their count kept
# from psql's ROW_COUNT), t1.
emit_run() { # case side rep workers
    local c=$1 s=$2 r=$3 w=$4
    printf 'SET max_parallel_workers_per_gather = %d;\n' "$w"
    bench_emit_timed "${Q[$c,$s]} \\g /dev/null" '\set rows :ROW_COUNT'
    bench_emit_record "$c" "$s" "$r"
}

{
    echo "SET client_min_messages = warning;"
    echo "SET jit = off;"
    for c in "${CASES[@]}" "$PCASE"; do
        if [ "$c" = "$PCASE" ]; then
            [ "$HAVE_DLPG" = 1 ] && sides=(dlpg0 dlpg2 base0 base2) || sides=(base0 base2)
            echo "$PAR_SET"
        else
            # shellcheck disable=SC2206
            sides=(${SIDES_OF[$c]})
            [ "$HAVE_DLPG" = 1 ] && sides=(dlpg "${sides[@]}")
        fi
        k=${#sides[@]}
        for r in $(seq 0 "$REPS"); do      # rep 0 is the warm-up
            for i in $(seq 0 $((k - 1))); do   # rotate who goes first
                s=${sides[$(((r + i) % k))]}
                w=0
                case "$s" in *2) w=2 ;; esac
                emit_run "$c" "$s" "$r" "$w"
            done
        done
        if [ "$c" = "$PCASE" ]; then
            echo "RESET parallel_setup_cost; RESET parallel_tuple_cost;"
        fi
    done
    echo "RESET max_parallel_workers_per_gather;"
} >"$WORK/runs.sql"

echo "series_bench: timing (warm-up + $REPS runs per side and case)"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
psql_bench -f "$WORK/runs.sql"
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# Every run must have returned the rows the check counted.
bad=$(psql_bench -At -c "
  SELECT string_agg(format('%s/%s run %s: %s rows (want %s)', r.bcase, r.side, r.rep, r.rows, e.rows), '; ')
    FROM bench_run AS r LEFT JOIN (SELECT DISTINCT * FROM bench_expect) AS e USING (bcase, side)
   WHERE r.rows IS DISTINCT FROM e.rows")
if [ -n "$bad" ]; then
    echo "series_bench: wrong row counts: $bad" >&2
    exit 1
fi

# --- plans in parallel mode --------------------------------------------------------------------
EXPLAIN_LINE="(dlpg.series_query not installed)"
INNER_LINE="(dlpg.series not installed)"
if [ "$HAVE_DLPG" = 1 ]; then
    # EXPLAIN of the query dlpg.series runs, as dlpg.series_query gives it
    {
        echo "SET jit = off;"
        echo "SET max_parallel_workers_per_gather = 2;"
        echo "$PAR_SET"
        echo "SELECT 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ' || dlpg.series_query(${DLPG_ARGS[series-max]}) \\gexec"
    } | psql_bench -At >"$WORK/explain.txt"
    partial=$(grep -Eo 'Partial (Hash|Group|Mixed)?Aggregate' "$WORK/explain.txt" | head -n 1 || true)
    launched=$(grep -Eo 'Workers Launched: [0-9]+' "$WORK/explain.txt" | head -n 1 || true)
    if [ -n "$partial" ]; then
        EXPLAIN_LINE="EXPLAIN dlpg.series_query(series-max) with 2 workers: contains $partial (${launched:-no workers launched})"
    else
        EXPLAIN_LINE="EXPLAIN dlpg.series_query(series-max) with 2 workers: NO Partial Aggregate (${launched:-no workers launched})"
    fi
    # the plan dlpg.series itself runs: auto_explain of nested statements, sent to the client
    {
        echo "SET jit = off;"
        echo "SET max_parallel_workers_per_gather = 2;"
        echo "$PAR_SET"
        echo "LOAD 'auto_explain';"
        echo "SET auto_explain.log_min_duration = 0;"
        echo "SET auto_explain.log_nested_statements = on;"
        echo "SET auto_explain.log_analyze = on;"
        echo "SET auto_explain.log_timing = off;"
        echo "SET auto_explain.log_level = notice;"
        echo "SET client_min_messages = notice;"
        echo "${Q[series-max,dlpg]} \\g /dev/null"
    } | psql_bench -At >/dev/null 2>"$WORK/inner.txt" || true
    ipartial=$(grep -Eo 'Partial (Hash|Group|Mixed)?Aggregate' "$WORK/inner.txt" | head -n 1 || true)
    ilaunched=$(grep -Eo 'Workers Launched: [0-9]+' "$WORK/inner.txt" | head -n 1 || true)
    INNER_LINE="plan run inside dlpg.series(series-max) with 2 workers (auto_explain): ${ipartial:-no Partial Aggregate}, ${ilaunched:-no workers launched}"
fi

# --- report ------------------------------------------------------------------------------------
info=$(psql_bench -At -F '|' -c "
  SELECT pg_size_pretty(pg_relation_size('dlpg.benchmarks')),
         (SELECT count(*) FROM (SELECT DISTINCT framework, model, phase, precision, data_type, processing_unit,
                                       num_nodes, num_devices, interconnect, replica_batch FROM dlpg.benchmarks) AS d)")
IFS='|' read -r heap_size nconf <<<"$info"

runs=$(bench_all_runs "array_position(ARRAY['series-max', 'series-avg', 'trial-avg', 'trial-avg-model',
                                 'trial-median-model', 'parallel'], bcase), side" 19 6)

{
    bench_title "dlpg series benchmark" ", $(nproc) CPUs"
    echo "data: $ROWS ok rows in dlpg.benchmarks ($heap_size heap, $nconf distinct configurations, 3-7 trials each),"
    echo "      generated in SQL (setseed) + VACUUM ANALYZE in ${gen_s} s; shared_buffers $(psql_bench -At -c 'SHOW shared_buffers'), heap $PREWARM"
    echo "series-max : dlpg.series(${DLPG_ARGS[series-max]})"
    echo "             vs SELECT model, replica_batch, max(throughput), count(*) ... WHERE precision = 'fp32' AND phase = 'training'"
    echo "                AND status = 'ok' AND replica_batch IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2"
    echo "series-avg : dlpg.series(${DLPG_ARGS[series-avg]})"
    echo "             vs SELECT framework, num_devices, avg(throughput), count(*) ... WHERE replica_batch = 64 AND <model>"
    echo "                AND status = 'ok' AND num_devices IS NOT NULL GROUP BY 1, 2 ORDER BY 1, 2,"
    echo "                <model> = model = 'ResNet50' (exact) or lower(model) = 'resnet50'"
    echo "(baselines: filters written most selective first; PostgreSQL keeps equal-cost quals in written order)"
    echo "trial-avg  : SELECT dlpg.trial_avg(throughput) FROM dlpg.benchmarks  vs  avg(throughput); -model: GROUP BY model"
    echo "trial-median-model: dlpg.trial_median(throughput) vs percentile_cont(0.5) WITHIN GROUP (ORDER BY throughput), GROUP BY model"
    echo "checked before timing: dlpg and baseline give the same groups, n and y (max exact, avg/median within 1e-9 relative);"
    echo "dlpg.series rows in (series, x_rank) order; series-max also checked with 2 parallel workers"
    echo "median wall time of $REPS runs after a warm-up (server clock_timestamp around each statement, rows sent to psql),"
    echo "max_parallel_workers_per_gather = 0, jit = off; load average before/after the timed runs: $load0 / $load1"
    if [ "$HAVE_DLPG" = 0 ]; then
        echo
        echo "NOTE: the installed dlpg has no dlpg.series / dlpg.trial_*: baselines only"
    fi
    echo
    printf '%-19s %-18s %12s %10s %7s %8s  %s\n' case baseline "baseline ms" "dlpg ms" ratio target result
    for c in "${CASES[@]}"; do
        d=""
        [ "$HAVE_DLPG" = 1 ] && d=$(bench_median "$c" dlpg)
        for s in ${SIDES_OF[$c]}; do
            b=$(bench_median "$c" "$s")
            t=${TARGET_OF[$c]}
            if [ -z "$d" ]; then
                printf '%-19s %-18s %12.1f %10s %7s %8s  %s\n' "$c" "${LABEL_OF[$c,$s]}" "$b" n/a n/a "$t" n/a
                continue
            fi
            ratio=$(bench_ratio "$d" "$b")
            if [ "$t" = info ]; then
                verdict="-"; tt="(info)"
            else
                tt="<= $t"
                verdict=$(bench_verdict "$d" "$b" "$t")
            fi
            printf '%-19s %-18s %12.1f %10.1f %7s %8s  %s\n' "$c" "${LABEL_OF[$c,$s]}" "$b" "$d" "$ratio" "$tt" "$verdict"
        done
    done
    echo
    echo "parallel: series-max with max_parallel_workers_per_gather = 2 vs 0; $PAR_DESC"
    printf '%-26s %12s %12s %9s\n' query "0 workers ms" "2 workers ms" speed-up
    for p in dlpg base; do
        [ "$p" = dlpg ] && [ "$HAVE_DLPG" = 0 ] && continue
        s0=$(bench_median "$PCASE" "${p}0"); s2=$(bench_median "$PCASE" "${p}2")
        name="dlpg.series"; [ "$p" = base ] && name="hand-written GROUP BY"
        printf '%-26s %12.1f %12.1f %8.2fx\n' "$name" "$s0" "$s2" "$(awk -v a="$s0" -v b="$s2" 'BEGIN { print a / b }')"
    done
    echo "$EXPLAIN_LINE"
    echo "$INNER_LINE"
    echo
    echo "all measured runs (ms, in order; parallel: dlpg0/base0 = 0 workers, dlpg2/base2 = 2 workers):"
    printf '%s\n' "$runs"
    if [ "$HAVE_DLPG" = 1 ]; then
        echo
        echo "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) of dlpg.series_query(series-max), 2 workers:"
        sed 's/^/  /' "$WORK/explain.txt"
    fi
} | tee "$OUT"
echo "series_bench: written to ${OUT#"$ROOT"/}"
if [ "$HAVE_DLPG" = 0 ]; then
    exit 1
fi
