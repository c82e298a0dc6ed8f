-- dlpg 0.1.0 -> 0.2.0: the Guide in SQL (axes, series, scaling reports, charts) and the
-- bulk loader's functions.  A new install runs dlpg--0.1.0.sql and then this file.
\echo Use "ALTER EXTENSION dlpg UPDATE TO '0.2.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Loading many files
-- ---------------------------------------------------------------------------
-- What each input became: the bulk loader's view of ingestion.  outcome is
-- inserted, replaced, duplicate or rejected; element numbers array elements
-- (NULL for a single log or object).
CREATE FUNCTION dlpg.ingest_detailed(log text, source text DEFAULT NULL, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    AS 'MODULE_PATHNAME', 'dlpg_ingest_detailed'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dlpg.ingest_detailed(text, text, text) IS
    'dlpg.ingest, saying what happened: inserted, replaced or duplicate, and the benchmark''s status';

CREATE FUNCTION dlpg.ingest_json_detailed(doc jsonb, source text DEFAULT NULL, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    AS 'MODULE_PATHNAME', 'dlpg_ingest_json_detailed'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dlpg.ingest_json_detailed(jsonb, text, text) IS
    'dlpg.ingest_json, one row per element: inserted, replaced, duplicate or rejected (then also a row of dlpg.rejects)';

-- Never raise for bad input: record it in dlpg.rejects and say "rejected".
-- Deadlocks and serialization failures (class 40) are not about the input:
-- they are raised, and the loader runs its batch again.
-- One subtransaction per call, so a batch of files in one transaction keeps
-- the good ones.  Used by dlpg-load, one call per file.
CREATE FUNCTION dlpg.load_input(input text, source text, on_conflict text, is_json boolean)
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
WHEN transaction_rollback THEN
    RAISE;                      -- deadlock, serialization failure: the caller retries
WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
    INSERT INTO dlpg.rejects (source, reason, detail, sqlstate, line, key, raw)
    VALUES (load_input.source, message, nullif(detail, ''), state,
            substring(detail FROM '^line (\d+)')::integer,
            substring(detail FROM 'key "(.*)"$'), input);
    RETURN QUERY SELECT NULL::integer, NULL::bigint, 'rejected'::text, NULL::text;
END
$$;
COMMENT ON FUNCTION dlpg.load_input(text, text, text, boolean) IS
    'Ingest one log (is_json false) or JSON document; bad input becomes a row of dlpg.rejects and the outcome rejected';

CREATE FUNCTION dlpg.load_log(log text, source text, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM dlpg.load_input(log, source, on_conflict, false) $$;
COMMENT ON FUNCTION dlpg.load_log(text, text, text) IS
    'Ingest one log; bad input becomes a row of dlpg.rejects and the outcome rejected instead of an error';

CREATE FUNCTION dlpg.load_json(doc text, source text, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM dlpg.load_input(doc, source, on_conflict, true) $$;
COMMENT ON FUNCTION dlpg.load_json(text, text, text) IS
    'Ingest one JSON document (text); a document that cannot be read becomes a row of dlpg.rejects';

-- ---------------------------------------------------------------------------
-- The Guide's axes (C: labels and case-insensitive matching)
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.axis_label(axis text, value text) RETURNS text
    AS 'MODULE_PATHNAME', 'dlpg_axis_label_sql'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.axis_label(text, text) IS
    'The Guide''s display label of an axis value: single (FP32), Synthetic (DRAM), ...';

CREATE FUNCTION dlpg.ci_match(value text, candidates text[]) RETURNS boolean
    AS 'MODULE_PATHNAME', 'dlpg_ci_match'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.ci_match(text, text[]) IS
    'Is value one of candidates, ignoring ASCII case? (the filters of dlpg.series on free-text axes)';

CREATE VIEW dlpg.x_axes (name, label, description, ord) AS VALUES
    ('data_type', 'Data Type',
     'What and where the training dataset is: synthetic data, or a real dataset in DRAM, on local SSD or NVMe, or on Weka IO storage', 1),
    ('effective_batch', 'Effective batch size',
     'Total number of data samples in one batch processed in one iteration (replica batch times number of devices)', 2),
    ('framework', 'Framework', 'A deep learning or other software framework', 3),
    ('model', 'Model', 'A neural network model', 4),
    ('num_devices', 'Num processing units',
     'Number of compute devices used in a benchmark, in most cases GPUs; the variable for weak and strong scaling charts', 5),
    ('phase', 'Phase', 'Either training or inference', 6),
    ('precision', 'Precision',
     'Type the network stores its parameters in: single (FP32), half (FP16), bfloat16 (BF16), INT8, ...', 7),
    ('processing_unit', 'Processing unit', 'Main compute device for training or inference, from CPUs to GPU models', 8),
    ('replica_batch', 'Replica Batch Size', 'Batch used by each worker, usually per GPU', 9),
    ('server', 'Server', 'Model of a server', 10),
    ('software', 'Software',
     'The benchmark software: framework and its version, back end and how it ran (container or bare metal)', 11);
COMMENT ON VIEW dlpg.x_axes IS 'The eleven horizontal-axis variables of the Deep Learning Performance Guide';
COMMENT ON COLUMN dlpg.x_axes.name IS 'Axis name: the x_axis argument of dlpg.series, and a filter key';
COMMENT ON COLUMN dlpg.x_axes.label IS 'Display label, as the Guide writes it';
COMMENT ON COLUMN dlpg.x_axes.description IS 'What the variable means';
COMMENT ON COLUMN dlpg.x_axes.ord IS 'The Guide''s order of the variables';

CREATE VIEW dlpg.y_axes (name, label, unit, better) AS VALUES
    ('batch_time', 'Batch time (ms)', 'ms', 'lower'),
    ('throughput', 'Throughput', 'samples/s', 'higher');
COMMENT ON VIEW dlpg.y_axes IS 'The vertical-axis variables of the Guide: what a chart compares';
COMMENT ON COLUMN dlpg.y_axes.name IS 'Axis name: the y_axis argument of dlpg.series';
COMMENT ON COLUMN dlpg.y_axes.label IS 'Display label, as the Guide writes it';
COMMENT ON COLUMN dlpg.y_axes.unit IS 'Unit of the values';
COMMENT ON COLUMN dlpg.y_axes.better IS 'lower or higher: which way is better (best = min or max)';

CREATE VIEW dlpg.axes AS
SELECT b.id, b.source,
       b.data_type, dlpg.axis_label('data_type', b.data_type) AS data_type_label,
       b.effective_batch, b.effective_batch::text AS effective_batch_label,
       b.framework, b.framework AS framework_label,
       b.model, b.model AS model_label,
       b.num_devices, b.num_devices::text AS num_devices_label,
       b.phase, dlpg.axis_label('phase', b.phase) AS phase_label,
       b.precision, dlpg.axis_label('precision', b.precision) AS precision_label,
       b.processing_unit, b.processing_unit AS processing_unit_label,
       b.replica_batch, b.replica_batch::text AS replica_batch_label,
       b.server, b.server AS server_label,
       b.software, b.software AS software_label,
       b.device_type, b.devices_per_node, b.num_nodes AS cluster_size, b.interconnect,
       b.batch_time_ms AS batch_time, b.throughput
  FROM dlpg.benchmarks b
 WHERE b.status = 'ok';
COMMENT ON VIEW dlpg.axes IS
    'One row per ok benchmark: every axis of the Guide, canonical value and display label, and the measures';
COMMENT ON COLUMN dlpg.axes.id IS 'dlpg.benchmarks row id';
COMMENT ON COLUMN dlpg.axes.source IS 'File name or label given at ingest';
COMMENT ON COLUMN dlpg.axes.data_type IS 'Data Type, canonical: synthetic, real/nvme, ...';
COMMENT ON COLUMN dlpg.axes.data_type_label IS 'Data Type as the Guide shows it: Synthetic (DRAM), Real (local NVMe), ...';
COMMENT ON COLUMN dlpg.axes.effective_batch IS 'Effective batch size';
COMMENT ON COLUMN dlpg.axes.effective_batch_label IS 'Effective batch size as text';
COMMENT ON COLUMN dlpg.axes.framework IS 'Framework';
COMMENT ON COLUMN dlpg.axes.framework_label IS 'Framework as shown';
COMMENT ON COLUMN dlpg.axes.model IS 'Model';
COMMENT ON COLUMN dlpg.axes.model_label IS 'Model as shown';
COMMENT ON COLUMN dlpg.axes.num_devices IS 'Num processing units (total devices)';
COMMENT ON COLUMN dlpg.axes.num_devices_label IS 'Num processing units as text';
COMMENT ON COLUMN dlpg.axes.phase IS 'Phase: training or inference';
COMMENT ON COLUMN dlpg.axes.phase_label IS 'Phase as shown';
COMMENT ON COLUMN dlpg.axes.precision IS 'Precision, canonical: fp32, fp16, bf16, int8, ...';
COMMENT ON COLUMN dlpg.axes.precision_label IS 'Precision as the Guide shows it: single (FP32), half (FP16), INT8, ...';
COMMENT ON COLUMN dlpg.axes.processing_unit IS 'Processing unit (compute device)';
COMMENT ON COLUMN dlpg.axes.processing_unit_label IS 'Processing unit as shown';
COMMENT ON COLUMN dlpg.axes.replica_batch IS 'Replica Batch Size';
COMMENT ON COLUMN dlpg.axes.replica_batch_label IS 'Replica Batch Size as text';
COMMENT ON COLUMN dlpg.axes.server IS 'Server';
COMMENT ON COLUMN dlpg.axes.server_label IS 'Server as shown';
COMMENT ON COLUMN dlpg.axes.software IS 'Software';
COMMENT ON COLUMN dlpg.axes.software_label IS 'Software as shown';
COMMENT ON COLUMN dlpg.axes.device_type IS 'gpu or cpu';
COMMENT ON COLUMN dlpg.axes.devices_per_node IS 'Devices used in one node: the Guide''s Count filter';
COMMENT ON COLUMN dlpg.axes.cluster_size IS 'Number of nodes: the Guide''s Cluster size filter';
COMMENT ON COLUMN dlpg.axes.interconnect IS 'Network between the nodes: the Guide''s Interconnect filter';
COMMENT ON COLUMN dlpg.axes.batch_time IS 'Batch time (ms), lower is better';
COMMENT ON COLUMN dlpg.axes.throughput IS 'Throughput (samples/s), higher is better';

CREATE VIEW dlpg.axis_values AS
SELECT v.axis, v.value, dlpg.axis_label(v.axis, v.value) AS label, v.n,
       (rank() OVER (PARTITION BY v.axis ORDER BY v.num, v.value COLLATE "C"))::int AS rank
  FROM (SELECT a.axis, a.value, a.num, count(*) AS n
          FROM dlpg.benchmarks b
         CROSS JOIN LATERAL (VALUES
               ('data_type', b.data_type, NULL::int),
               ('effective_batch', b.effective_batch::text, b.effective_batch),
               ('framework', b.framework, NULL),
               ('model', b.model, NULL),
               ('num_devices', b.num_devices::text, b.num_devices),
               ('phase', b.phase, NULL),
               ('precision', b.precision, NULL),
               ('processing_unit', b.processing_unit, NULL),
               ('replica_batch', b.replica_batch::text, b.replica_batch),
               ('server', b.server, NULL),
               ('software', b.software, NULL),
               ('cluster_size', b.num_nodes::text, b.num_nodes),
               ('interconnect', b.interconnect, NULL),
               ('devices_per_node', b.devices_per_node::text, b.devices_per_node)) AS a(axis, value, num)
         WHERE b.status = 'ok' AND a.value IS NOT NULL
         GROUP BY a.axis, a.value, a.num) v;
COMMENT ON VIEW dlpg.axis_values IS
    'What a filter dialog or dashboard variable lists: each value of each axis and filter among ok benchmarks';
COMMENT ON COLUMN dlpg.axis_values.axis IS 'Axis or filter key (the eleven X axes, cluster_size, interconnect, devices_per_node)';
COMMENT ON COLUMN dlpg.axis_values.value IS 'Canonical value, as stored and as a filter takes it';
COMMENT ON COLUMN dlpg.axis_values.label IS 'Display label, as the Guide writes it';
COMMENT ON COLUMN dlpg.axis_values.n IS 'Number of ok benchmarks with this value';
COMMENT ON COLUMN dlpg.axis_values.rank IS 'Display order within the axis (numbers in numeric order)';

-- ---------------------------------------------------------------------------
-- Trials to points: C aggregates, parallel-safe with combine/serialize
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.trials_accum(internal, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'dlpg_trials_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg.trials_accum_keep(internal, double precision) RETURNS internal
    AS 'MODULE_PATHNAME', 'dlpg_trials_accum_keep' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg.trials_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'dlpg_trials_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg.trials_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME', 'dlpg_trials_serialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg.trials_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME', 'dlpg_trials_deserialize' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION dlpg.trials_min_final(internal) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_trials_min_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg.trials_max_final(internal) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_trials_max_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg.trials_avg_final(internal) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_trials_avg_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION dlpg.trials_median_final(internal) RETURNS double precision
    AS 'MODULE_PATHNAME', 'dlpg_trials_median_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE dlpg.trial_min(double precision) (
    SFUNC = dlpg.trials_accum, STYPE = internal, FINALFUNC = dlpg.trials_min_final,
    COMBINEFUNC = dlpg.trials_combine, SERIALFUNC = dlpg.trials_serialize,
    DESERIALFUNC = dlpg.trials_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.trial_max(double precision) (
    SFUNC = dlpg.trials_accum, STYPE = internal, FINALFUNC = dlpg.trials_max_final,
    COMBINEFUNC = dlpg.trials_combine, SERIALFUNC = dlpg.trials_serialize,
    DESERIALFUNC = dlpg.trials_deserialize, PARALLEL = SAFE);
CREATE AGGREGATE dlpg.trial_avg(double precision) (
    SFUNC = dlpg.trials_accum, STYPE = internal, FINALFUNC = dlpg.trials_avg_final,
    COMBINEFUNC = dlpg.trials_combine, SERIALFUNC = dlpg.trials_serialize,
    DESERIALFUNC = dlpg.trials_deserialize, PARALLEL = SAFE);
-- The median's final function sorts the kept values in place.
CREATE AGGREGATE dlpg.trial_median(double precision) (
    SFUNC = dlpg.trials_accum_keep, STYPE = internal, FINALFUNC = dlpg.trials_median_final,
    FINALFUNC_MODIFY = READ_WRITE,
    COMBINEFUNC = dlpg.trials_combine, SERIALFUNC = dlpg.trials_serialize,
    DESERIALFUNC = dlpg.trials_deserialize, PARALLEL = SAFE);
COMMENT ON AGGREGATE dlpg.trial_min(double precision) IS 'Smallest of repeated trials';
COMMENT ON AGGREGATE dlpg.trial_max(double precision) IS 'Largest of repeated trials';
COMMENT ON AGGREGATE dlpg.trial_avg(double precision) IS 'Mean of repeated trials (compensated sum)';
COMMENT ON AGGREGATE dlpg.trial_median(double precision) IS
    'Median of repeated trials (of an even count, the mean of the two middle values)';

-- ---------------------------------------------------------------------------
-- Series and scaling reports: C builds and checks the query, SQL runs it
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.series_query(x_axis text, y_axis text DEFAULT 'throughput',
                                  filters jsonb DEFAULT '{}', agg text DEFAULT 'best',
                                  group_by text DEFAULT NULL, series_name text DEFAULT NULL)
    RETURNS text
    AS 'MODULE_PATHNAME', 'dlpg_series_query'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.series_query(text, text, jsonb, text, text, text) IS
    'The SQL that dlpg.series runs for these arguments (for EXPLAIN, or to build on)';

CREATE FUNCTION dlpg.series(x_axis text, y_axis text DEFAULT 'throughput',
                            filters jsonb DEFAULT '{}', agg text DEFAULT 'best',
                            group_by text DEFAULT NULL, series_name text DEFAULT NULL)
    RETURNS TABLE (series text, x text, x_rank integer, y double precision, n bigint)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY EXECUTE dlpg.series_query(x_axis, y_axis, filters, agg, group_by, series_name);
END
$$;
COMMENT ON FUNCTION dlpg.series(text, text, jsonb, text, text, text) IS
    'A chart of the Guide: y over x, filtered, trials reduced by agg (min, max, avg, best, median), one series per group_by value';

CREATE FUNCTION dlpg.scaling_query(scaling text, filters jsonb DEFAULT '{}', group_by text DEFAULT 'model')
    RETURNS text
    AS 'MODULE_PATHNAME', 'dlpg_scaling_query'
    LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.scaling_query(text, jsonb, text) IS
    'The SQL that dlpg.scaling_report runs for these arguments';

CREATE FUNCTION dlpg.scaling_report(scaling text, filters jsonb DEFAULT '{}', group_by text DEFAULT 'model')
    RETURNS TABLE (series text, batch_size integer, num_devices integer, batch_time double precision,
                   throughput double precision, speedup double precision, efficiency double precision)
    LANGUAGE plpgsql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    RETURN QUERY EXECUTE dlpg.scaling_query(scaling, filters, group_by);
END
$$;
COMMENT ON FUNCTION dlpg.scaling_report(text, jsonb, text) IS
    'Weak or strong scaling as DLBS reports it: speedup and efficiency (percent) against the smallest device count';

-- ---------------------------------------------------------------------------
-- Pictures
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.chart(x_axis text, y_axis text DEFAULT 'throughput',
                           filters jsonb DEFAULT '{}', agg text DEFAULT 'best',
                           group_by text DEFAULT NULL, series_name text DEFAULT NULL,
                           format text DEFAULT 'svg')
    RETURNS text
    AS 'MODULE_PATHNAME', 'dlpg_chart'
    LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.chart(text, text, jsonb, text, text, text, text) IS
    'dlpg.series as a picture: an SVG document (grouped bars, lines for numeric X axes) or a Vega-Lite v5 spec (format vega-lite)';

-- ---------------------------------------------------------------------------
-- Privileges of the new objects: readers query, writers load.
-- ---------------------------------------------------------------------------
REVOKE ALL ON FUNCTION dlpg.ingest_detailed(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.ingest_json_detailed(jsonb, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.load_input(text, text, text, boolean) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.load_log(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.load_json(text, text, text) FROM PUBLIC;

GRANT SELECT ON dlpg.x_axes, dlpg.y_axes, dlpg.axes, dlpg.axis_values TO dlpg_reader, dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.ingest_detailed(text, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.ingest_json_detailed(jsonb, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.load_input(text, text, text, boolean) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.load_log(text, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.load_json(text, text, text) TO dlpg_writer;
