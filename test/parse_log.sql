-- pgTAP: dlpg.parse_log, the DLBS line grammar
--   ^[ \t]*__(.+?(?=__[ \t]*[=]))__[ \t]*=(.+)   key and value stripped,
--   value parsed as JSON (else kept as a JSON string), last value wins.
-- Run from the project root (fixture logs are read with psql backticks).
BEGIN;
SELECT plan(60);

\set h200_log `cat data/dlbs/h200/resnet50_float16_training_128.log`
\set h200_inf_log `cat data/dlbs/h200/resnet50_float32_inference_64.log`
\set rtx_log `cat data/dlbs/rtx2080/resnet50_32.log`
\set failed_log `cat data/dlbs/failed/googlenet_8_noresults.log`

SELECT has_function('dlpg', 'parse_log', ARRAY['text'], 'dlpg.parse_log(text) exists');
SELECT function_returns('dlpg', 'parse_log', ARRAY['text'], 'jsonb', 'dlpg.parse_log returns jsonb');
SELECT volatility_is('dlpg', 'parse_log', ARRAY['text'], 'immutable', 'dlpg.parse_log is IMMUTABLE');
SELECT is_strict('dlpg', 'parse_log', ARRAY['text'], 'dlpg.parse_log is STRICT');

-- ---------------------------------------------------------------------------
-- Empty and trivial input
-- ---------------------------------------------------------------------------
SELECT is(dlpg.parse_log(''), '{}'::jsonb, 'empty text -> {}');
SELECT is(dlpg.parse_log(NULL), NULL::jsonb, 'NULL -> NULL (STRICT)');
SELECT is(dlpg.parse_log(E'hello\nworld\n\n'), '{}'::jsonb, 'text without parameter lines -> {}');
SELECT is(dlpg.parse_log(E'\n\n\n'), '{}'::jsonb, 'blank lines only -> {}');
SELECT is(dlpg.parse_log('__a__=1'), '{"a": 1}'::jsonb, 'one line without a newline');

-- ---------------------------------------------------------------------------
-- Line shapes
-- ---------------------------------------------------------------------------
SELECT is(dlpg.parse_log('__exp.model__="resnet50"'), '{"exp.model": "resnet50"}'::jsonb,
          '__KEY__=VALUE');
SELECT is(dlpg.parse_log('__exp.model__= "resnet50"'), '{"exp.model": "resnet50"}'::jsonb,
          '__KEY__= VALUE');
SELECT is(dlpg.parse_log('__exp.model__ = "resnet50"'), '{"exp.model": "resnet50"}'::jsonb,
          '__KEY__ = VALUE');
SELECT is(dlpg.parse_log(E'__exp.model__\t=\t"resnet50"'), '{"exp.model": "resnet50"}'::jsonb,
          'tabs around =');
SELECT is(dlpg.parse_log(E'    __a__=1\n\t__b__=2\n \t \t__c__=3'), '{"a": 1, "b": 2, "c": 3}'::jsonb,
          'leading spaces and tabs');
SELECT is(dlpg.parse_log('__a__=1   '), '{"a": 1}'::jsonb, 'trailing spaces stripped from the value');
SELECT is(dlpg.parse_log('__ a __=1'), '{"a": 1}'::jsonb, 'spaces inside the underscores stripped from the key');
SELECT is(dlpg.parse_log(E'x __a__=1\n#__b__=2\n>> __c__=3'), '{}'::jsonb,
          'a parameter not at the start of a line (after spaces/tabs only) is ignored');
SELECT is(dlpg.parse_log('[PyTorch benchmakrs] torch.version.__version__=2.11.0+cu130'), '{}'::jsonb,
          'real framework output with __x__= inside a line is ignored');
SELECT is(dlpg.parse_log(E'__a__=1\nTraceback (most recent call last):\n  File "x.py", line 40\n__b__=2'),
          '{"a": 1, "b": 2}'::jsonb, 'other lines between parameters are ignored');
SELECT is(dlpg.parse_log(E'_a_=1\n__a=1\na__=1\n__a_=1\n__a__1'), '{}'::jsonb,
          'lines that only look like parameters are ignored');

-- ---------------------------------------------------------------------------
-- Keys
-- ---------------------------------------------------------------------------
SELECT is(dlpg.parse_log('__pytorch.__master_addr__="localhost"'),
          '{"pytorch.__master_addr": "localhost"}'::jsonb,
          'key with an inner double underscore: pytorch.__master_addr');
SELECT is(dlpg.parse_log('__a__b__=1'), '{"a__b": 1}'::jsonb, 'key a__b');
SELECT is(dlpg.parse_log('__a__="x__=y"'), '{"a": "x__=y"}'::jsonb,
          'the key ends at the first __= (value may contain __=)');
