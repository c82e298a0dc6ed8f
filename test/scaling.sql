-- pgTAP: dlpg.scaling_report (weak and strong scaling), checked against DLBS's documented
-- example and against cases worked out by hand.
--
-- The data (all fp32 training on GPUs, made with dlpg.ingest_json):
--   InceptionV3, weak, replica batch 32 -- DLBS's documented example:
--     1 GPU  (effective 32):  913.44 ms, 17/s
--     2 GPUs (effective 64):  1029.24 ms, 31/s
--     4 GPUs (effective 128): 1065.12 ms, 60/s
--     speedup 17/17 = 1.00, 31/17 = 1.8235 -> 1.82, 60/17 = 3.5294 -> 3.53
--     efficiency 100*913.44/913.44 = 100.00, 100*913.44/1029.24 = 88.7499 -> 88.74,
--                100*913.44/1065.12 = 85.7593 -> 85.75 (truncated, as DLBS prints them)
--   VGG16, strong, effective batch 256:
--     1 GPU  (replica 256): 400 ms, 640/s
--     2 GPUs (replica 128): 220 ms, 1160/s
--     4 GPUs (replica 64):  125 ms, 2048/s
--     speedup 1.00, 1160/640 = 1.8125 -> 1.81, 2048/640 = 3.20
--     efficiency 100*400*1/(400*1) = 100.00, 100*400*1/(220*2) = 90.9090 -> 90.90,
--                100*400*1/(125*4) = 80.00
--   MeanNet, replica batch 16: two ok trials on 1 GPU (effective 16): 100 ms 160/s and
--     120 ms 140/s -> mean 110 ms, 150/s; one on 2 GPUs (effective 32): 125 ms, 256/s;
--     plus a failed trial on 2 GPUs (results.time 0) and a failed row with positive measures.
--     weak: speedup 256/150 = 1.7066 -> 1.71, efficiency 100*110/125 = 88.00
--   NoOneNet, effective batch 512, no 1-GPU run: 2 GPUs (replica 256): 300 ms, 1700/s;
--     4 GPUs (replica 128): 180 ms, 2840/s.  N0 = 2:
--     strong: speedup 2840/1700 = 1.6705 -> 1.67, efficiency 100*300*2/(180*4) = 83.333 -> 83.33
BEGIN;
SELECT plan(27);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- Errors by test name (pg_temp.throws, pg_temp.lists); synthetic benchmarks (pg_temp.bm).
\ir lib/errors.sql
\ir lib/logs.sql

