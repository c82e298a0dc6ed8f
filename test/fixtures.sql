-- pgTAP: every real DLBS fixture log ingests into the values the log states.
-- Run from the project root (the logs are read with psql backticks).
-- Expected values were read from the logs by hand: the last value of each key
-- (exp.model_title, exp.framework_ver, exp.status are repeated in the logs).
BEGIN;
SELECT plan(59);

-- The logs: psql variables and the table pg_temp.fx.
\ir lib/fixtures.sql

SELECT is((SELECT count(*) FROM pg_temp.fx), 17::bigint, '17 fixture logs loaded from data/dlbs');

-- Ingest each (one test per log; a failure is reported, not fatal).
SELECT lives_ok(
           format('UPDATE pg_temp.fx SET id = dlpg.ingest(log, source) WHERE name = %L', name),
           'dlpg.ingest(' || grp || '/' || source || ')')
  FROM pg_temp.fx ORDER BY ord;

SELECT is((SELECT count(DISTINCT id) FROM pg_temp.fx WHERE id IS NOT NULL), 17::bigint,
          'every fixture got its own row id');
SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)), 17::bigint,
          'every returned id is a row of dlpg.benchmarks');

-- ---------------------------------------------------------------------------
-- One row per log: the typed columns against the literal values of the log
-- (exp.id, source, status, model, phase, precision, replica_batch,
--  effective_batch, device_type, processing_unit, framework, framework_version,
--  batch_time_ms, throughput, throughput_derived).
-- ---------------------------------------------------------------------------
-- The values read from each log.
CREATE TEMP TABLE expected (
    name text, exp_id text, source text, status text, model text, phase text, precision text,
    replica_batch int, effective_batch int, device_type text, processing_unit text,
    framework text, framework_version text, batch_time_ms float8, throughput float8,
    throughput_derived boolean);
INSERT INTO pg_temp.expected VALUES
    ('h200_rn50_fp16_train_128', 'f4bb8e5acbc14832b8c7cab6aebb8d59', 'resnet50_float16_training_128.log', 'ok', 'ResNet50', 'training', 'fp16', 128, 128, 'gpu', 'NVIDIA H200', 'PyTorch', NULL, 55.31534424999904, 2314, false),
    ('h200_rn50_fp16_train_256', '20a230dbd0e74a8487d726e4cd903631', 'resnet50_float16_training_256.log', 'ok', 'ResNet50', 'training', 'fp16', 256, 256, 'gpu', 'NVIDIA H200', 'PyTorch', NULL, 104.59162049999975, 2447, false),
    ('h200_rn50_fp16_train_64', 'c1fd5f5cc0d04b8696d0f61ab2b274bf', 'resnet50_float16_training_64.log', 'ok', 'ResNet50', 'training', 'fp16', 64, 64, 'gpu', 'NVIDIA H200', 'PyTorch', NULL, 30.19392914999912, 2119, false),
    ('h200_rn50_fp32_infer_256', 'ea62cb7ed07b470ca632db27e91c5572', 'resnet50_float32_inference_256.log', 'ok', 'ResNet50', 'inference', 'fp32', 256, 256, 'gpu', 'NVIDIA H200', 'PyTorch', NULL, 33.21973349999041, 7706, false),
    ('h200_rn50_fp32_infer_64', 'f730b495bd4c4ffa88df677e2619493b', 'resnet50_float32_inference_64.log', 'ok', 'ResNet50', 'inference', 'fp32', 64, 64, 'gpu', 'NVIDIA H200', 'PyTorch', NULL, 8.772994250003308, 7295, false),
    ('h200_rn50_fp32_train_128', 'eadeb6239871471db3e40d0f35611de7', 'resnet50_float32_training_128.log', 'ok', 'ResNet50', 'training', 'fp32', 128, 128, 'gpu', 'NVIDIA H200', 'PyTorch', NULL, 60.77399024999863, 2106, false),
    ('h200_rn50_fp32_train_256', 'f10c1e8f25f64b6b8a96e0c20dbace54', 'resnet50_float32_training_256.log', 'ok', 'ResNet50', 'training', 'fp32', 256, 256, 'gpu', 'NVIDIA H200', 'PyTorch', NULL, 116.50045979999959, 2197, false),
    ('h200_rn50_fp32_train_64', '4e9f7f234def4d5a818d93c56b5221b5', 'resnet50_float32_training_64.log', 'ok', 'ResNet50', 'training', 'fp32', 64, 64, 'gpu', 'NVIDIA H200', 'PyTorch', NULL, 33.98747494999981, 1883, false),
    ('rtx_alexnet_16', '6e2474a9115646e98d2495d3211f34d5', 'alexnet_owt_16.log', 'ok', 'AlexNetOWT', 'training', 'fp32', 16, 16, 'gpu', NULL, 'TensorFlow-nvtfcnn', '1.8.0', 22.662087, 706.025000, false),
    ('rtx_alexnet_32', 'd9684469975344adbd97545f283aed59', 'alexnet_owt_32.log', 'ok', 'AlexNetOWT', 'training', 'fp32', 32, 32, 'gpu', NULL, 'TensorFlow-nvtfcnn', '1.8.0', 27.457794, 1165.425000, false),
    ('rtx_alexnet_4', '2251fc61ab874a1ba9c391ab2c63fe86', 'alexnet_owt_4.log', 'ok', 'AlexNetOWT', 'training', 'fp32', 4, 4, 'gpu', NULL, 'TensorFlow-nvtfcnn', '1.8.0', 20.086624, 199.137500, false),
    ('rtx_alexnet_8', 'ba0f24d6dd5b4400bae768fe43c053f9', 'alexnet_owt_8.log', 'ok', 'AlexNetOWT', 'training', 'fp32', 8, 8, 'gpu', NULL, 'TensorFlow-nvtfcnn', '1.8.0', 21.092875, 379.275000, false),
    ('rtx_rn50_16', 'a620c8d4a7074cf0aed9f75e362c9f4f', 'resnet50_16.log', 'ok', 'ResNet50', 'training', 'fp32', 16, 16, 'gpu', NULL, 'TensorFlow-nvtfcnn', '1.8.0', 96.327514, 166.100000, false),
    ('rtx_rn50_32', 'afe29b8e395a49e0b23b6fc2e73a13f0', 'resnet50_32.log', 'ok', 'ResNet50', 'training', 'fp32', 32, 32, 'gpu', NULL, 'TensorFlow-nvtfcnn', '1.8.0', 157.035947, 203.775000, false),
    ('rtx_rn50_4', '95b1677babae4248815eb40638e1397b', 'resnet50_4.log', 'ok', 'ResNet50', 'training', 'fp32', 4, 4, 'gpu', NULL, 'TensorFlow-nvtfcnn', '1.8.0', 52.015605, 76.900000, false),
    ('rtx_rn50_8', '9f8b32763dbb47aa80dc469f1bbc4f96', 'resnet50_8.log', 'ok', 'ResNet50', 'training', 'fp32', 8, 8, 'gpu', NULL, 'TensorFlow-nvtfcnn', '1.8.0', 66.500416, 120.300000, false),
    ('failed_googlenet', 'bbacb390a223490993543834e8287a7e', 'googlenet_8_noresults.log', 'failed', 'googlenet', 'training', 'fp32', 8, 8, 'cpu', NULL, 'PyTorch', NULL, NULL, NULL, false);

