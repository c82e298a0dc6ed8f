-- dlpg 0.1.0: DLBS benchmark results, the Guide's axes, series and scaling reports.
\echo Use "CREATE EXTENSION dlpg" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Roles. They are cluster-wide, so an earlier install (or another database)
-- may already have made them.
-- ---------------------------------------------------------------------------
DO $roles$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'dlpg_reader') THEN
        CREATE ROLE dlpg_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'dlpg_writer') THEN
        CREATE ROLE dlpg_writer NOLOGIN;
    END IF;
END
$roles$;

-- ---------------------------------------------------------------------------
-- Tables
-- ---------------------------------------------------------------------------
CREATE TABLE dlpg.benchmarks (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    exp_id             text,
    source             text,
    ingested_at        timestamptz NOT NULL DEFAULT pg_catalog.now(),
    status             text NOT NULL,
    status_reason      text,
    framework          text,
    framework_version  text,
    model              text,
    phase              text,
    precision          text,
    data_type          text,
    device_type        text,
    processing_unit    text,
    devices_per_node   integer,
    num_nodes          integer,
    num_devices        integer,
    interconnect       text,
    replica_batch      integer,
    effective_batch    integer,
    server             text,
    software           text,
    batch_time_ms      double precision,
    throughput         double precision,
    throughput_derived boolean NOT NULL DEFAULT false,
    batch_times_ms     double precision[],
    params             jsonb NOT NULL,
    -- exp.id when the log has one, else a hash of the content: the unique
    -- constraint (not a check-then-insert) is what keeps concurrent loads of
    -- the same benchmark from making two rows.
    dedup_key          text NOT NULL UNIQUE,
    -- The rule the Guide's charts rely on. Integer columns are checked by the
    -- C ingest (positive or NULL); a CHECK per column would cost every ingest a
    -- deserialization of each expression, about a tenth of its time.
    CONSTRAINT benchmarks_status_valid CHECK (
        status IN ('ok', 'failed', 'skipped', 'disabled')
        AND (status <> 'ok' OR coalesce(batch_time_ms > 0 AND throughput > 0, false)))
);
-- The parameters hold large hw.* blocks; lz4 compresses them several times
-- faster than pglz at a similar ratio.
ALTER TABLE dlpg.benchmarks ALTER COLUMN params SET COMPRESSION lz4;

COMMENT ON TABLE dlpg.benchmarks IS
    'One row per DLBS benchmark experiment: typed axis columns, measures and every logged parameter';
COMMENT ON COLUMN dlpg.benchmarks.id IS 'Row id';
COMMENT ON COLUMN dlpg.benchmarks.exp_id IS 'DLBS exp.id, the experiment''s own identifier';
COMMENT ON COLUMN dlpg.benchmarks.source IS 'File name or label given at ingest';
COMMENT ON COLUMN dlpg.benchmarks.ingested_at IS 'When the row was stored (or last replaced)';
COMMENT ON COLUMN dlpg.benchmarks.status IS
    'ok (positive batch time and throughput), failed, skipped or disabled; derived from the results, not the log header';
COMMENT ON COLUMN dlpg.benchmarks.status_reason IS 'Why the status is what it is (NULL for a plain ok)';
COMMENT ON COLUMN dlpg.benchmarks.framework IS 'Framework title (exp.framework_title, else exp.framework)';
COMMENT ON COLUMN dlpg.benchmarks.framework_version IS 'Framework version (exp.framework_ver)';
COMMENT ON COLUMN dlpg.benchmarks.model IS 'Neural network model (exp.model_title, else exp.model)';
COMMENT ON COLUMN dlpg.benchmarks.phase IS 'training or inference (exp.phase)';
COMMENT ON COLUMN dlpg.benchmarks.precision IS 'fp32, fp16, bf16, int8, ... (from exp.dtype)';
COMMENT ON COLUMN dlpg.benchmarks.data_type IS
    'synthetic, synthetic/device, real, real/dram, real/ssd, real/nvme or real/weka (exp.data, exp.data_dir, exp.data_store)';
COMMENT ON COLUMN dlpg.benchmarks.device_type IS 'gpu or cpu (exp.device_type)';
COMMENT ON COLUMN dlpg.benchmarks.processing_unit IS
    'Compute device (exp.device_title, else the GPU or CPU named in the hw.* system information)';
COMMENT ON COLUMN dlpg.benchmarks.devices_per_node IS 'Devices used in one node, the Guide''s Count (exp.num_local_gpus; 1 on CPU)';
COMMENT ON COLUMN dlpg.benchmarks.num_nodes IS 'Cluster size (exp.num_nodes, default 1)';
COMMENT ON COLUMN dlpg.benchmarks.num_devices IS 'Total devices (exp.num_gpus; exp.num_nodes on CPU)';
COMMENT ON COLUMN dlpg.benchmarks.interconnect IS 'Network between nodes (exp.node_nic)';
COMMENT ON COLUMN dlpg.benchmarks.replica_batch IS 'Per-device batch (exp.replica_batch)';
COMMENT ON COLUMN dlpg.benchmarks.effective_batch IS 'Global batch (exp.effective_batch)';
COMMENT ON COLUMN dlpg.benchmarks.server IS 'Server model (exp.node_title, else hw.dmi product name, else exp.node_id)';
COMMENT ON COLUMN dlpg.benchmarks.software IS
    'Benchmark software (exp.software, else framework title, version and how it ran)';
