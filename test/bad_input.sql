-- pgTAP: bad input to dlpg.ingest / dlpg.parse_log / dlpg.ingest_json.
-- Every bad input is either stored with a reason, rejected with a proper
-- SQLSTATE and a detail naming line and key, or recorded in dlpg.rejects;
-- and the server keeps answering.
BEGIN;
SELECT plan(145);

-- ---------------------------------------------------------------------------
-- Helpers (temporary, rolled back with the test)
-- ---------------------------------------------------------------------------
-- A minimal valid log: pg_temp.mkhead, mklog, mkobj (test/lib/logs.sql). Line numbers are fixed:
--   1 exp.id (or a plain text line when id is NULL), 2 exp.model, 3 exp.phase,
--   4 exp.dtype, 5 exp.replica_batch, 6 exp.effective_batch, 7 exp.num_gpus,
--   8 exp.device_type, 9 results.time, 10 results.throughput, 11.. extra lines.
-- Errors by test name: pg_temp.throws, outcome, msg_has, det_has, hint_has (test/lib/errors.sql).
\ir lib/logs.sql
\ir lib/errors.sql

-- Ingested rows by test name.
CREATE TEMP TABLE ids (nm text, id bigint);
-- Ingest a log; pass when it is stored, fail with the error otherwise.
CREATE FUNCTION pg_temp.ing(nm text, log text, src text DEFAULT NULL) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE st text; msg text; det text;
BEGIN
    BEGIN
        INSERT INTO pg_temp.ids VALUES (nm, dlpg.ingest(log, src));
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
        RETURN fail('ingest: ' || nm) || E'\n' ||
               diag('    died: ' || st || ': ' || msg || coalesce(E'\n    detail: ' || det, ''));
    END;
    RETURN pass('ingest: ' || nm);
END $f$;
CREATE FUNCTION pg_temp.row(nm text) RETURNS SETOF dlpg.benchmarks LANGUAGE sql AS $f$
    SELECT b.* FROM dlpg.benchmarks b WHERE b.id = (SELECT i.id FROM pg_temp.ids i WHERE i.nm = $1)
$f$;

-- ---------------------------------------------------------------------------
-- Sanity: the minimal log is good
-- ---------------------------------------------------------------------------
SELECT pg_temp.ing('minimal', pg_temp.mklog('bi-minimal'), 'minimal.log');
SELECT results_eq(
    $$SELECT status, model, phase, precision, replica_batch, effective_batch, num_devices,
             device_type, batch_time_ms, throughput, throughput_derived, exp_id, source
        FROM pg_temp.row('minimal')$$,
    $$VALUES ('ok'::text, 'resnet50'::text, 'training'::text, 'fp32'::text, 32, 32, 1,
              'gpu'::text, 100.0::float8, 320::float8, false, 'bi-minimal'::text, 'minimal.log'::text)$$,
    'the minimal synthetic log ingests to the expected row');

