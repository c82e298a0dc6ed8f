-- pgTAP: the tables' own guarantees, for rows that do not come through dlpg.ingest.
BEGIN;
SELECT plan(10);

SELECT has_table('dlpg', 'benchmarks', 'dlpg.benchmarks exists');
SELECT has_table('dlpg', 'rejects', 'dlpg.rejects exists');

-- A direct INSERT cannot store an "ok" benchmark without positive, finite measures,
-- nor an unknown status: the charts rely on it.
SELECT throws_ok($$INSERT INTO dlpg.benchmarks (status, params, dedup_key)
                   VALUES ('ok', '{}', 'schema-1')$$,
                 '23514', NULL, 'ok without batch time and throughput is refused');
SELECT throws_ok($$INSERT INTO dlpg.benchmarks (status, batch_time_ms, throughput, params, dedup_key)
                   VALUES ('ok', 10, 0, '{}', 'schema-2')$$,
                 '23514', NULL, 'ok with a zero throughput is refused');
SELECT throws_ok($$INSERT INTO dlpg.benchmarks (status, batch_time_ms, throughput, params, dedup_key)
                   VALUES ('ok', 10, 'Infinity', '{}', 'schema-5')$$,
                 '23514', NULL, 'ok with an infinite throughput is refused');
SELECT throws_ok($$INSERT INTO dlpg.benchmarks (status, batch_time_ms, throughput, params, dedup_key)
                   VALUES ('ok', 'NaN', 100, '{}', 'schema-6')$$,
                 '23514', NULL, 'ok with a NaN batch time is refused (NaN is above every number)');
SELECT throws_ok($$INSERT INTO dlpg.benchmarks (status, params, dedup_key)
                   VALUES ('great', '{}', 'schema-3')$$,
                 '23514', NULL, 'an unknown status is refused');
SELECT lives_ok($$INSERT INTO dlpg.benchmarks (status, batch_time_ms, params, dedup_key)
                  VALUES ('failed', -5, '{}', 'schema-4')$$,
                'a failed benchmark keeps whatever it measured');

-- Every table and column says what it holds (BI tools show these).
SELECT is_empty($$
    SELECT c.relname || '.' || coalesce(a.attname, '')
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'dlpg'
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE c.relkind IN ('r', 'v')
       AND (obj_description(c.oid, 'pg_class') IS NULL
            OR (a.attname IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL))
$$, 'every table and column of dlpg has a comment');

SELECT is((SELECT attcompression FROM pg_attribute
            WHERE attrelid = 'dlpg.benchmarks'::regclass AND attname = 'params'),
          'l'::"char", 'params is compressed with lz4');

SELECT * FROM finish();
ROLLBACK;
