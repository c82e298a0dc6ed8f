-- pgTAP: what a point means (issue 10, items 1-4).  dlpg.series and dlpg.scaling_report say
-- what is behind each point: n benchmarks, how many configurations they are (configs) and which
-- axes differ among them (mixed), checked against a GROUP BY written here over the fixtures
-- and synthetic benchmarks; x_value; the NOTICEs (points that mix, filter values nobody has,
-- with suggestions); "unknown" as a filter value and in dlpg.axis_values; series_name with
-- group_by; speedup 1 and efficiency 100 exactly on a scaling baseline; the aggregates
-- point_configs/point_mixed in parallel plans; garbage to their checked deserializer.
-- Run from the project root (the logs are read with psql backticks).

-- NOTICEs cannot be caught in SQL: test/lib/honest_notices.sql runs in a session of its own,
-- before this file's transaction (its rows would otherwise wait on ours), and prints them.
\set notices `sh test/lib/notices.sh test/lib/honest_notices.sql :'DBNAME' :'HOST' :'PORT' :'USER'`

BEGIN;
SELECT plan(98);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

\ir lib/fixtures.sql
\ir lib/errors.sql
\ir lib/logs.sql

SELECT is((SELECT count(dlpg.ingest(log, source)) FROM (SELECT log, source FROM pg_temp.fx ORDER BY ord) AS v),
          17::bigint, '17 fixture logs ingested');

-- Synthetic benchmarks (SynthFW, fp32 training, synthetic data, 1 node unless said otherwise):
--   MixNet: m1, m2 one configuration (repeated trials); m3 the same with a processing unit,
--     m4 with an interconnect (NULL against a value, twice)
--   ScaleNet: weak scaling at replica batch 32 on 1, 2, 4 GPUs; the baseline's batch time 0.803 ms
--     is a value for which (100 * t) / t is not 100 in float8 (the old formula's rounding);
--     fp16 runs on 2 GPUs mix precision into that row
--   UnknownNet: a model whose runs have no precision, one of them no replica batch either
SELECT is((SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(
    pg_temp.bm('m1', 'MixNet', 'float32', 32, 32, 1, 10, 3200),
    pg_temp.bm('m2', 'MixNet', 'float32', 32, 32, 1, 11, 2900),
    pg_temp.bm('m3', 'MixNet', 'float32', 32, 32, 1, 12, 2700, '{"exp.device_title": "GPU-A"}'),
    pg_temp.bm('m4', 'MixNet', 'float32', 32, 32, 1, 13, 2500, '{"exp.node_nic": "EDR"}'),
    pg_temp.bm('s1', 'ScaleNet', 'float32', 32, 32, 1, 0.803, 39850.56),
    pg_temp.bm('s2', 'ScaleNet', 'float32', 32, 64, 2, 0.9, 71111.1),
    pg_temp.bm('s3', 'ScaleNet', 'float16', 32, 64, 2, 0.5, 128000),
    pg_temp.bm('s4', 'ScaleNet', 'float32', 32, 128, 4, 1.1, 116363.6),
    pg_temp.bm('u1', 'UnknownNet', 'float32', 16, 16, 1, 5, 3200) - 'exp.dtype',
    pg_temp.bm('u2', 'UnknownNet', 'float32', 16, 16, 1, 6, 2660) - 'exp.dtype' - 'exp.replica_batch' - 'exp.effective_batch'
    ))), 10::bigint, '10 synthetic benchmarks ingested');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok'), 26::bigint, '26 ok benchmarks');

-- ---------------------------------------------------------------------------
-- The oracle: a configuration is the value of each of these 18 axes (written out here, and
-- checked against dlpg.axis_defs() so that a new axis shows up)
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE ax (name text PRIMARY KEY, col text NOT NULL);
INSERT INTO ax VALUES ('data_type', 'data_type'), ('effective_batch', 'effective_batch'),
    ('framework', 'framework'), ('model', 'model'), ('num_devices', 'num_devices'), ('phase', 'phase'),
    ('precision', 'precision'), ('processing_unit', 'processing_unit'), ('replica_batch', 'replica_batch'),
    ('server', 'server'), ('software', 'software'), ('devices_per_node', 'devices_per_node'),
    ('cluster_size', 'num_nodes'), ('interconnect', 'interconnect'),
    ('scenario', 'scenario'), ('submitter', 'submitter'), ('division', 'division'), ('round', 'round');
SELECT set_eq($$SELECT name, column_name FROM dlpg.axis_defs() WHERE kind <> 'time'$$, $$SELECT name, col FROM pg_temp.ax$$,
              'a configuration: the 11 X axes, devices_per_node, cluster_size (num_nodes), interconnect, MLPerf''s scenario, submitter, division, round (not the run time)');

-- For the ok benchmarks matching cond, grouped by the key axes (each key value as its label,
-- 'unknown' for NULL): n, the number of distinct configurations (DISTINCT counts NULLs as one
-- value), and the axes other than the key ones with more than one value (NULL counting as one).
CREATE FUNCTION pg_temp.oracle(keys text[], cond text)
RETURNS TABLE (k text[], n bigint, configs bigint, mixed text[]) LANGUAGE plpgsql AS $f$
DECLARE
    kexpr text;
    klabel text;
    kcols text;
    allcols text;
    unpivot text;