SELECT is(dlpg.parse_log('__hw.nvidiasmi.gpu-0.Product Name__="X"'),
          '{"hw.nvidiasmi.gpu-0.Product Name": "X"}'::jsonb, 'keys may hold dots, dashes and spaces');

-- ---------------------------------------------------------------------------
-- Last value wins
-- ---------------------------------------------------------------------------
SELECT is(dlpg.parse_log(E'__exp.framework_ver__=""\n__x__=1\n__exp.framework_ver__= "1.8.0"'),
          '{"exp.framework_ver": "1.8.0", "x": 1}'::jsonb, 'last value of a key wins');
SELECT is(dlpg.parse_log(E'__k__=1\n__k__="one"\n__k__=[1, 2]\n__k__={"a": null}'),
          '{"k": {"a": null}}'::jsonb, 'last value wins whatever the types');
SELECT is(dlpg.parse_log(E'__ a __=1\n__a__=2'), '{"a": 2}'::jsonb,
          'keys equal after stripping are the same key');

-- ---------------------------------------------------------------------------
-- Values
-- ---------------------------------------------------------------------------
SELECT is(dlpg.parse_log(E'__s__="text"\n__i__=42\n__f__=55.31534424999904\n__t__=true\n__n__=null\n__neg__=-4\n__e__=1e-3'),
          '{"s": "text", "i": 42, "f": 55.31534424999904, "t": true, "n": null, "neg": -4, "e": 0.001}'::jsonb,
          'JSON scalars: string, integer, float, true, null, negative, exponent');
SELECT is(dlpg.parse_log('__f__=55.31534424999904')->'f', '55.31534424999904'::jsonb,
          'numbers keep every digit');
SELECT is(dlpg.parse_log(E'__o__={"a": [1, {"b": null}], "c": true, "d": {"e": {"f": "g"}}}\n__l__=[1, "two", [3, [4]], {"five": 5}]'),
          '{"o": {"a": [1, {"b": null}], "c": true, "d": {"e": {"f": "g"}}}, "l": [1, "two", [3, [4]], {"five": 5}]}'::jsonb,
          'nested objects and arrays kept');
SELECT is(dlpg.parse_log(E'__s__="a \\"quoted\\" \\\\ \\u00e9 word"'),
          jsonb_build_object('s', E'a "quoted" \\ \u00e9 word'), 'JSON string escapes decoded');
SELECT is(dlpg.parse_log(E'__u__="Ünïcödé ✓ 日本"'), '{"u": "Ünïcödé ✓ 日本"}'::jsonb, 'UTF-8 values');
SELECT is(dlpg.parse_log('__a__=NaN'), '{"a": "NaN"}'::jsonb, 'NaN kept as the string "NaN"');
SELECT is(jsonb_typeof(dlpg.parse_log('__a__=NaN')->'a'), 'string', 'NaN is a JSON string');
SELECT is(dlpg.parse_log(E'__a__=inf\n__b__=-inf\n__c__=nan\n__d__=Infinity'),
          '{"a": "inf", "b": "-inf", "c": "nan", "d": "Infinity"}'::jsonb, 'inf / -inf / nan / Infinity kept as strings');
SELECT is(dlpg.parse_log(E'__a__=hello world\n__b__=\'single\'\n__c__={"x": NaN}\n__d__=[1, 2'),
          jsonb_build_object('a', 'hello world', 'b', '''single''', 'c', '{"x": NaN}', 'd', '[1, 2'),
          'garbage values kept as the stripped text');
SELECT is(dlpg.parse_log(E'__a__=  not json  \t'), '{"a": "not json"}'::jsonb,
          'a non-JSON value is stripped before it is kept');
SELECT is(dlpg.parse_log('__k__='), '{}'::jsonb, '__k__= with nothing after = is ignored');
SELECT is(dlpg.parse_log(E'__k__=1\n__k__='), '{"k": 1}'::jsonb,
          'an empty __k__= line does not override an earlier value');
SELECT is(dlpg.parse_log('__k__=   '), '{"k": null}'::jsonb, 'a value of spaces only is null, as DLBS reads it');
SELECT is(dlpg.parse_log(E'__k__=\t \t'), '{"k": null}'::jsonb, 'a value of blanks only is null, as DLBS reads it');

SELECT is(dlpg.parse_log('__a__==1'), '{"a": "=1"}'::jsonb, '__a__==1: the value is "=1"');
SELECT is(dlpg.parse_log(E'__a__=1 # comment\n__b__="x" "y"\n__c__={"a": 1}}\n__d__=[1, 2]x'),
          jsonb_build_object('a', '1 # comment', 'b', '"x" "y"', 'c', '{"a": 1}}', 'd', '[1, 2]x'),
          'JSON followed by trailing text is not JSON: the whole value is kept as a string');
