-- pgTAP: hostile and malformed input, data-driven.  Every case is one SQL statement
-- (cases.call) with the outcome README promises (cases.expect); a runner executes each in
-- its own subtransaction and makes one assertion of it.  Afterwards the tables are still
-- there and the server still answers.
--
-- expect is one of
--   a SQLSTATE ('22P02', '22023', ...)   the call raises exactly that
--   ok                                   the call raises nothing
--   null                                 the call raises nothing and returns NULL
--   value:<text>                         the call's (first) result, as text, is <text>
--   json:<json>                          the result, as jsonb, equals <json>
--   jsonstr:<text>                       the result is a JSON string holding <text> (a
--                                        parse_log value kept as text)
--   jsontype:<type>                      jsonb_typeof of the result
--   status:<status>                      the result is a dlpg.benchmarks id with that status
--   row:<predicate>                      the result is a dlpg.benchmarks id whose row satisfies
--                                        <predicate> (SQL on its columns)
--   rejects:<s1,s2,...>                  the call raises nothing and adds dlpg.rejects rows with
--                                        exactly these SQLSTATEs (sorted; empty for none)
--   reject-row:<predicate>               the call adds at least one dlpg.rejects row, and every
--                                        row it adds satisfies <predicate>
--   svg                                  the result is a well-formed XML document with an <svg>
--   vega                                 the result is a JSON object with a "$schema"
-- Run from the project root with pg_prove, against a database with pgtap and dlpg.
BEGIN;

-- Start from empty tables (rolled back with the test).
DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- ---------------------------------------------------------------------------
-- Helpers
-- ---------------------------------------------------------------------------
-- A minimal valid log, pg_temp.mklog, and the same benchmark as a flat JSON object with extra
-- keys merged over it, pg_temp.mkobj (test/lib/logs.sql). Line numbers are fixed:
--   1 exp.id, 2 exp.model, 3 exp.phase, 4 exp.dtype, 5 exp.replica_batch,
--   6 exp.effective_batch, 7 exp.num_gpus, 8 exp.device_type, 9 results.time,
--   10 results.throughput, 11.. extra lines (which win over the lines above).
\ir lib/logs.sql

-- JSON text nested n arrays deep.
CREATE FUNCTION pg_temp.deep(n int) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT repeat('[', n) || repeat(']', n)
$f$;

-- The string every injection-looking case uses.
CREATE FUNCTION pg_temp.inj() RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT $s$'; DROP TABLE dlpg.benchmarks; --$s$::text
$f$;

-- Data for the filter and chart cases: a model named like an injection, one named like
-- markup, one with a control character, a small weak-scaling pair, and two trials whose
-- throughput is near the largest double.
CREATE TEMP TABLE setup_ids AS SELECT * FROM dlpg.ingest_json(jsonb_build_array(
    pg_temp.mkobj('h-data-inj', jsonb_build_object('exp.model', pg_temp.inj(), 'results.throughput', 3200)),
    pg_temp.mkobj('h-data-xml', jsonb_build_object('exp.model', 'A<B & "C" ]]> </text>', 'results.throughput', 1600)),
    pg_temp.mkobj('h-data-ctl', jsonb_build_object('exp.model', E'ctl\u0001name', 'results.throughput', 800)),
    pg_temp.mkobj('h-data-w1', jsonb_build_object('exp.model', 'HostileNet', 'exp.num_gpus', 1,
                                                  'exp.effective_batch', 32, 'results.throughput', 320)),
    pg_temp.mkobj('h-data-w2', jsonb_build_object('exp.model', 'HostileNet', 'exp.num_gpus', 2,
                                                  'exp.effective_batch', 64, 'results.time', 110,
                                                  'results.throughput', 580)),
    pg_temp.mkobj('h-data-huge1', jsonb_build_object('exp.model', 'HugeNet', 'results.throughput', 1.7e308)),
    pg_temp.mkobj('h-data-huge2', jsonb_build_object('exp.model', 'HugeNet', 'results.throughput', 1.7e308))),
    'h-data.json') AS id;

CREATE TEMP TABLE cases (id serial, kind text, call text, expect text, note text);

-- ---------------------------------------------------------------------------
-- Logs: dlpg.ingest, dlpg.parse_log, dlpg.load_log
-- ---------------------------------------------------------------------------
INSERT INTO cases (kind, call, expect, note) VALUES
('log', $c$SELECT dlpg.ingest('')$c$, '22P02', 'empty log'),
('log', $c$SELECT dlpg.ingest(E' \t\n\r\n   \n\t\r')$c$, '22P02', 'whitespace only'),
('log', $c$SELECT dlpg.ingest(E'Running...\nTraceback (most recent call last):\n__k__=\n  __x__\n=__y__\n____=1\n__k__ =')$c$,
 '22P02', 'only lines that are no parameters (no value, no closing __, empty key)'),
('log', $c$SELECT dlpg.parse_log(E'Running...\n__k__=\n____=1\nplain text')$c$, 'json:{}', 'parse_log of no parameter lines is {}'),
('log', $c$SELECT dlpg.ingest((SELECT string_agg(chr(c), '') FROM generate_series(1, 3000) c))$c$,
 '22P02', 'binary garbage: code points 1..3000 (control characters included), no parameters'),
('log', $c$SELECT dlpg.parse_log((SELECT string_agg(chr(c), '') FROM generate_series(1, 3000) c))$c$,
 'json:{}', 'parse_log of binary garbage is {}'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-garbage-lines',
        (SELECT string_agg(chr(c), '') FROM generate_series(1, 3000) c) || E'\n' ||
        (SELECT string_agg(chr(c), '') FROM generate_series(55296 - 500, 55295) c)))$c$,
 'status:ok', 'garbage lines after a good log are ignored'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-garbage-value',
        '__exp.note__=' || (SELECT string_agg(chr(c), '') FROM generate_series(14, 31) c) || E'\u00ff\u2028\ufffd\U0001F600'))$c$,
 $e$row:status = 'ok' AND jsonb_typeof(params->'exp.note') = 'string'$e$, 'garbage as a value is kept as a string'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-unterminated', '__exp.model__="resnet'))$c$,
 $e$row:status = 'ok' AND model = '"resnet'$e$, 'unterminated string in a text key: kept as text'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-unterminated-rb', '__exp.replica_batch__="32'))$c$,
 '22P02', 'unterminated string in exp.replica_batch'),
('log', $c$SELECT dlpg.parse_log(E'__v__="\\q"')->'v'$c$, 'jsonstr:"\q"', 'invalid escape \q kept as a string'),
('log', $c$SELECT dlpg.parse_log(E'__v__="\\x41"')->'v'$c$, 'jsonstr:"\x41"', 'invalid escape \x kept as a string'),
('log', $c$SELECT dlpg.parse_log(E'__v__="\\u12"')->'v'$c$, 'jsonstr:"\u12"', 'short \u escape kept as a string'),
('log', $c$SELECT dlpg.parse_log(E'__v__="\\ud800"')->'v'$c$, 'jsonstr:"\ud800"', 'lone high surrogate kept as a string'),
('log', $c$SELECT dlpg.parse_log(E'__v__="\\udc00x"')->'v'$c$, 'jsonstr:"\udc00x"', 'lone low surrogate kept as a string'),
('log', $c$SELECT dlpg.parse_log(E'__v__="\\udc00\\ud800"')->'v'$c$, 'jsonstr:"\udc00\ud800"', 'surrogates in the wrong order kept as a string'),
('log', $c$SELECT dlpg.parse_log(E'__v__="a\\u0000b"')->'v'$c$, 'jsonstr:"a\u0000b"', '\u0000 kept as a string'),
('log', $c$SELECT dlpg.parse_log(E'__v__={"k\\u0000": 1}')->'v'$c$, 'jsonstr:{"k\u0000": 1}', '\u0000 in a key kept as a string'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nul-model', E'__exp.model__="\\u0000"'))$c$,
 $e$row:status = 'ok' AND model = '"\u0000"'$e$, 'exp.model "\u0000": kept as text'),
('log', $c$SELECT dlpg.parse_log('__v__=1e999999')->'v'$c$, 'jsonstr:1e999999', '1e999999 (beyond numeric) kept as a string'),
('log', $c$SELECT dlpg.parse_log('__v__=-1e-999999')->'v'$c$, 'jsonstr:-1e-999999', '-1e-999999 kept as a string'),
('log', $c$SELECT dlpg.parse_log('__v__=1e131071')->'v'$c$, 'json:1e131071', '1e131071 is JSON that jsonb holds: a number'),
('log', $c$SELECT dlpg.parse_log('__v__=1e-16383')->'v'$c$, 'json:1e-16383', '1e-16383 is JSON that jsonb holds: a number'),
('log', $c$SELECT dlpg.parse_log('__v__=-0')->'v'$c$, 'json:0', '-0 is a number'),
('log', $c$SELECT dlpg.parse_log('__v__=NaN')->'v'$c$, 'jsonstr:NaN', 'NaN kept as a string'),
('log', $c$SELECT dlpg.parse_log('__v__=-Infinity')->'v'$c$, 'jsonstr:-Infinity', '-Infinity kept as a string'),
('log', $c$SELECT dlpg.parse_log('__v__=[1, NaN, inf]')->'v'$c$, 'jsonstr:[1, NaN, inf]', 'array holding NaN kept as a string'),
('log', $c$SELECT dlpg.parse_log('__v__=1 2')->'v'$c$, 'jsonstr:1 2', 'a number and garbage: kept as a string'),
('log', $c$SELECT dlpg.parse_log('__v__={"a": [1, {"b": 2}]} x')->'v'$c$, 'jsonstr:{"a": [1, {"b": 2}]} x',
 'a whole object and garbage: kept as a string'),
