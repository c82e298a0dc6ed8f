-- pgTAP: the trial aggregates (dlpg.trial_min/max/avg/median) and dlpg.series under
-- parallel query.  200,000 ok benchmarks are written straight into dlpg.benchmarks; with
-- parallel costs set to zero the planner splits the aggregation (Partial Aggregate under a
-- Gather, combined by the aggregates' combine, serial and deserial functions), and the
-- answers must be those of the serial plan.
BEGIN;
SELECT plan(140);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- ---------------------------------------------------------------------------
-- The catalog: a state type and a combine function, everything parallel safe
-- ---------------------------------------------------------------------------
SELECT results_eq(
    format($$SELECT a.aggcombinefn <> 0, a.aggserialfn = 0, a.aggdeserialfn = 0,
                    a.aggtranstype = %L::regtype, p.proparallel::text, p.prokind::text
               FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
              WHERE a.aggfnoid = to_regprocedure(%L)$$,
           CASE agg WHEN 'trial_median' THEN 'dlpg.trial_values' ELSE 'dlpg.trial_state' END,
           'dlpg.' || agg || '(double precision)'),
    $$VALUES (true, true, true, true, 's', 'a')$$,
    format('dlpg.%s(float8): an aggregate with a state type of its own (not internal: Citus can ship it), a combine function, parallel safe', agg))
  FROM unnest(ARRAY['trial_min', 'trial_max', 'trial_avg', 'trial_median']) AS agg;
SELECT is_empty($$
    SELECT a.aggfnoid::regprocedure, f.fn::regprocedure
      FROM pg_aggregate a
     CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                     a.aggserialfn, a.aggdeserialfn]::oid[]) AS f(fn)
      JOIN pg_proc p ON p.oid = f.fn
     WHERE a.aggfnoid IN (to_regprocedure('dlpg.trial_min(double precision)'), to_regprocedure('dlpg.trial_max(double precision)'),
                          to_regprocedure('dlpg.trial_avg(double precision)'), to_regprocedure('dlpg.trial_median(double precision)'))
       AND f.fn <> 0 AND p.proparallel <> 's'
$$, 'every support function of the four trial aggregates is parallel safe');
SELECT is((SELECT count(*) FROM pg_aggregate a
            WHERE a.aggfnoid IN (to_regprocedure('dlpg.trial_min(double precision)'), to_regprocedure('dlpg.trial_max(double precision)'),
                                 to_regprocedure('dlpg.trial_avg(double precision)'), to_regprocedure('dlpg.trial_median(double precision)'))),
          4::bigint, 'the four trial aggregates exist (so the check above is not vacuous)');
SELECT is_empty($$
    SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'dlpg' AND (p.proname LIKE 'trial%' OR p.proname IN ('axis_label', 'ci_match'))
       AND p.proparallel <> 's'
$$, 'dlpg.trial*, dlpg.axis_label (and dlpg.ci_match, if any) are parallel safe');