SELECT is(dlpg.parse_log(E'__a__=01\n__b__=1.\n__c__=.5\n__d__=+1\n__e__=True\n__f__=None\n__g__=tru\n__h__=nulll\n__i__="open'),
          jsonb_build_object('a', '01', 'b', '1.', 'c', '.5', 'd', '+1', 'e', 'True', 'f', 'None',
                             'g', 'tru', 'h', 'nulll', 'i', '"open'),
          'almost-JSON (leading zero, 1., .5, +1, Python True/None, truncated literals and strings) kept as strings');
SELECT is(dlpg.parse_log('__o__={"a": 1, "a": 2}'), '{"o": {"a": 2}}'::jsonb,
          'a key repeated inside a JSON object value: the last wins (jsonb semantics)');
SELECT ok(dlpg.parse_log(E'__a__="\\u0000"\n__b__="\\ud800"\n__c__=1e1000000\n__d__=1') @> '{"d": 1}',
          'JSON PostgreSQL cannot store (\u0000, a lone surrogate, 1e1000000) does not fail the log');
SELECT is(length(dlpg.parse_log('__s__="' || repeat('[', 100000) || '"')->>'s'), 100000,
          'brackets inside a JSON string are no nesting: a string of 100000 [ is kept');
SELECT is(dlpg.parse_log('__n__=1e400')->'n', '1e400'::jsonb, 'a JSON number beyond float8 (1e400) is kept exactly');

-- ---------------------------------------------------------------------------
-- Line endings
-- ---------------------------------------------------------------------------
SELECT is(dlpg.parse_log(E'__a__="x"\r\n__b__=2\r\n__c__=not json\r\n'),
          '{"a": "x", "b": 2, "c": "not json"}'::jsonb, 'CRLF line endings: values stripped of \r');
SELECT is(dlpg.parse_log(E'__a__=1\n\n\n__b__=2\n'), '{"a": 1, "b": 2}'::jsonb, 'empty lines skipped');

-- ---------------------------------------------------------------------------
-- Real logs
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM jsonb_object_keys(dlpg.parse_log(:'h200_log'))), 236::bigint,
          'H200 fixture parses to exactly 236 keys');
SELECT is((SELECT count(*) FROM jsonb_object_keys(dlpg.parse_log(:'h200_inf_log'))), 236::bigint,
          'H200 inference fixture parses to exactly 236 keys');
SELECT is((SELECT count(*) FROM jsonb_object_keys(dlpg.parse_log(:'rtx_log'))), 220::bigint,
          'RTX 2080 fixture parses to exactly 220 keys');
SELECT is((SELECT count(*) FROM jsonb_object_keys(dlpg.parse_log(:'failed_log'))), 228::bigint,
          'failed fixture parses to exactly 228 keys');
SELECT is(dlpg.parse_log(:'h200_log')->>'exp.id', 'f4bb8e5acbc14832b8c7cab6aebb8d59', 'H200 fixture: exp.id');
SELECT results_eq(
    format($$SELECT p->>'exp.model_title', p->>'exp.model', p->>'exp.phase', p->>'exp.dtype',
                    (p->>'exp.replica_batch')::int, p->'results.time', p->'results.throughput',
                    p->>'pytorch.__master_addr', jsonb_typeof(p->'hw.nvidiasmi'), jsonb_array_length(p->'results.time_data')
               FROM (SELECT dlpg.parse_log(%L) AS p) s$$, :'h200_log'),
    $$VALUES ('ResNet50'::text, 'resnet50'::text, 'training'::text, 'float16'::text, 128,
              '55.31534424999904'::jsonb, '2314'::jsonb, 'localhost'::text, 'object'::text, 20)$$,
    'H200 fixture: values as logged (exp.model_title: the last, non-empty value)');
SELECT is(dlpg.parse_log(:'h200_log')->'hw.nvidiasmi'->'GPU 00000000:00:06.0'->>'Product Name', 'NVIDIA H200',
          'H200 fixture: nested hw.nvidiasmi object kept');
SELECT results_eq(
    format($$SELECT p->>'exp.model_title', p->>'exp.framework_ver', p->>'exp.status',
                    p->'results.time', p->'results.throughput', p->>'exp.framework_title'
               FROM (SELECT dlpg.parse_log(%L) AS p) s$$, :'rtx_log'),
    $$VALUES ('ResNet50'::text, '1.8.0'::text, 'success'::text, '157.035947'::jsonb,
              '203.775000'::jsonb, 'TensorFlow-nvtfcnn'::text)$$,
    'RTX 2080 fixture: last values win');
SELECT is(dlpg.parse_log(replace(:'rtx_log', E'\n', E'\r\n')), dlpg.parse_log(:'rtx_log'),
          'a fixture with CRLF line endings parses to the same object');
SELECT ok(NOT (dlpg.parse_log(:'failed_log') ? 'results.time'),
          'failed fixture has no results.time');

SELECT * FROM finish();
ROLLBACK;
