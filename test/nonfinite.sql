-- pgTAP: the trial aggregates on non-finite values (issue 8, item 9), serial and parallel,
-- against PostgreSQL's own aggregates, and charts of non-finite points.
--   trial_min / trial_max   as min(float8) / max(float8): NaN sorts above everything
--   trial_avg               as avg(float8): an infinity gives it, both infinities or any NaN NaN
--   trial_median            the middle value, or avg(float8) of the two middle ones, in
--                           PostgreSQL's float order (the reference is computed in SQL)
-- Finite sums stay within float8 (avg(float8) raises on overflow where trial_avg does not).
BEGIN;
SELECT plan(30);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- Sets of values, one group each; a table (not a temporary one) so that it can be scanned
-- in parallel.
CREATE TABLE public.nonfinite_sets (grp int NOT NULL, v float8);
INSERT INTO public.nonfinite_sets (grp, v)
SELECT s.grp, x
  FROM (VALUES (1, '{1, Infinity}'::float8[]),
               (2, '{-Infinity, 1}'),
               (3, '{Infinity, -Infinity}'),
               (4, '{NaN, 1}'),
               (5, '{NaN, Infinity}'),
               (6, '{Infinity, Infinity}'),
               (7, '{-Infinity, -Infinity}'),
               (8, '{1, 2, Infinity}'),
               (9, '{NaN}'),
               (10, '{Infinity}'),
               (11, '{-Infinity}'),
               (12, '{-Infinity, NaN, Infinity}'),
               (13, '{1e308, Infinity}'),
               (14, '{-Infinity, NaN}'),
               (15, '{1, 2, 3, 4}'),
               (16, '{NaN, NaN, 5}'),
               (17, '{-Infinity, 3, 4, Infinity}'),
               (18, '{Infinity, 2, Infinity, 7, NULL}'),
               (19, '{-Infinity, -Infinity, 9, NaN}')) AS s(grp, vals),
       unnest(s.vals) AS x;
-- The same sets, each among 10,000 finite values (integers: every sum is exact, so the
-- built-in and the compensated means agree to the bit), so that parallel workers each see
-- part of a group and the states meet in the combine function.
INSERT INTO public.nonfinite_sets (grp, v)
SELECT 100 + grp, v FROM public.nonfinite_sets;
INSERT INTO public.nonfinite_sets (grp, v)
SELECT 100 + (g % 19) + 1, (g % 1000)::float8 FROM generate_series(1, 190000) AS g;
ANALYZE public.nonfinite_sets;

-- The reference median: the middle row, or avg() of the two middle rows, in float8 order.
CREATE TEMP VIEW reference_median AS
SELECT grp, avg(v) AS median
  FROM (SELECT grp, v, row_number() OVER (PARTITION BY grp ORDER BY v) AS rn,
               count(*) OVER (PARTITION BY grp) AS c
          FROM public.nonfinite_sets WHERE v IS NOT NULL) AS s
 WHERE rn IN ((c + 1) / 2, (c + 2) / 2)
 GROUP BY grp;

-- Does the plan of a query aggregate in parallel (a Partial Aggregate under a Gather)?
CREATE FUNCTION pg_temp.plan_is_parallel(q text) RETURNS boolean LANGUAGE plpgsql AS $f$
DECLARE
    line text;
    partial boolean := false;
    gather boolean := false;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || q LOOP
        partial := partial OR line ~ 'Partial (Hash|Group|Mixed)?Aggregate';
        gather := gather OR line ~ 'Gather';
    END LOOP;
    RETURN partial AND gather;
END
$f$;