-- ---------------------------------------------------------------------------
-- The aggregates on their own: NULLs ignored, no rows -> NULL, medians
-- ---------------------------------------------------------------------------
SELECT is((SELECT dlpg.trial_avg(v) FROM (VALUES (1.0::float8)) AS t(v) WHERE false), NULL::float8, 'trial_avg over no rows is NULL');
SELECT is((SELECT dlpg.trial_min(v) FROM (VALUES (1.0::float8)) AS t(v) WHERE false), NULL::float8, 'trial_min over no rows is NULL');
SELECT is((SELECT dlpg.trial_max(v) FROM (VALUES (1.0::float8)) AS t(v) WHERE false), NULL::float8, 'trial_max over no rows is NULL');
SELECT is((SELECT dlpg.trial_median(v) FROM (VALUES (1.0::float8)) AS t(v) WHERE false), NULL::float8, 'trial_median over no rows is NULL');
SELECT is((SELECT dlpg.trial_median(v) FROM (VALUES (1::float8), (NULL), (3)) AS t(v)), 2::float8, 'trial_median(1, NULL, 3) = 2: NULL ignored');
SELECT is((SELECT dlpg.trial_median(v) FROM (VALUES (NULL::float8), (NULL)) AS t(v)), NULL::float8, 'trial_median of NULLs only is NULL');
SELECT is((SELECT dlpg.trial_avg(v) FROM (VALUES (1::float8), (NULL), (4)) AS t(v)), 2.5::float8, 'trial_avg(1, NULL, 4) = 2.5');
SELECT is((SELECT dlpg.trial_avg(v) FROM (VALUES (NULL::float8)) AS t(v)), NULL::float8, 'trial_avg(NULL) is NULL');
SELECT is((SELECT dlpg.trial_min(v) FROM (VALUES (NULL::float8), (5), (3)) AS t(v)), 3::float8, 'trial_min(NULL, 5, 3) = 3');
SELECT is((SELECT dlpg.trial_max(v) FROM (VALUES (NULL::float8), (5), (3)) AS t(v)), 5::float8, 'trial_max(NULL, 5, 3) = 5');
SELECT is((SELECT dlpg.trial_median(v) FROM (VALUES (5::float8), (1), (3)) AS t(v)), 3::float8, 'trial_median(5, 1, 3) = 3');
SELECT is((SELECT dlpg.trial_median(v) FROM (VALUES (1::float8), (10), (3), (2)) AS t(v)), 2.5::float8, 'trial_median(1, 10, 3, 2) = (2 + 3) / 2');
SELECT is((SELECT dlpg.trial_median(v) FROM (VALUES (7::float8)) AS t(v)), 7::float8, 'trial_median(7) = 7');
SELECT is((SELECT dlpg.trial_median(v) FROM (VALUES (2::float8), (9), (2), (2)) AS t(v)), 2::float8, 'trial_median(2, 9, 2, 2) = 2');
SELECT results_eq(
    $$SELECT g, dlpg.trial_min(v), dlpg.trial_max(v), dlpg.trial_avg(v), dlpg.trial_median(v)
        FROM (VALUES (1, 4::float8), (1, 8), (2, NULL), (3, 6)) AS t(g, v) GROUP BY g ORDER BY g$$,
    $$VALUES (1, 4::float8, 8::float8, 6::float8, 6::float8), (2, NULL, NULL, NULL, NULL), (3, 6, 6, 6, 6)$$,
    'grouped: a group of NULLs only gives NULL from every trial aggregate');

-- ---------------------------------------------------------------------------
-- 200,000 ok benchmarks (and 1,000 failed ones with positive measures, which must never
-- count), written directly.  Every model x precision x replica batch occurs; batch times and
-- throughputs are spread doubles, so an average depends on the order of the additions.
-- RareNet: 3 rows far apart in the table (replica 32, fp32); SoloNet: 1 row.
-- ---------------------------------------------------------------------------
INSERT INTO dlpg.benchmarks (status, status_reason, model, precision, phase, framework, data_type, device_type,
                             replica_batch, effective_batch, num_devices, devices_per_node, num_nodes,
                             batch_time_ms, throughput, params, dedup_key)
SELECT CASE WHEN g > 200000 THEN 'failed' ELSE 'ok' END,
       CASE WHEN g > 200000 THEN 'written by the test' END,
       CASE WHEN g IN (17, 100003, 199999) THEN 'RareNet'
            WHEN g = 150001 THEN 'SoloNet'
            ELSE (ARRAY['AlexNet', 'GoogleNet', 'InceptionV3', 'ResNet50', 'VGG16'])[1 + g % 5] END,
       CASE WHEN g IN (17, 100003, 199999, 150001) THEN 'fp32'
            ELSE (ARRAY['fp32', 'fp16', 'int8'])[1 + (g / 5) % 3] END,
       'training', 'SynthFW', 'synthetic', 'gpu',
       r.rb, r.rb * 2, 2, 2, 1,
       1 + ((g::bigint * 7919) % 100003) / 7.0,
       CASE WHEN g > 200000 THEN 1e9 ELSE 1 + ((g::bigint * 104729) % 1000003) / 3.0 END,
       '{}', 'par-' || g
  FROM generate_series(1, 201000) AS g
 CROSS JOIN LATERAL (SELECT CASE WHEN g IN (17, 100003, 199999, 150001) THEN 32
                                 ELSE (ARRAY[1, 2, 4, 8, 16, 32, 64, 128, 256])[1 + (g / 15) % 9] END AS rb) AS r;
