-- pgTAP: dlpg.series (and dlpg.series_query): x labels and ranks, series names, every
-- filter key, the aggregation methods over repeated trials, weak/strong batch_size, and the
-- 22023 errors.  Run from the project root (the logs are read with psql backticks).
--
-- The data: the 16 ok fixture logs and the failed one, then benchmarks made with
-- dlpg.ingest_json whose values are chosen so every answer can be worked out by hand.
-- Fixtures (read from the logs):
--   H200 (ResNet50, PyTorch, 'NVIDIA H200', 'PyTorch (bare metal)'), replica = effective batch:
--     fp16 training  64: 30.19392914999912 ms, 2119/s   128: 55.31534424999904, 2314   256: 104.59162049999975, 2447
--     fp32 training  64: 33.98747494999981, 1883        128: 60.77399024999863, 2106   256: 116.50045979999959, 2197
--     fp32 inference 64: 8.772994250003308, 7295        256: 33.21973349999041, 7706
--   RTX 2080 (TensorFlow-nvtfcnn, fp32 training, no processing unit), replica = effective batch:
--     AlexNetOWT 4: 20.086624, 199.1375  8: 21.092875, 379.275  16: 22.662087, 706.025  32: 27.457794, 1165.425
--     ResNet50   4: 52.015605, 76.9      8: 66.500416, 120.3    16: 96.327514, 166.1    32: 157.035947, 203.775
--   failed: googlenet, PyTorch, fp32, replica 8, on CPU, no results.
BEGIN;
SELECT plan(208);

-- Start from empty tables (rolled back with the test).
DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------
-- The fixture logs (pg_temp.fx, not ingested yet); errors by test name with pg_temp.throws,
-- lists and says; synthetic benchmarks with pg_temp.bm.
\ir lib/fixtures.sql
\ir lib/errors.sql
\ir lib/logs.sql

-- A filter case: dlpg.series('model', 'throughput', f, 'max') against the same question asked
-- of dlpg.benchmarks with cond (a WHERE clause on the canonical columns), and the number of
-- benchmarks that must match (worked out by hand from the data).
CREATE FUNCTION pg_temp.fcheck(f jsonb, cond text, total int, descr text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE v_have text; v_want text; v_n bigint; v_wn bigint; st text; msg text;
BEGIN
    descr := format('filters %s: %s benchmark(s)%s', f, total, coalesce(' (' || descr || ')', ''));
    BEGIN
        SELECT string_agg(format('%s=%s/%s', s.x, s.y, s.n), ', ' ORDER BY s.x COLLATE "C"),
               coalesce(sum(s.n), 0)
          INTO v_have, v_n
          FROM dlpg.series('model', 'throughput', f, 'max') s;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
        RETURN fail(descr) || E'\n' || diag('    died: ' || st || ': ' || msg);
    END;
    EXECUTE format($q$SELECT string_agg(format('%%s=%%s/%%s', o.model, o.y, o.n), ', ' ORDER BY o.model COLLATE "C"),
                             coalesce(sum(o.n), 0)
                        FROM (SELECT b.model, max(b.throughput) AS y, count(*) AS n
                                FROM dlpg.benchmarks b
                               WHERE b.status = 'ok' AND b.model IS NOT NULL AND (%s)
                               GROUP BY b.model) o$q$, cond)
       INTO v_want, v_wn;
    IF v_have IS NOT DISTINCT FROM v_want AND v_n = total AND v_wn = total THEN
        RETURN pass(descr);
    END IF;
    RETURN fail(descr) || E'\n' || diag(format(E'    have: %s (%s benchmarks)\n    want: %s (%s benchmarks by the oracle, %s by hand)',
                                               v_have, v_n, v_want, v_wn, total));
END $f$;

-- ---------------------------------------------------------------------------
-- The interface
-- ---------------------------------------------------------------------------
SELECT has_function('dlpg', 'series', ARRAY['text', 'text', 'jsonb', 'text', 'text', 'text'],
                    'dlpg.series(text, text, jsonb, text, text, text) exists');
SELECT has_function('dlpg', 'series_query', ARRAY['text', 'text', 'jsonb', 'text', 'text', 'text'],
                    'dlpg.series_query(text, text, jsonb, text, text, text) exists');
SELECT is(pg_get_function_result(to_regprocedure('dlpg.series(text,text,jsonb,text,text,text)')),
          'TABLE(series text, x text, x_rank integer, y double precision, n bigint, x_value double precision, configs integer, mixed text[])',
          'dlpg.series returns TABLE(series text, x text, x_rank integer, y double precision, n bigint, x_value double precision, configs integer, mixed text[])');
SELECT is(pg_get_function_result(to_regprocedure('dlpg.series_query(text,text,jsonb,text,text,text)')),
          'text', 'dlpg.series_query returns text');

-- ---------------------------------------------------------------------------
-- The fixtures
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(dlpg.ingest(log, source)) FROM (SELECT log, source FROM pg_temp.fx ORDER BY ord) AS v),
          17::bigint, '17 fixture logs ingested');
SELECT results_eq($$SELECT status, count(*) FROM dlpg.benchmarks GROUP BY status ORDER BY status$$,
                  $$VALUES ('failed'::text, 1::bigint), ('ok', 16)$$, '16 ok, 1 failed');

