-- test/mlperf_sources.sql: the MLPerf formats of dlpg.load (src/mlperf/): mlperf_training
-- (one result_N.txt) and mlperf_inference (one performance/run_1 folder), against what
-- MLCommons' own tools compute for the bundled files (data/mlperf/expected.json): time to train
-- to 1e-9 relative, status, batch, submission fields; the inference headline metric as the
-- submission checker chooses it, validity, latency percentiles.  Then dedup (a second load, two
-- copies of a repository), a missing system description, and hostile inputs: rejects with
-- their key, or failed runs with their reason, never a crash.
-- Run from the project root (the inputs are built by test/lib/mlperf_inputs.py, as dlpg-load
-- builds them from a repository).
BEGIN;
SELECT plan(58);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;
\ir lib/errors.sql

\set training `python3 test/lib/mlperf_inputs.py training`
\set inference `python3 test/lib/mlperf_inputs.py inference`
\set expected `cat data/mlperf/expected.json`
CREATE TEMP TABLE tin AS SELECT key AS file, value AS input FROM jsonb_each(:'training'::jsonb);
CREATE TEMP TABLE iin AS SELECT key AS file, value AS input FROM jsonb_each(:'inference'::jsonb);
CREATE TEMP TABLE te AS SELECT r->>'file' AS file, r FROM jsonb_array_elements((:'expected'::jsonb)->'training_runs') r;
CREATE TEMP TABLE ie AS SELECT r->>'summary_file' AS file, r FROM jsonb_array_elements((:'expected'::jsonb)->'inference') r;

-- ---------------------------------------------------------------- the formats
SELECT set_eq('SELECT name FROM dlpg.sources()',
              ARRAY['dlbs_log', 'dlbs_json', 'mlperf_training', 'mlperf_inference'],
              'dlpg.sources() lists mlperf_training and mlperf_inference');

-- ---------------------------------------------------------------- training: every fixture run
CREATE TEMP TABLE tl AS
SELECT tin.file, l.* FROM tin, dlpg.load('mlperf_training', tin.input::text, tin.file) l;
SELECT is((SELECT count(*) FROM tl WHERE outcome = 'inserted' AND element IS NULL), (SELECT count(*) FROM te),
          'training: each result file of expected.json is one benchmark, inserted');
CREATE TEMP TABLE tb AS SELECT te.file, te.r, b.* FROM te JOIN tl USING (file) JOIN dlpg.benchmarks b ON b.id = tl.id;
SELECT is((SELECT count(*) FROM tb), 33::bigint, '... all 33 of them');
SELECT is_empty($$SELECT file, time_to_train, r->>'time_to_train_min' FROM tb
                   WHERE time_to_train IS NULL
                      OR abs(time_to_train - (r->>'time_to_train_min')::float8) > 1e-9 * (r->>'time_to_train_min')::float8$$,
                'time to train of every run equals MLCommons'' to 1e-9 relative');
SELECT is_empty($$SELECT file, status, r->>'status' FROM tb
                   WHERE status IS DISTINCT FROM CASE r->>'status' WHEN 'success' THEN 'ok' ELSE 'failed' END$$,
                'status: ok for run_stop success, failed otherwise, as MLCommons says');
SELECT is((SELECT status_reason FROM tb WHERE r->>'status' = 'aborted'), 'run_stop status "aborted"',
          '... the aborted run says why');
SELECT is((SELECT count(*) FROM tb WHERE status = 'ok' AND status_reason IS NOT NULL), 0::bigint,
          '... ok runs have no reason');
SELECT is_empty($$SELECT file FROM tb WHERE effective_batch IS DISTINCT FROM (r->>'global_batch_size')::int$$,
                'effective batch = global_batch_size');
SELECT is_empty($$SELECT file FROM tb WHERE phase <> 'training' OR model IS DISTINCT FROM r->>'submission_benchmark'$$,
                'phase training, model = submission_benchmark');