ANALYZE dlpg.benchmarks;
SELECT results_eq($$SELECT status, count(*) FROM dlpg.benchmarks GROUP BY status ORDER BY status$$,
                  $$VALUES ('failed'::text, 1000::bigint), ('ok', 200000)$$, '200,000 ok and 1,000 failed rows written');

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL max_parallel_workers_per_gather = 2;

-- EXPLAIN (COSTS OFF [, VERBOSE]) of q, as one text.
CREATE FUNCTION pg_temp.plan_of(q text, want_verbose bool DEFAULT false) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r text; acc text := '';
BEGIN
    FOR r IN EXECUTE 'EXPLAIN (COSTS OFF' || CASE WHEN want_verbose THEN ', VERBOSE' ELSE '' END || ') ' || q LOOP
        acc := acc || r || E'\n';
    END LOOP;
    RETURN acc;
END $f$;
-- Run q with the given max_parallel_workers_per_gather into a new temp table tbl, under
-- EXPLAIN ANALYZE (which runs it); returns the plan with what actually ran.
CREATE FUNCTION pg_temp.capture(tbl text, q text, workers int) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r text; acc text := '';
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    FOR r IN EXECUTE format('EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) CREATE TEMP TABLE %I AS %s',
                            tbl, rtrim(btrim(q), '; ')) LOOP
        acc := acc || r || E'\n';
    END LOOP;
    PERFORM set_config('max_parallel_workers_per_gather', '2', true);
    -- series_query may sort its series column with COLLATE "C"; the comparisons below
    -- compare it with columns of the default collation.
    IF EXISTS (SELECT FROM pg_attribute WHERE attrelid = tbl::regclass AND attname = 'series') THEN
        EXECUTE format('ALTER TABLE %I ALTER COLUMN series TYPE text COLLATE "default"', tbl);
    END IF;
    RETURN acc;
END $f$;
CREATE TEMP TABLE plans (nm text PRIMARY KEY, plan text);

-- ---------------------------------------------------------------------------
-- dlpg.series_query for every agg: a parallel plan with partial aggregation, which runs
-- with workers and gives the serial answer
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE cases (nm text PRIMARY KEY, y text, agg text, filters jsonb, group_by text, q text);
INSERT INTO pg_temp.cases (nm, y, agg, filters, group_by)
VALUES ('min', 'throughput', 'min', '{"precision": ["fp32", "fp16"]}', 'model'),
       ('max', 'throughput', 'max', '{"precision": ["fp32", "fp16"]}', 'model'),
       ('avg', 'throughput', 'avg', '{"precision": ["fp32", "fp16"]}', 'model'),
       ('median', 'throughput', 'median', '{"precision": ["fp32", "fp16"]}', 'model'),
       ('best', 'throughput', 'best', '{"precision": ["fp32", "fp16"]}', 'model'),
       ('bt_best', 'batch_time', 'best', '{}', 'precision'),
       ('bt_median', 'batch_time', 'median', '{"model": ["resnet50", "VGG16"]}', NULL);
UPDATE pg_temp.cases SET q = dlpg.series_query('replica_batch', y, filters, agg, group_by);

SELECT matches(pg_temp.plan_of(q), 'Partial (Hash|Group)?Aggregate',
               format('series_query(replica_batch, %s, %s, %s, %s): the plan aggregates partially', y, filters, agg, group_by))
  FROM pg_temp.cases ORDER BY nm;
SELECT matches(pg_temp.plan_of(q), 'Gather',
               format('series_query(replica_batch, %s, %s, %s, %s): the plan has a Gather', y, filters, agg, group_by))
  FROM pg_temp.cases ORDER BY nm;