-- ---------------------------------------------------------------------------
-- x labels, x_rank, series names (fixtures only)
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('replica_batch', 'throughput', '{}', 'best', 'model')
       ORDER BY series COLLATE "C", x_rank$$,
    $$VALUES ('AlexNetOWT'::text, '4'::text, 1, 199.1375::float8, 1::bigint),
             ('AlexNetOWT', '8', 2, 379.275, 1),
             ('AlexNetOWT', '16', 3, 706.025, 1),
             ('AlexNetOWT', '32', 4, 1165.425, 1),
             ('ResNet50', '4', 1, 76.9, 1),
             ('ResNet50', '8', 2, 120.3, 1),
             ('ResNet50', '16', 3, 166.1, 1),
             ('ResNet50', '32', 4, 203.775, 1),
             ('ResNet50', '64', 5, 7295, 3),
             ('ResNet50', '128', 6, 2314, 2),
             ('ResNet50', '256', 7, 7706, 3)$$,
    'series(replica_batch, throughput, best, group_by model): x in numeric order 4 < 8 < 16 < ... < 256, best = max, n trials');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('replica_batch', 'batch_time', '{}', 'best', 'model')
       ORDER BY series COLLATE "C", x_rank$$,
    $$VALUES ('AlexNetOWT'::text, '4'::text, 1, 20.086624::float8, 1::bigint),
             ('AlexNetOWT', '8', 2, 21.092875, 1),
             ('AlexNetOWT', '16', 3, 22.662087, 1),
             ('AlexNetOWT', '32', 4, 27.457794, 1),
             ('ResNet50', '4', 1, 52.015605, 1),
             ('ResNet50', '8', 2, 66.500416, 1),
             ('ResNet50', '16', 3, 96.327514, 1),
             ('ResNet50', '32', 4, 157.035947, 1),
             ('ResNet50', '64', 5, 8.772994250003308, 3),
             ('ResNet50', '128', 6, 55.31534424999904, 2),
             ('ResNet50', '256', 7, 33.21973349999041, 3)$$,
    'series(replica_batch, batch_time, best, group_by model): best = min for batch_time');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('effective_batch', 'throughput', '{}', 'min', 'model')
       ORDER BY series COLLATE "C", x_rank$$,
    $$VALUES ('AlexNetOWT'::text, '4'::text, 1, 199.1375::float8, 1::bigint),
             ('AlexNetOWT', '8', 2, 379.275, 1),
             ('AlexNetOWT', '16', 3, 706.025, 1),
             ('AlexNetOWT', '32', 4, 1165.425, 1),
             ('ResNet50', '4', 1, 76.9, 1),
             ('ResNet50', '8', 2, 120.3, 1),
             ('ResNet50', '16', 3, 166.1, 1),
             ('ResNet50', '32', 4, 203.775, 1),
             ('ResNet50', '64', 5, 1883, 3),
             ('ResNet50', '128', 6, 2106, 2),
             ('ResNet50', '256', 7, 2197, 3)$$,
    'series(effective_batch, throughput, min, group_by model): numeric order, min');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('precision')$$,
    $$VALUES ('Throughput'::text, 'half (FP16)'::text, 1, 2447::float8, 3::bigint),
             ('Throughput', 'single (FP32)', 2, 7706, 13)$$,
    'series(precision) with every default: throughput, best, series ''Throughput'', x the labels, fp16 before fp32');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('precision', 'batch_time', '{}', 'best')$$,
    $$VALUES ('Batch time (ms)'::text, 'half (FP16)'::text, 1, 30.19392914999912::float8, 3::bigint),
             ('Batch time (ms)', 'single (FP32)', 2, 8.772994250003308, 13)$$,
    'series(precision, batch_time): series ''Batch time (ms)'', best = min');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('replica_batch', 'throughput', '{}', 'max', 'precision')
       ORDER BY series COLLATE "C", x_rank$$,
    $$VALUES ('half (FP16)'::text, '64'::text, 5, 2119::float8, 1::bigint),
             ('half (FP16)', '128', 6, 2314, 1),
             ('half (FP16)', '256', 7, 2447, 1),
             ('single (FP32)', '4', 1, 199.1375, 2),
             ('single (FP32)', '8', 2, 379.275, 2),
             ('single (FP32)', '16', 3, 706.025, 2),
             ('single (FP32)', '32', 4, 1165.425, 2),
             ('single (FP32)', '64', 5, 7295, 2),
             ('single (FP32)', '128', 6, 2106, 1),
             ('single (FP32)', '256', 7, 7706, 2)$$,
    'group_by precision: series are the precision labels; x_rank is the rank across all series (fp16 starts at 5)');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('model', 'throughput', '{}', 'max', 'processing_unit')
       ORDER BY series COLLATE "C", x_rank$$,
    $$VALUES ('NVIDIA H200'::text, 'ResNet50'::text, 2, 7706::float8, 8::bigint),
             ('unknown', 'AlexNetOWT', 1, 1165.425, 4),
             ('unknown', 'ResNet50', 2, 203.775, 4)$$,
    'group_by processing_unit: NULL group is ''unknown''');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('model', 'throughput', '{}', 'max', NULL, 'RTX 2080 and H200')$$,
    $$VALUES ('RTX 2080 and H200'::text, 'AlexNetOWT'::text, 1, 1165.425::float8, 4::bigint),
             ('RTX 2080 and H200', 'ResNet50', 2, 7706, 12)$$,
    'series_name names the one series');
SELECT pg_temp.throws('gb_and_name', $$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'max', 'precision', 'ignored')$$,
    '22023', 'series_name together with group_by: 22023 (series_name is not silently ignored)');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('data_type')$$,
    $$VALUES ('Throughput'::text, 'Synthetic (DRAM)'::text, 1, 7706::float8, 16::bigint)$$,
    'series(data_type): x is the label Synthetic (DRAM)');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('phase', 'throughput', '{}', 'max')$$,
    $$VALUES ('Throughput'::text, 'inference'::text, 1, 7706::float8, 2::bigint),
             ('Throughput', 'training', 2, 2447, 14)$$,
    'series(phase)');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('processing_unit', 'throughput', '{}', 'max')$$,
    $$VALUES ('Throughput'::text, 'NVIDIA H200'::text, 1, 7706::float8, 8::bigint)$$,
    'series(processing_unit): benchmarks without a processing unit (NULL x) are left out');
SELECT results_eq(
    $$SELECT x, x_rank, n FROM dlpg.series('software', 'throughput', '{}', 'max')$$,
    $$VALUES ('PyTorch (bare metal)'::text, 1, 8::bigint),
             ('TensorFlow-nvtfcnn 1.8.0 (docker nvcr.io/nvidia/tensorflow:18.07-py3)', 2, 8)$$,
    'series(software)');
SELECT results_eq(
    $$SELECT x, x_rank, n FROM dlpg.series('framework', 'batch_time', '{}', 'max')$$,
    $$VALUES ('PyTorch'::text, 1, 8::bigint), ('TensorFlow-nvtfcnn', 2, 8)$$,
    'series(framework): the failed PyTorch run does not count');
SELECT results_eq(
    $$SELECT x, x_rank, n FROM dlpg.series('num_devices')$$,
    $$VALUES ('1'::text, 1, 16::bigint)$$,
    'series(num_devices)');
SELECT is_empty($$SELECT * FROM dlpg.series('server')$$,
                'series(server): no fixture has a server, so no point');
SELECT results_eq(
    $$SELECT x, x_rank, y, n FROM dlpg.series('replica_batch', 'throughput', '{"precision": "fp16"}', 'max')$$,
    $$VALUES ('64'::text, 1, 2119::float8, 1::bigint), ('128', 2, 2314, 1), ('256', 3, 2447, 1)$$,
    'x_rank ranks the x values that are in the answer (filtered to fp16: 1, 2, 3)');

