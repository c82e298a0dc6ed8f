-- dlpg 0.3.0 -> 0.4.0: input formats as sources (one C interface behind
-- dlpg.ingest*, dlpg.load* and dlpg-load), and what a point means (issue 10).
\echo Use "ALTER EXTENSION dlpg UPDATE TO '0.4.0'" to load this file. \quit

-- ---------------------------------------------------------------------------
-- Input formats (issue 9): every input goes through one C interface (an input
-- source, src/source.h), whichever function takes it in.  dlpg.load reads an
-- input of any format; bad input becomes rows of dlpg.rejects with its line
-- and key as data, and any other error is raised.  load_log, load_json and
-- load_input are dlpg.load with a format.
-- ---------------------------------------------------------------------------
CREATE FUNCTION dlpg.sources()
    RETURNS TABLE (name text, description text)
    AS 'MODULE_PATHNAME', 'dlpg_sources'
    LANGUAGE C IMMUTABLE PARALLEL SAFE ROWS 2;
COMMENT ON FUNCTION dlpg.sources() IS
    'The input formats dlpg reads: the format names dlpg.load takes, with what one input of each is';

CREATE FUNCTION dlpg.load(format text, input text, source text DEFAULT NULL,
                          on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    AS 'MODULE_PATHNAME', 'dlpg_load'
    LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION dlpg.load(text, text, text, text) IS
    'Ingest one input of a format of dlpg.sources(): a row per benchmark (element NULL when the benchmark is the whole input; outcome inserted, replaced, duplicate or rejected); bad input (SQLSTATE class 22 or 54, 23505 under on_conflict error) becomes rows of dlpg.rejects with line and key where known, any other error is raised';

CREATE OR REPLACE FUNCTION dlpg.load_input(input text, source text, on_conflict text, is_json boolean)
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM dlpg.load(CASE WHEN is_json THEN 'dlbs_json' ELSE 'dlbs_log' END,
                                  input, source, on_conflict) $$;
COMMENT ON FUNCTION dlpg.load_input(text, text, text, boolean) IS
    'dlpg.load of a DLBS log (is_json false) or DLBS JSON document; kept for callers of 0.2.0';

CREATE OR REPLACE FUNCTION dlpg.load_log(log text, source text, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM dlpg.load('dlbs_log', log, source, on_conflict) $$;

CREATE OR REPLACE FUNCTION dlpg.load_json(doc text, source text, on_conflict text DEFAULT 'skip')
    RETURNS TABLE (element integer, id bigint, outcome text, status text)
    LANGUAGE sql VOLATILE PARALLEL UNSAFE
    SET search_path = pg_catalog, pg_temp
    AS $$ SELECT * FROM dlpg.load('dlbs_json', doc, source, on_conflict) $$;

REVOKE ALL ON FUNCTION dlpg.load(text, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dlpg.load(text, text, text, text) TO dlpg_writer;
