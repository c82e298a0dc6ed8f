-- pgTAP: the first call in a new backend, and a backend whose first call failed half-way.
-- dlpg keeps prepared plans per backend; a call must work whatever came before it in its
-- session, including nothing, or an error while the plans were being prepared. Each call runs
-- in a session of its own, opened with dblink, so "first" really is first; those sessions
-- commit, so what they store is labelled (source fresh-session-*) and deleted at the end.
BEGIN;
CREATE EXTENSION IF NOT EXISTS dblink;
\ir lib/logs.sql

-- A connection string to this same database, over the server's own socket.
CREATE FUNCTION pg_temp.here() RETURNS text LANGUAGE sql STABLE AS $f$
    SELECT format('dbname=%s host=%s port=%s user=%s', current_database(),
                  split_part(current_setting('unix_socket_directories'), ',', 1),
                  current_setting('port'), current_user)
$f$;

-- Run sql in the open dblink session conn: NULL when it succeeds, else its SQLSTATE (dblink
-- raises the remote error with the remote SQLSTATE; OTHERS leaves out 57014). A query runs to its end inside a DO
-- block, as dblink_exec takes no statement that returns rows.
CREATE FUNCTION pg_temp.remote(conn text, sql text) RETURNS text LANGUAGE plpgsql AS $f$
BEGIN
    IF sql ~* '^\s*SELECT' THEN
        sql := format('DO %L', format('BEGIN PERFORM count(*) FROM (%s) q; END', sql));
    END IF;
    PERFORM public.dblink_exec(conn, sql);
    RETURN NULL;
EXCEPTION WHEN OTHERS OR query_canceled THEN
    RETURN SQLSTATE;
END $f$;

