-- pgTAP: the Guide's axes in SQL: dlpg.x_axes, dlpg.y_axes, dlpg.axes, dlpg.axis_values
-- and dlpg.axis_label.  Run from the project root (the logs are read with psql backticks).
-- Expected values come from the Guide (labels) and from the fixture logs (read by hand:
-- 8 H200 logs: ResNet50, PyTorch, fp16 training 64/128/256, fp32 training 64/128/256 and
-- inference 64/256; 8 RTX 2080 logs: AlexNetOWT and ResNet50, fp32 training, replica batch
-- 4/8/16/32; one failed googlenet run, fp32, replica batch 8, on CPU).
BEGIN;
SELECT plan(98);

-- Start from empty tables (rolled back with the test), so the counts below are the fixtures'.
DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- The fixture logs (pg_temp.fx, not ingested yet) and pg_temp.bm.
\ir lib/fixtures.sql
\ir lib/logs.sql

-- ---------------------------------------------------------------------------
-- The views exist and say what they hold
-- ---------------------------------------------------------------------------
SELECT has_view('dlpg', 'x_axes', 'dlpg.x_axes exists');
SELECT has_view('dlpg', 'y_axes', 'dlpg.y_axes exists');
SELECT has_view('dlpg', 'axes', 'dlpg.axes exists');
SELECT has_view('dlpg', 'axis_values', 'dlpg.axis_values exists');

SELECT is_empty($$
    SELECT c.relname
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'dlpg'
     WHERE c.relkind IN ('v', 'm') AND coalesce(obj_description(c.oid, 'pg_class'), '') = ''
$$, 'every view of schema dlpg has a COMMENT');
SELECT is_empty($$
    SELECT c.relname || '.' || a.attname
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'dlpg'
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind IN ('v', 'm') AND coalesce(col_description(c.oid, a.attnum), '') = ''
$$, 'every column of every view of schema dlpg has a COMMENT');
SELECT ok((SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'dlpg' AND c.relkind = 'v') >= 4,
          'schema dlpg has (at least) the four views, so the comment checks above are not vacuous');

-- ---------------------------------------------------------------------------
-- dlpg.x_axes: the Guide's 11 horizontal variables with its labels
-- ---------------------------------------------------------------------------
SELECT has_column('dlpg', 'x_axes', col, 'dlpg.x_axes has column ' || col)
  FROM unnest(ARRAY['name', 'label', 'description', 'ord']) AS col;

SELECT is((SELECT count(*) FROM dlpg.x_axes), 11::bigint, 'dlpg.x_axes has exactly 11 rows');
SELECT results_eq(
    $$SELECT name::text, label::text FROM dlpg.x_axes ORDER BY name COLLATE "C"$$,
    $$VALUES ('data_type', 'Data Type'),
             ('effective_batch', 'Effective batch size'),
             ('framework', 'Framework'),
             ('model', 'Model'),
             ('num_devices', 'Num processing units'),
             ('phase', 'Phase'),
             ('precision', 'Precision'),
             ('processing_unit', 'Processing unit'),
             ('replica_batch', 'Replica Batch Size'),
             ('server', 'Server'),
             ('software', 'Software')$$,
    'dlpg.x_axes: the 11 names with the Guide''s labels');
SELECT is((SELECT array_agg(name::text ORDER BY ord) FROM dlpg.x_axes),
          ARRAY['data_type', 'effective_batch', 'framework', 'model', 'num_devices', 'phase',
                'precision', 'processing_unit', 'replica_batch', 'server', 'software'],
          'dlpg.x_axes ordered by ord is the Guide''s order (1. Data Type ... 11. Software)');
SELECT is((SELECT count(DISTINCT ord) FROM dlpg.x_axes), 11::bigint, 'ord is distinct for each axis');
SELECT is_empty($$SELECT name FROM dlpg.x_axes WHERE coalesce(btrim(description), '') = ''$$,
                'every x axis has a description');

-- ---------------------------------------------------------------------------
-- dlpg.y_axes
-- ---------------------------------------------------------------------------
SELECT has_column('dlpg', 'y_axes', col, 'dlpg.y_axes has column ' || col)
  FROM unnest(ARRAY['name', 'label', 'unit', 'better']) AS col;
