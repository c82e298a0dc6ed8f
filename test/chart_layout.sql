-- pgTAP: the layout of dlpg.chart's SVG (issue 10, item 5) on a chart too big for the old one:
-- 30 models x 25 GPUs with long names.
--   * every <text> lies inside the viewBox, and no two level texts overlap, by the width
--     estimate src/chart.c lays out with (ascii_em, repeated below: change both together);
--   * slanted X labels stay under the plot and above the X title, thinned a line apart;
--   * the legend wraps into columns, shows the first 39 entries and "+ N more" beyond 40;
--   * 20 series, 20 colours; every mark has a tooltip; the subtitle reads as the Guide does;
--   * an empty chart says so, in SVG and Vega-Lite (whose Y domain is fixed: no Vega warning).
-- test/clients/chart_render.t checks the same chart's texts with Chromium's real fonts.
BEGIN;
SELECT plan(32);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

-- 30 models x 25 GPUs, names long enough to be cut; a throughput that varies.
SELECT is((SELECT count(*) FROM dlpg.ingest_json((
    SELECT jsonb_agg(jsonb_build_object(
               'exp.id', format('layout-%s-%s', m, g),
               'exp.model_title', format('%s-%s Large Patch16 v%s', (ARRAY['VisionTransformer', 'ResNet', 'Inception',
                                         'EfficientNet', 'DenseNet', 'MobileNet'])[1 + m % 6], 10 + m, m),
               'exp.device_title', format('NVIDIA %s %s with Max-Q Design %sGB',
                                          (ARRAY['GeForce RTX', 'Tesla', 'A100-SXM4', 'H200 SXM5', 'Quadro RTX'])[1 + g % 5],
                                          1000 + 37 * g, 8 * (1 + g % 10)),
               'exp.phase', 'training', 'exp.dtype', 'float32', 'exp.effective_batch', 64, 'exp.replica_batch', 64,
               'exp.num_gpus', 1, 'results.time', 10 + (m * g) % 40, 'results.throughput', 64000.0 / (10 + (m * g) % 40)))
      FROM generate_series(1, 30) AS m, generate_series(1, 25) AS g))),
          750::bigint, '750 benchmarks: 30 models x 25 GPUs with long names');

CREATE TEMP TABLE charts AS
SELECT 'big'::text AS name, dlpg.chart('model', 'throughput', '{"phase": "training", "precision": "fp32"}',
                                       'best', 'processing_unit')::xml AS svg
UNION ALL
SELECT 'lines', dlpg.chart('replica_batch', 'throughput', '{"precision": ["fp16", "single (FP32)"]}', 'avg', 'processing_unit')::xml
UNION ALL
SELECT 'empty', dlpg.chart('model', 'throughput', '{"phase": "inference"}')::xml;