('log', $c$SELECT dlpg.parse_log(E'__v__=[{"a": [1, 2]}, 3\n__w__={"x": [4]}\n__v2__=[5')$c$,
 'json:{"v": "[{\"a\": [1, 2]}, 3", "w": {"x": [4]}, "v2": "[5"}', 'unterminated containers between good values'),
('log', $c$SELECT dlpg.parse_log('__v__=' || t)->'v' = t::jsonb
             FROM (SELECT '{' || string_agg(format('"k%s": %s', lpad((g % 40)::text, 2, '0'), g), ', ') || '}' AS t
                     FROM generate_series(1, 120) g) s$c$,
 'value:true', 'an object value with forty keys, each three times: as jsonb reads it (the last wins)'),
('log', $c$SELECT dlpg.parse_log('__v__=' || pg_temp.deep(999))->'v'$c$, 'jsontype:array', 'nested 999 levels: kept'),
('log', $c$SELECT dlpg.parse_log('__v__=' || pg_temp.deep(1000))->'v'$c$, 'jsontype:array', 'nested 1000 levels (the limit): kept'),
('log', $c$SELECT dlpg.parse_log('__v__=' || pg_temp.deep(1001))$c$, '54000', 'nested 1001 levels'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-deep-100000', '__v__=' || pg_temp.deep(100000)))$c$, '54000', 'ingest: nested 100000 levels'),
('log', $c$SELECT dlpg.parse_log('__v__=' || repeat('{"a": ', 1001) || '1' || repeat('}', 1001))$c$, '54000', 'object nested 1001 levels'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-deep-rb', '__exp.replica_batch__=' || pg_temp.deep(1001)))$c$,
 '54000', 'exp.replica_batch nested 1001 levels: the depth error first'),
('log', $c$SELECT dlpg.parse_log('__v__=' || repeat('[', 1000) || repeat(']', 999))->'v'$c$, 'jsontype:string',
 '1000 [ with 999 ]: not JSON, kept as a string'),
-- typed keys
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-str', '__exp.replica_batch__="abc"'))$c$, '22P02', 'exp.replica_batch "abc"'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-frac', '__exp.replica_batch__=12.5'))$c$, '22P02', 'exp.replica_batch 12.5'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-zero', '__exp.replica_batch__=0'))$c$, '22P02', 'exp.replica_batch 0'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-neg', '__exp.replica_batch__=-8'))$c$, '22P02', 'exp.replica_batch -8'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-big', '__exp.replica_batch__=2147483648'))$c$, '22P02', 'exp.replica_batch 2^31'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-1e400', '__exp.replica_batch__=1e400'))$c$, '22P02', 'exp.replica_batch 1e400'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-bool', '__exp.replica_batch__=true'))$c$, '22P02', 'exp.replica_batch true'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-arr', '__exp.replica_batch__=[32]'))$c$, '22P02', 'exp.replica_batch [32]'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-obj', '__exp.replica_batch__={"v": 32}'))$c$, '22P02', 'exp.replica_batch {"v": 32}'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-hex', '__exp.replica_batch__="0x20"'))$c$, '22P02',
 'exp.replica_batch "0x20": a string, but not one holding a JSON number'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-10mb', '__exp.replica_batch__=' || repeat('9', 10 * 1024 * 1024)))$c$,
 '22P02', 'exp.replica_batch a 10 MB number'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-numstr', '__exp.replica_batch__="64"'))$c$,
 $e$row:replica_batch = 64$e$, 'exp.replica_batch "64": a string holding a number is taken'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-eb-false', '__exp.effective_batch__=false'))$c$, '22P02', 'exp.effective_batch false'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-eb-frac', '__exp.effective_batch__=1.0000001'))$c$, '22P02', 'exp.effective_batch 1.0000001'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-eb-empty-arr', '__exp.effective_batch__=[]'))$c$, '22P02', 'exp.effective_batch []'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-eb-unset', '__exp.effective_batch__=""'))$c$,
 $e$row:status = 'ok' AND effective_batch IS NULL$e$, 'exp.effective_batch "" is unset: NULL'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-ngpu-zero', '__exp.num_gpus__=0'))$c$, '22P02', 'exp.num_gpus 0'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-ngpu-str', '__exp.num_gpus__="two"'))$c$, '22P02', 'exp.num_gpus "two"'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-ngpu-obj', '__exp.num_gpus__={}'))$c$, '22P02', 'exp.num_gpus {}'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-ngpu-1e10', '__exp.num_gpus__=1e10'))$c$, '22P02', 'exp.num_gpus 1e10'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nlocal-neg', '__exp.num_local_gpus__=-1'))$c$, '22P02', 'exp.num_local_gpus -1'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nlocal-frac', '__exp.num_local_gpus__=0.5'))$c$, '22P02', 'exp.num_local_gpus 0.5'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nlocal-nan', '__exp.num_local_gpus__="NaN"'))$c$, '22P02', 'exp.num_local_gpus "NaN"'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nnodes-zero', '__exp.num_nodes__=0'))$c$, '22P02', 'exp.num_nodes 0'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nnodes-bool', '__exp.num_nodes__=true'))$c$, '22P02', 'exp.num_nodes true'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nnodes-fracstr', '__exp.num_nodes__="1.5"'))$c$, '22P02', 'exp.num_nodes "1.5"'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nrep-neg', '__exp.num_replicas__=-2'))$c$, '22P02', 'exp.num_replicas -2'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nrep-obj', '__exp.num_replicas__={"n": 2}'))$c$, '22P02', 'exp.num_replicas {"n": 2}'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nrep-inf', '__exp.num_replicas__="inf"'))$c$, '22P02', 'exp.num_replicas "inf"'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-nrep-overflow',
        E'__exp.effective_batch__=null\n__exp.replica_batch__=2147483647\n__exp.num_replicas__=2'))$c$,
 '22003', 'num_replicas x replica_batch beyond integer: an error naming the key, not a silent NULL effective batch'),
-- text keys
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-model-obj', '__exp.model__={"name": "resnet50"}'))$c$, '22P02', 'exp.model an object'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-phase-arr', '__exp.phase__=["training"]'))$c$, '22P02', 'exp.phase an array'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-dtype-obj', '__exp.dtype__={"a": 1}'))$c$, '22P02', 'exp.dtype an object'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-devtype-arr', '__exp.device_type__=[]'))$c$, '22P02', 'exp.device_type an array'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-fwtitle-arr', '__exp.framework_title__=["a", "b"]'))$c$, '22P02', 'exp.framework_title an array'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-node-title-obj', '__exp.node_title__={}'))$c$, '22P02', 'exp.node_title an object'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-id-arr', '__exp.id__=["h-id-arr"]'))$c$, '22P02', 'exp.id an array'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-datastore-arr', '__exp.data_store__=["ssd"]'))$c$, '22P02', 'exp.data_store an array'),
('log', $c$SELECT dlpg.ingest(regexp_replace(pg_temp.mklog('h-status-obj', '__exp.status__={"s": 1}'), E'__results\\.[a-z]+__=[^\\n]*\\n?', '', 'g'))$c$,
 '22P02', 'no results and exp.status an object'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-model-bool', '__exp.model__=true'))$c$,
 $e$row:model = 'true'$e$, 'exp.model true: its JSON spelling'),
-- results
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-zero', '__results.time__=0'))$c$, 'status:failed', 'results.time 0'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-neg', '__results.time__=-5'))$c$, 'status:failed', 'results.time -5'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-negzero', '__results.time__=-0'))$c$, 'status:failed', 'results.time -0'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-nan', '__results.time__=NaN'))$c$, 'status:failed', 'results.time NaN'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-inf', '__results.time__=Infinity'))$c$, 'status:failed', 'results.time Infinity'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-ninf', '__results.time__="-inf"'))$c$, 'status:failed', 'results.time "-inf"'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-str', '__results.time__="fast"'))$c$, 'status:failed', 'results.time "fast"'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-arr', '__results.time__=[100]'))$c$, 'status:failed', 'results.time [100]'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-obj', '__results.time__={"mean": 100}'))$c$, 'status:failed', 'results.time an object'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-bool', '__results.time__=true'))$c$, 'status:failed', 'results.time true'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-1e400', '__results.time__=1e400'))$c$, 'status:failed', 'results.time 1e400 (beyond double)'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-1e999999', '__results.time__=1e999999'))$c$, 'status:failed', 'results.time 1e999999'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-null', '__results.time__=null'))$c$,
 $e$row:status = 'failed' AND batch_time_ms IS NULL$e$, 'results.time null: no results'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-tp-neg', '__results.throughput__=-3'))$c$,
 $e$row:status = 'ok' AND throughput = 320 AND throughput_derived$e$, 'results.throughput -3 with an effective batch: derived'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-tp-neg-noeb', E'__exp.effective_batch__=null\n__results.throughput__=-3'))$c$,
 $e$row:status = 'failed' AND batch_time_ms = 100$e$, 'results.throughput -3 without an effective batch: failed'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-tp-inf', '__results.throughput__=1e400'))$c$,
 $e$row:status = 'failed' AND status_reason LIKE 'results.throughput is not a finite number%'$e$,
 'results.throughput 1e400: not finite, so the benchmark failed (not derived from the batch time)'),