BEGIN
    SELECT string_agg(format('b.%I::text', a.col), ', ' ORDER BY u.i),
           string_agg(format('coalesce(dlpg.axis_label(%L, p.k[%s]), ''unknown'')', a.name, u.i), ', ' ORDER BY u.i),
           string_agg(format('b.%I IS NOT NULL', a.col), ' AND ' ORDER BY u.i) FILTER (WHERE u.i = cardinality(keys))
      INTO kexpr, klabel, kcols
      FROM unnest(keys) WITH ORDINALITY AS u(name, i) JOIN pg_temp.ax a USING (name);
    SELECT string_agg(format('b.%I', a.col), ', ' ORDER BY a.name) INTO allcols FROM pg_temp.ax a;
    SELECT string_agg(format('(%L, b.%I::text)', a.name, a.col), ', ' ORDER BY a.name) INTO unpivot
      FROM pg_temp.ax a WHERE a.name <> ALL (keys);
    RETURN QUERY EXECUTE format($q$
        WITH b AS (SELECT * FROM dlpg.benchmarks b WHERE b.status = 'ok' AND %s AND (%s)),
        pts AS (SELECT ARRAY[%s] AS k, count(*) AS n FROM b GROUP BY 1),
        cfg AS (SELECT d.k, count(*) AS configs FROM (SELECT DISTINCT ARRAY[%s] AS k, %s FROM b) d GROUP BY 1),
        per AS (SELECT ARRAY[%s] AS k, a.name,
                       count(DISTINCT a.v) + max(CASE WHEN a.v IS NULL THEN 1 ELSE 0 END) AS nvalues
                  FROM b CROSS JOIN LATERAL (VALUES %s) AS a(name, v) GROUP BY 1, 2),
        mix AS (SELECT per.k, coalesce(array_agg(per.name ORDER BY per.name COLLATE "C")
                                       FILTER (WHERE per.nvalues > 1), '{}') AS mixed
                  FROM per GROUP BY 1)
        SELECT ARRAY[%s], p.n, c.configs, m.mixed
          FROM pts p JOIN cfg c ON c.k IS NOT DISTINCT FROM p.k JOIN mix m ON m.k IS NOT DISTINCT FROM p.k$q$,
        kcols, cond, kexpr, kexpr, allcols, kexpr, unpivot, klabel);
END $f$;

