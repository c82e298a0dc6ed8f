-- dlpg 0.2.0 -> 0.3.0: the system of record.  Backups keep the data, an ok
-- benchmark has finite measures whoever writes it, and only errors about the
-- input itself become rows of dlpg.rejects.  The C fixes of
-- this release (all-or-nothing plans, cuts on character boundaries, cancel in
-- every input-sized loop, non-finite measures) need no SQL.
\echo Use "ALTER EXTENSION dlpg UPDATE TO '0.3.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Backups. Rows of tables an extension script creates are not dumped unless the
-- tables are marked as configuration; the identity sequences are marked too, so
-- that a restore goes on numbering after the restored ids.
-- ---------------------------------------------------------------------------
SELECT pg_catalog.pg_extension_config_dump('dlpg.benchmarks', '');
SELECT pg_catalog.pg_extension_config_dump('dlpg.benchmarks_id_seq', '');
SELECT pg_catalog.pg_extension_config_dump('dlpg.rejects', '');
SELECT pg_catalog.pg_extension_config_dump('dlpg.rejects_id_seq', '');

-- ---------------------------------------------------------------------------
-- The rule the charts rely on, for every writer: an ok benchmark has finite,
-- positive measures (NaN and Infinity are "positive" to the comparison of
-- 0.1.0's constraint). Rows that 0.2.0 stored as ok with a non-finite measure
-- (an infinite throughput derived from a tiny results.time) become failed, as
-- 0.3.0's ingest would have stored them.
-- ---------------------------------------------------------------------------
UPDATE dlpg.benchmarks
   SET status = 'failed',
       status_reason = pg_catalog.format('a measure is not finite (batch time %s ms, throughput %s): marked failed by the update to dlpg 0.3.0',
                                         batch_time_ms, throughput)
 WHERE status OPERATOR(pg_catalog.=) 'ok'
   AND NOT (batch_time_ms OPERATOR(pg_catalog.<) 'Infinity'::float8
            AND throughput OPERATOR(pg_catalog.<) 'Infinity'::float8);
ALTER TABLE dlpg.benchmarks
    DROP CONSTRAINT benchmarks_status_valid,
    ADD CONSTRAINT benchmarks_status_valid CHECK (
        status IN ('ok', 'failed', 'skipped', 'disabled')
        AND (status <> 'ok' OR coalesce(batch_time_ms > 0 AND throughput > 0
                                        AND batch_time_ms < 'Infinity' AND throughput < 'Infinity', false)));
COMMENT ON COLUMN dlpg.benchmarks.status IS
    'ok (positive, finite batch time and throughput), failed, skipped or disabled; derived from the results, not the log header';

-- ---------------------------------------------------------------------------
-- The one writer of dlpg.rejects (C): dlpg.load_input and dlpg-load call it,
-- the bulk JSON path in C uses it directly, so only it knows the layout.
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.reject(source text, reason text, detail text, sqlstate text,
                            line integer DEFAULT NULL, key text DEFAULT NULL, raw text DEFAULT NULL)
    RETURNS void
    AS 'MODULE_PATHNAME', 'dlpg_reject'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dlpg.reject(text, text, text, text, integer, text, text) IS
    'Record an input that could not be ingested in dlpg.rejects (reason and sqlstate required; line, key and raw where known)';
REVOKE ALL ON FUNCTION dlpg.reject(text, text, text, text, integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dlpg.reject(text, text, text, text, integer, text, text) TO dlpg_writer;

-- ---------------------------------------------------------------------------
-- Loading many files: which errors are the input's fault.
-- ---------------------------------------------------------------------------
-- Bad input (class 22: data exceptions; class 54: too large or too deeply
-- nested; 23505 when on_conflict is error) becomes a row of dlpg.rejects.
-- Anything else describes the server's state, not the input (lock timeouts,
-- cancels, out of memory, deadlocks, a bug): it is raised, so that the caller
-- stops or retries and a re-run completes the job, instead of recording a good
-- file as bad.
CREATE OR REPLACE FUNCTION dlpg.load_input(input text, source text, on_conflict text, is_json boolean)
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    state text;
    message text;
    detail text;
BEGIN
    IF is_json THEN
        RETURN QUERY SELECT * FROM dlpg.ingest_json_detailed(input::jsonb, source, on_conflict);
    ELSE
        RETURN QUERY SELECT * FROM dlpg.ingest_detailed(input, source, on_conflict);
    END IF;
EXCEPTION
WHEN data_exception OR program_limit_exceeded OR statement_too_complex OR unique_violation THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
    IF state = '23505' AND lower(load_input.on_conflict) <> 'error' THEN
        RAISE;                  -- not the "already stored" of on_conflict error
    END IF;
    PERFORM dlpg.reject(load_input.source, message, nullif(detail, ''), state,
                        substring(detail FROM '^line (\d+)')::integer,
                        substring(detail FROM 'key "(.*)"$'), input);
    RETURN QUERY SELECT NULL::integer, NULL::bigint, 'rejected'::text, NULL::text;
END
$$;
COMMENT ON FUNCTION dlpg.load_input(text, text, text, boolean) IS
    'Ingest one log (is_json false) or JSON document; bad input (SQLSTATE class 22 or 54, 23505 under on_conflict error) becomes a row of dlpg.rejects and the outcome rejected, any other error is raised';

-- ---------------------------------------------------------------------------
-- The Guide's variables, declared once in C (src/axes.c): the views read them
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.axis_defs()
    RETURNS TABLE (name text, label text, description text, ord integer, kind text,
                   x_axis boolean, column_name text)
    AS 'MODULE_PATHNAME', 'dlpg_axis_defs'
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 14;
COMMENT ON FUNCTION dlpg.axis_defs() IS
    'Every axis and filter of the Guide as dlpg declares it: name, display label, description, order, kind (text, vocabulary, integer), whether it is an X axis, and its column in dlpg.benchmarks';

CREATE FUNCTION dlpg.y_measure_defs()
    RETURNS TABLE (name text, label text, unit text, better text, column_name text)
    AS 'MODULE_PATHNAME', 'dlpg_y_measure_defs'
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION dlpg.y_measure_defs() IS
    'Every Y measure as dlpg declares it: name, display label, unit, which way is better, and its column in dlpg.benchmarks';

CREATE OR REPLACE VIEW dlpg.x_axes (name, label, description, ord) AS
SELECT d.name, d.label, d.description, d.ord
  FROM dlpg.axis_defs() AS d
 WHERE d.x_axis
 ORDER BY d.ord;

CREATE OR REPLACE VIEW dlpg.y_axes (name, label, unit, better) AS
SELECT d.name, d.label, d.unit, d.better
  FROM dlpg.y_measure_defs() AS d;

-- dlpg.axes and dlpg.axis_values have a column or a row per axis: they are
-- written from the same tables by dlpg.write_axis_views(), which the next
-- version's update script calls again, so an axis added in C appears in them.
CREATE FUNCTION dlpg.write_axis_views() RETURNS void
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
      FROM dlpg.axis_defs() AS d
     WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute a   -- columns a later version adds
                    WHERE a.attrelid OPERATOR(pg_catalog.=) 'dlpg.benchmarks'::pg_catalog.regclass
                      AND a.attname OPERATOR(pg_catalog.=) d.column_name AND NOT a.attisdropped);
    SELECT pg_catalog.string_agg(pg_catalog.format('b.%I AS %I', m.column_name, m.name), ', ')
      INTO measure_cols
      FROM dlpg.y_measure_defs() AS m
     WHERE EXISTS (SELECT FROM pg_catalog.pg_attribute a   -- columns a later version adds
                    WHERE a.attrelid OPERATOR(pg_catalog.=) 'dlpg.benchmarks'::pg_catalog.regclass
                      AND a.attname OPERATOR(pg_catalog.=) m.column_name AND NOT a.attisdropped);

    -- the X axes with their labels, device_type, the other filters, then the measures
    EXECUTE pg_catalog.format(
        'CREATE OR REPLACE VIEW dlpg.axes AS
         SELECT b.id, b.source, %s, b.device_type, %s, %s FROM dlpg.benchmarks b WHERE b.status = %L',
        x_cols, filter_cols, measure_cols, 'ok');
    EXECUTE pg_catalog.format(
        'CREATE OR REPLACE VIEW dlpg.axis_values AS
         SELECT v.axis, v.value, dlpg.axis_label(v.axis, v.value) AS label, v.n,
                (rank() OVER (PARTITION BY v.axis ORDER BY v.num, v.value COLLATE "C"))::int AS rank
           FROM (SELECT a.axis, a.value, a.num, count(*) AS n
                   FROM dlpg.benchmarks b
                  CROSS JOIN LATERAL (VALUES %s) AS a(axis, value, num)
                  WHERE b.status = %L AND a.value IS NOT NULL
                  GROUP BY a.axis, a.value, a.num) v',
        value_rows, 'ok');