-- repeated keys, odd keys, line endings, size
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rep-good-last', E'__exp.replica_batch__=[1]\n__exp.replica_batch__=16'))$c$,
 $e$row:replica_batch = 16$e$, 'exp.replica_batch [1] then 16: the last wins'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rep-bad-last', E'__exp.replica_batch__=16\n__exp.replica_batch__={"x": 1}'))$c$,
 '22P02', 'exp.replica_batch 16 then an object: the last wins'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rep-time', E'__results.time__="x"\n__results.time__=50'))$c$,
 $e$row:status = 'ok' AND batch_time_ms = 50$e$, 'results.time "x" then 50'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-key-spaces', '__exp.replica_batch  __ = "abc"'))$c$,
 '22P02', 'key "exp.replica_batch  " is stripped to a typed key'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-key-odd', E'__k"e\\y''s__=1\n__\u00fc\u20ac\U0001F600__=2\n__a__b__=3\n__=__=4'))$c$,
 $e$row:status = 'ok' AND params->'k"e\y''s' = '1' AND params->E'\u00fc\u20ac\U0001F600' = '2' AND params->'a__b' = '3' AND params->'=' = '4'$e$,
 'keys with quotes, backslash, non-ASCII, __ and = inside'),
('log', $c$SELECT dlpg.ingest(replace(pg_temp.mklog('h-cr-only'), E'\n', E'\r'))$c$,
 $e$row:status = 'ok' AND exp_id = 'h-cr-only' AND replica_batch = 32 AND model = 'resnet50'$e$, 'CR-only line endings'),
('log', $c$SELECT dlpg.ingest(replace(pg_temp.mklog('h-cr-cr-lf'), E'\n', E'\r\r\n'))$c$,
 $e$row:status = 'ok' AND exp_id = 'h-cr-cr-lf' AND model = 'resnet50'$e$, 'CR CR LF line endings'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-cr-in-value', E'__exp.model__="a\rb"'))$c$,
 $e$row:status = 'ok' AND model = '"a'$e$, 'a CR inside a value ends the line'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-10mb', '__big__="' || repeat('x', 10 * 1024 * 1024) || '"'))$c$,
 $e$row:status = 'ok' AND length(params->>'big') = 10485760$e$, 'a 10 MB value is stored whole'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-10mb-key', '__' || repeat('k', 10 * 1024 * 1024) || '__=1'))$c$,
 $e$row:status = 'ok' AND params->repeat('k', 10 * 1024 * 1024) = '1'$e$, 'a 10 MB key'),
('log', $c$SELECT dlpg.ingest(repeat('y', 10 * 1024 * 1024))$c$, '22P02', 'a 10 MB line that is no parameter'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-many', (SELECT string_agg(format('__k%s__=%s', g, g), E'\n') FROM generate_series(1, 50000) g)))$c$,
 $e$row:status = 'ok' AND (SELECT count(*) FROM jsonb_object_keys(params)) = 50010$e$, '50000 parameter lines'),
('log', $c$SELECT dlpg.parse_log((SELECT string_agg(format('__%s__=%s', repeat('k', 300) || (g % 20), g), E'\n') FROM generate_series(1, 100) g))
        -> (repeat('k', 300) || '7')$c$, 'json:87', 'a key repeated among long keys: the last wins'),
('log', $c$SELECT dlpg.parse_log((SELECT string_agg(format('__k%s__=%s', lpad((g % 40)::text, 2, '0'), g), E'\n') FROM generate_series(1, 200) g))
        -> 'k07'$c$, 'json:167', 'forty keys of one length, each repeated: the last wins'),
-- arguments
('log', $c$SELECT dlpg.ingest(NULL)$c$, 'null', 'a NULL log'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-oc-typo'), NULL, 'skp')$c$, '22023', 'on_conflict skp'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-oc-null'), NULL, NULL)$c$, '22004', 'on_conflict NULL'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-oc-inj'), NULL, 'skip'' OR 1=1; --')$c$, '22023', 'on_conflict injection-looking'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-src-inj'), pg_temp.inj())$c$,
 $e$row:source = pg_temp.inj()$e$, 'an injection-looking source is stored as data'),
-- the bulk loader: bad input becomes a reject
('log', $c$SELECT count(*) FROM dlpg.load_log('', 'h-empty.log')$c$, 'rejects:22P02', 'load_log of an empty log'),
('log', $c$SELECT count(*) FROM dlpg.load_log((SELECT string_agg(chr(c), '') FROM generate_series(1, 3000) c), 'h-garbage.log')$c$,
 'rejects:22P02', 'load_log of binary garbage'),
('log', $c$SELECT count(*) FROM dlpg.load_log(pg_temp.mklog('h-load-rb', '__exp.replica_batch__="abc"'), 'h-load-rb.log')$c$,
 $e$reject-row:sqlstate = '22P02' AND line = 11 AND key = 'exp.replica_batch' AND source = 'h-load-rb.log' AND raw LIKE '%h-load-rb%'$e$,
 'load_log of a bad typed value: a reject naming line and key'),
('log', $c$SELECT count(*) FROM dlpg.load_log(pg_temp.mklog('h-load-deep', '__v__=' || pg_temp.deep(5000)), 'h-load-deep.log')$c$,
 'rejects:54000', 'load_log of a value nested 5000 levels'),
('log', $c$SELECT count(*) FROM dlpg.load_log('__a"b__=' || pg_temp.deep(1001), 'h-load-quote.log')$c$,
 $e$reject-row:sqlstate = '54000' AND line = 1 AND key = 'a"b'$e$, 'load_log: a key holding a double quote is recorded whole'),
-- a bad argument is the caller's error, raised: the input (a good log) is not a reject
('log', $c$SELECT count(*) FROM dlpg.load_log(pg_temp.mklog('h-load-oc'), 'h-load-oc.log', NULL)$c$,
 '22004', 'load_log with on_conflict NULL'),
('log', $c$SELECT status FROM dlpg.load_log(pg_temp.mklog('h-load-failed', '__results.time__=-1'), 'h-load-failed.log')$c$,
 'value:failed', 'load_log of a failed run: stored, not rejected'),
('log', $c$SELECT count(*) FROM dlpg.load_log(NULL, 'h-null.log')$c$, 'value:0', 'load_log of NULL: nothing');

-- MLPerf inputs (dlpg.load's mlperf_training and mlperf_inference; test/mlperf_sources.sql has
-- the bundled files and more): a reject of the input, or a stored run, failed with its reason.
-- "system": {} (an empty description) keeps the NOTICE of a missing one out of the output.
INSERT INTO cases (kind, call, expect, note) VALUES
('mlperf', $c$SELECT count(*) FROM dlpg.load('mlperf_training', '', 'h-mp-empty')$c$, 'rejects:22P02', 'mlperf_training: empty input'),
('mlperf', $c$SELECT count(*) FROM dlpg.load('mlperf_training', (SELECT string_agg(chr(c), '') FROM generate_series(1, 3000) c), 'h-mp-garbage')$c$,
 'rejects:22P02', 'mlperf_training: 3000 characters of garbage'),
('mlperf', $c$SELECT count(*) FROM dlpg.load('mlperf_training', pg_temp.deep(5000), 'h-mp-deep')$c$, 'rejects:22023',
 'mlperf_training: arrays 5000 deep, not an object'),
('mlperf', $c$SELECT id FROM dlpg.load('mlperf_training', jsonb_build_object('path', 'a/results/s/b/r.txt', 'system', '{}'::jsonb,
     'result', ':::MLLOG ' || repeat('[', 5000))::text, 'h-mp-deeprec')$c$, 'row:status = ''failed''',
 'mlperf_training: a record nested 5000 deep: a failed run'),
('mlperf', $c$SELECT id FROM dlpg.load('mlperf_training', jsonb_build_object('path', repeat('/results', 1000), 'system', '{}'::jsonb,
     'result', ':::MLLOG {}')::text, 'h-mp-path')$c$, 'row:status = ''failed'' AND server = ''results''',
 'mlperf_training: a path of 1000 "results" folders'),
