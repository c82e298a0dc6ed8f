-- pgTAP: the Guide's variables are declared once, in C (src/axes.c), and everything agrees with
-- that table: the views read it (dlpg.x_axes, dlpg.y_axes), dlpg.series accepts exactly its
-- names, and the views still written out in SQL (dlpg.axes, dlpg.axis_values) cover exactly its
-- axes, so an axis added in C and forgotten there fails here.
BEGIN;
SELECT plan(13);

SELECT set_eq($$SELECT name, label, description, ord FROM dlpg.x_axes$$,
              $$SELECT name, label, description, ord FROM dlpg.axis_defs() WHERE x_axis$$,
              'dlpg.x_axes is the X axes of dlpg.axis_defs()');
SELECT is((SELECT count(*)::int FROM dlpg.axis_defs() WHERE x_axis), 11, 'the Guide''s eleven X axes');
SELECT set_eq($$SELECT name, label, unit, better FROM dlpg.y_axes$$,
              $$SELECT name, label, unit, better FROM dlpg.y_measure_defs()$$,
              'dlpg.y_axes is dlpg.y_measure_defs()');

-- every declared column exists in dlpg.benchmarks
SELECT is_empty($$SELECT column_name FROM dlpg.axis_defs()
                  UNION ALL SELECT column_name FROM dlpg.y_measure_defs()
                  EXCEPT SELECT attname::text FROM pg_attribute
                          WHERE attrelid = 'dlpg.benchmarks'::regclass AND attnum > 0 AND NOT attisdropped$$,
                'every axis and measure names a column of dlpg.benchmarks');

-- dlpg.series takes exactly the declared names
CREATE FUNCTION pg_temp.accepted(sql text) RETURNS boolean LANGUAGE plpgsql AS $f$
BEGIN
    EXECUTE sql;
    RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
END $f$;
SELECT is_empty($$SELECT name FROM dlpg.axis_defs()
                   WHERE pg_temp.accepted(format('SELECT * FROM dlpg.series(%L)', name)) IS DISTINCT FROM x_axis$$,
                'dlpg.series takes every X axis as x_axis, and no filter-only axis');
SELECT is_empty($$SELECT name FROM dlpg.axis_defs()
                   WHERE pg_temp.accepted(format('SELECT * FROM dlpg.series(%L, group_by => %L)', 'model', name))
                         IS DISTINCT FROM (kind <> 'time')$$,
                'dlpg.series takes every declared axis as group_by, but a time (run_at: a range filter)');
SELECT is_empty($$SELECT name FROM dlpg.y_measure_defs()
                   WHERE NOT pg_temp.accepted(format('SELECT * FROM dlpg.series(%L, %L)', 'model', name))$$,
                'dlpg.series takes every declared measure as y_axis');
SELECT ok(NOT pg_temp.accepted($$SELECT * FROM dlpg.series('model', 'latency')$$),
          'and no other measure');

-- the views written in SQL cover the declared axes
SELECT is_empty($$SELECT name FROM dlpg.axis_defs()
                  EXCEPT SELECT attname::text FROM pg_attribute
                          WHERE attrelid = 'dlpg.axes'::regclass AND attnum > 0$$,
                'dlpg.axes has a column for every declared axis');
SELECT is_empty($$SELECT name || '_label' FROM dlpg.axis_defs() WHERE x_axis
                  EXCEPT SELECT attname::text FROM pg_attribute
                          WHERE attrelid = 'dlpg.axes'::regclass AND attnum > 0$$,
                'and a label column for every X axis');
SELECT is_empty($$SELECT name FROM dlpg.axis_defs()
                   WHERE (strpos(pg_get_viewdef('dlpg.axis_values'::regclass), quote_literal(name)) > 0)
                         IS DISTINCT FROM (kind <> 'time')$$,
                'dlpg.axis_values lists every declared axis, but no time (it would list every run)');

-- dlpg_internal.write_axis_views() writes those two views (the update scripts call it): again, it gives
-- the same definitions; and nobody but the owner may run it
CREATE TEMP TABLE view_defs AS
SELECT v, pg_get_viewdef(v::regclass) AS def FROM (VALUES ('dlpg.axes'), ('dlpg.axis_values')) AS t(v);
SELECT dlpg_internal.write_axis_views();
SELECT is_empty($$SELECT v FROM view_defs WHERE def IS DISTINCT FROM pg_get_viewdef(v::regclass)$$,
                'dlpg_internal.write_axis_views() writes dlpg.axes and dlpg.axis_values as the install did');
SELECT ok(NOT has_function_privilege('dlpg_writer', 'dlpg_internal.write_axis_views()', 'EXECUTE'),
          'and only the extension''s owner may run it');

SELECT * FROM finish();
ROLLBACK;