END
$generate$;
COMMENT ON FUNCTION dlpg.write_axis_views() IS
    'Write dlpg.axes and dlpg.axis_values from dlpg.axis_defs() and dlpg.y_measure_defs() (run by the update scripts)';
REVOKE ALL ON FUNCTION dlpg.write_axis_views() FROM PUBLIC;
SELECT dlpg.write_axis_views();


-- ---------------------------------------------------------------------------
-- dlpg.series and dlpg.scaling_report in C: each builds its query (the text
-- dlpg.series_query / dlpg.scaling_query return, for EXPLAIN) and runs it over
-- SPI, its rows going straight into the result; no round trip through PL/pgSQL.
-- ---------------------------------------------------------------------------
CREATE OR REPLACE FUNCTION dlpg.series(x_axis text, y_axis text DEFAULT 'throughput',
                                       filters jsonb DEFAULT '{}', agg text DEFAULT 'best',
                                       group_by text DEFAULT NULL, series_name text DEFAULT NULL)
    RETURNS TABLE (series text, x text, x_rank integer, y double precision, n bigint)
    AS 'MODULE_PATHNAME', 'dlpg_series'
    LANGUAGE C STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;

CREATE OR REPLACE FUNCTION dlpg.scaling_report(scaling text, filters jsonb DEFAULT '{}',
                                               group_by text DEFAULT 'model')
    RETURNS TABLE (series text, batch_size integer, num_devices integer, batch_time double precision,
                   throughput double precision, speedup double precision, efficiency double precision)
    AS 'MODULE_PATHNAME', 'dlpg_scaling_report'
    LANGUAGE C STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp;
