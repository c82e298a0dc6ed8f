-- pgTAP: one row per benchmark (exp.id, else the parameters), on_conflict
-- skip / replace / error, and the roles dlpg_reader / dlpg_writer.
BEGIN;
SELECT plan(75);

-- A minimal valid log, pg_temp.mklog, and as a JSON object, pg_temp.mkobj; id NULL gives a log
-- without exp.id (line 1 is then plain text).
\ir lib/logs.sql

-- Results of ingest calls by step name. Other roles write here too.
CREATE TEMP TABLE ids (nm text, id bigint);
GRANT ALL ON TABLE pg_temp.ids TO PUBLIC;
CREATE FUNCTION pg_temp.id(nm text) RETURNS bigint LANGUAGE sql AS $f$
    SELECT i.id FROM pg_temp.ids i WHERE i.nm = $1
$f$;
CREATE FUNCTION pg_temp.ing(nm text, log text, src text DEFAULT NULL, oc text DEFAULT 'skip')
RETURNS text LANGUAGE plpgsql AS $f$
DECLARE st text; msg text; det text;
BEGIN
    BEGIN
        INSERT INTO pg_temp.ids VALUES (nm, dlpg.ingest(log, src, oc));
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL;
        RETURN fail('ingest ' || nm || ' (' || oc || ')') || E'\n' ||
               diag('    died: ' || st || ': ' || msg || coalesce(E'\n    detail: ' || det, ''));
    END;
    RETURN pass('ingest ' || nm || ' (' || oc || ')');
END $f$;
CREATE FUNCTION pg_temp.nrows(expid text) RETURNS bigint LANGUAGE sql AS $f$
    SELECT count(*) FROM dlpg.benchmarks WHERE exp_id = $1
$f$;

-- ---------------------------------------------------------------------------
-- Same exp.id
-- ---------------------------------------------------------------------------
SELECT pg_temp.ing('a1', pg_temp.mklog('dd-a'), 'a1.log');
SELECT pg_temp.ing('a2', pg_temp.mklog('dd-a'), 'a2.log');
SELECT is(pg_temp.id('a2'), pg_temp.id('a1'), 'skip: the same log twice returns the same id');
SELECT is(pg_temp.nrows('dd-a'), 1::bigint, 'skip: one row');
SELECT is((SELECT source FROM dlpg.benchmarks WHERE id = pg_temp.id('a1')), 'a1.log',
          'skip: the row is unchanged (source of the first ingest)');

SELECT pg_temp.ing('a3', pg_temp.mklog('dd-a', E'__results.time__=200.0\n__results.throughput__=160'), 'a3.log');
SELECT is(pg_temp.id('a3'), pg_temp.id('a1'), 'skip: same exp.id with other results returns the existing id');
SELECT results_eq(format('SELECT source, batch_time_ms FROM dlpg.benchmarks WHERE id = %s', pg_temp.id('a1')),
                  $$VALUES ('a1.log'::text, 100.0::float8)$$,
                  'skip: and keeps the existing row');

SELECT pg_temp.ing('a4', pg_temp.mklog('dd-a'), 'a4.log', 'replace');
SELECT is(pg_temp.id('a4'), pg_temp.id('a1'), 'replace: same id');
SELECT is(pg_temp.nrows('dd-a'), 1::bigint, 'replace: still one row');
SELECT is((SELECT source FROM dlpg.benchmarks WHERE id = pg_temp.id('a1')), 'a4.log',
          'replace: the row is updated (source)');

SELECT pg_temp.ing('a5', pg_temp.mklog('dd-a', E'__results.time__=200.0\n__results.throughput__=160\n__exp.note__="rerun"'),
                   'a5.log', 'replace');
SELECT is(pg_temp.id('a5'), pg_temp.id('a1'), 'replace with other content: same id');
SELECT results_eq(format($$SELECT source, batch_time_ms, throughput, params->>'exp.note', status
                             FROM dlpg.benchmarks WHERE id = %s$$, pg_temp.id('a1')),
                  $$VALUES ('a5.log'::text, 200.0::float8, 160::float8, 'rerun'::text, 'ok'::text)$$,
                  'replace: columns and params are overwritten');
SELECT is(pg_temp.nrows('dd-a'), 1::bigint, 'replace: still one row');

SELECT throws_ok(format('SELECT dlpg.ingest(%L, %L, %L)', pg_temp.mklog('dd-a'), 'a6.log', 'error'),
                 '23505', NULL, 'error: the same benchmark again -> 23505');
SELECT is(pg_temp.nrows('dd-a'), 1::bigint, 'error: still one row');
SELECT is((SELECT source FROM dlpg.benchmarks WHERE id = pg_temp.id('a1')), 'a5.log', 'error: row unchanged');

SELECT pg_temp.ing('b1', pg_temp.mklog('dd-b'), 'b1.log', 'error');
SELECT isnt(pg_temp.id('b1'), pg_temp.id('a1'), 'error: a new benchmark is stored under a new id');
SELECT is(pg_temp.nrows('dd-b'), 1::bigint, 'error: one row for it');