-- dlpg.series(x, 'throughput', filters, 'best', group_by) against the oracle over cond
CREATE FUNCTION pg_temp.series_check(x text, group_by text, filters jsonb, cond text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE descr text := format('series(%s, group_by %s, filters %s): n, configs, mixed = the GROUP BY',
                             x, coalesce(group_by, 'none'), filters);
BEGIN
    RETURN results_eq(
        format($q$SELECT s.series, s.x, s.n, s.configs::bigint, s.mixed
                    FROM dlpg.series(%L, 'throughput', %L, 'best', %L) s
                   ORDER BY s.series COLLATE "C", s.x COLLATE "C"$q$, x, filters, group_by),
        format($q$SELECT * FROM (SELECT CASE WHEN %L IS NULL THEN 'Throughput' ELSE o.k[1] END AS series,
                                        o.k[cardinality(o.k)] AS x, o.n, o.configs, o.mixed
                                   FROM pg_temp.oracle(%L, %L) o) q
                   ORDER BY q.series COLLATE "C", q.x COLLATE "C"$q$,
               group_by, array_remove(ARRAY[group_by, x], NULL), cond),
        descr);
END $f$;

-- ---------------------------------------------------------------------------
-- configs and mixed against the GROUP BY
-- ---------------------------------------------------------------------------
SELECT pg_temp.series_check('model', NULL, '{}', 'true');
SELECT pg_temp.series_check('model', 'precision', '{}', 'true');
SELECT pg_temp.series_check('replica_batch', 'model', '{}', 'true');
SELECT pg_temp.series_check('replica_batch', 'processing_unit', '{}', 'true');
SELECT pg_temp.series_check('precision', NULL, '{"phase": "training"}', $$b.phase = 'training'$$);
SELECT pg_temp.series_check('num_devices', 'precision', '{"model": ["ScaleNet", "MixNet"]}', $$b.model IN ('ScaleNet', 'MixNet')$$);
SELECT pg_temp.series_check('model', 'cluster_size', '{"framework": "SynthFW"}', $$b.framework = 'SynthFW'$$);
SELECT pg_temp.series_check('processing_unit', 'phase', '{}', 'true');
SELECT pg_temp.series_check('effective_batch', 'model', '{"precision": "unknown"}', 'b.precision IS NULL');
SELECT pg_temp.series_check('data_type', 'software', '{"replica_batch": [32, 64]}', 'b.replica_batch IN (32, 64)');

-- the same by hand, where the answers are known
SELECT results_eq(
    $$SELECT series, x, n, configs, mixed FROM dlpg.series('model', 'throughput', '{"model": "MixNet"}')$$,
    $$VALUES ('Throughput'::text, 'MixNet'::text, 4::bigint, 3, '{interconnect,processing_unit}'::text[])$$,
    'MixNet: 4 benchmarks, 3 configurations; a NULL processing unit and interconnect against values mix');
SELECT results_eq(
    $$SELECT series, x, n, configs, mixed FROM dlpg.series('model', 'throughput', '{"model": "MixNet"}', 'best', 'processing_unit')$$,
    $$VALUES ('GPU-A'::text, 'MixNet'::text, 1::bigint, 1, '{}'::text[]),
             ('unknown', 'MixNet', 3, 2, '{interconnect}')$$,
    'MixNet by processing unit: GPU-A one configuration; the NULL group is series unknown, 2 configurations');
SELECT results_eq(
    $$SELECT series, x, n, configs, mixed FROM dlpg.series('model', 'throughput', '{"model": "MixNet", "interconnect": "unknown"}')$$,
    $$VALUES ('Throughput'::text, 'MixNet'::text, 3::bigint, 2, '{processing_unit}'::text[])$$,
    'MixNet without an interconnect: only the processing unit mixes');
SELECT results_eq(
    $$SELECT series, x, n, configs, mixed FROM dlpg.series('model', 'throughput', '{"model": "UnknownNet"}')$$,
    $$VALUES ('Throughput'::text, 'UnknownNet'::text, 2::bigint, 2, '{effective_batch,replica_batch}'::text[])$$,
    'UnknownNet: integer axes NULL against 16 mix');
SELECT results_eq(
    $$SELECT series, x, n, configs, mixed FROM dlpg.series('model', 'throughput', '{"model": "MixNet", "interconnect": "unknown", "processing_unit": "unknown"}')$$,
    $$VALUES ('Throughput'::text, 'MixNet'::text, 2::bigint, 1, '{}'::text[])$$,
    'MixNet m1, m2: repeated trials of one configuration, configs 1, mixed {}');
SELECT results_eq(
    $$SELECT x, n, configs, mixed FROM dlpg.series('model', 'throughput', '{"model": "ResNet50"}')$$,
    $$VALUES ('ResNet50'::text, 12::bigint, 12,
              '{effective_batch,framework,phase,precision,processing_unit,replica_batch,software}'::text[])$$,
    'ResNet50 of the fixtures: 12 benchmarks, 12 configurations (issue 10: n = 7 was not trials)');
SELECT results_eq(
    $$SELECT series, x, n, configs, mixed FROM dlpg.series('replica_batch', 'batch_time', '{"processing_unit": "NVIDIA H200"}', 'avg')
       WHERE x = '64'$$,
    $$VALUES ('Batch time (ms)'::text, '64'::text, 3::bigint, 3, '{phase,precision}'::text[])$$,
    'issue 10''s batch-time example: batch 64 on the H200 averages inference fp32, training fp16 and fp32, and says so');

-- ---------------------------------------------------------------------------
-- x_value
-- ---------------------------------------------------------------------------
SELECT is_empty(format($$SELECT x, x_value FROM dlpg.series(%L) WHERE x_value IS DISTINCT FROM x::float8$$, a),
                format('x_value = x as a number on the integer axis %s', a))
  FROM unnest(ARRAY['replica_batch', 'effective_batch', 'num_devices']) AS a;
SELECT is((SELECT count(*) FROM dlpg.series('replica_batch')), 7::bigint, 'series(replica_batch): 7 points (not vacuous)');
SELECT is_empty(format($$SELECT x, x_value FROM dlpg.series(%L) WHERE x_value IS NOT NULL$$, a),
                format('x_value NULL on the axis %s', a))
  FROM unnest(ARRAY['model', 'precision', 'phase', 'data_type', 'processing_unit', 'framework', 'software']) AS a;
SELECT is(pg_typeof(x_value)::text, 'double precision', 'x_value is double precision')
  FROM dlpg.series('replica_batch') LIMIT 1;

-- ---------------------------------------------------------------------------
-- The NOTICEs (test/lib/honest_notices.sql, run above in a session of its own)
-- ---------------------------------------------------------------------------
CREATE TEMP TABLE notice_out AS
SELECT split_part(c, E'\n', 1) AS name, substr(c, length(split_part(c, E'\n', 1)) + 2) AS out
  FROM unnest(string_to_array(E'\n' || :'notices', E'\n== ')) WITH ORDINALITY AS u(c, i)
 WHERE i > 1;
CREATE FUNCTION pg_temp.notice_is(nm text, want text, descr text) RETURNS text LANGUAGE sql AS $f$
    SELECT is((SELECT out FROM pg_temp.notice_out WHERE name = nm), want, descr)
$f$;
SELECT is((SELECT string_agg(name, ',' ORDER BY name) FROM notice_out), 'end,mix model,mix model by precision,mix model fp32,mix scaling,mix two axes,no mix scaling,right values,typo far,typo in an array,typo model,typo phase,typo precision,typo scaling,unknown and numbers',
          'the notices script ran every case to its end') ;
SELECT pg_temp.notice_is('mix model', $$NOTICE:  2 of 5 points mix benchmarks that differ in devices_per_node, effective_batch, num_devices and precision
DETAIL:  Their y is one number over several configurations; the mixed column names the axes of each.
HINT:  Add filters on devices_per_node, effective_batch, num_devices and precision (dlpg.axis_values lists their values), or group by one of them.
5$$, 'points that mix: a NOTICE counting them and naming the axes (sorted, "a, b and c"), a hint to filter');
SELECT pg_temp.notice_is('mix model by precision', $$NOTICE:  1 of 7 points mix benchmarks that differ in devices_per_node, effective_batch and num_devices
DETAIL:  Their y is one number over several configurations; the mixed column names the axes of each.
HINT:  Add filters on devices_per_node, effective_batch and num_devices (dlpg.axis_values lists their values), or group by one of them.
7$$, 'grouped by precision: precision no longer named');
SELECT pg_temp.notice_is('mix model fp32', $$NOTICE:  1 of 5 points mix benchmarks that differ in devices_per_node, effective_batch and num_devices
DETAIL:  Their y is one number over several configurations; the mixed column names the axes of each.
HINT:  Add filters on devices_per_node, effective_batch and num_devices (dlpg.axis_values lists their values), or group by one of them.
5$$, 'filtered to fp32: precision no longer named');
SELECT pg_temp.notice_is('mix two axes', $$NOTICE:  2 of 2 points mix benchmarks that differ in devices_per_node, effective_batch, model and num_devices
DETAIL:  Their y is one number over several configurations; the mixed column names the axes of each.
HINT:  Add filters on devices_per_node, effective_batch, model and num_devices (dlpg.axis_values lists their values), or group by one of them.
2$$, 'x axis precision: the axes of every mixing point, each once');
SELECT pg_temp.notice_is('mix scaling', $$NOTICE:  2 of 6 rows mix benchmarks that differ in precision
DETAIL:  Their y is one number over several configurations; the mixed column names the axes of each.
HINT:  Add filters on precision (dlpg.axis_values lists their values), or group by one of them.
6$$, 'scaling_report: the same NOTICE about rows, one axis named alone');
SELECT pg_temp.notice_is('no mix scaling', '6', 'scaling_report whose rows do not mix: no NOTICE');
SELECT pg_temp.notice_is('right values', '2', 'right values (any case, a label, an array) and no mixing: no NOTICE at all');
SELECT pg_temp.notice_is('typo phase', $$NOTICE:  no benchmark has phase "trainig"
HINT:  Did you mean "training"?
0$$, 'typo "trainig": NOTICE with HINT Did you mean "training"?');
SELECT pg_temp.notice_is('typo model', $$NOTICE:  no benchmark has model "resnet10"
HINT:  Did you mean "ResNet101", "ResNet18", "ResNet50"?
0$$, 'typo of a text axis: the 3 closest values (ResNet152, 2 edits away, left out), ties in byte order');
SELECT pg_temp.notice_is('typo in an array', $$NOTICE:  no benchmark has model "ResNt50"
HINT:  Did you mean "ResNet50"?
1$$, 'in an array: only the value nobody has gets a NOTICE');
SELECT pg_temp.notice_is('typo precision', $$NOTICE:  no benchmark has precision "fp33"
HINT:  Did you mean "fp32", "fp16"?
0$$, 'typo of a vocabulary axis: its canonical values, closest first');
SELECT pg_temp.notice_is('typo far', $$NOTICE:  no benchmark has model "zzzzzzzz"
HINT:  dlpg.axis_values lists the values of model.
0$$, 'nothing close: the hint points at dlpg.axis_values');
SELECT pg_temp.notice_is('typo scaling', $$NOTICE:  no benchmark has model "VGG61"
HINT:  Did you mean "VGG16"?
0$$, 'scaling_report: the same typo NOTICE');
SELECT pg_temp.notice_is('unknown and numbers', '0',
                         '"Unknown" and a batch size nobody ran: no typo NOTICE (0 rows: no replica batch 12345)');
SELECT pg_temp.notice_is('end', '', 'nothing after the last case (no error)');

-- ---------------------------------------------------------------------------
-- Unknown is a value
-- ---------------------------------------------------------------------------
SELECT results_eq(
    $$SELECT x, n FROM dlpg.series('model', 'throughput', '{"processing_unit": "unknown"}') ORDER BY x COLLATE "C"$$,
    $$SELECT b.model, count(*) FROM dlpg.benchmarks b WHERE b.status = 'ok' AND b.processing_unit IS NULL
       GROUP BY 1 ORDER BY b.model COLLATE "C"$$,
    'text axis: {"processing_unit": "unknown"} = processing_unit IS NULL');
SELECT is((SELECT sum(n) FROM dlpg.series('model', 'throughput', '{"processing_unit": "unknown"}')), 17::numeric,
          '... 17 benchmarks, counted by hand (the 8 RTX logs, MixNet 3, ScaleNet 4, UnknownNet 2)');
SELECT is((SELECT sum(n) FROM dlpg.series('model', 'throughput', '{"processing_unit": ["UNKNOWN", "nvidia h200"]}')), 25::numeric,
          'text axis: ["UNKNOWN", "nvidia h200"] = NULL or H200 (any case): 25 of the 26');
SELECT results_eq(
    $$SELECT x, n FROM dlpg.series('model', 'throughput', '{"precision": "Unknown"}')$$,
    $$VALUES ('UnknownNet'::text, 2::bigint)$$,
    'vocabulary axis: {"precision": "Unknown"} = the 2 UnknownNet runs');
SELECT results_eq(
    $$SELECT series, n FROM dlpg.series('model', 'throughput', '{"precision": ["unknown", "fp16"], "model": ["UnknownNet", "ScaleNet"]}', 'best', 'precision')$$,
    $$VALUES ('half (FP16)'::text, 1::bigint), ('unknown', 2)$$,
    'vocabulary axis: ["unknown", "fp16"] = NULL or fp16');
SELECT results_eq(
    $$SELECT x, n FROM dlpg.series('model', 'throughput', '{"replica_batch": "unknown"}')$$,
    $$VALUES ('UnknownNet'::text, 1::bigint)$$,
    'integer axis: {"replica_batch": "unknown"} = replica_batch IS NULL');
SELECT results_eq(
    $$SELECT x, n FROM dlpg.series('model', 'throughput', '{"replica_batch": [16, "unknown"], "model": "UnknownNet"}')$$,
    $$VALUES ('UnknownNet'::text, 2::bigint)$$,
    'integer axis: [16, "unknown"] = 16 or NULL');
SELECT is_empty($$SELECT * FROM dlpg.series('replica_batch', 'throughput', '{"replica_batch": "unknown"}')$$,
                'unknown on the X axis itself: no point (benchmarks without an X value are never charted)');
SELECT results_eq(
    $$SELECT series, batch_size, num_devices, n FROM dlpg.scaling_report('weak', '{"precision": "unknown"}')$$,
    $$VALUES ('UnknownNet'::text, 16, 1, 1::bigint)$$,
    'scaling_report takes unknown too');
SELECT pg_temp.throws('unknown_obj', $$SELECT * FROM dlpg.series('model', 'throughput', '{"model": {"unknown": 1}}')$$,
                      '22023', 'an object is still no filter value');
SELECT pg_temp.throws('unknown_int_typo', $$SELECT * FROM dlpg.series('model', 'throughput', '{"replica_batch": "unknow"}')$$,
                      '22023', 'integer axis: "unknow" is not a number and not unknown: 22023');
SELECT results_eq(
    $$SELECT axis, value, label, n, rank FROM dlpg.axis_values WHERE value = 'unknown' ORDER BY axis COLLATE "C"$$,
    $$SELECT a.name, 'unknown'::text, 'unknown'::text, count(*) FILTER (WHERE to_jsonb(b) ->> a.col IS NULL),
             1 + count(DISTINCT (to_jsonb(b) ->> a.col))::int
        FROM pg_temp.ax a CROSS JOIN dlpg.benchmarks b
       WHERE b.status = 'ok'
       GROUP BY a.name, a.col
      HAVING count(*) FILTER (WHERE to_jsonb(b) ->> a.col IS NULL) > 0
       ORDER BY a.name COLLATE "C"$$,
    'axis_values: one unknown row per axis with NULLs among ok benchmarks, ranked after all values');
SELECT is((SELECT n FROM dlpg.axis_values WHERE axis = 'precision' AND value = 'unknown'), 2::bigint,
          'axis_values precision unknown: 2 (UnknownNet)');
SELECT is_empty($$SELECT a.axis FROM (SELECT DISTINCT axis FROM dlpg.axis_values) a
                   WHERE (SELECT sum(n) FROM dlpg.axis_values v WHERE v.axis = a.axis) <> 26$$,
                'axis_values: every axis counts all 26 ok benchmarks, unknown included');
SELECT is((SELECT count(*) FROM dlpg.axis_values WHERE value = 'unknown' AND axis = 'model'), 0::bigint,
          'no unknown row for an axis every benchmark has');

-- ---------------------------------------------------------------------------
-- series_name and group_by
-- ---------------------------------------------------------------------------
SELECT pg_temp.throws('name_group', $$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'best', 'precision', 'Mine')$$,
                      '22023', 'series_name with group_by: 22023');
