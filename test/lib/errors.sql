-- test/lib/errors.sql: run SQL that should fail, keep its error by name, test the error.  For a
-- pgTAP file to include with `\ir lib/errors.sql` inside its BEGIN ... ROLLBACK.
--
--   pg_temp.e                                 the errors by test name: SQLSTATE, message, detail,
--                                             hint (all NULL for a statement that raised nothing)
--   pg_temp.record_error(nm, sql)             run sql, record its error under nm, return the record
--   pg_temp.throws(nm, sql, code, descr)      a test: sql raises SQLSTATE code
--   pg_temp.outcome(nm, sql, allowed, descr)  a test: sql's outcome (SQLSTATE, or 'ok') is one of allowed
-- and tests of the error recorded under nm:
--   pg_temp.lists(nm, words, descr)           its message or hint names every one of words (whole words)
--   pg_temp.says(nm, pat, descr)              its message, detail or hint matches pat (case-insensitive)
--   pg_temp.msg_has / det_has / hint_has(nm, pat, descr)
--                                             its message / detail / hint matches pat (matches())
CREATE TEMP TABLE e (nm text PRIMARY KEY, st text, msg text, det text, hnt text);

-- Run sql, record its error (NULLs when it raised none) under nm.
CREATE FUNCTION pg_temp.record_error(nm text, sql text) RETURNS pg_temp.e LANGUAGE plpgsql AS $f$
DECLARE st text; msg text; det text; hnt text; r pg_temp.e;
BEGIN
    BEGIN
        EXECUTE sql;
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT,
                                det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    END;
    INSERT INTO pg_temp.e VALUES (nm, st, msg, det, hnt) RETURNING * INTO r;
    RETURN r;
END $f$;

-- Run sql, record its error, and test its SQLSTATE.
CREATE FUNCTION pg_temp.throws(nm text, sql text, code text, descr text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r pg_temp.e := pg_temp.record_error(nm, sql);
BEGIN
    IF r.st IS NOT DISTINCT FROM code THEN
        RETURN pass(descr);
    END IF;
    RETURN fail(descr) || E'\n' || diag(
        '    want SQLSTATE: ' || code || E'\n' ||
        CASE WHEN r.st IS NULL THEN '    no error was raised'
             ELSE '    got: ' || r.st || ': ' || r.msg || coalesce(E'\n    detail: ' || r.det, '') END);
END $f$;

-- Run sql, record its error; pass when the outcome (SQLSTATE, or 'ok') is one of allowed.
CREATE FUNCTION pg_temp.outcome(nm text, sql text, allowed text[], descr text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE r pg_temp.e := pg_temp.record_error(nm, sql);
BEGIN
    IF coalesce(r.st, 'ok') = ANY (allowed) THEN
        RETURN pass(descr);
    END IF;
    RETURN fail(descr) || E'\n' || diag('    got: ' || r.st || ': ' || r.msg || coalesce(E'\n    detail: ' || r.det, ''));
END $f$;

-- Does the recorded error's message or hint name every one of words (whole words)?
CREATE FUNCTION pg_temp.lists(nm text, words text[], descr text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE txt text; missing text[];
BEGIN
    SELECT coalesce(e.msg, '') || E'\n' || coalesce(e.hnt, '') INTO txt FROM pg_temp.e e WHERE e.nm = $1;
    SELECT array_agg(w) INTO missing FROM unnest(words) AS w WHERE coalesce(txt, '') !~ ('\m' || w || '\M');
    IF missing IS NULL THEN
        RETURN pass(descr);
    END IF;
    RETURN fail(descr) || E'\n' || diag('    missing: ' || array_to_string(missing, ', ') ||
                                        E'\n    message and hint: ' || coalesce(txt, '(no error)'));
END $f$;

-- Does the recorded error's message, detail or hint match pattern (a case-insensitive regex)?
CREATE FUNCTION pg_temp.says(nm text, pat text, descr text) RETURNS text LANGUAGE plpgsql AS $f$
DECLARE txt text;
BEGIN
    SELECT coalesce(e.msg, '') || E'\n' || coalesce(e.det, '') || E'\n' || coalesce(e.hnt, '')
      INTO txt FROM pg_temp.e e WHERE e.nm = $1;
    IF coalesce(txt, '') ~* pat THEN
        RETURN pass(descr);
    END IF;
    RETURN fail(descr) || E'\n' || diag('    no match for /' || pat || E'/ in:\n    ' || coalesce(txt, '(no error)'));
END $f$;

-- Does the recorded error's message / detail / hint contain pattern (a regex)?
CREATE FUNCTION pg_temp.msg_has(nm text, pat text, descr text) RETURNS text LANGUAGE sql AS $f$
    SELECT matches(coalesce((SELECT e.msg FROM pg_temp.e e WHERE e.nm = $1), '(no error)'), $2, $3)
$f$;
CREATE FUNCTION pg_temp.det_has(nm text, pat text, descr text) RETURNS text LANGUAGE sql AS $f$
    SELECT matches(coalesce((SELECT e.det FROM pg_temp.e e WHERE e.nm = $1), '(no detail)'), $2, $3)
$f$;
CREATE FUNCTION pg_temp.hint_has(nm text, pat text, descr text) RETURNS text LANGUAGE sql AS $f$
    SELECT matches(coalesce((SELECT e.hnt FROM pg_temp.e e WHERE e.nm = $1), '(no hint)'), $2, $3)
$f$;