SELECT pg_temp.ing('b2', pg_temp.mklog('dd-b'), 'b2.log', 'replace');
SELECT is(pg_temp.id('b2'), pg_temp.id('b1'), 'replace of an identical log: same id');

-- ---------------------------------------------------------------------------
-- No exp.id: the parameters identify the benchmark
-- ---------------------------------------------------------------------------
SELECT pg_temp.ing('n1', pg_temp.mklog(NULL, '__exp.model_title__="DedupNoIdOne"'), 'n1.log');
SELECT pg_temp.ing('n2', pg_temp.mklog(NULL, '__exp.model_title__="DedupNoIdOne"'), 'n2.log');
SELECT is(pg_temp.id('n2'), pg_temp.id('n1'), 'no exp.id: the same log twice returns the same id');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE params->>'exp.model_title' = 'DedupNoIdOne'), 1::bigint,
          'no exp.id: one row (content hash)');
SELECT is((SELECT exp_id FROM dlpg.benchmarks WHERE id = pg_temp.id('n1')), NULL, 'no exp.id: exp_id is NULL');

SELECT pg_temp.ing('n3', E'Starting framework launcher.\n' ||
                         pg_temp.mklog(NULL, '__exp.model_title__="DedupNoIdOne"') ||
                         E'\nTraceback: none\n  done', 'n3.log');
SELECT is(pg_temp.id('n3'), pg_temp.id('n1'),
          'no exp.id: the same parameters with other non-parameter lines are the same benchmark');

SELECT pg_temp.ing('n4', '__exp.model_title__="DedupNoIdOne"' || E'\n' ||
                         array_to_string((SELECT array_agg(l ORDER BY l DESC)
                                            FROM regexp_split_to_table(pg_temp.mklog(NULL), E'\n') l
                                           WHERE l LIKE '\_\_%'), E'\n'), 'n4.log');
SELECT is(pg_temp.id('n4'), pg_temp.id('n1'),
          'no exp.id: the same parameters in another line order are the same benchmark');

SELECT pg_temp.ing('n5', pg_temp.mklog(NULL, '__exp.model_title__="DedupNoIdTwo"'), 'n5.log');
SELECT isnt(pg_temp.id('n5'), pg_temp.id('n1'), 'no exp.id: a different log gets another id');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE params->>'exp.model_title' IN ('DedupNoIdOne', 'DedupNoIdTwo')),
          2::bigint, 'no exp.id: two different logs -> two rows');

SELECT throws_ok(format('SELECT dlpg.ingest(%L, NULL, %L)', pg_temp.mklog(NULL, '__exp.model_title__="DedupNoIdOne"'), 'error'),
                 '23505', NULL, 'no exp.id, error: the same log again -> 23505');

SELECT pg_temp.ing('e1', replace(pg_temp.mklog('X', '__exp.model_title__="DedupEmptyId"'), '"X"', '""'), 'e1.log');
SELECT pg_temp.ing('e2', replace(pg_temp.mklog('X', '__exp.model_title__="DedupEmptyId"'), '"X"', '""'), 'e2.log');
SELECT pg_temp.ing('e3', replace(pg_temp.mklog('X', '__exp.model_title__="DedupEmptyIdOther"'), '"X"', '""'), 'e3.log');
SELECT is(pg_temp.id('e2'), pg_temp.id('e1'), 'exp.id "": the same log twice returns the same id');
SELECT isnt(pg_temp.id('e3'), pg_temp.id('e1'), 'exp.id "": a different log is another benchmark (an empty exp.id is no id)');

-- ---------------------------------------------------------------------------
-- ingest_json
-- ---------------------------------------------------------------------------
SELECT results_eq(format('SELECT count(*), count(DISTINCT i) FROM dlpg.ingest_json(%L::jsonb, %L) i',
                         jsonb_build_array(pg_temp.mkobj('dd-j'), pg_temp.mkobj('dd-j')), 'dd-j.json'),
                  $$VALUES (2::bigint, 1::bigint)$$,
                  'ingest_json([x, x]) under skip returns the one id twice');
SELECT is(pg_temp.nrows('dd-j'), 1::bigint, 'ingest_json([x, x]): one row');
SELECT is((SELECT count(*) FROM dlpg.rejects WHERE source = 'dd-j.json'), 0::bigint,
          'ingest_json([x, x]) under skip: no rejects');

SELECT results_eq(format('SELECT count(*) FROM dlpg.ingest_json(%L::jsonb, %L, %L) i',
                         jsonb_build_array(pg_temp.mkobj('dd-k'), pg_temp.mkobj('dd-k')), 'dd-k.json', 'error'),
                  $$VALUES (1::bigint)$$,
                  'ingest_json([y, y]) under error stores one and returns one id');
SELECT is(pg_temp.nrows('dd-k'), 1::bigint, 'ingest_json([y, y]) under error: one row');
SELECT results_eq($$SELECT sqlstate FROM dlpg.rejects WHERE source = 'dd-k.json'$$,
                  $$VALUES ('23505'::text)$$,
                  'ingest_json([y, y]) under error: the duplicate is in dlpg.rejects with 23505');