CREATE FUNCTION pg_temp.rec(params jsonb, k text) RETURNS text LANGUAGE sql AS $f$
    SELECT x->'record'->>'value' FROM jsonb_array_elements(params->'records') WITH ORDINALITY a(x, o)
     WHERE x->'record'->>'key' = k ORDER BY o DESC LIMIT 1 $f$;
SELECT is_empty($$SELECT file FROM tb
                   WHERE pg_temp.rec(params, 'submission_org') IS DISTINCT FROM r->>'submission_org'
                      OR pg_temp.rec(params, 'submission_division') IS DISTINCT FROM r->>'submission_division'
                      OR pg_temp.rec(params, 'submission_platform') IS DISTINCT FROM r->>'submission_platform'
                      OR pg_temp.rec(params, 'submission_status') IS DISTINCT FROM r->>'submission_status'$$,
                'every record kept in params: the submission fields as MLCommons reads them');
SELECT is_empty($$SELECT file FROM tb WHERE jsonb_array_length(params->'records') <> (r->>'mllog_records')::int$$,
                '... every MLLOG record of the file');
SELECT results_eq($$SELECT DISTINCT server, submitter, division, round, processing_unit, framework, num_nodes,
                          devices_per_node, num_devices, replica_batch
                     FROM tb ORDER BY server$$,
                  $$VALUES ('4-nodes-32s-8376H-pytorch', 'Intel', 'open', 'training v1.0',
                            'Intel(R) Xeon(R) Platinum 8376H CPU @ 2.60GHz', 'PyTorch', 4, 8, 32, 8192),
                           ('HLS-Gaudi2-N32-PT', 'Intel-HabanaLabs', 'closed', 'training v3.0', 'Habana Gaudi2', 'PyTorch', 32, 8, 256, 6),
                           ('dgxh100_n8_ngc23.04_mxnet', 'NVIDIA', 'closed', 'training v3.0', 'NVIDIA H100-SXM5-80GB', 'MXNet', 8, 8, 64, 50),
                           ('dgxh100_ngc23.04_pytorch', 'NVIDIA', 'closed', 'training v3.0', 'NVIDIA H100-SXM5-80GB', 'PyTorch', 1, 8, 8, 32),
                           ('eos_n8_ngc24.04_nemo', 'NVIDIA', 'closed', 'training v4.0', 'NVIDIA H100-SXM5-80GB', 'NeMo', 8, 8, 64, NULL::int),
                           ('tpu-v4-128-TF', 'Google', 'closed', 'training v1.0', 'TPU', 'TensorFlow', 16, 4, 64, 128)$$,
                  'system columns from systems/<system>.json (numbers written as strings; CPU-only: the host processors), submitter/division/round, replica batch when it divides');
SELECT is((SELECT DISTINCT software FROM tb WHERE server = 'eos_n8_ngc24.04_nemo'), 'NVIDIA NeMo Framework Release 24.04',
          'software: the description''s framework text');
SELECT is((SELECT DISTINCT (params->>'scaling_factor')::float8 FROM tb WHERE server = 'eos_n8_ngc24.04_nemo'), 1.0033670033670032::float8,
          'scaling.json''s factor kept in params');
SELECT is((SELECT count(*) FROM tb WHERE params->'scaling' = 'null' AND NOT params ? 'scaling_factor' AND server <> 'eos_n8_ngc24.04_nemo'),
          23::bigint, '... null without a scaling.json');
SELECT is_empty($$SELECT file FROM tb WHERE run_at <> to_timestamp((r->>'run_start_ms')::float8 / 1000)
                   OR abs(run_seconds - (r->>'time_to_train_min')::float8 * 60) > 1e-6$$,
                'run_at = run_start, run_seconds = the run''s length');
SELECT is((SELECT count(*) FROM tb WHERE params->'warnings' IS NOT NULL), 0::bigint, 'no warnings with every system description there');

