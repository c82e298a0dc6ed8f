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
-- which axes differ among them (dlpg.point_configs, point_mixed and
-- point_summary over one state: created with the state types, in the
-- section "Aggregates Citus can push down" below).
-- ---------------------------------------------------------------------------
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
    axes_cols text;
    value_rows text;
    col text;
    descr text;
BEGIN
    WITH d AS (SELECT * FROM dlpg.axis_defs() AS d   -- the axes whose column exists (a later update adds the others)
                WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute a
                               WHERE a.attrelid OPERATOR(pg_catalog.=) 'dlpg.benchmarks'::pg_catalog.regclass
                                 AND a.attname OPERATOR(pg_catalog.=) d.column_name AND NOT a.attisdropped))
    SELECT pg_catalog.string_agg(
               pg_catalog.format('(%L, b.%I%s, %s)', d.name, d.column_name,
                   CASE WHEN d.kind OPERATOR(pg_catalog.=) 'integer' THEN '::text' ELSE '' END,
                   CASE WHEN d.kind OPERATOR(pg_catalog.=) 'integer' THEN pg_catalog.format('b.%I', d.column_name)
                        ELSE 'NULL::int' END),
               ', ' ORDER BY d.ord) FILTER (WHERE d.kind OPERATOR(pg_catalog.<>) 'time')
      INTO value_rows
      FROM d;

    -- dlpg.axes: id, source, the X axes with their labels, device_type, the other filters,
    -- the measures; a column the view has keeps its place (CREATE OR REPLACE VIEW can only
    -- add columns at the end), new ones come after
    WITH d AS (SELECT * FROM dlpg.axis_defs() AS d   -- the axes whose column exists (a later update adds the others)
                WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute a
                               WHERE a.attrelid OPERATOR(pg_catalog.=) 'dlpg.benchmarks'::pg_catalog.regclass
                                 AND a.attname OPERATOR(pg_catalog.=) d.column_name AND NOT a.attisdropped)),
         m AS (SELECT * FROM dlpg.y_measure_defs() WITH ORDINALITY AS m(name, label, unit, better, column_name, ord)
                WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute a
                               WHERE a.attrelid OPERATOR(pg_catalog.=) 'dlpg.benchmarks'::pg_catalog.regclass
                                 AND a.attname OPERATOR(pg_catalog.=) m.column_name AND NOT a.attisdropped))
    SELECT pg_catalog.string_agg(c.expr, ', ' ORDER BY v.attnum NULLS LAST, c.ord)
      INTO axes_cols
      FROM (SELECT 'id', 'b.id', 0 UNION ALL SELECT 'source', 'b.source', 1
            UNION ALL
            SELECT d.name, pg_catalog.format('b.%I AS %I', d.column_name, d.name), 100 + 2 * d.ord
              FROM d WHERE d.x_axis
            UNION ALL
            SELECT d.name OPERATOR(pg_catalog.||) '_label',
                   pg_catalog.format('%s AS %I',
                       CASE d.kind
                            WHEN 'vocabulary' THEN pg_catalog.format('dlpg.axis_label(%L, b.%I)', d.name, d.column_name)
                            WHEN 'integer' THEN pg_catalog.format('b.%I::text', d.column_name)
                            ELSE pg_catalog.format('b.%I', d.column_name) END,
                       d.name OPERATOR(pg_catalog.||) '_label'),
                   101 + 2 * d.ord
              FROM d WHERE d.x_axis
            UNION ALL SELECT 'device_type', 'b.device_type', 500
            UNION ALL
            SELECT d.name, pg_catalog.format('b.%I AS %I', d.column_name, d.name), 600 + d.ord
              FROM d WHERE NOT d.x_axis
            UNION ALL
            SELECT m.name, pg_catalog.format('b.%I AS %I', m.column_name, m.name), 800 + m.ord
              FROM m) AS c(name, expr, ord)
      LEFT JOIN pg_catalog.pg_attribute v
             ON v.attrelid OPERATOR(pg_catalog.=) pg_catalog.to_regclass('dlpg.axes')
            AND v.attname OPERATOR(pg_catalog.=) c.name;
    EXECUTE pg_catalog.format(
        'CREATE OR REPLACE VIEW dlpg.axes AS SELECT %s FROM dlpg.benchmarks b WHERE b.status = %L',
        axes_cols, 'ok');
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
    -- the columns that come from the C tables are described from them too
    FOR col, descr IN
        SELECT c.name, c.descr
          FROM (SELECT d.name, d.label OPERATOR(pg_catalog.||) ': ' OPERATOR(pg_catalog.||) d.description
                  FROM dlpg.axis_defs() AS d WHERE NOT d.x_axis
                UNION ALL
                SELECT m.name, m.label OPERATOR(pg_catalog.||) ', ' OPERATOR(pg_catalog.||) m.better
                       OPERATOR(pg_catalog.||) ' is better'
                  FROM dlpg.y_measure_defs() AS m) AS c(name, descr)
         WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute a   -- described once, hand-written ones kept
                        WHERE a.attrelid OPERATOR(pg_catalog.=) 'dlpg.axes'::pg_catalog.regclass
                          AND a.attname OPERATOR(pg_catalog.=) c.name
                          AND pg_catalog.col_description(a.attrelid, a.attnum) IS NULL)
    LOOP
        EXECUTE pg_catalog.format('COMMENT ON COLUMN dlpg.axes.%I IS %L', col, descr);
    END LOOP;
END
$generate$;
COMMENT ON FUNCTION dlpg_internal.write_axis_views() IS
    'Write dlpg.axes and dlpg.axis_values from dlpg.axis_defs() and dlpg.y_measure_defs() (run by the update scripts)';
SELECT dlpg_internal.write_axis_views();
COMMENT ON COLUMN dlpg.axis_values.value IS 'Canonical value, as the filters of dlpg.series take it; unknown for benchmarks without one';

-- ---------------------------------------------------------------------------
-- Run time and latency percentiles (issue 12): derived at ingest (src/measures.c
-- from the per-iteration times, src/dlbs/derive.c from results.start_time and
-- end_time), declared in src/axes.c (run_at, a time filter: run_after and
-- run_before; four Y measures).  Existing rows get them from the same C code.
-- ---------------------------------------------------------------------------
ALTER TABLE dlpg.benchmarks
    ADD COLUMN IF NOT EXISTS batch_time_p50 double precision,
    ADD COLUMN IF NOT EXISTS batch_time_p90 double precision,
    ADD COLUMN IF NOT EXISTS batch_time_p99 double precision,
    ADD COLUMN IF NOT EXISTS batch_time_cv double precision,
    ADD COLUMN IF NOT EXISTS run_at timestamptz,
    ADD COLUMN IF NOT EXISTS run_seconds double precision;