INSERT INTO pg_temp.plans SELECT 'par_' || nm, pg_temp.capture('par_' || nm, q, 2) FROM pg_temp.cases;
INSERT INTO pg_temp.plans SELECT 'ser_' || nm, pg_temp.capture('ser_' || nm, q, 0) FROM pg_temp.cases;
SELECT matches((SELECT plan FROM pg_temp.plans WHERE plans.nm = 'par_' || c.nm), 'Workers Launched: [1-9]',
               format('%s: the parallel run launched workers', c.nm))
  FROM pg_temp.cases c ORDER BY c.nm;
SELECT doesnt_match((SELECT plan FROM pg_temp.plans WHERE plans.nm = 'ser_' || c.nm), 'Gather',
                    format('%s: with max_parallel_workers_per_gather = 0 the plan is serial', c.nm))
  FROM pg_temp.cases c ORDER BY c.nm;

-- min, max, median, best: exactly the serial answer
SELECT results_eq(format('SELECT series, x, x_rank, y, n FROM %I ORDER BY series, x_rank', 'par_' || nm),
                  format('SELECT series, x, x_rank, y, n FROM %I ORDER BY series, x_rank', 'ser_' || nm),
                  format('%s: parallel answer = serial answer, exactly', nm))
  FROM pg_temp.cases WHERE agg <> 'avg' ORDER BY nm;
-- avg: floating-point sums added in another order (per worker, then combined) may differ
-- in the last bits, so to a relative 1e-12; n and ranks exactly.
SELECT is_empty($$
    SELECT * FROM par_avg p FULL JOIN ser_avg s USING (series, x)
     WHERE p.n IS DISTINCT FROM s.n OR p.x_rank IS DISTINCT FROM s.x_rank
        OR NOT (abs(p.y - s.y) <= 1e-12 * abs(s.y))
$$, 'avg: parallel answer = serial answer (y to a relative 1e-12: the sums are added in another order)');
SELECT ok((SELECT count(*) FROM par_avg) = 47 AND (SELECT count(*) FROM ser_avg) = 47,
          'avg: 47 points (5 models x 9 replica batches, RareNet and SoloNet) both ways');
-- and the serial answers are right (against PostgreSQL's own aggregates)
SELECT results_eq(
    $$SELECT series, x, y, n FROM ser_max ORDER BY series, x_rank$$,
    $$SELECT model, replica_batch::text AS x, max(throughput), count(*) FROM dlpg.benchmarks
       WHERE status = 'ok' AND precision IN ('fp32', 'fp16') GROUP BY model, replica_batch ORDER BY model, replica_batch$$,
    'max: the answer is max(throughput) per model and replica batch');
SELECT results_eq(
    $$SELECT series, x, y, n FROM ser_min ORDER BY series, x_rank$$,
    $$SELECT model, replica_batch::text AS x, min(throughput), count(*) FROM dlpg.benchmarks
       WHERE status = 'ok' AND precision IN ('fp32', 'fp16') GROUP BY model, replica_batch ORDER BY model, replica_batch$$,
    'min: the answer is min(throughput) per model and replica batch');
SELECT is_empty($$
    SELECT * FROM ser_median s FULL JOIN
           (SELECT model AS series, replica_batch::text AS x,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY throughput) AS y, count(*) AS n
              FROM dlpg.benchmarks WHERE status = 'ok' AND precision IN ('fp32', 'fp16')
             GROUP BY model, replica_batch) w USING (series, x)
     WHERE s.n IS DISTINCT FROM w.n OR NOT (abs(s.y - w.y) <= 1e-12 * abs(w.y))
$$, 'median: the answer is percentile_cont(0.5) per model and replica batch');
SELECT is_empty($$
    SELECT * FROM ser_avg s FULL JOIN
           (SELECT model AS series, replica_batch::text AS x, avg(throughput) AS y, count(*) AS n
              FROM dlpg.benchmarks WHERE status = 'ok' AND precision IN ('fp32', 'fp16')
             GROUP BY model, replica_batch) w USING (series, x)
     WHERE s.n IS DISTINCT FROM w.n OR NOT (abs(s.y - w.y) <= 1e-12 * abs(w.y))
$$, 'avg: the answer is avg(throughput) per model and replica batch (to 1e-12)');