-- ---------------------------------------------------------------- training: the Guide
SELECT results_eq($$SELECT x, round(y::numeric, 6) FROM dlpg.series('server', 'time_to_train', '{"model": "resnet"}', 'median') ORDER BY 1$$,
                  $$VALUES ('dgxh100_n8_ngc23.04_mxnet'::text, 2.663167::numeric), ('tpu-v4-128-TF', 4.301083)$$,
                  'dlpg.series(server, time_to_train): the ok runs'' median by system');
SELECT is((SELECT count(*) FROM dlpg.series('num_devices', 'time_to_train', '{"submitter": "nvidia", "round": "Training v3.0", "division": "closed"}')),
          2::bigint, 'submitter, round and division filter (any case)');

-- ---------------------------------------------------------------- training: dedup
SELECT is((SELECT count(*) FROM tin, dlpg.load('mlperf_training', tin.input::text, tin.file) l WHERE l.outcome = 'duplicate'),
          33::bigint, 'a second load: every file a duplicate');
SELECT is((SELECT count(*) FROM tin, dlpg.load('mlperf_training',
                  jsonb_set(tin.input, '{path}', to_jsonb('/mnt/copy-2/' || (tin.input->>'path')))::text, 'copy') l
            WHERE l.outcome = 'duplicate'),
          33::bigint, 'the same files from another copy of the repository (another parent folder): duplicates');
SELECT is((SELECT count(*) FROM tin, dlpg.load('mlperf_training',
                  jsonb_set(tin.input, '{path}', to_jsonb(substr(tin.input->>'path', strpos(tin.input->>'path', '/') + 1)))::text, 'copy') l
            WHERE l.outcome = 'duplicate'),
          33::bigint, '... or without the repository folder');
SELECT is((SELECT count(*) FROM dlpg.benchmarks), 33::bigint, '... nothing added');
SELECT is((SELECT l.outcome FROM tin, dlpg.load('mlperf_training',
                  jsonb_set(tin.input, '{path}', '"training_results_v3.0/NVIDIA/results/other/resnet/result_0.txt"')::text, 'moved') l
            WHERE tin.file LIKE '%dgxh100_n8_ngc23.04_mxnet/resnet/result_0.txt'),
          'inserted', 'the same text at another relative path is another benchmark');

-- ---------------------------------------------------------------- training: no system description
SELECT is((SELECT l.outcome FROM tin, dlpg.load('mlperf_training',
                  jsonb_set(jsonb_set(tin.input, '{system}', 'null'), '{path}', '"X/results/s/ssd/result_9.txt"')::text, 'nosys') l
            WHERE tin.file LIKE '%dgxh100_ngc23.04_pytorch/ssd/result_0.txt'),
          'inserted', 'system null: stored, not lost');
SELECT results_eq($$SELECT status, processing_unit, num_devices, framework, server, submitter, round,
                          params->'warnings'->>0 FROM dlpg.benchmarks WHERE source = 'nosys'$$,
                  $$VALUES ('ok'::text, NULL::text, NULL::int, NULL::text, 's'::text, 'X'::text, NULL::text,
                            'no system description (systems/s.json): its columns are NULL'::text)$$,
                  '... with NULL system columns, the path''s server and submitter, and the warning in params');

-- ---------------------------------------------------------------- inference: every fixture run
CREATE TEMP TABLE il AS
SELECT iin.file, l.* FROM iin, dlpg.load('mlperf_inference', iin.input::text, iin.file) l;
SELECT is((SELECT count(*) FROM il WHERE outcome = 'inserted'), (SELECT count(*) FROM ie),
          'inference: each performance run of expected.json is one benchmark, inserted');