COMMENT ON COLUMN dlpg.benchmarks.batch_time_p50 IS 'Median of the per-iteration batch times (ms, percentile_cont); NULL without them';
COMMENT ON COLUMN dlpg.benchmarks.batch_time_p90 IS '90th percentile of the per-iteration batch times (ms, percentile_cont); NULL without them';
COMMENT ON COLUMN dlpg.benchmarks.batch_time_p99 IS '99th percentile of the per-iteration batch times (ms, percentile_cont); NULL without them';
COMMENT ON COLUMN dlpg.benchmarks.batch_time_cv IS 'Coefficient of variation of the per-iteration batch times (sample standard deviation / mean); NULL with fewer than two';
COMMENT ON COLUMN dlpg.benchmarks.run_at IS 'When the benchmark ran: results.start_time, read as UTC; NULL when absent or unreadable';
COMMENT ON COLUMN dlpg.benchmarks.run_seconds IS 'How long it ran: results.end_time - results.start_time, in seconds; NULL when either is missing';
CREATE INDEX IF NOT EXISTS benchmarks_run_at ON dlpg.benchmarks (run_at) WHERE run_at IS NOT NULL;

CREATE FUNCTION dlpg_internal.sample_measures(double precision[]) RETURNS double precision[]
    AS 'MODULE_PATHNAME', 'dlpg_sample_measures_sql' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.dlbs_time(text) RETURNS timestamptz
    AS 'MODULE_PATHNAME', 'dlpg_dlbs_time' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dlpg_internal.sample_measures(double precision[]) IS
    'Internal: {p50, p90, p99, cv} of per-iteration batch times, as an ingest derives them (for update scripts)';
COMMENT ON FUNCTION dlpg_internal.dlbs_time(text) IS
    'Internal: a DLBS time stamp (2026-11-26:21:33:44:447) read as UTC, NULL when it is not one (for update scripts)';
