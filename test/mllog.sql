-- test/mllog.sql: dlpg.parse_mllog, the MLLOG records of MLPerf result files, against what
-- MLCommons' own parser finds in the bundled files (data/mlperf/expected.json: records, parse
-- failures, run_start / run_stop times, time to train); line ends, prefixes, hostile records.
-- Run from the project root.
BEGIN;
SELECT plan(17);

-- every training result file and expected.json, read by psql (byte for byte, as UTF-8 text)
\set files `python3 -c "import json, glob; print(json.dumps({p[len('data/mlperf/'):]: open(p, encoding='utf-8', newline='').read() for p in sorted(glob.glob('data/mlperf/training/**/result_*.txt', recursive=True))}))"`
\set expected `cat data/mlperf/expected.json`
CREATE TEMP TABLE f AS SELECT key AS file, value AS log FROM jsonb_each_text(:'files'::jsonb);
CREATE TEMP TABLE e AS SELECT r->>'file' AS file, r FROM jsonb_array_elements((:'expected'::jsonb)->'training_runs') r;
CREATE TEMP TABLE p AS SELECT file, dlpg.parse_mllog(log) AS recs FROM f;

SELECT is((SELECT count(*) FROM f), (SELECT count(*) FROM e), 'every training result file of expected.json is read');
SELECT is_empty($$SELECT e.file FROM e JOIN p USING (file)
                   WHERE jsonb_array_length(p.recs) - (SELECT count(*) FROM jsonb_array_elements(p.recs) x WHERE x ? 'invalid')
                         <> (e.r->>'mllog_records')::int - (e.r->>'mllog_parse_failures')::int$$,
                'each file: as many records as MLCommons'' parser reads');
SELECT is_empty($$SELECT e.file FROM e JOIN p USING (file)
                   WHERE (SELECT count(*) FROM jsonb_array_elements(p.recs) x WHERE x ? 'invalid')
                         <> (e.r->>'mllog_parse_failures')::int$$,
                '... and the lines it cannot read listed as invalid, none dropped');
CREATE TEMP TABLE t AS
SELECT p.file,
       (SELECT (x->'record'->>'time_ms')::numeric FROM jsonb_array_elements(p.recs) WITH ORDINALITY AS a(x, o)
         WHERE x->'record'->>'key' = 'run_start' ORDER BY o DESC LIMIT 1) AS start_ms,
       (SELECT (x->'record'->>'time_ms')::numeric FROM jsonb_array_elements(p.recs) WITH ORDINALITY AS a(x, o)
         WHERE x->'record'->>'key' = 'run_stop' ORDER BY o DESC LIMIT 1) AS stop_ms
  FROM p;
SELECT is_empty($$SELECT t.file FROM t JOIN e USING (file)
                   WHERE t.start_ms IS DISTINCT FROM (e.r->>'run_start_ms')::numeric
                      OR t.stop_ms IS DISTINCT FROM (e.r->>'run_stop_ms')::numeric$$,
                'run_start and run_stop times equal MLCommons''');
SELECT is_empty($$SELECT t.file FROM t JOIN e USING (file)
                   WHERE e.r->>'time_to_train_min' IS NOT NULL
                     AND abs(((t.stop_ms - t.start_ms) / 60000)::float8 - (e.r->>'time_to_train_min')::float8)
                         > 1e-9 * (e.r->>'time_to_train_min')::float8$$,
                'time to train ((run_stop - run_start) / 60000 min) to 1e-9 relative');

-- the grammar
SELECT is(dlpg.parse_mllog(E'[17] :::MLLOG {"key": "a", "value": 1}\r\n0: :::MLLOG {"key": "b"}\rnoise\n:::MLLOG {"key": "c", "key": "d"}'),
          '[{"line": 1, "record": {"key": "a", "value": 1}}, {"line": 2, "record": {"key": "b"}},
            {"line": 4, "record": {"key": "d"}}]'::jsonb,
          'prefixes, \r\n and \r line ends, lines without the token skipped, the last of repeated keys');
SELECT is(dlpg.parse_mllog(':::MLLOG {"key": "seed", "value": 123456789012345678901234567890}')->0->'record'->>'value',
          '123456789012345678901234567890', 'an integer beyond 64 bits is kept exactly');
SELECT is(dlpg.parse_mllog(E':::MLLOG {"key": "x", "value": {"a": [1, {"b": null}]}, "metadata": {"file": "f.py"}}')->0->'record'->'value',
          '{"a": [1, {"b": null}]}'::jsonb, 'values of any JSON type');