COMMENT ON COLUMN dlpg.benchmarks.batch_time_ms IS 'Mean batch time in milliseconds (results.time)';
COMMENT ON COLUMN dlpg.benchmarks.throughput IS 'Samples per second, all devices together (results.throughput)';
COMMENT ON COLUMN dlpg.benchmarks.throughput_derived IS
    'True when throughput was missing or not positive and was computed as effective_batch * 1000 / batch_time_ms';
COMMENT ON COLUMN dlpg.benchmarks.batch_times_ms IS 'Per-iteration batch times in milliseconds (results.time_data)';
COMMENT ON COLUMN dlpg.benchmarks.params IS 'Every parameter of the log, last value wins';
COMMENT ON COLUMN dlpg.benchmarks.dedup_key IS 'exp.id, else a SHA-256 of the parameters: one row per benchmark';

CREATE TABLE dlpg.rejects (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    rejected_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    source      text,
    reason      text NOT NULL,
    detail      text,
    sqlstate    text NOT NULL,
    line        integer,
    key         text,
    raw         text
);
COMMENT ON TABLE dlpg.rejects IS 'Inputs that could not be ingested, kept with the reason: nothing is silently lost';
COMMENT ON COLUMN dlpg.rejects.id IS 'Row id';
COMMENT ON COLUMN dlpg.rejects.rejected_at IS 'When the input was rejected';
COMMENT ON COLUMN dlpg.rejects.source IS 'File name or label of the input';
COMMENT ON COLUMN dlpg.rejects.reason IS 'The error message';
COMMENT ON COLUMN dlpg.rejects.detail IS 'Where and what: element, line and key';
COMMENT ON COLUMN dlpg.rejects.sqlstate IS 'SQLSTATE of the error that rejected the input';
COMMENT ON COLUMN dlpg.rejects.line IS 'Line of the log the error is on, where known';
COMMENT ON COLUMN dlpg.rejects.key IS 'Parameter key the error is about, where known';
COMMENT ON COLUMN dlpg.rejects.raw IS 'The rejected input as it came';

-- ---------------------------------------------------------------------------
-- Ingestion (C)
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.parse_log(log text) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'dlpg_parse_log'
    LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION dlpg.parse_log(text) IS
    'DLBS log text to a flat jsonb object of its __key__=value lines (last value wins; non-JSON values kept as strings)';

CREATE FUNCTION dlpg.ingest(log text, source text DEFAULT NULL, on_conflict text DEFAULT 'skip')
    RETURNS bigint
    AS 'MODULE_PATHNAME', 'dlpg_ingest'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dlpg.ingest(text, text, text) IS
    'Parse one DLBS log, derive its typed columns and store it in dlpg.benchmarks; returns the row id. on_conflict: skip, replace or error';

CREATE FUNCTION dlpg.ingest_json(doc jsonb, source text DEFAULT NULL, on_conflict text DEFAULT 'skip')
    RETURNS SETOF bigint
    AS 'MODULE_PATHNAME', 'dlpg_ingest_json'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dlpg.ingest_json(jsonb, text, text) IS
    'Store one benchmark object, an array of them, or a DLBS {"data": [...]} file; bad array elements go to dlpg.rejects';

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
-- One subtransaction per call, so a batch of files in one transaction keeps
-- the good ones.  Used by dlpg-load, one call per file.
CREATE FUNCTION dlpg.load_log(log text, source text, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    state text;
    message text;
    detail text;
BEGIN
    RETURN QUERY SELECT * FROM dlpg.ingest_detailed(log, source, on_conflict);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
    INSERT INTO dlpg.rejects (source, reason, detail, sqlstate, line, key, raw)
    VALUES (load_log.source, message, nullif(detail, ''), state,
            substring(detail FROM '^line (\d+)')::integer,
            substring(detail FROM 'key "([^"]*)"'), log);
    RETURN QUERY SELECT NULL::integer, NULL::bigint, 'rejected'::text, NULL::text;
END
$$;
COMMENT ON FUNCTION dlpg.load_log(text, text, text) IS
    'Ingest one log; bad input becomes a row of dlpg.rejects and the outcome rejected instead of an error';

CREATE FUNCTION dlpg.load_json(doc text, source text, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    state text;
    message text;
    detail text;
BEGIN
    RETURN QUERY SELECT * FROM dlpg.ingest_json_detailed(doc::jsonb, source, on_conflict);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL;
    INSERT INTO dlpg.rejects (source, reason, detail, sqlstate, key, raw)
    VALUES (load_json.source, message, nullif(detail, ''), state,
            substring(detail FROM 'key "([^"]*)"'), doc);
    RETURN QUERY SELECT NULL::integer, NULL::bigint, 'rejected'::text, NULL::text;
END
$$;
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
-- Privileges: readers query, writers ingest. Nothing is SECURITY DEFINER, so
-- a writer needs the table rights its ingest calls use.
-- ---------------------------------------------------------------------------
REVOKE ALL ON FUNCTION dlpg.ingest(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.ingest_json(jsonb, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.ingest_detailed(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.ingest_json_detailed(jsonb, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.load_log(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.load_json(text, text, text) FROM PUBLIC;

GRANT USAGE ON SCHEMA dlpg TO dlpg_reader, dlpg_writer;
GRANT SELECT ON dlpg.benchmarks, dlpg.rejects, dlpg.x_axes, dlpg.y_axes, dlpg.axes,
    dlpg.axis_values TO dlpg_reader, dlpg_writer;
GRANT INSERT, UPDATE ON dlpg.benchmarks TO dlpg_writer;
GRANT INSERT ON dlpg.rejects TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.ingest(text, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.ingest_json(jsonb, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.ingest_detailed(text, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.ingest_json_detailed(jsonb, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.load_log(text, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.load_json(text, text, text) TO dlpg_writer;
