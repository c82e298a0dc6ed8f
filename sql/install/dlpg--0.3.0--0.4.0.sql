-- dlpg 0.3.0 -> 0.4.0: input formats as sources (one C interface behind
-- dlpg.ingest*, dlpg.load* and dlpg-load), and what a point means (issue 10).
\echo Use "ALTER EXTENSION dlpg UPDATE TO '0.4.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Input formats (issue 9): every input goes through one C interface (an input
-- source, src/source.h), whichever function takes it in.  dlpg.load reads an
-- input of any format; bad input becomes rows of dlpg.rejects with its line
-- and key as data, and any other error is raised.  load_log, load_json and
-- load_input are dlpg.load with a format.
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.sources()
    RETURNS TABLE (name text, description text)
    AS 'MODULE_PATHNAME', 'dlpg_sources'
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION dlpg.sources() IS
    'The input formats dlpg reads: the format names dlpg.load takes, with what one input of each is';

CREATE FUNCTION dlpg.load(format text, input text, source text DEFAULT NULL,
                          on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    AS 'MODULE_PATHNAME', 'dlpg_load'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dlpg.load(text, text, text, text) IS
    'Ingest one input of a format of dlpg.sources(): a row per benchmark (element NULL when the benchmark is the whole input; outcome inserted, replaced, duplicate or rejected); bad input (SQLSTATE class 22 or 54, 23505 under on_conflict error) becomes rows of dlpg.rejects with line and key where known, any other error is raised';

CREATE OR REPLACE FUNCTION dlpg.load_input(input text, source text, on_conflict text, is_json boolean)
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM dlpg.load(CASE WHEN is_json THEN 'dlbs_json' ELSE 'dlbs_log' END,
                                  input, source, on_conflict) $$;
COMMENT ON FUNCTION dlpg.load_input(text, text, text, boolean) IS
    'dlpg.load of a DLBS log (is_json false) or DLBS JSON document; kept for callers of 0.2.0';

CREATE OR REPLACE FUNCTION dlpg.load_log(log text, source text, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM dlpg.load('dlbs_log', log, source, on_conflict) $$;

CREATE OR REPLACE FUNCTION dlpg.load_json(doc text, source text, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM dlpg.load('dlbs_json', doc, source, on_conflict) $$;

REVOKE ALL ON FUNCTION dlpg.load(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dlpg.load(text, text, text, text) TO dlpg_writer;

-- ====================================================================
-- Clients (issue 10, item 6): internal functions out of the user's way, and
-- dlpg.dictionary for clients that do not read COMMENTs (psqlODBC returns no
-- REMARKS, so BI tools over ODBC show no descriptions).
-- ===========================================================================

-- The trial aggregates' support functions take or return internal: nobody can
-- call them, yet they filled every function list (\df dlpg.*, ODBC's
-- SQLProcedures). They move to a schema of their own, a member
-- of the extension, that nobody but its owner may use. PostgreSQL checks an
-- aggregate's support functions against the aggregate's owner, not the caller,
-- so dlpg.trial_* keep working for every role, in serial and parallel plans.
-- dlpg.write_axis_views() is run by the update scripts only (owner only since
-- 0.3.0): it joins them. dlpg.reject and dlpg.load_input stay in dlpg: they are
-- dlpg_writer's (dlpg-load calls dlpg.reject; load_input is kept for 0.2.0's
-- callers).
-- From here on: an aggregate's support functions go to dlpg_internal (SFUNC =
-- dlpg_internal.trials_accum, ...), and a script that adds an axis calls
-- dlpg_internal.write_axis_views() (test/catalog.sql: no function of schema
-- dlpg takes or returns internal).
CREATE SCHEMA dlpg_internal;
COMMENT ON SCHEMA dlpg_internal IS
    'dlpg''s internal functions (the trial aggregates'' support functions, the update scripts'' view writer): not for direct use';
REVOKE ALL ON SCHEMA dlpg_internal FROM PUBLIC;

ALTER FUNCTION dlpg.trials_accum(internal, double precision) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.trials_accum_keep(internal, double precision) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.trials_combine(internal, internal) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.trials_serialize(internal) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.trials_deserialize(bytea, internal) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.trials_min_final(internal) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.trials_max_final(internal) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.trials_avg_final(internal) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.trials_median_final(internal) SET SCHEMA dlpg_internal;
ALTER FUNCTION dlpg.write_axis_views() SET SCHEMA dlpg_internal;

REVOKE ALL ON FUNCTION dlpg_internal.trials_accum(internal, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.trials_accum_keep(internal, double precision) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.trials_combine(internal, internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.trials_serialize(internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.trials_deserialize(bytea, internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.trials_min_final(internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.trials_max_final(internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.trials_avg_final(internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.trials_median_final(internal) FROM PUBLIC;

COMMENT ON FUNCTION dlpg_internal.trials_accum(internal, double precision) IS
    'Transition function of dlpg.trial_min, trial_max and trial_avg: count, compensated sum, min and max of the trials';
COMMENT ON FUNCTION dlpg_internal.trials_accum_keep(internal, double precision) IS
    'Transition function of dlpg.trial_median: as trials_accum, keeping every value';
COMMENT ON FUNCTION dlpg_internal.trials_combine(internal, internal) IS
    'Combine function of the trial aggregates: merges two partial states (parallel query)';
COMMENT ON FUNCTION dlpg_internal.trials_serialize(internal) IS
    'Serial function of the trial aggregates: a state as bytes, for a parallel worker to hand on';
COMMENT ON FUNCTION dlpg_internal.trials_deserialize(bytea, internal) IS
    'Deserial function of the trial aggregates: bytes from a parallel worker back to a state, checked';
COMMENT ON FUNCTION dlpg_internal.trials_min_final(internal) IS 'Final function of dlpg.trial_min';
COMMENT ON FUNCTION dlpg_internal.trials_max_final(internal) IS 'Final function of dlpg.trial_max';
COMMENT ON FUNCTION dlpg_internal.trials_avg_final(internal) IS 'Final function of dlpg.trial_avg';
COMMENT ON FUNCTION dlpg_internal.trials_median_final(internal) IS 'Final function of dlpg.trial_median';
COMMENT ON FUNCTION dlpg_internal.write_axis_views() IS
    'Write dlpg.axes and dlpg.axis_values from dlpg.axis_defs() and dlpg.y_measure_defs() (run by the update scripts after an axis is added)';

-- Every table, view, column and function of schema dlpg with its COMMENT, as
-- rows: what a client that reads no COMMENTs (ODBC) can still query. (A view
-- binds its functions and operators when it is created: no search_path later
-- changes what it calls. The catalog's names and comments have collation "C":
-- the columns get the database's default, as a user's own text has.)
CREATE VIEW dlpg.dictionary (object, "column", type, description) AS
SELECT d.object COLLATE "default", d.col COLLATE "default", d.type COLLATE "default",
       d.description COLLATE "default"
  FROM (SELECT format('%I.%I', n.nspname, c.relname) AS object, NULL::text AS col,
               CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'materialized view' ELSE 'table' END AS type,
               obj_description(c.oid, 'pg_class') AS description, 0 AS pos
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'dlpg' AND c.relkind IN ('r', 'p', 'v', 'm')
        UNION ALL
        SELECT format('%I.%I', n.nspname, c.relname), a.attname::text, format_type(a.atttypid, a.atttypmod),
               col_description(c.oid, a.attnum), a.attnum
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
         WHERE n.nspname = 'dlpg' AND c.relkind IN ('r', 'p', 'v', 'm')
        UNION ALL
        SELECT format('%I.%I', n.nspname, p.proname), NULL,
               CASE p.prokind WHEN 'a' THEN 'aggregate' WHEN 'p' THEN 'procedure' WHEN 'w' THEN 'window function'
                              ELSE 'function' END
               || '(' || pg_get_function_arguments(p.oid) || ')'
               || CASE WHEN p.prokind = 'p' THEN '' ELSE ' returns ' || pg_get_function_result(p.oid) END,
               obj_description(p.oid, 'pg_proc'), 0
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE n.nspname = 'dlpg') AS d
 ORDER BY d.object COLLATE "C", d.pos, d.type COLLATE "C";
COMMENT ON VIEW dlpg.dictionary IS
    'Every table, view, column and function of dlpg with its description (the COMMENTs), for clients that do not show comments (ODBC)';
COMMENT ON COLUMN dlpg.dictionary.object IS 'Table, view or function, schema-qualified (dlpg.series)';
COMMENT ON COLUMN dlpg.dictionary."column" IS 'Column of a table or view; NULL on the row of the object itself';
COMMENT ON COLUMN dlpg.dictionary.type IS
    'A column''s data type; for an object: table, view, or function/aggregate with its arguments (and defaults) and result';
COMMENT ON COLUMN dlpg.dictionary.description IS 'The COMMENT on the object or column';
GRANT SELECT ON dlpg.dictionary TO dlpg_reader, dlpg_writer;
-- ---------------------------------------------------------------------------
-- What a point means (issue 10): every point of dlpg.series and every row of
-- dlpg.scaling_report says how many configurations its benchmarks are, and
-- which axes differ among them.  Two aggregates over one state (the same
-- transition function and arguments, so PostgreSQL computes it once).
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg_internal.configs_accum(internal, text[], VARIADIC "any") RETURNS internal
    AS 'MODULE_PATHNAME', 'dlpg_configs_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'dlpg_configs_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'dlpg_configs_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'dlpg_configs_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_count_final(internal) RETURNS integer
    AS 'MODULE_PATHNAME', 'dlpg_configs_count_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_mixed_final(internal) RETURNS text[]
    AS 'MODULE_PATHNAME', 'dlpg_configs_mixed_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dlpg_internal.configs_accum(internal, text[], "any") IS 'Internal: transition function of dlpg.point_configs and dlpg.point_mixed';
COMMENT ON FUNCTION dlpg_internal.configs_combine(internal, internal) IS 'Internal: combine function of dlpg.point_configs and dlpg.point_mixed';
COMMENT ON FUNCTION dlpg_internal.configs_serialize(internal) IS 'Internal: serializer of dlpg.point_configs and dlpg.point_mixed';
COMMENT ON FUNCTION dlpg_internal.configs_deserialize(bytea, internal) IS 'Internal: checked deserializer of dlpg.point_configs and dlpg.point_mixed';
COMMENT ON FUNCTION dlpg_internal.configs_count_final(internal) IS 'Internal: final function of dlpg.point_configs';
COMMENT ON FUNCTION dlpg_internal.configs_mixed_final(internal) IS 'Internal: final function of dlpg.point_mixed';

REVOKE ALL ON FUNCTION dlpg_internal.configs_accum(internal, text[], "any") FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.configs_combine(internal, internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.configs_serialize(internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.configs_deserialize(bytea, internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.configs_count_final(internal) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.configs_mixed_final(internal) FROM PUBLIC;

CREATE AGGREGATE dlpg.point_configs(text[], VARIADIC "any") (
    SFUNC = dlpg_internal.configs_accum, STYPE = internal, FINALFUNC = dlpg_internal.configs_count_final,
    COMBINEFUNC = dlpg_internal.configs_combine, SERIALFUNC = dlpg_internal.configs_serialize,
    DESERIALFUNC = dlpg_internal.configs_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.point_mixed(text[], VARIADIC "any") (
    SFUNC = dlpg_internal.configs_accum, STYPE = internal, FINALFUNC = dlpg_internal.configs_mixed_final,
    COMBINEFUNC = dlpg_internal.configs_combine, SERIALFUNC = dlpg_internal.configs_serialize,
    DESERIALFUNC = dlpg_internal.configs_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE dlpg.point_configs(text[], "any") IS
    'How many distinct configurations the rows are: point_configs(names, value1, value2, ...), one name per value (integer or text), NULL counting as a value';
COMMENT ON AGGREGATE dlpg.point_mixed(text[], "any") IS
    'The names (sorted) of the values that differ among the rows, NULL counting as a value: point_mixed(names, value1, value2, ...)';

DROP FUNCTION dlpg.series(text, text, jsonb, text, text, text);
CREATE FUNCTION dlpg.series(x_axis text, y_axis text DEFAULT 'throughput',
                            filters jsonb DEFAULT '{}', agg text DEFAULT 'best',
                            group_by text DEFAULT NULL, series_name text DEFAULT NULL)
    RETURNS TABLE (series text, x text, x_rank integer, y double precision, n bigint,
                   x_value double precision, configs integer, mixed text[])
    AS 'MODULE_PATHNAME', 'dlpg_series'
    LANGUAGE C STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dlpg.series(text, text, jsonb, text, text, text) IS
    'A chart of the Guide: y over x, filtered, the benchmarks of each point reduced by agg (min, max, avg, best, median), one series per group_by value; n benchmarks per point, how many configurations they are (configs) and which axes differ among them (mixed; a NOTICE says when any point mixes)';

DROP FUNCTION dlpg.scaling_report(text, jsonb, text);
CREATE FUNCTION dlpg.scaling_report(scaling text, filters jsonb DEFAULT '{}',
                                    group_by text DEFAULT 'model')
    RETURNS TABLE (series text, batch_size integer, num_devices integer, batch_time double precision,
                   throughput double precision, speedup double precision, efficiency double precision,
                   n bigint, configs integer, mixed text[])
    AS 'MODULE_PATHNAME', 'dlpg_scaling_report'
    LANGUAGE C STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dlpg.scaling_report(text, jsonb, text) IS
    'Weak or strong scaling as DLBS reports it: speedup and efficiency (percent) against the smallest device count; n benchmarks per row, their configurations and the axes that differ among them';

-- ---------------------------------------------------------------------------
-- Unknown is a value (issue 10): dlpg.axis_values lists the benchmarks whose
-- value is missing as "unknown" (ranked last), which dlpg.series' filters
-- take back (it matches NULL), as its series names already call them.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION dlpg_internal.write_axis_views() RETURNS void
    LANGUAGE plpgsql VOLATILE
    SET search_path = pg_catalog, pg_temp
AS $generate$
DECLARE
    x_cols text;
    filter_cols text;
    measure_cols text;
    value_rows text;
BEGIN
    SELECT pg_catalog.string_agg(
               pg_catalog.format('b.%I AS %I, %s AS %I', d.column_name, d.name,
                   CASE d.kind
                        WHEN 'vocabulary' THEN pg_catalog.format('dlpg.axis_label(%L, b.%I)', d.name, d.column_name)
                        WHEN 'integer' THEN pg_catalog.format('b.%I::text', d.column_name)
                        ELSE pg_catalog.format('b.%I', d.column_name) END,
                   d.name OPERATOR(pg_catalog.||) '_label'),
               ', ' ORDER BY d.ord) FILTER (WHERE d.x_axis),
           pg_catalog.string_agg(pg_catalog.format('b.%I AS %I', d.column_name, d.name), ', ' ORDER BY d.ord)
               FILTER (WHERE NOT d.x_axis),
           pg_catalog.string_agg(
               pg_catalog.format('(%L, b.%I%s, %s)', d.name, d.column_name,
                   CASE WHEN d.kind OPERATOR(pg_catalog.=) 'integer' THEN '::text' ELSE '' END,
                   CASE WHEN d.kind OPERATOR(pg_catalog.=) 'integer' THEN pg_catalog.format('b.%I', d.column_name)
                        ELSE 'NULL::int' END),
               ', ' ORDER BY d.ord)
      INTO x_cols, filter_cols, value_rows
      FROM dlpg.axis_defs() AS d;
    SELECT pg_catalog.string_agg(pg_catalog.format('b.%I AS %I', m.column_name, m.name), ', ')
      INTO measure_cols
      FROM dlpg.y_measure_defs() AS m;

    -- the X axes with their labels, device_type, the other filters, then the measures
    EXECUTE pg_catalog.format(
        'CREATE OR REPLACE VIEW dlpg.axes AS
         SELECT b.id, b.source, %s, b.device_type, %s, %s FROM dlpg.benchmarks b WHERE b.status = %L',
        x_cols, filter_cols, measure_cols, 'ok');
    EXECUTE pg_catalog.format(
        'CREATE OR REPLACE VIEW dlpg.axis_values AS
         SELECT v.axis, coalesce(v.value, %L) AS value,
                CASE WHEN v.value IS NULL THEN %L ELSE dlpg.axis_label(v.axis, v.value) END AS label, v.n,
                (rank() OVER (PARTITION BY v.axis
                              ORDER BY v.value IS NULL, v.num, v.value COLLATE "C"))::int AS rank
           FROM (SELECT a.axis, a.value, a.num, count(*) AS n
                   FROM dlpg.benchmarks b
                  CROSS JOIN LATERAL (VALUES %s) AS a(axis, value, num)
                  WHERE b.status = %L
                  GROUP BY a.axis, a.value, a.num) v',
        'unknown', 'unknown', value_rows, 'ok');
END
$generate$;
COMMENT ON FUNCTION dlpg_internal.write_axis_views() IS
    'Write dlpg.axes and dlpg.axis_values from dlpg.axis_defs() and dlpg.y_measure_defs() (run by the update scripts)';
SELECT dlpg_internal.write_axis_views();
COMMENT ON COLUMN dlpg.axis_values.value IS 'Canonical value, as the filters of dlpg.series take it; unknown for benchmarks without one';

-- ---------------------------------------------------------------------------
-- Compare two setups with statistics (issue 12, item 3): dlpg.compare says,
-- per configuration, whether the candidate is faster than the baseline or the
-- difference is noise: medians of the pooled per-iteration samples, the change,
-- the two-sided Mann-Whitney U test's p-value (as scipy computes it, in C:
-- src/core/mann_whitney.c) and a verdict.  It runs its query over SPI, hence
-- PARALLEL RESTRICTED (the query itself may run in parallel).
-- dlpg_internal.mann_whitney is the test alone, for the tests against scipy.
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.compare(baseline jsonb, candidate jsonb, y_axis text DEFAULT 'throughput',
                             filters jsonb DEFAULT '{}')
    RETURNS TABLE (config jsonb, baseline double precision, candidate double precision,
                   change double precision, p_value double precision, verdict text,
                   n_baseline integer, n_candidate integer)
    AS 'MODULE_PATHNAME', 'dlpg_compare'
    LANGUAGE C STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dlpg.compare(jsonb, jsonb, text, jsonb) IS
    'Is the candidate faster than the baseline, or is it noise? baseline and candidate are filter objects (the syntax of dlpg.series) choosing two sides of the ok benchmarks, filters applies to both; one row per configuration (every axis but those the sides name) that both sides have: the medians of each side''s pooled per-iteration samples of y_axis, change = (candidate - baseline) / baseline, the two-sided Mann-Whitney U p-value (scipy''s mannwhitneyu, method auto), verdict insufficient (under 3 samples a side), improved or regressed (p < 0.05 and |change| >= 1%), else unchanged; n_baseline, n_candidate samples';
-- executable by everyone, as dlpg.series (a function is executable by PUBLIC unless revoked)

CREATE FUNCTION dlpg_internal.mann_whitney(x double precision[], y double precision[],
                                           OUT u double precision, OUT p double precision,
                                           OUT method text)
    AS 'MODULE_PATHNAME', 'dlpg_mann_whitney'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dlpg_internal.mann_whitney(double precision[], double precision[]) IS
    'Internal: the two-sided Mann-Whitney U test of dlpg.compare on two samples (NULL, NaN and infinite elements left out): U of x as scipy.stats.mannwhitneyu reports it, the p-value, and the method auto chose (exact, asymptotic; none when a side is empty); for the tests against scipy';
REVOKE ALL ON FUNCTION dlpg_internal.mann_whitney(double precision[], double precision[]) FROM PUBLIC;
