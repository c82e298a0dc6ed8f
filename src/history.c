/*
 * history.c
 *		What happened over time: dlpg.history lists every benchmark with a
 *		run time, dlpg.changes the ones whose value jumps against the previous
 *		results of the same configuration (a lookback z-score, as Conbench
 *		flags regressions).
 *
 * Both build SQL the way series.c does (the same filters, group_by and Y
 * measures) and run it over SPI into the result.  A configuration is the
 * value of every configuration axis of axes.c, kept as a jsonb object.
 */
#include "postgres.h"

#include <math.h>

#include "axes.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "series.h"
#include "utils/builtins.h"
#include "utils/float.h"

PG_FUNCTION_INFO_V1(dlpg_history);
PG_FUNCTION_INFO_V1(dlpg_changes);

/* jsonb_build_object('axis', b.column, ...) over every configuration axis, by name. */
static char *
config_json_sql(void)
{
	int			n;
	const AxisDef *const *config = dlpg_config_axes(&n);
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfoString(&sql, "pg_catalog.jsonb_build_object(");
	for (int i = 0; i < n; i++)
		appendStringInfo(&sql, "%s%s, b.%s", i ? ", " : "", quote_literal_cstr(config[i]->name),
						 config[i]->column);
	appendStringInfoChar(&sql, ')');
	return sql.data;
}

/*
 * The history query: one row per ok benchmark with a run time and a value,
 * (time, series, config, y, benchmark_id), ordered by time.
 */
static char *
history_sql(FunctionCallInfo fcinfo, const YMeasureDef **y_out)
{
	const YMeasureDef *y = dlpg_y_axis_arg(PG_ARGISNULL(0) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(0)));
	char	   *where = dlpg_filters_where(PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1));
	const AxisDef *group = dlpg_group_by_arg(PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)));

	*y_out = y;
	return psprintf("SELECT b.run_at AS time, (%s)::pg_catalog.text AS series, %s AS config,\n"
					"       b.%s AS y, b.id AS benchmark_id\n"
					"  FROM dlpg.benchmarks b\n"
					" WHERE %s\n"
					"   AND b.run_at IS NOT NULL AND b.%s IS NOT NULL",
					group ? dlpg_series_label_sql(group, psprintf("b.%s", group->column))
					: quote_literal_cstr(y->label),
					config_json_sql(), y->column, where, y->column);
}

/* dlpg.history(y_axis, filters, group_by) -> TABLE (time, series, config, y, benchmark_id) */
Datum
dlpg_history(PG_FUNCTION_ARGS)
{
	const YMeasureDef *y;
	char	   *sql = psprintf("%s\n ORDER BY 1, 5", history_sql(fcinfo, &y));

	dlpg_run_into_result(fcinfo, sql);
	return (Datum) 0;
}

/*
 * dlpg.changes(y_axis, filters, group_by, window, threshold)
 *		-> TABLE (time, series, config, y, benchmark_id, z, window_mean, direction)
 *
 * Each benchmark against the `window` results of its configuration before
 * it (at least 3): z = (y - mean) / sample standard deviation.  A history
 * that never varied and then moves has an infinite z.
 */
Datum
dlpg_changes(PG_FUNCTION_ARGS)
{
	const YMeasureDef *y;
	char	   *history = history_sql(fcinfo, &y);
	int32		window = PG_ARGISNULL(3) ? -1 : PG_GETARG_INT32(3);
	double		threshold = PG_ARGISNULL(4) ? -1 : PG_GETARG_FLOAT8(4);
	char	   *sql;

	if (window < 3)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window must be at least 3 (got %s)", PG_ARGISNULL(3) ? "NULL" : psprintf("%d", window)),
				 errhint("The z-score needs at least 3 earlier results of a configuration.")));
	if (!(threshold > 0) || isinf(threshold))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("threshold must be a positive number of standard deviations")));

	sql = psprintf("SELECT c.time, c.series, c.config, c.y, c.benchmark_id, c.z, c.window_mean,\n"
				   "       CASE WHEN (c.z OPERATOR(pg_catalog.>) 0) OPERATOR(pg_catalog.=) %s\n"
				   "            THEN 'worse' ELSE 'better' END AS direction\n"
				   "  FROM (SELECT w.*, CASE WHEN w.sd OPERATOR(pg_catalog.>) 0\n"
				   "                         THEN (w.y OPERATOR(pg_catalog.-) w.window_mean) OPERATOR(pg_catalog./) w.sd\n"
				   "                         WHEN w.y OPERATOR(pg_catalog.>) w.window_mean THEN 'Infinity'::pg_catalog.float8\n"
				   "                         WHEN w.y OPERATOR(pg_catalog.<) w.window_mean THEN '-Infinity'::pg_catalog.float8\n"
				   "                         ELSE 0 END AS z\n"
				   "          FROM (SELECT h.*, pg_catalog.avg(h.y) OVER prior AS window_mean,\n"
				   "                       pg_catalog.stddev_samp(h.y) OVER prior AS sd,\n"
				   "                       pg_catalog.count(h.y) OVER prior AS earlier\n"
				   "                  FROM (%s) h\n"
				   "                WINDOW prior AS (PARTITION BY h.config ORDER BY h.time, h.benchmark_id\n"
				   "                                 ROWS BETWEEN %d PRECEDING AND 1 PRECEDING)) w\n"
				   "         WHERE w.earlier OPERATOR(pg_catalog.>=) 3) c\n"
				   " WHERE pg_catalog.abs(c.z) OPERATOR(pg_catalog.>=) %s\n"
				   " ORDER BY 1, 5",
				   y->lower_is_better ? "true" : "false", history, window,
				   float8out_internal(threshold));
	dlpg_run_into_result(fcinfo, sql);
	return (Datum) 0;
}