('mlperf', $c$SELECT id FROM dlpg.load('mlperf_training', jsonb_build_object('path', pg_temp.inj() || '/results/s/b/r.txt', 'system', '{}'::jsonb,
     'result', E':::MLLOG {"key": "run_start", "time_ms": 0}\n:::MLLOG {"key": "run_stop", "time_ms": 60000, "metadata": {"status": "success"}}')::text, 'h-mp-inj')$c$,
 'row:status = ''ok'' AND submitter = pg_temp.inj() AND time_to_train = 1', 'mlperf_training: a submitter folder named like an injection, stored as text'),
('mlperf', $c$SELECT id FROM dlpg.load('mlperf_training', jsonb_build_object('path', 'x/results/s/b/r.txt',
     'system', '{"accelerator_model_name": "X", "accelerators_per_node": "1e10", "number_of_nodes": "-3", "framework": 5}'::jsonb,
     'result', E':::MLLOG {"key": "run_start", "time_ms": 0}\n:::MLLOG {"key": "run_stop", "time_ms": 60000, "metadata": {"status": "success"}}')::text, 'h-mp-sys')$c$,
 'row:status = ''ok'' AND num_devices IS NULL AND num_nodes IS NULL AND framework IS NULL AND processing_unit IS NULL',
 'mlperf_training: counts out of range, a framework that is a number: NULL columns, the run kept'),
('mlperf', $c$SELECT id FROM dlpg.load('mlperf_training', jsonb_build_object('path', 'x/results/s/b/r.txt', 'system', '{}'::jsonb,
     'result', E':::MLLOG {"key": "run_start", "time_ms": 1e400}\n:::MLLOG {"key": "run_stop", "time_ms": 60000, "metadata": {"status": "success"}}')::text, 'h-mp-inf')$c$,
 'row:status = ''failed'' AND time_to_train IS NULL', 'mlperf_training: a time beyond a double: failed, no time to train'),
('mlperf', $c$SELECT count(*) FROM dlpg.load('mlperf_inference', jsonb_build_object('path', 'x', 'summary', 'Result is : VALID', 'detail', 5)::text, 'h-mp-detail')$c$,
 'rejects:22023', 'mlperf_inference: a detail that is a number'),
('mlperf', $c$SELECT id FROM dlpg.load('mlperf_inference', jsonb_build_object('path', 'x/results/s/m/Offline/performance/run_1', 'system', '{}'::jsonb,
     'summary', E'Result is : VALID\nSamples per second : 1e999')::text, 'h-mp-huge')$c$, 'row:status = ''failed'' AND throughput IS NULL',
 'mlperf_inference: a headline beyond a double: failed, no throughput'),
('mlperf', $c$SELECT id FROM dlpg.load('mlperf_inference', jsonb_build_object('path', 'x/results/s/m/Weird/performance/run_1', 'system', '{}'::jsonb,
     'summary', E'Scenario : Weird\nResult is : VALID')::text, 'h-mp-scenario')$c$, 'row:status_reason = ''unknown scenario "Weird"''',
 'mlperf_inference: an unknown scenario: failed, named');

-- A duplicate under on_conflict 'error', by every path (the first of each pair is stored).
INSERT INTO cases (kind, call, expect, note) VALUES
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-dup-log'))$c$, 'status:ok', 'a good log (stored for the duplicate cases)'),
('log', $c$SELECT dlpg.ingest(pg_temp.mklog('h-dup-log'), NULL, 'error')$c$, '23505', 'the same log again under error'),
('log', $c$SELECT count(*) FROM dlpg.load_log(pg_temp.mklog('h-dup-log'), 'h-dup.log', 'error')$c$, 'rejects:23505',
 'load_log of the same log again under error');

-- ---------------------------------------------------------------------------
-- JSON documents: dlpg.ingest_json, dlpg.load_json
-- ---------------------------------------------------------------------------
INSERT INTO cases (kind, call, expect, note) VALUES
('json', $c$SELECT * FROM dlpg.ingest_json('3')$c$, '22023', 'a number'),
('json', $c$SELECT * FROM dlpg.ingest_json('"text"')$c$, '22023', 'a string'),
('json', $c$SELECT * FROM dlpg.ingest_json('null')$c$, '22023', 'JSON null'),
('json', $c$SELECT * FROM dlpg.ingest_json('true')$c$, '22023', 'a boolean'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json(NULL)$c$, 'value:0', 'SQL NULL: nothing'),
('json', $c$SELECT * FROM dlpg.ingest_json('{}', 'h-empty-object')$c$, '22023',
 'an empty object has no parameters, as an empty log'),
('json', $c$SELECT * FROM dlpg.ingest_json('[{}]', 'h-empty-element')$c$, 'rejects:22023',
 'an empty object in an array: a reject'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json('[]')$c$, 'rejects:', 'an empty array: nothing, no rejects'),
('json', $c$SELECT * FROM dlpg.ingest_json('{"data": 5}')$c$, '22023', '{"data": 5}'),
('json', $c$SELECT * FROM dlpg.ingest_json('{"data": {}}')$c$, '22023', '{"data": {}}'),
('json', $c$SELECT * FROM dlpg.ingest_json('{"data": null}')$c$, '22023', '{"data": null}'),
('json', $c$SELECT * FROM dlpg.ingest_json('{"data": "[]"}')$c$, '22023', '{"data": "[]"} (a string)'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json('{"data": []}')$c$, 'value:0', '{"data": []}'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json('{"data": [[]]}')$c$, 'rejects:22023', '{"data": [[]]}'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json('{"data": [null, 1, "x", true, [{}]]}')$c$,
 'rejects:22023,22023,22023,22023,22023', 'data of scalars and arrays'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(1, 'x', '[]'::jsonb, 'null'::jsonb,
        pg_temp.mkobj('h-j-mixed-bad', '{"exp.replica_batch": "abc"}'), pg_temp.mkobj('h-j-mixed-good')))$c$,
 'rejects:22023,22023,22023,22023,22P02', 'an array of mixed garbage and one good benchmark'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(1, 'x', '[]'::jsonb, 'null'::jsonb,
        pg_temp.mkobj('h-j-mixed-bad', '{"exp.replica_batch": "abc"}'), pg_temp.mkobj('h-j-mixed-good')))$c$,
 'value:1', '  and the good one is returned'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-ngpu', '{"exp.num_gpus": 0}'))$c$, '22P02', 'exp.num_gpus 0'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-eb', '{"exp.effective_batch": 1.5}'))$c$, '22P02', 'exp.effective_batch 1.5'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-nnodes', '{"exp.num_nodes": true}'))$c$, '22P02', 'exp.num_nodes true'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-nlocal', '{"exp.num_local_gpus": []}'))$c$, '22P02', 'exp.num_local_gpus []'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-nrep', '{"exp.num_replicas": {}}'))$c$, '22P02', 'exp.num_replicas {}'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-rb', '{"exp.replica_batch": "12abc"}'))$c$, '22P02', 'exp.replica_batch "12abc"'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-rb-huge', '{"exp.replica_batch": 1e1000}'))$c$, '22P02', 'exp.replica_batch 1e1000'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-model', '{"exp.model": {}}'))$c$, '22P02', 'exp.model {}'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('x') || '{"exp.id": [1]}')$c$, '22P02', 'exp.id [1]'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-time', '{"results.time": "NaN"}'))$c$, 'status:failed', 'results.time "NaN"'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-j-arr-bad', '{"exp.num_gpus": -1}'),
                                                        pg_temp.mkobj('h-j-arr-good')), 'h-j-arr.json')$c$,
 $e$reject-row:sqlstate = '22P02' AND key = 'exp.num_gpus' AND source = 'h-j-arr.json' AND raw::jsonb->>'exp.id' = 'h-j-arr-bad'$e$,
 'an array with a bad typed value: a reject naming the key, with the element'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-deep', jsonb_build_object('hw.deep', pg_temp.deep(10000)::jsonb)))$c$,
 $e$row:status = 'ok' AND params->'hw.deep' = pg_temp.deep(10000)::jsonb$e$, 'a value nested 10000 levels in an unused key: stored'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-j-deep-rb',
        jsonb_build_object('exp.replica_batch', pg_temp.deep(10000)::jsonb))))$c$,
 'rejects:22P02', 'exp.replica_batch nested 10000 levels in an array'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json(jsonb_build_object('data', jsonb_build_array(pg_temp.deep(10000)::jsonb)))$c$,
 'rejects:22023', 'data holding an array nested 10000 levels'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-j-long1-before'),
        pg_temp.mkobj('h-j-long1-' || (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 100) g)),
        pg_temp.mkobj('h-j-long1-after')), 'h-j-long1.json')$c$,
 'value:3', 'an element whose exp.id is 3 kB is stored with the rest (its dedup key hashed)'),
('json', $c$SELECT id FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-j-long2-before'),
        pg_temp.mkobj('h-j-long2-' || (SELECT string_agg(md5(g::text), '') FROM generate_series(1, 100) g)),
        pg_temp.mkobj('h-j-long2-after')), 'h-j-long2.json') AS id OFFSET 1 LIMIT 1$c$,
 $e$row:source = 'h-j-long2.json' AND exp_id LIKE 'h-j-long2-%' AND length(exp_id) > 3200 AND dedup_key LIKE 'exp.id-sha256:%'$e$,
 'an element whose exp.id is 3 kB keeps it whole; its dedup key is a hash that fits the index'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-oc'), NULL, 'bogus')$c$, '22023', 'on_conflict bogus'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-oc'), NULL, NULL)$c$, '22004', 'on_conflict NULL'),