SELECT results_eq(
    format($$SELECT b.exp_id, b.source, b.status, b.model, b.phase, b.precision, b.replica_batch,
                    b.effective_batch, b.device_type, b.processing_unit, b.framework,
                    b.framework_version, b.batch_time_ms, b.throughput, b.throughput_derived
               FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id) WHERE fx.name = %L$$, e.name),
    format($$SELECT exp_id, source, status, model, phase, precision, replica_batch,
                    effective_batch, device_type, processing_unit, framework,
                    framework_version, batch_time_ms, throughput, throughput_derived
               FROM pg_temp.expected WHERE name = %L$$, e.name),
    'data/dlbs/' || fx.grp || '/' || fx.source || ': stored columns equal the log')
  FROM pg_temp.expected e JOIN pg_temp.fx USING (name) ORDER BY fx.ord;

-- ---------------------------------------------------------------------------
-- Across all fixtures
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE b.exp_id IS DISTINCT FROM b.params->>'exp.id'), 0::bigint,
          'exp_id equals params->>''exp.id'' for every fixture');

SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE b.params IS DISTINCT FROM dlpg.parse_log(fx.log)), 0::bigint,
          'params equals dlpg.parse_log(log) for every fixture (nothing dropped)');

SELECT results_eq(
    $$SELECT fx.grp, min(k.n), max(k.n), count(*)
        FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
        CROSS JOIN LATERAL (SELECT count(*) AS n FROM jsonb_object_keys(b.params)) k
       GROUP BY fx.grp ORDER BY fx.grp$$,
    $$VALUES ('failed'::text, 228::bigint, 228::bigint, 1::bigint),
             ('h200', 236, 236, 8),
             ('rtx2080', 220, 220, 8)$$,
    'params holds every key: 236 per H200 log, 220 per RTX 2080 log, 228 for the failed log');