-- All fp32: pg_temp.bm of test/lib/logs.sql with dtype float32 (7 or 8 arguments; that one takes 8 or 9).
CREATE FUNCTION pg_temp.bm(id text, model text, replica int, effective int, gpus int,
                           t float8, thr float8, extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $f$
    SELECT pg_temp.bm(id, model, 'float32', replica, effective, gpus, t, thr, extra)
$f$;

-- A report as printed: speedup rounded to 2 decimals, efficiency truncated to 2 decimals.
-- (float8 -> numeric keeps 15 significant digits, so 99.99999999999999 prints as 100.00.)
CREATE FUNCTION pg_temp.report(scaling text, filters jsonb DEFAULT '{}', group_by text DEFAULT 'model')
RETURNS TABLE (series text, batch_size int, num_devices int, batch_time float8, throughput float8,
               speedup text, efficiency text)
LANGUAGE sql AS $f$
    SELECT r.series, r.batch_size, r.num_devices, r.batch_time, r.throughput,
           round(r.speedup::numeric, 2)::text, trunc(r.efficiency::numeric, 2)::text
      FROM dlpg.scaling_report(scaling, filters, group_by) r
     ORDER BY r.series COLLATE "C", r.batch_size, r.num_devices
$f$;

SELECT has_function('dlpg', 'scaling_report', ARRAY['text', 'jsonb', 'text'], 'dlpg.scaling_report(text, jsonb, text) exists');
SELECT is(pg_get_function_result(to_regprocedure('dlpg.scaling_report(text,jsonb,text)')),
          'TABLE(series text, batch_size integer, num_devices integer, batch_time double precision, throughput double precision, speedup double precision, efficiency double precision, n bigint, configs integer, mixed text[])',
          'dlpg.scaling_report returns (series, batch_size, num_devices, batch_time, throughput, speedup, efficiency, n, configs, mixed)');
SELECT has_function('dlpg', 'scaling_query', ARRAY['text', 'jsonb', 'text'], 'dlpg.scaling_query(text, jsonb, text) exists');

SELECT is((SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(
    pg_temp.bm('inc-1', 'InceptionV3', 32, 32, 1, 913.44, 17),
    pg_temp.bm('inc-2', 'InceptionV3', 32, 64, 2, 1029.24, 31),
    pg_temp.bm('inc-4', 'InceptionV3', 32, 128, 4, 1065.12, 60),
    pg_temp.bm('vgg-1', 'VGG16', 256, 256, 1, 400, 640),
    pg_temp.bm('vgg-2', 'VGG16', 128, 256, 2, 220, 1160),
    pg_temp.bm('vgg-4', 'VGG16', 64, 256, 4, 125, 2048),
    pg_temp.bm('mean-1a', 'MeanNet', 16, 16, 1, 100, 160),
    pg_temp.bm('mean-1b', 'MeanNet', 16, 16, 1, 120, 140),
    pg_temp.bm('mean-2', 'MeanNet', 16, 32, 2, 125, 256),
    pg_temp.bm('mean-2-failed', 'MeanNet', 16, 32, 2, 0, 100000),
    pg_temp.bm('noone-2', 'NoOneNet', 256, 512, 2, 300, 1700),
    pg_temp.bm('noone-4', 'NoOneNet', 128, 512, 4, 180, 2840)
  ), 'scaling-test.json')), 12::bigint, '12 benchmarks ingested');
INSERT INTO dlpg.benchmarks (status, status_reason, model, precision, phase, framework, data_type,
                             device_type, replica_batch, effective_batch, num_devices, devices_per_node,
                             num_nodes, batch_time_ms, throughput, params, dedup_key)
VALUES ('failed', 'written by the test', 'MeanNet', 'fp32', 'training', 'SynthFW', 'synthetic',
        'gpu', 16, 32, 2, 2, 1, 1.0, 99999, '{}', 'scaling-failed-direct');
SELECT results_eq($$SELECT status, count(*) FROM dlpg.benchmarks GROUP BY status ORDER BY status$$,
                  $$VALUES ('failed'::text, 2::bigint), ('ok', 11)$$, '11 ok, 2 failed');

-- ---------------------------------------------------------------------------
-- DLBS's documented weak-scaling example
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('weak', '{"model": "InceptionV3"}')$$,
    $$VALUES ('InceptionV3'::text, 32, 1, 913.44::float8, 17::float8, '1.00', '100.00'),
             ('InceptionV3', 32, 2, 1029.24, 31, '1.82', '88.74'),
             ('InceptionV3', 32, 4, 1065.12, 60, '3.53', '85.75')$$,
    'weak scaling, DLBS''s example: speedup 1.00, 1.82, 3.53; efficiency 100.00, 88.74, 85.75');
SELECT is_empty(
    $$SELECT r.num_devices, r.speedup, w.speedup, r.efficiency, w.efficiency
        FROM dlpg.scaling_report('weak', '{"model": "InceptionV3"}') r
        JOIN (VALUES (1, 1::float8, 100::float8),
                     (2, 31::float8 / 17, 100 * (913.44::float8 / 1029.24)),
                     (4, 60::float8 / 17, 100 * (913.44::float8 / 1065.12))) AS w(num_devices, speedup, efficiency)
          USING (num_devices)
       WHERE NOT (abs(r.speedup - w.speedup) <= 1e-12 * w.speedup
                  AND abs(r.efficiency - w.efficiency) <= 1e-12 * w.efficiency)$$,
    'weak scaling, DLBS''s example: speedup = throughput(N)/throughput(1), efficiency = 100*t(1)/t(N), unrounded (to 1e-12, the order of the float operations is free)');