SELECT results_eq(
    $$SELECT name::text, label::text, unit::text, better::text FROM dlpg.y_axes ORDER BY name COLLATE "C"$$,
    $$VALUES ('batch_time', 'Batch time (ms)', 'ms', 'lower'),
             ('batch_time_cv', 'Batch time CV', 'ratio', 'lower'),
             ('batch_time_p50', 'Batch time p50 (ms)', 'ms', 'lower'),
             ('batch_time_p90', 'Batch time p90 (ms)', 'ms', 'lower'),
             ('batch_time_p99', 'Batch time p99 (ms)', 'ms', 'lower'),
             ('latency_p50', 'Latency p50 (ms)', 'ms', 'lower'),
             ('latency_p90', 'Latency p90 (ms)', 'ms', 'lower'),
             ('latency_p95', 'Latency p95 (ms)', 'ms', 'lower'),
             ('latency_p97', 'Latency p97 (ms)', 'ms', 'lower'),
             ('latency_p99', 'Latency p99 (ms)', 'ms', 'lower'),
             ('latency_p99_9', 'Latency p99.9 (ms)', 'ms', 'lower'),
             ('mlperf_latency', 'MLPerf latency (ms)', 'ms', 'lower'),
             ('throughput', 'Throughput', 'samples/s', 'higher'),
             ('time_to_train', 'Time to train (min)', 'min', 'lower')$$,
    'dlpg.y_axes: batch_time (ms, lower is better), throughput (samples/s, higher is better), the percentiles and CV of the per-iteration times (lower is better); MLPerf''s time to train (min) and latencies (ms), lower is better');

-- ---------------------------------------------------------------------------
-- dlpg.axis_label
-- ---------------------------------------------------------------------------
SELECT has_function('dlpg', 'axis_label', ARRAY['text', 'text'], 'dlpg.axis_label(text, text) exists');
SELECT is((SELECT provolatile::text FROM pg_proc WHERE oid = to_regprocedure('dlpg.axis_label(text,text)')),
          'i', 'dlpg.axis_label is IMMUTABLE');

SELECT is(dlpg.axis_label(a, v), l, format('axis_label(%L, %L) = %L', a, v, l))
  FROM (VALUES
    ('precision', 'fp32', 'single (FP32)'),
    ('precision', 'fp16', 'half (FP16)'),
    ('precision', 'int8', 'INT8'),
    ('precision', 'bf16', 'bfloat16 (BF16)'),
    ('precision', 'fp64', 'double (FP64)'),
    ('precision', 'tf32', 'TensorFloat-32 (TF32)'),
    ('precision', 'fp8', 'FP8'),
    ('precision', 'int4', 'INT4'),
    ('precision', 'mixed', 'MIXED'),
    ('data_type', 'synthetic', 'Synthetic (DRAM)'),
    ('data_type', 'synthetic/device', 'Synthetic (device memory)'),
    ('data_type', 'real', 'Real'),
    ('data_type', 'real/dram', 'Real (DRAM)'),
    ('data_type', 'real/ssd', 'Real (local SSD)'),
    ('data_type', 'real/nvme', 'Real (local NVMe)'),
    ('data_type', 'real/weka', 'Real (Weka IO)'),
    ('data_type', 'real/lustre', 'Real (lustre)'),
    ('model', 'ResNet50', 'ResNet50'),
    ('model', 'resnet50', 'resnet50'),
    ('framework', 'TensorFlow-nvtfcnn', 'TensorFlow-nvtfcnn'),
    ('phase', 'training', 'training'),
    ('replica_batch', '64', '64'),
    ('effective_batch', '1024', '1024'),
    ('num_devices', '8', '8'),
    ('processing_unit', 'NVIDIA H200', 'NVIDIA H200'),
    ('server', 'ProLiant XL270d Gen10', 'ProLiant XL270d Gen10'),
    ('software', 'PyTorch (bare metal)', 'PyTorch (bare metal)')
  ) AS t(a, v, l);

-- ---------------------------------------------------------------------------
-- The fixtures: 16 ok benchmarks and one failed
-- ---------------------------------------------------------------------------
UPDATE pg_temp.fx SET id = dlpg.ingest(log, source);

SELECT results_eq($$SELECT status, count(*) FROM dlpg.benchmarks GROUP BY status ORDER BY status$$,
                  $$VALUES ('failed'::text, 1::bigint), ('ok', 16)$$,
                  'fixtures ingested: 16 ok, 1 failed');

