-- pgTAP: DLBS's own report.  data/dlbs/rtx2080/run.log holds DLBS's own report for the 8
-- RTX 2080 SUPER logs beside it: batch time and throughput by model and replica batch.
-- dlpg.series must reproduce both tables to the printed precision.  DLBS printed with
-- Python's '%.2f' (the binary double rounded to 2 decimals); to_char(float8, 'FM999990.00')
-- does the same through libc's printf (379.275 is 379.27499999999997... in binary: 379.27).
-- Run from the project root (the files are read with psql backticks).
BEGIN;
SELECT plan(25);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- The fixture logs as psql variables (and pg_temp.fx), and DLBS's report of the RTX 2080 ones.
\ir lib/fixtures.sql
\set run_log `cat data/dlbs/rtx2080/run.log`

SELECT is((SELECT count(DISTINCT dlpg.ingest(log, src)) FROM (VALUES
    (:'rtx_alexnet_16', 'alexnet_owt_16.log'),
    (:'rtx_alexnet_32', 'alexnet_owt_32.log'),
    (:'rtx_alexnet_4', 'alexnet_owt_4.log'),
    (:'rtx_alexnet_8', 'alexnet_owt_8.log'),
    (:'rtx_rn50_16', 'resnet50_16.log'),
    (:'rtx_rn50_32', 'resnet50_32.log'),
    (:'rtx_rn50_4', 'resnet50_4.log'),
    (:'rtx_rn50_8', 'resnet50_8.log')) AS v(log, src)), 8::bigint,
    'the 8 RTX 2080 logs ingested');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok'), 8::bigint, 'all 8 are ok');

-- ---------------------------------------------------------------------------
-- The printed tables, read from run.log:
--   Batch time (milliseconds)
--                               Replica Batch
--     Model       DeviceType         4       8      16       32
--     AlexNetOWT  gpu            20.09   21.09   22.66    27.46
--   ...
--   Throughput (instances per second e.g. images/sec)
--   ...
-- Each table starts at its title line; its header line names the replica batches; each data
-- line is a model, the device type and one number per replica batch.
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE runlog AS
    SELECT l.n::int AS n, l.line
      FROM regexp_split_to_table(:'run_log', E'\r?\n') WITH ORDINALITY AS l(line, n);
CREATE TEMP TABLE printed AS
WITH titles AS (
    SELECT n, CASE WHEN line ~ '^Batch time \(milliseconds\)\s*$' THEN 'batch_time' ELSE 'throughput' END AS y_axis,
           lead(n, 1, 1000000) OVER (ORDER BY n) AS next_n
      FROM pg_temp.runlog
     WHERE line ~ '^Batch time \(milliseconds\)\s*$' OR line ~ '^Throughput \(instances per second'),
headers AS (
    SELECT t.y_axis, regexp_split_to_array(btrim(substring(r.line FROM 'DeviceType(.*)$')), '\s+') AS batches
      FROM titles t JOIN pg_temp.runlog r ON r.n > t.n AND r.n < t.next_n
     WHERE r.line ~ '^\s+Model\s+DeviceType(\s+\d+)+\s*$'),
rows AS (
    SELECT t.y_axis, m[1] AS model, m[2] AS device_type, regexp_split_to_array(btrim(m[3]), '\s+') AS vals
      FROM titles t JOIN pg_temp.runlog r ON r.n > t.n AND r.n < t.next_n
     CROSS JOIN LATERAL regexp_match(r.line, '^\s+(\S+)\s+(cpu|gpu)((\s+\d+\.\d\d)+)\s*$') AS m
     WHERE m IS NOT NULL)
SELECT r.y_axis, r.model, r.device_type, h.batches, r.vals
  FROM rows r JOIN headers h USING (y_axis);

SELECT results_eq(
    $$SELECT y_axis, model, device_type, batches, vals FROM pg_temp.printed ORDER BY y_axis, model$$,
    $$VALUES ('batch_time'::text, 'AlexNetOWT'::text, 'gpu'::text, '{4,8,16,32}'::text[], '{20.09,21.09,22.66,27.46}'::text[]),
             ('batch_time', 'ResNet50', 'gpu', '{4,8,16,32}', '{52.02,66.50,96.33,157.04}'),
             ('throughput', 'AlexNetOWT', 'gpu', '{4,8,16,32}', '{199.14,379.27,706.02,1165.42}'),
             ('throughput', 'ResNet50', 'gpu', '{4,8,16,32}', '{76.90,120.30,166.10,203.78}')$$,
    'run.log read: both tables, 2 models x replica batch 4, 8, 16, 32 (the same as the literals)');

-- ---------------------------------------------------------------------------
-- dlpg.series reproduces them: one row per model, columns replica batch 4, 8, 16, 32
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.table_of(y_axis text, agg text, filters jsonb DEFAULT '{}')
RETURNS TABLE (model text, batches text[], vals text[]) LANGUAGE sql AS $f$
    SELECT s.series, array_agg(s.x ORDER BY s.x_rank), array_agg(to_char(s.y, 'FM999990.00') ORDER BY s.x_rank)
      FROM dlpg.series('replica_batch', y_axis, filters, agg, 'model') s
     GROUP BY s.series
     ORDER BY s.series COLLATE "C"