-- Ordered by series, x_rank (as returned, no ORDER BY)
SELECT results_eq(
    $$SELECT series, x_rank FROM dlpg.series('replica_batch', 'throughput', '{}', 'max', 'processing_unit')$$,
    $$VALUES ('NVIDIA H200'::text, 5), ('NVIDIA H200', 6), ('NVIDIA H200', 7),
             ('unknown', 1), ('unknown', 2), ('unknown', 3), ('unknown', 4)$$,
    'rows come ordered by series, x_rank');
SELECT results_eq(
    $$SELECT x FROM dlpg.series('replica_batch', 'batch_time', '{}', 'min')$$,
    $$VALUES ('4'::text), ('8'), ('16'), ('32'), ('64'), ('128'), ('256')$$,
    'rows come in numeric x order (4, 8, 16, 32, 64, 128, 256), not text order');

-- The failed run never counts.
SELECT is_empty($$SELECT * FROM dlpg.series('model', 'throughput', '{"model": "googlenet"}')$$,
                'the failed googlenet run is no point');
SELECT is((SELECT n FROM dlpg.series('replica_batch', 'throughput', '{}', 'max') WHERE x = '8'), 2::bigint,
          'replica batch 8 counts 2 trials, not the failed run');

-- series_query is what series runs
SELECT ok(dlpg.series_query('replica_batch', 'throughput', '{"precision": "fp32"}', 'median', 'model') ~* '\mselect\M',
          'series_query returns the SQL text');
CREATE FUNCTION pg_temp.run(q text) RETURNS TABLE (series text, x text, x_rank int, y float8, n bigint,
                                                   x_value float8, configs int, mixed text[])
LANGUAGE plpgsql AS $f$ BEGIN RETURN QUERY EXECUTE q; END $f$;
SELECT results_eq(
    $$SELECT * FROM pg_temp.run(dlpg.series_query('replica_batch', 'throughput', '{"precision": "fp32"}', 'median', 'model'))$$,
    $$SELECT * FROM dlpg.series('replica_batch', 'throughput', '{"precision": "fp32"}', 'median', 'model')$$,
    'running series_query gives what series gives');

-- ---------------------------------------------------------------------------
-- Synthetic benchmarks
-- ---------------------------------------------------------------------------
-- TrialNet: three ok trials of one configuration, and trials that are not ok.
--   throughput 100, 600, 200 -> min 100, max 600, avg 300, median 200, best 600
--   batch time 10, 20, 60    -> min 10, max 60, avg 30, median 20, best 10
-- EvenNet: four ok trials.
--   throughput 100, 1000, 200, 600 -> min 100, max 1000, avg 475, median (200+600)/2 = 400
--   batch time 1, 2, 3, 10         -> min 1, max 10, avg 4, median (2+3)/2 = 2.5
-- FilterNet (SynthFW):
--   f1 real/ssd,  2 GPUs (2/node), 1 node,  replica 64,  effective 128,  fp16, inference,
--      Tesla V100-SXM2-32GB, ProLiant XL270d Gen10, InfiniBand EDR          1001/s, 11 ms
--   f2 real/weka, 4 GPUs (2/node), 2 nodes, replica 32,  effective 128,  int8, inference,
--      Tesla V100-SXM2-32GB, Apollo 6500 Gen10, InfiniBand EDR              1002/s, 12 ms
--   f3 synthetic/device, 8 GPUs (8/node), 1 node, replica 128, effective 1024, bf16, training,
--      Tesla P100, Apollo 6500 Gen10, no interconnect                      1003/s, 13 ms
--   f4 real/nvme, 1 GPU, 1 node, replica 256, effective 256, fp32, training, Tesla P100,
--      no server, RoCE, software 'TensorFlow 1.12 (singularity)'            1004/s, 14 ms
-- ScaleNet (fp32 training): replica and effective batch differ
--   s1 2 GPUs (2/node), replica 64,  effective 128   2001/s, 21 ms
--   s2 1 GPU,           replica 128, effective 128   2002/s, 22 ms
--   s3 1 GPU,           replica 64,  effective 64    2003/s, 23 ms
SELECT is((SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(
    pg_temp.bm('tr-1', 'TrialNet', 'float32', 16, 16, 1, 10, 100),
    pg_temp.bm('tr-2', 'TrialNet', 'float32', 16, 16, 1, 20, 600),
    pg_temp.bm('tr-3', 'TrialNet', 'float32', 16, 16, 1, 60, 200),
    pg_temp.bm('tr-f1', 'TrialNet', 'float32', 16, 16, 1, 0, 5000),
    pg_temp.bm('tr-f2', 'TrialNet', 'float32', 16, 16, 1, -3, 5000),
    pg_temp.bm('tr-f3', 'TrialNet', 'float32', 16, 16, 1, 1, 5000) - 'results.time',
    pg_temp.bm('tr-s1', 'TrialNet', 'float32', 16, 16, 1, 1, 5000, '{"exp.status": "skipped"}') - 'results.time',
    pg_temp.bm('ev-1', 'EvenNet', 'float32', 16, 16, 1, 1, 100),
    pg_temp.bm('ev-2', 'EvenNet', 'float32', 16, 16, 1, 2, 1000),
    pg_temp.bm('ev-3', 'EvenNet', 'float32', 16, 16, 1, 3, 200),
    pg_temp.bm('ev-4', 'EvenNet', 'float32', 16, 16, 1, 10, 600),
    pg_temp.bm('f1', 'FilterNet', 'float16', 64, 128, 2, 11, 1001,
               '{"exp.data": "real", "exp.data_store": "ssd", "exp.phase": "inference",
                 "exp.device_title": "Tesla V100-SXM2-32GB", "exp.node_title": "ProLiant XL270d Gen10",
                 "exp.node_nic": "InfiniBand EDR"}'),
    pg_temp.bm('f2', 'FilterNet', 'int8', 32, 128, 4, 12, 1002,
               '{"exp.data": "real", "exp.data_store": "weka", "exp.phase": "inference",
                 "exp.num_local_gpus": 2, "exp.num_nodes": 2,
                 "exp.device_title": "Tesla V100-SXM2-32GB", "exp.node_title": "Apollo 6500 Gen10",
                 "exp.node_nic": "InfiniBand EDR"}'),
    pg_temp.bm('f3', 'FilterNet', 'bfloat16', 128, 1024, 8, 13, 1003,
               '{"exp.data": "synthetic", "exp.data_store": "device",
                 "exp.device_title": "Tesla P100", "exp.node_title": "Apollo 6500 Gen10"}'),
    pg_temp.bm('f4', 'FilterNet', 'float32', 256, 256, 1, 14, 1004,
               '{"exp.data": "real", "exp.data_store": "nvme", "exp.device_title": "Tesla P100",
                 "exp.node_nic": "RoCE", "exp.software": "TensorFlow 1.12 (singularity)"}'),
    pg_temp.bm('s1', 'ScaleNet', 'float32', 64, 128, 2, 21, 2001),
    pg_temp.bm('s2', 'ScaleNet', 'float32', 128, 128, 1, 22, 2002),
    pg_temp.bm('s3', 'ScaleNet', 'float32', 64, 64, 1, 23, 2003)
  ), 'series-test.json')), 18::bigint, '18 synthetic benchmarks ingested');