-- A row written directly with status failed but positive measures: never on a chart.
INSERT INTO dlpg.benchmarks (status, status_reason, model, precision, phase, framework, data_type,
                             device_type, replica_batch, effective_batch, num_devices, devices_per_node,
                             num_nodes, batch_time_ms, throughput, params, dedup_key)
VALUES ('failed', 'written by the test', 'GhostNet', 'int8', 'training', 'GhostFW', 'real/ssd',
        'gpu', 512, 512, 1, 1, 1, 1.0, 99999.0, '{}', 'axes-ghost');

-- ---------------------------------------------------------------------------
-- dlpg.axes: one row per ok benchmark, canonical values with labels beside them
-- ---------------------------------------------------------------------------
SELECT set_has(
    $$SELECT column_name::text FROM information_schema.columns
       WHERE table_schema = 'dlpg' AND table_name = 'axes'$$,
    $$VALUES ('id'), ('source'),
             ('data_type'), ('data_type_label'), ('effective_batch'), ('effective_batch_label'),
             ('framework'), ('framework_label'), ('model'), ('model_label'),
             ('num_devices'), ('num_devices_label'), ('phase'), ('phase_label'),
             ('precision'), ('precision_label'), ('processing_unit'), ('processing_unit_label'),
             ('replica_batch'), ('replica_batch_label'), ('server'), ('server_label'),
             ('software'), ('software_label'),
             ('device_type'), ('devices_per_node'), ('cluster_size'), ('interconnect'),
             ('batch_time'), ('throughput')$$,
    'dlpg.axes has id, source, each of the 11 axes with <axis>_label, device_type, devices_per_node, cluster_size, interconnect, batch_time, throughput');

SELECT set_has(
    $$SELECT column_name::text FROM information_schema.columns
       WHERE table_schema = 'dlpg' AND table_name = 'axes'$$,
    $$VALUES ('submitter'), ('division'), ('round'), ('scenario'), ('time_to_train'), ('mlperf_latency'),
             ('latency_p50'), ('latency_p90'), ('latency_p95'), ('latency_p97'), ('latency_p99'), ('latency_p99_9')$$,
    'dlpg.axes has the MLPerf filters and measures (written by the last write_axis_views of the update)');

SELECT is((SELECT count(*) FROM dlpg.axes), 16::bigint, 'dlpg.axes has one row per ok benchmark (16)');
SELECT set_eq($$SELECT id FROM dlpg.axes$$,
              $$SELECT id FROM pg_temp.fx WHERE grp <> 'failed'$$,
              'dlpg.axes ids are exactly the ok fixtures (not the failed googlenet run, not the failed row with measures)');
SELECT is_empty($$SELECT id FROM dlpg.axes GROUP BY id HAVING count(*) > 1$$, 'no benchmark twice in dlpg.axes');

SELECT results_eq(
    $$SELECT precision::text, precision_label::text, count(*) FROM dlpg.axes GROUP BY 1, 2 ORDER BY 1$$,
    $$VALUES ('fp16', 'half (FP16)', 3::bigint), ('fp32', 'single (FP32)', 13::bigint)$$,
    'dlpg.axes: precision fp16 -> ''half (FP16)'' (3), fp32 -> ''single (FP32)'' (13)');
SELECT results_eq(
    $$SELECT data_type::text, data_type_label::text, count(*) FROM dlpg.axes GROUP BY 1, 2$$,
    $$VALUES ('synthetic', 'Synthetic (DRAM)', 16::bigint)$$,
    'dlpg.axes: data_type synthetic -> ''Synthetic (DRAM)''');

SELECT results_eq(
    $$SELECT a.source::text, a.model::text, a.model_label::text, a.precision::text, a.precision_label::text,
             a.phase::text, a.framework::text, a.processing_unit::text, a.software::text,
             a.replica_batch::text, a.replica_batch_label::text, a.effective_batch::text,
             a.num_devices::text, a.server::text, a.device_type::text, a.devices_per_node::text,
             a.cluster_size::text, a.interconnect::text, a.batch_time::float8, a.throughput::float8
        FROM dlpg.axes a JOIN pg_temp.fx USING (id) WHERE fx.name = 'h200_rn50_fp16_train_128'$$,
    $$VALUES ('resnet50_float16_training_128.log', 'ResNet50', 'ResNet50', 'fp16', 'half (FP16)',
              'training', 'PyTorch', 'NVIDIA H200', 'PyTorch (bare metal)',
              '128', '128', '128', '1', NULL::text, 'gpu', '1', '1', NULL::text,
              55.31534424999904::float8, 2314::float8)$$,
    'dlpg.axes row of resnet50_float16_training_128.log');
