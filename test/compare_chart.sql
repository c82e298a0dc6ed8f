-- test/compare_chart.sql: dlpg.compare_chart, dlpg.compare as a picture (SVG and Vega-Lite):
-- one bar per configuration, the change in percent, coloured by verdict.  Run from the
-- project root.
BEGIN;
SELECT plan(9);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;
\ir lib/fixtures.sql
\ir lib/errors.sql
SELECT is((SELECT count(dlpg.ingest(log, source)) FROM pg_temp.fx), 17::bigint, 'the 17 fixture logs ingest');

CREATE TEMP TABLE c AS
SELECT dlpg.compare_chart('{"precision": "fp32"}', '{"precision": "fp16"}', 'batch_time',
                          '{"processing_unit": "NVIDIA H200", "phase": "training"}') AS svg,
       dlpg.compare_chart('{"precision": "fp32"}', '{"precision": "fp16"}', 'batch_time',
                          '{"processing_unit": "NVIDIA H200", "phase": "training"}', 'vega-lite')::jsonb AS vl;
CREATE TEMP TABLE rows AS
SELECT * FROM dlpg.compare('{"precision": "fp32"}', '{"precision": "fp16"}', 'batch_time',
                           '{"processing_unit": "NVIDIA H200", "phase": "training"}');

SELECT ok(xml_is_well_formed_document((SELECT svg FROM c)), 'the SVG is a well-formed XML document');
SELECT is((SELECT count(*) FROM c, regexp_matches(c.svg, 'class="mark"', 'g')), (SELECT count(*) FROM rows),
          'one bar per configuration of dlpg.compare');
SELECT is((SELECT count(*) FROM c, regexp_matches(c.svg, 'fill="#2ca02c"><title>', 'g')),
          (SELECT count(*) FROM rows WHERE verdict = 'improved'), '... improved ones green');
SELECT is_empty($$SELECT r.change FROM rows r
                   WHERE NOT EXISTS (SELECT FROM c, jsonb_array_elements(c.vl->'data'->'values') v
                                      WHERE abs((v->>'change')::float8 - 100 * r.change) < 1e-9
                                        AND v->>'verdict' = r.verdict AND (v->>'n_baseline')::int = r.n_baseline)$$,
                'Vega-Lite: each row''s change in percent, verdict and sample counts');
SELECT ok((SELECT bool_and(v->>'config' LIKE 'Replica Batch Size: %') FROM c, jsonb_array_elements(c.vl->'data'->'values') v),
          '... each configuration named by the axes that differ among them (the batch sizes)');
SELECT is((SELECT count(*) FROM regexp_matches(dlpg.compare_chart('{"precision": "fp32"}', '{"precision": "bf16"}'),
                                                  'no configuration on both sides', 'g')), 1::bigint,
          'nothing to compare: the chart says so');
SELECT pg_temp.throws('cc-key', $$SELECT dlpg.compare_chart('{"gpu": "x"}', '{}')$$, '22023', 'dlpg.compare''s errors: a bad key');
SELECT pg_temp.throws('cc-fmt', $$SELECT dlpg.compare_chart('{"precision": "fp32"}', '{"precision": "fp16"}', format => 'png')$$,
                      '22023', 'an unknown format: 22023');

SELECT * FROM finish();
ROLLBACK;