REVOKE ALL ON FUNCTION dlpg_internal.sample_measures(double precision[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg_internal.dlbs_time(text) FROM PUBLIC;

UPDATE dlpg.benchmarks b
   SET (batch_time_p50, batch_time_p90, batch_time_p99, batch_time_cv) = (m.v[1], m.v[2], m.v[3], m.v[4]),
       run_at = t.s,
       run_seconds = CASE WHEN t.e OPERATOR(pg_catalog.>=) t.s
                          THEN (EXTRACT(epoch FROM t.e OPERATOR(pg_catalog.-) t.s)
                                OPERATOR(pg_catalog.*) 1000000)::bigint::double precision
                               OPERATOR(pg_catalog./) 1000000 END
  FROM dlpg.benchmarks o
 CROSS JOIN LATERAL (SELECT dlpg_internal.sample_measures(o.batch_times_ms) AS v) m
 CROSS JOIN LATERAL (SELECT dlpg_internal.dlbs_time(o.params OPERATOR(pg_catalog.->>) 'results.start_time') AS s,
                            dlpg_internal.dlbs_time(o.params OPERATOR(pg_catalog.->>) 'results.end_time') AS e) t
 WHERE o.id OPERATOR(pg_catalog.=) b.id;

SELECT dlpg_internal.write_axis_views();

-- History and regressions (issue 12): every benchmark with a run time, and the
-- ones whose value jumps against the earlier results of their configuration.
CREATE FUNCTION dlpg.history(y_axis text DEFAULT 'throughput', filters jsonb DEFAULT '{}',
                             group_by text DEFAULT NULL)
    RETURNS TABLE ("time" timestamptz, series text, config jsonb, y double precision, benchmark_id bigint)
    AS 'MODULE_PATHNAME', 'dlpg_history'
    LANGUAGE C STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dlpg.history(text, jsonb, text) IS
    'One row per ok benchmark with a run time (run_at) and a y value, ordered by time: its series (group_by, as in dlpg.series), its configuration (the configuration axes as jsonb) and y; what a time-series panel (Grafana) reads';

CREATE FUNCTION dlpg.changes(y_axis text DEFAULT 'throughput', filters jsonb DEFAULT '{}',
                             group_by text DEFAULT NULL, "window" integer DEFAULT 20,
                             threshold double precision DEFAULT 5)
    RETURNS TABLE ("time" timestamptz, series text, config jsonb, y double precision, benchmark_id bigint,
                   z double precision, window_mean double precision, direction text)
    AS 'MODULE_PATHNAME', 'dlpg_changes'
    LANGUAGE C STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dlpg.changes(text, jsonb, text, integer, double precision) IS
    'The benchmarks whose y is at least threshold sample standard deviations from the mean of the window results of the same configuration before it (at least 3; a lookback z-score, as Conbench flags regressions), with z, that mean and the direction (better or worse for this y axis)';

-- ===========================================================================
-- Scale-out on Citus (issue 11): keys a hash distribution can keep,
-- dlpg.distribute() and dlpg.undistribute(), series/chart/scaling_report
-- PARALLEL RESTRICTED. Self-contained: later sections need nothing from it.
-- ===========================================================================

-- Citus keeps a UNIQUE or PRIMARY KEY constraint only if it holds the
-- distribution column. dlpg.benchmarks is distributed by dedup_key (one
-- benchmark, one row: ingest's ON CONFLICT (dedup_key) then runs on one shard),
-- so dedup_key becomes the primary key and id, unique by its identity
-- (GENERATED ALWAYS), keeps a plain index for lookups by id. Single node: the
-- same rows, the same ON CONFLICT (dedup_key), the same ids.
ALTER TABLE dlpg.benchmarks DROP CONSTRAINT benchmarks_pkey;
ALTER TABLE dlpg.benchmarks DROP CONSTRAINT benchmarks_dedup_key_key;
ALTER TABLE dlpg.benchmarks ADD CONSTRAINT benchmarks_pkey PRIMARY KEY (dedup_key);
CREATE INDEX benchmarks_id_idx ON dlpg.benchmarks (id);
COMMENT ON COLUMN dlpg.benchmarks.id IS
    'Row id: unique by its identity (not a constraint: on Citus, ids of rows ingested on different nodes come from disjoint ranges)';
COMMENT ON COLUMN dlpg.benchmarks.dedup_key IS
    'exp.id, else a SHA-256 of the parameters: one row per benchmark (the primary key, and the distribution column on Citus)';

-- dlpg.adjust_worker_ids(): on the coordinator of a distributed dlpg, the
-- identity sequences of dlpg.benchmarks and dlpg.rejects on every worker in
-- that worker's own range (worker_adjust_identity_column_seq_ranges, with DDL
-- propagation off: Citus does not do it for tables of an extension, neither
-- at create_distributed_table nor when citus_add_node adds a worker later).
-- Citus's function changes a sequence only when its range is not the
-- worker's already, so running this again (after adding workers) moves the
-- new workers alone and leaves the ids of the others as they are.
CREATE FUNCTION dlpg.adjust_worker_ids()
    RETURNS TABLE (nodename text, nodeport integer, ids_from bigint, adjusted boolean)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    bad text;
    before jsonb;
    is_coordinator boolean;
    seqmin CONSTANT text := $q$SELECT s.seqmin FROM pg_catalog.pg_sequence s
                                WHERE s.seqrelid = pg_catalog.pg_get_serial_sequence('dlpg.benchmarks', 'id')::pg_catalog.regclass$q$;
BEGIN
    -- two statements: pg_dist_partition exists only where Citus is
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'dlpg is not distributed (Citus is not installed): there are no workers whose ids to adjust'
            USING ERRCODE = '55000';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'dlpg.benchmarks'::regclass) THEN
        RAISE EXCEPTION 'dlpg is not distributed: there are no workers whose ids to adjust'
            USING ERRCODE = '55000', HINT = 'On a Citus coordinator, dlpg.distribute() does it, once.';
    END IF;
    EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO is_coordinator;
    IF NOT is_coordinator THEN
        RAISE EXCEPTION 'dlpg.adjust_worker_ids must run on the Citus coordinator, and this node is not one'
            USING ERRCODE = '55000';
    END IF;
    SELECT jsonb_object_agg(format('%s:%s', r.nodename, r.nodeport), r.result)
      INTO before
      FROM run_command_on_workers(seqmin) AS r;
    SELECT string_agg(format('%s:%s: %s', r.nodename, r.nodeport, r.result), '; ')
      INTO bad
      FROM run_command_on_workers(
               $cmd$SET citus.enable_ddl_propagation TO off;
                    SELECT pg_catalog.worker_adjust_identity_column_seq_ranges('dlpg.benchmarks'::pg_catalog.regclass);
                    SELECT pg_catalog.worker_adjust_identity_column_seq_ranges('dlpg.rejects'::pg_catalog.regclass)$cmd$) AS r
     WHERE NOT r.success;
    IF bad IS NOT NULL THEN
        RAISE EXCEPTION 'could not give the workers their own ranges of ids'
            USING ERRCODE = '58000', DETAIL = bad;
    END IF;
    RETURN QUERY
        SELECT a.nodename, a.nodeport, a.result::bigint,
               (before ->> format('%s:%s', a.nodename, a.nodeport)) IS DISTINCT FROM a.result
          FROM run_command_on_workers(seqmin) AS a
         ORDER BY a.nodename, a.nodeport;
END
$fn$;
COMMENT ON FUNCTION dlpg.adjust_worker_ids() IS
    'Citus coordinator, after citus_add_node: every worker''s ids of dlpg''s tables in a range of its own (dlpg.distribute does it for the workers it finds); returns each worker''s first id and whether it was moved';

-- dlpg.distribute(shard_count): on a Citus coordinator, dlpg.benchmarks
-- hash-distributed by dedup_key, dlpg.rejects a reference table (on every
-- node), and the identity sequences of both on every worker moved to that
-- worker's own range (worker_adjust_identity_column_seq_ranges, with DDL
-- propagation off: Citus does not do it for tables of an extension), so an
-- ingest on a worker never repeats an id of the coordinator or of another
-- worker. Citus is called through EXECUTE: dlpg does not depend on it.
CREATE FUNCTION dlpg.distribute(shard_count integer DEFAULT 32)
    RETURNS TABLE (table_name regclass, method text, distribution_column text, shards integer)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    -- Citus's notices about copying the local rows and removing them: done here
    SET client_min_messages = warning
AS $fn$
DECLARE
    is_coordinator boolean;
BEGIN
    IF shard_count IS NULL OR shard_count < 1 OR shard_count > 64000 THEN
        RAISE EXCEPTION 'shard_count must be between 1 and 64000, not %', coalesce(shard_count::text, 'NULL')
            USING ERRCODE = '22023';
    END IF;
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'dlpg.distribute needs Citus, and extension "citus" is not installed in database "%"',
                        current_database()
            USING ERRCODE = '55000',
                  HINT = 'Add citus to shared_preload_libraries, restart, then CREATE EXTENSION citus on the coordinator and every worker; on a single node dlpg needs no distribute.';
    END IF;
    EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO is_coordinator;
    IF NOT is_coordinator THEN
        RAISE EXCEPTION 'dlpg.distribute must run on the Citus coordinator, and this node is not one'
            USING ERRCODE = '55000',
                  HINT = 'Connect to the coordinator (a node whose group is 0, with its workers added by citus_add_node) and run dlpg.distribute() there once.';
    END IF;
    IF EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = 'dlpg.benchmarks'::regclass) THEN
        RAISE EXCEPTION 'dlpg is already distributed'
            USING ERRCODE = '55000',
                  HINT = 'dlpg.undistribute() first to change the shard count.';
    END IF;

    PERFORM create_reference_table('dlpg.rejects');
    PERFORM create_distributed_table('dlpg.benchmarks', 'dedup_key', shard_count => distribute.shard_count);
    -- the rows are in the shards now: the coordinator's own copies go
    PERFORM truncate_local_data_after_distributing_table('dlpg.rejects');
    PERFORM truncate_local_data_after_distributing_table('dlpg.benchmarks');

    PERFORM dlpg.adjust_worker_ids();

    RETURN QUERY
        SELECT p.logicalrelid, CASE p.partmethod WHEN 'h' THEN 'hash' WHEN 'n' THEN 'reference' ELSE p.partmethod::text END,
               CASE WHEN p.partmethod = 'h' THEN 'dedup_key' END,
               (SELECT count(*)::integer FROM pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid)
          FROM pg_dist_partition p
         WHERE p.logicalrelid IN ('dlpg.benchmarks'::regclass, 'dlpg.rejects'::regclass)
         ORDER BY p.logicalrelid::text;