('json', $c$SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-j-dup'), pg_temp.mkobj('h-j-dup')), NULL, 'error')$c$,
 'rejects:23505', 'the same benchmark twice in one array under error'),
('json', $c$SELECT * FROM dlpg.ingest_json(pg_temp.mkobj('h-j-dup'), NULL, 'error')$c$, '23505', 'a stored benchmark again under error'),
-- load_json: text that may not even be JSON
('json', $c$SELECT count(*) FROM dlpg.load_json('not json', 'h-l1.json')$c$, 'rejects:22P02', 'load_json of text that is no JSON'),
('json', $c$SELECT count(*) FROM dlpg.load_json('', 'h-l2.json')$c$, 'rejects:22P02', 'load_json of empty text'),
('json', $c$SELECT count(*) FROM dlpg.load_json('{"data": [{"exp.id": "h-l3"', 'h-l3.json')$c$, 'rejects:22P02', 'load_json of truncated JSON'),
('json', $c$SELECT count(*) FROM dlpg.load_json('[1,]', 'h-l4.json')$c$, 'rejects:22P02', 'load_json of a trailing comma'),
('json', $c$SELECT count(*) FROM dlpg.load_json('{"exp.model": NaN}', 'h-l5.json')$c$, 'rejects:22P02', 'load_json with NaN'),
('json', $c$SELECT count(*) FROM dlpg.load_json('["\u0000"]', 'h-l6.json')$c$, 'rejects:22P05', 'load_json with \u0000'),
('json', $c$SELECT count(*) FROM dlpg.load_json('["\ud800"]', 'h-l7.json')$c$, 'rejects:22P02', 'load_json with a lone surrogate'),
('json', $c$SELECT count(*) FROM dlpg.load_json('[1e999999]', 'h-l8.json')$c$, 'rejects:22003', 'load_json with 1e999999'),
('json', $c$SELECT count(*) FROM dlpg.load_json(pg_temp.deep(100000), 'h-l9.json')$c$, 'rejects:54001', 'load_json nested 100000 levels'),
('json', $c$SELECT count(*) FROM dlpg.load_json('5', 'h-l10.json')$c$, 'rejects:22023', 'load_json of a number'),
('json', $c$SELECT count(*) FROM dlpg.load_json('{"data": {}}', 'h-l11.json')$c$, 'rejects:22023', 'load_json of {"data": {}}'),
('json', $c$SELECT count(*) FROM dlpg.load_json('[1, {"exp.replica_batch": 0}, "x"]', 'h-l12.json')$c$,
 'rejects:22023,22023,22P02', 'load_json of an array of bad elements: one reject each'),
('json', $c$SELECT string_agg(outcome, ',' ORDER BY element) FROM dlpg.load_json('[1, {"exp.replica_batch": 0}, "x"]', 'h-l12b.json')$c$,
 'value:rejected,rejected,rejected', '  each element is said rejected'),
('json', $c$SELECT count(*) FROM dlpg.load_json(jsonb_build_array(pg_temp.mkobj('h-j-dup'))::text, 'h-l13.json', 'error')$c$,
 'rejects:23505', 'load_json of a stored benchmark under error'),
('json', $c$SELECT count(*) FROM dlpg.load_json('[]', 'h-l14.json', 'nope')$c$, '22023', 'load_json with on_conflict nope (raised)'),
('json', $c$SELECT count(*) FROM dlpg.load_json(NULL, 'h-l15.json')$c$, 'value:0', 'load_json of NULL: nothing');

-- ---------------------------------------------------------------------------
-- Filters and arguments: dlpg.series, dlpg.scaling_report
-- ---------------------------------------------------------------------------
INSERT INTO cases (kind, call, expect, note) VALUES
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"color": "red"}')$c$, '22023', 'unknown filter key'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"": "x"}')$c$, '22023', 'empty filter key'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"Model": "x"}')$c$, '22023', 'filter key in the wrong case'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '[]')$c$, '22023', 'filters an array'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '"model"')$c$, '22023', 'filters a string'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', 'null')$c$, '22023', 'filters JSON null'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '5')$c$, '22023', 'filters a number'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', NULL) WHERE x = 'HostileNet'$c$, 'value:1', 'filters SQL NULL: no filter'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"model": {"name": "x"}}')$c$, '22023', 'filter value an object'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"model": [["x"]]}')$c$, '22023', 'filter value a nested array'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"model": null}')$c$, '22023', 'filter value null'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"model": true}')$c$, '22023', 'filter value a boolean'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"precision": ["fp32", null]}')$c$, '22023', 'null inside a filter array'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"replica_batch": 1e400}')$c$, '22023', 'replica_batch 1e400'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"replica_batch": 2147483648}')$c$, '22023', 'replica_batch 2^31'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"replica_batch": 1.5}')$c$, '22023', 'replica_batch 1.5'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"num_devices": "two"}')$c$, '22023', 'num_devices "two"'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"cluster_size": [1, -0.5]}')$c$, '22023', 'cluster_size [1, -0.5]'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"devices_per_node": "NaN"}')$c$, '22023', 'devices_per_node "NaN"'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"replica_batch": []}')$c$, 'value:0', 'an empty array matches nothing'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', 'best', NULL, NULL)$c$, 'ok', 'group_by and series_name NULL: the defaults'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report('weak', NULL)$c$, 'ok', 'scaling_report filters NULL: no filter'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report('strong', '{"batch_size": [32, 64, "128"]}', NULL)$c$, 'ok',
 'scaling_report with a batch_size array and group_by NULL'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"scaling": "weak"}')$c$, '22023', 'scaling without batch_size'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"batch_size": 32}')$c$, '22023', 'batch_size without scaling'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"scaling": "medium", "batch_size": 32}')$c$, '22023', 'scaling medium'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"scaling": ["weak"], "batch_size": 32}')$c$, '22023', 'scaling an array'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"scaling": null, "batch_size": 32}')$c$, '22023', 'scaling null'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"scaling": "weak", "batch_size": {"min": 1}}')$c$, '22023', 'batch_size an object'),
('filter', $c$SELECT count(*) FROM dlpg.series('cluster_size')$c$, '22023', 'x axis that is only a filter'),
('filter', $c$SELECT count(*) FROM dlpg.series(NULL)$c$, '22023', 'x axis NULL'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'latency')$c$, '22023', 'unknown y axis'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', NULL)$c$, '22023', 'y axis NULL'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', 'sum')$c$, '22023', 'unknown aggregate'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', NULL)$c$, '22023', 'aggregate NULL'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', 'best', 'batch_size')$c$, '22023', 'group_by batch_size'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', 'best', 'nope')$c$, '22023', 'unknown group_by'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report('medium')$c$, '22023', 'scaling_report medium'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report(NULL)$c$, '22023', 'scaling_report NULL'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report('weak', '{"scaling": "strong"}')$c$, '22023', 'scaling_report weak with a strong filter'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report('strong', '{"color": 1}')$c$, '22023', 'scaling_report with an unknown key'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report('weak', '{}', 'scaling')$c$, '22023', 'scaling_report group_by scaling'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report('weak', '{"batch_size": "x"}')$c$, '22023', 'scaling_report batch_size "x"'),
('filter', $c$SELECT string_agg(format('%s/%s', num_devices, round(efficiency::numeric, 2)), ',' ORDER BY num_devices)
                 FROM dlpg.scaling_report('weak', '{"batch_size": 32, "model": "HostileNet"}')$c$,
 'value:1/100.00,2/90.91', 'scaling_report weak with batch_size and no scaling key: taken'),
('filter', $c$SELECT y FROM dlpg.series('model', 'throughput', '{"model": "HugeNet"}', 'avg')$c$,
 'value:1.7e+308', 'avg of two trials of throughput 1.7e308'),
('filter', $c$SELECT y FROM dlpg.series('model', 'throughput', '{"model": "HugeNet"}', 'median')$c$,
 'value:1.7e+308', 'median of two trials of throughput 1.7e308'),
