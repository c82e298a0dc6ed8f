-- pgTAP: what the catalog shows a client (issue 10, item 6). dlpg.dictionary lists every
-- table, view, column and function of schema dlpg with its COMMENT, for clients that read no
-- comments (psqlODBC); the internal functions live in schema dlpg_internal, out of every
-- function list, not executable by PUBLIC; and the trial aggregates built on them still work
-- for a dlpg_reader, in serial and in parallel plans (support functions are checked against
-- the aggregate's owner).
BEGIN;
SELECT plan(39);

CREATE ROLE dlpg_catalog_reader IN ROLE dlpg_reader;
CREATE ROLE dlpg_catalog_nobody;

-- ---------------------------------------------------------------------------
-- dlpg_internal: the support functions, out of the way
-- ---------------------------------------------------------------------------
SELECT ok(EXISTS (SELECT FROM pg_depend d JOIN pg_namespace n ON n.oid = d.objid
                   WHERE d.classid = 'pg_namespace'::regclass AND n.nspname = 'dlpg_internal'
                     AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
                     AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'dlpg')),
          'schema dlpg_internal exists and belongs to the extension (DROP EXTENSION drops it)');
SELECT set_eq($$SELECT DISTINCT f.fn::regproc::text
                  FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
                 CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn,
                                                 a.aggserialfn, a.aggdeserialfn]::oid[]) AS f(fn)
                 WHERE p.pronamespace = 'dlpg'::regnamespace AND f.fn <> 0$$,
              $$SELECT 'dlpg_internal.' || unnest(ARRAY['trials_accum', 'trials_combine',
                   'trials_min_final', 'trials_max_final', 'trials_avg_final',
                   'trial_values_accum', 'trial_values_combine', 'trial_values_median_final',
                   'configs_accum', 'configs_accum_row', 'configs_combine', 'configs_count_final', 'configs_mixed_final',
                   'configs_summary_final'])$$,
              'the support functions of dlpg''s aggregates are five trials_*, three trial_values_* and six configs_* functions, all in dlpg_internal');
SELECT is((SELECT count(*) FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
            WHERE p.pronamespace = 'dlpg'::regnamespace), 11::bigint,
          'the four trial aggregates, trial_sample and point_configs, point_mixed, point_summary (values as arguments or as one record) are in dlpg (so the check above is not vacuous)');
SELECT set_eq($$SELECT p.proname::text FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
                 WHERE p.pronamespace = 'dlpg'::regnamespace$$,
              ARRAY['trial_min', 'trial_max', 'trial_avg', 'trial_median', 'trial_sample', 'point_configs', 'point_mixed',
                    'point_summary'],
              'dlpg''s aggregates: trial_min, trial_max, trial_avg, trial_median, trial_sample, point_configs, point_mixed, point_summary');
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p
                   WHERE p.pronamespace = 'dlpg'::regnamespace
                     AND (p.prorettype = 'internal'::regtype OR 'internal'::regtype = ANY (p.proargtypes))$$,
                'no function of schema dlpg takes or returns internal (support functions go to dlpg_internal)');
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p
                   WHERE p.pronamespace = 'dlpg'::regnamespace
                     AND p.proname IN ('trials_accum', 'configs_accum', 'configs_deserialize', 'write_axis_views')$$,
                'nothing of that name is left in dlpg');
SELECT set_eq($$SELECT proname::text FROM pg_proc WHERE pronamespace = 'dlpg_internal'::regnamespace
                 AND proname !~ '^(trials_|trial_values_|configs_|trial_state_|config_state_)'$$,
              ARRAY['write_axis_views', 'sample_measures', 'dlbs_time', 'mann_whitney'],
              'dlpg_internal holds, besides the support functions, write_axis_views, the update scripts'' derivations and mann_whitney');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'dlpg_internal'::regnamespace), 30::bigint,
          'dlpg_internal holds the fourteen support functions, the twelve input/output functions of the three state types, three helpers of the update scripts and mann_whitney (dlpg.compare''s test, for the tests)');

-- nobody but the owner may use the schema or run its functions
SELECT is_empty($$SELECT r FROM unnest(ARRAY['dlpg_reader', 'dlpg_writer', 'dlpg_catalog_nobody']) AS r
                   WHERE has_schema_privilege(r, 'dlpg_internal', 'USAGE')
                      OR has_schema_privilege(r, 'dlpg_internal', 'CREATE')$$,
                'no USAGE or CREATE on dlpg_internal for dlpg_reader, dlpg_writer or a role with no grant');