-- ---------------------------------------------------------------------------
-- Empty input, no parameters
-- ---------------------------------------------------------------------------
SELECT is(dlpg.ingest(NULL), NULL::bigint, 'ingest(NULL) -> NULL');
SELECT throws_ok($$SELECT dlpg.ingest('')$$, '22P02', NULL, 'ingest('''') -> 22P02');
SELECT throws_ok($$SELECT dlpg.ingest(E'Running subprocess\nTraceback (most recent call last):\n  oops\n')$$,
                 '22P02', NULL, 'ingest of text with no parameter lines -> 22P02');
SELECT throws_ok($$SELECT dlpg.ingest(E'__exp.model__=\n__results.time__=\n')$$,
                 '22P02', NULL, 'ingest of a log whose only __k__= lines have no value -> 22P02');
SELECT is(dlpg.parse_log(E'Running subprocess\nno parameters here\n'), '{}'::jsonb,
          'parse_log of text with no parameter lines -> {}');

-- ---------------------------------------------------------------------------
-- Values that are not JSON, keys repeated with other types
-- ---------------------------------------------------------------------------
SELECT pg_temp.ing('nonjson', pg_temp.mklog('bi-nonjson',
    E'__exp.comment__=NaN\n__exp.note__=this is { not json\n__exp.inf__=inf'));
SELECT results_eq(
    $$SELECT status, params->'exp.comment', params->>'exp.note', params->'exp.inf' FROM pg_temp.row('nonjson')$$,
    $$VALUES ('ok'::text, '"NaN"'::jsonb, 'this is { not json'::text, '"inf"'::jsonb)$$,
    'values that are not JSON are stored as strings; the log is still ok');

SELECT pg_temp.ing('time_nan', pg_temp.mklog('bi-time-nan', '__results.time__=NaN'));
SELECT results_eq(
    $$SELECT status, status_reason ILIKE '%results.time%', params->'results.time' FROM pg_temp.row('time_nan')$$,
    $$VALUES ('failed'::text, true, '"NaN"'::jsonb)$$,
    'results.time=NaN: stored, status failed, reason mentions results.time');

SELECT pg_temp.ing('time_str', pg_temp.mklog('bi-time-str', '__results.time__="fast"'));
SELECT results_eq(
    $$SELECT status, status_reason ILIKE '%results.time%' FROM pg_temp.row('time_str')$$,
    $$VALUES ('failed'::text, true)$$,
    'results.time not a number ("fast"): stored, status failed, reason mentions results.time');

SELECT pg_temp.ing('rep_types', pg_temp.mklog('bi-rep-types',
    E'__exp.comment__=1\n__exp.comment__="one"\n__exp.comment__=[1, 2]'));
SELECT is((SELECT params->'exp.comment' FROM pg_temp.row('rep_types')), '[1, 2]'::jsonb,
          'a key repeated with different types: the last value wins');

SELECT pg_temp.ing('rep_rb_good_last', pg_temp.mklog('bi-rep-rb',
    E'__exp.replica_batch__="abc"\n__exp.replica_batch__=64'));
SELECT is((SELECT replica_batch FROM pg_temp.row('rep_rb_good_last')), 64,
          'exp.replica_batch "abc" then 64: the last (valid) value wins');

SELECT pg_temp.throws('rep_rb_bad_last',
    format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-rep-rb-bad',
           E'__exp.replica_batch__=64\n__exp.replica_batch__=[64]')),
    '22P02', 'exp.replica_batch 64 then [64]: the last value is no number -> 22P02');
SELECT pg_temp.msg_has('rep_rb_bad_last', 'exp\.replica_batch', '  message names exp.replica_batch');
SELECT pg_temp.det_has('rep_rb_bad_last', '\mline 12\M', '  detail names line 12 (the last occurrence)');

-- ---------------------------------------------------------------------------
-- exp.replica_batch and friends: wrong type or range -> 22P02 naming key and line
-- ---------------------------------------------------------------------------
SELECT pg_temp.throws('rb_abc', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-rb-abc', '__exp.replica_batch__="abc"')),
                      '22P02', 'exp.replica_batch "abc" -> 22P02');
SELECT pg_temp.msg_has('rb_abc', 'exp\.replica_batch', '  message names exp.replica_batch');
SELECT pg_temp.det_has('rb_abc', '\mline 11\M', '  detail names line 11');
SELECT pg_temp.det_has('rb_abc', 'exp\.replica_batch', '  detail names exp.replica_batch');

SELECT pg_temp.throws('rb_frac', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-rb-frac', '__exp.replica_batch__=12.5')),
                      '22P02', 'exp.replica_batch 12.5 -> 22P02');
SELECT pg_temp.msg_has('rb_frac', 'exp\.replica_batch', '  message names exp.replica_batch');
SELECT pg_temp.det_has('rb_frac', '\mline 11\M', '  detail names line 11');
SELECT pg_temp.det_has('rb_frac', 'exp\.replica_batch', '  detail names exp.replica_batch');

SELECT pg_temp.throws('rb_zero', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-rb-zero', '__exp.replica_batch__=0')),
                      '22P02', 'exp.replica_batch 0 -> 22P02');
SELECT pg_temp.msg_has('rb_zero', 'exp\.replica_batch', '  message names exp.replica_batch');
SELECT pg_temp.det_has('rb_zero', '\mline 11\M', '  detail names line 11');
SELECT pg_temp.det_has('rb_zero', 'exp\.replica_batch', '  detail names exp.replica_batch');

SELECT pg_temp.throws('rb_neg', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-rb-neg', '__exp.replica_batch__=-4')),
                      '22P02', 'exp.replica_batch -4 -> 22P02');
SELECT pg_temp.msg_has('rb_neg', 'exp\.replica_batch', '  message names exp.replica_batch');
SELECT pg_temp.det_has('rb_neg', '\mline 11\M', '  detail names line 11');
SELECT pg_temp.det_has('rb_neg', 'exp\.replica_batch', '  detail names exp.replica_batch');

SELECT pg_temp.throws('rb_huge', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-rb-huge', '__exp.replica_batch__=1000000000000')),
                      '22P02', 'exp.replica_batch 1000000000000 (beyond integer) -> 22P02');
SELECT pg_temp.det_has('rb_huge', '\mline 11\M', '  detail names line 11');

SELECT pg_temp.throws('rb_mid',
    format('SELECT dlpg.ingest(%L)', replace(pg_temp.mklog('bi-rb-mid'), '__exp.replica_batch__=32', '__exp.replica_batch__=0')),
    '22P02', 'exp.replica_batch 0 on line 5 of 10 -> 22P02');
SELECT pg_temp.det_has('rb_mid', '\mline 5\M', '  detail names line 5');

SELECT pg_temp.throws('rb_crlf',
    format('SELECT dlpg.ingest(%L)', replace(pg_temp.mklog('bi-rb-crlf', '__exp.replica_batch__="abc"'), E'\n', E'\r\n')),
    '22P02', 'exp.replica_batch "abc" in a CRLF log -> 22P02');
SELECT pg_temp.det_has('rb_crlf', '\mline 11\M', '  detail names line 11');

SELECT pg_temp.throws('eb_abc', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-eb-abc', '__exp.effective_batch__="abc"')),
                      '22P02', 'exp.effective_batch "abc" -> 22P02');
SELECT pg_temp.msg_has('eb_abc', 'exp\.effective_batch', '  message names exp.effective_batch');
SELECT pg_temp.det_has('eb_abc', '\mline 11\M', '  detail names line 11');

SELECT pg_temp.throws('ngpu_zero', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-ngpu-zero', '__exp.num_gpus__=0')),
                      '22P02', 'exp.num_gpus 0 -> 22P02');
SELECT pg_temp.msg_has('ngpu_zero', 'exp\.num_gpus', '  message names exp.num_gpus');
SELECT pg_temp.det_has('ngpu_zero', '\mline 11\M', '  detail names line 11');

SELECT pg_temp.throws('nlocal_neg', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-nlocal-neg', '__exp.num_local_gpus__=-1')),
                      '22P02', 'exp.num_local_gpus -1 -> 22P02');
SELECT pg_temp.msg_has('nlocal_neg', 'exp\.num_local_gpus', '  message names exp.num_local_gpus');
SELECT pg_temp.det_has('nlocal_neg', '\mline 11\M', '  detail names line 11');

SELECT pg_temp.throws('nnodes_frac', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-nnodes-frac', '__exp.num_nodes__=1.5')),
                      '22P02', 'exp.num_nodes 1.5 -> 22P02');
SELECT pg_temp.msg_has('nnodes_frac', 'exp\.num_nodes', '  message names exp.num_nodes');
SELECT pg_temp.det_has('nnodes_frac', '\mline 11\M', '  detail names line 11');

SELECT pg_temp.throws('rb_bool', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-rb-bool', '__exp.replica_batch__=true')),
                      '22P02', 'exp.replica_batch true -> 22P02');
SELECT pg_temp.det_has('rb_bool', '\mline 11\M', '  detail names line 11');
SELECT pg_temp.throws('rb_nan', format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-rb-nan', '__exp.replica_batch__=NaN')),
                      '22P02', 'exp.replica_batch NaN -> 22P02');
SELECT pg_temp.det_has('rb_nan', '\mline 11\M', '  detail names line 11');

-- ---------------------------------------------------------------------------
-- results.time zero or negative, results missing, throughput derived
-- ---------------------------------------------------------------------------
SELECT pg_temp.ing('time_zero', pg_temp.mklog('bi-time-zero', E'__results.time__=0'));
SELECT results_eq($$SELECT status, status_reason ILIKE '%results.time%' FROM pg_temp.row('time_zero')$$,
                  $$VALUES ('failed'::text, true)$$,
                  'results.time=0: stored, status failed, reason mentions results.time');
SELECT pg_temp.ing('time_neg', pg_temp.mklog('bi-time-neg', E'__results.time__=-12.5'));
SELECT results_eq($$SELECT status, status_reason ILIKE '%results.time%' FROM pg_temp.row('time_neg')$$,
                  $$VALUES ('failed'::text, true)$$,
                  'results.time=-12.5: stored, status failed, reason mentions results.time');
SELECT pg_temp.ing('no_results', pg_temp.mkhead('bi-no-results'));
SELECT results_eq($$SELECT status, status_reason ILIKE '%results.time%', batch_time_ms, throughput FROM pg_temp.row('no_results')$$,
                  $$VALUES ('failed'::text, true, NULL::float8, NULL::float8)$$,
                  'no results.time: stored, status failed, reason mentions results.time');
SELECT pg_temp.ing('skipped', pg_temp.mkhead('bi-skipped') || E'\n__exp.status__="skipped"');
SELECT is((SELECT status FROM pg_temp.row('skipped')), 'skipped',
          'no results.time and exp.status "skipped" -> status skipped');
SELECT pg_temp.ing('disabled', E'__exp.status__="ok"\n' || pg_temp.mkhead('bi-disabled') || E'\n__exp.status__="disabled"');
SELECT is((SELECT status FROM pg_temp.row('disabled')), 'disabled',
          'no results.time and last exp.status "disabled" -> status disabled');
SELECT pg_temp.ing('two_attempts', pg_temp.mklog('bi-two-attempts',
    E'__results.time__=50.5\n__results.throughput__=634'));
SELECT results_eq($$SELECT status, batch_time_ms, throughput FROM pg_temp.row('two_attempts')$$,
                  $$VALUES ('ok'::text, 50.5::float8, 634::float8)$$,
                  'a log holding two attempts: the last results win');

SELECT pg_temp.ing('tp_zero', pg_temp.mklog('bi-tp-zero', E'__results.time__=4000\n__results.throughput__=0'));
SELECT results_eq($$SELECT status, batch_time_ms, throughput, throughput_derived FROM pg_temp.row('tp_zero')$$,
                  $$VALUES ('ok'::text, 4000::float8, 8::float8, true)$$,
                  'throughput 0 with a valid time: derived as 32*1000/4000 = 8');
SELECT pg_temp.ing('tp_missing', pg_temp.mkhead('bi-tp-missing') || E'\n__results.time__=4000');
SELECT results_eq($$SELECT status, throughput, throughput_derived FROM pg_temp.row('tp_missing')$$,
                  $$VALUES ('ok'::text, 8::float8, true)$$,
                  'throughput missing with a valid time: derived, 8');
SELECT pg_temp.ing('tp_neg', pg_temp.mklog('bi-tp-neg', E'__results.throughput__=-3'));
SELECT results_eq($$SELECT status, throughput, throughput_derived FROM pg_temp.row('tp_neg')$$,
                  $$VALUES ('ok'::text, 320::float8, true)$$,
                  'throughput -3: derived, 32*1000/100 = 320');

SELECT pg_temp.ing('crlf', replace(pg_temp.mklog('bi-crlf'), E'\n', E'\r\n'));
SELECT results_eq($$SELECT status, exp_id, model, phase, precision, device_type, replica_batch, batch_time_ms
                      FROM pg_temp.row('crlf')$$,
                  $$VALUES ('ok'::text, 'bi-crlf'::text, 'resnet50'::text, 'training'::text, 'fp32'::text,
                            'gpu'::text, 32, 100::float8)$$,
                  'a CRLF log ingests with clean values');

-- Odd values of keys the columns come from must not fail the log.
SELECT pg_temp.ing('time_data_nan', pg_temp.mklog('bi-td-nan', '__results.time_data__=[1.5, NaN, 2]'));
SELECT pg_temp.ing('time_data_mixed', pg_temp.mklog('bi-td-mixed', '__results.time_data__=[1, "x", null, [2]]'));
SELECT pg_temp.ing('time_data_str', pg_temp.mklog('bi-td-str', '__results.time_data__="oops"'));
SELECT is((SELECT count(*) FROM pg_temp.ids i JOIN dlpg.benchmarks b USING (id)
            WHERE i.nm LIKE 'time_data_%' AND b.status = 'ok' AND b.batch_time_ms = 100), 3::bigint,
          'odd results.time_data values: the logs are stored ok');
SELECT pg_temp.ing('tp_str', pg_temp.mklog('bi-tp-str', '__results.throughput__="fast"'));
SELECT results_eq($$SELECT status, throughput, throughput_derived FROM pg_temp.row('tp_str')$$,
                  $$VALUES ('ok'::text, 320::float8, true)$$,
                  'results.throughput "fast": derived, 320');
SELECT pg_temp.ing('hw_garbage', pg_temp.mklog('bi-hw-garbage', E'__hw.nvidiasmi__="garbage"\n__hw.cpuinfo__=[1, "a", null]\n__hw.dmi__=[]'));
SELECT pg_temp.ing('hw_odd', pg_temp.mklog('bi-hw-odd',
    E'__hw.nvidiasmi__={"GPU 0": "not an object", "GPU 1": {"Product Name": 5}}\n__hw.cpuinfo__={"model name": 3}'));
SELECT is((SELECT count(*) FROM pg_temp.ids i JOIN dlpg.benchmarks b USING (id)
            WHERE i.nm IN ('hw_garbage', 'hw_odd') AND b.status = 'ok'), 2::bigint,
          'hw.* blocks of unexpected shape: the logs are stored ok');

-- ---------------------------------------------------------------------------
-- Size and depth
-- ---------------------------------------------------------------------------
SELECT pg_temp.ing('big', pg_temp.mklog('bi-big', '__big__="' || repeat('x', 50 * 1024 * 1024) || '"'), 'big.log');
SELECT is((SELECT length(params->>'big') FROM pg_temp.row('big')), 52428800,
          'a 50 MB value is stored whole: params->>''big'' has 52428800 characters');
SELECT is((SELECT status FROM pg_temp.row('big')), 'ok', '  and the log is ok');

SELECT pg_temp.ing('bigline', pg_temp.mklog('bi-bigline', repeat('y', 50 * 1024 * 1024)));
SELECT is((SELECT count(*) FROM jsonb_object_keys((SELECT params FROM pg_temp.row('bigline')))), 10::bigint,
          'a 50 MB line that is no parameter is ignored');

SELECT is(dlpg.parse_log('__d__=' || repeat('[', 1000) || repeat(']', 1000)),
          jsonb_build_object('d', (repeat('[', 1000) || repeat(']', 1000))::jsonb),
          'JSON nested 1000 levels is kept');

CREATE TEMP TABLE deep1k (p jsonb);
SELECT pg_temp.outcome('deep_1000_parse',
    $$INSERT INTO pg_temp.deep1k SELECT dlpg.parse_log('__d__=' || repeat('[', 1000) || repeat(']', 1000))$$,
    ARRAY['ok'], 'parse_log: JSON nested 1000 levels (the limit) is no error');
SELECT ok(coalesce((SELECT p = jsonb_build_object('d', (repeat('[', 1000) || repeat(']', 1000))::jsonb)
                      FROM pg_temp.deep1k), false),
          '  and is kept');
SELECT pg_temp.ing('deep_1000', pg_temp.mklog('bi-deep-1000', '__deep__=' || repeat('[', 1000) || repeat(']', 1000)));
SELECT ok(coalesce((SELECT params->'deep' = (repeat('[', 1000) || repeat(']', 1000))::jsonb
                      FROM pg_temp.row('deep_1000')), false),
          '  and ingest stores it');

SELECT pg_temp.throws('deep_parse',
    format('SELECT dlpg.parse_log(%L)', pg_temp.mklog('bi-deep', '__deep__=' || repeat('[', 100000) || repeat(']', 100000))),
    '54000', 'parse_log: a value nested 100000 levels -> 54000');
SELECT pg_temp.det_has('deep_parse', '\mline 11\M', '  detail names line 11');
SELECT pg_temp.det_has('deep_parse', '\mdeep\M', '  detail names the key deep');

SELECT pg_temp.throws('deep_ingest',
    format('SELECT dlpg.ingest(%L)', pg_temp.mklog('bi-deep', '__deep__=' || repeat('[', 100000) || repeat(']', 100000))),
    '54000', 'ingest: a value nested 100000 levels -> 54000');
SELECT pg_temp.det_has('deep_ingest', '\mline 11\M', '  detail names line 11');

SELECT pg_temp.throws('deep_obj',
    format('SELECT dlpg.parse_log(%L)', '__deep__=' || repeat('{"a": ', 100000) || '1' || repeat('}', 100000)),
    '54000', 'parse_log: an object nested 100000 levels -> 54000');

SELECT pg_temp.throws('deep_1001',
    format('SELECT dlpg.parse_log(%L)', '__deep__=' || repeat('[', 1001) || repeat(']', 1001)),
    '54000', 'parse_log: a value nested 1001 levels (over the 1000 limit) -> 54000');

SELECT pg_temp.outcome('deep_unbalanced',
    format('SELECT dlpg.parse_log(%L)', '__deep__=' || repeat('[', 100000)),
    ARRAY['54000', 'ok'], 'parse_log: 100000 unclosed [ -> 54000 or kept as a string, not a crash');

SELECT throws_ok(format('SELECT %L::jsonb', repeat('[', 100000) || repeat(']', 100000)),
                 '54001', NULL, 'a 100000-deep jsonb cannot be built in PostgreSQL itself (54001)');

-- ---------------------------------------------------------------------------
-- on_conflict
-- ---------------------------------------------------------------------------
SELECT pg_temp.throws('oc_typo', format('SELECT dlpg.ingest(%L, NULL, %L)', pg_temp.mklog('bi-oc'), 'skp'),
                      '22023', 'on_conflict ''skp'' -> 22023');
SELECT pg_temp.hint_has('oc_typo', 'skip', '  hint lists skip');
SELECT pg_temp.hint_has('oc_typo', 'replace', '  hint lists replace');
SELECT pg_temp.hint_has('oc_typo', 'error', '  hint lists error');
SELECT pg_temp.throws('oc_null', format('SELECT dlpg.ingest(%L, NULL, NULL)', pg_temp.mklog('bi-oc')),
                      '22004', 'on_conflict NULL -> 22004');
SELECT throws_ok(format('SELECT * FROM dlpg.ingest_json(%L::jsonb, NULL, %L)', pg_temp.mkobj('bi-oc'), 'skp'),
                 '22023', NULL, 'ingest_json on_conflict ''skp'' -> 22023');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE exp_id = 'bi-oc'), 0::bigint,
          'nothing stored for a bad on_conflict');

-- ---------------------------------------------------------------------------
-- ingest_json
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE jids (nm text, id bigint);
SELECT lives_ok(format($$INSERT INTO pg_temp.jids SELECT 'data', i FROM dlpg.ingest_json(%L::jsonb, 'bi-data.json') i$$,
                       jsonb_build_object('data', jsonb_build_array(1, 'x', pg_temp.mkobj('bi-j-data')))),
                'ingest_json({"data": [1, "x", {...}]}) lives');
SELECT results_eq($$SELECT j.id FROM pg_temp.jids j WHERE nm = 'data'$$,
                  $$SELECT id FROM dlpg.benchmarks WHERE exp_id = 'bi-j-data'$$,
                  '  returns the one id of the valid element');
SELECT is((SELECT status FROM dlpg.benchmarks WHERE exp_id = 'bi-j-data'), 'ok', '  which is stored ok');
SELECT set_eq($$SELECT raw FROM dlpg.rejects WHERE source = 'bi-data.json'$$,
              $$VALUES ('1'), ('"x"')$$,
              '  the two elements that are no objects are in dlpg.rejects with their raw text');
SELECT is((SELECT count(*) FROM dlpg.rejects WHERE source = 'bi-data.json'
            AND sqlstate ~ '^[0-9A-Z]{5}$' AND reason <> ''), 2::bigint,
          '  each reject has a SQLSTATE and a reason');

SELECT throws_ok($$SELECT * FROM dlpg.ingest_json('{"data": 5}')$$, '22023', NULL, 'ingest_json({"data": 5}) -> 22023');
SELECT throws_ok($$SELECT * FROM dlpg.ingest_json('{"data": {"exp.model": "x"}}')$$, '22023', NULL,
                 'ingest_json({"data": {...}}) -> 22023');
SELECT throws_ok($$SELECT * FROM dlpg.ingest_json('3')$$, '22023', NULL, 'ingest_json(3) -> 22023');
SELECT throws_ok($$SELECT * FROM dlpg.ingest_json('"text"')$$, '22023', NULL, 'ingest_json("text") -> 22023');
SELECT throws_ok($$SELECT * FROM dlpg.ingest_json('null')$$, '22023', NULL, 'ingest_json(null) -> 22023');
SELECT is((SELECT count(*) FROM dlpg.ingest_json('[]')), 0::bigint, 'ingest_json([]) returns no ids');

SELECT lives_ok(format($$INSERT INTO pg_temp.jids SELECT 'arr', i FROM dlpg.ingest_json(%L::jsonb, 'bi-arr.json') i$$,
                       jsonb_build_array(pg_temp.mkobj('bi-j-a1'),
                                         pg_temp.mkobj('bi-j-a2') || '{"exp.replica_batch": "abc"}',
                                         pg_temp.mkobj('bi-j-a3'))),
                'ingest_json([ok, replica_batch "abc", ok]) lives');
SELECT set_eq($$SELECT j.id FROM pg_temp.jids j WHERE nm = 'arr'$$,
              $$SELECT id FROM dlpg.benchmarks WHERE exp_id IN ('bi-j-a1', 'bi-j-a3')$$,
              '  returns the ids of the two good elements');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE exp_id = 'bi-j-a2'), 0::bigint, '  the bad element is not stored');
SELECT results_eq($$SELECT key, sqlstate, raw::jsonb->>'exp.id', raw::jsonb->>'exp.replica_batch'
                      FROM dlpg.rejects WHERE source = 'bi-arr.json'$$,
                  $$VALUES ('exp.replica_batch'::text, '22P02'::text, 'bi-j-a2'::text, 'abc'::text)$$,
                  '  one reject: key exp.replica_batch, SQLSTATE 22P02, raw = the element');
SELECT ok((SELECT reason ~ 'exp\.replica_batch' FROM dlpg.rejects WHERE source = 'bi-arr.json'),
          '  its reason names exp.replica_batch');

SELECT pg_temp.throws('json_single_bad',
    format('SELECT * FROM dlpg.ingest_json(%L::jsonb)', pg_temp.mkobj('bi-j-single') || '{"exp.replica_batch": "abc"}'),
    '22P02', 'ingest_json(one object with exp.replica_batch "abc") -> 22P02');
SELECT pg_temp.msg_has('json_single_bad', 'exp\.replica_batch', '  message names exp.replica_batch');
SELECT pg_temp.det_has('json_single_bad', 'exp\.replica_batch', '  detail names exp.replica_batch');
SELECT ok((SELECT det !~* '\mline\M' FROM pg_temp.e WHERE nm = 'json_single_bad'), '  detail names no line');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE exp_id = 'bi-j-single'), 0::bigint, '  nothing stored');

SELECT lives_ok(format($$INSERT INTO pg_temp.jids SELECT 'single', i FROM dlpg.ingest_json(%L::jsonb) i$$,
                       pg_temp.mkobj('bi-j-good')),
                'ingest_json(one good object) lives');
SELECT results_eq($$SELECT b.exp_id, b.replica_batch, b.status, b.model
                      FROM pg_temp.jids j JOIN dlpg.benchmarks b USING (id) WHERE j.nm = 'single'$$,
                  $$VALUES ('bi-j-good'::text, 32, 'ok'::text, 'resnet50'::text)$$,
                  '  and returns the id of the stored row');

-- ---------------------------------------------------------------------------
-- Fuzz: random edits of real and synthetic logs never crash the server and
-- never raise anything but the documented errors.
-- ---------------------------------------------------------------------------
\set fuzz_rtx `cat data/dlbs/rtx2080/alexnet_owt_8.log`
\set fuzz_failed `cat data/dlbs/failed/googlenet_8_noresults.log`
CREATE TEMP TABLE fuzz (n int, fn text, st text, msg text);
CREATE FUNCTION pg_temp.fuzz(base text, tag text, runs int, seed float8) RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
    alphabet CONSTANT text := E'__==""[]{}\\\n\r \t:,x0-.eE';
    s text; pos int; op int; ch text; st text; msg text;
BEGIN
    PERFORM setseed(seed);
    FOR n IN 1..runs LOOP
        s := base;
        FOR k IN 1..(1 + floor(random() * 6))::int LOOP
            pos := 1 + floor(random() * greatest(length(s), 1))::int;
            op := floor(random() * 10)::int;
            ch := substr(alphabet, 1 + floor(random() * length(alphabet))::int, 1);
            IF op < 4 THEN
                s := overlay(s PLACING ch FROM pos FOR 1);             -- replace a character
            ELSIF op < 7 THEN
                s := overlay(s PLACING ch FROM pos FOR 0);             -- insert one
            ELSIF op < 9 THEN
                s := overlay(s PLACING '' FROM pos FOR 1);             -- delete one
            ELSE
                s := left(s, pos);                                     -- truncate
            END IF;
        END LOOP;
        BEGIN
            PERFORM dlpg.parse_log(s);
            INSERT INTO pg_temp.fuzz VALUES (n, tag || ' parse_log', NULL, NULL);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            INSERT INTO pg_temp.fuzz VALUES (n, tag || ' parse_log', st, msg);
        END;
        BEGIN
            PERFORM dlpg.ingest(s, 'fuzz', CASE WHEN n % 2 = 0 THEN 'skip' ELSE 'replace' END);
            INSERT INTO pg_temp.fuzz VALUES (n, tag || ' ingest', NULL, NULL);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
            INSERT INTO pg_temp.fuzz VALUES (n, tag || ' ingest', st, msg);
        END;
    END LOOP;
END $f$;
SELECT lives_ok(format('SELECT pg_temp.fuzz(%L, %L, 300, 0.25)', :'fuzz_rtx', 'rtx2080'),
                'fuzz: 300 random edits of an RTX 2080 log');
SELECT lives_ok(format('SELECT pg_temp.fuzz(%L, %L, 300, 0.5)', :'fuzz_failed', 'failed'),
                'fuzz: 300 random edits of the failed log');
SELECT lives_ok(format('SELECT pg_temp.fuzz(%L, %L, 600, 0.75)',
                       pg_temp.mklog('bi-fuzz', E'__hw.nvidiasmi__={"GPU 0": {"Product Name": "X"}}\n__results.time_data__=[1.5, 2.5]'),
                       'synthetic'),
                'fuzz: 600 random edits of a small synthetic log');
SELECT is((SELECT count(*) FROM pg_temp.fuzz), 2400::bigint, 'fuzz: every case ran');
SELECT is((SELECT string_agg(DISTINCT fn || ': ' || st || ' ' || msg, E'\n') FROM pg_temp.fuzz
            WHERE fn LIKE '% parse_log' AND st IS DISTINCT FROM NULL AND st <> '54000'),
          NULL, 'fuzz: parse_log raised no error but 54000');
SELECT is((SELECT string_agg(DISTINCT fn || ': ' || st || ' ' || msg, E'\n') FROM pg_temp.fuzz
            WHERE fn LIKE '% ingest' AND st IS DISTINCT FROM NULL AND st NOT IN ('22P02', '54000')),
          NULL, 'fuzz: ingest raised no error but 22P02 and 54000');
SELECT cmp_ok((SELECT count(*) FROM pg_temp.fuzz WHERE fn LIKE '% ingest' AND st IS NULL), '>', 600::bigint,
              'fuzz: most edited logs are still stored');

-- ---------------------------------------------------------------------------
-- Still alive
-- ---------------------------------------------------------------------------
SELECT is((SELECT 1), 1, 'the server still answers after all these errors');
SELECT is((SELECT status FROM pg_temp.row('minimal')), 'ok', 'and earlier rows are still there');

SELECT * FROM finish();
ROLLBACK;
