-- pgTAP: the aggregates' state types (issue 11 item 2). dlpg.trial_state (trial_min, max,
-- avg), dlpg.trial_values (trial_median) and dlpg.config_state (point_configs, point_mixed)
-- are real types so that Citus can ship partial states between nodes, as their text. Here:
-- the text and binary forms round-trip exactly; partial states passed as text and combined
-- give the aggregates' own answers (what Citus's worker_partial_agg / coord_combine_agg do);
-- a flat state (an INITCOND, a value read back) is taken up and changed correctly; garbage is
-- an error (22P02 or 22P03), never a state; window use and parallel plans stay right.
BEGIN;
SELECT plan(27);

CREATE TEMP TABLE t AS
SELECT i, (i % 5) AS g,
       CASE WHEN i % 97 = 0 THEN NULL ELSE (i::bigint * 7919 % 1009) / 7.0 END::float8 AS x,
       (ARRAY['fp16', 'fp32', NULL])[1 + i % 3] AS prec, (i % 4)::int AS batch
  FROM generate_series(1, 5000) AS i;

-- Aggregates that return their state (no final function), and ones that combine states
CREATE AGGREGATE pg_temp.tstate(float8) (SFUNC = dlpg_internal.trials_accum, STYPE = dlpg.trial_state);
CREATE AGGREGATE pg_temp.vstate(float8) (SFUNC = dlpg_internal.trial_values_accum, STYPE = dlpg.trial_values);
CREATE AGGREGATE pg_temp.cstate(text[], record) (SFUNC = dlpg_internal.configs_accum_row, STYPE = dlpg.config_state);
CREATE AGGREGATE pg_temp.tavg(dlpg.trial_state) (SFUNC = dlpg_internal.trials_combine, STYPE = dlpg.trial_state,
                                                 FINALFUNC = dlpg_internal.trials_avg_final);
CREATE AGGREGATE pg_temp.tmin(dlpg.trial_state) (SFUNC = dlpg_internal.trials_combine, STYPE = dlpg.trial_state,
                                                 FINALFUNC = dlpg_internal.trials_min_final);
CREATE AGGREGATE pg_temp.tmax(dlpg.trial_state) (SFUNC = dlpg_internal.trials_combine, STYPE = dlpg.trial_state,
                                                 FINALFUNC = dlpg_internal.trials_max_final);
CREATE AGGREGATE pg_temp.vmedian(dlpg.trial_values) (SFUNC = dlpg_internal.trial_values_combine,
                                                     STYPE = dlpg.trial_values,
                                                     FINALFUNC = dlpg_internal.trial_values_median_final,
                                                     FINALFUNC_MODIFY = READ_WRITE);
CREATE AGGREGATE pg_temp.ccount(dlpg.config_state) (SFUNC = dlpg_internal.configs_combine, STYPE = dlpg.config_state,
                                                    FINALFUNC = dlpg_internal.configs_count_final);
CREATE AGGREGATE pg_temp.cmixed(dlpg.config_state) (SFUNC = dlpg_internal.configs_combine, STYPE = dlpg.config_state,
                                                    FINALFUNC = dlpg_internal.configs_mixed_final);

-- Partial states per (g, shard), as text: what a Citus worker sends for each group of each shard
CREATE TEMP TABLE partial AS
SELECT g, i % 7 AS shard, pg_temp.tstate(x)::text AS ts, pg_temp.vstate(x)::text AS vs,
       pg_temp.cstate(ARRAY['batch', 'precision'], ROW(batch, prec))::text AS cs
  FROM t GROUP BY g, i % 7;

SELECT is((SELECT count(*) FROM partial), 35::bigint, '35 partial states per type (5 groups x 7 shards)');

-- ---------------------------------------------------------------------------
-- Text and binary forms
-- ---------------------------------------------------------------------------
SELECT is_empty($$SELECT g, shard FROM partial
                   WHERE ts::dlpg.trial_state::text <> ts OR vs::dlpg.trial_values::text <> vs
                      OR cs::dlpg.config_state::text <> cs$$,
                'text -> state -> text gives the same text, for every partial state of the three types');
