-- test/run_measures.sql: what issue 12 derives at ingest: run_at / run_seconds from DLBS's
-- results.start_time / end_time (read as UTC, NULL when unreadable, never an error), the
-- latency percentiles and coefficient of variation of the per-iteration times, the Y measures
-- and the run_after / run_before filters that use them.  Run from the project root.
BEGIN;
SELECT plan(47);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;
\ir lib/fixtures.sql
\ir lib/errors.sql
\ir lib/logs.sql

-- ---------------------------------------------------------------- DLBS time stamps
SELECT is(dlpg_internal.dlbs_time('2026-11-26:21:33:44:447'), '2026-11-26 21:33:44.447+00'::timestamptz,
          'a DLBS time stamp is read as UTC, milliseconds kept');
SELECT is(dlpg_internal.dlbs_time('2019-10-16:06:48:47'), '2019-10-16 06:48:47+00'::timestamptz,
          '... without a fraction too');
SELECT is(dlpg_internal.dlbs_time('2024-02-29:23:59:59:999999'), '2024-02-29 23:59:59.999999+00'::timestamptz,
          '... a leap day, six fraction digits');
SELECT is(dlpg_internal.dlbs_time(t), NULL, format('%L is not a DLBS time: NULL', t))
  FROM unnest(ARRAY['2023-02-29:00:00:00:000', '2026-13-01:00:00:00:000', '2026-11-31:00:00:00:000',
                    '2026-11-26:24:00:00:000', '2026-11-26:21:60:00:000', '2026-11-26 21:33:44',
                    '2026-11-26:21:33:44:1234567', '2026-11-26:21:33:44:', '2026-11-26:21:33:44:447Z',
                    'yesterday', '', '0000-01-01:00:00:00:000']) AS t;

-- ---------------------------------------------------------------- run_at and run_seconds at ingest
SELECT is((SELECT count(dlpg.ingest(log, source)) FROM pg_temp.fx), 17::bigint, 'the 17 fixture logs ingest');
SELECT results_eq($$SELECT run_at, run_seconds FROM dlpg.benchmarks WHERE source = 'resnet50_float16_training_128.log'$$,
                  $$VALUES ('2026-11-26 21:33:44.447+00'::timestamptz, 16.142::float8)$$,
                  'run_at and run_seconds of an H200 log (results.start_time / end_time)');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE run_at IS NULL OR run_seconds IS NULL), 0::bigint,
          'every fixture has both (the RTX logs of 2019 too)');
