-- test/chart_error_bars.sql: dlpg.chart(..., error_bars => true): each point's spread, the
-- 10th-90th percentile of its benchmarks' pooled per-iteration samples, or the range of their
-- values where there are none; as SVG paths and as a Vega-Lite rule layer.  Run from the
-- project root.
BEGIN;
SELECT plan(10);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;
\ir lib/fixtures.sql
SELECT is((SELECT count(dlpg.ingest(log, source)) FROM pg_temp.fx), 17::bigint, 'the 17 fixture logs ingest');

-- the Vega-Lite data of a chart as rows
CREATE FUNCTION pg_temp.vl(spec text) RETURNS TABLE (series text, x text, y float8, n int, lo float8, hi float8)
LANGUAGE sql AS $f$
    SELECT v->>'series', v->>'x', (v->>'y')::float8, (v->>'n')::int, (v->>'lo')::float8, (v->>'hi')::float8
      FROM jsonb_array_elements(spec::jsonb->'data'->'values') AS v
$f$;

CREATE TEMP TABLE h200 AS
SELECT * FROM pg_temp.vl(dlpg.chart('replica_batch', 'batch_time', '{"processing_unit": "NVIDIA H200", "phase": "training"}',
                                    group_by => 'precision', format => 'vega-lite', error_bars => true));
SELECT is((SELECT count(*) FROM h200 WHERE lo IS NOT NULL AND hi IS NOT NULL), 6::bigint,
          'H200 training batch times: 6 points, each with its spread');
SELECT is_empty($$SELECT h.* FROM h200 h JOIN dlpg.benchmarks b
                     ON b.processing_unit = 'NVIDIA H200' AND b.phase = 'training' AND b.replica_batch::text = h.x
                    AND dlpg.axis_label('precision', b.precision) = h.series
                  WHERE (SELECT (h.lo, h.hi) IS DISTINCT FROM
                                (percentile_cont(0.1) WITHIN GROUP (ORDER BY t), percentile_cont(0.9) WITHIN GROUP (ORDER BY t))
                           FROM unnest(b.batch_times_ms) t)$$,
                '... lo and hi are the 10th and 90th percentiles of the benchmark''s per-iteration times');
SELECT ok((SELECT bool_and(lo <= y AND y <= hi OR abs(y - lo) < 5) FROM h200), '... around y (the mean of the times)');

SELECT is_empty($$SELECT h.* FROM pg_temp.vl(dlpg.chart('replica_batch', 'throughput', '{"processing_unit": "NVIDIA H200", "phase": "training", "precision": "fp16"}',
                                                        format => 'vega-lite', error_bars => true)) h
                    JOIN dlpg.benchmarks b ON b.processing_unit = 'NVIDIA H200' AND b.phase = 'training' AND b.precision = 'fp16'
                                          AND b.replica_batch::text = h.x
                   WHERE abs(h.lo - (SELECT percentile_cont(0.1) WITHIN GROUP (ORDER BY b.effective_batch * 1000.0 / t) FROM unnest(b.batch_times_ms) t)) > 1e-9
                      OR abs(h.hi - (SELECT percentile_cont(0.9) WITHIN GROUP (ORDER BY b.effective_batch * 1000.0 / t) FROM unnest(b.batch_times_ms) t)) > 1e-9$$,
                'throughput: the percentiles of effective_batch * 1000 / t over the same times');

-- the RTX runs have no per-iteration times: the range of the point's values
SELECT is_empty($$SELECT h.* FROM pg_temp.vl(dlpg.chart('model', 'throughput', '{"framework": "TensorFlow-nvtfcnn"}',
                                                        format => 'vega-lite', error_bars => true)) h
                   WHERE (SELECT (h.lo, h.hi) IS DISTINCT FROM (min(throughput), max(throughput)) FROM dlpg.benchmarks
                           WHERE framework = 'TensorFlow-nvtfcnn' AND status = 'ok' AND model = h.x)$$,
                'without per-iteration times: lo and hi are the smallest and largest value of the point''s benchmarks');

CREATE TEMP TABLE svg AS
SELECT dlpg.chart('replica_batch', 'batch_time', '{"processing_unit": "NVIDIA H200", "phase": "training"}',
                  group_by => 'precision', error_bars => true) AS on,
       dlpg.chart('replica_batch', 'batch_time', '{"processing_unit": "NVIDIA H200", "phase": "training"}',
                  group_by => 'precision') AS off;
SELECT is((SELECT count(*) FROM svg, regexp_matches(svg.on, 'class="error-bar"', 'g')), 6::bigint,
          'SVG: one error bar per point');
SELECT is((SELECT count(*) FROM svg, regexp_matches(svg.on, 'spread \(error bar\): ', 'g')), 6::bigint,
          '... and a tooltip line each');
SELECT is((SELECT count(*) FROM svg, regexp_matches(svg.off, 'error-bar', 'g')), 0::bigint,
          'without error_bars: none');
SELECT is((SELECT dlpg.chart('precision', format => 'vega-lite', error_bars => true)::jsonb->'layer'->1->'mark'->>'type'),
          'rule', 'Vega-Lite: the error bars are a rule layer over the marks');

SELECT * FROM finish();
ROLLBACK;
