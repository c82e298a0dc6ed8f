-- pgTAP: the single-node side of scale-out (issue 11). The keys a Citus hash distribution
-- keeps (primary key on dedup_key, id unique by its identity with a plain index) change
-- nothing on one node; dlpg.distribute() and dlpg.undistribute() refuse clearly without Citus;
-- replace mode stamps ingested_at with now() without calling it in the DO UPDATE;
-- dlpg.series, scaling_report and chart are PARALLEL RESTRICTED. The cluster side is
-- test/citus/*.t (make test-citus).
BEGIN;
SELECT plan(25);

\ir lib/errors.sql
\ir lib/logs.sql

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- ---------------------------------------------------------------------------
-- Keys
-- ---------------------------------------------------------------------------
SELECT is((SELECT array_agg(a.attname ORDER BY k.n)::text
             FROM pg_constraint c
             CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, n)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
            WHERE c.conrelid = 'dlpg.benchmarks'::regclass AND c.contype = 'p'),
          '{dedup_key}', 'the primary key of dlpg.benchmarks is dedup_key (the distribution column on Citus)');
SELECT is_empty($$SELECT conname FROM pg_constraint
                   WHERE conrelid = 'dlpg.benchmarks'::regclass AND contype IN ('u', 'x')$$,
                'no other unique or exclusion constraint (Citus keeps only those holding dedup_key)');
SELECT is((SELECT indexdef FROM pg_indexes WHERE schemaname = 'dlpg' AND indexname = 'benchmarks_id_idx'),
          'CREATE INDEX benchmarks_id_idx ON dlpg.benchmarks USING btree (id)',
          'id has a plain index');
SELECT is((SELECT attidentity::text FROM pg_attribute
            WHERE attrelid = 'dlpg.benchmarks'::regclass AND attname = 'id'),
          'a', 'id is GENERATED ALWAYS AS IDENTITY: unique without a constraint');

-- one row per benchmark, ids as before
CREATE TEMP TABLE got (nm text, id bigint);
INSERT INTO got VALUES ('a', dlpg.ingest(pg_temp.mklog('dist-a'), 'a.log')),
                       ('b', dlpg.ingest(pg_temp.mklog('dist-b'), 'b.log')),
                       ('a again', dlpg.ingest(pg_temp.mklog('dist-a'), 'a2.log'));
SELECT is((SELECT id FROM got WHERE nm = 'a again'), (SELECT id FROM got WHERE nm = 'a'),
          'skip: the same benchmark again returns its id');
SELECT is((SELECT count(*) FROM dlpg.benchmarks), 2::bigint, 'skip: two rows for three ingests');
SELECT cmp_ok((SELECT id FROM got WHERE nm = 'b'), '>', (SELECT id FROM got WHERE nm = 'a'),
              'ids go on from the identity');
SELECT throws_ok(format('SELECT dlpg.ingest(%L, %L, %L)', pg_temp.mklog('dist-a'), 'x', 'error'), '23505', NULL,
                 'error: a stored benchmark raises 23505 (the primary key on dedup_key)');
SELECT throws_ok($$INSERT INTO dlpg.benchmarks (status, params, dedup_key)
                   SELECT 'failed', '{}', dedup_key FROM dlpg.benchmarks LIMIT 1$$, '23505', NULL,
                 'the primary key refuses a second row with the same dedup_key');
SELECT is((SELECT count(*) FROM dlpg.load('dlbs_log', pg_temp.mklog('dist-a'), 'l.log') WHERE outcome = 'duplicate'),
          1::bigint, 'dlpg.load: a stored benchmark is a duplicate');

-- ---------------------------------------------------------------------------
-- replace: ingested_at is the transaction's start, as now() was, and the id stays
-- ---------------------------------------------------------------------------
UPDATE dlpg.benchmarks SET ingested_at = '2001-01-01 00:00:00+00' WHERE exp_id = 'dist-a';
SELECT is(dlpg.ingest(pg_temp.mklog('dist-a', '__results.time__=50.0'), 'r.log', 'replace'), (SELECT id FROM got WHERE nm = 'a'),
          'replace keeps the id');
SELECT is((SELECT ingested_at FROM dlpg.benchmarks WHERE exp_id = 'dist-a'), now(),
          'replace sets ingested_at to now() (the transaction''s start)');
SELECT is((SELECT source || ' ' || batch_time_ms FROM dlpg.benchmarks WHERE exp_id = 'dist-a'), 'r.log 50',
          'replace stores the new values');
SELECT is((SELECT outcome FROM dlpg.load('dlbs_log', pg_temp.mklog('dist-b'), 'r2.log', 'replace')), 'replaced',
          'dlpg.load replace: replaced');
SELECT is((SELECT ingested_at FROM dlpg.benchmarks WHERE exp_id = 'dist-b'), now(),
          '... with ingested_at now()');
-- ---------------------------------------------------------------------------
-- dlpg.distribute / undistribute without Citus
-- ---------------------------------------------------------------------------
SELECT pg_temp.throws('nocitus', 'SELECT * FROM dlpg.distribute()', '55000',
                      'dlpg.distribute() without Citus: 55000');
SELECT pg_temp.msg_has('nocitus', 'needs Citus, and extension "citus" is not installed',
                       '... the message says Citus is missing');
SELECT pg_temp.hint_has('nocitus', 'shared_preload_libraries.*CREATE EXTENSION citus',
                        '... the hint says how to get it');
SELECT pg_temp.throws('nocitus-un', 'SELECT * FROM dlpg.undistribute()', '55000',
                      'dlpg.undistribute() without Citus: 55000');
SELECT pg_temp.throws('nocitus-ids', 'SELECT * FROM dlpg.adjust_worker_ids()', '55000',
                      'dlpg.adjust_worker_ids() without Citus: 55000');
SELECT ok(NOT has_function_privilege('dlpg_writer', 'dlpg.adjust_worker_ids()', 'EXECUTE'),
          '... and only its owner may run it');
SELECT pg_temp.throws('badcount', 'SELECT * FROM dlpg.distribute(0)', '22023',
                      'dlpg.distribute(0): 22023, before anything else');
SELECT is((SELECT count(*) FROM dlpg.benchmarks), 2::bigint, 'and nothing changed');

-- ---------------------------------------------------------------------------
-- Parallel labels: the functions that run a query of their own over SPI
-- ---------------------------------------------------------------------------
SELECT is((SELECT string_agg(p.proname || ':' || p.proparallel::text, ' ' ORDER BY p.proname)
             FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'dlpg' AND p.proname IN ('series', 'scaling_report', 'chart')),
          'chart:r scaling_report:r series:r',
          'dlpg.series, scaling_report and chart are PARALLEL RESTRICTED');
SELECT is((SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'dlpg' AND p.proname IN ('distribute', 'undistribute')
              AND has_function_privilege('dlpg_writer', p.oid, 'EXECUTE')),
          0::bigint, 'dlpg.distribute and undistribute are not for dlpg_writer (nor PUBLIC)');

SELECT * FROM finish();
ROLLBACK;