-- Written directly: failed, but with positive measures. Must never count.
INSERT INTO dlpg.benchmarks (status, status_reason, model, precision, phase, framework, data_type,
                             device_type, replica_batch, effective_batch, num_devices, devices_per_node,
                             num_nodes, batch_time_ms, throughput, params, dedup_key)
VALUES ('failed', 'written by the test', 'TrialNet', 'fp32', 'training', 'SynthFW', 'synthetic',
        'gpu', 16, 16, 1, 1, 1, 0.5, 99999, '{}', 'series-failed-direct');
SELECT results_eq($$SELECT status, count(*) FROM dlpg.benchmarks GROUP BY status ORDER BY status$$,
                  $$VALUES ('failed'::text, 5::bigint), ('ok', 30), ('skipped', 1)$$,
                  'now 30 ok, 5 failed (3 TrialNet, 1 direct, googlenet), 1 skipped');
SELECT results_eq(
    $$SELECT model, data_type, num_devices, devices_per_node, num_nodes, replica_batch, effective_batch,
             precision, phase, processing_unit, server, interconnect
        FROM dlpg.benchmarks WHERE model = 'FilterNet' ORDER BY throughput$$,
    $$VALUES ('FilterNet'::text, 'real/ssd'::text, 2, 2, 1, 64, 128, 'fp16'::text, 'inference'::text,
              'Tesla V100-SXM2-32GB'::text, 'ProLiant XL270d Gen10'::text, 'InfiniBand EDR'::text),
             ('FilterNet', 'real/weka', 4, 2, 2, 32, 128, 'int8', 'inference', 'Tesla V100-SXM2-32GB',
              'Apollo 6500 Gen10', 'InfiniBand EDR'),
             ('FilterNet', 'synthetic/device', 8, 8, 1, 128, 1024, 'bf16', 'training', 'Tesla P100',
              'Apollo 6500 Gen10', NULL),
             ('FilterNet', 'real/nvme', 1, 1, 1, 256, 256, 'fp32', 'training', 'Tesla P100', NULL, 'RoCE')$$,
    'the FilterNet benchmarks have the columns the filter cases below assume');

-- ---------------------------------------------------------------------------
-- Aggregation methods over repeated trials
-- ---------------------------------------------------------------------------
SELECT results_eq(
    format($$SELECT series, x, x_rank, y, n FROM dlpg.series('model', %L, '{"model": "TrialNet"}', %L)$$, yx, agg),
    format($$VALUES (%L::text, 'TrialNet'::text, 1, %s::float8, 3::bigint)$$,
           CASE yx WHEN 'throughput' THEN 'Throughput' ELSE 'Batch time (ms)' END, want),
    format('TrialNet (3 ok trials, 5 not ok): %s of %s = %s', agg, yx, want))
  FROM (VALUES ('throughput', 'min', '100'), ('throughput', 'max', '600'), ('throughput', 'avg', '300'),
               ('throughput', 'median', '200'), ('throughput', 'best', '600'),
               ('batch_time', 'min', '10'), ('batch_time', 'max', '60'), ('batch_time', 'avg', '30'),
               ('batch_time', 'median', '20'), ('batch_time', 'best', '10')) AS c(yx, agg, want);
SELECT results_eq(
    format($$SELECT series, x, x_rank, y, n FROM dlpg.series('model', %L, '{"model": "EvenNet"}', %L)$$, yx, agg),
    format($$VALUES (%L::text, 'EvenNet'::text, 1, %s::float8, 4::bigint)$$,
           CASE yx WHEN 'throughput' THEN 'Throughput' ELSE 'Batch time (ms)' END, want),
    format('EvenNet (4 trials): %s of %s = %s', agg, yx, want))
  FROM (VALUES ('throughput', 'min', '100'), ('throughput', 'max', '1000'), ('throughput', 'avg', '475'),
               ('throughput', 'median', '400'), ('throughput', 'best', '1000'),
               ('batch_time', 'min', '1'), ('batch_time', 'max', '10'), ('batch_time', 'avg', '4'),
               ('batch_time', 'median', '2.5'), ('batch_time', 'best', '1')) AS c(yx, agg, want);
SELECT results_eq(
    $$SELECT series, x, y, n FROM dlpg.series('model', 'batch_time', '{"model": ["TrialNet", "EvenNet"]}')$$,
    $$VALUES ('Batch time (ms)'::text, 'EvenNet'::text, 1::float8, 4::bigint),
             ('Batch time (ms)', 'TrialNet', 10, 3)$$,
    'the default agg is best (min for batch_time)');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('replica_batch', 'throughput', '{"model": ["TrialNet", "EvenNet"]}', 'median', 'model')
       ORDER BY series COLLATE "C"$$,
    $$VALUES ('EvenNet'::text, '16'::text, 1, 400::float8, 4::bigint),
             ('TrialNet', '16', 1, 200, 3)$$,
    'median per series: EvenNet 400, TrialNet 200');

