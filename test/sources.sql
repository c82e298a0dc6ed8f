-- test/sources.sql: input formats (src/source.h) through dlpg.load, the one C entry point that
-- reads an input of any format: benchmarks stored, problems as rows of dlpg.rejects with their
-- line and key as data, errors the input is not to blame for raised; and the same sources
-- behind dlpg.ingest* (problems of a whole input raised) and load_log / load_json.
-- Run from the project root with pg_prove, against a database with pgtap and dlpg.
BEGIN;
SELECT plan(41);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;
\ir lib/logs.sql
\ir lib/errors.sql

-- ---------------------------------------------------------------- the formats
SELECT set_eq('SELECT name FROM dlpg.sources()', ARRAY['dlbs_log', 'dlbs_json', 'mlperf_training', 'mlperf_inference'],
              'dlpg.sources() lists the DLBS log and JSON formats and MLPerf''s (test/mlperf_sources.sql)');
SELECT is((SELECT count(*) FROM dlpg.sources() WHERE description IS NULL OR description = ''),
          0::bigint, 'every format has a description');
SELECT pg_temp.throws('unknown', $$SELECT * FROM dlpg.load('csv', 'a,b', 'x.csv')$$, '22023',
                      'an unknown format is an error (22023), not a reject');
SELECT pg_temp.hint_has('unknown', 'Known formats: dlbs_log, dlbs_json', '... its hint lists the formats');
SELECT pg_temp.throws('nullfmt', $$SELECT * FROM dlpg.load(NULL, 'x', 'x.log')$$, '22004',
                      'a NULL format is an error (22004)');
SELECT pg_temp.throws('badoc', $$SELECT * FROM dlpg.load('dlbs_log', pg_temp.mklog('s-oc'), 's.log', 'nope')$$,
                      '22023', 'a bad on_conflict is an error (22023): the input is not to blame');
SELECT is((SELECT count(*) FROM dlpg.rejects), 0::bigint, '... and none of those wrote a reject');

-- ---------------------------------------------------------------- dlbs_log
SELECT results_eq($$SELECT element, outcome, status FROM dlpg.load('dlbs_log', pg_temp.mklog('s-1'), 's-1.log')$$,
                  $$VALUES (NULL::integer, 'inserted'::text, 'ok'::text)$$,
                  'dlbs_log: a log is one benchmark (element NULL), inserted, ok');
SELECT is((SELECT source FROM dlpg.benchmarks WHERE exp_id = 's-1'), 's-1.log', '... stored with its source');
SELECT results_eq($$SELECT element, outcome FROM dlpg.load('dlbs_log', pg_temp.mklog('s-1'), 's-1.log')$$,
                  $$VALUES (NULL::integer, 'duplicate'::text)$$, '... a second load is a duplicate');
SELECT results_eq($$SELECT outcome FROM dlpg.load('dlbs_log', pg_temp.mklog('s-1', '__results.time__=50.0'), 's-1b.log', 'replace')$$,
                  $$VALUES ('replaced'::text)$$, '... replace overwrites it');
SELECT results_eq($$SELECT outcome FROM dlpg.load('dlbs_log', pg_temp.mklog('s-1'), 's-1c.log', 'error')$$,
                  $$VALUES ('rejected'::text)$$, '... error: a reject, not an error');
SELECT results_eq($$SELECT reason, sqlstate, key, line IS NULL, raw = pg_temp.mklog('s-1') FROM dlpg.rejects WHERE source = 's-1c.log'$$,
                  $$VALUES ('benchmark is already stored'::text, '23505'::text, 'exp.id'::text, true, true)$$,
                  '... naming exp.id, with the log as raw');

-- a bad typed value on line 12 (the last line that sets the key is the one read)
SELECT results_eq($$SELECT element, id, outcome, status FROM dlpg.load('dlbs_log',
                      pg_temp.mklog('s-2', E'__exp.num_gpus__=2\n__exp.num_gpus__="two"'), 's-2.log')$$,
                  $$VALUES (NULL::integer, NULL::bigint, 'rejected'::text, NULL::text)$$,
                  'dlbs_log: a bad typed value: the outcome rejected');