CREATE TEMP TABLE ib AS SELECT ie.file, ie.r, b.* FROM ie JOIN il USING (file) JOIN dlpg.benchmarks b ON b.id = il.id;
SELECT is((SELECT count(*) FROM ib), 7::bigint, '... all 7');
SELECT is_empty($$SELECT file FROM ib WHERE scenario IS DISTINCT FROM r->'reference_checker'->>'scenario_fixed' OR phase <> 'inference'$$,
                'phase inference, scenario as the checker reads it (offline -> Offline)');
SELECT is_empty($$SELECT file FROM ib WHERE status IS DISTINCT FROM CASE WHEN (r->'reference_checker'->>'is_valid')::bool THEN 'ok' ELSE 'failed' END$$,
                'status ok iff the run is VALID');
SELECT is_empty($$SELECT file, coalesce(throughput, mlperf_latency), r->'reference_checker'->>'result' FROM ib
                   WHERE abs(coalesce(throughput, mlperf_latency) - (r->'reference_checker'->>'result')::float8)
                         > 1e-9 * (r->'reference_checker'->>'result')::float8$$,
                'the headline metric equals the submission checker''s result (samples/s, tokens/s, ms)');
SELECT is_empty($$SELECT file FROM ib WHERE (scenario IN ('Offline', 'Server')) <> (throughput IS NOT NULL AND mlperf_latency IS NULL)$$,
                '... throughput for Offline and Server, latency for SingleStream and MultiStream');
SELECT is_empty($$SELECT file FROM ib WHERE params->'headline'->>'key' IS DISTINCT FROM r->'detail'->>'checker_result_key'
                                        OR params->'headline'->>'unit' IS DISTINCT FROM r->'detail'->>'checker_result_unit'$$,
                '... its key and unit in params, as the checker''s');
SELECT is_empty($$SELECT file FROM ib,
                   (VALUES ('p50.00', 'latency_p50'), ('p90.00', 'latency_p90'), ('p95.00', 'latency_p95'),
                           ('p97.00', 'latency_p97'), ('p99.00', 'latency_p99'), ('p99.90', 'latency_p99_9')) AS m(k, col)
                   WHERE abs((to_jsonb(ib)->>col)::float8 - (r->'summary'->'latency_ns'->>k)::float8 / 1e6)
                         > 1e-9 * (r->'summary'->'latency_ns'->>k)::float8 / 1e6$$,
                'latency_p50 ... latency_p99_9 are the summary''s percentiles in ms');
SELECT results_eq($$SELECT DISTINCT model, submitter, division, round, server, processing_unit, num_devices FROM ib ORDER BY 1$$,
                  $$VALUES ('bert-99'::text, 'Intel'::text, 'closed'::text, 'inference v1.1'::text, '1-node-2S-ICX-PyTorch-INT8'::text,
                            'Intel(R) Xeon(R) Platinum 8380 CPU @ 2.30GHz'::text, 2),
                           ('llama2-70b-99', 'NVIDIA', 'closed', 'inference v4.1', 'DGX-H100_H100-SXM-80GBx8_TRT', 'NVIDIA H100-SXM-80GB', 8),
                           ('resnet50', 'Lenovo', 'closed', 'inference v4.1', 'Lenovo_2xL4_TRT', 'NVIDIA L4', 2)$$,
                  'model from the path, submitter/division/round, system columns');
SELECT is((SELECT count(*) FROM iin, dlpg.load('mlperf_inference', iin.input::text, iin.file) l WHERE l.outcome = 'duplicate'),
          7::bigint, 'a second load: every run a duplicate');
SELECT is((SELECT count(*) FROM iin, dlpg.load('mlperf_inference',
                  jsonb_set(iin.input, '{path}', to_jsonb(regexp_replace(iin.input->>'path', '^[^/]+/[^/]+/', '')))::text, 'copy') l
            WHERE l.outcome = 'duplicate'),
          7::bigint, '... and from the submitter folder on, without repository and division folders');