SELECT results_eq(
    $$SELECT a.model::text, a.precision::text, a.precision_label::text, a.framework::text,
             a.processing_unit::text, a.processing_unit_label::text, a.software::text,
             a.replica_batch::text, a.effective_batch::text, a.batch_time::float8, a.throughput::float8
        FROM dlpg.axes a JOIN pg_temp.fx USING (id) WHERE fx.name = 'rtx_alexnet_4'$$,
    $$VALUES ('AlexNetOWT', 'fp32', 'single (FP32)', 'TensorFlow-nvtfcnn', NULL::text, NULL::text,
              'TensorFlow-nvtfcnn 1.8.0 (docker nvcr.io/nvidia/tensorflow:18.07-py3)',
              '4', '4', 20.086624::float8, 199.1375::float8)$$,
    'dlpg.axes row of rtx2080/alexnet_owt_4.log (no processing unit: NULL value, NULL label)');

-- Every value column equals the benchmark's column, every label is axis_label of the value.
SELECT is_empty($$
    SELECT a.id FROM dlpg.axes a JOIN dlpg.benchmarks b USING (id)
     WHERE (a.source::text, a.data_type::text, a.effective_batch::text, a.framework::text, a.model::text,
            a.num_devices::text, a.phase::text, a.precision::text, a.processing_unit::text,
            a.replica_batch::text, a.server::text, a.software::text, a.device_type::text,
            a.devices_per_node::text, a.cluster_size::text, a.interconnect::text)
           IS DISTINCT FROM
           (b.source, b.data_type, b.effective_batch::text, b.framework, b.model,
            b.num_devices::text, b.phase, b.precision, b.processing_unit,
            b.replica_batch::text, b.server, b.software, b.device_type,
            b.devices_per_node::text, b.num_nodes::text, b.interconnect)
        OR a.batch_time::float8 IS DISTINCT FROM b.batch_time_ms
        OR a.throughput::float8 IS DISTINCT FROM b.throughput
$$, 'dlpg.axes values equal dlpg.benchmarks (cluster_size = num_nodes, batch_time = batch_time_ms)');

SELECT is_empty(
    (SELECT string_agg(format(
        'SELECT %1$L AS axis, id FROM dlpg.axes WHERE %2$I::text IS DISTINCT FROM dlpg.axis_label(%1$L, %1$I::text)',
        name, name || '_label'), ' UNION ALL ')
       FROM unnest(ARRAY['data_type', 'effective_batch', 'framework', 'model', 'num_devices', 'phase',
                         'precision', 'processing_unit', 'replica_batch', 'server', 'software']) AS name),
    'dlpg.axes: every <axis>_label is dlpg.axis_label(<axis>, value) for the 11 axes');

-- ---------------------------------------------------------------------------
-- dlpg.axis_values: each filter key's values among ok benchmarks, label, count, rank
-- ---------------------------------------------------------------------------
SELECT has_column('dlpg', 'axis_values', col, 'dlpg.axis_values has column ' || col)
  FROM unnest(ARRAY['axis', 'value', 'label', 'n', 'rank']) AS col;

SELECT is_empty($$
    SELECT DISTINCT axis FROM dlpg.axis_values
    EXCEPT SELECT unnest(ARRAY['data_type', 'effective_batch', 'framework', 'model', 'num_devices',
                               'phase', 'precision', 'processing_unit', 'replica_batch', 'server',
                               'software', 'cluster_size', 'interconnect', 'devices_per_node',
                               'scenario', 'submitter', 'division', 'round'])
$$, 'dlpg.axis_values only lists the 11 axes and cluster_size, interconnect, devices_per_node, and MLPerf''s scenario, submitter, division, round');

SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'precision' ORDER BY rank$$,
    $$VALUES ('fp16', 'half (FP16)', 3::bigint, 1), ('fp32', 'single (FP32)', 13::bigint, 2)$$,
    'axis_values precision: (fp16, half (FP16), 3), (fp32, single (FP32), 13): the failed fp32 run not counted');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'replica_batch' ORDER BY rank$$,
    $$VALUES ('4', '4', 2::bigint, 1), ('8', '8', 2::bigint, 2), ('16', '16', 2::bigint, 3),
             ('32', '32', 2::bigint, 4), ('64', '64', 3::bigint, 5), ('128', '128', 2::bigint, 6),
             ('256', '256', 3::bigint, 7)$$,
    'axis_values replica_batch: 4 < 8 < 16 < 32 < 64 < 128 < 256 in numeric rank order; replica 8 counts 2 (not the failed run)');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'effective_batch' ORDER BY rank$$,
    $$VALUES ('4', '4', 2::bigint, 1), ('8', '8', 2::bigint, 2), ('16', '16', 2::bigint, 3),
             ('32', '32', 2::bigint, 4), ('64', '64', 3::bigint, 5), ('128', '128', 2::bigint, 6),
             ('256', '256', 3::bigint, 7)$$,
    'axis_values effective_batch: numeric rank order');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'model' ORDER BY rank$$,
    $$VALUES ('AlexNetOWT', 'AlexNetOWT', 4::bigint, 1), ('ResNet50', 'ResNet50', 12::bigint, 2)$$,
    'axis_values model: AlexNetOWT 4, ResNet50 12 (no googlenet, no GhostNet)');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'framework' ORDER BY rank$$,
    $$VALUES ('PyTorch', 'PyTorch', 8::bigint, 1), ('TensorFlow-nvtfcnn', 'TensorFlow-nvtfcnn', 8::bigint, 2)$$,
    'axis_values framework: PyTorch 8 (the failed PyTorch run not counted), TensorFlow-nvtfcnn 8');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'phase' ORDER BY rank$$,
    $$VALUES ('inference', 'inference', 2::bigint, 1), ('training', 'training', 14::bigint, 2)$$,
    'axis_values phase: inference 2, training 14');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'data_type' ORDER BY rank$$,
    $$VALUES ('synthetic', 'Synthetic (DRAM)', 16::bigint, 1)$$,
    'axis_values data_type: synthetic, labelled Synthetic (DRAM), 16 (no real/ssd from the failed row)');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint FROM dlpg.axis_values
       WHERE axis = 'software' ORDER BY rank$$,
    $$VALUES ('PyTorch (bare metal)', 'PyTorch (bare metal)', 8::bigint),
             ('TensorFlow-nvtfcnn 1.8.0 (docker nvcr.io/nvidia/tensorflow:18.07-py3)',
              'TensorFlow-nvtfcnn 1.8.0 (docker nvcr.io/nvidia/tensorflow:18.07-py3)', 8::bigint)$$,
    'axis_values software: the two software strings, 8 each');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'processing_unit' ORDER BY rank$$,
    $$VALUES ('NVIDIA H200', 'NVIDIA H200', 8::bigint, 1), ('unknown', 'unknown', 8::bigint, 2)$$,
    'axis_values processing_unit: NVIDIA H200 8, then the RTX logs (none) as unknown 8, ranked last');
SELECT results_eq(
    $$SELECT axis::text, value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis IN ('num_devices', 'cluster_size', 'devices_per_node') ORDER BY axis COLLATE "C"$$,
    $$VALUES ('cluster_size', '1', '1', 16::bigint, 1), ('devices_per_node', '1', '1', 16::bigint, 1),
             ('num_devices', '1', '1', 16::bigint, 1)$$,
    'axis_values num_devices, cluster_size, devices_per_node: 1, 16 benchmarks each');
SELECT results_eq(
    $$SELECT axis::text, value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis IN ('server', 'interconnect') ORDER BY axis COLLATE "C", rank$$,
    $$VALUES ('interconnect', 'unknown', 'unknown', 16::bigint, 1), ('server', 'unknown', 'unknown', 16::bigint, 1)$$,
    'axis_values server, interconnect: only unknown, 16 each (none of the fixtures has one)');
SELECT is_empty($$SELECT * FROM dlpg.axis_values WHERE value IN ('googlenet', 'GhostNet', 'GhostFW', 'int8', '512', 'real/ssd')$$,
                'axis_values: nothing of the failed benchmarks');
SELECT is_empty($$SELECT axis FROM dlpg.axis_values
                   GROUP BY axis HAVING sum(n) <> 16$$,
                'axis_values: the counts of every axis, unknown included, add up to the 16 ok benchmarks');