END
$fn$;
COMMENT ON FUNCTION dlpg.distribute(integer) IS
    'Citus coordinator only, once: dlpg.benchmarks hash-distributed by dedup_key into shard_count shards, dlpg.rejects a reference table, each worker''s ids in a range of its own; returns the tables as Citus now holds them';

-- dlpg.undistribute(): the tables back on the coordinator alone, rows and ids
-- kept, no shard and no Citus metadata of them left on any node; DROP
-- EXTENSION dlpg after it leaves nothing behind (DROP EXTENSION alone leaves
-- the shards on the workers). Citus's undistribute_table() refuses tables of
-- an extension (it recreates the table), so the rows are copied aside and the
-- tables are taken out of Citus as its own DROP TABLE trigger does it (metadata
-- on the workers, whose copy of an extension's table Citus keeps; every shard;
-- the coordinator's metadata); then the rows go back into the coordinator's
-- table, which is a plain table again.
CREATE FUNCTION dlpg.undistribute()
    RETURNS TABLE (table_name regclass, rows bigint)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $fn$
DECLARE
    is_coordinator boolean;
    t text;
    trg name;
BEGIN
    IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'citus') THEN
        RAISE EXCEPTION 'dlpg.undistribute needs Citus, and extension "citus" is not installed in database "%"',
                        current_database()
            USING ERRCODE = '55000',
                  HINT = 'Without Citus dlpg''s tables are not distributed: there is nothing to undo.';
    END IF;
    EXECUTE 'SELECT pg_catalog.citus_is_coordinator()' INTO is_coordinator;
    IF NOT is_coordinator THEN
        RAISE EXCEPTION 'dlpg.undistribute must run on the Citus coordinator, and this node is not one'
            USING ERRCODE = '55000',
                  HINT = 'Connect to the coordinator and run dlpg.undistribute() there.';
    END IF;
    FOREACH t IN ARRAY ARRAY['benchmarks', 'rejects'] LOOP
        IF EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = format('dlpg.%I', t)::regclass) THEN
            EXECUTE format('CREATE TEMP TABLE dlpg_undistribute_%s ON COMMIT DROP AS TABLE dlpg.%I', t, t);
            PERFORM master_remove_distributed_table_metadata_from_workers(format('dlpg.%I', t)::regclass, 'dlpg', t);
            PERFORM citus_drop_all_shards(format('dlpg.%I', t)::regclass, 'dlpg', t, false);
            PERFORM master_remove_partition_metadata(format('dlpg.%I', t)::regclass, 'dlpg', t);
            IF EXISTS (SELECT FROM pg_dist_partition WHERE logicalrelid = format('dlpg.%I', t)::regclass) THEN
                RAISE EXCEPTION 'could not take dlpg.% out of Citus', t USING ERRCODE = 'XX000';
            END IF;
            -- Citus's TRUNCATE trigger, which a DROP TABLE would have taken along
            FOR trg IN SELECT g.tgname FROM pg_trigger g
                        WHERE g.tgrelid = format('dlpg.%I', t)::regclass
                          AND g.tgfoid = to_regproc('pg_catalog.citus_truncate_trigger') LOOP
                EXECUTE format('DROP TRIGGER %I ON dlpg.%I', trg, t);
            END LOOP;
            -- what the coordinator's table held before dlpg.distribute copied it into the shards
            EXECUTE format('TRUNCATE dlpg.%I', t);
            EXECUTE format('INSERT INTO dlpg.%I OVERRIDING SYSTEM VALUE TABLE dlpg_undistribute_%s', t, t);
        END IF;
    END LOOP;
    RETURN QUERY
        SELECT 'dlpg.benchmarks'::regclass, (SELECT count(*) FROM dlpg.benchmarks)
        UNION ALL
        SELECT 'dlpg.rejects'::regclass, (SELECT count(*) FROM dlpg.rejects);
END
$fn$;
COMMENT ON FUNCTION dlpg.undistribute() IS
    'Citus coordinator: undo dlpg.distribute, the tables back on the coordinator with their rows and ids and no shard left on any node (run it before DROP EXTENSION dlpg); returns the rows kept';

REVOKE ALL ON FUNCTION dlpg.distribute(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.adjust_worker_ids() FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.undistribute() FROM PUBLIC;

-- dlpg.series, dlpg.scaling_report and dlpg.chart run a query of their own
-- over SPI: on Citus a distributed one, which a parallel worker cannot run
-- ("cannot use 2PC in transactions involving multiple servers" under
-- force_parallel_mode). PARALLEL RESTRICTED: a query that calls them runs
-- them in the leader; the query they run inside may still be parallel.
ALTER FUNCTION dlpg.series(text, text, jsonb, text, text, text) PARALLEL RESTRICTED;
ALTER FUNCTION dlpg.scaling_report(text, jsonb, text) PARALLEL RESTRICTED;
ALTER FUNCTION dlpg.chart(text, text, jsonb, text, text, text, text) PARALLEL RESTRICTED;

-- Error bars (issue 12): dlpg.chart(..., error_bars => true) draws each point's spread, the
-- 10th to 90th percentile of its benchmarks' per-iteration samples (or the range of their
-- values where there are none).
DROP FUNCTION dlpg.chart(text, text, jsonb, text, text, text, text);
CREATE FUNCTION dlpg.chart(x_axis text, y_axis text DEFAULT 'throughput',
                           filters jsonb DEFAULT '{}', agg text DEFAULT 'best',
                           group_by text DEFAULT NULL, series_name text DEFAULT NULL,
                           format text DEFAULT 'svg', error_bars boolean DEFAULT false)
    RETURNS text
    AS 'MODULE_PATHNAME', 'dlpg_chart'
    LANGUAGE C STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dlpg.chart(text, text, jsonb, text, text, text, text, boolean) IS
    'dlpg.series as a chart: SVG (format svg) or a Vega-Lite spec (vega-lite); every mark with a tooltip (series, x, y, n benchmarks, configurations), a note when points mix configurations; error_bars draws the p10-p90 spread of each point''s per-iteration samples (the range of its values without them)';

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