-- Citus checks EXECUTE on an aggregate's support functions for the user who runs the query
-- (PostgreSQL checks the aggregate's owner): the dlpg roles have it on those, and only those
SELECT set_eq($$SELECT r, p.oid::regprocedure::text FROM pg_proc p
                 CROSS JOIN unnest(ARRAY['dlpg_reader', 'dlpg_writer', 'dlpg_catalog_nobody']) AS r
                 WHERE p.pronamespace = 'dlpg_internal'::regnamespace AND has_function_privilege(r, p.oid, 'EXECUTE')$$,
              $$SELECT r, f.fn::regprocedure::text
                  FROM unnest(ARRAY['dlpg_reader', 'dlpg_writer']) AS r,
                       pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
                 CROSS JOIN LATERAL unnest(ARRAY[a.aggtransfn, a.aggfinalfn, a.aggcombinefn]::oid[]) AS f(fn)
                 WHERE p.pronamespace = 'dlpg'::regnamespace AND f.fn <> 0$$,
              'EXECUTE on dlpg_internal: dlpg_reader and dlpg_writer on the aggregates'' support functions (Citus checks the caller), nothing else, nobody else');
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p CROSS JOIN LATERAL aclexplode(p.proacl) AS a
                   WHERE p.pronamespace = 'dlpg_internal'::regnamespace AND a.grantee = 0$$,
                'PUBLIC is granted nothing on dlpg_internal''s functions');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'dlpg_internal'::regnamespace AND proacl IS NULL),
          0::bigint, 'every dlpg_internal function has an explicit ACL (a NULL ACL would mean EXECUTE for PUBLIC)');

-- comments: every function of both schemas, and the schema
SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p
                   WHERE p.pronamespace IN ('dlpg'::regnamespace, 'dlpg_internal'::regnamespace)
                     AND coalesce(obj_description(p.oid, 'pg_proc'), '') = ''$$,
                'every function of dlpg and dlpg_internal has a COMMENT');
SELECT isnt(obj_description('dlpg_internal'::regnamespace, 'pg_namespace'), NULL, 'schema dlpg_internal has a COMMENT');

-- ---------------------------------------------------------------------------
-- dlpg.dictionary, against the catalog as information_schema and pg_proc describe it
-- ---------------------------------------------------------------------------
SELECT set_eq($$SELECT object, "column" FROM dlpg.dictionary WHERE "column" IS NOT NULL$$,
              $$SELECT 'dlpg.' || table_name, column_name::text FROM information_schema.columns
                 WHERE table_schema = 'dlpg'$$,
              'dlpg.dictionary: one row per column of every table and view of dlpg (information_schema.columns)');
SELECT set_eq($$SELECT object, type FROM dlpg.dictionary WHERE type IN ('table', 'view')$$,
              $$SELECT 'dlpg.' || table_name, CASE table_type WHEN 'VIEW' THEN 'view' ELSE 'table' END
                  FROM information_schema.tables WHERE table_schema = 'dlpg'$$,
              'dlpg.dictionary: one row per table and view of dlpg (information_schema.tables), with its kind');
SELECT set_eq($$SELECT object, split_part(type, '(', 1) FROM dlpg.dictionary
                 WHERE "column" IS NULL AND type NOT IN ('table', 'view')$$,
              $$SELECT 'dlpg.' || proname, CASE prokind WHEN 'a' THEN 'aggregate' ELSE 'function' END
                  FROM pg_proc WHERE pronamespace = 'dlpg'::regnamespace$$,
              'dlpg.dictionary: one row per function and aggregate of dlpg (pg_proc), with its kind');
SELECT is_empty($$SELECT object, "column" FROM dlpg.dictionary WHERE coalesce(description, '') = ''$$,
                'dlpg.dictionary: every object and column has a description (every one has a COMMENT)');
SELECT is_empty($$SELECT object FROM dlpg.dictionary WHERE object NOT LIKE 'dlpg.%' OR object LIKE '%trials%'$$,
                'dlpg.dictionary: nothing of dlpg_internal or other schemas');
SELECT results_eq($$SELECT type, description FROM dlpg.dictionary WHERE object = 'dlpg.benchmarks' AND "column" = 'params'$$,
                  $$SELECT 'jsonb', col_description('dlpg.benchmarks'::regclass,
                           (SELECT attnum FROM pg_attribute WHERE attrelid = 'dlpg.benchmarks'::regclass AND attname = 'params')::int)$$,
                  'dlpg.dictionary: a column''s type and COMMENT (dlpg.benchmarks.params: jsonb)');