SELECT pg_temp.says('name_group', 'series_name and group_by cannot be used together', '... saying why');
SELECT pg_temp.throws('name_group_q', $$SELECT dlpg.series_query('model', 'throughput', '{}', 'best', 'precision', 'Mine')$$,
                      '22023', 'series_query too');
SELECT pg_temp.throws('name_group_chart', $$SELECT dlpg.chart('model', 'throughput', '{}', 'best', 'precision', 'vega-lite')$$,
                      '22023', 'dlpg.chart with a format passed as 6th positional argument (series_name): 22023, not SVG');
SELECT lives_ok($$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'best', NULL, 'Mine')$$, 'series_name alone: fine');
SELECT lives_ok($$SELECT * FROM dlpg.series('model', 'throughput', '{}', 'best', 'precision', NULL)$$, 'group_by alone: fine');

-- ---------------------------------------------------------------------------
-- scaling_report: n, configs, mixed; the baseline exactly 1 and 100
-- ---------------------------------------------------------------------------
-- dlpg.scaling_report against the oracle: rows keyed by group, batch column and num_devices
CREATE FUNCTION pg_temp.scaling_check(scaling text, group_by text, filters jsonb, cond text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE batch text := CASE scaling WHEN 'weak' THEN 'replica_batch' ELSE 'effective_batch' END;
BEGIN
    RETURN results_eq(
        format($q$SELECT r.series, r.batch_size::text, r.num_devices::text, r.n, r.configs::bigint, r.mixed
                    FROM dlpg.scaling_report(%L, %L, %L) r
                   ORDER BY r.series COLLATE "C", r.batch_size, r.num_devices$q$, scaling, filters, group_by),
        format($q$SELECT o.k[1], o.k[2], o.k[3], o.n, o.configs, o.mixed
                    FROM pg_temp.oracle(%L, %L) o ORDER BY o.k[1] COLLATE "C", o.k[2]::int, o.k[3]::int$q$,
               ARRAY[group_by, batch, 'num_devices'],
               format('(%s) AND b.%I IS NOT NULL AND b.num_devices IS NOT NULL', cond, batch)),
        format('scaling_report(%s, %s, group_by %s): n, configs, mixed = the GROUP BY', scaling, filters, group_by));
END $f$;
SELECT pg_temp.scaling_check('weak', 'model', '{}', 'true');
SELECT pg_temp.scaling_check('strong', 'model', '{}', 'true');
SELECT pg_temp.scaling_check('weak', 'precision', '{"framework": "SynthFW"}', $$b.framework = 'SynthFW'$$);
SELECT pg_temp.scaling_check('strong', 'processing_unit', '{}', 'true');

SELECT results_eq(
    $$SELECT series, batch_size, num_devices, round(speedup::numeric, 9), round(efficiency::numeric, 9), n, configs, mixed
        FROM dlpg.scaling_report('weak', '{"model": "ScaleNet"}')$$,
    $$VALUES ('ScaleNet'::text, 32, 1, 1::numeric, 100::numeric, 1::bigint, 1, '{}'::text[]),
             ('ScaleNet', 32, 2, round((71111.1 + 128000) / 2 / 39850.56, 9), round(100 * (0.803 / ((0.9 + 0.5) / 2)), 9), 2, 2, '{precision}'),
             ('ScaleNet', 32, 4, round(116363.6 / 39850.56, 9), round(100 * (0.803 / 1.1), 9), 1, 1, '{}')$$,
    'weak ScaleNet: speedup and efficiency against 1 GPU, n, configs; the 2-GPU row mixes fp16 and fp32');
SELECT results_eq(
    $$SELECT batch_time, speedup, efficiency FROM dlpg.scaling_report('weak', '{"model": "ScaleNet"}') WHERE num_devices = 1$$,
    $$VALUES (0.803::float8, 1::float8, 100::float8)$$,
    'weak ScaleNet baseline (batch time 0.803 ms): speedup exactly 1, efficiency exactly 100');
SELECT isnt((100.0 * 0.803::float8) / 0.803::float8, 100::float8,
            '(100 * t) / t is not 100 for t = 0.803 in float8: the old formula would fail the test above');
SELECT is_empty($$SELECT r.* FROM unnest(ARRAY['weak', 'strong']) AS s(scaling),
                     LATERAL (SELECT r.*, min(r.num_devices) OVER (PARTITION BY r.series, r.batch_size) AS n0
                                FROM dlpg.scaling_report(s.scaling) r) r
                   WHERE r.num_devices = r.n0 AND (r.speedup <> 1 OR r.efficiency <> 100)$$,
                'every baseline row of every weak and strong report: speedup = 1 and efficiency = 100 exactly');
SELECT is((SELECT count(*) FROM dlpg.scaling_report('strong')), 16::bigint, '... strong: 16 rows (not vacuous)');

-- ---------------------------------------------------------------------------
-- Garbage to the checked decoder: dlpg.config_state's text input (hex of the wire bytes)
-- runs config_wire_decode, as the binary input and every flat state an aggregate meets do
-- ---------------------------------------------------------------------------
SELECT ok(to_regprocedure('dlpg_internal.configs_deserialize(bytea, internal)') IS NULL,
          'no deserializer of an internal state any more: the state is dlpg.config_state, checked on its way in');
-- the outcome of decoding b: 'ok' or the SQLSTATE, with the reason
CREATE FUNCTION pg_temp.decode(b bytea) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE st text; detail text;
BEGIN
    PERFORM encode(b, 'hex')::dlpg.config_state;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
    RETURN st || ': ' || detail;
END $f$;
CREATE FUNCTION pg_temp.u32(v bigint) RETURNS bytea LANGUAGE sql IMMUTABLE AS $f$
    SELECT decode(lpad(to_hex(v), 8, '0'), 'hex')
$f$;
CREATE FUNCTION pg_temp.item(b bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $f$
    SELECT pg_temp.u32(length(b)) || b
$f$;
-- a value: NULL tag, or VALUE tag, length, bytes
CREATE FUNCTION pg_temp.val(b bytea) RETURNS bytea LANGUAGE sql AS $f$
    SELECT CASE WHEN b IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || pg_temp.item(b) END
$f$;
-- a state of config_wire.h (version 2): nnames (u16), names, the first configuration (flag,
-- then its encoding), a differs flag per name, nhashes, the hashes (u64)
CREATE FUNCTION pg_temp.state(names text[], first bytea, differs int[], hashes bigint[]) RETURNS bytea LANGUAGE sql AS $f$
    SELECT '\x02'::bytea || substring(pg_temp.u32(cardinality(names)) FROM 3 FOR 2)
           || coalesce((SELECT string_agg(pg_temp.item(convert_to(n, 'UTF8')), ''::bytea ORDER BY i)
                          FROM unnest(names) WITH ORDINALITY AS u(n, i)), '')
           || CASE WHEN first IS NULL THEN '\x00'::bytea ELSE '\x01'::bytea || pg_temp.item(first) END
           || coalesce((SELECT string_agg(set_byte('\x00'::bytea, 0, d), ''::bytea ORDER BY i)
                          FROM unnest(differs) WITH ORDINALITY AS u(d, i)), '')
           || pg_temp.u32(cardinality(hashes))
           || coalesce((SELECT string_agg(int8send(h), ''::bytea ORDER BY i)
                          FROM unnest(hashes) WITH ORDINALITY AS u(h, i)), '')
$f$;
CREATE TEMP TABLE states (name text, b bytea);
INSERT INTO states VALUES
    ('empty set', pg_temp.state('{}', NULL, '{}', '{}')),
    ('two names, no configuration', pg_temp.state('{a,b}', NULL, '{0,0}', '{}')),
    ('two names, a first configuration, three hashes', pg_temp.state('{model,replica_batch}',
        pg_temp.val('ResNet50') || pg_temp.val('\x00000020'), '{0,1}', '{1,2,-3}')),
    ('one name, a NULL first value, repeated hashes', pg_temp.state('{precision}', pg_temp.val(NULL), '{1}', '{7,7,0}')),
    ('zero names, an empty first configuration', pg_temp.state('{}', ''::bytea, '{}', '{5}'));
SELECT is_empty($$SELECT name, pg_temp.decode(b) FROM states WHERE pg_temp.decode(b) <> 'ok'$$,
                'five valid states built by hand from config_wire.h decode');
SELECT is_empty($$SELECT s.name, k, pg_temp.decode(substring(s.b FROM 1 FOR k)) AS got
                    FROM states s CROSS JOIN LATERAL generate_series(0, length(s.b) - 1) AS k
                   WHERE pg_temp.decode(substring(s.b FROM 1 FOR k)) !~ '^22P03: [a-z]'$$,
                'every truncation of every valid state: 22P03 with the reason');
SELECT is_empty($$SELECT s.name, pg_temp.decode(s.b || x) FROM states s, (VALUES ('\x00'::bytea), ('\x01'), ('\x0000000000')) AS v(x)
                   WHERE pg_temp.decode(s.b || x) !~ '^22P03: '$$,
                'every valid state with bytes after its last hash: 22P03');
SELECT results_eq(
    $$SELECT pg_temp.decode(b) FROM (VALUES
        ('\x01000000000000000000'::bytea),
        ('\x020401' || '\x00'::bytea || pg_temp.u32(0)),
        ('\x020001' || pg_temp.item('a') || '\x02'::bytea || '\x00'::bytea || pg_temp.u32(0)),
        ('\x020001' || pg_temp.item('a') || '\x01'::bytea || pg_temp.item('\x02') || '\x00'::bytea || pg_temp.u32(0)),
        ('\x020001' || pg_temp.item('a') || '\x01'::bytea || pg_temp.u32(100) || '\x00'::bytea),
        ('\x020001' || pg_temp.item('a') || '\x01'::bytea || pg_temp.item('\x00') || '\x02'::bytea || pg_temp.u32(0)),
        ('\x020001' || pg_temp.item('a') || '\x01'::bytea || pg_temp.item('\x00') || '\x00'::bytea || pg_temp.u32(2) || int8send(1)),
        ('\x020001' || pg_temp.item('a') || '\x00'::bytea || '\x00'::bytea || pg_temp.u32(1) || int8send(1)),
        ('\x020001' || pg_temp.u32(4294967295) || 'a'),
        (''::bytea)) AS v(b)$$,
    $$VALUES ('22P03: unknown version'),
             ('22P03: too many names'),
             ('22P03: no first-configuration flag'),
             ('22P03: the first configuration does not hold one value per name'),
             ('22P03: the first configuration runs past the end'),
             ('22P03: a flag is neither 0 nor 1'),
             ('22P03: the hash count does not match the bytes that follow'),
             ('22P03: hashes without a first configuration'),
             ('22P03: a name runs past the end'),
             ('22P03: too short for a header')$$,
    'damaged states: version 1, 1025 names, a bad flag, a bad tag, a value past its configuration, a differs byte 2, a hash missing, hashes without a first configuration, a name past the end, nothing');
SELECT setseed(0.42);
CREATE TEMP TABLE garbage AS
SELECT i, decode(string_agg(lpad(to_hex((random() * 255)::int), 2, '0'), '' ORDER BY j), 'hex') AS b
  FROM generate_series(1, 600) AS i CROSS JOIN LATERAL generate_series(1, 1 + (i * 7) % 300) AS j
 GROUP BY i;
-- half of them look like a state: version byte 2 and a small name count
UPDATE garbage SET b = '\x0200'::bytea || set_byte(substring(b FROM 3), 0, i % 4) WHERE i % 2 = 0 AND length(b) > 3;
SELECT is_empty($$SELECT i, length(b), pg_temp.decode(b) FROM garbage WHERE pg_temp.decode(b) !~ '^(22P03: |ok$)'$$,
                '600 random byte strings of 1 to 300 bytes (half with a valid header): each 22P03 or decoded, nothing else');
SELECT is((SELECT count(*) FROM garbage WHERE pg_temp.decode(b) = 'ok'), 0::bigint, '... none of them decoded');
SELECT is((SELECT count(*) FROM dlpg.benchmarks WHERE status = 'ok'), 26::bigint, 'the backend is still there (26 ok benchmarks)');

-- ---------------------------------------------------------------------------
-- A stored value "unknown" (text, any case) is listed and charted as unknown like a missing
-- one: the filter "unknown" selects both
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(
    pg_temp.bm('k1', 'KnownNet', 'float32', 8, 8, 1, 1, 8000, '{"exp.device_title": "Unknown"}'),
    pg_temp.bm('k2', 'KnownNet', 'float32', 8, 8, 1, 2, 4000)))), 2::bigint,
    'KnownNet: one benchmark whose processing unit is the text "Unknown", one without');
