#!/usr/bin/env bash
# tools/demo.sh -- the main job, run by `make demo`: a folder of real DLBS logs goes in with
# dlpg-load, and three of the Guide's tables come out in the terminal and as SVG charts.
#
#   1. installs what is missing (tools/install-deps.sh), builds and installs dlpg and dlpg-load
#   2. starts a private PostgreSQL cluster (tools/pgcluster.sh), creates database dlpg_demo
#   3. loads data/dlbs with dlpg-load (17 benchmark logs from an H200 and an RTX 2080 SUPER,
#      one of them a crashed run; DLBS's own report run.log is not a benchmark log, and lands
#      in dlpg.rejects, as anything that cannot be ingested does)
#   4. prints: throughput by model per precision; batch time by replica batch per model (the
#      layout of DLBS's own report); throughput by replica batch per precision; the values of
#      the Guide's axes; and what a chart without enough filters would mix (each table above is
#      filtered so that every point is one configuration: configs = 1)
#      then loads the bundled MLPerf result trees (data/mlperf) and prints each training set's
#      time to train as MLPerf scores it (the olympic mean of its runs)
#   5. writes the matching charts as SVG into $DLPG_DEMO_OUT (default: demo-output/)
#   6. stops the cluster
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
cd "$ROOT"
OUT=${DLPG_DEMO_OUT:-$ROOT/demo-output}

echo "== dlpg demo: installing what is missing, building =="
tools/install-deps.sh
make -s >/dev/null
make -s install >/dev/null

# shellcheck source=tools/pgcluster.sh
source tools/pgcluster.sh
PGCLUSTER_QUIET=1 pgcluster_start
trap pgcluster_stop EXIT
export PGDATABASE=dlpg_demo
createdb dlpg_demo
psql -X -q -c 'CREATE EXTENSION dlpg'

LOADER=$(pg_config --bindir)/dlpg-load
echo
echo "== dlpg-load data/dlbs =="
"$LOADER" data/dlbs || echo "(dlpg-load exit code $?: some input was rejected, see below)"
echo
echo "== dlpg-load data/mlperf/training data/mlperf/inference (MLPerf result trees, as MLCommons publishes them) =="
"$LOADER" data/mlperf/training data/mlperf/inference || echo "(dlpg-load exit code $?: see above)"

PSQL=(psql -X -q -P footer=off)
echo
echo "== What could not be ingested (dlpg.rejects) =="
"${PSQL[@]}" -c "SELECT source, reason, sqlstate FROM dlpg.rejects ORDER BY id"

echo
echo "== 1. Throughput (samples/s) by model, per precision: RTX 2080 SUPER (TensorFlow-nvtfcnn), training, replica batch 32 =="
"${PSQL[@]}" -c "SELECT series AS precision, x AS model, round(y::numeric, 1) AS throughput, n AS benchmarks, configs
                   FROM dlpg.series('model', 'throughput',
                                    '{\"phase\": \"training\", \"framework\": \"TensorFlow-nvtfcnn\", \"replica_batch\": 32}',
                                    group_by => 'precision')"

echo
echo "== 2. Batch time (ms) by replica batch, per model: RTX 2080 SUPER, as DLBS reports it =="
"${PSQL[@]}" <<'SQL'
SELECT series AS model, x_rank, x AS replica_batch, to_char(y, 'FM99990.00') AS batch_time
  FROM dlpg.series('replica_batch', 'batch_time', '{"framework": "TensorFlow-nvtfcnn"}', 'avg', 'model')
 ORDER BY 1, 2 \crosstabview model replica_batch batch_time x_rank
SQL

echo
echo "== 3. Throughput (samples/s) by replica batch, per precision: NVIDIA H200 (PyTorch), training =="
"${PSQL[@]}" -c "SELECT series AS precision, x AS replica_batch, round(y::numeric, 1) AS throughput, n AS benchmarks, configs
                   FROM dlpg.series('replica_batch', 'throughput',
                                    '{\"phase\": \"training\", \"processing_unit\": \"NVIDIA H200\"}',
                                    group_by => 'precision')"

echo
echo "== 4. The Guide's axes: values of the bundled data (dlpg.axis_values) =="
"${PSQL[@]}" -c "SELECT axis, string_agg(label || ' (' || n || ')', ', ' ORDER BY rank) AS \"values (benchmarks)\"
                   FROM dlpg.axis_values GROUP BY axis ORDER BY axis"

echo
echo "== 5. Without enough filters: what each point would mix (dlpg says so, in a NOTICE too) =="
"${PSQL[@]}" -c "SELECT series AS precision, x AS model, n AS benchmarks, configs, mixed
                   FROM dlpg.series('model', 'throughput', '{\"phase\": \"training\"}', group_by => 'precision')"

mkdir -p "$OUT"
echo
echo "== 6. MLPerf training: time to train (min) by system, MLPerf's olympic mean of each system's runs (the published score) =="
"${PSQL[@]}" -c "SELECT s.x AS system, s.series AS benchmark, round(s.y::numeric, 3) AS minutes, s.n AS runs
                   FROM (SELECT DISTINCT model FROM dlpg.benchmarks WHERE phase = 'training' AND time_to_train IS NOT NULL) m,
                        LATERAL dlpg.series('server', 'time_to_train', jsonb_build_object('model', m.model), 'olympic',
                                            series_name => m.model) s
                  ORDER BY 2, 3"

chart() {   # file, then the arguments of dlpg.chart
    local file=$1; shift
    "${PSQL[@]}" -A -t -c "SELECT dlpg.chart($*)" >"$OUT/$file"
    echo "  $OUT/$file"
}
echo
echo "== Charts (SVG) =="
chart throughput-by-model.svg "'model', 'throughput', '{\"phase\": \"training\", \"framework\": \"TensorFlow-nvtfcnn\", \"replica_batch\": 32}', group_by => 'precision'"
chart batch-time-by-replica-batch.svg "'replica_batch', 'batch_time', '{\"framework\": \"TensorFlow-nvtfcnn\"}', 'avg', 'model'"
chart throughput-by-replica-batch.svg "'replica_batch', 'throughput', '{\"phase\": \"training\", \"processing_unit\": \"NVIDIA H200\"}', group_by => 'precision'"
chart mixed-throughput-by-model.svg "'model', 'throughput', '{\"phase\": \"training\"}', group_by => 'precision'"
chart mlperf-time-to-train-resnet.svg "'server', 'time_to_train', '{\"model\": \"resnet\"}', 'olympic', group_by => 'round'"
echo
echo "dlpg demo: done; charts in $OUT"
