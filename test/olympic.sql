-- pgTAP: MLPerf's olympic mean (issue 13, item 4). dlpg.series(..., 'olympic') over the bundled
-- MLPerf training results gives, for every (system, benchmark) set, the score MLCommons' result
-- summarizer computes (data/mlperf/expected.json, training_scores: to 1e-9 relative), with n
-- the runs of the set, failed ones included; and dlpg.olympic_mean's rules on their own: the
-- fastest and slowest dropped, a failed run (an infinity on its worse side) one of the
-- dropped, no score when more failed than may be dropped or nothing is left.
-- Run from the project root (the inputs are built by test/lib/mlperf_inputs.py).
BEGIN;
SELECT plan(16);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;
\set training `python3 test/lib/mlperf_inputs.py training`
\set expected `cat data/mlperf/expected.json`
CREATE TEMP TABLE tin AS SELECT key AS file, value AS input FROM jsonb_each(:'training'::jsonb);
SELECT is((SELECT count(*) FROM tin, dlpg.load('mlperf_training', tin.input::text, tin.file) l
            WHERE l.outcome = 'inserted'), 33::bigint, 'the 33 bundled training runs are loaded');
CREATE TEMP TABLE sets AS
SELECT s->>'system_dir' AS server, s->>'benchmark' AS model, (s->>'n_runs')::bigint AS n_runs,
       (s->>'n_dropped')::int AS n_failed, (s->>'max_dropped')::int AS max_dropped,
       (s->>'scaling_factor')::float8 AS factor, (s->>'score_min')::float8 AS score
  FROM jsonb_array_elements((:'expected'::jsonb)->'training_scores') s;
SELECT is((SELECT count(*) FROM sets), 6::bigint, 'expected.json has six sets (one with a failed run, one with a scaling factor)');

-- ---------------------------------------------------------------- the sets' scores
CREATE TEMP TABLE got AS
SELECT s.server, s.model, r.* FROM sets s,
       LATERAL dlpg.series('server', 'time_to_train', jsonb_build_object('model', s.model), 'olympic') r
 WHERE r.x = s.server;
SELECT is((SELECT count(*) FROM got), 6::bigint, 'series(server, time_to_train, {model}, olympic): a point per set');
SELECT is_empty($$SELECT g.server, g.model, g.y, s.score FROM got g JOIN sets s USING (server, model)
                   WHERE g.y IS NULL OR abs(g.y - s.score) > 1e-9 * s.score$$,
                'every set''s y is MLCommons'' olympic score to 1e-9 relative (scaling.json applied)');
SELECT is_empty($$SELECT g.server, g.n, s.n_runs FROM got g JOIN sets s USING (server, model) WHERE g.n <> s.n_runs$$,
                'n is the runs of the set, failed ones included');
SELECT is((SELECT count(*) FROM sets WHERE n_failed > 0), 1::bigint, '... one set has a failed run (the check is not vacuous)');
SELECT is((SELECT count(*) FROM sets WHERE factor <> 1), 1::bigint, '... one set has a scaling factor');
SELECT isnt((SELECT y FROM got WHERE model = 'resnet' AND server = 'dgxh100_n8_ngc23.04_mxnet'),
            (SELECT y FROM dlpg.series('server', 'time_to_train', '{"model": "resnet"}', 'avg')
              WHERE x = 'dgxh100_n8_ngc23.04_mxnet'),
            'the olympic score of the set with a failed run is not the mean of its ok runs');
SELECT is((SELECT configs FROM got WHERE server = 'eos_n8_ngc24.04_nemo'), 1,
          'configs: the ten runs of a set are one configuration');

-- ---------------------------------------------------------------- dlpg.olympic_mean's rules
CREATE TEMP TABLE runs (set_id int, t float8);
INSERT INTO runs VALUES (1, 5), (1, 1), (1, 3), (1, 9), (1, 4),               -- drop 1 and 9: mean of 3, 4, 5
                        (2, 5), (2, 1), (2, 3), (2, 'Infinity'), (2, 4),      -- the failed run is the slowest dropped: 3, 4, 5
                        (3, 5), (3, 'Infinity'), (3, 3), (3, 'Infinity'), (3, 4), -- two failed, one may be dropped
                        (4, 2), (4, 7),                                         -- nothing left after dropping
                        (5, 10), (5, 2), (5, 3), (5, '-Infinity'), (5, 7);   -- a throughput: the failed run is -Infinity
SELECT results_eq($$SELECT set_id, dlpg.olympic_mean(dlpg.trial_sample(t), 1) FROM runs GROUP BY set_id ORDER BY set_id$$,
                  $$VALUES (1, 4::float8), (2, 4::float8), (3, NULL::float8), (4, NULL::float8), (5, 4::float8)$$,
                  'olympic_mean(…, 1): 1, 3, 4, 5, 9 → 4; a failed run is the slowest dropped; two failed: no score; two runs: none left; a throughput''s failed run (-Infinity) is its worst dropped, with the best: 2, 3, 7 → 4');
SELECT is((SELECT dlpg.olympic_mean(dlpg.trial_sample(t), 2) FROM runs WHERE set_id = 3), 5::float8,
          'olympic_mean(…, 2) (unet3d''s rule): 3, 4, 5 and two failed: the two fastest and the two failed dropped, 5 left (the summarizer''s scores[2 : 3 - (2 - 2)])');
SELECT is((SELECT dlpg.olympic_mean(dlpg.trial_sample(t), 0) FROM runs WHERE set_id = 1), 4.4::float8,
          'olympic_mean(…, 0): the plain mean');
SELECT throws_ok($$SELECT dlpg.olympic_mean(dlpg.trial_sample(t), -1) FROM runs$$, '22023', NULL,
                 'a negative drop: 22023');
SELECT is((SELECT dlpg.olympic_mean(NULL, 1)), NULL::float8, 'no sample: NULL');
-- a stored state is read, not changed (the function sorts a copy)
CREATE TEMP TABLE kept AS SELECT dlpg.trial_sample(t) AS s FROM runs WHERE set_id = 1;
SELECT is((SELECT dlpg.olympic_mean(s, 1)::text || ' ' || s::text FROM kept),
          (SELECT '4 ' || s::text FROM kept), 'a stored sample: scored, and left as it was');
SELECT throws_ok($$SELECT dlpg.series('server', 'time_to_train', '{}', 'olympics')$$, '22023', NULL,
                 'an unknown method still says so (olympic is now among the valid ones)');

SELECT * FROM finish();
ROLLBACK;