SELECT is((SELECT type FROM dlpg.dictionary WHERE object = 'dlpg.benchmarks' AND "column" = 'batch_times_ms'),
          'double precision[]', 'dlpg.dictionary: an array column''s type (double precision[])');
SELECT results_eq($$SELECT description FROM dlpg.dictionary WHERE object = 'dlpg.series'$$,
                  $$SELECT obj_description(p.oid, 'pg_proc') COLLATE "default" FROM pg_proc p
                     WHERE p.pronamespace = 'dlpg'::regnamespace AND p.proname = 'series'$$,
                  'dlpg.dictionary: a function''s COMMENT (dlpg.series)');
SELECT matches((SELECT type FROM dlpg.dictionary WHERE object = 'dlpg.series'),
               '^function\(x_axis text, y_axis text DEFAULT ''throughput''::text, .*\) returns TABLE\(series text, x text, ',
               'dlpg.dictionary: a function''s type is its arguments with their defaults and its result');
SELECT matches((SELECT type FROM dlpg.dictionary WHERE object = 'dlpg.trial_median'),
               '^aggregate\(double precision\) returns double precision$', 'dlpg.dictionary: an aggregate''s type');
SELECT results_eq($$SELECT object, "column" FROM dlpg.dictionary WHERE object IN ('dlpg.y_axes', 'dlpg.x_axes')$$,
                  $$VALUES ('dlpg.x_axes', NULL), ('dlpg.x_axes', 'name'), ('dlpg.x_axes', 'label'),
                           ('dlpg.x_axes', 'description'), ('dlpg.x_axes', 'ord'),
                           ('dlpg.y_axes', NULL), ('dlpg.y_axes', 'name'), ('dlpg.y_axes', 'label'),
                           ('dlpg.y_axes', 'unit'), ('dlpg.y_axes', 'better')$$,
                  'dlpg.dictionary: in order: by object, the object first, then its columns in their order');
SELECT isnt(obj_description('dlpg.dictionary'::regclass, 'pg_class'), NULL, 'dlpg.dictionary has a COMMENT');

-- who may read it
CREATE TEMP TABLE dict_owner AS SELECT * FROM dlpg.dictionary;
GRANT SELECT ON dict_owner TO PUBLIC;
SET LOCAL ROLE dlpg_catalog_reader;
SELECT set_eq('SELECT * FROM dlpg.dictionary', 'SELECT * FROM pg_temp.dict_owner',
              'a dlpg_reader reads dlpg.dictionary, and sees what the owner sees');
RESET ROLE;
SET LOCAL ROLE dlpg_catalog_nobody;
SELECT throws_ok('SELECT * FROM dlpg.dictionary', '42501', NULL, 'a role without dlpg_reader does not');
RESET ROLE;

-- ---------------------------------------------------------------------------
-- The trial aggregates for a dlpg_reader: serial, then parallel (partial aggregation in the
-- workers: transition, serial and deserial functions run there, the combine and final
-- functions in the leader, all as the reader)
-- ---------------------------------------------------------------------------
INSERT INTO dlpg.benchmarks (status, model, precision, phase, framework, data_type, device_type,
                             replica_batch, effective_batch, num_devices, devices_per_node, num_nodes,
                             batch_time_ms, throughput, params, dedup_key)
SELECT 'ok', (ARRAY['CatNetA', 'CatNetB', 'CatNetC'])[1 + g % 3], 'fp32', 'training', 'CatFW', 'synthetic', 'gpu',
       (ARRAY[1, 2, 4, 8])[1 + (g / 3) % 4], 8, 1, 1, 1,
       1 + (g::bigint * 7919 % 1003) / 7.0, 1 + (g::bigint * 104729 % 10007) / 3.0, '{}', 'catalog-' || g
  FROM generate_series(1, 30000) AS g;
ANALYZE dlpg.benchmarks;

-- what PostgreSQL's own aggregates say, as the owner
CREATE TEMP TABLE want AS
SELECT model, replica_batch, min(throughput) AS mn, max(throughput) AS mx, avg(throughput) AS av,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY throughput) AS md, count(*) AS n
  FROM dlpg.benchmarks WHERE model LIKE 'CatNet%' GROUP BY model, replica_batch;
GRANT SELECT ON want TO PUBLIC;
CREATE TEMP TABLE got (workers int, model text, replica_batch int, mn float8, mx float8, av float8, md float8, n bigint);
GRANT SELECT, INSERT ON got TO PUBLIC;
CREATE TEMP TABLE plans (workers int, plan text);
GRANT SELECT, INSERT ON plans TO PUBLIC;
CREATE TEMP TABLE series_got (workers int, agg text, series text, x text, x_rank int, y float8, n bigint,
                              x_value float8, configs int, mixed text[]);