SELECT is(dlpg.parse_mllog(E':::MLLOG {"key": "x", "value": 1\n:::MLLOG [1, 2]\n:::MLLOG\n:::MLLOG ' || repeat('[', 5000)),
          ('[{"line": 1, "invalid": "{\"key\": \"x\", \"value\": 1", "reason": "not JSON"},
            {"line": 2, "invalid": "[1, 2]", "reason": "not a JSON object"},
            {"line": 3, "invalid": "", "reason": "not JSON"},
            {"line": 4, "invalid": "' || repeat('[', 197) || '...", "reason": "nested too deep"}]')::jsonb,
          'a cut record, an array, nothing, too deep: listed as invalid with the reason, cut at 200 bytes');
SELECT is(dlpg.parse_mllog('no records here'), '[]'::jsonb, 'no record: an empty array');
SELECT is(jsonb_array_length(dlpg.parse_mllog(
              (SELECT string_agg(':::MLLOG {"key": "k' || i || '", "time_ms": ' || i || '}', E'\n') FROM generate_series(1, 100000) i))),
          100000, '100,000 records');
SELECT is((SELECT count(*) FROM jsonb_object_keys(dlpg.parse_mllog(
              ':::MLLOG {' || (SELECT string_agg('"k' || i || '": ' || i, ', ') FROM generate_series(1, 100000) i) || '}')->0->'record')),
          100000::bigint, 'a record with 100,000 keys');

-- the inference summaries: what MLCommons' parser reads in each (expected.json's inference)
\set summaries `python3 -c "import json, glob; print(json.dumps({p[len('data/mlperf/'):]: open(p, encoding='utf-8', newline='').read() for p in sorted(glob.glob('data/mlperf/inference/**/mlperf_log_summary.txt', recursive=True))}))"`
CREATE TEMP TABLE s AS
SELECT key AS file, dlpg.parse_mlperf_summary(value) AS lines FROM jsonb_each_text(:'summaries'::jsonb);
CREATE TEMP TABLE ie AS SELECT r->>'summary_file' AS file, r->'summary' AS want FROM jsonb_array_elements((:'expected'::jsonb)->'inference') r;
CREATE FUNCTION pg_temp.field(lines jsonb, label text) RETURNS text LANGUAGE sql AS $f$
    SELECT x->>'value' FROM jsonb_array_elements(lines) WITH ORDINALITY AS a(x, o) WHERE x->>'label' = label ORDER BY o LIMIT 1
$f$;
SELECT is((SELECT count(*) FROM s JOIN ie USING (file)), (SELECT count(*) FROM ie), 'every inference summary of expected.json is read');
SELECT is_empty($$SELECT file FROM s JOIN ie USING (file)
                   WHERE pg_temp.field(lines, 'SUT name') IS DISTINCT FROM want->>'sut_name'
                      OR pg_temp.field(lines, 'Scenario') IS DISTINCT FROM want->>'scenario'
                      OR pg_temp.field(lines, 'Mode') IS DISTINCT FROM want->>'mode'
                      OR pg_temp.field(lines, 'Result is') IS DISTINCT FROM want->>'result_is'$$,
                'SUT name, scenario, mode and result as MLCommons reads them');
SELECT is_empty($$SELECT file, m FROM s JOIN ie USING (file), jsonb_array_elements(want->'primary_metrics') m
                   WHERE pg_temp.field(lines, m->>'name')::numeric IS DISTINCT FROM (m->>'value')::numeric$$,
                'the headline metrics (samples or tokens per second, latency percentiles) with their values');
SELECT is_empty($$SELECT file, k FROM s JOIN ie USING (file), jsonb_each_text(want->'latency_ns') AS l(k, v)
                   WHERE k LIKE 'p%'
                     AND pg_temp.field(lines, substr(k, 2) || ' percentile latency (ns)')::numeric IS DISTINCT FROM v::numeric$$,
                'every latency percentile (50.00 ... 99.90) as MLCommons reads it');
SELECT is(dlpg.parse_mlperf_summary(E'=====\r\nMLPerf Results Summary\r\n=====\nSUT name : x : y\n * Run successful.\n\nEmpty:'),
          '[{"line": 4, "section": "MLPerf Results Summary", "label": "SUT name", "value": "x : y"},
            {"line": 5, "section": "MLPerf Results Summary", "text": "* Run successful."},
            {"line": 7, "section": "MLPerf Results Summary", "label": "Empty", "value": ""}]'::jsonb,
          'sections, the first colon splits, text lines kept, blank lines and rules left out');

SELECT * FROM finish();
ROLLBACK;