-- ---------------------------------------------------------------------------
-- Serial: each aggregate against the built-in, group by group
-- ---------------------------------------------------------------------------
-- The trial aggregates of every group, computed by one top-level CREATE TABLE AS under the
-- plan settings in force (pgTAP's results_eq reads through a cursor, which never runs in
-- parallel: the answers must be made here to come from a parallel plan).
CREATE FUNCTION pg_temp.trial_aggs_sql(tbl text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT format('CREATE TEMP TABLE %I AS SELECT grp, dlpg.trial_min(v) AS trial_min, dlpg.trial_max(v) AS trial_max,
                          dlpg.trial_avg(v) AS trial_avg, dlpg.trial_median(v) AS trial_median
                     FROM public.nonfinite_sets GROUP BY grp', tbl)
$f$;

-- Each trial aggregate in table tbl against the built-in one (the median against
-- reference_median), group by group; mode names the plan in the descriptions.
CREATE FUNCTION pg_temp.against_builtins(mode text, tbl text) RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE
    agg record;
BEGIN
    FOR agg IN VALUES
        ('trial_min', 'min(v)', 'is min(float8) on sets with infinities and NaN'),
        ('trial_max', 'max(v)', 'is max(float8) (NaN above everything)'),
        ('trial_avg', 'avg(v)', 'is avg(float8): ±Infinity, or NaN for both infinities or any NaN')
    LOOP
        RETURN NEXT results_eq(
            format('SELECT grp, %I FROM %I ORDER BY grp', agg.column1, tbl),
            format('SELECT grp, %s FROM public.nonfinite_sets GROUP BY grp ORDER BY grp', agg.column2),
            format('%s: %s %s', mode, agg.column1, agg.column3));
    END LOOP;
    RETURN NEXT results_eq(
        format('SELECT grp, trial_median FROM %I ORDER BY grp', tbl),
        'SELECT grp, median FROM reference_median ORDER BY grp',
        mode || ': trial_median is the middle value, or avg(float8) of the middle two');
END $f$;

SET LOCAL max_parallel_workers_per_gather = 0;
SELECT pg_temp.trial_aggs_sql('serial_aggs') AS serial_sql \gset
:serial_sql;
SELECT * FROM pg_temp.against_builtins('serial', 'serial_aggs');

-- A few answers spelled out, so the comparisons above are not only self-consistent.
SELECT is((SELECT dlpg.trial_avg(v) FROM public.nonfinite_sets WHERE grp = 1), 'Infinity'::float8,
          'trial_avg(1, Infinity) = Infinity');
SELECT is((SELECT dlpg.trial_avg(v) FROM public.nonfinite_sets WHERE grp = 2), '-Infinity'::float8,
          'trial_avg(-Infinity, 1) = -Infinity');
SELECT ok((SELECT dlpg.trial_avg(v) FROM public.nonfinite_sets WHERE grp = 3) = 'NaN'::float8,
          'trial_avg(Infinity, -Infinity) is NaN');
SELECT ok((SELECT dlpg.trial_avg(v) FROM public.nonfinite_sets WHERE grp = 4) = 'NaN'::float8,
          'trial_avg(NaN, 1) is NaN');
SELECT is((SELECT dlpg.trial_min(v) FROM public.nonfinite_sets WHERE grp = 4), 1::float8,
          'trial_min(NaN, 1) = 1');
SELECT ok((SELECT dlpg.trial_max(v) FROM public.nonfinite_sets WHERE grp = 4) = 'NaN'::float8,
          'trial_max(NaN, 1) is NaN');
SELECT is((SELECT dlpg.trial_median(v) FROM public.nonfinite_sets WHERE grp = 6), 'Infinity'::float8,
          'trial_median(Infinity, Infinity) = Infinity');
SELECT is((SELECT dlpg.trial_median(v) FROM public.nonfinite_sets WHERE grp = 17), 3.5::float8,
          'trial_median(-Infinity, 3, 4, Infinity) = 3.5');
SELECT ok((SELECT dlpg.trial_median(v) FROM public.nonfinite_sets WHERE grp = 3) = 'NaN'::float8,
          'trial_median(Infinity, -Infinity) is NaN');
SELECT is((SELECT dlpg.trial_avg(v) FROM public.nonfinite_sets WHERE grp = 15), 2.5::float8,
          'trial_avg(1, 2, 3, 4) = 2.5: finite sets unchanged');

-- ---------------------------------------------------------------------------
-- Parallel: the same answers when states are split, serialized and combined
-- ---------------------------------------------------------------------------
SET LOCAL max_parallel_workers_per_gather = 2;
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
SELECT ok(pg_temp.plan_is_parallel($$SELECT grp, dlpg.trial_avg(v) FROM public.nonfinite_sets GROUP BY grp$$),
          'parallel: the plan has a Partial Aggregate under a Gather');
SELECT ok(pg_temp.plan_is_parallel($$SELECT grp, dlpg.trial_median(v) FROM public.nonfinite_sets GROUP BY grp$$),
          'parallel: trial_median too');
SELECT pg_temp.trial_aggs_sql('parallel_aggs') AS parallel_sql \gset
SELECT ok(pg_temp.plan_is_parallel(:'parallel_sql'), 'parallel: the CREATE TABLE AS that makes the answers below too');
:parallel_sql;
SELECT * FROM pg_temp.against_builtins('parallel', 'parallel_aggs');
CREATE TEMP TABLE parallel_one_group AS
SELECT dlpg.trial_avg(v), dlpg.trial_min(v), dlpg.trial_max(v) FROM public.nonfinite_sets WHERE grp > 100;
SELECT results_eq(
    $$SELECT * FROM parallel_one_group$$,
    $$SELECT avg(v), min(v), max(v) FROM public.nonfinite_sets WHERE grp > 100$$,
    'parallel, one group over every set: NaN wins, as in avg/min/max(float8)');
RESET max_parallel_workers_per_gather;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET parallel_leader_participation;

-- ---------------------------------------------------------------------------
-- Charts: a point whose value is not finite is not drawn
-- ---------------------------------------------------------------------------
-- Written directly, past the status constraint (dropped in this transaction, which rolls
-- back): ingest marks such measures failed and the constraint refuses them as ok, but the chart
-- must not draw a wrong point from whatever series it is given.
ALTER TABLE dlpg.benchmarks DROP CONSTRAINT benchmarks_status_valid;
INSERT INTO dlpg.benchmarks (status, model, precision, phase, device_type, replica_batch, effective_batch,
                             num_devices, devices_per_node, num_nodes, batch_time_ms, throughput, params, dedup_key)
VALUES ('ok', 'FiniteNet', 'fp32', 'training', 'gpu', 32, 32, 1, 1, 1, 10, 3200, '{}', 'nf-1'),
       ('ok', 'FiniteNet', 'fp32', 'training', 'gpu', 64, 64, 1, 1, 1, 20, 3200, '{}', 'nf-2'),
       ('ok', 'InfNet', 'fp32', 'training', 'gpu', 32, 32, 1, 1, 1, 'Infinity', 'Infinity', '{}', 'nf-3'),
       ('ok', 'InfNet', 'fp32', 'training', 'gpu', 64, 64, 1, 1, 1, 15, 4000, '{}', 'nf-4'),
       ('ok', 'NaNNet', 'fp32', 'training', 'gpu', 32, 32, 1, 1, 1, 'NaN', 'NaN', '{}', 'nf-5');

CREATE TEMP TABLE nf_charts AS
SELECT kind, dlpg.chart(x, 'throughput', '{}', 'avg', 'model') AS svg,
       dlpg.chart(x, 'throughput', '{}', 'avg', 'model', NULL, 'vega-lite') AS vl
  FROM (VALUES ('bars', 'model'), ('lines', 'replica_batch')) AS c(kind, x);

SELECT is((SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', 'avg', 'model') WHERE y = 'Infinity' OR y = 'NaN'),
          2::bigint, 'the bar chart''s series has two non-finite points (so the checks below are not vacuous)');
SELECT ok(xml_is_well_formed_document(svg), kind || ': the SVG is well-formed') FROM nf_charts ORDER BY kind;
SELECT is_empty($$SELECT kind, m[1] FROM nf_charts, regexp_matches(svg, '="([^"]*(inf|nan)[^"]*)"', 'gi') AS m$$,
                'no attribute of either SVG holds inf or nan (no y="-Infinity", no NaN coordinate)');
SELECT is((SELECT array_length(xpath('//*[@class="mark"]', svg::xml, ARRAY[ARRAY['svg', 'http://www.w3.org/2000/svg']]), 1)
             FROM nf_charts WHERE kind = c.kind),
          (SELECT count(*)::int FROM dlpg.series(c.x, 'throughput', '{}', 'avg', 'model') WHERE y <> 'Infinity' AND y <> 'NaN'),
          c.kind || ': one mark per finite point, none for the others')
  FROM (VALUES ('bars', 'model'), ('lines', 'replica_batch')) AS c(kind, x) ORDER BY c.kind;
SELECT ok((SELECT svg LIKE '%2 points not drawn: value not finite%' FROM nf_charts WHERE kind = 'bars'),
          'the SVG says how many points it left out');
SELECT is((SELECT count(*) FROM nf_charts, jsonb_array_elements(vl::jsonb -> 'data' -> 'values') AS e
            WHERE kind = 'bars' AND e -> 'y' = 'null'::jsonb),
          2::bigint, 'Vega-Lite: the non-finite points are there, with y null');

SELECT * FROM finish();
ROLLBACK;
