-- pgTAP: text in charts and messages (issue 8, items 6 and 12), in this (UTF-8) database.
--   * a chart is pure ASCII whatever its text (characters above ASCII as XML character
--     references or JSON \u escapes), so its declared UTF-8 holds under any encoding;
--   * a long label is cut between characters, ends in an ellipsis and keeps its whole text
--     as a tooltip;
--   * error messages quote at most 200 bytes of user text, cut between characters.
-- The SQL_ASCII and LATIN1 databases are tested by test/clients/encoding.t.
BEGIN;
SELECT plan(14);

DELETE FROM dlpg.benchmarks;
DELETE FROM dlpg.rejects;

\ir lib/logs.sql

SELECT isnt(dlpg.ingest(pg_temp.mklog('enc-long', '__exp.model__=a' || repeat('é', 200))), NULL,
            'a benchmark whose model is ''a'' and 200 ''é''');
SELECT isnt(dlpg.ingest(pg_temp.mklog('enc-astral', E'__exp.model__=emoji \U0001F600 名前')), NULL,
            'one whose model has a character beyond the BMP and CJK');

CREATE TEMP TABLE charts AS
SELECT dlpg.chart('model', 'throughput', '{"phase": "training"}', 'best', 'model') AS svg,
       dlpg.chart('model', 'throughput', '{"phase": "training"}', 'best', 'model', NULL, 'vega-lite') AS vl;
CREATE FUNCTION pg_temp.svg_strings(path text) RETURNS SETOF text LANGUAGE sql AS $f$
    SELECT unnest(xpath(path, svg::xml, ARRAY[ARRAY['s', 'http://www.w3.org/2000/svg']]))::text FROM charts
$f$;

SELECT ok((SELECT xml_is_well_formed_document(svg) FROM charts), 'the SVG is well-formed');
SELECT ok((SELECT svg !~ '[^\x01-\x7f]' AND vl !~ '[^\x01-\x7f]' FROM charts),
          'SVG and Vega-Lite are pure ASCII: no byte of a character to cut or mis-declare');
SELECT ok((SELECT svg LIKE '<?xml version="1.0" encoding="UTF-8"?>%' FROM charts), 'the SVG declares UTF-8');

-- The legend entry: 'a', 22 'é' and an ellipsis; the whole name in its tooltip.
SELECT is((SELECT s FROM pg_temp.svg_strings('//s:g[@class="legend"]/s:text/text()') AS s WHERE s LIKE 'a%'),
          'a' || repeat('é', 22) || '…', 'the long legend entry is cut between characters, with an ellipsis');
SELECT is((SELECT s FROM pg_temp.svg_strings('//s:g[@class="legend"]/s:text/s:title/text()') AS s WHERE s LIKE 'a%'),
          'a' || repeat('é', 200), 'and its tooltip holds the whole name');
SELECT ok((SELECT bool_or(s = 'a' || repeat('é', 22) || '…')
             FROM pg_temp.svg_strings('//s:text[@class="x-label"]/text()') AS s),
          'the X label is cut the same way');
SELECT ok((SELECT bool_or(s = 'emoji 😀 名前') FROM pg_temp.svg_strings('//s:g[@class="legend"]/s:text/text()') AS s),
          'a character beyond the BMP and CJK survive as character references');
SELECT is((SELECT array_agg(e ->> 'series' ORDER BY e ->> 'series')
             FROM charts, jsonb_array_elements(vl::jsonb -> 'data' -> 'values') AS e),
          ARRAY['a' || repeat('é', 200), 'emoji 😀 名前'],
          'Vega-Lite carries the whole names (\u escapes, surrogate pairs beyond the BMP)');

-- Message quotes: at most 200 bytes, cut between characters.
CREATE FUNCTION pg_temp.message_of(q text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE
    m text;
BEGIN
    EXECUTE q;
    RETURN NULL;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS m = MESSAGE_TEXT;
    RETURN m;
END
$f$;
CREATE TEMP TABLE messages AS
SELECT w, pg_temp.message_of(q) AS m
  FROM (VALUES ('filter key', format('SELECT dlpg.series(%L, %L, %L)', 'model', 'throughput',
                                     jsonb_build_object('x' || repeat('é', 300), 1))),
               ('filter value', format('SELECT dlpg.series(%L, %L, %L)', 'model', 'throughput',
                                       jsonb_build_object('model', jsonb_build_object('k', repeat('é', 300))))),
               ('x axis', format('SELECT dlpg.series(%L)', 'x' || repeat('é', 300))),
               ('format', format('SELECT dlpg.chart(%L, format => %L)', 'model', 'x' || repeat('é', 300)))) AS c(w, q);
SELECT ok((SELECT bool_and(m IS NOT NULL) FROM messages), 'the four calls fail (so the checks below are not vacuous)');
SELECT is_empty($$SELECT w, m FROM messages WHERE m !~ 'é\.\.\.'$$,
                'each message quotes the long text shortened to "..."');
SELECT is_empty($$SELECT w, octet_length(m) FROM messages WHERE octet_length(m) > 200 + 400$$,
                'and stays short (the quote at most 200 bytes)');
SELECT is_empty($$SELECT w FROM messages
                   WHERE substring(textsend(m) FROM position('\x2e2e2e'::bytea IN textsend(m)) - 2 FOR 2) <> '\xc3a9'::bytea$$,
                'and no quote ends inside a character');

SELECT * FROM finish();
ROLLBACK;