SELECT results_eq($$SELECT sqlstate, line, key, detail, raw = pg_temp.mklog('s-2', E'__exp.num_gpus__=2\n__exp.num_gpus__="two"')
                      FROM dlpg.rejects WHERE source = 's-2.log'$$,
                  $$VALUES ('22P02'::text, 12, 'exp.num_gpus'::text, 'line 12, key "exp.num_gpus"'::text, true)$$,
                  '... its reject has the line and key in their columns, and the log as raw');
SELECT pg_temp.throws('ingest-2', $$SELECT dlpg.ingest(pg_temp.mklog('s-2', E'__exp.num_gpus__=2\n__exp.num_gpus__="two"'))$$,
                      '22P02', 'dlpg.ingest of the same log raises the same problem');
SELECT pg_temp.det_has('ingest-2', '^line 12, key "exp\.num_gpus"$', '... naming the same line and key');

-- a value nested too deep: the parser's problem, its line and key as data too
SELECT results_eq($$SELECT outcome FROM dlpg.load('dlbs_log',
                      pg_temp.mklog('s-3', '__deep.key__=' || repeat('[', 2000) || repeat(']', 2000)), 's-3.log')$$,
                  $$VALUES ('rejected'::text)$$, 'dlbs_log: a value nested too deep is a reject');
SELECT results_eq($$SELECT sqlstate, line, key FROM dlpg.rejects WHERE source = 's-3.log'$$,
                  $$VALUES ('54000'::text, 11, 'deep.key'::text)$$, '... with its line and key');
SELECT pg_temp.throws('parse-3', $$SELECT dlpg.parse_log('__a__=1' || E'\n' || '__deep.key__=' || repeat('[', 2000) || repeat(']', 2000))$$,
                      '54000', 'dlpg.parse_log raises it');
SELECT pg_temp.det_has('parse-3', '^line 2, key "deep\.key"$', '... naming line 2 and the key');

SELECT results_eq($$SELECT outcome FROM dlpg.load('dlbs_log', 'no parameter lines', 's-4.log')$$,
                  $$VALUES ('rejected'::text)$$, 'dlbs_log: text without parameter lines is a reject');
SELECT results_eq($$SELECT reason, detail, sqlstate, line IS NULL AND key IS NULL FROM dlpg.rejects WHERE source = 's-4.log'$$,
                  $$VALUES ('invalid DLBS log: no parameter lines'::text, 'No line has the form __key__=value.'::text, '22P02'::text, true)$$,
                  '... reason, detail, no line or key');
SELECT is((SELECT count(*) FROM dlpg.load('dlbs_log', NULL, 's-5.log')), 0::bigint, 'dlbs_log: NULL input, no rows');

-- ---------------------------------------------------------------- dlbs_json
SELECT results_eq($$SELECT element, outcome, status FROM dlpg.load('dlbs_json',
                      jsonb_build_array(pg_temp.mkobj('s-j1'), 7, pg_temp.mkobj('s-j3', '{"exp.replica_batch": "x"}'), '{}'::jsonb)::text,
                      's-j.json') ORDER BY element$$,
                  $$VALUES (1, 'inserted'::text, 'ok'::text), (2, 'rejected', NULL), (3, 'rejected', NULL), (4, 'rejected', NULL)$$,
                  'dlbs_json: an array, a row per element, the bad ones rejected and the rest stored');
SELECT results_eq($$SELECT reason, detail, key, raw FROM dlpg.rejects WHERE source = 's-j.json' ORDER BY id$$,
                  $$VALUES ('benchmark is not a JSON object'::text, 'element 2 is a scalar'::text, NULL::text, '7'::text),
                           ('invalid value for "exp.replica_batch": expected a positive integer, got "x"', 'element 3, key "exp.replica_batch"', 'exp.replica_batch',
                            pg_temp.mkobj('s-j3', '{"exp.replica_batch": "x"}')::text),
                           ('benchmark object has no parameters', 'element 4 is {}', NULL, '{}')$$,
                  '... each reject names its element and key, with the element as raw');