GRANT SELECT, INSERT ON series_got TO PUBLIC;

SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL ROLE dlpg_catalog_reader;
SELECT is(current_user::text, 'dlpg_catalog_reader', 'what follows runs as a dlpg_reader, not a superuser');
SELECT throws_ok('SELECT dlpg_internal.trials_min_final(NULL)', '42501', NULL,
                 'a dlpg_reader cannot call a support function');
DO $$
DECLARE
    q text := $q$SELECT model, replica_batch, dlpg.trial_min(throughput), dlpg.trial_max(throughput),
                        dlpg.trial_avg(throughput), dlpg.trial_median(throughput), count(*)
                   FROM dlpg.benchmarks WHERE model LIKE 'CatNet%' GROUP BY model, replica_batch$q$;
    w int;
    r text;
    acc text;
BEGIN
    FOREACH w IN ARRAY ARRAY[0, 2] LOOP
        PERFORM set_config('max_parallel_workers_per_gather', w::text, true);
        acc := '';
        FOR r IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || q LOOP
            acc := acc || r || E'\n';
        END LOOP;
        INSERT INTO pg_temp.plans VALUES (w, acc);
        EXECUTE 'INSERT INTO pg_temp.got SELECT ' || w || ', * FROM (' || q || ') s';
        INSERT INTO pg_temp.series_got
        SELECT w, a, s.* FROM unnest(ARRAY['min', 'max', 'avg', 'median']) AS a
         CROSS JOIN LATERAL dlpg.series('replica_batch', 'throughput', '{"framework": "CatFW"}', a, 'model') AS s;
    END LOOP;
END $$;
RESET ROLE;

SELECT doesnt_match((SELECT plan FROM plans WHERE workers = 0), 'Gather',
                    'reader, max_parallel_workers_per_gather = 0: a serial plan');
SELECT matches((SELECT plan FROM plans WHERE workers = 2), 'Partial (Hash|Group)?Aggregate',
               'reader, parallel settings: the plan aggregates partially');
SELECT matches((SELECT plan FROM plans WHERE workers = 2), 'Workers Launched: [1-9]',
               'reader, parallel settings: workers launched');
SELECT is((SELECT count(*) FROM got WHERE workers = 0), 12::bigint, 'reader, serial: 12 groups (3 models x 4 batches)');
SELECT is((SELECT count(*) FROM got WHERE workers = 2), 12::bigint, 'reader, parallel: 12 groups');
SELECT is_empty($$SELECT * FROM want w FULL JOIN (SELECT * FROM got WHERE workers = 0) g USING (model, replica_batch)
                   WHERE g.n IS DISTINCT FROM w.n OR g.mn IS DISTINCT FROM w.mn OR g.mx IS DISTINCT FROM w.mx
                      OR NOT (abs(g.av - w.av) <= 1e-12 * w.av) OR NOT (abs(g.md - w.md) <= 1e-12 * w.md)$$,
                'reader, serial: trial_min/max/avg/median = min/max/avg/percentile_cont(0.5)');
SELECT is_empty($$SELECT * FROM want w FULL JOIN (SELECT * FROM got WHERE workers = 2) g USING (model, replica_batch)
                   WHERE g.n IS DISTINCT FROM w.n OR g.mn IS DISTINCT FROM w.mn OR g.mx IS DISTINCT FROM w.mx
                      OR NOT (abs(g.av - w.av) <= 1e-12 * w.av) OR NOT (abs(g.md - w.md) <= 1e-12 * w.md)$$,
                'reader, parallel: the same answers');
SELECT is((SELECT count(*) FROM series_got WHERE workers = 0), 48::bigint,
          'reader, serial: dlpg.series, 12 points for each of min, max, avg, median');
SELECT is_empty($$SELECT * FROM (SELECT * FROM series_got WHERE workers = 0) s
                   FULL JOIN (SELECT * FROM series_got WHERE workers = 2) p USING (agg, series, x)
                   WHERE p.n IS DISTINCT FROM s.n OR p.x_rank IS DISTINCT FROM s.x_rank
                      OR p.x_value IS DISTINCT FROM s.x_value OR p.configs IS DISTINCT FROM s.configs
                      OR p.mixed IS DISTINCT FROM s.mixed
                      OR NOT (abs(p.y - s.y) <= 1e-12 * s.y)$$,
                'reader: dlpg.series under parallel settings = serial (avg to 1e-12; x_value, configs, mixed equal)');

SELECT * FROM finish();
ROLLBACK;
