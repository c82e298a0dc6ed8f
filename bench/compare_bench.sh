#!/usr/bin/env bash
# bench/compare_bench.sh -- dlpg.compare against dlpg.series on the same rows (issue 12, item 6).
#
# Data: two sides (precision fp32, the baseline, and fp16, the candidate) of $BENCH_ROWS (default
# 100,000) ok benchmarks each, every one with $BENCH_ITERS (default 100) per-iteration batch times
# in batch_times_ms, made directly in SQL (INSERT ... SELECT from generate_series, random() under
# setseed, so every run gets the same rows), then VACUUM ANALYZE. Benchmark i is configuration
# i % $BENCH_CONFIGS (default 1,000): model (10) x replica batch (16..256) x GPU (CONFIGS / 50);
# its times are the configuration's batch time (fp16: 10% less) times 1 + 5% noise each;
# batch_time_ms is their mean and throughput = effective_batch * 1000 / batch_time_ms.
# So each configuration has ROWS / CONFIGS benchmarks a side, 100 samples each.
#
# Cases (one warm-up run each, then $BENCH_REPS (default 3) measured runs, rotating which goes
# first; the table shows medians):
#   series        SELECT * FROM dlpg.series('replica_batch', 'batch_time', '{}', 'avg', 'model')
#                 (every row of both sides, one point per model and batch: the reference)
#   compare-bt    SELECT * FROM dlpg.compare('{"precision": "fp32"}', '{"precision": "fp16"}', 'batch_time')
#   compare-thr   the same with y_axis throughput (a division per sample)
#   sql-medians   (information) the medians alone in plain SQL: percentile_cont(0.5) over
#                 unnest(batch_times_ms), GROUP BY the configuration and precision
# Checked before timing: dlpg.compare returns one row per configuration, each with
# ROWS / CONFIGS * ITERS samples a side and the verdict improved, and its medians equal the
# plain SQL's.
# Printed: each case's median ms, and compare / series as a ratio (no target: the issue asks for
# the figure). A run's time is clock_timestamp() taken by the server right before and after the
# statement (bench/lib.sh), rows sent to psql; max_parallel_workers_per_gather = 0, jit = off.
#
# Knobs: BENCH_ROWS (100000 a side), BENCH_ITERS (100), BENCH_CONFIGS (1000, a multiple of 50),
#        BENCH_REPS (3), BENCH_SKIP_INSTALL=1 (do not run `make install`; with
#        PGCLUSTER_POSTGRES pointing at a private tree's postgres, nothing touches the system's
#        PostgreSQL), BENCH_SHARED_BUFFERS (1GB).
set -euo pipefail

BENCH=compare_bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"
REPS=${BENCH_REPS:-3}
ROWS=${BENCH_ROWS:-100000}
ITERS=${BENCH_ITERS:-100}
CONFIGS=${BENCH_CONFIGS:-1000}
SHARED_BUFFERS=${BENCH_SHARED_BUFFERS:-1GB}
OUT="$OUTDIR/compare.txt"
BENCHDB=dlpg_compare_bench

bench_count BENCH_REPS "$REPS"
bench_count BENCH_ROWS "$ROWS"
bench_count BENCH_ITERS "$ITERS"
bench_count BENCH_CONFIGS "$CONFIGS"
if [ $((CONFIGS % 50)) -ne 0 ] || [ "$ROWS" -lt "$CONFIGS" ]; then
    echo "compare_bench: BENCH_CONFIGS must be a multiple of 50 and at most BENCH_ROWS" >&2
    exit 2
fi

bench_workdir dlpg-compare-bench
bench_install

export PGCLUSTER_EXTRA_CONF="shared_buffers = '$SHARED_BUFFERS'${PGCLUSTER_EXTRA_CONF:+
$PGCLUSTER_EXTRA_CONF}"
bench_cluster
psql_bench -c "SET client_min_messages = warning" -c "CREATE EXTENSION dlpg"
have=$(psql_bench -At -c "SELECT to_regprocedure('dlpg.compare(jsonb, jsonb, text, jsonb)') IS NOT NULL")
if [ "$have" != t ]; then
    echo "compare_bench: the installed dlpg has no dlpg.compare" >&2
    exit 1
