-- pgTAP: long inputs are read in linear time and can be cancelled (issue 8, items 13 and 14).
--   * a log with "\r" line ends only (old Mac style) parses as fast as a "\n" one: 400,000
--     lines complete under statement_timeout = 5s (the quadratic splitter took ~97 s);
--   * parse_log of a huge log, and of a huge JSON value, stops promptly at a statement
--     timeout: the time to the cancel is compared with the time of a complete run, measured
--     first, so the test calibrates itself on the machine;
--   * dlpg.chart over 60,000 series completes under a timeout that a scan of the series per
--     point (quadratic) cannot meet.
-- Timings are bounds, not benchmarks: each has a wide margin.
BEGIN;
SELECT plan(15);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- Runs a statement; 'ok <ms>' when it completes, 'cancelled <ms>' when a statement timeout
-- (57014) stops it.  (pgTAP's throws_ok cannot catch a cancel: WHEN OTHERS excludes it.)
CREATE FUNCTION pg_temp.timed(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE q;
    RETURN 'ok ' || round(extract(epoch FROM clock_timestamp() - t0) * 1000);
EXCEPTION WHEN query_canceled THEN
    RETURN 'cancelled ' || round(extract(epoch FROM clock_timestamp() - t0) * 1000);
END
$f$;
CREATE FUNCTION pg_temp.ms(r text) RETURNS numeric LANGUAGE sql IMMUTABLE AS $f$
    SELECT split_part(r, ' ', 2)::numeric
$f$;

-- The inputs, made before any timeout.
CREATE TEMP TABLE logs (name text PRIMARY KEY, log text NOT NULL);
INSERT INTO logs VALUES
    -- 400,000 lines ended by "\r", every 100th a parameter (7.6 MB)
    ('cr', (SELECT string_agg(CASE WHEN g % 100 = 0 THEN '__k' || g || '__=' || g ELSE 'some log line text' END, E'\r')
              FROM generate_series(1, 400000) AS g)),
    -- the same with "\r\n"
    ('crlf', (SELECT string_agg(CASE WHEN g % 100 = 0 THEN '__k' || g || '__=' || g ELSE 'some log line text' END, E'\r\n')
                FROM generate_series(1, 400000) AS g)),
    -- 1,000,000 parameter lines (about 35 MB)
    ('many-lines', repeat(E'__results.time__=[1.5, 2.5, 3.5]\n', 1000000)),
    -- one value: an array of 5,000,000 numbers (10 MB)
    ('huge-value', '__v__=[' || repeat('1,', 5000000) || '1]');

CREATE TEMP TABLE runs (name text PRIMARY KEY, result text);

-- Line ends: the same parameters, found in linear time.
SET LOCAL statement_timeout = '5s';
INSERT INTO runs SELECT 'cr', pg_temp.timed($$SELECT dlpg.parse_log(log) FROM logs WHERE name = 'cr'$$);
INSERT INTO runs SELECT 'crlf', pg_temp.timed($$SELECT dlpg.parse_log(log) FROM logs WHERE name = 'crlf'$$);
RESET statement_timeout;
SELECT alike((SELECT result FROM runs WHERE name = 'cr'), 'ok %',
            'a 400,000-line log with \r line ends parses under statement_timeout = 5s');
SELECT alike((SELECT result FROM runs WHERE name = 'crlf'), 'ok %', 'and with \r\n line ends');
SELECT is((SELECT count(*) FROM logs, jsonb_object_keys(dlpg.parse_log(log)) WHERE name = 'cr'), 4000::bigint,
          'the \r log has its 4,000 parameters');
SELECT is((SELECT dlpg.parse_log(log) FROM logs WHERE name = 'cr'),
          (SELECT dlpg.parse_log(replace(log, E'\r', E'\n')) FROM logs WHERE name = 'cr'),
          'and the same object as with \n line ends');
SELECT is((SELECT dlpg.parse_log(log) FROM logs WHERE name = 'crlf'),
          (SELECT dlpg.parse_log(log) FROM logs WHERE name = 'cr'),
          'and as with \r\n line ends');
-- line numbers are counted the same way for every line end (in error contexts)
SELECT is(dlpg.parse_log(E'a\rb\r\n__x__=1\n\r__y__=2'), '{"x": 1, "y": 2}'::jsonb,
          'mixed line ends: "\r", "\r\n", "\n\r" split as universal newlines');

-- Cancel: a complete run first, then the same under a 100 ms timeout.
INSERT INTO runs SELECT 'many-lines full', pg_temp.timed($$SELECT dlpg.parse_log(log) FROM logs WHERE name = 'many-lines'$$);
INSERT INTO runs SELECT 'huge-value full', pg_temp.timed($$SELECT dlpg.parse_log(log) FROM logs WHERE name = 'huge-value'$$);
SET LOCAL statement_timeout = '100ms';
INSERT INTO runs SELECT 'many-lines cancel', pg_temp.timed($$SELECT dlpg.parse_log(log) FROM logs WHERE name = 'many-lines'$$);
RESET statement_timeout;
SET LOCAL statement_timeout = '100ms';
INSERT INTO runs SELECT 'huge-value cancel', pg_temp.timed($$SELECT dlpg.parse_log(log) FROM logs WHERE name = 'huge-value'$$);
RESET statement_timeout;

SELECT ok(pg_temp.ms(fr.result) >= 500, format('a complete parse of %s takes long enough to be cancelled (%s)', w, fr.result))
  FROM unnest(ARRAY['many-lines', 'huge-value']) AS w
  JOIN runs AS fr ON fr.name = w || ' full';
SELECT ok(c.result LIKE 'cancelled %' AND pg_temp.ms(c.result) < pg_temp.ms(f.result) / 2,
          format('parse_log of %s stops at statement_timeout = 100ms: %s; complete: %s', w, c.result, f.result))
  FROM unnest(ARRAY['many-lines', 'huge-value']) AS w
  JOIN runs AS c ON c.name = w || ' cancel'
  JOIN runs AS f ON f.name = w || ' full';

-- A chart of 60,000 series (one point each): about half a second with a hash table (dlpg.series
-- alone: 0.3 s); a scan of the names per point took 10 s (bars) to 15 s (lines).
INSERT INTO dlpg.benchmarks (status, model, precision, phase, device_type, replica_batch, effective_batch,
                             num_devices, devices_per_node, num_nodes, batch_time_ms, throughput, params, dedup_key)
SELECT 'ok', 'model-' || g, 'fp32', 'training', 'gpu', 32, 32, 1, 1, 1, 10 + g % 7, 3200, '{}', 'cancel-' || g
  FROM generate_series(1, 60000) AS g;
ANALYZE dlpg.benchmarks;
SET LOCAL statement_timeout = '3s';
INSERT INTO runs SELECT 'chart svg', pg_temp.timed($$SELECT dlpg.chart('replica_batch', 'batch_time', '{}', 'avg', 'model')$$);
RESET statement_timeout;
SET LOCAL statement_timeout = '3s';
INSERT INTO runs SELECT 'chart bars', pg_temp.timed($$SELECT dlpg.chart('model', 'batch_time', '{}', 'avg', 'model')$$);
RESET statement_timeout;
SELECT alike((SELECT result FROM runs WHERE name = 'chart svg'), 'ok %',
            'a line chart of 60,000 series completes under statement_timeout = 3s');
SELECT alike((SELECT result FROM runs WHERE name = 'chart bars'), 'ok %',
            'a bar chart of 60,000 series too');
SELECT is((SELECT count(*)::int FROM regexp_matches(dlpg.chart('replica_batch', 'batch_time', '{}', 'avg', 'model'),
                                                   '<polyline', 'g')),
          60000, 'with one line per series');

-- dlpg.compare over two sides of 3,000 benchmarks with 2,000 iterations each (12 million
-- samples; 8 million completed in under 300 ms here): it stops at a statement_timeout too (its
-- receiver checks for interrupts per row).
INSERT INTO dlpg.benchmarks (status, model, precision, phase, device_type, replica_batch, effective_batch,
                             num_devices, devices_per_node, num_nodes, batch_time_ms, throughput, batch_times_ms,
                             params, dedup_key)
SELECT 'ok', 'CmpNet', CASE WHEN g % 2 = 0 THEN 'fp32' ELSE 'fp16' END, 'training', 'gpu', 32, 32, 1, 1, 1, 10, 3200,
       (SELECT array_agg(10 + (i % 13) * 0.01) FROM generate_series(1, 2000) i), '{}', 'cancel-cmp-' || g
  FROM generate_series(1, 6000) AS g;
INSERT INTO runs SELECT 'compare full',
       pg_temp.timed($$SELECT count(*) FROM dlpg.compare('{"precision": "fp32"}', '{"precision": "fp16"}', 'batch_time', '{"model": "CmpNet"}')$$);
SET LOCAL statement_timeout = '100ms';
INSERT INTO runs SELECT 'compare cancel',
       pg_temp.timed($$SELECT count(*) FROM dlpg.compare('{"precision": "fp32"}', '{"precision": "fp16"}', 'batch_time', '{"model": "CmpNet"}')$$);
RESET statement_timeout;
SELECT ok(pg_temp.ms((SELECT result FROM runs WHERE name = 'compare full')) >= 300,
          format('a complete dlpg.compare of 12 million samples takes long enough to be cancelled (%s)',
                 (SELECT result FROM runs WHERE name = 'compare full')));
SELECT ok((SELECT c.result LIKE 'cancelled %' AND pg_temp.ms(c.result) < pg_temp.ms(f.result) * 3 / 4
             FROM runs c, runs f WHERE c.name = 'compare cancel' AND f.name = 'compare full'),
          format('dlpg.compare stops at statement_timeout = 100ms: %s',
                 (SELECT result FROM runs WHERE name = 'compare cancel')));

SELECT * FROM finish();
ROLLBACK;
