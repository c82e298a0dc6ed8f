-- pgTAP: dlpg's JSON reader against PostgreSQL's own jsonb input, value by value.
-- For every value v on a log line "__k__=v": when v::jsonb works, parse_log must give
-- exactly that jsonb (same text output, so numeric scale and escapes too); when it
-- fails, parse_log must keep v as a JSON string.
BEGIN;
SELECT plan(6);

SELECT setseed(0.4242);

-- jsonb_in's verdict on a value: the jsonb, or NULL when it is not JSON.
CREATE FUNCTION pg_temp.jsonb_or_null(v text) RETURNS jsonb LANGUAGE plpgsql AS $f$
BEGIN
    RETURN v::jsonb;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END $f$;

-- What parse_log must give for v: jsonb_in's value, else the text as a string.
CREATE FUNCTION pg_temp.expected(v text) RETURNS jsonb LANGUAGE sql AS $f$
    SELECT coalesce(pg_temp.jsonb_or_null(v), to_jsonb(v))
$f$;

CREATE FUNCTION pg_temp.actual(v text) RETURNS jsonb LANGUAGE sql AS $f$
    SELECT dlpg.parse_log('__k__=' || v) -> 'k'
$f$;

-- Values are trimmed by the line grammar and cannot hold line breaks, so the
-- corpus keeps to values that survive a log line unchanged.
CREATE TEMP TABLE corpus (v text);
CREATE FUNCTION pg_temp.loggable(v text) RETURNS boolean LANGUAGE sql AS $f$
    SELECT v <> '' AND v !~ E'[\\n\\r]' AND v !~ E'^[ \\t\\v\\f\\x1c-\\x1f]' AND v !~ E'[ \\t\\v\\f\\x1c-\\x1f]$'
$f$;

-- 1. Hand-picked edge cases.
INSERT INTO corpus(v) VALUES
    ('0'), ('-0'), ('01'), ('-'), ('1.'), ('.5'), ('+1'), ('1e5'), ('1E+5'), ('1e-5'), ('1e'),
    ('1.5e300'), ('-12.500'), ('1e400'), ('1e-99999'), ('123abc'), ('0x10'), ('NaN'), ('inf'),
    ('-Infinity'), ('true'), ('false'), ('null'), ('True'), ('nul'), ('truex'), ('nulls'),
    ('""'), ('"a"'), ('"a'), ('a"'), ('"a"b'), ('"\""'), ('"\\"'), ('"\/"'), ('"\b\f\n\r\t"'),
    ('"\x"'), ('"\u0041"'), ('"\u00e9"'), ('"\u20AC"'), ('"\u0000"'), ('"\uD83D\uDE00"'),
    ('"\uD83D"'), ('"\uDE00"'), ('"\uD83Dx"'), ('"\uD83D\u0041"'), ('"\u12"'), ('"\u12G4"'),
    ('"é ü ß 中文"'), (E'"tab\there"'), ('[]'), ('{}'), ('[1,2,3]'), ('[1,]'), ('[,1]'), ('[1 2]'),
    ('[[[]]]'), ('[[[]]'), ('{"a":1}'), ('{"a":1,}'), ('{"a" 1}'), ('{a:1}'), ('{"a":1,"a":2}'),
    ('{"b":1,"a":{"d":[1,{"c":null}],"a":true}}'), ('{"":0}'), ('{"a":[1, 2 , 3 ] , "b" : "x"}'),
    (E'{"a":\t1}'), ('[1]x'), ('[1] [2]'), ('1 2'), ('"a" "b"'), ('{"a":1}}'), ('[1,2'),
    ('{"a"'), ('{"a":'), ('[true,false,null]'), ('[tru]'), ('{"k":"v\\"}'), ('12 monkeys'),
    ('[1e1000000]'), ('[-]'), ('[01]'), ('[1.0, 1.00, 100e-2]'), ('{"x": "\u00e9\n"}'),
    -- numeric's limits, exactly where jsonb_in puts them
    ('1e131071'), ('1e131072'), ('9.9e131071'), ('10e131070'), ('10e131071'), ('0.0001e131075'),
    ('0.0001e131076'), ('1e-16383'), ('1e-16384'), ('1.5e-16382'), ('1.5e-16383'), ('0.5e-16383'),
    ('0e999999'), ('0e2000000'), ('0e-999999'), ('0.0e-16382'), ('0.0e-16383'), ('-0e1073741822'),
    ('0e1073741823'), ('1e2147483648'), ('[0.00e-16381, 7e131071]');

-- 2. Random strings over JSON's alphabet (fixed seed).
INSERT INTO corpus(v)
SELECT string_agg((ARRAY['[', ']', '{', '}', ',', ':', '"', '\', 'u', '0', '1', '9', 'e', '.',
                         '-', '+', 'true', 'false', 'null', ' ', 'a', 'D83D', 'DE00', '00e9',
                         '"k"', '"v"', '12.5', 'E'])[1 + floor(random() * 28)::int], '')
  FROM generate_series(1, 3000) AS s(n), generate_series(1, 1 + (random() * 12)::int) AS t(i)
 GROUP BY n;

-- 3. A real hw.nvidiasmi value, and random one-character damage to it.
\set h200 `cat data/dlbs/h200/resnet50_float16_training_128.log`
CREATE TEMP TABLE real_value AS
SELECT substring(line FROM '__hw.nvidiasmi__=(.*)$') AS v
  FROM regexp_split_to_table(:'h200', E'\n') AS line
 WHERE line LIKE '__hw.nvidiasmi__=%';
INSERT INTO corpus(v) SELECT v FROM real_value;
INSERT INTO corpus(v)
SELECT overlay(r.v PLACING (ARRAY['', '"', '\', ',', '}', ']', '[', '{', 'x', ':'])[1 + floor(random() * 10)::int]
               FROM 1 + floor(random() * length(r.v))::int FOR (random() < 0.5)::int)
  FROM real_value r, generate_series(1, 500);

DELETE FROM corpus WHERE NOT pg_temp.loggable(v);

SELECT cmp_ok((SELECT count(*) FROM corpus), '>', 3000::bigint,
              'the corpus holds thousands of values');
SELECT cmp_ok((SELECT count(*) FROM corpus WHERE pg_temp.jsonb_or_null(v) IS NOT NULL), '>', 300::bigint,
              'hundreds of them are valid JSON');
SELECT cmp_ok((SELECT count(*) FROM corpus WHERE pg_temp.jsonb_or_null(v) IS NULL), '>', 300::bigint,
              'hundreds of them are not');

SELECT is_empty($$
    SELECT v, pg_temp.actual(v)::text AS dlpg, pg_temp.expected(v)::text AS postgres
      FROM corpus
     WHERE pg_temp.actual(v)::text IS DISTINCT FROM pg_temp.expected(v)::text
$$, 'every value reads as jsonb_in reads it; what jsonb_in refuses is kept as a string');

SELECT is(pg_temp.actual(v), v::jsonb, 'the real hw.nvidiasmi block reads as jsonb_in reads it')
  FROM real_value;

SELECT is(dlpg.parse_log(:'h200'),
          (SELECT jsonb_object_agg(btrim(m[1]), pg_temp.expected(btrim(m[2])) ORDER BY n)
             FROM (SELECT n, regexp_match(line, '^[ \t]*__([^=]+?)__[ \t]*=(.+)$') AS m
                     FROM regexp_split_to_table(:'h200', E'\n') WITH ORDINALITY AS l(line, n)) s
            WHERE m IS NOT NULL),
          'a whole H200 log equals its lines read one by one with jsonb_in');

SELECT * FROM finish();
ROLLBACK;