SELECT results_eq(
    $$SELECT x, n, configs, mixed FROM dlpg.series('model', 'throughput', '{"processing_unit": "unknown", "model": "KnownNet"}')$$,
    $$VALUES ('KnownNet'::text, 2::bigint, 2, '{processing_unit}'::text[])$$,
    'the filter "unknown" selects NULL and the stored "Unknown" (both listed as unknown); they are 2 configurations');
SELECT results_eq(
    $$SELECT x, n FROM dlpg.series('model', 'throughput', '{"processing_unit": ["GPU-A", "UNKNOWN"], "model": ["KnownNet", "MixNet"]}')
       ORDER BY x COLLATE "C"$$,
    $$VALUES ('KnownNet'::text, 2::bigint), ('MixNet', 4)$$,
    '... also in an array with another value');

-- ---------------------------------------------------------------------------
-- Parallel plans: ~30,000 synthetic benchmarks, the same answers as a serial plan
-- ---------------------------------------------------------------------------
SELECT is((SELECT count(*) FROM dlpg.ingest_json((
    SELECT jsonb_agg(pg_temp.bm('p' || i, 'ParNet' || (i % 7), CASE WHEN i % 3 = 0 THEN 'float16' ELSE 'float32' END,
                                8 << (i % 4), (8 << (i % 4)) * (1 << (i % 3)), 1 << (i % 3), 1 + (i % 97) / 10.0, 100 + i % 1013,
                                CASE WHEN i % 5 = 0 THEN '{"exp.device_title": "GPU-P"}'::jsonb
                                     WHEN i % 11 = 0 THEN '{"exp.node_nic": "EDR"}'
                                     ELSE '{}' END))
      FROM generate_series(1, 30000) AS i))), 30000::bigint, '30,000 synthetic benchmarks ingested');
