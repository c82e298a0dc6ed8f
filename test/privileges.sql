-- pgTAP: who may do what, and that nobody's search_path can redirect a dlpg call.
BEGIN;
SELECT plan(40);

\set log `cat data/dlbs/rtx2080/resnet50_8.log`
\set log2 `cat data/dlbs/rtx2080/alexnet_owt_8.log`
SELECT isnt(dlpg.ingest(:'log', 'privileges.log'), NULL, 'a superuser ingests a log');

-- Roles made for the test; dropped by the rollback.
CREATE ROLE dlpg_test_reader IN ROLE dlpg_reader;
CREATE ROLE dlpg_test_writer IN ROLE dlpg_writer;
CREATE ROLE dlpg_test_nobody;

-- Runs sql, says 'ok' or its SQLSTATE; in a schema every test role may use.
CREATE SCHEMA privileges_test;
GRANT USAGE ON SCHEMA privileges_test TO PUBLIC;
CREATE FUNCTION privileges_test.sqlstate_of(sql text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    EXECUTE sql;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $f$;

-- A reader queries, and does nothing else.
SET ROLE dlpg_test_reader;
SELECT is(privileges_test.sqlstate_of('SELECT count(*) FROM dlpg.benchmarks'), 'ok', 'reader: SELECT dlpg.benchmarks');
SELECT is(privileges_test.sqlstate_of('SELECT count(*) FROM dlpg.axes'), 'ok', 'reader: SELECT dlpg.axes');
SELECT is(privileges_test.sqlstate_of('SELECT count(*) FROM dlpg.axis_values'), 'ok', 'reader: SELECT dlpg.axis_values');
SELECT is(privileges_test.sqlstate_of($$SELECT * FROM dlpg.series('model')$$), 'ok', 'reader: dlpg.series');
SELECT is(privileges_test.sqlstate_of($$SELECT dlpg.chart('model')$$), 'ok', 'reader: dlpg.chart');
SELECT is(privileges_test.sqlstate_of($$SELECT * FROM dlpg.scaling_report('weak')$$), 'ok', 'reader: dlpg.scaling_report');
SELECT is(privileges_test.sqlstate_of('SELECT count(*) FROM dlpg.dictionary'), 'ok', 'reader: SELECT dlpg.dictionary');
SELECT is(privileges_test.sqlstate_of(format('SELECT dlpg.ingest(%L)', :'log2')), '42501', 'reader: no dlpg.ingest');
SELECT is(privileges_test.sqlstate_of($$SELECT dlpg.ingest_json('{"exp.model": "m"}')$$), '42501', 'reader: no dlpg.ingest_json');
SELECT is(privileges_test.sqlstate_of(format('SELECT dlpg.load_log(%L, %L)', :'log2', 'x')), '42501', 'reader: no dlpg.load_log');
SELECT is(privileges_test.sqlstate_of($$INSERT INTO dlpg.benchmarks (status, params, dedup_key) VALUES ('failed', '{}', 'r')$$),
          '42501', 'reader: no INSERT');
SELECT is(privileges_test.sqlstate_of('DELETE FROM dlpg.benchmarks'), '42501', 'reader: no DELETE');
SELECT is(privileges_test.sqlstate_of('UPDATE dlpg.benchmarks SET model = NULL'), '42501', 'reader: no UPDATE');
RESET ROLE;

-- A writer ingests, and cannot delete or change the schema.
SET ROLE dlpg_test_writer;
SELECT is(privileges_test.sqlstate_of(format('SELECT dlpg.ingest(%L, %L)', :'log2', 'writer.log')), 'ok', 'writer: dlpg.ingest');
SELECT is(privileges_test.sqlstate_of(format('SELECT * FROM dlpg.load_log(%L, %L)', :'log2', 'writer.log')), 'ok', 'writer: dlpg.load_log');
SELECT is(privileges_test.sqlstate_of($$SELECT * FROM dlpg.ingest_json('[1]', 'writer.json')$$), 'ok',
          'writer: dlpg.ingest_json, its reject included');
SELECT is(privileges_test.sqlstate_of(format('SELECT dlpg.ingest(%L, %L, %L)', :'log2', 'writer.log', 'replace')), 'ok',
          'writer: replace');
SELECT is(privileges_test.sqlstate_of('DELETE FROM dlpg.benchmarks'), '42501', 'writer: no DELETE');
SELECT is(privileges_test.sqlstate_of('TRUNCATE dlpg.rejects'), '42501', 'writer: no TRUNCATE');
SELECT is(privileges_test.sqlstate_of('ALTER TABLE dlpg.benchmarks ADD COLUMN x int'), '42501', 'writer: no ALTER TABLE');
SELECT is(privileges_test.sqlstate_of('CREATE TABLE dlpg.extra (x int)'), '42501', 'writer: no CREATE in schema dlpg');
SELECT is(privileges_test.sqlstate_of('DROP VIEW dlpg.axes'), '42501', 'writer: no DROP');
SELECT is(privileges_test.sqlstate_of('SELECT count(*) FROM dlpg.dictionary'), 'ok', 'writer: SELECT dlpg.dictionary');
RESET ROLE;

-- A role with neither sees nothing.
SET ROLE dlpg_test_nobody;
SELECT is(privileges_test.sqlstate_of('SELECT count(*) FROM dlpg.benchmarks'), '42501', 'nobody: no SELECT');
SELECT is(privileges_test.sqlstate_of('SELECT count(*) FROM dlpg.rejects'), '42501', 'nobody: no rejects');
SELECT is(privileges_test.sqlstate_of($$SELECT * FROM dlpg.series('model')$$), '42501', 'nobody: no series');
SELECT is(privileges_test.sqlstate_of(format('SELECT dlpg.ingest(%L)', :'log2')), '42501', 'nobody: no ingest');
SELECT is(privileges_test.sqlstate_of('SELECT count(*) FROM dlpg.dictionary'), '42501', 'nobody: no dlpg.dictionary');
RESET ROLE;

SELECT is_empty($$SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                  WHERE n.nspname = 'dlpg' AND p.prosecdef$$, 'no dlpg function is SECURITY DEFINER');

-- A hostile schema first in the search_path, with look-alikes of what dlpg uses;
-- each one records that it was called.
CREATE SCHEMA evil;
CREATE TABLE evil.calls (what text);
CREATE FUNCTION evil.texteq(a text, b text) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls VALUES ('text ='); RETURN a OPERATOR(pg_catalog.=) b; END$$;
CREATE OPERATOR evil.= (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.texteq);
CREATE FUNCTION evil.int4eq(a int, b int) RETURNS boolean LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls VALUES ('int ='); RETURN a OPERATOR(pg_catalog.=) b; END$$;
CREATE OPERATOR evil.= (LEFTARG = int, RIGHTARG = int, FUNCTION = evil.int4eq);
CREATE FUNCTION evil.float8div(a float8, b float8) RETURNS float8 LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls VALUES ('float8 /'); RETURN a OPERATOR(pg_catalog./) b; END$$;
CREATE OPERATOR evil./ (LEFTARG = float8, RIGHTARG = float8, FUNCTION = evil.float8div);
CREATE FUNCTION evil.now() RETURNS timestamptz LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls VALUES ('now'); RETURN pg_catalog.now(); END$$;
CREATE FUNCTION evil.count(text) RETURNS bigint LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls VALUES ('count'); RETURN 0; END$$;
CREATE FUNCTION evil.axis_label(text, text) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls VALUES ('axis_label'); RETURN 'evil'; END$$;
CREATE FUNCTION evil.format_type(oid, integer) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls VALUES ('format_type'); RETURN 'evil'; END$$;
CREATE FUNCTION evil.obj_description(oid, name) RETURNS text LANGUAGE plpgsql AS
    $$BEGIN INSERT INTO evil.calls VALUES ('obj_description'); RETURN 'evil'; END$$;
CREATE COLLATION evil."C" (locale = 'C');
CREATE TABLE evil.benchmarks (LIKE dlpg.benchmarks);
CREATE VIEW evil.x_axes AS SELECT 'model'::text AS name, 'EVIL'::text AS label;

-- The dlpg calls run under the hostile path; the checks after it is reset
-- (pgTAP's own functions have no fixed search_path).
SET search_path = evil, public, pg_catalog;
CREATE TEMP TABLE hijack AS
SELECT 'ingest' AS call,
       privileges_test.sqlstate_of(format($$SELECT dlpg.ingest(%L, 'hijack.log', 'replace')$$, :'log')) AS result
UNION ALL
SELECT 'series', (SELECT count(*) FROM (
           SELECT * FROM dlpg.series('replica_batch', 'throughput', '{"model": "resnet50", "replica_batch": 8}', 'max', 'precision')
           UNION ALL SELECT * FROM dlpg.series('model', 'batch_time', '{"phase": ["training"]}', 'median')) s)::text
UNION ALL
SELECT 'chart svg', dlpg.chart('model')
UNION ALL
SELECT 'chart vega-lite', dlpg.chart('model', format => 'vega-lite')
UNION ALL
SELECT 'scaling_report', (SELECT count(*) FROM dlpg.scaling_report('weak') s
                          CROSS JOIN dlpg.scaling_report('strong', '{"batch_size": 8}') t)::text
UNION ALL
SELECT 'load_log', (SELECT outcome FROM dlpg.load_log(:'log', 'hijack.log'))
UNION ALL
SELECT 'parse_log', dlpg.parse_log(:'log') ->> 'exp.model_title'
UNION ALL
SELECT 'axis_values', (SELECT count(*) FROM dlpg.axis_values WHERE axis OPERATOR(pg_catalog.=) 'model')::text
UNION ALL
SELECT 'dictionary', (SELECT count(*) FROM dlpg.dictionary WHERE type OPERATOR(pg_catalog.=) 'view')::text;
RESET search_path;

SELECT is((SELECT result FROM hijack WHERE call = 'ingest'), 'ok', 'ingest runs under a hostile search_path');
SELECT is((SELECT result FROM hijack WHERE call = 'series'), '3', 'series gives its answer under a hostile search_path');
SELECT ok((SELECT result FROM hijack WHERE call = 'chart svg') LIKE '%>Model<%', 'chart takes its titles from dlpg.x_axes');
SELECT ok((SELECT result FROM hijack WHERE call = 'chart vega-lite') NOT LIKE '%EVIL%', 'not from a look-alike view');
SELECT is((SELECT result FROM hijack WHERE call = 'scaling_report'),
          (SELECT count(*) FROM dlpg.scaling_report('weak') s
            CROSS JOIN dlpg.scaling_report('strong', '{"batch_size": 8}') t)::text,
          'scaling_report gives its answer under a hostile search_path');
SELECT is((SELECT result FROM hijack WHERE call = 'load_log'), 'duplicate', 'load_log runs under a hostile search_path');
SELECT is((SELECT result FROM hijack WHERE call = 'parse_log'), 'ResNet50', 'parse_log runs under a hostile search_path');
SELECT is((SELECT result FROM hijack WHERE call = 'axis_values'),
          (SELECT count(*) FROM dlpg.axis_values WHERE axis = 'model')::text,
          'the views give their answer under a hostile search_path');
SELECT is((SELECT result FROM hijack WHERE call = 'dictionary'),
          (SELECT count(*) FROM dlpg.dictionary WHERE type = 'view')::text,
          'dlpg.dictionary gives its answer under a hostile search_path');
SELECT is_empty('SELECT what FROM evil.calls', 'none of the look-alikes was called');

SELECT * FROM finish();
ROLLBACK;