-- ---------------------------------------------------------------------------
-- Filters: every key, scalar and array values, canonical values and labels, any case.
-- Each case against the same question asked of dlpg.benchmarks (30 ok benchmarks).
-- ---------------------------------------------------------------------------
SELECT pg_temp.fcheck(f::jsonb, cond, total, descr) FROM (VALUES
    -- data_type
    ('{"data_type": "real/ssd"}', $$data_type = 'real/ssd'$$, 1, 'canonical value'),
    ('{"data_type": "Real (local SSD)"}', $$data_type = 'real/ssd'$$, 1, 'label'),
    ('{"data_type": "REAL (LOCAL SSD)"}', $$data_type = 'real/ssd'$$, 1, 'label in another case'),
    ('{"data_type": ["synthetic/device", "Real (Weka IO)"]}', $$data_type IN ('synthetic/device', 'real/weka')$$, 2, 'array of value and label'),
    ('{"data_type": "synthetic"}', $$data_type = 'synthetic'$$, 26, 'synthetic is not synthetic/device'),
    ('{"data_type": "Synthetic (DRAM)"}', $$data_type = 'synthetic'$$, 26, 'label of synthetic'),
    ('{"data_type": "real (local nvme)"}', $$data_type = 'real/nvme'$$, 1, 'label in lower case'),
    -- effective_batch
    ('{"effective_batch": 128}', $$effective_batch = 128$$, 6, 'number'),
    ('{"effective_batch": "128"}', $$effective_batch = 128$$, 6, 'numeric string'),
    ('{"effective_batch": [64, 1024]}', $$effective_batch IN (64, 1024)$$, 5, 'array of numbers'),
    ('{"effective_batch": ["256", 4]}', $$effective_batch IN (256, 4)$$, 6, 'array of a string and a number'),
    -- framework
    ('{"framework": "SynthFW"}', $$framework = 'SynthFW'$$, 14, 'value'),
    ('{"framework": "synthfw"}', $$framework = 'SynthFW'$$, 14, 'lower case'),
    ('{"framework": ["PyTorch", "tensorflow-NVTFCNN"]}', $$framework IN ('PyTorch', 'TensorFlow-nvtfcnn')$$, 16, 'array, mixed case'),
    -- model
    ('{"model": "resnet50"}', $$model = 'ResNet50'$$, 12, 'resnet50 matches ResNet50'),
    ('{"model": "ResNet50"}', $$model = 'ResNet50'$$, 12, 'value'),
    ('{"model": ["AlexNetOWT", "trialnet"]}', $$model IN ('AlexNetOWT', 'TrialNet')$$, 7, 'array; failed TrialNet trials not counted'),
    -- num_devices
    ('{"num_devices": 2}', $$num_devices = 2$$, 2, 'number'),
    ('{"num_devices": "4"}', $$num_devices = 4$$, 1, 'numeric string'),
    ('{"num_devices": [1, 8]}', $$num_devices IN (1, 8)$$, 27, 'array'),
    -- phase
    ('{"phase": "inference"}', $$phase = 'inference'$$, 4, 'value'),
    ('{"phase": "INFERENCE"}', $$phase = 'inference'$$, 4, 'upper case'),
    ('{"phase": ["training"]}', $$phase = 'training'$$, 26, 'array of one'),
    -- precision
    ('{"precision": "FP32"}', $$precision = 'fp32'$$, 24, 'canonical value in upper case'),
    ('{"precision": "Single (fp32)"}', $$precision = 'fp32'$$, 24, 'label in another case'),
    ('{"precision": "single (FP32)"}', $$precision = 'fp32'$$, 24, 'label'),
    ('{"precision": "fp16"}', $$precision = 'fp16'$$, 4, 'canonical value'),
    ('{"precision": ["half (fp16)", "int8"]}', $$precision IN ('fp16', 'int8')$$, 5, 'array of label and value'),
    ('{"precision": "bfloat16 (BF16)"}', $$precision = 'bf16'$$, 1, 'label of bf16'),
    ('{"precision": "BF16"}', $$precision = 'bf16'$$, 1, 'bf16 in upper case'),
    -- processing_unit
    ('{"processing_unit": "NVIDIA H200"}', $$processing_unit = 'NVIDIA H200'$$, 8, 'value'),
    ('{"processing_unit": "nvidia h200"}', $$processing_unit = 'NVIDIA H200'$$, 8, 'lower case'),
    ('{"processing_unit": ["Tesla P100", "tesla v100-sxm2-32gb"]}', $$processing_unit IN ('Tesla P100', 'Tesla V100-SXM2-32GB')$$, 4, 'array'),
    -- replica_batch
    ('{"replica_batch": 64}', $$replica_batch = 64$$, 6, 'number'),
    ('{"replica_batch": "64"}', $$replica_batch = 64$$, 6, 'numeric string'),
    ('{"replica_batch": [4, 256]}', $$replica_batch IN (4, 256)$$, 6, 'array'),
    -- server
    ('{"server": "ProLiant XL270d Gen10"}', $$server = 'ProLiant XL270d Gen10'$$, 1, 'value'),
    ('{"server": "apollo 6500 gen10"}', $$server = 'Apollo 6500 Gen10'$$, 2, 'lower case'),
    ('{"server": ["Apollo 6500 Gen10", "PROLIANT XL270D GEN10"]}', $$server IS NOT NULL$$, 3, 'array'),
    -- software
    ('{"software": "PyTorch (bare metal)"}', $$software = 'PyTorch (bare metal)'$$, 8, 'value'),
    ('{"software": "pytorch (BARE METAL)"}', $$software = 'PyTorch (bare metal)'$$, 8, 'other case'),
    ('{"software": ["TensorFlow 1.12 (singularity)", "PyTorch (bare metal)"]}', $$software IN ('TensorFlow 1.12 (singularity)', 'PyTorch (bare metal)')$$, 9, 'array'),
    -- cluster_size (num_nodes)
    ('{"cluster_size": 2}', $$num_nodes = 2$$, 1, 'number'),
    ('{"cluster_size": "2"}', $$num_nodes = 2$$, 1, 'numeric string'),
    ('{"cluster_size": [1, 2]}', $$num_nodes IN (1, 2)$$, 30, 'array'),
    -- interconnect
    ('{"interconnect": "InfiniBand EDR"}', $$interconnect = 'InfiniBand EDR'$$, 2, 'value'),
    ('{"interconnect": "infiniband edr"}', $$interconnect = 'InfiniBand EDR'$$, 2, 'lower case'),
    ('{"interconnect": ["RoCE", "InfiniBand EDR"]}', $$interconnect IN ('RoCE', 'InfiniBand EDR')$$, 3, 'array'),
    -- devices_per_node
    ('{"devices_per_node": 2}', $$devices_per_node = 2$$, 3, 'number'),
    ('{"devices_per_node": "8"}', $$devices_per_node = 8$$, 1, 'numeric string'),
    ('{"devices_per_node": [2, 8]}', $$devices_per_node IN (2, 8)$$, 4, 'array'),
    -- several keys: all must hold
    ('{"precision": "fp32", "model": "ResNet50", "replica_batch": [64, 128]}',
     $$precision = 'fp32' AND model = 'ResNet50' AND replica_batch IN (64, 128)$$, 3, 'keys combine with AND'),
    ('{"framework": "SynthFW", "phase": "inference", "interconnect": "InfiniBand EDR", "cluster_size": 2}',
     $$framework = 'SynthFW' AND phase = 'inference' AND interconnect = 'InfiniBand EDR' AND num_nodes = 2$$, 1, 'four keys'),
    ('{"model": "NoSuchNet"}', $$false$$, 0, 'no match: no rows'),
    ('{}', $$true$$, 30, 'no filter: every ok benchmark'),
    -- scaling + batch_size
    ('{"scaling": "weak", "batch_size": 64}', $$replica_batch = 64$$, 6, 'weak: batch_size is the replica batch'),
    ('{"scaling": "strong", "batch_size": 64}', $$effective_batch = 64$$, 4, 'strong: batch_size is the effective batch'),
    ('{"scaling": "strong", "batch_size": 128}', $$effective_batch = 128$$, 6, 'strong 128'),
    ('{"scaling": "weak", "batch_size": 128}', $$replica_batch = 128$$, 4, 'weak 128'),
    ('{"scaling": "weak", "batch_size": [32, "64"]}', $$replica_batch IN (32, 64)$$, 9, 'weak, array'),
    ('{"scaling": "strong", "batch_size": "1024"}', $$effective_batch = 1024$$, 1, 'strong, numeric string'),
    ('{"scaling": "weak", "batch_size": 1024}', $$replica_batch = 1024$$, 0, 'weak 1024: none')
) AS c(f, cond, total, descr);