-- without the detail log: the summary's line of the same metric
CREATE TEMP TABLE ndl AS
SELECT iin.file, l.id FROM iin, dlpg.load('mlperf_inference', jsonb_set(iin.input, '{detail}', 'null')::text, 'nodetail') l;
CREATE TEMP TABLE nd AS SELECT ndl.file, b.* FROM ndl JOIN dlpg.benchmarks b USING (id);
SELECT is((SELECT count(*) FROM nd), 7::bigint, '... loaded again without the detail log: 7 more benchmarks (another input)');
SELECT is_empty($$SELECT nd.file FROM nd JOIN ie USING (file)
                   WHERE abs(coalesce(throughput, mlperf_latency) - (r->'reference_checker'->>'result')::float8)
                         > 0.001 * (r->'reference_checker'->>'result')::float8
                      OR status <> 'ok'$$,
                'without the detail log: the summary''s value of the same metric (as rounded there)');
SELECT is((SELECT params->'headline'->>'key' FROM nd WHERE scenario = 'Server' AND model = 'llama2-70b-99'), 'Completed tokens per second',
          '... named by its summary label');
SELECT is((SELECT count(*) FROM iin, dlpg.load('mlperf_inference',
                  jsonb_set(iin.input, '{summary}', to_jsonb(replace(iin.input->>'summary', 'Result is : VALID', 'Result is : INVALID')))::text, 'invalid') l
            WHERE iin.file LIKE '%Lenovo%Offline%' AND l.outcome = 'inserted'), 1::bigint, 'an INVALID run is stored');
SELECT is((SELECT status || ': ' || status_reason FROM dlpg.benchmarks WHERE source = 'invalid'),
          'failed: Result is INVALID', '... as a failed run, with its reason');

-- the checker's rules by round, on the same logs under another repository folder (or none:
-- then the detail's loadgen_version says the round); another system folder each, as the
-- repository folder is no part of what makes a benchmark the same
CREATE FUNCTION pg_temp.relabel(pattern text, new_path text, src text) RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT l.outcome FROM iin, dlpg.load('mlperf_inference', jsonb_set(iin.input, '{path}', to_jsonb(new_path))::text, src) l
     WHERE iin.file LIKE pattern $f$;
SELECT is((SELECT count(*) FROM (
    SELECT pg_temp.relabel('%bert-99/server%', 'inference_results_v4.0/closed/Intel/results/s/bert-99/Server/performance/run_1', 'r-4.0')
    UNION ALL SELECT pg_temp.relabel('%bert-99/server%', 'inference_results_v4.1/closed/Intel/results/s41/bert-99/Server/performance/run_1', 'r-4.1')
    UNION ALL SELECT pg_temp.relabel('%bert-99/server%', 'closed/Intel/results/s0/bert-99/Server/performance/run_1', 'r-none')
    UNION ALL SELECT pg_temp.relabel('%llama2-70b-99/Server%', 'inference_results_v4.0/closed/NVIDIA/results/s/llama2-70b-99/Server/performance/run_1', 'r-llm-4.0')
    UNION ALL SELECT pg_temp.relabel('%MultiStream%', 'inference_results_v1.1/closed/Lenovo/results/s/resnet50/MultiStream/performance/run_1', 'r-ms-1.1')) x(outcome) WHERE outcome = 'inserted'),
          5::bigint, 'the same runs under other repository folders: other benchmarks');
SELECT results_eq($$SELECT source, params->'headline'->>'key', params->'headline'->>'unit', coalesce(throughput, mlperf_latency), status
                     FROM dlpg.benchmarks WHERE source LIKE 'r-%' ORDER BY source$$,
                  $$VALUES ('r-4.0'::text, 'result_scheduled_samples_per_sec'::text, 'samples/s'::text, 139.973::float8, 'ok'::text),
                           ('r-4.1', 'result_completed_samples_per_sec', 'samples/s', 139.971, 'ok'),
                           ('r-llm-4.0', 'result_completed_samples_per_sec', 'samples/s', 74.4245, 'ok'),
                           ('r-ms-1.1', 'effective_samples_per_query', 'samples/query', 0.750521, 'ok'),
                           ('r-none', 'result_scheduled_samples_per_sec', 'samples/s', 139.973, 'ok')$$,
                  'Server: scheduled samples before 4.1 (completed for 4.0''s LLMs), completed from 4.1; MultiStream before 2.0: samples per query, the 99th percentile as mlperf_latency');

