-- test/lib/logs.sql: synthetic DLBS benchmarks, for a pgTAP file to include with
-- `\ir lib/logs.sql` inside its BEGIN ... ROLLBACK.
--
--   pg_temp.mkhead(id)         the parameter lines of a minimal log without its results
--   pg_temp.mklog(id, extra)   a minimal valid log
--   pg_temp.mkobj(id, extra)   the same benchmark as a flat JSON object (for ingest_json)
--   pg_temp.bm(...)            a benchmark of the synthetic framework SynthFW as a flat JSON object

-- A minimal valid log. Line numbers are fixed:
--   1 exp.id (or a plain text line when id is NULL), 2 exp.model, 3 exp.phase,
--   4 exp.dtype, 5 exp.replica_batch, 6 exp.effective_batch, 7 exp.num_gpus,
--   8 exp.device_type, 9 results.time, 10 results.throughput, 11.. extra lines (which win over
--   the lines above).
CREATE FUNCTION pg_temp.mkhead(id text) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT concat_ws(E'\n',
        coalesce('__exp.id__="' || id || '"', 'a log without exp.id'),
        '__exp.model__="resnet50"',
        '__exp.phase__="training"',
        '__exp.dtype__="float32"',
        '__exp.replica_batch__=32',
        '__exp.effective_batch__=32',
        '__exp.num_gpus__=1',
        '__exp.device_type__="gpu"')
$f$;
CREATE FUNCTION pg_temp.mklog(id text, extra text DEFAULT NULL) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT concat_ws(E'\n', pg_temp.mkhead(id),
        '__results.time__=100.0',
        '__results.throughput__=320',
        extra)
$f$;
-- The same benchmark as a flat JSON object, with extra keys merged over it.
CREATE FUNCTION pg_temp.mkobj(id text, extra jsonb DEFAULT '{}') RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
    SELECT jsonb_build_object(
        'exp.id', id, 'exp.model', 'resnet50', 'exp.phase', 'training', 'exp.dtype', 'float32',
        'exp.replica_batch', 32, 'exp.effective_batch', 32, 'exp.num_gpus', 1,
        'exp.device_type', 'gpu', 'results.time', 100.0, 'results.throughput', 320) || extra
$f$;

-- A synthetic benchmark as a flat DLBS object; extra overrides the defaults.
CREATE FUNCTION pg_temp.bm(id text, model text, dtype text, replica int, effective int, gpus int,
                           t float8, thr float8, extra jsonb DEFAULT '{}') RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $f$
    SELECT jsonb_build_object(
        'exp.id', id, 'exp.model', model, 'exp.framework_title', 'SynthFW', 'exp.phase', 'training',
        'exp.dtype', dtype, 'exp.replica_batch', replica, 'exp.effective_batch', effective,
        'exp.num_gpus', gpus, 'exp.num_local_gpus', gpus, 'exp.num_nodes', 1, 'exp.device_type', 'gpu',
        'exp.data', 'synthetic', 'results.time', t, 'results.throughput', thr) || extra
$f$;