('filter', $c$SELECT dlpg.axis_label('nope', 'x')$c$, '22023', 'axis_label of an unknown axis'),
('filter', $c$SELECT dlpg.axis_label(pg_temp.inj(), 'x')$c$, '22023', 'axis_label of an injection-looking axis'),
('filter', $c$SELECT dlpg.axis_label(NULL, 'x')$c$, 'null', 'axis_label of a NULL axis'),
('filter', $c$SELECT dlpg.axis_label('precision', pg_temp.inj())$c$,
 $e$value:'; DROP TABLE DLPG.BENCHMARKS; --$e$, 'axis_label of an injection-looking precision: upper-cased data'),
('filter', $c$SELECT dlpg.axis_label('data_type', 'real/')$c$, 'value:Real ()', 'axis_label of data_type real/'),
-- injection-looking text is data
('filter', $c$SELECT x FROM dlpg.series('model', 'throughput', jsonb_build_object('model', pg_temp.inj()))$c$,
 $e$value:'; DROP TABLE dlpg.benchmarks; --$e$, 'an injection-looking model filter matches the model of that name'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', jsonb_build_object('framework', pg_temp.inj() || 'x'))$c$,
 'value:0', 'an injection-looking framework filter matches nothing'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', jsonb_build_object('precision', 'fp32''); DROP TABLE dlpg.benchmarks; --'))$c$,
 'value:0', 'an injection-looking precision filter matches nothing'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', jsonb_build_object('data_type', 'Real (x''); DROP TABLE dlpg.benchmarks; --)'))$c$,
 'value:0', 'an injection-looking data_type label matches nothing'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', jsonb_build_object('model', E'x\\''; DROP TABLE dlpg.benchmarks; --'))$c$,
 'value:0', 'a backslash-quote injection matches nothing'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', jsonb_build_object('replica_batch', '1; DROP TABLE dlpg.benchmarks'))$c$,
 '22023', 'an injection-looking numeric filter is no whole number'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', jsonb_build_object(pg_temp.inj(), 1))$c$,
 '22023', 'an injection-looking filter key is unknown'),
('filter', $c$SELECT count(*) FROM dlpg.series('model; DROP TABLE dlpg.benchmarks; --')$c$, '22023', 'an injection-looking x axis'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', 'best', pg_temp.inj())$c$, '22023', 'an injection-looking group_by'),
('filter', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{}', 'max); DROP TABLE dlpg.benchmarks; --')$c$, '22023', 'an injection-looking aggregate'),
('filter', $c$SELECT DISTINCT series FROM dlpg.series('model', 'throughput', '{"model": "HostileNet"}', 'best', NULL, pg_temp.inj())$c$,
 $e$value:'; DROP TABLE dlpg.benchmarks; --$e$, 'an injection-looking series name comes back as the name'),
('filter', $c$SELECT DISTINCT series FROM dlpg.series('model', 'throughput', '{"model": "HostileNet"}', 'best', NULL, $s$$$; DROP TABLE dlpg.benchmarks; $$ \' E'x$s$)$c$,
 $e$value:$$; DROP TABLE dlpg.benchmarks; $$ \' E'x$e$, 'a dollar-quote and backslash series name comes back as the name'),
('filter', $c$SELECT count(*) FROM dlpg.scaling_report('weak', jsonb_build_object('batch_size', 32, 'model', pg_temp.inj()))$c$,
 'value:1', 'scaling_report with an injection-looking model filter'),
('filter', $c$SELECT to_regclass('dlpg.benchmarks') IS NOT NULL AND (SELECT count(*) FROM dlpg.benchmarks WHERE model = pg_temp.inj()) = 1$c$,
 'value:true', 'after the injection-looking filters: dlpg.benchmarks is there, with its row');

-- ---------------------------------------------------------------------------
-- Charts: dlpg.chart
-- ---------------------------------------------------------------------------
INSERT INTO cases (kind, call, expect, note) VALUES
-- the questions after the Guide (0.4.0): compare, its chart, history, changes, time filters, error bars
('chart', $c$SELECT count(*) FROM dlpg.compare(NULL, '{}')$c$, '22023', 'compare: a NULL baseline'),
('chart', $c$SELECT count(*) FROM dlpg.compare('[]', '{}')$c$, '22023', 'compare: a baseline that is an array'),
('chart', $c$SELECT count(*) FROM dlpg.compare(jsonb_build_object(pg_temp.inj(), 1), '{}')$c$, '22023', 'compare: an injection-looking key'),
('chart', $c$SELECT count(*) FROM dlpg.compare('{"model": "x"}', '{"model": "y"}', 'latency')$c$, '22023', 'compare: unknown y axis'),
('chart', $c$SELECT count(*) FROM dlpg.compare('{"run_after": "never"}', '{}')$c$, '22007', 'compare: a time window that is no time'),
('chart', $c$SELECT count(*) FROM dlpg.compare(jsonb_build_object('model', pg_temp.inj()), jsonb_build_object('model', repeat('x', 100000)))$c$,
 'value:0', 'compare: injection-looking and 100 kB values: no row'),
('chart', $c$SELECT dlpg.compare_chart('{"precision": "fp32"}', '{"precision": "fp16"}', format => 'svg''; DROP TABLE dlpg.benchmarks; --')$c$,
 '22023', 'compare_chart: injection-looking format'),
('chart', $c$SELECT dlpg.compare_chart(jsonb_build_object('model', pg_temp.inj()), '{"model": "A<B & \"C\" ]]> </text>"}')$c$,
 'svg', 'compare_chart of markup-looking sides: well-formed SVG'),
('chart', $c$SELECT count(*) FROM dlpg.history('throughput', '{"run_before": "-infinity"}')$c$, 'value:0', 'history before -infinity: nothing'),
('chart', $c$SELECT count(*) FROM dlpg.changes('throughput', '{}', NULL, 2147483647, 1e-308)$c$, 'ok', 'changes: the largest window, the smallest threshold'),
('chart', $c$SELECT count(*) FROM dlpg.changes('throughput', '{}', NULL, -1)$c$, '22023', 'changes: a negative window'),
('chart', $c$SELECT count(*) FROM dlpg.series('model', 'throughput', '{"run_after": "2026-01-01", "run_before": {"a": 1}}')$c$,
 '22023', 'run_before an object'),
('chart', $c$SELECT dlpg.chart('model', 'batch_time_cv', error_bars => true)$c$, 'svg', 'error bars of a measure without samples: well-formed SVG'),
('chart', $c$SELECT dlpg.chart('num_devices', 'throughput', jsonb_build_object('model', pg_temp.inj()), format => 'vega-lite', error_bars => true)$c$,
 'vega', 'error bars in Vega-Lite over an injection-looking model'),
('chart', $c$SELECT dlpg.chart('model', format => 'pdf')$c$, '22023', 'unknown format'),
('chart', $c$SELECT dlpg.chart('model', format => NULL)$c$, '22023', 'NULL format'),
('chart', $c$SELECT dlpg.chart('model', format => 'svg''; DROP TABLE dlpg.benchmarks; --')$c$, '22023', 'injection-looking format'),
('chart', $c$SELECT dlpg.chart('nope')$c$, '22023', 'unknown x axis'),
('chart', $c$SELECT dlpg.chart(NULL)$c$, '22023', 'NULL x axis'),
('chart', $c$SELECT dlpg.chart('interconnect')$c$, '22023', 'x axis that is only a filter'),
('chart', $c$SELECT dlpg.chart('model', 'latency')$c$, '22023', 'unknown y axis'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', '{}', 'sum')$c$, '22023', 'unknown aggregate'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', '{}', 'best', 'scaling')$c$, '22023', 'group_by scaling'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', '[]')$c$, '22023', 'filters an array'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', '{"model": {}}')$c$, '22023', 'filter value an object'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', pg_temp.inj()))$c$,
 'svg', 'an injection-looking model filter (the model exists): well-formed SVG'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', pg_temp.inj()), 'best', NULL,
                               ']]></text><script>alert(1)</script><!--')$c$,
 'svg', 'a markup series name: well-formed SVG'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', pg_temp.inj()), 'best', NULL,
                               ']]></text><script>alert(1)</script><!--') LIKE '%&lt;/text&gt;&lt;script&gt;%'$c$,
 'value:true', '  and the name is escaped'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', jsonb_build_array(pg_temp.inj(), 'A<B & "C" ]]> </text>')),
                               'best', 'model')$c$,
 'svg', 'injection and markup model names as series and x labels: well-formed SVG'),