-- ---------------------------------------------------------------- hostile inputs
CREATE TEMP TABLE good AS SELECT input FROM tin WHERE file LIKE '%tpu-v4-128-TF/resnet/result_0.txt';
-- load, then look (a statement does not see the rows it wrote)
CREATE FUNCTION pg_temp.tload(input text, src text) RETURNS TABLE (outcome text, status text, reason text, key text, sqlstate text)
LANGUAGE plpgsql AS $f$
DECLARE l record;
BEGIN
    SELECT * INTO l FROM dlpg.load('mlperf_training', input, src);
    RETURN QUERY SELECT l.outcome, l.status, coalesce(b.status_reason, r.reason), r.key, r.sqlstate
      FROM (SELECT 1) one
      LEFT JOIN dlpg.benchmarks b ON b.id = l.id
      LEFT JOIN dlpg.rejects r ON l.outcome = 'rejected' AND r.source = src;
END $f$;
CREATE FUNCTION pg_temp.with_result(result text) RETURNS text LANGUAGE sql AS $f$
    SELECT jsonb_set(input, '{result}', to_jsonb(result))::text FROM good $f$;
SELECT results_eq($$SELECT outcome, status, reason FROM pg_temp.tload(pg_temp.with_result(
                      (SELECT input->>'result' FROM good) || E'\n:::MLLOG {"key": "eval_accuracy", "value": 0.7'), 'h-trunc')$$,
                  $$VALUES ('inserted'::text, 'failed'::text, 'line 60: an MLLOG record that is not a JSON object (not JSON)'::text)$$,
                  'a truncated record: a failed run naming its line');
SELECT results_eq($$SELECT outcome, status, reason FROM pg_temp.tload(pg_temp.with_result(
                      ':::MLLOG {"key": "run_start", "time_ms": 1000}' || E'\n:::MLLOG {broken json\n'
                      || ':::MLLOG {"key": "run_stop", "time_ms": 61000, "metadata": {"status": "success"}}'), 'h-broken')$$,
                  $$VALUES ('inserted'::text, 'failed'::text, 'line 2: an MLLOG record that is not a JSON object (not JSON)'::text)$$,
                  ':::MLLOG with broken JSON: a failed run naming its line');
SELECT results_eq($$SELECT outcome, status, reason FROM pg_temp.tload(pg_temp.with_result(
                      regexp_replace((SELECT input->>'result' FROM good), '[^\n]*"run_start"[^\n]*\n', '')), 'h-nostart')$$,
                  $$VALUES ('inserted'::text, 'failed'::text, 'no run_start record'::text)$$,
                  'no run_start: failed, "no run_start record"');
SELECT results_eq($$SELECT outcome, status, reason FROM pg_temp.tload(pg_temp.with_result(
                      ':::MLLOG {"key": "run_start", "time_ms": 1000}'), 'h-nostop')$$,
                  $$VALUES ('inserted'::text, 'failed'::text, 'no run_stop record: the run did not finish'::text)$$,
                  'no run_stop: failed');
SELECT results_eq($$SELECT outcome, status, reason FROM pg_temp.tload(pg_temp.with_result(
                      ':::MLLOG {"key": "run_start", "time_ms": "soon"}' || E'\n'
                      || ':::MLLOG {"key": "run_stop", "time_ms": 1e999, "metadata": {"status": "success"}}'), 'h-times')$$,
                  $$VALUES ('inserted'::text, 'failed'::text, 'run_start or run_stop has no numeric time_ms'::text)$$,
                  'times that are not finite numbers: failed');