$f$;

-- DLBS's report averages the trials: agg avg.
SELECT results_eq(
    $$SELECT * FROM pg_temp.table_of('batch_time', 'avg')$$,
    $$VALUES ('AlexNetOWT'::text, '{4,8,16,32}'::text[], '{20.09,21.09,22.66,27.46}'::text[]),
             ('ResNet50', '{4,8,16,32}', '{52.02,66.50,96.33,157.04}')$$,
    'Batch time (milliseconds) table of run.log, literally: AlexNetOWT 20.09 21.09 22.66 27.46; ResNet50 52.02 66.50 96.33 157.04');
SELECT results_eq(
    $$SELECT * FROM pg_temp.table_of('throughput', 'avg')$$,
    $$VALUES ('AlexNetOWT'::text, '{4,8,16,32}'::text[], '{199.14,379.27,706.02,1165.42}'::text[]),
             ('ResNet50', '{4,8,16,32}', '{76.90,120.30,166.10,203.78}')$$,
    'Throughput table of run.log, literally: AlexNetOWT 199.14 379.27 706.02 1165.42; ResNet50 76.90 120.30 166.10 203.78');
SELECT results_eq(
    $$SELECT * FROM pg_temp.table_of('batch_time', 'avg')$$,
    $$SELECT model, batches, vals FROM pg_temp.printed WHERE y_axis = 'batch_time' ORDER BY model COLLATE "C"$$,
    'Batch time table equals the one read from run.log');
SELECT results_eq(
    $$SELECT * FROM pg_temp.table_of('throughput', 'avg')$$,
    $$SELECT model, batches, vals FROM pg_temp.printed WHERE y_axis = 'throughput' ORDER BY model COLLATE "C"$$,
    'Throughput table equals the one read from run.log');

-- One trial per point: every aggregation method gives the same table.
SELECT results_eq(
    format($$SELECT * FROM pg_temp.table_of(%L, %L)$$, y, agg),
    format($$SELECT model, batches, vals FROM pg_temp.printed WHERE y_axis = %L ORDER BY model COLLATE "C"$$, y),
    format('%s table with agg %s (one trial per point) equals run.log', y, agg))
  FROM unnest(ARRAY['batch_time', 'throughput']) AS y,
       unnest(ARRAY['min', 'max', 'median', 'best']) AS agg;

SELECT is_empty($$SELECT * FROM dlpg.series('replica_batch', 'throughput', '{}', 'avg', 'model') WHERE n <> 1$$,
                'every point is one trial');

-- The report is configured with inputs exp.model_title and exp.device_type: group by model,
-- one device type (gpu) for all.
SELECT is((SELECT array_agg(DISTINCT device_type) FROM dlpg.axes), ARRAY['gpu']::text[], 'every benchmark is on gpu, as printed');

-- ---------------------------------------------------------------------------
-- With the H200 logs and the failed run in the database too, a filter gets the same tables.
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(DISTINCT dlpg.ingest(log)) FROM (VALUES
    (:'h200_rn50_fp16_train_128'), (:'h200_rn50_fp16_train_256'), (:'h200_rn50_fp16_train_64'),
    (:'h200_rn50_fp32_infer_256'), (:'h200_rn50_fp32_infer_64'), (:'h200_rn50_fp32_train_128'),
    (:'h200_rn50_fp32_train_256'), (:'h200_rn50_fp32_train_64'), (:'failed_googlenet')) AS v(log)), 9::bigint,
    'the 8 H200 logs and the failed run ingested too');

SELECT results_eq(
    format($$SELECT * FROM pg_temp.table_of(%L, 'avg', %L)$$, y, f),
    format($$SELECT model, batches, vals FROM pg_temp.printed WHERE y_axis = %L ORDER BY model COLLATE "C"$$, y),
    format('%s table, filters %s: still the run.log table', y, f))
  FROM unnest(ARRAY['batch_time', 'throughput']) AS y,
       unnest(ARRAY['{"framework": "TensorFlow-nvtfcnn"}',
                    '{"software": "TensorFlow-nvtfcnn 1.8.0 (docker nvcr.io/nvidia/tensorflow:18.07-py3)"}',
                    '{"replica_batch": [4, 8, 16, 32], "precision": "fp32"}']) AS f;

SELECT results_eq(
    $$SELECT * FROM pg_temp.table_of('throughput', 'avg')$$,
    $$VALUES ('AlexNetOWT'::text, '{4,8,16,32}'::text[], '{199.14,379.27,706.02,1165.42}'::text[]),
             ('ResNet50', '{4,8,16,32,64,128,256}', '{76.90,120.30,166.10,203.78,3765.67,2210.00,4116.67}')$$,
    'without a filter ResNet50 gets the H200 points too: 64 -> (2119+7295+1883)/3, 128 -> (2314+2106)/2, 256 -> (2447+7706+2197)/3');

SELECT * FROM finish();
ROLLBACK;