('chart', $c$SELECT dlpg.chart('replica_batch', 'batch_time', '{"model": "HostileNet"}', 'median', 'num_devices', $s$"><svg onload=x>$s$)$c$,
 '22023', 'series_name together with group_by (the 6th positional argument is series_name): an error, not ignored'),
('chart', $c$SELECT dlpg.chart('replica_batch', 'batch_time', '{"model": "HostileNet"}', 'median', 'num_devices')$c$,
 'svg', 'a numeric x axis (lines) with grouped series: well-formed SVG'),
('chart', $c$SELECT dlpg.chart('replica_batch', 'batch_time', '{"model": "HostileNet"}', 'median', NULL, $s$"><svg onload=x>$s$)$c$,
 'svg', 'a numeric x axis (lines) with a markup series name: well-formed SVG'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', pg_temp.inj()), 'best', NULL, E'bell\x07and\x01')$c$,
 'svg', 'a series name with control characters: well-formed SVG'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', E'none\uffff'))$c$,
 'svg', 'a filter value holding U+FFFF (shown in the subtitle): well-formed SVG'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', E'ctl\u0001name'), 'best', 'model')$c$,
 'svg', 'a stored model name with a control character: well-formed SVG'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', pg_temp.inj()), 'best', NULL,
                               E'</text>\x01"\\', 'vega-lite')$c$,
 'vega', 'Vega-Lite with an injection filter and a hostile series name: valid JSON'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', jsonb_build_object('model', pg_temp.inj()), format => 'vega-lite')::jsonb
                  -> 'data' -> 'values' -> 0 ->> 'x'$c$,
 $e$value:'; DROP TABLE dlpg.benchmarks; --$e$, '  which carries the model name as data'),
('chart', $c$SELECT dlpg.chart('model', 'throughput', '{"model": "HugeNet"}')$c$,
 'svg', 'throughput 1.7e308 (a finite double): a chart, promptly'),
('chart', $c$SELECT to_regclass('dlpg.benchmarks') IS NOT NULL AND (SELECT count(*) FROM dlpg.benchmarks WHERE model = pg_temp.inj()) = 1$c$,
 'value:true', 'after the charts: dlpg.benchmarks is there, with its row');

-- ---------------------------------------------------------------------------
-- The system of record (0.3.0): exact integers, empty values, non-finite measures, texts cut
-- on character boundaries, caches keyed on what they cache
-- ---------------------------------------------------------------------------
-- dlpg.ci_match called from PL/pgSQL, where a changing variable looks constant to the executor
CREATE FUNCTION pg_temp.cim(a text[]) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
    RETURN dlpg.ci_match('resnet50', a);
END $f$;
-- a value of n copies of character ch after an 'a', as a JSON string
CREATE FUNCTION pg_temp.longstr(ch text, n int) RETURNS text LANGUAGE sql IMMUTABLE AS $f$
    SELECT '"a' || repeat(ch, n) || '"'
$f$;
-- is the text valid in the database encoding (convert_from checks every byte)?
CREATE FUNCTION pg_temp.valid_text(t text) RETURNS boolean LANGUAGE sql IMMUTABLE AS $f$
    SELECT convert_from(convert_to(t, 'UTF8'), 'UTF8') = t
$f$;

INSERT INTO cases (kind, call, expect, note) VALUES
-- integers are judged on their exact decimal value
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-almost', '__exp.replica_batch__=128.000000000000000000001'))$c$,
 '22P02', 'exp.replica_batch 128.000000000000000000001 (a double rounds it to 128)'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-almost-str', '__exp.num_gpus__="4.0000000000000000000001"'))$c$,
 '22P02', 'exp.num_gpus "4.0000000000000000000001" as a string'),
('record', $c$SELECT * FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-rb-almost-json',
        '{"exp.replica_batch": 64.00000000000000000000001}')))$c$,
 'rejects:22P02', 'ingest_json: exp.replica_batch 64.00000000000000000000001 is rejected'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-zeros', '__exp.replica_batch__=32.000000000000000000000'))$c$,
 'row:replica_batch = 32', 'exp.replica_batch 32.000000000000000000000 is 32'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-rb-exp', '__exp.replica_batch__=3.2e1'))$c$,
 'row:replica_batch = 32', 'exp.replica_batch 3.2e1 is 32'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-eb-overflow',
        E'__exp.effective_batch__=null\n__exp.replica_batch__=1073741824\n__exp.num_replicas__=2'))$c$,
 '22003', 'replica batch 2^30 times 2 replicas: the effective batch is beyond integer'),
('record', $c$SELECT * FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-eb-overflow-json',
        '{"exp.effective_batch": null, "exp.replica_batch": 1073741824, "exp.num_replicas": 2}')))$c$,
 $e$reject-row:sqlstate = '22003' AND key = 'exp.replica_batch'$e$, 'ingest_json: the same overflow is a reject naming the key'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-eb-max',
        E'__exp.effective_batch__=null\n__exp.replica_batch__=1073741823\n__exp.num_replicas__=2'))$c$,
 'row:effective_batch = 2147483646', 'replica batch 2^30-1 times 2: the largest effective batch that fits'),
-- empty values are null, as DLBS reads them
('record', $c$SELECT dlpg.parse_log(E'__a__= \n__b__=\t\n__c__=""')$c$, 'json:{"a": null, "b": null, "c": ""}',
 'a value of blanks is null (DLBS: json.loads(value) if len(value) > 0 else None); "" stays a string'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-empty-model', '__exp.model__= '))$c$,
 $e$row:model IS NULL AND params->'exp.model' = 'null'::jsonb$e$, 'exp.model empty: no model, and null in params'),
-- non-finite measures are failed benchmarks, never ok
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-time-denormal', E'__results.time__=1e-320\n__results.throughput__=0'))$c$,
 $e$row:status = 'failed' AND NOT throughput_derived AND status_reason LIKE '%not finite%'$e$,
 'results.time 1e-320: the derived throughput is infinite, so the benchmark failed'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-thr-inf', '__results.throughput__="inf"'))$c$,
 $e$row:status = 'failed' AND status_reason LIKE 'results.throughput is not a finite number%'$e$, 'results.throughput "inf"'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-thr-nan', '__results.throughput__="NaN"'))$c$,
 $e$row:status = 'failed'$e$, 'results.throughput "NaN"'),
('record', $c$SELECT * FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-time-1e400-json', '{"results.time": 1e400}')))$c$,
 $e$row:status = 'failed'$e$, 'ingest_json: results.time 1e400 (beyond double)'),
-- texts are cut on character boundaries: 2-, 3- and 4-byte characters
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-cut-2', '__results.time__=' || pg_temp.longstr('é', 40)))$c$,
 $e$row:status = 'failed' AND pg_temp.valid_text(status_reason) AND status_reason LIKE '%é...'$e$,
 'a results.time of a and 40 é: the reason quotes it cut between characters'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-cut-3', '__results.time__=' || pg_temp.longstr('€', 40)))$c$,
 $e$row:pg_temp.valid_text(status_reason) AND status_reason LIKE '%€...'$e$, 'the same with 3-byte €'),
('record', $c$SELECT dlpg.ingest(pg_temp.mklog('h-cut-4', '__results.time__=' || pg_temp.longstr('😀', 40)))$c$,
 $e$row:pg_temp.valid_text(status_reason) AND status_reason LIKE '%😀...'$e$, 'the same with 4-byte 😀'),
('record', $c$SELECT * FROM dlpg.ingest_json(jsonb_build_array(pg_temp.mkobj('h-cut-reject',
        jsonb_build_object('exp.replica_batch', 'a' || repeat('é', 40)))))$c$,
 $e$reject-row:pg_temp.valid_text(reason) AND pg_temp.valid_text(detail) AND reason LIKE '%é...'$e$,
 'a reject quoting a long value: cut between characters'),
('record', $c$SELECT * FROM dlpg.load_log(pg_temp.mklog('h-cut-load', '__exp.num_gpus__=' || pg_temp.longstr('€', 40)), 'cut.log')$c$,
 $e$reject-row:pg_temp.valid_text(reason) AND key = 'exp.num_gpus' AND line = 11$e$, 'load_log: the same, with line and key'),
-- a cache in fn_extra is keyed on the value it caches
('record', $c$SELECT pg_temp.cim(ARRAY['vgg16'])::text || ' ' || pg_temp.cim(ARRAY['ResNet50'])::text$c$,
 'value:false true', 'dlpg.ci_match from PL/pgSQL: a new list each call'),
('record', $c$SELECT string_agg(pg_temp.cim(a)::text, ' ' ORDER BY o)
             FROM (VALUES (1, ARRAY['RESNET50']), (2, ARRAY['x']), (3, ARRAY['x', 'resnet50']), (4, ARRAY[NULL, 'y'])) v(o, a)$c$,
 'value:true false true false', 'and a list that changes from row to row'),
-- line ends and loops whose length the input decides (cancel: test/cancel.sql)
('record', $c$SELECT dlpg.parse_log(E'a\rb\r\n__x__=1\n\r__y__=2')$c$, 'json:{"x": 1, "y": 2}', 'mixed \r, \r\n and \n line ends'),
('record', $c$SELECT dlpg.parse_log(repeat(E'x\r', 400000) || '__k__=1')->'k'$c$, 'json:1',
 '400,000 lines ended by \r alone, then a parameter (linear, was quadratic)'),
-- the trial aggregates follow the built-in ones on non-finite input (all of them: test/nonfinite.sql)
('record', $c$SELECT dlpg.trial_avg(v) FROM (VALUES (1::float8), ('Infinity')) t(v)$c$, 'value:Infinity', 'trial_avg(1, Infinity)'),
('record', $c$SELECT dlpg.trial_avg(v) FROM (VALUES ('-Infinity'::float8), ('Infinity')) t(v)$c$, 'value:NaN', 'trial_avg(-Infinity, Infinity)'),
('record', $c$SELECT dlpg.trial_avg(v) FROM (VALUES ('NaN'::float8), (1)) t(v)$c$, 'value:NaN', 'trial_avg(NaN, 1)'),
('record', $c$SELECT dlpg.trial_median(v) FROM (VALUES ('Infinity'::float8), ('Infinity')) t(v)$c$, 'value:Infinity',
 'trial_median(Infinity, Infinity)'),
-- texts quoted or drawn are cut between characters, and charts are plain ASCII whatever the data
('record', $c$SELECT dlpg.series('model', 'throughput', jsonb_build_object(repeat('é', 300), 1))$c$, '22023',
 'a filter key of 300 é: an error quoting it cut between characters'),