-- ---------------------------------------------------------------------------
-- Strong scaling, worked out by hand
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('strong', '{"model": "VGG16"}')$$,
    $$VALUES ('VGG16'::text, 256, 1, 400::float8, 640::float8, '1.00', '100.00'),
             ('VGG16', 256, 2, 220, 1160, '1.81', '90.90'),
             ('VGG16', 256, 4, 125, 2048, '3.20', '80.00')$$,
    'strong scaling, effective batch 256 on 1, 2, 4 GPUs: speedup 1.00, 1.81, 3.20; efficiency 100.00, 90.90, 80.00');

-- ---------------------------------------------------------------------------
-- Means over trials, failed trials, N0 = the smallest device count
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('weak', '{"model": "MeanNet"}')$$,
    $$VALUES ('MeanNet'::text, 16, 1, 110::float8, 150::float8, '1.00', '100.00'),
             ('MeanNet', 16, 2, 125, 256, '1.71', '88.00')$$,
    'weak: batch time and throughput are means over the ok trials; failed trials do not count');
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('strong', '{"model": "NoOneNet"}')$$,
    $$VALUES ('NoOneNet'::text, 512, 2, 300::float8, 1700::float8, '1.00', '100.00'),
             ('NoOneNet', 512, 4, 180, 2840, '1.67', '83.33')$$,
    'strong without a 1-GPU run: N0 = 2, efficiency = 100*t(2)*2/(t(4)*4)');

-- ---------------------------------------------------------------------------
-- Whole reports: one row per series, batch size and device count
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('weak')$$,
    $$VALUES ('InceptionV3'::text, 32, 1, 913.44::float8, 17::float8, '1.00', '100.00'),
             ('InceptionV3', 32, 2, 1029.24, 31, '1.82', '88.74'),
             ('InceptionV3', 32, 4, 1065.12, 60, '3.53', '85.75'),
             ('MeanNet', 16, 1, 110, 150, '1.00', '100.00'),
             ('MeanNet', 16, 2, 125, 256, '1.71', '88.00'),
             ('NoOneNet', 128, 4, 180, 2840, '1.00', '100.00'),
             ('NoOneNet', 256, 2, 300, 1700, '1.00', '100.00'),
             ('VGG16', 64, 4, 125, 2048, '1.00', '100.00'),
             ('VGG16', 128, 2, 220, 1160, '1.00', '100.00'),
             ('VGG16', 256, 1, 400, 640, '1.00', '100.00')$$,
    'the whole weak report: batch_size is the replica batch');
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('strong')$$,
    $$VALUES ('InceptionV3'::text, 32, 1, 913.44::float8, 17::float8, '1.00', '100.00'),
             ('InceptionV3', 64, 2, 1029.24, 31, '1.00', '100.00'),
             ('InceptionV3', 128, 4, 1065.12, 60, '1.00', '100.00'),
             ('MeanNet', 16, 1, 110, 150, '1.00', '100.00'),
             ('MeanNet', 32, 2, 125, 256, '1.00', '100.00'),
             ('NoOneNet', 512, 2, 300, 1700, '1.00', '100.00'),
             ('NoOneNet', 512, 4, 180, 2840, '1.67', '83.33'),
             ('VGG16', 256, 1, 400, 640, '1.00', '100.00'),
             ('VGG16', 256, 2, 220, 1160, '1.81', '90.90'),
             ('VGG16', 256, 4, 125, 2048, '3.20', '80.00')$$,
    'the whole strong report: batch_size is the effective batch');
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('weak', '{"model": "InceptionV3"}', 'precision')$$,
    $$VALUES ('single (FP32)'::text, 32, 1, 913.44::float8, 17::float8, '1.00', '100.00'),
             ('single (FP32)', 32, 2, 1029.24, 31, '1.82', '88.74'),
             ('single (FP32)', 32, 4, 1065.12, 60, '3.53', '85.75')$$,
    'group_by precision: the series is the precision label');