SELECT is_empty($$SELECT axis, value FROM dlpg.axis_values WHERE label IS DISTINCT FROM dlpg.axis_label(axis, value::text)
                   AND axis IN ('data_type', 'effective_batch', 'framework', 'model', 'num_devices', 'phase',
                                'precision', 'processing_unit', 'replica_batch', 'server', 'software')$$,
                'axis_values: label = dlpg.axis_label(axis, value) for the X axes');

-- ---------------------------------------------------------------------------
-- More values: labels of real data, int8/bf16, numeric order beyond text order,
-- servers and interconnects; failed and non-ok benchmarks still never count.
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(
    pg_temp.bm('ax-1', 'VGG16', 'int8', 1024, 2048, 2, 10, 100,
               '{"exp.data": "real", "exp.data_store": "ssd", "exp.node_title": "Apollo 6500 Gen10",
                 "exp.node_nic": "InfiniBand EDR", "exp.num_nodes": 2, "exp.num_local_gpus": 1}'),
    pg_temp.bm('ax-2', 'VGG16', 'bfloat16', 2, 2, 1, 10, 100,
               '{"exp.data": "real", "exp.data_store": "weka", "exp.node_title": "ProLiant XL270d Gen10"}'),
    pg_temp.bm('ax-3', 'VGG16', 'float16', 100, 100, 1, 10, 100,
               '{"exp.data": "synthetic", "exp.data_store": "device"}'),
    -- not ok: no count anywhere
    pg_temp.bm('ax-4', 'FailNet', 'float64', 3, 3, 16, 0, 100, '{"exp.node_nic": "Omni-Path"}'),
    pg_temp.bm('ax-5', 'FailNet', 'float64', 3, 3, 16, -2, 100, '{"exp.node_nic": "Omni-Path"}'),
    pg_temp.bm('ax-6', 'FailNet', 'float64', 3, 3, 16, 5, 100, '{"exp.status": "skipped"}') - 'results.time'
  ))), 6::bigint, 'six more benchmarks ingested with ingest_json');
SELECT results_eq($$SELECT status, count(*) FROM dlpg.benchmarks GROUP BY status ORDER BY status$$,
                  $$VALUES ('failed'::text, 4::bigint), ('ok', 19), ('skipped', 1)$$,
                  'now 19 ok, 4 failed (one written directly), 1 skipped');

SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'replica_batch' ORDER BY rank$$,
    $$VALUES ('2', '2', 1::bigint, 1), ('4', '4', 2::bigint, 2), ('8', '8', 2::bigint, 3),
             ('16', '16', 2::bigint, 4), ('32', '32', 2::bigint, 5), ('64', '64', 3::bigint, 6),
             ('100', '100', 1::bigint, 7), ('128', '128', 2::bigint, 8), ('256', '256', 3::bigint, 9),
             ('1024', '1024', 1::bigint, 10)$$,
    'axis_values replica_batch: 2 < 4 < ... < 100 < 128 < 256 < 1024 (numeric, not text order); no 3 of the failed runs');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'precision' ORDER BY rank$$,
    $$VALUES ('bf16', 'bfloat16 (BF16)', 1::bigint, 1), ('fp16', 'half (FP16)', 4::bigint, 2),
             ('fp32', 'single (FP32)', 13::bigint, 3), ('int8', 'INT8', 1::bigint, 4)$$,
    'axis_values precision: bf16, fp16, fp32, int8 with their labels, in canonical text order; no float64 (failed runs only)');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'data_type' ORDER BY rank$$,
    $$VALUES ('real/ssd', 'Real (local SSD)', 1::bigint, 1), ('real/weka', 'Real (Weka IO)', 1::bigint, 2),
             ('synthetic', 'Synthetic (DRAM)', 16::bigint, 3),
             ('synthetic/device', 'Synthetic (device memory)', 1::bigint, 4)$$,
    'axis_values data_type: real/ssd, real/weka, synthetic, synthetic/device with the Guide''s labels');
