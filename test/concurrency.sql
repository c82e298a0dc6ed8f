-- pgTAP: concurrent ingest of the same logs makes each benchmark once.
-- Four other sessions (dblink) load the same eight H200 logs at the same time,
-- each in one transaction; their commits are their own, so this file cleans up
-- through dblink too.  (Transactions that take overlapping benchmarks in
-- different orders can deadlock, as any inserts under a unique constraint
-- can: PostgreSQL aborts one with 40P01 and nothing is duplicated; bulk
-- loaders take files in a fixed order.)
BEGIN;
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT plan(7);

-- The fixture logs as psql variables.
\ir lib/fixtures.sql

CREATE TEMP TABLE logs (n int, log text);
INSERT INTO logs VALUES (1, :'h200_rn50_fp16_train_64'), (2, :'h200_rn50_fp16_train_128'),
                        (3, :'h200_rn50_fp16_train_256'), (4, :'h200_rn50_fp32_train_64'),
                        (5, :'h200_rn50_fp32_train_128'), (6, :'h200_rn50_fp32_train_256'),
                        (7, :'h200_rn50_fp32_infer_64'), (8, :'h200_rn50_fp32_infer_256');

CREATE FUNCTION pg_temp.conninfo() RETURNS text LANGUAGE sql AS $$
    SELECT format('host=%s port=%s dbname=%s user=%s',
                  split_part(current_setting('unix_socket_directories'), ',', 1),
                  current_setting('port'), current_database(), current_user)
$$;

-- The result of a session's query; dblink wants a second call to free it.
CREATE FUNCTION pg_temp.collect(conn text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE n bigint;
BEGIN
    SELECT c INTO n FROM dblink_get_result(conn) AS r(c bigint);
    PERFORM * FROM dblink_get_result(conn) AS r(c bigint);
    RETURN n;
END $$;

-- Each session ingests all eight logs in one statement.
\o /dev/null
SELECT dblink_connect('w' || i, pg_temp.conninfo()) FROM generate_series(1, 4) AS i;
SELECT dblink_send_query('w' || i,
         format('SELECT count(dlpg.ingest(log, %L)) FROM (VALUES %s) AS v(log)',
                'concurrent-' || i,
                (SELECT string_agg(format('(%L)', log), ', ' ORDER BY n) FROM logs)))
  FROM generate_series(1, 4) AS i;

CREATE TEMP TABLE outcome (session int, ingested bigint);
INSERT INTO outcome
SELECT i, pg_temp.collect('w' || i) FROM generate_series(1, 4) AS i;
\o
SELECT is((SELECT count(*) FROM outcome), 4::bigint, 'all four sessions finished');
SELECT is((SELECT sum(ingested)::bigint FROM outcome), 32::bigint, 'every session got an id for each of its 8 logs');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE source LIKE 'concurrent-%'), 8::bigint,
          'eight benchmarks stored, not thirty-two');
SELECT is((SELECT count(DISTINCT exp_id) FROM dlpg.benchmarks WHERE source LIKE 'concurrent-%'), 8::bigint,
          'one row per exp.id');

-- Replace under concurrency keeps one row per benchmark, with its id.
\o /dev/null
CREATE TEMP TABLE before AS SELECT id, exp_id FROM dlpg.benchmarks WHERE source LIKE 'concurrent-%';
SELECT dblink_send_query('w' || i,
         format('SELECT count(dlpg.ingest(log, %L, %L)) FROM (VALUES %s) AS v(log)',
                'replaced-' || i, 'replace',
                (SELECT string_agg(format('(%L)', log), ', ' ORDER BY n) FROM logs)))
  FROM generate_series(1, 4) AS i;
SELECT pg_temp.collect('w' || i) FROM generate_series(1, 4) AS i;
\o
SELECT is((SELECT count(*) FROM dlpg.benchmarks b JOIN before USING (id, exp_id)
            WHERE b.source LIKE 'replaced-%'), 8::bigint,
          'concurrent replace overwrote the same eight rows, ids kept');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE exp_id IN (SELECT exp_id FROM before)), 8::bigint,
          'and made no new ones');

-- Clean up what the other sessions committed.
\o /dev/null
SELECT dblink_exec('w1', $$DELETE FROM dlpg.benchmarks WHERE source LIKE 'concurrent-%' OR source LIKE 'replaced-%'$$);
\o
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE source LIKE 'concurrent-%' OR source LIKE 'replaced-%'),
          0::bigint, 'cleaned up');
\o /dev/null
SELECT dblink_disconnect('w' || i) FROM generate_series(1, 4) AS i;
\o

SELECT * FROM finish();
ROLLBACK;