-- ---------------------------------------------------------------------------
-- batch_size in filters is read under the report's own scaling
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT series, batch_size, num_devices FROM pg_temp.report('weak', '{"batch_size": 32}')$$,
    $$VALUES ('InceptionV3'::text, 32, 1), ('InceptionV3', 32, 2), ('InceptionV3', 32, 4)$$,
    'weak report, batch_size 32: replica batch 32 (not MeanNet''s effective 32)');
SELECT results_eq(
    $$SELECT series, batch_size, num_devices FROM pg_temp.report('strong', '{"batch_size": 32}')$$,
    $$VALUES ('InceptionV3'::text, 32, 1), ('MeanNet', 32, 2)$$,
    'strong report, batch_size 32: effective batch 32');
SELECT results_eq(
    $$SELECT series, batch_size, num_devices FROM pg_temp.report('weak', '{"batch_size": 64}')$$,
    $$VALUES ('VGG16'::text, 64, 4)$$,
    'weak report, batch_size 64: VGG16''s replica 64, not InceptionV3''s effective 64');
SELECT results_eq(
    $$SELECT series, batch_size, num_devices FROM pg_temp.report('strong', '{"batch_size": 64}')$$,
    $$VALUES ('InceptionV3'::text, 64, 2)$$,
    'strong report, batch_size 64: InceptionV3''s effective 64, not VGG16''s replica 64');
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('strong', '{"batch_size": 256}')$$,
    $$VALUES ('VGG16'::text, 256, 1, 400::float8, 640::float8, '1.00', '100.00'),
             ('VGG16', 256, 2, 220, 1160, '1.81', '90.90'),
             ('VGG16', 256, 4, 125, 2048, '3.20', '80.00')$$,
    'strong report, batch_size 256: the effective-256 runs');
SELECT results_eq(
    $$SELECT series, batch_size, num_devices FROM pg_temp.report('weak', '{"batch_size": 256}')$$,
    $$VALUES ('NoOneNet'::text, 256, 2), ('VGG16', 256, 1)$$,
    'weak report, batch_size 256: the replica-256 runs');
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('weak', '{"scaling": "weak", "batch_size": 32}')$$,
    $$SELECT * FROM pg_temp.report('weak', '{"batch_size": 32}')$$,
    'weak report with "scaling": "weak" in filters: the same');
SELECT results_eq(
    $$SELECT * FROM pg_temp.report('strong', '{"scaling": "strong", "batch_size": 256, "model": "vgg16"}')$$,
    $$SELECT * FROM pg_temp.report('strong', '{"batch_size": 256}')$$,
    'strong report with "scaling": "strong" in filters (and model in another case): the same');

-- ---------------------------------------------------------------------------
-- Bad arguments
-- ---------------------------------------------------------------------------
SELECT pg_temp.throws('conflict_ws', $$SELECT * FROM dlpg.scaling_report('weak', '{"scaling": "strong", "batch_size": 32}')$$,
                      '22023', 'weak report with "scaling": "strong" in filters -> 22023');
SELECT pg_temp.throws('conflict_sw', $$SELECT * FROM dlpg.scaling_report('strong', '{"scaling": "weak", "batch_size": 32}')$$,
                      '22023', 'strong report with "scaling": "weak" in filters -> 22023');
SELECT pg_temp.throws('medium', $$SELECT * FROM dlpg.scaling_report('medium')$$, '22023',
                      'scaling_report(''medium'') -> 22023');
SELECT pg_temp.lists('medium', ARRAY['weak', 'strong'], '  the error lists weak and strong');
SELECT pg_temp.throws('key', $$SELECT * FROM dlpg.scaling_report('weak', '{"color": "red"}')$$, '22023',
                      'scaling_report with an unknown filter key -> 22023');

SELECT ok(dlpg.scaling_query('weak', '{"model": "InceptionV3"}') ~* '\mselect\M', 'scaling_query returns the SQL text');

SELECT * FROM finish();
ROLLBACK;