-- weak / strong on the benchmarks whose replica and effective batch differ
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('num_devices', 'throughput',
                                                     '{"model": "ScaleNet", "scaling": "weak", "batch_size": 64}', 'max')$$,
    $$VALUES ('Throughput'::text, '1'::text, 1, 2003::float8, 1::bigint), ('Throughput', '2', 2, 2001, 1)$$,
    'ScaleNet weak 64: replica 64 on 1 GPU (effective 64) and on 2 GPUs (effective 128)');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('num_devices', 'throughput',
                                                     '{"model": "ScaleNet", "scaling": "strong", "batch_size": 128}', 'max')$$,
    $$VALUES ('Throughput'::text, '1'::text, 1, 2002::float8, 1::bigint), ('Throughput', '2', 2, 2001, 1)$$,
    'ScaleNet strong 128: effective 128 on 1 GPU (replica 128) and on 2 GPUs (replica 64)');

-- group_by the other keys
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('replica_batch', 'throughput', '{"model": "ScaleNet"}', 'max', 'num_devices')
       ORDER BY series COLLATE "C", x_rank$$,
    $$VALUES ('1'::text, '64'::text, 1, 2003::float8, 1::bigint), ('1', '128', 2, 2002, 1),
             ('2', '64', 1, 2001, 1)$$,
    'group_by num_devices: series ''1'' and ''2''');
SELECT results_eq(
    $$SELECT series, x, y, n FROM dlpg.series('model', 'throughput', '{"model": "FilterNet"}', 'max', 'interconnect')
       ORDER BY series COLLATE "C"$$,
    $$VALUES ('InfiniBand EDR'::text, 'FilterNet'::text, 1002::float8, 2::bigint), ('RoCE', 'FilterNet', 1004, 1),
             ('unknown', 'FilterNet', 1003, 1)$$,
    'group_by interconnect (NULL -> unknown)');
SELECT results_eq(
    $$SELECT series, x, y, n FROM dlpg.series('model', 'throughput', '{"model": "FilterNet"}', 'max', 'cluster_size')
       ORDER BY series COLLATE "C"$$,
    $$VALUES ('1'::text, 'FilterNet'::text, 1004::float8, 3::bigint), ('2', 'FilterNet', 1002, 1)$$,
    'group_by cluster_size');
SELECT results_eq(
    $$SELECT series, x, y, n FROM dlpg.series('model', 'throughput', '{"model": "FilterNet"}', 'max', 'devices_per_node')
       ORDER BY series COLLATE "C"$$,
    $$VALUES ('1'::text, 'FilterNet'::text, 1004::float8, 1::bigint), ('2', 'FilterNet', 1002, 2),
             ('8', 'FilterNet', 1003, 1)$$,
    'group_by devices_per_node');
SELECT results_eq(
    $$SELECT series, x, y, n FROM dlpg.series('model', 'throughput', '{"model": "FilterNet"}', 'max', 'data_type')
       ORDER BY series COLLATE "C"$$,
    $$VALUES ('Real (Weka IO)'::text, 'FilterNet'::text, 1002::float8, 1::bigint),
             ('Real (local NVMe)', 'FilterNet', 1004, 1),
             ('Real (local SSD)', 'FilterNet', 1001, 1),
             ('Synthetic (device memory)', 'FilterNet', 1003, 1)$$,
    'group_by data_type: series are the data type labels');
SELECT results_eq(
    $$SELECT series, x, y, n FROM dlpg.series('model', 'throughput', '{"model": "FilterNet"}', 'max', 'server')
       ORDER BY series COLLATE "C"$$,
    $$VALUES ('Apollo 6500 Gen10'::text, 'FilterNet'::text, 1003::float8, 2::bigint),
             ('ProLiant XL270d Gen10', 'FilterNet', 1001, 1),
             ('unknown', 'FilterNet', 1004, 1)$$,
    'group_by server');
SELECT results_eq(
    $$SELECT series, x, x_rank, y, n FROM dlpg.series('data_type', 'throughput', '{"model": "FilterNet"}', 'max')$$,
    $$VALUES ('Throughput'::text, 'Real (local NVMe)'::text, 1, 1004::float8, 1::bigint),
             ('Throughput', 'Real (local SSD)', 2, 1001, 1),
             ('Throughput', 'Real (Weka IO)', 3, 1002, 1),
             ('Throughput', 'Synthetic (device memory)', 4, 1003, 1)$$,
    'x data_type: labels, ranked by canonical value (real/nvme < real/ssd < real/weka < synthetic/device)');
SELECT results_eq(
    $$SELECT x, x_rank, n FROM dlpg.series('precision', 'throughput', '{}', 'max')$$,
    $$VALUES ('bfloat16 (BF16)'::text, 1, 1::bigint), ('half (FP16)', 2, 4), ('single (FP32)', 3, 24), ('INT8', 4, 1)$$,
    'x precision: labels ranked by canonical value (bf16 < fp16 < fp32 < int8)');