fi

# --- data ----------------------------------------------------------------------------------------
echo "compare_bench: generating 2 x $ROWS benchmarks of $ITERS iterations ($CONFIGS configurations)"
gen0=$(date +%s.%N)
psql_bench -v ON_ERROR_STOP=1 -q <<SQL
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
ALTER TABLE dlpg.benchmarks SET (autovacuum_enabled = false);
SELECT setseed(0.20261130) \g /dev/null
INSERT INTO dlpg.benchmarks
    (exp_id, source, status, framework, framework_version, model, phase, precision, data_type,
     device_type, processing_unit, devices_per_node, num_nodes, num_devices, replica_batch,
     effective_batch, server, software, batch_time_ms, throughput, batch_times_ms, params, dedup_key)
SELECT format('cmp-%s-%s', g.prec, g.i), 'compare_bench', 'ok', 'PyTorch', '2.3.1', g.model, 'training',
       g.prec, 'synthetic', 'gpu', g.pu, 1, 1, 1, g.rb, g.rb, 'DGX', 'PyTorch 2.3.1 (bare metal)',
       g.bt, g.rb * 1000.0 / g.bt, g.times, '{}'::jsonb, format('cmp-%s-%s', g.prec, g.i)
  FROM (SELECT s.i, s.prec, s.model, s.pu, s.rb, s.times,
               (SELECT avg(t) FROM unnest(s.times) AS t) AS bt
          FROM (SELECT v.i, v.prec, v.model, v.pu, v.rb,
                       -- correlated (v.ms): a SubPlan run per benchmark, new draws each time
                       ARRAY(SELECT v.ms * (1 + 0.05 * random()) FROM generate_series(1, $ITERS)) AS times
                  FROM (SELECT i, prec, c,
                               'model_' || (c % 10) AS model,
                               'GPU ' || (c / 50) AS pu,
                               16 << ((c / 10) % 5) AS rb,
                               (16 << ((c / 10) % 5)) * (1 + c % 10) * 0.2 * (1 + (c / 50) * 0.1)
                                 * CASE prec WHEN 'fp16' THEN 0.9 ELSE 1.0 END AS ms
                          FROM generate_series(1, $ROWS) AS i
                         CROSS JOIN (VALUES ('fp32'), ('fp16')) AS p(prec)
                         CROSS JOIN LATERAL (SELECT i % $CONFIGS AS c) AS cc) AS v) AS s) AS g;
VACUUM ANALYZE dlpg.benchmarks;
SQL
gen1=$(date +%s.%N)
gen_s=$(awk -v a="$gen0" -v b="$gen1" 'BEGIN { printf "%.1f", b - a }')

# --- check ---------------------------------------------------------------------------------------
Q_SERIES="SELECT * FROM dlpg.series('replica_batch', 'batch_time', '{}', 'avg', 'model')"
Q_BT="SELECT * FROM dlpg.compare('{\"precision\": \"fp32\"}', '{\"precision\": \"fp16\"}', 'batch_time')"
Q_THR="SELECT * FROM dlpg.compare('{\"precision\": \"fp32\"}', '{\"precision\": \"fp16\"}', 'throughput')"
Q_SQL="SELECT b.model, b.replica_batch, b.processing_unit, b.precision, percentile_cont(0.5) WITHIN GROUP (ORDER BY t)
  FROM dlpg.benchmarks b CROSS JOIN LATERAL unnest(b.batch_times_ms) AS t
 WHERE b.status = 'ok' GROUP BY 1, 2, 3, 4"
NSAMPLES=$((ROWS / CONFIGS * ITERS))