-- Run sql as the first statement of a new session; its SQLSTATE or NULL.
CREATE FUNCTION pg_temp.first_call(sql text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE st text;
BEGIN
    PERFORM public.dblink_connect('fresh', pg_temp.here());
    st := pg_temp.remote('fresh', sql);
    PERFORM public.dblink_disconnect('fresh');
    RETURN st;
END $f$;

CREATE FUNCTION pg_temp.stored(src text) RETURNS bigint LANGUAGE sql AS $f$
    SELECT n FROM public.dblink(pg_temp.here(),
        format('SELECT count(*) FROM dlpg.benchmarks WHERE source = %L', src)) AS t(n bigint)
$f$;
CREATE FUNCTION pg_temp.reject_count(src text) RETURNS bigint LANGUAGE sql AS $f$
    SELECT n FROM public.dblink(pg_temp.here(),
        format('SELECT count(*) FROM dlpg.rejects WHERE source = %L', src)) AS t(n bigint)
$f$;

SELECT plan(26);

-- ---------------------------------------------------------------------------
-- A bad first element in the first call of a session
-- ---------------------------------------------------------------------------
SELECT is(pg_temp.first_call($$SELECT * FROM dlpg.ingest_json('[1]', 'fresh-session-1')$$), NULL,
          'ingest_json(''[1]'') as the first call of a session raises nothing');
SELECT is(pg_temp.reject_count('fresh-session-1'), 1::bigint, '  and records the element in dlpg.rejects');
SELECT is(pg_temp.first_call($$SELECT * FROM dlpg.ingest_json('{"data": [null, "x"]}', 'fresh-session-2')$$), NULL,
          'ingest_json(''{"data": [null, "x"]}'') as the first call raises nothing');
SELECT is(pg_temp.reject_count('fresh-session-2'), 2::bigint, '  and records both elements');
SELECT is(pg_temp.first_call(format('SELECT * FROM dlpg.ingest_json(%L, %L)',
              jsonb_build_array('[]'::jsonb, pg_temp.mkobj('fresh-session-good')), 'fresh-session-3')), NULL,
          'ingest_json([[], good]) as the first call raises nothing');
SELECT is(pg_temp.stored('fresh-session-3') || '/' || pg_temp.reject_count('fresh-session-3'), '1/1',
          '  stores the good one and rejects the array');

-- Every bulk entry point, bad input first in a new session: input errors, never XX000.
CREATE TEMP TABLE first_calls (call text, expect text);
INSERT INTO first_calls VALUES
    ($$SELECT * FROM dlpg.ingest_json_detailed('[1, 2]', 'fresh-session-4')$$, NULL),
    ($$SELECT * FROM dlpg.load_json('[[]]', 'fresh-session-4')$$, NULL),
    ($$SELECT * FROM dlpg.load_json('not json', 'fresh-session-4')$$, NULL),
    ($$SELECT * FROM dlpg.load_log('no parameters here', 'fresh-session-4')$$, NULL),
    ($$SELECT * FROM dlpg.load_log(E'__exp.replica_batch__=0\n__results.time__=1', 'fresh-session-4')$$, NULL),
    ($$SELECT dlpg.ingest('no parameters here', 'fresh-session-4')$$, '22P02'),
    ($$SELECT * FROM dlpg.ingest_json('{}', 'fresh-session-4')$$, '22023'),
    ($$SELECT * FROM dlpg.ingest_json('[{}]', 'fresh-session-4', 'error')$$, NULL);
SELECT is(pg_temp.first_call(call), expect, 'first call of a session: ' || call) FROM first_calls;
SELECT is(pg_temp.reject_count('fresh-session-4'), 7::bigint, '  the bulk calls recorded their seven rejects');

-- ---------------------------------------------------------------------------
-- A session whose plans could not all be prepared is not poisoned
-- ---------------------------------------------------------------------------
-- Another session holds dlpg.rejects locked while this one, with a lock_timeout, makes its
-- first ingest: preparing the plans times out (55P03), part-way through.
SELECT public.dblink_connect('locker', pg_temp.here());
SELECT public.dblink_connect('victim', pg_temp.here());
SELECT pg_temp.remote('locker', 'BEGIN');
SELECT pg_temp.remote('locker', 'LOCK TABLE dlpg.rejects IN ACCESS EXCLUSIVE MODE');
SELECT pg_temp.remote('victim', $$SET lock_timeout = '200ms'$$);
SELECT is(pg_temp.remote('victim', format('SELECT * FROM dlpg.ingest_json(%L, %L)',
              jsonb_build_array(pg_temp.mkobj('fresh-session-locked')), 'fresh-session-5')),
          '55P03', 'a first ingest while dlpg.rejects is locked: lock timeout');
SELECT pg_temp.remote('locker', 'ROLLBACK');
SELECT is(pg_temp.remote('victim', $$SELECT * FROM dlpg.ingest_json('[1]', 'fresh-session-5')$$), NULL,
          'once the lock is gone, the same session records a reject');
SELECT is(pg_temp.remote('victim', format('SELECT * FROM dlpg.load_json(%L, %L)',
              jsonb_build_array(1, pg_temp.mkobj('fresh-session-after-lock')), 'fresh-session-5')), NULL,
          '  and load_json of a bad and a good element raises nothing');
SELECT is(pg_temp.stored('fresh-session-5') || '/' || pg_temp.reject_count('fresh-session-5'), '1/2',
          '  storing the good element and rejecting the two bad ones (the document is not rejected whole)');
SELECT is((SELECT count(*) FROM public.dblink(pg_temp.here(),
              $$SELECT 1 FROM dlpg.rejects WHERE source = 'fresh-session-5' AND sqlstate LIKE 'XX%'$$) AS t(x int)),
          0::bigint, '  and no reject is an internal error');
SELECT public.dblink_disconnect('victim');
SELECT public.dblink_disconnect('locker');

-- ---------------------------------------------------------------------------
-- dlpg.load_log / load_json: the server's state is not bad input
-- ---------------------------------------------------------------------------
-- A lock timeout or a cancel while loading a good log is raised, with no reject; bad input and
-- a duplicate under on_conflict error are rejects.
SELECT public.dblink_connect('locker', pg_temp.here());
SELECT public.dblink_connect('loader', pg_temp.here());
SELECT pg_temp.remote('locker', 'BEGIN');
SELECT pg_temp.remote('locker', 'LOCK TABLE dlpg.benchmarks IN ACCESS EXCLUSIVE MODE');
SELECT pg_temp.remote('loader', $$SET lock_timeout = '200ms'$$);
SELECT is(pg_temp.remote('loader', format('SELECT * FROM dlpg.load_log(%L, %L)',
              pg_temp.mklog('fresh-session-lt'), 'fresh-session-6')),
          '55P03', 'load_log of a good log under a lock timeout raises 55P03');
SELECT pg_temp.remote('loader', $$SET lock_timeout = 0$$);
SELECT pg_temp.remote('loader', $$SET statement_timeout = '200ms'$$);
SELECT is(pg_temp.remote('loader', format('SELECT * FROM dlpg.load_json(%L, %L)',
              jsonb_build_array(pg_temp.mkobj('fresh-session-st'))::text, 'fresh-session-6')),
          '57014', 'load_json of a good document cancelled by statement_timeout raises 57014');
SELECT pg_temp.remote('loader', $$SET statement_timeout = 0$$);
SELECT pg_temp.remote('locker', 'ROLLBACK');
SELECT is(pg_temp.reject_count('fresh-session-6'), 0::bigint, '  neither became a reject');
SELECT is(pg_temp.remote('loader', format('SELECT * FROM dlpg.load_log(%L, %L, %L)',
              pg_temp.mklog('fresh-session-lt'), 'fresh-session-6', 'error')), NULL,
          're-run: the log loads');
SELECT is(pg_temp.remote('loader', format('SELECT * FROM dlpg.load_log(%L, %L, %L)',
              pg_temp.mklog('fresh-session-lt'), 'fresh-session-6', 'error')), NULL,
          'the same log again under on_conflict error raises nothing');
SELECT is((SELECT string_agg(st, ',') FROM public.dblink(pg_temp.here(),
              $$SELECT sqlstate FROM dlpg.rejects WHERE source = 'fresh-session-6'$$) AS t(st text)),
          '23505', '  it is a reject with 23505');
SELECT public.dblink_disconnect('loader');
SELECT public.dblink_disconnect('locker');

-- ---------------------------------------------------------------------------
-- Clean up what the sessions committed
-- ---------------------------------------------------------------------------
SELECT public.dblink_exec(pg_temp.here(),
    $$DELETE FROM dlpg.benchmarks WHERE source LIKE 'fresh-session-%';
      DELETE FROM dlpg.rejects WHERE source LIKE 'fresh-session-%'$$);

SELECT * FROM finish();
ROLLBACK;