CREATE FUNCTION pg_temp.svg_nodes(name text, path text) RETURNS SETOF xml LANGUAGE sql AS $f$
    SELECT unnest(xpath(path, svg, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']])) FROM charts WHERE charts.name = $1
$f$;
CREATE FUNCTION pg_temp.svg_count(name text, path text) RETURNS int LANGUAGE sql AS $f$
    SELECT count(*)::int FROM pg_temp.svg_nodes(name, path)
$f$;
CREATE FUNCTION pg_temp.attr(e xml, a text) RETURNS text LANGUAGE sql AS $f$
    SELECT (xpath('/*/@' || a, e))[1]::text
$f$;

-- The width estimate of src/chart.c (text_width): DejaVu Sans advances of printable ASCII in
-- thousandths of an em, 1 em for control characters and wide scripts (>= U+1100), 0.7 otherwise.
CREATE FUNCTION pg_temp.text_width(t text, size float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS $f$
    SELECT coalesce(sum(CASE WHEN c BETWEEN 32 AND 126 THEN (ARRAY[
        318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,
        636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,
        1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,
        603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,
        500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,
        635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838])[c - 31]
        WHEN c < 128 OR c >= 4352 THEN 1000 ELSE 700 END), 0) * size / 1000
      FROM (SELECT ascii(ch) AS c FROM regexp_split_to_table(t, '') AS ch) AS chars
$f$;

-- Every <text> of a chart with its box: the drawn text (its own text nodes, not its <title>),
-- from x, y, dy, text-anchor, font-size, font-weight and a rotate(a cx cy) transform, ascent
-- 0.93 and descent 0.24 em (DejaVu Sans).  The box of a rotated text bounds its rotated corners.
CREATE FUNCTION pg_temp.text_boxes(chart text)
RETURNS TABLE (i int, class text, txt text, angle float8, x0 float8, y0 float8, x1 float8, y1 float8)
LANGUAGE plpgsql AS $f$
DECLARE
    e xml;
    n int := 0;
    size float8; w float8; x float8; y float8; l float8; a float8; cx float8; cy float8;
    m text[];
    cs float8[];
BEGIN
    FOR e IN SELECT * FROM pg_temp.svg_nodes(chart, '//s:text') LOOP
        n := n + 1;
        i := n;
        class := pg_temp.attr(e, 'class');
        txt := coalesce(array_to_string(xpath('/*/text()', e)::text[], ''), '');
        -- xpath gives text nodes as XML: undo its escaping
        txt := replace(replace(replace(replace(txt, '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&amp;', '&');
        size := coalesce(pg_temp.attr(e, 'font-size')::float8, 12);
        w := pg_temp.text_width(txt, size) * CASE WHEN pg_temp.attr(e, 'font-weight') = 'bold' THEN 1.12 ELSE 1 END;
        x := pg_temp.attr(e, 'x')::float8;
        y := pg_temp.attr(e, 'y')::float8 + coalesce(pg_temp.attr(e, 'dy')::float8, 0);
        l := CASE coalesce(pg_temp.attr(e, 'text-anchor'), 'start') WHEN 'start' THEN x WHEN 'middle' THEN x - w / 2 ELSE x - w END;
        m := regexp_match(coalesce(pg_temp.attr(e, 'transform'), ''), '^rotate\(([-0-9.]+) ([-0-9.]+) ([-0-9.]+)\)$');
        IF pg_temp.attr(e, 'transform') IS NOT NULL AND m IS NULL THEN
            RAISE EXCEPTION 'a transform this test does not know: %', pg_temp.attr(e, 'transform');
        END IF;
        a := coalesce(radians(m[1]::float8), 0);
        angle := coalesce(m[1]::float8, 0);
        cx := coalesce(m[2]::float8, 0);
        cy := coalesce(m[3]::float8, 0);
        -- the corners (l, y - 0.93 size), (l + w, y + 0.24 size) turned by a around (cx, cy)
        SELECT min(rx), min(ry), max(rx), max(ry) INTO x0, y0, x1, y1
          FROM (SELECT cx + (px - cx) * cos(a) - (py - cy) * sin(a) AS rx,
                       cy + (px - cx) * sin(a) + (py - cy) * cos(a) AS ry
                  FROM (VALUES (l, y - 0.93 * size), (l + w, y - 0.93 * size),
                               (l, y + 0.24 * size), (l + w, y + 0.24 * size)) AS c(px, py)) AS r;
        RETURN NEXT;
    END LOOP;
END
$f$;

CREATE TEMP TABLE boxes AS
SELECT c.name, b.* FROM charts AS c, pg_temp.text_boxes(c.name) AS b;
CREATE TEMP TABLE views AS
SELECT name, (regexp_match(pg_temp.attr(svg, 'viewBox'), '^0 0 ([0-9.]+) ([0-9.]+)$'))[1]::float8 AS width,
             (regexp_match(pg_temp.attr(svg, 'viewBox'), '^0 0 ([0-9.]+) ([0-9.]+)$'))[2]::float8 AS height
  FROM charts;
CREATE TEMP TABLE plot AS   -- the X axis line: the plot's bottom, left and right
SELECT name, pg_temp.attr(e, 'y1')::float8 AS bottom, pg_temp.attr(e, 'x1')::float8 AS left_x,
       pg_temp.attr(e, 'x2')::float8 AS right_x
  FROM charts, LATERAL pg_temp.svg_nodes(name, '//s:line[@stroke="#333"]') AS e;

-- Inside the canvas
SELECT cmp_ok((SELECT count(*)::int FROM boxes WHERE name = 'big'), '>', 60,
              'the big chart has its texts (title, ticks, 30 X labels, legend: so the checks below are not vacuous)');
SELECT is_empty($$SELECT b.name, b.class, b.txt, round(b.x0::numeric, 1), round(b.y0::numeric, 1), round(b.x1::numeric, 1),
                         round(b.y1::numeric, 1), v.width, v.height
                    FROM boxes AS b JOIN views AS v USING (name)
                   WHERE b.x0 < 0 OR b.y0 < 0 OR b.x1 > v.width OR b.y1 > v.height$$,
                'every text of every chart lies inside its viewBox');
SELECT is_empty($$SELECT a.name, a.txt, b.txt FROM boxes AS a JOIN boxes AS b ON a.name = b.name AND a.i < b.i
                   WHERE a.angle IN (0, -90) AND b.angle IN (0, -90)
                     AND a.x0 < b.x1 AND b.x0 < a.x1 AND a.y0 < b.y1 AND b.y0 < a.y1$$,
                'no two level (or vertical) texts overlap');

-- X labels
SELECT is((SELECT count(*)::int FROM boxes WHERE name = 'big' AND class = 'x-label'), 30,
          'the big chart: 30 X labels, one per model (they fit slanted)');
SELECT ok((SELECT bool_and(angle = -45) FROM boxes WHERE name = 'big' AND class = 'x-label'),
          'slanted at 45 degrees (too wide for their bands)');
SELECT is_empty($$SELECT b.txt FROM boxes AS b JOIN plot AS p USING (name)
                   WHERE b.class = 'x-label' AND b.y0 < p.bottom$$,
                'no X label reaches into the plot');
SELECT is_empty($$SELECT l.name, l.txt FROM boxes AS l JOIN boxes AS t ON l.name = t.name AND t.class = 'x-title'
                   WHERE l.class = 'x-label' AND l.y1 > t.y0$$,
                'every X label ends above the X title');
SELECT is((SELECT string_agg(t::text, '') FROM pg_temp.svg_nodes('big', '(//s:text[@class="x-label"])[1]/s:title/text()') AS t),
          'DenseNet-14 Large Patch16 v4', 'a cut X label keeps its whole text as a tooltip');
SELECT ok((SELECT bool_and(length(txt) <= 24 AND txt LIKE '%…') FROM boxes WHERE name = 'big' AND class = 'x-label'),
          'and is drawn in at most 24 characters, ending in an ellipsis');

-- The legend: 25 entries in columns below the plot, 20 colours before any repeats
SELECT is(pg_temp.svg_count('big', '//s:g[@class="legend"]/s:rect'), 25, 'the legend has an entry per GPU');
SELECT cmp_ok((SELECT count(DISTINCT pg_temp.attr(e, 'x'))::int FROM pg_temp.svg_nodes('big', '//s:g[@class="legend"]/s:rect') AS e),
              '>', 1, 'in more than one column');
SELECT ok((SELECT min(y0) FROM boxes WHERE name = 'big' AND class LIKE 'legend-%')
          > (SELECT max(y1) FROM boxes WHERE name = 'big' AND class IN ('x-label', 'x-title')),
          'below the X labels and title');
SELECT is((SELECT count(DISTINCT f)::int
             FROM (SELECT pg_temp.attr(e, 'fill') AS f FROM pg_temp.svg_nodes('big', '//s:g[@class="legend"]/s:rect') AS e LIMIT 20) AS s),
          20, 'the first 20 series have 20 different colours');
SELECT is((SELECT count(DISTINCT pg_temp.attr(e, 'fill'))::int FROM pg_temp.svg_nodes('big', '//s:rect[@class="mark"]') AS e),
          (SELECT count(DISTINCT pg_temp.attr(e, 'fill'))::int FROM pg_temp.svg_nodes('big', '//s:g[@class="legend"]/s:rect') AS e),
          'the bars use the legend''s colours');

-- Marks and their tooltips
SELECT is(pg_temp.svg_count('big', '//*[@class="mark"]'), 750, 'a mark per point');
SELECT is(pg_temp.svg_count('big', '//*[@class="mark"]/s:title'), 750, 'every mark has a tooltip');
SELECT alike((SELECT t::text FROM pg_temp.svg_nodes('big', '(//*[@class="mark"])[1]/s:title/text()') AS t),
             (SELECT format(E'%s\nModel: %s\nThroughput (samples/s): %s%%\nn: 1 benchmark', series, x, left(y::text, 4))
                FROM dlpg.series('model', 'throughput', '{"phase": "training", "precision": "fp32"}', 'best', 'processing_unit')
               LIMIT 1),
             'a tooltip says series, X, Y and n, a line each');
SELECT is(pg_temp.svg_count('lines', '//s:circle[@class="mark"]/s:title'), pg_temp.svg_count('lines', '//s:circle'),
          'line charts: every point has a tooltip');

-- Subtitles
SELECT is((SELECT t::text FROM pg_temp.svg_nodes('big', '//s:text[@class="subtitle"]/text()') AS t),
          'Phase: training · Precision: single (FP32)', 'the subtitle names the filters by the Guide''s labels');
SELECT is((SELECT t::text FROM pg_temp.svg_nodes('lines', '//s:text[@class="subtitle"]/text()') AS t),
          'Precision: half (FP16), single (FP32)', 'a list of values, canonical or labels, as labels');
SELECT is((dlpg.chart('model', filters => '{"scaling": "weak", "batch_size": [32, 64], "model": []}',
                      format => 'vega-lite')::jsonb -> 'title' -> 'subtitle' ->> 0),
          'Model: none · Scaling: weak · Batch size: 32, 64', 'scaling, batch_size and an empty list too');

-- More series than the legend holds: the first 39 and "+ N more"
SELECT is((SELECT count(*) FROM dlpg.ingest_json((
    SELECT jsonb_agg(jsonb_build_object('exp.id', 'more-' || k, 'exp.model', 'Extra ' || k, 'exp.phase', 'training',
                                        'exp.device_title', 'Extra GPU',
                                        'exp.dtype', 'float32', 'exp.effective_batch', 64, 'exp.replica_batch', 64,
                                        'exp.num_gpus', 1, 'results.time', 10, 'results.throughput', 6400))
      FROM generate_series(1, 20) AS k))),
          20::bigint, '20 more models: 50 in all');
INSERT INTO charts SELECT 'fifty', dlpg.chart('processing_unit', 'throughput', '{}', 'best', 'model')::xml;
INSERT INTO charts SELECT 'thin', dlpg.chart('model', 'throughput', '{}', 'best')::xml;
INSERT INTO boxes SELECT c.name, b.* FROM charts AS c, pg_temp.text_boxes(c.name) AS b WHERE c.name IN ('fifty', 'thin');
INSERT INTO views SELECT name, (regexp_match(pg_temp.attr(svg, 'viewBox'), '^0 0 ([0-9.]+) ([0-9.]+)$'))[1]::float8,
                         (regexp_match(pg_temp.attr(svg, 'viewBox'), '^0 0 ([0-9.]+) ([0-9.]+)$'))[2]::float8
                    FROM charts WHERE name IN ('fifty', 'thin');
SELECT is(pg_temp.svg_count('fifty', '//s:g[@class="legend"]/s:rect'), 39, '50 series: the legend shows 39');
SELECT is((SELECT t::text FROM pg_temp.svg_nodes('fifty', '//s:g[@class="legend"]/s:text[@class="more"]/text()') AS t),
          '+ 11 more', 'and "+ 11 more"');
SELECT ok(pg_temp.svg_count('thin', '//s:text[@class="x-label"]') BETWEEN 10 AND 40,
          format('50 models, one series: %s X labels drawn, thinned, not emptied',
                 pg_temp.svg_count('thin', '//s:text[@class="x-label"]')));
SELECT is_empty($$SELECT name, x, next_x FROM (
                    SELECT name, pg_temp.attr(e, 'x')::float8 AS x,
                           lead(pg_temp.attr(e, 'x')::float8) OVER (PARTITION BY name ORDER BY pg_temp.attr(e, 'x')::float8) AS next_x
                      FROM charts, LATERAL pg_temp.svg_nodes(name, '//s:text[@class="x-label" and @transform]') AS e) AS s
                   WHERE next_x - x < 15 / sin(radians(45))$$,
                'slanted X labels (the big chart, the thinned one) are a line (15 px) apart');
SELECT is_empty($$SELECT b.name, b.txt FROM boxes AS b JOIN views AS v USING (name)
                   WHERE b.name IN ('fifty', 'thin') AND (b.x0 < 0 OR b.y0 < 0 OR b.x1 > v.width OR b.y1 > v.height)$$,
                'these charts'' texts lie inside their viewBoxes too');

-- Empty charts
SELECT is((SELECT t::text FROM pg_temp.svg_nodes('empty', '//s:text[@class="empty"]/text()') AS t),
          'no data: no benchmark matched', 'an empty chart says no benchmark matched, in the plot');
SELECT is(dlpg.chart('model', 'throughput', '{"phase": "inference"}', format => 'vega-lite')::jsonb -> 'title' -> 'subtitle',
          '["Phase: inference", "no data: no benchmark matched"]'::jsonb, 'so does its Vega-Lite spec');
SELECT is(dlpg.chart('model', 'throughput', '{"phase": "inference"}', format => 'vega-lite')::jsonb #> '{encoding,y,scale,domain}',
          '[0, 1]'::jsonb, 'with a fixed Y domain (Vega warns of an infinite extent without one)');
SELECT is(dlpg.chart('model', format => 'vega-lite')::jsonb #> '{encoding,tooltip}',
          '[{"field": "series", "type": "nominal", "title": "Series"},
            {"field": "x", "type": "ordinal", "title": "Model"},
            {"field": "y", "type": "quantitative", "title": "Throughput (samples/s)"},
            {"field": "n", "type": "quantitative", "title": "n (benchmarks)"},
            {"field": "configs", "type": "quantitative", "title": "configurations"},
            {"field": "mixed", "type": "nominal", "title": "differing in"}]'::jsonb,
          'Vega-Lite tooltips: the SVG''s facts, with the same titles');

SELECT * FROM finish();
ROLLBACK;