SELECT results_eq(
    $$SELECT value::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'effective_batch' ORDER BY rank$$,
    $$VALUES ('2', 1::bigint, 1), ('4', 2::bigint, 2), ('8', 2::bigint, 3), ('16', 2::bigint, 4),
             ('32', 2::bigint, 5), ('64', 3::bigint, 6), ('100', 1::bigint, 7), ('128', 2::bigint, 8),
             ('256', 3::bigint, 9), ('2048', 1::bigint, 10)$$,
    'axis_values effective_batch: numeric order up to 2048');
SELECT results_eq(
    $$SELECT value::text, n::bigint, rank::int FROM dlpg.axis_values WHERE axis = 'num_devices' ORDER BY rank$$,
    $$VALUES ('1', 18::bigint, 1), ('2', 1::bigint, 2)$$,
    'axis_values num_devices: 1 (18), 2 (1); not the 16 of the failed runs');
SELECT results_eq(
    $$SELECT value::text, n::bigint, rank::int FROM dlpg.axis_values WHERE axis = 'cluster_size' ORDER BY rank$$,
    $$VALUES ('1', 18::bigint, 1), ('2', 1::bigint, 2)$$,
    'axis_values cluster_size (num_nodes): 1 (18), 2 (1)');
SELECT results_eq(
    $$SELECT value::text, n::bigint, rank::int FROM dlpg.axis_values WHERE axis = 'devices_per_node' ORDER BY rank$$,
    $$VALUES ('1', 19::bigint, 1)$$,
    'axis_values devices_per_node: 1 (19)');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'interconnect' ORDER BY rank$$,
    $$VALUES ('InfiniBand EDR', 'InfiniBand EDR', 1::bigint, 1), ('unknown', 'unknown', 18::bigint, 2)$$,
    'axis_values interconnect: InfiniBand EDR 1, unknown 18 (Omni-Path only on failed runs)');
SELECT results_eq(
    $$SELECT value::text, label::text, n::bigint, rank::int FROM dlpg.axis_values
       WHERE axis = 'server' ORDER BY rank$$,
    $$VALUES ('Apollo 6500 Gen10', 'Apollo 6500 Gen10', 1::bigint, 1),
             ('ProLiant XL270d Gen10', 'ProLiant XL270d Gen10', 1::bigint, 2),
             ('unknown', 'unknown', 17::bigint, 3)$$,
    'axis_values server: Apollo 6500 Gen10, ProLiant XL270d Gen10, then unknown 17');
SELECT results_eq(
    $$SELECT value::text, n::bigint FROM dlpg.axis_values WHERE axis = 'model' ORDER BY rank$$,
    $$VALUES ('AlexNetOWT', 4::bigint), ('ResNet50', 12::bigint), ('VGG16', 3::bigint)$$,
    'axis_values model: no FailNet');
SELECT is((SELECT count(*) FROM dlpg.axes), 19::bigint, 'dlpg.axes: 19 rows, one per ok benchmark');
SELECT results_eq(
    $$SELECT data_type::text, data_type_label::text, precision::text, precision_label::text,
             cluster_size::text, interconnect::text, server::text
        FROM dlpg.axes WHERE model = 'VGG16' ORDER BY data_type COLLATE "C"$$,
    $$VALUES ('real/ssd', 'Real (local SSD)', 'int8', 'INT8', '2', 'InfiniBand EDR', 'Apollo 6500 Gen10'),
             ('real/weka', 'Real (Weka IO)', 'bf16', 'bfloat16 (BF16)', '1', NULL, 'ProLiant XL270d Gen10'),
             ('synthetic/device', 'Synthetic (device memory)', 'fp16', 'half (FP16)', '1', NULL, NULL)$$,
    'dlpg.axes: labels beside values for real/ssd, real/weka, synthetic/device, int8, bf16, fp16');
SELECT is_empty($$SELECT axis FROM dlpg.axis_values
                   WHERE axis NOT IN ('processing_unit', 'server', 'interconnect')
                   GROUP BY axis HAVING sum(n) <> 19$$,
                'axis_values: the counts of each axis whose values are never NULL add up to the 19 ok benchmarks');
SELECT is_empty($$
    SELECT axis FROM dlpg.axis_values
     WHERE axis NOT IN ('processing_unit', 'server', 'interconnect')
     GROUP BY axis
    HAVING min(rank) <> 1 OR max(rank) <> count(*) OR count(DISTINCT rank) <> count(*)
$$, 'axis_values: ranks are 1..k within each axis (axes without NULL values)');

SELECT * FROM finish();
ROLLBACK;