SELECT results_eq($$SELECT element, outcome FROM dlpg.load('dlbs_json', pg_temp.mkobj('s-j5', '{"exp.num_gpus": [1]}')::text, 's-j5.json')$$,
                  $$VALUES (NULL::integer, 'rejected'::text)$$, 'dlbs_json: one bad object is the whole input: element NULL');
SELECT results_eq($$SELECT detail, key, line IS NULL FROM dlpg.rejects WHERE source = 's-j5.json'$$,
                  $$VALUES ('key "exp.num_gpus"'::text, 'exp.num_gpus'::text, true)$$, '... its key, no line');
SELECT results_eq($$SELECT outcome FROM dlpg.load('dlbs_json', '{"exp.model": "resnet50", ', 's-j6.json')$$,
                  $$VALUES ('rejected'::text)$$, 'dlbs_json: text that is not JSON is a reject (jsonb_in''s error, caught)');
SELECT results_eq($$SELECT reason, sqlstate, raw FROM dlpg.rejects WHERE source = 's-j6.json'$$,
                  $$VALUES ('invalid input syntax for type json'::text, '22P02'::text, '{"exp.model": "resnet50", '::text)$$,
                  '... with the input as raw');
SELECT results_eq($$SELECT outcome FROM dlpg.load('dlbs_json', '{"data": {}}', 's-j7.json')$$,
                  $$VALUES ('rejected'::text)$$, 'dlbs_json: "data" that is not an array is a reject');
SELECT pg_temp.throws('ij7', $$SELECT * FROM dlpg.ingest_json('{"data": {}}')$$, '22023',
                      '... which dlpg.ingest_json raises');
-- JSON that is not DLBS (an MLPerf system description, a manifest) is not a benchmark of NULLs
SELECT results_eq($$SELECT element, outcome FROM dlpg.load('dlbs_json',
                      '[{"system_name": "dgx", "accelerators_per_node": "8"}, {"exp.model": "resnet50", "results.time": 1.5}]',
                      's-j8.json') ORDER BY element$$,
                  $$VALUES (1, 'rejected'::text), (2, 'inserted')$$,
                  'dlbs_json: an object without an "exp.*" or "results.*" key is rejected, a DLBS one beside it stored');
SELECT results_eq($$SELECT reason, detail, sqlstate FROM dlpg.rejects WHERE source = 's-j8.json'$$,
                  $$VALUES ('not a DLBS benchmark: no "exp.*" or "results.*" key'::text,
                            'Its keys begin "system_name", "accelerators_per_node".'::text, '22023'::text)$$,
                  '... naming its first keys');
SELECT results_eq($$SELECT outcome FROM dlpg.load('dlbs_json', '{"files": [{"path": "a"}], "exp": 1}', 's-j9.json')$$,
                  $$VALUES ('rejected'::text)$$, 'dlbs_json: one such object as the whole input: rejected ("exp" alone is no DLBS key)');

-- ---------------------------------------------------------------- the older entry points are the same calls
SELECT results_eq($$SELECT element, outcome FROM dlpg.load_log(pg_temp.mklog('s-7', '__exp.num_gpus__="x"'), 's-7.log')$$,
                  $$VALUES (NULL::integer, 'rejected'::text)$$, 'load_log is dlpg.load of dlbs_log');
SELECT results_eq($$SELECT line, key FROM dlpg.rejects WHERE source = 's-7.log'$$,
                  $$VALUES (11, 'exp.num_gpus'::text)$$, '... the same line and key');
SELECT results_eq($$SELECT element, outcome FROM dlpg.load_input('[1]', 's-8.json', 'skip', true)$$,
                  $$VALUES (1, 'rejected'::text)$$, 'load_input(..., true) is dlpg.load of dlbs_json');

-- ---------------------------------------------------------------- who may load
SELECT ok(has_function_privilege('dlpg_writer', 'dlpg.load(text, text, text, text)', 'EXECUTE'),
          'dlpg_writer may run dlpg.load');
SELECT ok(NOT has_function_privilege('dlpg_reader', 'dlpg.load(text, text, text, text)', 'EXECUTE'),
          'dlpg_reader may not');
SELECT ok(has_function_privilege('dlpg_reader', 'dlpg.sources()', 'EXECUTE'), 'anyone may list the formats');

SELECT * FROM finish();
ROLLBACK;