SELECT results_eq(
    $$SELECT x, x_rank FROM dlpg.series('effective_batch', 'throughput', '{}', 'max')$$,
    $$VALUES ('4'::text, 1), ('8', 2), ('16', 3), ('32', 4), ('64', 5), ('128', 6), ('256', 7), ('1024', 8)$$,
    'x effective_batch: numeric order up to 1024');
SELECT results_eq(
    $$SELECT x, x_rank, n FROM dlpg.series('num_devices', 'throughput', '{}', 'max')$$,
    $$VALUES ('1'::text, 1, 26::bigint), ('2', 2, 2), ('4', 3, 1), ('8', 4, 1)$$,
    'x num_devices: 1, 2, 4, 8');

-- ---------------------------------------------------------------------------
-- Labels that are not in a fixed list: real/<store> is labelled 'Real (<store>)', an unknown
-- precision its upper-cased value; a filter may name them by label too.
-- LustreNet: real/lustre, tf32 (label 'TensorFloat-32 (TF32)'); Int4Net: int4 (label 'INT4').
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(
    pg_temp.bm('lu-1', 'LustreNet', 'tf32', 48, 48, 1, 31, 3001,
               '{"exp.data": "real", "exp.data_store": "lustre"}'),
    pg_temp.bm('i4-1', 'Int4Net', 'int4', 48, 48, 1, 32, 3002)))), 2::bigint,
    'LustreNet (real/lustre, tf32) and Int4Net (int4) ingested');
SELECT results_eq(
    $$SELECT model, data_type, precision, dlpg.axis_label('data_type', data_type), dlpg.axis_label('precision', precision)
        FROM dlpg.benchmarks WHERE model IN ('LustreNet', 'Int4Net') ORDER BY model$$,
    $$VALUES ('Int4Net'::text, 'synthetic'::text, 'int4'::text, 'Synthetic (DRAM)'::text, 'INT4'::text),
             ('LustreNet', 'real/lustre', 'tf32', 'Real (lustre)', 'TensorFloat-32 (TF32)')$$,
    'their canonical values and labels');
SELECT results_eq(
    $$SELECT x, n FROM dlpg.series('data_type', 'throughput', '{"model": "LustreNet"}', 'max')$$,
    $$VALUES ('Real (lustre)'::text, 1::bigint)$$,
    'x data_type: Real (lustre)');
SELECT pg_temp.fcheck(f::jsonb, cond, total, descr) FROM (VALUES
    ('{"data_type": "real/lustre"}', $$data_type = 'real/lustre'$$, 1, 'canonical value real/lustre'),
    ('{"data_type": "Real (lustre)"}', $$data_type = 'real/lustre'$$, 1, 'label Real (lustre)'),
    ('{"data_type": "REAL (LUSTRE)"}', $$data_type = 'real/lustre'$$, 1, 'label Real (lustre), upper case'),
    ('{"data_type": ["Real (lustre)", "Real (local NVMe)"]}', $$data_type IN ('real/lustre', 'real/nvme')$$, 2, 'array of labels'),
    ('{"precision": "TensorFloat-32 (TF32)"}', $$precision = 'tf32'$$, 1, 'label of tf32'),
    ('{"precision": "TF32"}', $$precision = 'tf32'$$, 1, 'tf32 in upper case'),
    ('{"precision": "INT4"}', $$precision = 'int4'$$, 1, 'label of int4 (upper-cased value)'),
    ('{"precision": ["int4", "tensorfloat-32 (tf32)"]}', $$precision IN ('int4', 'tf32')$$, 2, 'array, lower case')
) AS c(f, cond, total, descr);

-- ---------------------------------------------------------------------------
-- Bad arguments: 22023, and the message or hint lists the valid choices
-- ---------------------------------------------------------------------------
SELECT pg_temp.throws('x_foo', $$SELECT * FROM dlpg.series('foo')$$, '22023', 'unknown x axis ''foo'' -> 22023');
SELECT pg_temp.lists('x_foo', ARRAY['data_type', 'effective_batch', 'framework', 'model', 'num_devices', 'phase',
                                    'precision', 'processing_unit', 'replica_batch', 'server', 'software'],
                     '  the error lists the 11 x axes');
SELECT pg_temp.throws('x_cluster', $$SELECT * FROM dlpg.series('cluster_size')$$, '22023',
                      'x axis cluster_size (a filter, not an x axis) -> 22023');
SELECT pg_temp.lists('x_cluster', ARRAY['replica_batch', 'processing_unit', 'software'], '  the error lists the x axes');
SELECT pg_temp.throws('x_thr', $$SELECT * FROM dlpg.series('throughput')$$, '22023', 'x axis throughput (a y axis) -> 22023');
SELECT pg_temp.throws('y_lat', $$SELECT * FROM dlpg.series('model', 'latency')$$, '22023', 'unknown y axis ''latency'' -> 22023');
SELECT pg_temp.lists('y_lat', ARRAY['batch_time', 'throughput'], '  the error lists batch_time and throughput');
SELECT pg_temp.throws('y_model', $$SELECT * FROM dlpg.series('model', 'model')$$, '22023', 'y axis model -> 22023');
SELECT pg_temp.throws('key_color', $$SELECT * FROM dlpg.series('model', 'throughput', '{"color": "red"}')$$, '22023',
                      'unknown filter key ''color'' -> 22023');
SELECT pg_temp.lists('key_color', ARRAY['data_type', 'effective_batch', 'framework', 'model', 'num_devices', 'phase',
                                        'precision', 'processing_unit', 'replica_batch', 'server', 'software',
                                        'cluster_size', 'interconnect', 'devices_per_node', 'scaling', 'batch_size'],
                     '  the error lists the 16 filter keys');
SELECT pg_temp.throws('key_numnodes', $$SELECT * FROM dlpg.series('model', 'throughput', '{"num_nodes": 1}')$$, '22023',
                      'filter key num_nodes (the column, not the key cluster_size) -> 22023');
SELECT pg_temp.throws('agg_mean', $$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'mean')$$, '22023',
                      'unknown agg ''mean'' -> 22023');
SELECT pg_temp.lists('agg_mean', ARRAY['min', 'max', 'avg', 'median', 'best'], '  the error lists min, max, avg, median, best');
SELECT pg_temp.throws('gb_foo', $$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'max', 'foo')$$, '22023',
                      'unknown group_by ''foo'' -> 22023');
SELECT pg_temp.lists('gb_foo', ARRAY['data_type', 'effective_batch', 'framework', 'model', 'num_devices', 'phase',
                                     'precision', 'processing_unit', 'replica_batch', 'server', 'software',
                                     'cluster_size', 'interconnect', 'devices_per_node'],
                     '  the error lists the 14 group_by keys');
