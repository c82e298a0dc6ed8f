#!/usr/bin/env bash
# bench/web_bench.sh -- what the web Guide (web/app.py) adds over dlpg: the time of a chart
# request, as a client on this machine sees it (HTTP over loopback, the whole request: routing,
# the pool, the dlpg.chart call, the response), against the same dlpg.chart call made directly
# over psycopg on one open connection (target <= 1.2x); and the size of the page's own scripts
# beside Vega's.
#
# Nothing is installed into the system's PostgreSQL: dlpg goes into a private tree
# (tools/private-tree.sh) and the cluster runs from it (tools/pgcluster.sh). Data: the demo
# logs (data/dlbs, 17 benchmarks), 2,000 and BENCH_WEB_ROWS synthetic benchmarks (default
# 200000: 50 models x 2 precisions x 2 phases x 5 replica batches x trials, written straight
# into dlpg.benchmarks), each in a database of its own with the app serving it as a dlpg_reader.
# The request is the page's own: X model, Y throughput, phase training, group by precision,
# format vega-lite. BENCH_REPS runs (default 100) after a warm-up; medians; the report goes to
# bench/out/web.txt. Knobs: BENCH_REPS, BENCH_WEB_ROWS.
set -euo pipefail
BENCH=web_bench
# shellcheck source=bench/lib.sh
. "$(dirname "$0")/lib.sh"

REPS=${BENCH_REPS:-100}
ROWS=${BENCH_WEB_ROWS:-200000}
bench_count BENCH_REPS "$REPS"
bench_count BENCH_WEB_ROWS "$ROWS"
BENCHDB=dlpg_web_bench
PYTHON=${DLPG_PYTHON:-/usr/bin/python3}

bench_workdir dlpg-web-bench
chmod 755 "$WORK"
bench_install
unset PGCLUSTER_DIR PGCLUSTER_LOG PGCLUSTER_TCPHOST
bench_cluster

echo "$BENCH: loading the demo logs and writing $ROWS synthetic benchmarks"
pgcluster_psql -q -d postgres -c "CREATE DATABASE ${BENCHDB}_demo"
psql_bench -q -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION dlpg' \
    -c 'CREATE ROLE dlpg_web_bench LOGIN' -c 'GRANT dlpg_reader TO dlpg_web_bench'
pgcluster_psql -q -d "${BENCHDB}_demo" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION dlpg'
PGDATABASE=${BENCHDB}_demo loader/dlpg-load -q data/dlbs >/dev/null 2>&1 || true
synthetic() {   # database, rows
    pgcluster_psql -q -d "$1" <<SQL
INSERT INTO dlpg.benchmarks (status, model, framework, phase, precision, device_type, replica_batch,
                             effective_batch, num_devices, devices_per_node, num_nodes,
                             batch_time_ms, throughput, params, dedup_key)
SELECT 'ok', 'model-' || (k % 50), 'SynthFW', (ARRAY['training', 'inference'])[1 + k / 50 % 2],
       (ARRAY['fp32', 'fp16'])[1 + k / 100 % 2], 'gpu', rb, rb, 1, 1, 1,
       10 + k % 17, rb * 1000.0 / (10 + k % 17), '{}', 'w-' || k
  FROM generate_series(0, $2 - 1) k, LATERAL (SELECT 16 << (k / 200 % 5) AS rb) b;
ANALYZE dlpg.benchmarks;
SQL
}
pgcluster_psql -q -d postgres -c "CREATE DATABASE ${BENCHDB}_small"
pgcluster_psql -q -d "${BENCHDB}_small" -c 'SET client_min_messages = warning' -c 'CREATE EXTENSION dlpg'
synthetic "${BENCHDB}_small" 2000
synthetic "$BENCHDB" "$ROWS"

"$PYTHON" bench/web_bench.py "$REPS" "$PGHOST" "$PGPORT" "$BENCHDB" "$ROWS" | tee "$OUTDIR/web.txt"
echo "$BENCH: written to bench/out/web.txt"