-- dlpg.series itself, with parallel settings and without
SELECT lives_ok(format($$CREATE TEMP TABLE %I AS SELECT * FROM dlpg.series('replica_batch', %L, %L, %L, %L)$$,
                       'fpar_' || nm, y, filters, agg, group_by),
                format('dlpg.series(replica_batch, %s, %s, %s, %s) runs with parallel settings', y, filters, agg, group_by))
  FROM pg_temp.cases ORDER BY nm;
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT lives_ok(format($$CREATE TEMP TABLE %I AS SELECT * FROM dlpg.series('replica_batch', %L, %L, %L, %L)$$,
                       'fser_' || nm, y, filters, agg, group_by),
                format('dlpg.series(replica_batch, %s, %s, %s, %s) runs with max_parallel_workers_per_gather = 0', y, filters, agg, group_by))
  FROM pg_temp.cases ORDER BY nm;
SET LOCAL max_parallel_workers_per_gather = 2;
SELECT results_eq(format('SELECT series, x, x_rank, y, n FROM %I ORDER BY series, x_rank', 'fpar_' || nm),
                  format('SELECT series, x, x_rank, y, n FROM %I ORDER BY series, x_rank', 'fser_' || nm),
                  format('dlpg.series %s: parallel settings = serial, exactly', nm))
  FROM pg_temp.cases WHERE agg <> 'avg' ORDER BY nm;
SELECT is_empty($$
    SELECT * FROM fpar_avg p FULL JOIN fser_avg s USING (series, x)
     WHERE p.n IS DISTINCT FROM s.n OR p.x_rank IS DISTINCT FROM s.x_rank
        OR NOT (abs(p.y - s.y) <= 1e-12 * abs(s.y))
$$, 'dlpg.series avg: parallel settings = serial (y to a relative 1e-12)');
SELECT results_eq(format('SELECT series, x, x_rank, n FROM %I ORDER BY series, x_rank', 'fpar_' || nm),
                  format('SELECT series, x, x_rank, n FROM %I ORDER BY series, x_rank', 'par_' || nm),
                  format('dlpg.series %s = running its series_query', nm))
  FROM pg_temp.cases ORDER BY nm;

-- ---------------------------------------------------------------------------
-- Few matching rows: some participants see none
-- ---------------------------------------------------------------------------
SET LOCAL enable_indexscan = off;
SET LOCAL enable_bitmapscan = off;
SET LOCAL enable_indexonlyscan = off;
CREATE TEMP TABLE rare (nm text PRIMARY KEY, agg text, filters jsonb, q text);
INSERT INTO pg_temp.rare (nm, agg, filters)
SELECT lower(m) || '_' || a, a, jsonb_build_object('model', m)
  FROM unnest(ARRAY['RareNet', 'SoloNet']) AS m, unnest(ARRAY['min', 'max', 'avg', 'median', 'best']) AS a;
UPDATE pg_temp.rare SET q = dlpg.series_query('replica_batch', 'throughput', filters, agg);
INSERT INTO pg_temp.plans SELECT 'rpar_' || nm, pg_temp.capture('rpar_' || nm, q, 2) FROM pg_temp.rare;
INSERT INTO pg_temp.plans SELECT 'rser_' || nm, pg_temp.capture('rser_' || nm, q, 0) FROM pg_temp.rare;
SELECT ok(p.plan ~ 'Partial (Hash|Group)?Aggregate' AND p.plan ~ 'Workers Launched: [1-9]',
          format('%s (%s matching rows): partial aggregation, workers launched', r.nm, CASE WHEN r.nm LIKE 'solo%' THEN 1 ELSE 3 END))
  FROM pg_temp.rare r JOIN pg_temp.plans p ON p.nm = 'rpar_' || r.nm ORDER BY r.nm;