SELECT pg_temp.throws('gb_scaling', $$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'max', 'scaling')$$, '22023',
                      'group_by scaling -> 22023');
SELECT pg_temp.lists('gb_scaling', ARRAY['model', 'cluster_size', 'devices_per_node'], '  the error lists the group_by keys');
SELECT pg_temp.throws('gb_bs', $$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'max', 'batch_size')$$, '22023',
                      'group_by batch_size -> 22023');
SELECT pg_temp.throws('sc_alone', $$SELECT * FROM dlpg.series('model', 'throughput', '{"scaling": "weak"}')$$, '22023',
                      'scaling without batch_size -> 22023');
SELECT pg_temp.lists('sc_alone', ARRAY['batch_size'], '  the error names batch_size');
SELECT pg_temp.throws('bs_alone', $$SELECT * FROM dlpg.series('model', 'throughput', '{"batch_size": 64}')$$, '22023',
                      'batch_size without scaling -> 22023');
SELECT pg_temp.lists('bs_alone', ARRAY['scaling'], '  the error names scaling');
SELECT pg_temp.throws('sc_medium', $$SELECT * FROM dlpg.series('model', 'throughput', '{"scaling": "medium", "batch_size": 64}')$$,
                      '22023', 'scaling ''medium'' -> 22023');
SELECT pg_temp.lists('sc_medium', ARRAY['weak', 'strong'], '  the error lists weak and strong');
SELECT pg_temp.throws('sc_num', $$SELECT * FROM dlpg.series('model', 'throughput', '{"scaling": 1, "batch_size": 64}')$$,
                      '22023', 'scaling 1 -> 22023');
SELECT pg_temp.throws('f_array', $$SELECT * FROM dlpg.series('model', 'throughput', '[]')$$, '22023', 'filters [] (not an object) -> 22023');
SELECT pg_temp.says('f_array', 'object', '  the error says filters must be an object');
SELECT pg_temp.throws('f_string', $$SELECT * FROM dlpg.series('model', 'throughput', '"model"')$$, '22023', 'filters "model" -> 22023');
SELECT pg_temp.throws('f_number', $$SELECT * FROM dlpg.series('model', 'throughput', '42')$$, '22023', 'filters 42 -> 22023');
SELECT pg_temp.throws('f_null', $$SELECT * FROM dlpg.series('model', 'throughput', 'null')$$, '22023', 'filters JSON null -> 22023');
-- filter values of the wrong JSON type
SELECT pg_temp.throws(nm, format('SELECT * FROM dlpg.series(''model'', ''throughput'', %L)', f), '22023',
                      format('filter value of the wrong type %s -> 22023', f))
  FROM (VALUES ('v_obj', '{"model": {"name": "ResNet50"}}'),
               ('v_bool', '{"model": true}'),
               ('v_null', '{"model": null}'),
               ('v_nested', '{"model": [["ResNet50"]]}'),
               ('v_arr_obj', '{"precision": ["fp32", {"x": 1}]}'),
               ('v_arr_bool', '{"precision": [false]}'),
               ('v_arr_null', '{"model": ["ResNet50", null]}'),
               ('v_num_bool', '{"replica_batch": true}'),
               ('v_num_obj', '{"replica_batch": {"min": 4}}')) AS c(nm, f);
SELECT pg_temp.says(nm, key, format('  the error names the key %s', key))
  FROM (VALUES ('v_obj', 'model'), ('v_bool', 'model'), ('v_null', 'model'), ('v_nested', 'model'),
               ('v_arr_obj', 'precision'), ('v_arr_bool', 'precision'), ('v_arr_null', 'model'),
               ('v_num_bool', 'replica_batch'), ('v_num_obj', 'replica_batch')) AS c(nm, key);
-- non-integer values for numeric keys
SELECT pg_temp.throws(nm, format('SELECT * FROM dlpg.series(''model'', ''throughput'', %L)', f), '22023',
                      format('non-integer value for a numeric key %s -> 22023', f))
  FROM (VALUES ('n_abc', '{"replica_batch": "abc"}'),
               ('n_frac', '{"replica_batch": 1.5}'),
               ('n_fracstr', '{"replica_batch": "1.5"}'),
               ('n_arr', '{"num_devices": [1, "two"]}'),
               ('n_cluster', '{"cluster_size": "x"}'),
               ('n_dpn', '{"devices_per_node": 2.5}'),
               ('n_eff', '{"effective_batch": [64, 12.5]}'),
               ('n_bs', '{"scaling": "weak", "batch_size": "big"}')) AS c(nm, f);
SELECT pg_temp.says(nm, key, format('  the error names the key %s', key))
  FROM (VALUES ('n_abc', 'replica_batch'), ('n_frac', 'replica_batch'), ('n_fracstr', 'replica_batch'),
               ('n_arr', 'num_devices'), ('n_cluster', 'cluster_size'), ('n_dpn', 'devices_per_node'),
               ('n_eff', 'effective_batch'), ('n_bs', 'batch_size')) AS c(nm, key);
-- series_query checks the same
SELECT pg_temp.throws('q_x', $$SELECT dlpg.series_query('foo')$$, '22023', 'series_query: unknown x axis -> 22023');
SELECT pg_temp.throws('q_key', $$SELECT dlpg.series_query('model', 'throughput', '{"color": 1}')$$, '22023',
                      'series_query: unknown filter key -> 22023');
SELECT pg_temp.throws('q_agg', $$SELECT dlpg.series_query('model', 'throughput', '{}', 'sum')$$, '22023',
                      'series_query: unknown agg -> 22023');

-- Series come in the order of their group values: numbers as numbers, text bytewise.
SELECT is((SELECT count(*) FROM dlpg.ingest_json(
              (SELECT jsonb_agg(jsonb_build_object('exp.id', 'order-' || g, 'exp.model', 'OrderNet',
                                                   'exp.num_gpus', g, 'exp.replica_batch', 8,
                                                   'exp.effective_batch', 8 * g,
                                                   'results.time', 10, 'results.throughput', 100 * g))
                 FROM unnest(ARRAY[1, 2, 16]) AS g))), 3::bigint,
          'three benchmarks on 1, 2 and 16 devices');
SELECT is(ARRAY(SELECT series FROM dlpg.series('model', 'throughput', '{"model": "OrderNet"}',
                                               'max', 'num_devices')),
          ARRAY['1', '2', '16'],
          'series grouped by a numeric axis come in numeric order');

SELECT * FROM finish();
ROLLBACK;
