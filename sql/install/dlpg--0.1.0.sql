-- dlpg 0.1.0: storage and ingestion of DLBS benchmark results.
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

-- ---------------------------------------------------------------------------
-- Privileges: readers query, writers ingest. Nothing is SECURITY DEFINER, so
-- a writer needs the table rights its ingest calls use.
-- ---------------------------------------------------------------------------
REVOKE ALL ON FUNCTION dlpg.ingest(text, text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dlpg.ingest_json(jsonb, text, text) FROM PUBLIC;

GRANT USAGE ON SCHEMA dlpg TO dlpg_reader, dlpg_writer;
GRANT SELECT ON dlpg.benchmarks, dlpg.rejects TO dlpg_reader, dlpg_writer;
GRANT INSERT, UPDATE ON dlpg.benchmarks TO dlpg_writer;
GRANT INSERT ON dlpg.rejects TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.ingest(text, text, text) TO dlpg_writer;
GRANT EXECUTE ON FUNCTION dlpg.ingest_json(jsonb, text, text) TO dlpg_writer;