ANALYZE dlpg.benchmarks;
CREATE TEMP TABLE par (workers int, what text, series text, x text, n bigint, configs int, mixed text[], y float8);
CREATE TEMP TABLE par_plan (workers int, plan text);
SET LOCAL parallel_setup_cost = 0;
SET LOCAL parallel_tuple_cost = 0;
SET LOCAL min_parallel_table_scan_size = 0;
SET LOCAL min_parallel_index_scan_size = 0;
SET LOCAL parallel_leader_participation = off;
DO $$
DECLARE w int; r text; acc text;
BEGIN
    FOREACH w IN ARRAY ARRAY[0, 2] LOOP
        PERFORM set_config('max_parallel_workers_per_gather', w::text, true);
        acc := '';
        FOR r IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) '
                         || dlpg.series_query('replica_batch', 'throughput', '{"model": ["ParNet1", "ParNet2", "ParNet3"]}', 'median', 'model') LOOP
            acc := acc || r || E'\n';
        END LOOP;
        INSERT INTO pg_temp.par_plan VALUES (w, acc);
        INSERT INTO pg_temp.par
        SELECT w, 'series', s.series, s.x, s.n, s.configs, s.mixed, s.y
          FROM dlpg.series('replica_batch', 'throughput', '{"model": ["ParNet1", "ParNet2", "ParNet3"]}', 'median', 'model') s;
        INSERT INTO pg_temp.par
        SELECT w, 'series by model', s.series, s.x, s.n, s.configs, s.mixed, s.y
          FROM dlpg.series('model', 'throughput', '{}', 'avg') s;
        INSERT INTO pg_temp.par
        SELECT w, 'weak', r.series, r.batch_size || '/' || r.num_devices, r.n, r.configs, r.mixed, r.efficiency
          FROM dlpg.scaling_report('weak') r;
    END LOOP;