SELECT results_eq(format('SELECT i FROM dlpg.ingest_json(%L::jsonb, %L) i',
                         jsonb_build_object('data', jsonb_build_array(pg_temp.mkobj('dd-a'))), 'dd-a.json'),
                  format('VALUES (%s::bigint)', pg_temp.id('a1')),
                  'ingest_json of a benchmark ingested from a log before returns that row''s id');
SELECT is(pg_temp.nrows('dd-a'), 1::bigint, '  and makes no new row');
SELECT throws_ok(format('SELECT * FROM dlpg.ingest_json(%L::jsonb, NULL, %L)', pg_temp.mkobj('dd-a'), 'error'),
                 '23505', NULL, 'ingest_json(one object) of a stored benchmark under error -> 23505');
SELECT results_eq(format('SELECT i FROM dlpg.ingest_json(%L::jsonb, %L, %L) i', pg_temp.mkobj('dd-a'), 'dd-a2.json', 'replace'),
                  format('VALUES (%s::bigint)', pg_temp.id('a1')),
                  'ingest_json(one object) under replace: same id');
SELECT is((SELECT source FROM dlpg.benchmarks WHERE id = pg_temp.id('a1')), 'dd-a2.json', '  row replaced');

-- ---------------------------------------------------------------------------
-- Roles and security
-- ---------------------------------------------------------------------------
SELECT has_role('dlpg_reader', 'role dlpg_reader exists');
SELECT has_role('dlpg_writer', 'role dlpg_writer exists');
SELECT is((SELECT count(*) FROM pg_proc WHERE pronamespace = 'dlpg'::regnamespace AND prosecdef), 0::bigint,
          'no function in schema dlpg is SECURITY DEFINER');
SELECT ok(has_function_privilege('dlpg_writer', 'dlpg.ingest(text, text, text)', 'EXECUTE'), 'dlpg_writer may run dlpg.ingest');
SELECT ok(NOT has_function_privilege('dlpg_reader', 'dlpg.ingest(text, text, text)', 'EXECUTE'), 'dlpg_reader may not run dlpg.ingest');
SELECT ok(NOT has_function_privilege('public', 'dlpg.ingest_json(jsonb, text, text)', 'EXECUTE'), 'PUBLIC may not run dlpg.ingest_json');

SET ROLE dlpg_reader;
SELECT is(current_user::text, 'dlpg_reader', 'now dlpg_reader');
SELECT lives_ok('SELECT count(*) FROM dlpg.benchmarks', 'dlpg_reader can SELECT dlpg.benchmarks');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE exp_id = 'dd-a'), 1::bigint, 'dlpg_reader sees the rows');
SELECT lives_ok('SELECT count(*) FROM dlpg.rejects', 'dlpg_reader can SELECT dlpg.rejects');
SELECT throws_ok(format('SELECT dlpg.ingest(%L)', pg_temp.mklog('dd-r')), '42501', NULL,
                 'dlpg_reader cannot run dlpg.ingest (42501)');
SELECT throws_ok(format('SELECT * FROM dlpg.ingest_json(%L::jsonb)', pg_temp.mkobj('dd-r')), '42501', NULL,
                 'dlpg_reader cannot run dlpg.ingest_json (42501)');
SELECT throws_ok($$INSERT INTO dlpg.benchmarks (status, params, dedup_key) VALUES ('failed', '{}', 'dd-r-direct')$$,
                 '42501', NULL, 'dlpg_reader cannot INSERT into dlpg.benchmarks (42501)');
RESET ROLE;

SET ROLE dlpg_writer;
SELECT is(current_user::text, 'dlpg_writer', 'now dlpg_writer');
SELECT pg_temp.ing('w1', pg_temp.mklog('dd-w'), 'w1.log');
SELECT is(pg_temp.nrows('dd-w'), 1::bigint, 'dlpg_writer can ingest a log');
SELECT pg_temp.ing('w2', pg_temp.mklog('dd-w', '__exp.note__="again"'), 'w2.log', 'replace');
SELECT is(pg_temp.id('w2'), pg_temp.id('w1'), 'dlpg_writer can replace a row');
SELECT lives_ok(format('SELECT * FROM dlpg.ingest_json(%L::jsonb, %L)',
                       jsonb_build_array(pg_temp.mkobj('dd-w2'), 7), 'dd-w.json'),
                'dlpg_writer can run ingest_json, rejects included');
SELECT is(pg_temp.nrows('dd-w2'), 1::bigint, 'dlpg_writer: the good element is stored');
SELECT is((SELECT count(*) FROM dlpg.rejects WHERE source = 'dd-w.json'), 1::bigint,
          'dlpg_writer: the bad element is in dlpg.rejects');
RESET ROLE;
SELECT is(current_user::text, session_user::text, 'back to the session user');

SELECT * FROM finish();
ROLLBACK;
