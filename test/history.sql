-- test/history.sql: dlpg.history (every benchmark with a run time, by time) and dlpg.changes
-- (a lookback z-score per configuration), on the fixtures and on generated histories with
-- planted steps.  Run from the project root.
BEGIN;
SELECT plan(18);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;
\ir lib/fixtures.sql
\ir lib/errors.sql
\ir lib/logs.sql
SELECT is((SELECT count(dlpg.ingest(log, source)) FROM pg_temp.fx), 17::bigint, 'the 17 fixture logs ingest');

-- ---------------------------------------------------------------- history
SELECT is((SELECT count(*) FROM dlpg.history('batch_time')),
          (SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok' AND run_at IS NOT NULL AND batch_time_ms IS NOT NULL),
          'history: one row per ok benchmark with a run time');
SELECT ok((SELECT bool_and(ordered) FROM (SELECT time >= lag(time, 1, '-infinity') OVER (ORDER BY o) AS ordered
                                            FROM dlpg.history('throughput') WITH ORDINALITY AS h(time, series, config, y, benchmark_id, o)) s),
          '... ordered by time');
SELECT is((SELECT count(*) FROM dlpg.history('throughput') h JOIN dlpg.benchmarks b ON b.id = h.benchmark_id
            WHERE h.time = b.run_at AND h.y = b.throughput
              AND h.config = jsonb_build_object('data_type', b.data_type, 'effective_batch', b.effective_batch,
                    'framework', b.framework, 'model', b.model, 'num_devices', b.num_devices, 'phase', b.phase,
                    'precision', b.precision, 'processing_unit', b.processing_unit, 'replica_batch', b.replica_batch,
                    'server', b.server, 'software', b.software, 'devices_per_node', b.devices_per_node,
                    'cluster_size', b.num_nodes, 'interconnect', b.interconnect, 'scenario', b.scenario,
                    'submitter', b.submitter, 'division', b.division, 'round', b.round)),
          16::bigint, '... each row its benchmark''s time, y and configuration (the 18 axes, NULL as null)');
SELECT results_eq($$SELECT DISTINCT series FROM dlpg.history('batch_time', '{"processing_unit": "NVIDIA H200"}', 'precision') ORDER BY 1$$,
                  $$VALUES ('half (FP16)'::text), ('single (FP32)')$$, '... group_by names the series as dlpg.series does');
SELECT is((SELECT count(*) FROM dlpg.history('batch_time_p50')), 8::bigint,
          '... a measure only some benchmarks have: only those (the 8 H200 runs)');
SELECT pg_temp.throws('h-y', $$SELECT * FROM dlpg.history('latency')$$, '22023', 'an unknown y axis: 22023');

-- ---------------------------------------------------------------- changes on generated histories
DELETE FROM dlpg.benchmarks;
-- StepNet: 30 daily runs around 100 ms, from day 26 on 120 ms (worse); FastNet: from day 21 on
-- 80 ms (better); FlatNet: 10 runs of exactly 50 ms, then 51; OtherGPU: the same model as StepNet
-- on another processing unit, never changing (its own configuration)
SELECT is((SELECT count(*) FROM (SELECT dlpg.ingest_json(pg_temp.bm('h-' || m || '-' || i, m, 'float32', 32, 32, 1,
                                       CASE WHEN m = 'StepNet' AND i > 25 THEN 120
                                            WHEN m = 'FastNet' AND i > 20 THEN 80
                                            WHEN m = 'FlatNet' THEN CASE WHEN i > 10 THEN 51 ELSE 50 END
                                            ELSE 100 + (i % 3) END,
                                       NULL, jsonb_build_object(
                                           'results.start_time', to_char(timestamp '2026-01-01' + i * interval '1 day', 'YYYY-MM-DD:HH24:MI:SS:MS'),
                                           'exp.device_title', CASE WHEN m = 'OtherGPU' THEN 'GPU B' ELSE 'GPU A' END,
                                           'exp.model', CASE WHEN m = 'OtherGPU' THEN 'StepNet' ELSE m END)))
                                  FROM unnest(ARRAY['StepNet', 'FastNet', 'FlatNet', 'OtherGPU']) m,
                                       generate_series(1, CASE WHEN m = 'FlatNet' THEN 11 ELSE 30 END) i) s),
          101::bigint, '101 generated runs');
SELECT results_eq($$SELECT (time AT TIME ZONE 'UTC')::date, direction FROM dlpg.changes('batch_time', '{"model": "StepNet"}')$$,
                  $$VALUES ('2026-01-27'::date, 'worse'::text)$$,
                  'StepNet: the step is flagged once, on its first day, as worse (batch time up)');
SELECT ok((SELECT z > 5 AND abs(window_mean - (SELECT avg(100 + (i % 3)) FROM generate_series(6, 25) i)) < 1e-9
             FROM dlpg.changes('batch_time', '{"model": "StepNet"}')),
          '... z above 5, the mean that of the 20 runs before it');
SELECT results_eq($$SELECT (time AT TIME ZONE 'UTC')::date, direction FROM dlpg.changes('throughput', '{"model": "FastNet"}')$$,
                  $$VALUES ('2026-01-22'::date, 'better'::text)$$,
                  'FastNet: faster from day 22, flagged as better (throughput up)');
SELECT results_eq($$SELECT (time AT TIME ZONE 'UTC')::date, z FROM dlpg.changes('batch_time', '{"model": "FlatNet"}')$$,
                  $$VALUES ('2026-01-12'::date, 'Infinity'::float8)$$,
                  'FlatNet: a history that never varied, then moves: z is infinite');
SELECT is((SELECT count(*) FROM dlpg.changes('batch_time', '{"processing_unit": "GPU B"}')), 0::bigint,
          'the same model on another GPU is its own configuration: nothing');
SELECT is((SELECT count(*) FROM dlpg.changes('batch_time', '{"model": "StepNet"}', NULL, 20, 30)), 0::bigint,
          'a higher threshold: nothing');
-- the same step seen by dlpg.compare: before against after, each side a time window
SELECT results_eq($$SELECT n_baseline, n_candidate, verdict, config->>'model'
                     FROM dlpg.compare('{"run_before": "2026-01-20"}', '{"run_after": "2026-01-27"}', 'batch_time',
                                       '{"model": "StepNet", "processing_unit": "GPU A"}')$$,
                  $$VALUES (18, 5, 'regressed'::text, 'StepNet'::text)$$,
                  'dlpg.compare of the runs before and after the step: one configuration, regressed (the run time is no configuration axis)');
SELECT ok((SELECT abs(change - (120.0 / 101 - 1)) < 1e-9 FROM dlpg.compare('{"run_before": "2026-01-20"}', '{"run_after": "2026-01-27"}',
                                                                   'batch_time', '{"model": "StepNet", "processing_unit": "GPU A"}')),
          '... change +18.8%: 120 ms against the median 101 ms');
SELECT pg_temp.throws('c-win', $$SELECT * FROM dlpg.changes('batch_time', '{}', NULL, 2)$$, '22023',
                      'a window under 3: 22023');
SELECT pg_temp.throws('c-thr', $$SELECT * FROM dlpg.changes('batch_time', '{}', NULL, 20, 0)$$, '22023',
                      'a threshold that is not positive: 22023');

SELECT * FROM finish();
ROLLBACK;