('record', $c$SELECT dlpg.chart('model', format => repeat('é', 300))$c$, '22023', 'a format of 300 é'),
('record', $c$SELECT dlpg.chart('model', 'throughput', '{"model": "HostileNet"}', 'best', NULL, 'a' || repeat('é', 200)) !~ '[^\x01-\x7f]'$c$,
 'value:true', 'a series name of 200 é: the SVG is ASCII (characters as references), cut between characters'),
-- the first element of a bulk document may be the bad one (plans are prepared before any reject)
('record', $c$SELECT * FROM dlpg.ingest_json('[1]')$c$, 'rejects:22023', 'ingest_json [1]'),
('record', $c$SELECT * FROM dlpg.ingest_json('{"data": [null, "x"]}')$c$, 'rejects:22023,22023', 'ingest_json {"data": [null, "x"]}'),
('record', $c$SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array('[]'::jsonb, pg_temp.mkobj('h-after-bad-first')))$c$,
 'value:1', 'ingest_json [[], good]: the good one stored');

-- ---------------------------------------------------------------------------
-- The runner: one subtransaction and one assertion per case
-- ---------------------------------------------------------------------------
CREATE FUNCTION pg_temp.run_case(c pg_temp.cases) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    st text; msg text; det text;
    res text;
    got text;
    passed boolean := false;
    before bigint;
    arg text := substr(c.expect, strpos(c.expect, ':') + 1);
    descr text := format('%s %s: %s -> %s', c.kind, c.id, c.note, c.expect);
BEGIN
    SELECT coalesce(max(r.id), 0) INTO before FROM dlpg.rejects r;
    BEGIN
        EXECUTE c.call INTO res;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
    END;

    -- Judge the outcome; a result that cannot even be judged (not JSON, not an id) fails.
    BEGIN
        IF c.expect ~ '^[0-9A-Z]{5}$' THEN
            passed := st IS NOT DISTINCT FROM c.expect;
            got := CASE WHEN st IS NULL THEN 'no error, result ' || coalesce(left(res, 200), 'NULL')
                        ELSE st || ': ' || msg || coalesce(E'\n    detail: ' || det, '') END;
        ELSIF st IS NOT NULL THEN
            got := st || ': ' || msg || coalesce(E'\n    detail: ' || det, '');
        ELSIF c.expect = 'ok' THEN
            passed := true;
        ELSIF c.expect = 'null' THEN
            passed := res IS NULL;
            got := coalesce(left(res, 200), 'NULL');
        ELSIF c.expect LIKE 'value:%' THEN
            passed := res IS NOT DISTINCT FROM arg;
            got := coalesce(left(res, 200), 'NULL');
        ELSIF c.expect LIKE 'json:%' THEN
            passed := coalesce(res::jsonb = arg::jsonb, false);
            got := coalesce(left(res, 200), 'NULL');
        ELSIF c.expect LIKE 'jsonstr:%' THEN
            passed := coalesce(jsonb_typeof(res::jsonb) = 'string' AND res::jsonb #>> '{}' = arg, false);
            got := coalesce(left(res, 200), 'NULL');
        ELSIF c.expect LIKE 'jsontype:%' THEN
            got := coalesce(jsonb_typeof(res::jsonb), 'NULL');
            passed := got = arg;
        ELSIF c.expect LIKE 'status:%' THEN
            SELECT b.status INTO got FROM dlpg.benchmarks b WHERE b.id = res::bigint;
            passed := got IS NOT DISTINCT FROM arg;
            got := coalesce(got, 'no row for id ' || coalesce(res, 'NULL'));
        ELSIF c.expect LIKE 'row:%' THEN
            EXECUTE format('SELECT (%s) FROM dlpg.benchmarks WHERE id = $1', arg) INTO passed USING res::bigint;
            passed := coalesce(passed, false);
            SELECT coalesce(format('row %s: status %s (%s)', b.id, b.status, b.status_reason), 'no row for id ' || coalesce(res, 'NULL'))
              INTO got FROM (SELECT 1) one LEFT JOIN dlpg.benchmarks b ON b.id = res::bigint;
        ELSIF c.expect LIKE 'rejects:%' THEN
            SELECT coalesce(string_agg(r.sqlstate, ',' ORDER BY r.sqlstate), '') INTO got
              FROM dlpg.rejects r WHERE r.id > before;
            passed := got = arg;
            got := 'rejects: ' || got;
        ELSIF c.expect LIKE 'reject-row:%' THEN
            EXECUTE format('SELECT count(*) > 0 AND bool_and(coalesce(%s, false)) FROM dlpg.rejects WHERE id > $1', arg)
               INTO passed USING before;
            passed := coalesce(passed, false);
            SELECT string_agg(format('%s %s (%s; line %s, key %s)', r.sqlstate, r.reason, r.detail, r.line, r.key), E'\n    ')
              INTO got FROM dlpg.rejects r WHERE r.id > before;
            got := coalesce(got, 'no rejects');
        ELSIF c.expect = 'svg' THEN
            passed := coalesce(xml_is_well_formed_document(res) AND res LIKE '%<svg %</svg>%', false);
            got := CASE WHEN res IS NULL THEN 'NULL'
                        WHEN res ~ E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]' THEN
                             format('not a well-formed SVG document: it holds U+%s, which XML 1.0 forbids, at character %s',
                                    upper(to_hex(ascii(substring(res FROM E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]')))),
                                    strpos(res, substring(res FROM E'[\\x01-\\x08\\x0b\\x0c\\x0e-\\x1f\\ufffe\\uffff]')))
                        ELSE 'not a well-formed SVG document: ' || left(res, 300) END;
        ELSIF c.expect = 'vega' THEN
            BEGIN
                passed := coalesce(jsonb_typeof(res::jsonb) = 'object' AND res::jsonb ? '$schema', false);
            EXCEPTION WHEN OTHERS THEN
                passed := false;
            END;
            got := coalesce('not a Vega-Lite JSON object: ' || left(res, 300), 'NULL');
        ELSE
            got := 'the case has an unknown expectation';
        END IF;
    EXCEPTION WHEN OTHERS THEN
        passed := false;
        got := 'cannot judge the result ' || coalesce(left(res, 200), 'NULL') || ': ' || SQLERRM;
    END;

    IF passed THEN
        RETURN pass(descr);
    END IF;
    RETURN fail(descr) || E'\n' || diag('    want: ' || c.expect || E'\n    got:  ' || coalesce(got, 'NULL'));
END $f$;

CREATE FUNCTION pg_temp.run_all() RETURNS SETOF text LANGUAGE plpgsql AS $f$
DECLARE c pg_temp.cases;
BEGIN
    FOR c IN SELECT * FROM pg_temp.cases ORDER BY id LOOP
        RETURN NEXT pg_temp.run_case(c);
    END LOOP;
END $f$;

SELECT plan((SELECT count(*)::int FROM cases) + 13);

-- the setup assertion above ran before plan(): repeat it as a test
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE exp_id LIKE 'h-data-%' AND status = 'ok'), 7::bigint,
          'the seven setup benchmarks are stored, ok');
SELECT cmp_ok((SELECT count(*) FROM cases), '>=', 120::bigint, 'at least 120 hostile cases');

SELECT * FROM pg_temp.run_all();

-- ---------------------------------------------------------------------------
-- Still standing
-- ---------------------------------------------------------------------------
SELECT has_table('dlpg', 'benchmarks', 'dlpg.benchmarks still exists');
SELECT has_table('dlpg', 'rejects', 'dlpg.rejects still exists');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE model = pg_temp.inj()), 1::bigint,
          'the benchmark named like an injection is still one row');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE exp_id LIKE 'h-data-%'), 7::bigint,
          'the setup benchmarks are all still there');
SELECT cmp_ok((SELECT count(*) FROM dlpg.rejects), '>', 0::bigint, 'rejects were recorded');
-- the classes of 0.3.0's bugs, over everything the cases stored
SELECT is((SELECT count(*) FROM dlpg.benchmarks b WHERE NOT pg_temp.valid_text(b::text)), 0::bigint,
          'every stored benchmark is valid text (no character cut in half)');
SELECT is((SELECT count(*) FROM dlpg.rejects r WHERE NOT pg_temp.valid_text(r::text)), 0::bigint,
          'every reject is valid text (no character cut in half)');
SELECT is((SELECT count(*) FROM dlpg.benchmarks
            WHERE status = 'ok' AND (batch_time_ms IN ('Infinity', '-Infinity', 'NaN')
                                     OR throughput IN ('Infinity', '-Infinity', 'NaN'))), 0::bigint,
          'no ok benchmark has a non-finite measure');
SELECT is((SELECT count(*) FROM dlpg.rejects WHERE sqlstate ~ '^(XX|40|53|55|57|58)'), 0::bigint,
          'no reject records an internal or server-state error as bad input');
SELECT is((SELECT 1), 1, 'the server still answers');
SELECT is((SELECT count(*) FROM pg_stat_activity WHERE pid = pg_backend_pid()), 1::bigint,
          'and this session is alive');

SELECT * FROM finish();
ROLLBACK;