SELECT is_empty($$SELECT g, shard FROM partial
                   WHERE ts !~ '^[0-9a-f]+$' OR vs !~ '^[0-9a-f]+$' OR cs !~ '^[0-9a-f]+$'
                      OR length(ts) <> 108 OR length(vs) <> 108 + 16 * (SELECT count(x) FROM t
                                                                          WHERE t.g = partial.g AND t.i % 7 = partial.shard)$$,
                'the text form is lowercase hex: 54 bytes for a trial_state, 54 + 8 per value for a trial_values');
SELECT is_empty($$SELECT g, shard FROM partial
                   WHERE encode(dlpg_internal.trial_state_send(ts::dlpg.trial_state), 'hex') <> ts
                      OR encode(dlpg_internal.trial_values_send(vs::dlpg.trial_values), 'hex') <> vs
                      OR encode(dlpg_internal.config_state_send(cs::dlpg.config_state), 'hex') <> cs$$,
                'the binary form is the same wire bytes as the text form');
-- binary in and out through COPY ... (FORMAT binary)
CREATE TEMP TABLE typed AS
SELECT g, shard, ts::dlpg.trial_state AS ts, vs::dlpg.trial_values AS vs, cs::dlpg.config_state AS cs FROM partial;
CREATE TEMP TABLE typed_back (LIKE typed);
SELECT set_config('dlpg.test_copyfile', format('/tmp/dlpg_state_types_%s.bin', pg_backend_pid()), true) AS copyfile \gset
COPY typed TO :'copyfile' WITH (FORMAT binary);
COPY typed_back FROM :'copyfile' WITH (FORMAT binary);
DO $$ BEGIN EXECUTE format('COPY (SELECT) TO PROGRAM %L', 'rm -f ' || current_setting('dlpg.test_copyfile')); END $$;
SELECT is_empty($$SELECT g, shard, ts::text, vs::text, cs::text FROM typed
                  EXCEPT SELECT g, shard, ts::text, vs::text, cs::text FROM typed_back$$,
                'COPY (FORMAT binary) out and in: the same states (send, then recv, checked)');

-- ---------------------------------------------------------------------------
-- Partial states combined from their text = the aggregate over all rows
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE direct AS
SELECT g, dlpg.trial_min(x) AS mn, dlpg.trial_max(x) AS mx, dlpg.trial_avg(x) AS av, dlpg.trial_median(x) AS md,
       dlpg.point_configs(ARRAY['batch', 'precision'], ROW(batch, prec)) AS configs,
       dlpg.point_mixed(ARRAY['batch', 'precision'], ROW(batch, prec)) AS mixed,
       dlpg.point_configs(ARRAY['batch', 'precision'], batch, prec) AS vconfigs,
       dlpg.point_mixed(ARRAY['batch', 'precision'], batch, prec) AS vmixed,
       dlpg.point_summary(ARRAY['batch', 'precision'], batch, prec) AS vsummary,
       dlpg.point_summary(ARRAY['batch', 'precision'], ROW(batch, prec)) AS rsummary,
       min(x) AS pmn, max(x) AS pmx, avg(x) AS pav, percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS pmd,
       count(DISTINCT (batch, coalesce(prec, '<null>'))) AS pconfigs
  FROM t GROUP BY g;
CREATE TEMP TABLE combined AS
SELECT g, pg_temp.tmin(ts::dlpg.trial_state) AS mn, pg_temp.tmax(ts::dlpg.trial_state) AS mx,
       pg_temp.tavg(ts::dlpg.trial_state) AS av, pg_temp.vmedian(vs::dlpg.trial_values) AS md,
       pg_temp.ccount(cs::dlpg.config_state) AS configs, pg_temp.cmixed(cs::dlpg.config_state) AS mixed
  FROM partial GROUP BY g;
SELECT is_empty($$SELECT g FROM direct WHERE mn IS DISTINCT FROM pmn OR mx IS DISTINCT FROM pmx
                      OR abs(av - pav) > 1e-12 * abs(pav) OR md IS DISTINCT FROM pmd OR configs <> pconfigs$$,
                'the aggregates over all rows: PostgreSQL''s min, max, avg (1e-12), percentile_cont, count(DISTINCT)');