-- synthetic logs, ingested first (an ingest's row is not visible to the statement that made it)
CREATE TEMP TABLE rm (k text PRIMARY KEY, id bigint);
INSERT INTO rm
SELECT k, dlpg.ingest(pg_temp.mklog('rm-' || k, extra))
  FROM (VALUES ('order', E'__results.start_time__="2026-11-26:10:00:05:000"\n__results.end_time__="2026-11-26:10:00:00:000"'),
               ('iso', E'__results.start_time__="2026-11-26T10:00:00Z"\n__results.end_time__="2026-11-26:10:00:09:000"'),
               ('num', '__results.start_time__=20261126'),
               ('noend', '__results.start_time__="2026-11-26:10:00:05:000"'),
               ('five', '__results.time_data__=[1, 2, 3, 4, 100]'),
               ('one', '__results.time_data__=[7]'),
               ('gaps', '__results.time_data__=[null, 4, "x", 2, 1e400]'),
               ('empty', '__results.time_data__=[]'),
               ('strings', '__results.time_data__=["a", "b"]')) AS t(k, extra);
CREATE TEMP VIEW rmb AS SELECT rm.k, b.* FROM rm JOIN dlpg.benchmarks b USING (id);
SELECT is((SELECT count(*) FROM rmb), 9::bigint, 'the 9 synthetic logs are stored');
SELECT results_eq($$SELECT run_at, run_seconds FROM rmb WHERE k = 'order'$$,
                  $$VALUES ('2026-11-26 10:00:05+00'::timestamptz, NULL::float8)$$,
                  'an end before the start: run_at kept, run_seconds NULL');
SELECT results_eq($$SELECT run_at IS NULL, run_seconds IS NULL, status FROM rmb WHERE k = 'iso'$$,
                  $$VALUES (true, true, 'ok'::text)$$,
                  'an ISO start time is not DLBS''s: run_at and run_seconds NULL, the benchmark stored ok');
SELECT results_eq($$SELECT run_at IS NULL, status FROM rmb WHERE k = 'num'$$,
                  $$VALUES (true, 'ok'::text)$$, 'a number as start time: NULL, no error');
SELECT results_eq($$SELECT run_at, run_seconds FROM rmb WHERE k = 'noend'$$,
                  $$VALUES ('2026-11-26 10:00:05+00'::timestamptz, NULL::float8)$$, 'no end time: run_seconds NULL');

-- ---------------------------------------------------------------- percentiles and CV
SELECT is((SELECT count(*) FROM dlpg.benchmarks b
            WHERE b.batch_times_ms IS NOT NULL AND b.exp_id NOT LIKE 'rm-%'
              AND (SELECT (b.batch_time_p50, b.batch_time_p90, b.batch_time_p99) IS NOT DISTINCT FROM
                          (percentile_cont(0.5) WITHIN GROUP (ORDER BY t), percentile_cont(0.9) WITHIN GROUP (ORDER BY t),
                           percentile_cont(0.99) WITHIN GROUP (ORDER BY t)) FROM unnest(b.batch_times_ms) t)
              AND abs(b.batch_time_cv - (SELECT stddev_samp(t) / avg(t) FROM unnest(b.batch_times_ms) t)) < 1e-12),
          (SELECT count(*) FROM dlpg.benchmarks WHERE batch_times_ms IS NOT NULL AND exp_id NOT LIKE 'rm-%'),
          'every fixture with per-iteration times: p50/p90/p99 equal percentile_cont, cv stddev_samp/avg');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE batch_times_ms IS NOT NULL AND exp_id NOT LIKE 'rm-%'), 8::bigint,
          '... which are the 8 H200 logs');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE batch_times_ms IS NULL
              AND (batch_time_p50 IS NOT NULL OR batch_time_p90 IS NOT NULL OR batch_time_p99 IS NOT NULL OR batch_time_cv IS NOT NULL)),
          0::bigint, 'no per-iteration times: all four NULL');

CREATE TEMP TABLE pm AS
SELECT k, batch_time_p50 AS p50, batch_time_p90 AS p90, batch_time_p99 AS p99, batch_time_cv AS cv FROM rmb;
SELECT results_eq($$SELECT p50, p90, p99 FROM pg_temp.pm WHERE k = 'five'$$,
                  $$SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY t), percentile_cont(0.9) WITHIN GROUP (ORDER BY t),
                           percentile_cont(0.99) WITHIN GROUP (ORDER BY t) FROM unnest(ARRAY[1, 2, 3, 4, 100]::float8[]) t$$,
                  '[1, 2, 3, 4, 100]: p50, p90, p99 as percentile_cont gives them');
SELECT ok((SELECT abs(p90 - 61.6) < 1e-9 AND abs(p99 - 96.16) < 1e-9 AND p50 = 3 FROM pg_temp.pm WHERE k = 'five'),
          '... which are 3, 61.6 and 96.16 (interpolated between neighbours)');
SELECT is((SELECT round(cv::numeric, 12) FROM pg_temp.pm WHERE k = 'five'),
          (SELECT round((stddev_samp(t) / avg(t))::numeric, 12) FROM unnest(ARRAY[1, 2, 3, 4, 100]::float8[]) t),
          '... cv the sample standard deviation over the mean');
SELECT results_eq($$SELECT p50, p99, cv FROM pg_temp.pm WHERE k = 'one'$$,
                  $$VALUES (7::float8, 7::float8, NULL::float8)$$, 'one time: every percentile is it, cv NULL');
SELECT results_eq($$SELECT p50, p90 FROM pg_temp.pm WHERE k = 'gaps'$$,
                  $$VALUES (3::float8, 3.8::float8)$$, 'nulls, strings and numbers beyond a double are left out of the percentiles');
SELECT results_eq($$SELECT count(*) FILTER (WHERE p50 IS NULL AND cv IS NULL) FROM pg_temp.pm WHERE k IN ('empty', 'strings')$$,
                  $$VALUES (2::bigint)$$, 'no usable time: NULL');