SELECT results_eq(format('SELECT series, x, x_rank, y, n FROM %I ORDER BY series, x_rank', 'rpar_' || nm),
                  format('SELECT series, x, x_rank, y, n FROM %I ORDER BY series, x_rank', 'rser_' || nm),
                  format('%s: parallel answer = serial answer', nm))
  FROM pg_temp.rare ORDER BY nm;
SELECT results_eq(
    format('SELECT series, x, y, n FROM %I', 'rser_' || nm),
    format($$SELECT 'Throughput'::text, '32'::text, %s, count(*) FROM dlpg.benchmarks
              WHERE status = 'ok' AND model = %L$$,
           CASE agg WHEN 'best' THEN 'max(throughput)'
                    WHEN 'median' THEN 'percentile_cont(0.5) WITHIN GROUP (ORDER BY throughput)'
                    ELSE agg || '(throughput)' END,
           filters->>'model'),
    format('%s: the answer is right', nm))
  FROM pg_temp.rare WHERE NOT (agg = 'avg' AND filters->>'model' = 'RareNet') ORDER BY nm;
SELECT is_empty($$
    SELECT * FROM rser_rarenet_avg
     WHERE n <> 3 OR NOT (abs(y - (SELECT avg(throughput) FROM dlpg.benchmarks WHERE model = 'RareNet'))
                          <= 1e-12 * y)
$$, 'rarenet_avg: the answer is right (to 1e-12)');

-- The aggregates called directly, ungrouped: a worker that sees no row hands on an empty
-- state, and the leader combines it.  (lower(model) = ... hides the true row count from the
-- planner, which estimates 0.5% of the rows; knowing it is 1 row it would not bother with
-- partial aggregation.)
CREATE TEMP TABLE direct (nm text PRIMARY KEY, cond text, q text);
INSERT INTO pg_temp.direct (nm, cond)
VALUES ('d_all', $$status = 'ok'$$),
       ('d_rare', $$status = 'ok' AND lower(model) = 'rarenet'$$),
       ('d_solo', $$status = 'ok' AND lower(model) = 'solonet'$$),
       ('d_none', $$status = 'ok' AND lower(model) = 'nosuchnet'$$),
       ('d_failed', $$status = 'failed'$$);
UPDATE pg_temp.direct SET q = format(
    'SELECT dlpg.trial_min(throughput) AS mn, dlpg.trial_max(throughput) AS mx, dlpg.trial_avg(throughput) AS av,
            dlpg.trial_median(throughput) AS md, dlpg.trial_median(batch_time_ms) AS mdt, count(*) AS n
       FROM dlpg.benchmarks WHERE %s', cond);
INSERT INTO pg_temp.plans SELECT 'dpar_' || nm, pg_temp.capture('dpar_' || nm, q, 2) FROM pg_temp.direct;
INSERT INTO pg_temp.plans SELECT 'dser_' || nm, pg_temp.capture('dser_' || nm, q, 0) FROM pg_temp.direct;
SELECT ok(p.plan ~ 'Partial Aggregate' AND p.plan ~ 'Workers Launched: [1-9]',
          format('%s: partial aggregation, workers launched', d.nm))
  FROM pg_temp.direct d JOIN pg_temp.plans p ON p.nm = 'dpar_' || d.nm ORDER BY d.nm;
SELECT results_eq(format('SELECT mn, mx, md, mdt, n FROM %I', 'dpar_' || nm),
                  format('SELECT mn, mx, md, mdt, n FROM %I', 'dser_' || nm),
                  format('%s: trial_min, trial_max, trial_median parallel = serial, exactly', nm))
  FROM pg_temp.direct ORDER BY nm;
SELECT ok((SELECT (p.av IS NULL AND s.av IS NULL) OR abs(p.av - s.av) <= 1e-12 * abs(s.av)
             FROM dpar_d_all p, dser_d_all s),
          'd_all: trial_avg parallel = serial to 1e-12 (sums in another order)');
SELECT ok((SELECT (p.av IS NULL AND s.av IS NULL) OR abs(p.av - s.av) <= 1e-12 * abs(s.av)
             FROM dpar_d_rare p, dser_d_rare s),
          'd_rare: trial_avg parallel = serial to 1e-12');
SELECT results_eq(
    $$SELECT mn, mx, n FROM dpar_d_all$$,
    $$SELECT min(throughput), max(throughput), count(*) FROM dlpg.benchmarks WHERE status = 'ok'$$,
    'd_all: trial_min, trial_max = min, max of the 200,000');
SELECT ok((SELECT abs(p.md - w.md) <= 1e-12 * w.md AND abs(p.mdt - w.mdt) <= 1e-12 * w.mdt
             FROM dpar_d_all p,
                  (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY throughput) AS md,
                          percentile_cont(0.5) WITHIN GROUP (ORDER BY batch_time_ms) AS mdt
                     FROM dlpg.benchmarks WHERE status = 'ok') w),
          'd_all: trial_median = percentile_cont(0.5) (an even count: the mean of the two middle values; to 1e-12, as percentile_cont interpolates)');