END $$;
SELECT doesnt_match((SELECT plan FROM par_plan WHERE workers = 0), 'Gather', 'max_parallel_workers_per_gather = 0: a serial plan');
SELECT matches((SELECT plan FROM par_plan WHERE workers = 2), 'Partial (Hash|Group)?Aggregate',
               'parallel settings: the series query aggregates partially (point_configs/point_mixed are parallel safe)');
SELECT matches((SELECT plan FROM par_plan WHERE workers = 2), 'Workers Launched: [1-9]', '... and workers ran it');
SELECT is((SELECT count(*) FROM par WHERE workers = 2), (SELECT count(*) FROM par WHERE workers = 0),
          'parallel: as many points and rows as serial');
SELECT ok((SELECT count(*) FROM par WHERE workers = 0 AND configs > 1) > 10,
          '... many of them over several configurations (not vacuous)');
SELECT is_empty($$SELECT * FROM (SELECT * FROM par WHERE workers = 0) s FULL JOIN (SELECT * FROM par WHERE workers = 2) p
                   USING (what, series, x)
                   WHERE p.n IS DISTINCT FROM s.n OR p.configs IS DISTINCT FROM s.configs OR p.mixed IS DISTINCT FROM s.mixed
                      OR NOT (abs(p.y - s.y) <= 1e-9 * abs(s.y))$$,
                'parallel = serial: n, configs, mixed equal, y to 1e-9');
SELECT pg_temp.series_check('replica_batch', 'model', '{"model": ["ParNet1", "ParNet2", "ParNet3"]}',
                            $$b.model IN ('ParNet1', 'ParNet2', 'ParNet3')$$);
RESET max_parallel_workers_per_gather;

SELECT * FROM finish();
ROLLBACK;