-- The comparison chart (issue 12): dlpg.compare as a picture, one bar per
-- configuration, the change in percent, coloured by verdict.
CREATE FUNCTION dlpg.compare_chart(baseline jsonb, candidate jsonb, y_axis text DEFAULT 'throughput',
                                   filters jsonb DEFAULT '{}', format text DEFAULT 'svg')
    RETURNS text
    AS 'MODULE_PATHNAME', 'dlpg_compare_chart'
    LANGUAGE C STABLE PARALLEL RESTRICTED
    SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION dlpg.compare_chart(jsonb, jsonb, text, jsonb, text) IS
    'dlpg.compare as a chart (SVG, or a Vega-Lite spec with format vega-lite): one bar per configuration, named by the axes that differ among them, the change from baseline to candidate in percent, coloured by verdict (improved, regressed, unchanged, insufficient), with the p-value and sample counts as tooltips';

-- MLPerf (issue 13, first step): the MLLOG records of a result file.
CREATE FUNCTION dlpg.parse_mllog(log text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'dlpg_parse_mllog'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.parse_mllog(text) IS
    'The MLLOG records of an MLPerf result file ("<anything> :::MLLOG {json}" lines), in file order: [{"line": N, "record": {...}}], a record that is not a JSON object as {"line": N, "invalid": its text (cut), "reason": ...}';

CREATE FUNCTION dlpg.parse_mlperf_summary(summary text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'dlpg_parse_mlperf_summary'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.parse_mlperf_summary(text) IS
    'The lines of an MLPerf inference summary (LoadGen''s mlperf_log_summary.txt) in order: "label : value" lines as {"line", "section", "label", "value"} (values as written), other text lines as {"line", "section", "text"}';
-- ---------------------------------------------------------------------------
-- Aggregates Citus can push down (issue 11): Citus runs a custom aggregate on
-- its workers (worker_partial_agg) and combines the partial states on the
-- coordinator (coord_combine_agg) only when the state is a real type, not
-- internal: it ships each group's partial state as the type's text.  So
-- dlpg.trial_*, point_configs and point_mixed get state types of their own.
-- Their text and binary forms are the checked wire formats the parallel
-- workers used (hex as text); dlpg.trial_state is fixed-length and updated
-- in place, dlpg.trial_values and dlpg.config_state are expanded objects
-- while an aggregate runs (nothing is copied per row).
-- point_configs and point_mixed also take their values as one record,
-- ROW(a, b, ...): Citus pushes an aggregate down only when its arguments have
-- fixed types, which VARIADIC "any" has not (dlpg.series uses that form where
-- Citus is installed, the faster VARIADIC one elsewhere).
-- An aggregate's state type cannot change: the four trial aggregates are
-- dropped and made again (nothing of dlpg depends on them; a user's view that uses
-- one stops this update with PostgreSQL's "cannot drop ... because other
-- objects depend on it": drop it, update, and make it again).
-- Citus checks EXECUTE on an aggregate's support functions for the user who
-- runs the query (PostgreSQL checks the aggregate's owner): dlpg_reader and
-- dlpg_writer get EXECUTE on them, nobody else.
-- ---------------------------------------------------------------------------
DROP AGGREGATE dlpg.trial_min(double precision);
DROP AGGREGATE dlpg.trial_max(double precision);
DROP AGGREGATE dlpg.trial_avg(double precision);
DROP AGGREGATE dlpg.trial_median(double precision);
DROP FUNCTION dlpg_internal.trials_accum(internal, double precision);
DROP FUNCTION dlpg_internal.trials_accum_keep(internal, double precision);
DROP FUNCTION dlpg_internal.trials_combine(internal, internal);
DROP FUNCTION dlpg_internal.trials_serialize(internal);
DROP FUNCTION dlpg_internal.trials_deserialize(bytea, internal);
DROP FUNCTION dlpg_internal.trials_min_final(internal);
DROP FUNCTION dlpg_internal.trials_max_final(internal);
DROP FUNCTION dlpg_internal.trials_avg_final(internal);
DROP FUNCTION dlpg_internal.trials_median_final(internal);

-- The three state types, each with its text and binary forms
CREATE TYPE dlpg.trial_state;
CREATE FUNCTION dlpg_internal.trial_state_in(cstring) RETURNS dlpg.trial_state
    AS 'MODULE_PATHNAME', 'dlpg_trial_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_state_out(dlpg.trial_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'dlpg_trial_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_state_recv(internal) RETURNS dlpg.trial_state
    AS 'MODULE_PATHNAME', 'dlpg_trial_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_state_send(dlpg.trial_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'dlpg_trial_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE dlpg.trial_state (
    INPUT = dlpg_internal.trial_state_in, OUTPUT = dlpg_internal.trial_state_out,
    RECEIVE = dlpg_internal.trial_state_recv, SEND = dlpg_internal.trial_state_send,
    INTERNALLENGTH = 48, ALIGNMENT = double, STORAGE = plain);
COMMENT ON TYPE dlpg.trial_state IS
    'State of dlpg.trial_min, trial_max and trial_avg: count, compensated sum, min and max of the trials (text form: the checked wire bytes in hex)';

CREATE TYPE dlpg.trial_values;
CREATE FUNCTION dlpg_internal.trial_values_in(cstring) RETURNS dlpg.trial_values
    AS 'MODULE_PATHNAME', 'dlpg_trial_values_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_values_out(dlpg.trial_values) RETURNS cstring
    AS 'MODULE_PATHNAME', 'dlpg_trial_values_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_values_recv(internal) RETURNS dlpg.trial_values
    AS 'MODULE_PATHNAME', 'dlpg_trial_values_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_values_send(dlpg.trial_values) RETURNS bytea
    AS 'MODULE_PATHNAME', 'dlpg_trial_values_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE dlpg.trial_values (
    INPUT = dlpg_internal.trial_values_in, OUTPUT = dlpg_internal.trial_values_out,
    RECEIVE = dlpg_internal.trial_values_recv, SEND = dlpg_internal.trial_values_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
COMMENT ON TYPE dlpg.trial_values IS
    'State of dlpg.trial_median: the summary of dlpg.trial_state and every trial (text form: the checked wire bytes in hex)';

CREATE TYPE dlpg.config_state;
CREATE FUNCTION dlpg_internal.config_state_in(cstring) RETURNS dlpg.config_state
    AS 'MODULE_PATHNAME', 'dlpg_config_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.config_state_out(dlpg.config_state) RETURNS cstring
    AS 'MODULE_PATHNAME', 'dlpg_config_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.config_state_recv(internal) RETURNS dlpg.config_state
    AS 'MODULE_PATHNAME', 'dlpg_config_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.config_state_send(dlpg.config_state) RETURNS bytea
    AS 'MODULE_PATHNAME', 'dlpg_config_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE dlpg.config_state (
    INPUT = dlpg_internal.config_state_in, OUTPUT = dlpg_internal.config_state_out,
    RECEIVE = dlpg_internal.config_state_recv, SEND = dlpg_internal.config_state_send,
    INTERNALLENGTH = VARIABLE, STORAGE = extended);
COMMENT ON TYPE dlpg.config_state IS
    'State of dlpg.point_configs and point_mixed: the axis names, the first configuration, which values differ, a 64-bit hash per configuration (text form: the checked wire bytes in hex)';

-- The support functions
CREATE FUNCTION dlpg_internal.trials_accum(dlpg.trial_state, double precision) RETURNS dlpg.trial_state
    AS 'MODULE_PATHNAME', 'dlpg_trials_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trials_combine(dlpg.trial_state, dlpg.trial_state) RETURNS dlpg.trial_state
    AS 'MODULE_PATHNAME', 'dlpg_trials_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trials_min_final(dlpg.trial_state) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_trials_min_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trials_max_final(dlpg.trial_state) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_trials_max_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trials_avg_final(dlpg.trial_state) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_trials_avg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_values_accum(dlpg.trial_values, double precision) RETURNS dlpg.trial_values
    AS 'MODULE_PATHNAME', 'dlpg_trial_values_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_values_combine(dlpg.trial_values, dlpg.trial_values) RETURNS dlpg.trial_values
    AS 'MODULE_PATHNAME', 'dlpg_trial_values_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.trial_values_median_final(dlpg.trial_values) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_trial_values_median_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_accum(dlpg.config_state, text[], VARIADIC "any") RETURNS dlpg.config_state
    AS 'MODULE_PATHNAME', 'dlpg_configs_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_accum_row(dlpg.config_state, text[], record) RETURNS dlpg.config_state
    AS 'MODULE_PATHNAME', 'dlpg_configs_accum_row' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_combine(dlpg.config_state, dlpg.config_state) RETURNS dlpg.config_state
    AS 'MODULE_PATHNAME', 'dlpg_configs_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_count_final(dlpg.config_state) RETURNS integer
    AS 'MODULE_PATHNAME', 'dlpg_configs_count_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg_internal.configs_mixed_final(dlpg.config_state) RETURNS text[]
    AS 'MODULE_PATHNAME', 'dlpg_configs_mixed_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION dlpg_internal.trial_state_in(cstring) IS 'Text input of dlpg.trial_state (hex of the wire bytes, checked)';
COMMENT ON FUNCTION dlpg_internal.trial_state_out(dlpg.trial_state) IS 'Text output of dlpg.trial_state';
COMMENT ON FUNCTION dlpg_internal.trial_state_recv(internal) IS 'Binary input of dlpg.trial_state (the wire bytes, checked)';
COMMENT ON FUNCTION dlpg_internal.trial_state_send(dlpg.trial_state) IS 'Binary output of dlpg.trial_state';
COMMENT ON FUNCTION dlpg_internal.trial_values_in(cstring) IS 'Text input of dlpg.trial_values (hex of the wire bytes, checked)';
COMMENT ON FUNCTION dlpg_internal.trial_values_out(dlpg.trial_values) IS 'Text output of dlpg.trial_values';
COMMENT ON FUNCTION dlpg_internal.trial_values_recv(internal) IS 'Binary input of dlpg.trial_values (the wire bytes, checked)';
COMMENT ON FUNCTION dlpg_internal.trial_values_send(dlpg.trial_values) IS 'Binary output of dlpg.trial_values';
COMMENT ON FUNCTION dlpg_internal.config_state_in(cstring) IS 'Text input of dlpg.config_state (hex of the wire bytes, checked)';
COMMENT ON FUNCTION dlpg_internal.config_state_out(dlpg.config_state) IS 'Text output of dlpg.config_state';
COMMENT ON FUNCTION dlpg_internal.config_state_recv(internal) IS 'Binary input of dlpg.config_state (the wire bytes, checked)';
COMMENT ON FUNCTION dlpg_internal.config_state_send(dlpg.config_state) IS 'Binary output of dlpg.config_state';
COMMENT ON FUNCTION dlpg_internal.trials_accum(dlpg.trial_state, double precision) IS
    'Transition function of dlpg.trial_min, trial_max and trial_avg: count, compensated sum, min and max of the trials (in place)';
COMMENT ON FUNCTION dlpg_internal.trials_combine(dlpg.trial_state, dlpg.trial_state) IS
    'Combine function of dlpg.trial_min, trial_max and trial_avg: merges two partial states (parallel query, Citus)';
COMMENT ON FUNCTION dlpg_internal.trials_min_final(dlpg.trial_state) IS 'Final function of dlpg.trial_min';
COMMENT ON FUNCTION dlpg_internal.trials_max_final(dlpg.trial_state) IS 'Final function of dlpg.trial_max';
COMMENT ON FUNCTION dlpg_internal.trials_avg_final(dlpg.trial_state) IS 'Final function of dlpg.trial_avg';
COMMENT ON FUNCTION dlpg_internal.trial_values_accum(dlpg.trial_values, double precision) IS
    'Transition function of dlpg.trial_median: as trials_accum, keeping every value';
COMMENT ON FUNCTION dlpg_internal.trial_values_combine(dlpg.trial_values, dlpg.trial_values) IS
    'Combine function of dlpg.trial_median: merges two partial states (parallel query, Citus)';
COMMENT ON FUNCTION dlpg_internal.trial_values_median_final(dlpg.trial_values) IS 'Final function of dlpg.trial_median';
COMMENT ON FUNCTION dlpg_internal.configs_accum(dlpg.config_state, text[], "any") IS 'Internal: transition function of dlpg.point_configs and dlpg.point_mixed (values as arguments)';
COMMENT ON FUNCTION dlpg_internal.configs_accum_row(dlpg.config_state, text[], record) IS 'Internal: transition function of dlpg.point_configs and dlpg.point_mixed (values as one record)';
COMMENT ON FUNCTION dlpg_internal.configs_combine(dlpg.config_state, dlpg.config_state) IS 'Internal: combine function of dlpg.point_configs and dlpg.point_mixed';
COMMENT ON FUNCTION dlpg_internal.configs_count_final(dlpg.config_state) IS 'Internal: final function of dlpg.point_configs';
COMMENT ON FUNCTION dlpg_internal.configs_mixed_final(dlpg.config_state) IS 'Internal: final function of dlpg.point_mixed';

-- Nobody may call them but the owner and the two dlpg roles (Citus checks the
-- caller); the I/O functions are called by the system, without a check.
DO $$
DECLARE
    f regprocedure;
BEGIN
    FOR f IN SELECT p.oid FROM pg_proc p
              WHERE p.pronamespace = 'dlpg_internal'::regnamespace
                AND p.proname ~ '^(trials_|trial_values_|configs_|trial_state_|config_state_)'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
        IF f::text !~ '_(in|out|recv|send)\(' THEN
            EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO dlpg_reader, dlpg_writer', f);
        END IF;
    END LOOP;
END
$$;

CREATE AGGREGATE dlpg.trial_min(double precision) (
    SFUNC = dlpg_internal.trials_accum, STYPE = dlpg.trial_state, FINALFUNC = dlpg_internal.trials_min_final,
    COMBINEFUNC = dlpg_internal.trials_combine, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.trial_max(double precision) (
    SFUNC = dlpg_internal.trials_accum, STYPE = dlpg.trial_state, FINALFUNC = dlpg_internal.trials_max_final,
    COMBINEFUNC = dlpg_internal.trials_combine, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.trial_avg(double precision) (
    SFUNC = dlpg_internal.trials_accum, STYPE = dlpg.trial_state, FINALFUNC = dlpg_internal.trials_avg_final,
    COMBINEFUNC = dlpg_internal.trials_combine, PARALLEL = SAFE);
-- The median's final function sorts the kept values in place.
CREATE AGGREGATE dlpg.trial_median(double precision) (
    SFUNC = dlpg_internal.trial_values_accum, STYPE = dlpg.trial_values,
    FINALFUNC = dlpg_internal.trial_values_median_final, FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = dlpg_internal.trial_values_combine, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.point_configs(text[], VARIADIC "any") (
    SFUNC = dlpg_internal.configs_accum, STYPE = dlpg.config_state, FINALFUNC = dlpg_internal.configs_count_final,
    COMBINEFUNC = dlpg_internal.configs_combine, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.point_mixed(text[], VARIADIC "any") (
    SFUNC = dlpg_internal.configs_accum, STYPE = dlpg.config_state, FINALFUNC = dlpg_internal.configs_mixed_final,
    COMBINEFUNC = dlpg_internal.configs_combine, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.point_configs(names text[], config record) (
    SFUNC = dlpg_internal.configs_accum_row, STYPE = dlpg.config_state, FINALFUNC = dlpg_internal.configs_count_final,
    COMBINEFUNC = dlpg_internal.configs_combine, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.point_mixed(names text[], config record) (
    SFUNC = dlpg_internal.configs_accum_row, STYPE = dlpg.config_state, FINALFUNC = dlpg_internal.configs_mixed_final,
    COMBINEFUNC = dlpg_internal.configs_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE dlpg.trial_min(double precision) IS 'Smallest of repeated trials';
COMMENT ON AGGREGATE dlpg.trial_max(double precision) IS 'Largest of repeated trials';
COMMENT ON AGGREGATE dlpg.trial_avg(double precision) IS 'Mean of repeated trials (compensated sum)';
COMMENT ON AGGREGATE dlpg.trial_median(double precision) IS
    'Median of repeated trials (of an even count, the mean of the two middle values)';
COMMENT ON AGGREGATE dlpg.point_configs(text[], "any") IS
    'How many distinct configurations the rows are: point_configs(names, value1, value2, ...), one name per value (integer or text), NULL counting as a value';
COMMENT ON AGGREGATE dlpg.point_mixed(text[], "any") IS
    'The names (sorted) of the values that differ among the rows, NULL counting as a value: point_mixed(names, value1, value2, ...)';
COMMENT ON AGGREGATE dlpg.point_configs(text[], record) IS
    'point_configs(names, value1, value2, ...) with the values as one record, ROW(value1, value2, ...): the form Citus pushes down to its workers';
COMMENT ON AGGREGATE dlpg.point_mixed(text[], record) IS
    'point_mixed(names, value1, value2, ...) with the values as one record, ROW(value1, value2, ...): the form Citus pushes down to its workers';

-- ---------------------------------------------------------------------------
-- MLPerf sources (issue 13, items 1 and 2): formats mlperf_training (one
-- result_N.txt) and mlperf_inference (one performance/run_1 folder), read by
-- dlpg.load (src/mlperf/).  New axes: scenario, submitter,
-- division, round (filters); new Y measures: time_to_train, mlperf_latency and the
-- latency percentiles of an inference run.  An ok benchmark has a finite,
-- positive measure of its kind: batch time and throughput (DLBS), a time to
-- train (MLPerf training), or a throughput or mlperf_latency (MLPerf inference).
-- ---------------------------------------------------------------------------
ALTER TABLE dlpg.benchmarks
    ADD COLUMN IF NOT EXISTS submitter text,
    ADD COLUMN IF NOT EXISTS division text,
    ADD COLUMN IF NOT EXISTS round text,
    ADD COLUMN IF NOT EXISTS scenario text,
    ADD COLUMN IF NOT EXISTS time_to_train double precision,
    ADD COLUMN IF NOT EXISTS mlperf_latency double precision,
    ADD COLUMN IF NOT EXISTS latency_p50 double precision,
    ADD COLUMN IF NOT EXISTS latency_p90 double precision,
    ADD COLUMN IF NOT EXISTS latency_p95 double precision,
    ADD COLUMN IF NOT EXISTS latency_p97 double precision,
    ADD COLUMN IF NOT EXISTS latency_p99 double precision,
    ADD COLUMN IF NOT EXISTS latency_p99_9 double precision;
COMMENT ON COLUMN dlpg.benchmarks.submitter IS 'MLPerf: the organisation that submitted the result (system description''s submitter, else the submitter folder, else the log''s submission_org); NULL for DLBS';
COMMENT ON COLUMN dlpg.benchmarks.division IS 'MLPerf: division, closed or open (system description, else the division folder or the log''s submission_division)';
COMMENT ON COLUMN dlpg.benchmarks.round IS 'MLPerf: round as "training v3.0" or "inference v4.1", from the results repository''s folder name (training_results_v3.0); NULL when the path does not name it';
COMMENT ON COLUMN dlpg.benchmarks.scenario IS 'MLPerf inference: scenario, Offline, Server, SingleStream or MultiStream';
COMMENT ON COLUMN dlpg.benchmarks.time_to_train IS 'MLPerf training: (run_stop.time_ms - run_start.time_ms) / 60000, minutes; kept for failed runs too (MLPerf''s olympic mean counts them)';
COMMENT ON COLUMN dlpg.benchmarks.mlperf_latency IS 'MLPerf inference, SingleStream and MultiStream: the latency result the submission checker takes (early-stopping estimate of the 90th / 99th percentile), ms';
COMMENT ON COLUMN dlpg.benchmarks.latency_p50 IS 'MLPerf inference: the summary''s 50.00 percentile latency, ms';
COMMENT ON COLUMN dlpg.benchmarks.latency_p90 IS 'MLPerf inference: the summary''s 90.00 percentile latency, ms';
COMMENT ON COLUMN dlpg.benchmarks.latency_p95 IS 'MLPerf inference: the summary''s 95.00 percentile latency, ms';
COMMENT ON COLUMN dlpg.benchmarks.latency_p97 IS 'MLPerf inference: the summary''s 97.00 percentile latency, ms';
COMMENT ON COLUMN dlpg.benchmarks.latency_p99 IS 'MLPerf inference: the summary''s 99.00 percentile latency, ms';
COMMENT ON COLUMN dlpg.benchmarks.latency_p99_9 IS 'MLPerf inference: the summary''s 99.90 percentile latency, ms';

ALTER TABLE dlpg.benchmarks
    DROP CONSTRAINT benchmarks_status_valid,
    ADD CONSTRAINT benchmarks_status_valid CHECK (
        status IN ('ok', 'failed', 'skipped', 'disabled')
        AND (status <> 'ok' OR coalesce(
                (batch_time_ms > 0 AND throughput > 0
                 AND batch_time_ms < 'Infinity' AND throughput < 'Infinity')
             OR (time_to_train > 0 AND time_to_train < 'Infinity')
             OR (scenario IS NOT NULL
                 AND ((throughput > 0 AND throughput < 'Infinity')
                      OR (mlperf_latency > 0 AND mlperf_latency < 'Infinity'))), false)));
COMMENT ON COLUMN dlpg.benchmarks.status IS
    'ok (a finite, positive measure: batch time and throughput for DLBS, time to train for MLPerf training, throughput or MLPerf latency for MLPerf inference), failed, skipped or disabled; derived from the results, not the log header';

SELECT dlpg_internal.write_axis_views();

-- ---------------------------------------------------------------------------
-- MLPerf's olympic mean (issue 13, item 4): aggregation method "olympic" of
-- dlpg.series and dlpg.chart.  dlpg.trial_sample collects a point's runs
-- (a failed run as the worst value there is) into a dlpg.trial_values state,
-- which Citus can push down like trial_median's; dlpg.olympic_mean drops the
-- fastest and slowest runs (more for benchmarks whose rules say so) and
-- averages the rest, or gives no score when too many runs failed.
-- ---------------------------------------------------------------------------
CREATE AGGREGATE dlpg.trial_sample(double precision) (
    SFUNC = dlpg_internal.trial_values_accum, STYPE = dlpg.trial_values,
    COMBINEFUNC = dlpg_internal.trial_values_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE dlpg.trial_sample(double precision) IS
    'Every trial of a group, as a dlpg.trial_values state (for dlpg.olympic_mean)';
CREATE FUNCTION dlpg.olympic_mean(sample dlpg.trial_values, drop integer) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_olympic_mean' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.olympic_mean(dlpg.trial_values, integer) IS
    'MLPerf''s olympic mean of a set''s runs: drop the drop fastest and drop slowest, average the rest; failed runs (infinities) count among the dropped; NULL when more than drop failed or nothing is left';

-- ---------------------------------------------------------------------------
-- dlpg.point_summary (issue 11): point_configs and point_mixed in one
-- aggregate, (configs, mixed), for a query that wants both, as dlpg.series
-- and dlpg.scaling_report do.  On one node PostgreSQL already computes one
-- state for the two; Citus ships each aggregate's partial states on their own,
-- so the two sent the same state twice (97% of a chart's bytes from the
-- workers).
-- ---------------------------------------------------------------------------
CREATE TYPE dlpg.point_summary AS (configs integer, mixed text[]);
COMMENT ON TYPE dlpg.point_summary IS
    'What a chart point is made of: configs, how many distinct configurations; mixed, the axes whose values differ among them';
CREATE FUNCTION dlpg_internal.configs_summary_final(dlpg.config_state) RETURNS dlpg.point_summary
    AS 'MODULE_PATHNAME', 'dlpg_configs_summary_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dlpg_internal.configs_summary_final(dlpg.config_state) IS 'Internal: final function of dlpg.point_summary';
REVOKE ALL ON FUNCTION dlpg_internal.configs_summary_final(dlpg.config_state) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dlpg_internal.configs_summary_final(dlpg.config_state) TO dlpg_reader, dlpg_writer;
CREATE AGGREGATE dlpg.point_summary(text[], VARIADIC "any") (
    SFUNC = dlpg_internal.configs_accum, STYPE = dlpg.config_state, FINALFUNC = dlpg_internal.configs_summary_final,
    COMBINEFUNC = dlpg_internal.configs_combine, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.point_summary(names text[], config record) (
    SFUNC = dlpg_internal.configs_accum_row, STYPE = dlpg.config_state, FINALFUNC = dlpg_internal.configs_summary_final,
    COMBINEFUNC = dlpg_internal.configs_combine, PARALLEL = SAFE);
COMMENT ON AGGREGATE dlpg.point_summary(text[], "any") IS
    'point_configs and point_mixed at once, as (configs, mixed): point_summary(names, value1, value2, ...)';
COMMENT ON AGGREGATE dlpg.point_summary(text[], record) IS
    'point_summary(names, value1, value2, ...) with the values as one record, ROW(value1, value2, ...): the form Citus pushes down to its workers';