SELECT ok((SELECT abs(p.av - w.av) <= 1e-12 * w.av FROM dpar_d_all p,
                  (SELECT avg(throughput) AS av FROM dlpg.benchmarks WHERE status = 'ok') w),
          'd_all: trial_avg = avg (to 1e-12)');
SELECT results_eq(
    $$SELECT mn, mx, av, md, mdt, n FROM dpar_d_solo$$,
    $$SELECT throughput, throughput, throughput, throughput, batch_time_ms, 1::bigint FROM dlpg.benchmarks WHERE model = 'SoloNet'$$,
    'd_solo (one row, so most participants see none): every aggregate gives that row''s value');
SELECT results_eq(
    $$SELECT mn, mx, av, md, mdt, n FROM dpar_d_none$$,
    $$VALUES (NULL::float8, NULL::float8, NULL::float8, NULL::float8, NULL::float8, 0::bigint)$$,
    'd_none (no row at all, in parallel): every trial aggregate is NULL');

-- ---------------------------------------------------------------------------
-- Every function of schema dlpg that series_query's SQL uses is parallel safe
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE qtexts (txt text);
INSERT INTO pg_temp.qtexts
SELECT dlpg.series_query(x, y, f::jsonb, a, g)
  FROM (VALUES ('replica_batch', 'throughput', '{}', 'median', 'model'),
               ('precision', 'batch_time', '{"precision": "Single (FP32)", "model": ["resnet50"]}', 'avg', 'data_type'),
               ('data_type', 'throughput', '{"data_type": "synthetic", "scaling": "weak", "batch_size": 32}', 'best', 'precision'),
               ('model', 'batch_time', '{"scaling": "strong", "batch_size": [64, "128"], "server": "x", "interconnect": "y"}', 'min', 'cluster_size'),
               ('software', 'throughput', '{"processing_unit": "p", "framework": "f", "phase": "training"}', 'max', 'devices_per_node'),
               ('num_devices', 'throughput', '{"effective_batch": 64, "num_devices": [1, 2], "devices_per_node": 2}', 'avg', 'interconnect')
       ) AS c(x, y, f, a, g);
INSERT INTO pg_temp.qtexts SELECT pg_temp.plan_of(txt, true) FROM pg_temp.qtexts;
SELECT is_empty($$
    SELECT DISTINCT p.oid::regprocedure, p.proparallel
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace AND n.nspname = 'dlpg'
      JOIN pg_temp.qtexts t ON t.txt ~ ('(^|[^A-Za-z0-9_])' || p.proname || '\s*\(')
     WHERE p.proparallel <> 's'
$$, 'no function of schema dlpg in series_query''s SQL or plans is parallel unsafe or restricted');
SELECT ok(EXISTS (SELECT FROM pg_temp.qtexts WHERE txt ~ '\mtrial_median\s*\('),
          'series_query(..., median, ...) uses dlpg.trial_median (so the check above looks at the right text)');

SELECT * FROM finish();
ROLLBACK;
