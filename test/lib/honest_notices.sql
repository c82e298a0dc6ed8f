-- test/lib/honest_notices.sql: the NOTICEs of dlpg.series and dlpg.scaling_report, run by
-- test/honest_series.sql through test/lib/notices.sh in a session of its own (a NOTICE cannot
-- be caught in SQL).  Synthetic benchmarks only, rolled back; each case starts with a line
-- "== name" and prints the NOTICEs (message, detail, hint) its call raises, then one number.
\set VERBOSITY default
SET client_min_messages = notice;
BEGIN;
DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;
CREATE FUNCTION pg_temp.bm(id text, model text, dtype text, replica int, gpus int, thr float8,
                           extra jsonb DEFAULT '{}') RETURNS jsonb LANGUAGE sql IMMUTABLE AS $f$
    SELECT jsonb_build_object(
        'exp.id', id, 'exp.model', model, 'exp.framework_title', 'NoticeFW', 'exp.phase', 'training',
        'exp.dtype', dtype, 'exp.replica_batch', replica, 'exp.effective_batch', replica * gpus,
        'exp.num_gpus', gpus, 'exp.num_local_gpus', gpus, 'exp.num_nodes', 1, 'exp.device_type', 'gpu',
        'exp.data', 'synthetic', 'results.time', 1000.0 * replica / thr, 'results.throughput', thr * gpus) || extra
$f$;
SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(
    pg_temp.bm('n1', 'ResNet50', 'float32', 32, 1, 100),
    pg_temp.bm('n2', 'ResNet50', 'float16', 32, 1, 200),
    pg_temp.bm('n3', 'ResNet101', 'float32', 32, 1, 50),
    pg_temp.bm('n4', 'ResNet152', 'float32', 32, 1, 30),
    pg_temp.bm('n5', 'ResNet18', 'float32', 32, 1, 300),
    pg_temp.bm('n6', 'VGG16', 'float32', 32, 1, 40),
    pg_temp.bm('n7', 'VGG16', 'float32', 32, 2, 40),
    pg_temp.bm('n8', 'VGG16', 'float16', 32, 2, 70)));
\echo == mix model
SELECT count(*) FROM dlpg.series('model', 'throughput');
\echo == mix model by precision
SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', 'best', 'precision');
\echo == mix model fp32
SELECT count(*) FROM dlpg.series('model', 'throughput', '{"precision": "fp32"}');
\echo == mix two axes
SELECT count(*) FROM dlpg.series('precision', 'throughput');
\echo == mix scaling
SELECT count(*) FROM dlpg.scaling_report('weak');
\echo == no mix scaling
SELECT count(*) FROM dlpg.scaling_report('weak', '{"precision": "fp32"}');
\echo == typo phase
SELECT count(*) FROM dlpg.series('model', 'throughput', '{"phase": "trainig", "precision": "fp32"}');
\echo == typo model
SELECT count(*) FROM dlpg.series('model', 'throughput', '{"model": "resnet10", "precision": "fp32"}');
\echo == typo in an array
SELECT count(*) FROM dlpg.series('model', 'throughput', '{"model": ["ResNet50", "ResNt50"], "precision": "fp32"}');
\echo == typo precision
SELECT count(*) FROM dlpg.series('model', 'throughput', '{"precision": "fp33"}', 'best', 'precision');
\echo == typo far
SELECT count(*) FROM dlpg.series('model', 'throughput', '{"model": "zzzzzzzz"}');
\echo == typo scaling
SELECT count(*) FROM dlpg.scaling_report('weak', '{"model": "VGG61", "precision": "fp32"}');
\echo == right values
SELECT count(*) FROM dlpg.series('model', 'throughput', '{"phase": "TRAINING", "precision": "single (fp32)", "model": ["resnet50", "VGG16"], "num_devices": 1}');
\echo == unknown and numbers
SELECT count(*) FROM dlpg.series('model', 'throughput', '{"processing_unit": "Unknown", "replica_batch": 12345, "precision": "fp32"}');
\echo == end
ROLLBACK;
