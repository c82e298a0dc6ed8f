-- pgTAP: the upgrade chain. An install of 0.1.0 with data in it, updated with
-- ALTER EXTENSION dlpg UPDATE, keeps its data and ends with the same objects as a
-- new install of the current version.
BEGIN;
SELECT plan(14);

DROP EXTENSION dlpg CASCADE;
CREATE EXTENSION dlpg VERSION '0.1.0';
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'dlpg'), '0.1.0', 'version 0.1.0 installed');

\set rtx `cat data/dlbs/rtx2080/resnet50_4.log`
\set failed `cat data/dlbs/failed/googlenet_8_noresults.log`
CREATE TEMP TABLE old_ids AS
SELECT dlpg.ingest(:'rtx', 'resnet50_4.log') AS id
UNION ALL SELECT dlpg.ingest(:'failed', 'googlenet_8_noresults.log');
-- 0.1.0's constraint let an ok row hold an infinite throughput (NaN and Infinity are > 0)
INSERT INTO dlpg.benchmarks (status, model, batch_time_ms, throughput, params, dedup_key)
VALUES ('ok', 'InfNet', 1e-300, 'Infinity', '{}', 'upgrade-inf');
CREATE TEMP TABLE before AS SELECT * FROM dlpg.benchmarks WHERE dedup_key <> 'upgrade-inf';
SELECT is((SELECT count(*) FROM before), 2::bigint, 'two benchmarks stored under 0.1.0');
SELECT is((SELECT count(*) FROM dlpg.ingest_json('[3]', 'bad.json')), 0::bigint,
          'and one bad element rejected');

ALTER EXTENSION dlpg UPDATE;
SELECT is((SELECT extversion FROM pg_extension WHERE extname = 'dlpg'),
          (SELECT default_version FROM pg_available_extensions WHERE name = 'dlpg'),
          'ALTER EXTENSION dlpg UPDATE reaches the default version');

-- the columns 0.1.0 had: later versions add columns (0.4.0: run_at, the percentiles, ...)
SELECT set_eq(format('SELECT %s FROM dlpg.benchmarks WHERE dedup_key <> %L',
                     (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
                       WHERE attrelid = 'pg_temp.before'::regclass AND attnum > 0), 'upgrade-inf'),
              'SELECT * FROM before',
              'every row kept as it was (the columns it had)');
SELECT is((SELECT status || ': ' || status_reason FROM dlpg.benchmarks WHERE dedup_key = 'upgrade-inf'),
          'failed: a measure is not finite (batch time 1e-300 ms, throughput Infinity): marked failed by the update to dlpg 0.3.0',
          'an ok row with an infinite throughput is kept, as failed, with the reason');
SELECT throws_ok($$INSERT INTO dlpg.benchmarks (status, batch_time_ms, throughput, params, dedup_key)
                   VALUES ('ok', 10, 'NaN', '{}', 'upgrade-nan')$$, '23514', NULL,
                 'after the update, the constraint refuses an ok row with a NaN throughput');
SELECT is((SELECT count(*) FROM dlpg.rejects), 1::bigint, 'the reject kept');
SELECT is((SELECT y FROM dlpg.series('replica_batch', 'batch_time', '{}', 'avg', 'model')),
          52.015605::float8, 'dlpg.series works on the data stored before the update');
SELECT lives_ok(format('SELECT dlpg.ingest(%L, %L)', :'rtx', 'again'), 'ingest still works');

-- The objects of an updated install are those of a new one, with the same privileges and
-- comments (dlpg.dictionary holds every comment of schema dlpg).
CREATE TEMP VIEW members AS
SELECT pg_describe_object(d.classid, d.objid, d.objsubid) AS object,
       coalesce(p.proacl::text, c.relacl::text, n.nspacl::text) AS acl,
       obj_description(d.objid, d.classid::regclass::name) AS description
  FROM pg_depend d
  LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
  LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
  LEFT JOIN pg_namespace n ON d.classid = 'pg_namespace'::regclass AND n.oid = d.objid
 WHERE d.refclassid = 'pg_extension'::regclass
   AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'dlpg') AND d.deptype = 'e';
CREATE TEMP TABLE updated_objects AS SELECT * FROM members;
CREATE TEMP TABLE updated_dictionary AS SELECT * FROM dlpg.dictionary;
DROP EXTENSION dlpg CASCADE;
CREATE EXTENSION dlpg;
SELECT set_eq('SELECT object FROM members', 'SELECT object FROM updated_objects',
              'an updated install has exactly the objects of a new one');
SELECT set_eq('SELECT * FROM members', 'SELECT * FROM updated_objects',
              'with the same privileges and comments (dlpg_internal: nothing for PUBLIC)');
SELECT set_eq('SELECT * FROM dlpg.dictionary', 'SELECT * FROM updated_dictionary',
              'and the same dlpg.dictionary: every table, view, column and function with its comment');
SELECT is((SELECT count(*) FROM pg_extension_update_paths('dlpg')
            WHERE source = '0.1.0' AND target = (SELECT default_version FROM pg_available_extensions
                                                  WHERE name = 'dlpg') AND path IS NOT NULL),
          1::bigint, 'there is an update path from 0.1.0 to the current version');

SELECT * FROM finish();
ROLLBACK;
