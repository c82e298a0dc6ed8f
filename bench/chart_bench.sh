#!/usr/bin/env bash
# bench/chart_bench.sh -- what a chart costs over its series: dlpg.chart (SVG and Vega-Lite)
# against dlpg.series with the same arguments, on many series (a chart of many series was
# quadratic in their number before 0.3.0: 100,000 series took minutes).
#
# Data: BENCH_SERIES models (default 20000), each at replica batch 32, 64 and 128 with 3 trials,
# written straight into dlpg.benchmarks (the ingest is not what is measured). Cases:
#   lines: x_axis replica_batch, group_by model (one line per model)
#   bars : x_axis model, no group_by (one bar per model)
# Each statement runs BENCH_REPS times (default 5) after a warm-up, in one session; the report
# gives medians and the ratio chart / series (target <= 3: a small constant factor).
# Knobs: BENCH_REPS, BENCH_SERIES, BENCH_SKIP_INSTALL=1 (do not run `make install`).
set -euo pipefail
BENCH=chart_bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

REPS=${BENCH_REPS:-5}
NSERIES=${BENCH_SERIES:-20000}
bench_count BENCH_REPS "$REPS"
bench_count BENCH_SERIES "$NSERIES"
TARGET=3
BENCHDB=dlpg_chart_bench

bench_workdir dlpg-chart-bench
bench_install
bench_cluster

echo "$BENCH: writing $NSERIES series"
psql_bench -q <<SQL
SET client_min_messages = warning;
CREATE EXTENSION dlpg;
INSERT INTO dlpg.benchmarks (status, model, framework, phase, precision, device_type, replica_batch,
                             effective_batch, num_devices, devices_per_node, num_nodes,
                             batch_time_ms, throughput, params, dedup_key)
SELECT 'ok', 'model-' || m, 'SynthFW', 'training', 'fp32', 'gpu', rb, rb, 1, 1, 1,
       10 + (m % 17) + t, rb * 1000.0 / (10 + (m % 17) + t), '{}', format('c-%s-%s-%s', m, rb, t)
  FROM generate_series(1, $NSERIES) m, unnest(ARRAY[32, 64, 128]) rb, generate_series(1, 3) t;
ANALYZE dlpg.benchmarks;
CREATE TABLE bench_run (bcase text, side text, rep int, ms float8, rows bigint);
SQL

declare -A ARGS=(
    [lines]="'replica_batch', 'throughput', '{}', 'avg', 'model'"
    [bars]="'model', 'throughput', '{}', 'avg', NULL"
)
declare -A Q
for c in lines bars; do
    Q[$c,series]="SELECT count(*) FROM dlpg.series(${ARGS[$c]})"
    Q[$c,svg]="SELECT length(dlpg.chart(${ARGS[$c]}, NULL, 'svg'))"
    Q[$c,vega-lite]="SELECT length(dlpg.chart(${ARGS[$c]}, NULL, 'vega-lite'))"
done
SIDES=(series svg vega-lite)

echo "$BENCH: timing (warm-up + $REPS runs per side and case)"
{
    echo "SET jit = off;"
    for rep in $(seq 0 "$REPS"); do
        for c in lines bars; do
            for s in "${SIDES[@]}"; do
                bench_emit_timed "${Q[$c,$s]} \\g /dev/null" '\set rows :ROW_COUNT'
                bench_emit_record "$c" "$s" "$rep"
            done
        done
    done
} >"$WORK/timed.sql"
psql_bench -q -f "$WORK/timed.sql"

{
    bench_title "dlpg chart benchmark"
    echo "data: $NSERIES models x replica batch 32, 64, 128 x 3 trials ($((NSERIES * 9)) ok rows)"
    for c in lines bars; do
        echo "$c: dlpg.chart(${ARGS[$c]}, NULL, format)  vs  dlpg.series(${ARGS[$c]})"
    done
    echo "median wall time of $REPS runs after a warm-up (server clock_timestamp around each statement)"
    echo
    printf '%-6s %-10s %10s %10s %7s %8s  %s\n' case format "series ms" "chart ms" ratio target result
    for c in lines bars; do
        base=$(bench_median "$c" series)
        for s in svg vega-lite; do
            ms=$(bench_median "$c" "$s")
            printf '%-6s %-10s %10.1f %10.1f %7s %8s  %s\n' "$c" "$s" "$base" "$ms" \
                "$(bench_ratio "$ms" "$base")" "<= $TARGET" "$(bench_verdict "$ms" "$base" "$TARGET")"
        done
    done
    echo
    echo "all measured runs (ms, in order):"
    bench_all_runs "bcase, side" 6 10
} | tee "$OUTDIR/chart.txt"
echo "$BENCH: written to bench/out/chart.txt"