echo "compare_bench: checking dlpg.compare's rows"
bad=$(psql_bench -At <<SQL
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE c AS $Q_BT;
CREATE TEMP TABLE m AS $Q_SQL;
SELECT concat_ws('; ',
    CASE WHEN (SELECT count(*) FROM c) <> $CONFIGS THEN format('%s rows, want $CONFIGS', (SELECT count(*) FROM c)) END,
    (SELECT format('%s rows without %s samples a side', count(*), $NSAMPLES) FROM c
      WHERE n_baseline <> $NSAMPLES OR n_candidate <> $NSAMPLES HAVING count(*) > 0),
    (SELECT format('%s rows not improved', count(*)) FROM c WHERE verdict <> 'improved' HAVING count(*) > 0),
    (SELECT format('%s medians differ from percentile_cont', count(*))
       FROM c JOIN m b ON b.model = c.config->>'model' AND b.replica_batch = (c.config->>'replica_batch')::int
                      AND b.processing_unit = c.config->>'processing_unit' AND b.precision = 'fp32'
              JOIN m f ON f.model = b.model AND f.replica_batch = b.replica_batch
                      AND f.processing_unit = b.processing_unit AND f.precision = 'fp16'
      WHERE c.baseline IS DISTINCT FROM b.percentile_cont OR c.candidate IS DISTINCT FROM f.percentile_cont
     HAVING count(*) > 0));
SQL
)
if [ -n "$bad" ]; then
    echo "compare_bench: dlpg.compare is wrong: $bad" >&2
    exit 1
fi

# --- timed runs ----------------------------------------------------------------------------------
declare -A Q
Q[series]=$Q_SERIES
Q[compare-bt]=$Q_BT
Q[compare-thr]=$Q_THR
Q[sql-medians]=$Q_SQL
CASES=(series compare-bt compare-thr sql-medians)
{
    echo "SET client_min_messages = warning;"
    echo "SET max_parallel_workers_per_gather = 0;"
    echo "SET jit = off;"
    echo "CREATE TABLE bench_run (bcase text, side text, rep int, ms float8, rows bigint);"
    k=${#CASES[@]}
    for r in $(seq 0 "$REPS"); do
        for i in $(seq 0 $((k - 1))); do
            c=${CASES[$(((r + i) % k))]}
            bench_emit_timed "${Q[$c]} \\g /dev/null" '\set rows :ROW_COUNT'
            bench_emit_record "$c" run "$r"
        done
    done
} >"$WORK/runs.sql"
echo "compare_bench: timing (warm-up + $REPS runs per case)"
load0=$(cut -d' ' -f1-3 /proc/loadavg)
psql_bench -q -f "$WORK/runs.sql"
load1=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report --------------------------------------------------------------------------------------
heap=$(psql_bench -At -c "SELECT pg_size_pretty(pg_total_relation_size('dlpg.benchmarks'))")
s=$(bench_median series run)
bt=$(bench_median compare-bt run)
thr=$(bench_median compare-thr run)
sq=$(bench_median sql-medians run)
{
    bench_title "dlpg compare benchmark" ", $(nproc) CPUs"
    echo "data: 2 x $ROWS ok benchmarks (fp32, fp16) of $ITERS iterations each, $CONFIGS configurations"
    echo "      ($((ROWS / CONFIGS)) benchmarks, $NSAMPLES samples a side each); $heap with indexes;"
    echo "      generated in SQL (setseed) + VACUUM ANALYZE in ${gen_s} s"
    echo "checked: $CONFIGS rows, $NSAMPLES samples a side, all improved, medians = percentile_cont over unnest(batch_times_ms)"
    echo "median of $REPS runs after a warm-up; max_parallel_workers_per_gather = 0, jit = off;"
    echo "load average before/after: $load0 / $load1"
    echo
    printf '%-12s %10s  %s\n' case ms "ratio to series"
    printf '%-12s %10.1f  %s\n' series "$s" "1.000  dlpg.series('replica_batch', 'batch_time', '{}', 'avg', 'model')"
    printf '%-12s %10.1f  %s\n' compare-bt "$bt" "$(bench_ratio "$bt" "$s")  dlpg.compare(fp32, fp16, 'batch_time')"
    printf '%-12s %10.1f  %s\n' compare-thr "$thr" "$(bench_ratio "$thr" "$s")  dlpg.compare(fp32, fp16, 'throughput')"
    printf '%-12s %10.1f  %s\n' sql-medians "$sq" "$(bench_ratio "$sq" "$s")  (information) percentile_cont over unnest, medians only"
    echo
    echo "all measured runs (ms, in order):"
    bench_all_runs "bcase" 12 4
} | tee "$OUT"
echo "compare_bench: written to ${OUT#"$ROOT"/}"