SELECT results_eq($$SELECT outcome, key, sqlstate FROM pg_temp.tload((SELECT jsonb_set(input, '{system}', '[1, 2]')::text FROM good), 'h-sys')$$,
                  $$VALUES ('rejected'::text, 'system'::text, '22023'::text)$$,
                  'a system description that is not an object: a reject naming "system"');
SELECT results_eq($$SELECT outcome, key, sqlstate FROM pg_temp.tload((SELECT (input - 'result')::text FROM good), 'h-noresult')$$,
                  $$VALUES ('rejected'::text, 'result'::text, '22023'::text)$$,
                  'an input without "result": a reject naming "result"');
SELECT results_eq($$SELECT outcome, key, sqlstate FROM pg_temp.tload(pg_temp.with_result('just text, no records'), 'h-norec')$$,
                  $$VALUES ('rejected'::text, 'result'::text, '22P02'::text)$$,
                  'a result without MLLOG records: a reject (22P02)');
SELECT results_eq($$SELECT outcome, sqlstate FROM pg_temp.tload('{"path": "a", "result": ', 'h-json')
                    UNION ALL SELECT outcome, sqlstate FROM pg_temp.tload('[1]', 'h-array')
                    UNION ALL SELECT outcome, sqlstate FROM pg_temp.tload('{"result": "x"}', 'h-nopath')$$,
                  $$VALUES ('rejected'::text, '22P02'::text), ('rejected', '22023'), ('rejected', '22023')$$,
                  'an input that is not JSON, not an object, or without "path": rejects');
SELECT results_eq($$SELECT outcome, status FROM pg_temp.tload(pg_temp.with_result(
                      ':::MLLOG {"key": "run_start", "time_ms": 1000, "value": {'
                      || (SELECT string_agg('"k' || i || '": ' || i, ', ') FROM generate_series(1, 100000) i) || E'}}\n'
                      || ':::MLLOG {"key": "run_stop", "time_ms": 61000, "metadata": {"status": "success"}}'), 'h-keys')$$,
                  $$VALUES ('inserted'::text, 'ok'::text)$$,
                  'a record with 10^5 keys: read, the run ok');
-- a 100 MB result file (700,000 eval records between run_start and run_stop): read in one
-- pass, every record kept, no copy of the text (the dedup hash is computed as it reads)
SELECT results_eq($$SELECT outcome, status FROM pg_temp.tload(pg_temp.with_result(
                      E':::MLLOG {"key": "run_start", "time_ms": 1000}\n'
                      || repeat(E'0: :::MLLOG {"namespace": "", "time_ms": 1500, "event_type": "POINT_IN_TIME", "key": "eval_accuracy", "value": 0.5, "metadata": {"epoch_num": 1, "file": "train.py", "lineno": 42}}\n', 700000)
                      || ':::MLLOG {"key": "run_stop", "time_ms": 61000, "metadata": {"status": "success"}}'), 'h-100mb')$$,
                  $$VALUES ('inserted'::text, 'ok'::text)$$,
                  'a 100 MB result file: read, the run ok');
SELECT is((SELECT jsonb_array_length(b.params->'records') || ' ' || b.time_to_train FROM dlpg.benchmarks b WHERE b.source = 'h-100mb'),
          '700002 1', '... all 700,002 records kept, time to train 1 minute');
SELECT is((SELECT outcome FROM dlpg.load('mlperf_inference', '{"path": "p", "summary": "nothing here"}', 'h-inf')),
          'rejected', 'an inference summary that is not one: a reject');
SELECT is((SELECT key || ' ' || sqlstate FROM dlpg.rejects WHERE source = 'h-inf'), 'summary 22P02', '... naming "summary"');

SELECT * FROM finish();
ROLLBACK;