SELECT is_empty($$SELECT g FROM direct WHERE configs <> vconfigs OR mixed <> vmixed$$,
                'point_configs and point_mixed: the same with the values as one record (ROW) and as arguments');
SELECT is_empty($$SELECT g FROM direct WHERE vsummary IS DISTINCT FROM ROW(configs, mixed)::dlpg.point_summary
                                        OR rsummary IS DISTINCT FROM vsummary$$,
                'point_summary (both forms): (point_configs, point_mixed) of the same rows');
SELECT results_eq($$SELECT g, mn, mx, md, configs, mixed FROM combined ORDER BY g$$,
                  $$SELECT g, mn, mx, md, configs, mixed FROM direct ORDER BY g$$,
                  'partial states as text, combined: the same min, max, median, configurations and mixed axes, exactly');
SELECT is_empty($$SELECT g FROM combined c JOIN direct d USING (g) WHERE abs(c.av - d.av) > 1e-12 * abs(d.av)$$,
                '... and the same mean (1e-12: the sums are added in another order)');
SELECT is((SELECT count(*) FROM combined WHERE mixed = ARRAY['batch', 'precision']), 5::bigint,
          'every group mixes batch and precision (so the check above is not vacuous)');
-- a state from no rows and a state of NULLs combine like nothing
SELECT is(pg_temp.tavg(s), 2::float8, 'combining with an empty state and a state of NULLs changes nothing')
  FROM (SELECT pg_temp.tstate(x) AS s FROM (VALUES (1::float8), (3)) v(x)
        UNION ALL SELECT pg_temp.tstate(NULL::float8)
        UNION ALL SELECT pg_temp.tstate(x) FROM t WHERE false) s;
SELECT is((SELECT pg_temp.tavg(NULL::dlpg.trial_state) FROM generate_series(1, 3)), NULL::float8,
          'combining NULL states only: NULL');

-- ---------------------------------------------------------------------------
-- A flat state taken up by a transition function (an INITCOND)
-- ---------------------------------------------------------------------------
SELECT lives_ok(format($$CREATE AGGREGATE pg_temp.median_from(float8) (SFUNC = dlpg_internal.trial_values_accum,
                           STYPE = dlpg.trial_values, FINALFUNC = dlpg_internal.trial_values_median_final,
                           FINALFUNC_MODIFY = READ_WRITE, INITCOND = %L)$$,
                        (SELECT pg_temp.vstate(x)::text FROM (VALUES (10::float8), (20), (30)) v(x))),
                'an aggregate whose INITCOND is a trial_values state of 10, 20, 30');
SELECT is((SELECT pg_temp.median_from(x) FROM (VALUES (1::float8), (2)) v(x)), 10::float8,
          'it starts from the flat state: median of 10, 20, 30, 1, 2 = 10');
SELECT is((SELECT pg_temp.median_from(x) FROM (VALUES (40::float8), (50), (60)) v(x)), 35::float8,
          '... each group from the same INITCOND (the flat value is copied, not changed): median of 10..60 = 35');
SELECT lives_ok(format($$CREATE AGGREGATE pg_temp.avg_from(float8) (SFUNC = dlpg_internal.trials_accum,
                           STYPE = dlpg.trial_state, FINALFUNC = dlpg_internal.trials_avg_final, INITCOND = %L)$$,
                        (SELECT pg_temp.tstate(x)::text FROM (VALUES (10::float8), (20)) v(x))),
                'an aggregate whose INITCOND is a trial_state of 10, 20');
SELECT results_eq($$SELECT g, pg_temp.avg_from(x) FROM (VALUES (1, 30::float8), (2, 0), (2, 0)) v(g, x) GROUP BY g ORDER BY g$$,
                  $$VALUES (1, 20::float8), (2, 7.5::float8)$$,
                  'each group starts from it: (10 + 20 + 30) / 3 and (10 + 20 + 0 + 0) / 4');