-- ---------------------------------------------------------------- Y measures, series, views
SELECT results_eq($$SELECT name, label, unit, better FROM dlpg.y_axes WHERE name LIKE 'batch_time_%' ORDER BY name$$,
                  $$VALUES ('batch_time_cv'::text, 'Batch time CV'::text, 'ratio'::text, 'lower'::text),
                           ('batch_time_p50', 'Batch time p50 (ms)', 'ms', 'lower'),
                           ('batch_time_p90', 'Batch time p90 (ms)', 'ms', 'lower'),
                           ('batch_time_p99', 'Batch time p99 (ms)', 'ms', 'lower')$$,
                  'dlpg.y_axes lists the four measures, lower is better');
DELETE FROM dlpg.benchmarks WHERE exp_id LIKE 'rm-%';
SELECT results_eq($$SELECT x, n FROM dlpg.series('replica_batch', 'batch_time_p99', '{"phase": "training", "precision": "fp32"}')$$,
                  $$VALUES ('64'::text, 1::bigint), ('128', 1), ('256', 1)$$,
                  'series of batch_time_p99: the RTX runs (no per-iteration times) are left out, and n says so');
SELECT is((SELECT sum(n) FROM dlpg.series('replica_batch', 'batch_time', '{"phase": "training", "precision": "fp32"}')),
          11::numeric, '... while the batch time series counts all 11 (3 H200, 8 RTX)');
SELECT is((SELECT y FROM dlpg.series('replica_batch', 'batch_time_p50', '{"phase": "training", "precision": "fp16"}') WHERE x = '128'),
          (SELECT batch_time_p50 FROM dlpg.benchmarks WHERE source = 'resnet50_float16_training_128.log'),
          '... its y is the benchmark''s p50');
SELECT ok((SELECT array_agg(attname::text) FROM pg_attribute WHERE attrelid = 'dlpg.axes'::regclass AND attnum > 0)
          @> ARRAY['run_at', 'batch_time_p50', 'batch_time_p90', 'batch_time_p99', 'batch_time_cv'],
          'dlpg.axes has run_at and the four measures');
SELECT is_empty($$SELECT 1 FROM dlpg.axis_values WHERE axis = 'run_at'$$, 'dlpg.axis_values lists no run times');
SELECT is_empty($$SELECT a.attname FROM pg_attribute a WHERE a.attrelid = 'dlpg.axes'::regclass AND a.attnum > 0
                     AND coalesce(col_description(a.attrelid, a.attnum), '') = ''$$,
                'every column of dlpg.axes is described');

-- ---------------------------------------------------------------- run_after / run_before
SELECT is((SELECT sum(n) FROM dlpg.series('model', 'throughput', '{"run_after": "2026-11-26T21:33:30Z"}')),
          (SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok' AND run_at >= '2026-11-26 21:33:30+00')::numeric,
          'run_after keeps the benchmarks that ran at or after it');
SELECT is((SELECT sum(n) FROM dlpg.series('model', 'throughput', '{"run_before": "2020-01-01"}')),
          8::numeric, 'run_before 2020: the 8 RTX runs of 2019');
SELECT is((SELECT sum(n) FROM dlpg.series('model', 'throughput',
                                          '{"run_after": "2026-11-26T21:33:00Z", "run_before": "2026-11-26T21:34:00+00:00"}')),
          (SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok'
              AND run_at >= '2026-11-26 21:33:00+00' AND run_at < '2026-11-26 21:34:00+00')::numeric,
          'both: a time window');
SELECT pg_temp.throws('rb-bad', $$SELECT * FROM dlpg.series('model', 'throughput', '{"run_after": "soon"}')$$, '22007',
                      'a run_after that is not a time: 22007');
SELECT pg_temp.throws('rb-num', $$SELECT * FROM dlpg.series('model', 'throughput', '{"run_before": 2020}')$$, '22023',
                      'a run_before that is not a string: 22023');
SELECT pg_temp.throws('rb-key', $$SELECT * FROM dlpg.series('model', 'throughput', '{"run_at": "2026-11-26"}')$$, '22023',
                      'run_at is not a filter key (run_after / run_before are)');
SELECT pg_temp.msg_has('rb-key', 'run_after, run_before', '... the error lists them');
SELECT pg_temp.throws('rb-group', $$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'best', 'run_at')$$, '22023',
                      'run_at is no group_by');

SELECT * FROM finish();
ROLLBACK;
