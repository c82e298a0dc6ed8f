-- pgTAP: dlpg.chart on awkward data: names that need escaping, no data, bad arguments.
BEGIN;
SELECT plan(10);

SELECT is((SELECT count(*) FROM dlpg.ingest_json(jsonb_build_array(
    jsonb_build_object('exp.id', 'chart-1', 'exp.model', 'A<B & "C"', 'exp.dtype', 'float16',
                       'exp.effective_batch', 64, 'results.time', 10, 'results.throughput', 6400),
    jsonb_build_object('exp.id', 'chart-2', 'exp.model', 'A<B & "C"', 'exp.dtype', 'float32',
                       'exp.effective_batch', 64, 'results.time', 20, 'results.throughput', 3200)))),
          2::bigint, 'two benchmarks of a model with an awkward name');

SELECT ok(xml_is_well_formed_document(dlpg.chart('model', 'throughput', '{}', 'best', 'precision')),
          'a model named A<B & "C" still gives well-formed SVG');
SELECT ok(dlpg.chart('model', 'throughput', '{}', 'best', 'precision') LIKE '%A&lt;B &amp; &quot;C&quot;%',
          'and the name is escaped in it');
SELECT is((dlpg.chart('model', 'throughput', '{}', 'best', 'precision', NULL, 'vega-lite')::jsonb
            -> 'data' -> 'values' -> 0 ->> 'x'), 'A<B & "C"',
          'the Vega-Lite spec carries the name as JSON text');
SELECT is(array_length(xpath('//*[@class="mark"]',
                             dlpg.chart('model', 'throughput', '{"phase": "nothing"}')::xml,
                             ARRAY[ARRAY['svg', 'http://www.w3.org/2000/svg']]), 1),
          NULL, 'a chart with no data has no marks');
SELECT ok(dlpg.chart('model', 'throughput', '{"phase": "nothing"}') LIKE '%no data%',
          'and says there is no data');
SELECT is(jsonb_array_length(dlpg.chart('model', 'throughput', '{"phase": "nothing"}', format => 'vega-lite')::jsonb
                              -> 'data' -> 'values'), 0,
          'an empty chart in Vega-Lite has no values');
SELECT throws_ok($$SELECT dlpg.chart('nope')$$, '22023', NULL, 'an unknown axis is refused as by dlpg.series');
SELECT throws_ok($$SELECT dlpg.chart('model', format => 'pdf')$$, '22023',
                 'unknown chart format "pdf" (valid: svg, vega-lite)', 'an unknown format lists the valid ones');
SELECT throws_ok($$SELECT dlpg.chart('model', format => NULL)$$, '22023', NULL, 'a NULL format is refused');

SELECT * FROM finish();
ROLLBACK;