-- ---------------------------------------------------------------------------
-- As window functions (the state is changed in place: each frame must still be right)
-- ---------------------------------------------------------------------------
SELECT is_empty($$SELECT i FROM (SELECT i, dlpg.trial_avg(x) OVER w AS a, avg(x) OVER w AS b,
                                        dlpg.trial_max(x) OVER w AS c, max(x) OVER w AS d
                                   FROM t WINDOW w AS (PARTITION BY g ORDER BY i ROWS BETWEEN 3 PRECEDING AND CURRENT ROW)) s
                  WHERE abs(a - b) > 1e-9 * abs(b) OR c IS DISTINCT FROM d$$,
                'trial_avg and trial_max over moving window frames = avg and max');

-- ---------------------------------------------------------------------------
-- Garbage: an error with SQLSTATE 22P02 (not hex) or 22P03 (not a state), never a state
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.read_as(txt text, typ text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE st text;
BEGIN
    EXECUTE format('SELECT %L::%s', txt, typ);
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
    RETURN st;
END $f$;
SELECT setseed(0.11);
CREATE TEMP TABLE garbage AS
SELECT i, string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), '' ORDER BY j) AS h
  FROM generate_series(1, 300) AS i CROSS JOIN LATERAL generate_series(1, 1 + (i * 13) % 90) AS j
 GROUP BY i;
-- a third of them start like a trial state (version 2, flags 0 or 1)
UPDATE garbage SET h = '020' || (i % 2)::text || substring(h FROM 5) WHERE i % 3 = 0 AND length(h) > 4;
SELECT is_empty($$SELECT i, typ, pg_temp.read_as(h, typ) FROM garbage,
                         unnest(ARRAY['dlpg.trial_state', 'dlpg.trial_values', 'dlpg.config_state']) AS typ
                   WHERE pg_temp.read_as(h, typ) <> '22P03'$$,
                '300 random byte strings in hex as each state type: 22P03 every time');
SELECT results_eq($$SELECT pg_temp.read_as(v, typ) FROM (VALUES ('0', 'dlpg.trial_state'), ('0g', 'dlpg.trial_state'),
                                                              (' 02', 'dlpg.trial_values'), ('', 'dlpg.config_state'),
                                                              ('\x02', 'dlpg.config_state')) AS c(v, typ)$$,
                  $$VALUES ('22P02'), ('22P02'), ('22P02'), ('22P03'), ('22P02')$$,
                  'not hex (odd length, a letter past f, a space, a backslash): 22P02; no bytes at all: 22P03');
SELECT results_eq($$SELECT pg_temp.read_as(ts, 'dlpg.trial_values'), pg_temp.read_as(vs, 'dlpg.trial_state'),
                           pg_temp.read_as(ts, 'dlpg.config_state')
                      FROM partial ORDER BY g, shard LIMIT 1$$,
                  $$VALUES ('22P03', '22P03', '22P03')$$,
                  'a state of one type is not a state of another: 22P03');
SELECT throws_ok($$SELECT (SELECT ts FROM partial LIMIT 1)::dlpg.trial_values$$, '22P03',
                 'invalid dlpg.trial_values value', 'the message names the type ...');
SELECT is((SELECT pg_temp.read_as(substring(vs FROM 1 FOR length(vs) - 16), 'dlpg.trial_values')
             FROM partial ORDER BY g, shard LIMIT 1), '22P03', '... and a state one value short is refused');

-- the configuration record: one integer or text value per name, the row itself not NULL
SELECT throws_ok($$SELECT dlpg.point_configs(ARRAY['a', 'b'], ROW(1)) FROM (VALUES (1)) v(x)$$, '22023',
                 'a configuration aggregate takes one name per value (got 2 names, 1 values)',
                 'point_configs: two names, a record of one value: 22023');
SELECT throws_ok($$SELECT dlpg.point_mixed(ARRAY['a'], ROW(1.5)) FROM (VALUES (1)) v(x)$$, '42804',
                 'configuration values must be integer or text, not numeric',
                 'point_mixed: a numeric value: 42804');
SELECT throws_ok($$SELECT dlpg.point_configs(ARRAY['a'], NULL::record) FROM (VALUES (1)) v(x)$$, '22004',
                 'the configuration of a configuration aggregate must not be null',
                 'point_configs: a NULL record: 22004 (a NULL value inside the row counts as a value)');

SELECT * FROM finish();
ROLLBACK;