SELECT results_eq(
    $$SELECT fx.grp, b.params->>'exp.framework_ver', b.framework_version, count(*)
        FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
       GROUP BY 1, 2, 3 ORDER BY 1, 2, 3$$,
    $$VALUES ('failed'::text, ''::text, NULL::text, 1::bigint),
             ('h200', '', NULL, 8),
             ('rtx2080', '1.8.0', '1.8.0', 8)$$,
    'exp.framework_ver: last value wins ("1.8.0" over the earlier ""); empty -> framework_version NULL');

SELECT results_eq(
    $$SELECT fx.grp, b.params->>'exp.status', count(*)
        FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    $$VALUES ('failed'::text, 'ok'::text, 1::bigint),
             ('h200', 'ok', 8),
             ('rtx2080', 'success', 8)$$,
    'params->>''exp.status'' is the last value of the log');

SELECT results_eq(
    $$SELECT fx.grp, b.processing_unit, count(*)
        FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    $$VALUES ('failed'::text, NULL::text, 1::bigint),
             ('h200', 'NVIDIA H200', 8),
             ('rtx2080', NULL, 8)$$,
    'processing_unit: NVIDIA H200 from hw.nvidiasmi; NULL without hw info');

SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE b.throughput_derived), 0::bigint,
          'no fixture has a derived throughput');

SELECT results_eq(
    $$SELECT fx.grp, b.status, count(*)
        FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    $$VALUES ('failed'::text, 'failed'::text, 1::bigint),
             ('h200', 'ok', 8),
             ('rtx2080', 'ok', 8)$$,
    'status: 16 ok, the crashed run failed');

SELECT ok((SELECT b.status_reason ILIKE '%results.time%'
             FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE fx.grp = 'failed'),
          'the failed fixture''s status_reason mentions results.time');

SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE b.status = 'ok' AND b.status_reason IS NOT NULL), 0::bigint,
          'a plain ok row has no status_reason');

SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE b.data_type IS DISTINCT FROM 'synthetic'), 0::bigint,
          'data_type is synthetic for every fixture');

SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE (b.devices_per_node, b.num_nodes, b.num_devices) IS DISTINCT FROM (1, 1, 1)),
          0::bigint,
          'devices_per_node, num_nodes and num_devices are 1 for every fixture');

SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE b.server IS NOT NULL OR b.interconnect IS NOT NULL), 0::bigint,
          'server and interconnect are NULL (exp.node_id and exp.node_nic are empty, no hw.dmi)');

SELECT results_eq(
    $$SELECT fx.grp, b.software, count(*)
        FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    $$VALUES ('failed'::text, 'PyTorch (bare metal)'::text, 1::bigint),
             ('h200', 'PyTorch (bare metal)', 8),
             ('rtx2080', 'TensorFlow-nvtfcnn 1.8.0 (docker nvcr.io/nvidia/tensorflow:18.07-py3)', 8)$$,
    'software from framework, version and exp.docker / exp.docker_image');

SELECT results_eq(
    $$SELECT fx.grp, array_length(b.batch_times_ms, 1), count(*)
        FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
       GROUP BY 1, 2 ORDER BY 1, 2$$,
    $$VALUES ('failed'::text, NULL::int, 1::bigint),
             ('h200', 20, 8),
             ('rtx2080', NULL, 8)$$,
    'batch_times_ms holds the 20 results.time_data values of each H200 log');

SELECT is((SELECT b.batch_times_ms[1] FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE fx.name = 'h200_rn50_fp16_train_128'),
          55.20484999999553::float8,
          'batch_times_ms[1] of resnet50_float16_training_128 is the logged 55.20484999999553');

SELECT is((SELECT b.batch_times_ms[20] FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE fx.name = 'h200_rn50_fp16_train_128'),
          55.375441000023784::float8,
          'batch_times_ms[20] of resnet50_float16_training_128 is the logged 55.375441000023784');

SELECT is((SELECT b.params->'results.time' FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE fx.name = 'h200_rn50_fp16_train_128'),
          '55.31534424999904'::jsonb,
          'params keeps results.time as the exact JSON number');

SELECT is((SELECT b.params->'hw.nvidiasmi'->'GPU 00000000:00:06.0'->>'Product Name'
             FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE fx.name = 'h200_rn50_fp32_infer_64'),
          'NVIDIA H200',
          'params keeps the nested hw.nvidiasmi object');

SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)
            WHERE b.params->>'pytorch.__master_addr' IS NULL), 0::bigint,
          'the key pytorch.__master_addr (inner double underscore) is in params of every fixture');

SELECT is((SELECT count(*) FROM pg_temp.fx WHERE dlpg.ingest(log, source) IS DISTINCT FROM id),
          0::bigint,
          'ingesting every fixture again returns its existing id');
SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN pg_temp.fx USING (id)), 17::bigint,
          'and makes no new rows');

SELECT * FROM finish();
ROLLBACK;
