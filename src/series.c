/*
 * series.c
 *		The Guide's chart questions as SQL: dlpg.series_query and
 *		dlpg.scaling_query build the query that dlpg.series and
 *		dlpg.scaling_report run.
 *
 * Arguments are checked here, once, with errors that list the valid
 * choices; filters become plain predicates on the typed columns (so the
 * planner sees ordinary WHERE clauses, and parallel plans stay possible),
 * and the weak/strong scaling rule decides which batch column a batch_size
 * filter means.  The SQL names every object with its schema.
 */
#include "postgres.h"

#include <math.h>

#include "axes.h"
#include "series.h"
#include "clip.h"
#include "benchmark.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/executor.h"
#include "executor/spi.h"
#include "executor/tstoreReceiver.h"
#include "funcapi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "json_syntax.h"
#include "lib/stringinfo.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"
#include "utils/varlena.h"

/* The mixed column of dlpg.scaling_report's query. */
#define SCALING_COL_MIXED 10

PG_FUNCTION_INFO_V1(dlpg_series_query);
PG_FUNCTION_INFO_V1(dlpg_series);
PG_FUNCTION_INFO_V1(dlpg_scaling_query);
PG_FUNCTION_INFO_V1(dlpg_scaling_report);

typedef enum Scaling
{
	SCALING_NONE,
	SCALING_WEAK,
	SCALING_STRONG
} Scaling;

static const char *const methods[] = {"min", "max", "avg", "best", "median", "olympic"};

static char *
arg_cstring(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(argno));
}

static void
invalid_argument(const char *fmt_message, const char *value, const char *valid)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s \"%s\" (valid: %s)", fmt_message,
					value ? dlpg_clip_quote(value, strlen(value)) : "NULL", valid)));
}

static const AxisDef *
x_axis_arg(const char *name)
{
	const AxisDef *axis = name ? dlpg_find_axis(name) : NULL;

	if (axis == NULL || !axis->is_x_axis)
		invalid_argument("unknown x axis", name, dlpg_axis_names(true));
	return axis;
}

static const AxisDef *
group_by_arg(const char *name)
{
	const AxisDef *axis = dlpg_find_axis(name);

	if (axis == NULL || axis->kind == AXIS_TIME)
		invalid_argument("unknown group_by", name, dlpg_axis_names(false));
	return axis;
}

static const YMeasureDef *
y_axis_arg(const char *name)
{
	const YMeasureDef *y = dlpg_find_y_measure(name);

	if (y == NULL)
		invalid_argument("unknown y axis", name, dlpg_y_measure_names());
	return y;
}

/*
 * Benchmarks whose rules drop more than one run at each end in MLPerf's
 * olympic mean (mlperf_logging's result summarizer); every other drops one.
 */
static const struct
{
	const char *model;
	int			drop;
}			olympic_drops[] = {
	{"unet3d", 4},
};

/* How many runs each end of a point's olympic mean drops, per benchmark row. */
static char *
olympic_drop_sql(void)
{
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfoString(&sql, "CASE b.model");
	for (size_t i = 0; i < lengthof(olympic_drops); i++)
		appendStringInfo(&sql, " WHEN %s THEN %d", quote_literal_cstr(olympic_drops[i].model),
						 olympic_drops[i].drop);
	appendStringInfoString(&sql, " ELSE 1 END");
	return sql.data;
}

/*
 * The expression that reduces a point's trials of column with this method.
 * "olympic" is MLPerf's olympic mean of a set's runs: the failed ones come
 * in as the worst value there is (dlpg.olympic_mean drops them, or gives no
 * score when too many failed), and the score is scaled by the set's
 * scaling.json factor when it has one.
 */
static char *
aggregate_sql(const char *method, const YMeasureDef *y, const char *column)
{
	if (method && strcmp(method, "olympic") == 0)
		return psprintf("dlpg.olympic_mean(dlpg.trial_sample(CASE WHEN b.status OPERATOR(pg_catalog.=) 'ok' "
						"THEN b.%s ELSE '%sInfinity'::pg_catalog.float8 END), pg_catalog.max(%s))"
						" OPERATOR(pg_catalog.*) pg_catalog.max(COALESCE((b.params OPERATOR(pg_catalog.->>) 'scaling_factor')::pg_catalog.float8, 1))",
						column, y->lower_is_better ? "" : "-", olympic_drop_sql());
	for (size_t i = 0; method && i < lengthof(methods); i++)
		if (strcmp(methods[i], method) == 0)
			return psprintf("dlpg.trial_%s(b.%s)",
							strcmp(method, "best") != 0 ? method :
							y->lower_is_better ? "min" : "max", column);
	invalid_argument("unknown aggregation method", method, "min, max, avg, best, median, olympic");
	return NULL;
}

/* An olympic mean counts the failed runs of a set too. */
#define OK_RUNS "b.status OPERATOR(pg_catalog.=) 'ok'"
#define OK_OR_FAILED_RUNS "b.status OPERATOR(pg_catalog.=) ANY ('{ok,failed}'::pg_catalog.text[])"

static Scaling
scaling_value(const char *s)
{
	if (s && strcmp(s, "weak") == 0)
		return SCALING_WEAK;
	if (s && strcmp(s, "strong") == 0)
		return SCALING_STRONG;
	invalid_argument("invalid scaling", s, "weak, strong");
	return SCALING_NONE;
}

static void
bad_filter_value(const char *key, const char *expected, JsonbValue *v)
{
	char	   *got = dlpg_json_text(v);

	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("filter \"%s\" takes %s, or an array of them; got %s",
					dlpg_clip_quote(key, strlen(key)), expected,
					dlpg_clip_quote(got, strlen(got)))));
}

/* One scalar of a filter as text (strings and numbers only). */
static char *
filter_scalar_text(const char *key, JsonbValue *v, const char *expected)
{
	if (v->type == jbvString)
		return pnstrdup(v->val.string.val, v->val.string.len);
	if (v->type == jbvNumeric)
		return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	bad_filter_value(key, expected, v);
	return NULL;
}

/* A whole number for a numeric filter key: 128, 128.0 or "128". */
static int32
filter_int(const char *key, JsonbValue *v)
{
	char	   *s = filter_scalar_text(key, v, "whole numbers");
	double		d;

	if (!json_is_number(s, strlen(s)))
		bad_filter_value(key, "whole numbers", v);
	d = strtod(s, NULL);
	if (!(d >= PG_INT32_MIN && d <= PG_INT32_MAX) || d != floor(d))
		bad_filter_value(key, "whole numbers", v);
	return (int32) d;
}

/* "unknown" (any case): the value a missing one is listed and charted as. */
static bool
is_unknown(JsonbValue *v)
{
	return v->type == jbvString && v->val.string.len == 7 &&
		pg_strncasecmp(v->val.string.val, "unknown", 7) == 0;
}

/*
 * The scalars of one filter value (a scalar, or an array of scalars) as SQL
 * literals for the axis, comma-separated; "unknown" sets *unknown (the
 * predicate then takes NULL too) and, on a text axis, stays a literal too:
 * a stored value "unknown" is listed and charted as unknown as well.
 */
static char *
filter_literals(const char *key, const AxisDef *axis, JsonbValue *v, int *nliterals,
				bool *unknown)
{
	StringInfoData out;
	JsonbValue *items = v;
	int			count = 1;
	JsonbContainer *arr = NULL;

	initStringInfo(&out);
	if (v->type == jbvBinary)
	{
		if (!JsonContainerIsArray(v->val.binary.data))
			bad_filter_value(key, axis->kind == AXIS_INT ? "whole numbers" : "strings", v);
		arr = v->val.binary.data;
		count = JsonContainerSize(arr);
	}
	*unknown = false;
	*nliterals = 0;
	for (int i = 0; i < count; i++)
	{
		const char *sep = *nliterals ? ", " : "";

		CHECK_FOR_INTERRUPTS();
		if (arr)
			items = getIthJsonbValueFromContainer(arr, i);
		if (is_unknown(items))
		{
			*unknown = true;
			if (axis->kind == AXIS_INT)
				continue;
		}
		(*nliterals)++;
		if (axis->kind == AXIS_INT)
			appendStringInfo(&out, "%s%d", sep, filter_int(key, items));
		else
		{
			char	   *s = filter_scalar_text(key, items, "strings or numbers");

			if (axis->kind == AXIS_VOCAB)
				s = unconstify(char *, dlpg_vocab_canonical(axis, s));
			appendStringInfo(&out, "%s%s", sep, quote_literal_cstr(s));
		}
	}
	return out.data;
}

/*
 * "<predicate> AND " for one filter key of one axis.  One value is a plain
 * equality, which the planner costs and runs fastest; several are "= ANY".
 */
static void
append_predicate(StringInfo where, const char *key, const AxisDef *axis, JsonbValue *v)
{
	int			n;
	bool		unknown;
	char	   *literals = filter_literals(key, axis, v, &n, &unknown);

	if (unknown)
		appendStringInfo(where, n ? "(b.%s IS NULL OR " : "b.%s IS NULL", axis->column);
	if (n == 0)
		appendStringInfoString(where, unknown ? "" : "false");
	else if (axis->kind == AXIS_TEXT)
		appendStringInfo(where, "dlpg.ci_match(b.%s, ARRAY[%s]::pg_catalog.text[])",
						 axis->column, literals);
	else if (n == 1)
		appendStringInfo(where, "b.%s OPERATOR(pg_catalog.=) %s", axis->column, literals);
	else if (axis->kind == AXIS_INT)
		appendStringInfo(where, "b.%s OPERATOR(pg_catalog.=) ANY ('{%s}'::pg_catalog.int4[])",
						 axis->column, literals);
	else
		appendStringInfo(where, "b.%s OPERATOR(pg_catalog.=) ANY (ARRAY[%s]::pg_catalog.text[])",
						 axis->column, literals);
	if (unknown && n)
		appendStringInfoChar(where, ')');
	appendStringInfoString(where, "\n           AND ");
}

/*
 * "b.run_at >= <time> AND " for run_after, "<" for run_before: a string in
 * ISO 8601 (or anything timestamptz takes; without a zone, the session's).
 */
static void
append_time_bound(StringInfo where, const char *key, JsonbValue *v)
{
	char	   *text;

	if (v->type != jbvString)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("filter \"%s\" takes a time as a string, e.g. \"2026-11-26T21:00:00Z\"", key)));
	text = pnstrdup(v->val.string.val, v->val.string.len);
	/* checked here, so that a bad time is an error naming the filter */
	(void) DirectFunctionCall3(timestamptz_in, CStringGetDatum(text),
							   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
	appendStringInfo(where, "b.run_at OPERATOR(pg_catalog.%s) %s::pg_catalog.timestamptz\n           AND ",
					 strcmp(key, "run_after") == 0 ? ">=" : "<", quote_literal_cstr(text));
}

/*
 * The WHERE clause of a filters object (NULL: none), ending with the status
 * predicate status (OK_RUNS, or OK_OR_FAILED_RUNS for an olympic mean).
 * report_scaling is the scaling of a scaling report (its batch_size needs no
 * "scaling" key), or SCALING_NONE.
 */
static char *
filters_where(Jsonb *filters, Scaling report_scaling, const char *status)
{
	StringInfoData where;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;
	Scaling		scaling = SCALING_NONE;
	JsonbValue	batch_size;
	bool		has_batch_size = false;

	if (filters == NULL)
		return pstrdup(status);
	if (!JB_ROOT_IS_OBJECT(filters))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("filters must be a JSON object (valid keys: %s, scaling, batch_size, run_after, run_before)",
						dlpg_axis_names(false))));

	initStringInfo(&where);
	it = JsonbIteratorInit(&filters->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_KEY)
		{
			key = pnstrdup(v.val.string.val, v.val.string.len);
			continue;
		}
		if (tok != WJB_VALUE)
			continue;
		if (strcmp(key, "scaling") == 0)
		{
			if (v.type != jbvString)
				bad_filter_value(key, "\"weak\" or \"strong\"", &v);
			scaling = scaling_value(pnstrdup(v.val.string.val, v.val.string.len));
		}
		else if (strcmp(key, "batch_size") == 0)
		{
			batch_size = v;
			has_batch_size = true;
		}
		else if (strcmp(key, "run_after") == 0 || strcmp(key, "run_before") == 0)
			append_time_bound(&where, key, &v);
		else
		{
			const AxisDef *axis = dlpg_find_axis(key);

			if (axis == NULL || axis->kind == AXIS_TIME)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown filter key \"%s\" (valid: %s, scaling, batch_size, run_after, run_before)",
								dlpg_clip_quote(key, strlen(key)), dlpg_axis_names(false))));
			append_predicate(&where, key, axis, &v);
		}
	}

	if (report_scaling != SCALING_NONE)
	{
		if (scaling != SCALING_NONE && scaling != report_scaling)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("filter \"scaling\" contradicts the report's scaling (valid: %s)",
							report_scaling == SCALING_WEAK ? "weak" : "strong")));
		scaling = report_scaling;
	}
	else if (scaling != SCALING_NONE && !has_batch_size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("filter \"scaling\" needs \"batch_size\" (weak: the replica batch, strong: the effective batch)")));
	else if (scaling == SCALING_NONE && has_batch_size)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("filter \"batch_size\" needs \"scaling\" (valid: weak for the replica batch, strong for the effective batch)")));

	/* The Guide's rule: weak scaling fixes the replica batch, strong the effective one. */
	if (has_batch_size)
		append_predicate(&where, "batch_size",
						 dlpg_find_axis(scaling == SCALING_WEAK ? "replica_batch" : "effective_batch"),
						 &batch_size);
	/* last: the filters above are usually more selective */
	appendStringInfoString(&where, status);
	return where.data;
}

static char *
ascii_lower(char *s)
{
	for (char *p = s; *p; p++)
		*p = pg_tolower((unsigned char) *p);
	return s;
}

/* A query's one boolean, over SPI (connected by the caller). */
static bool
spi_bool(const char *sql)
{
	bool		isnull;

	if (SPI_execute(sql, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "SPI_execute failed on a dlpg check");
	return DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)) && !isnull;
}

/*
 * The values of an axis closest to value by edit distance (ignoring case),
 * as "\"a\", \"b\"": at most three, each at most about a third of the
 * value's length away; "" when none is that close.
 */
static char *
closest_values(const AxisDef *axis, const char *value)
{
	char	   *wanted = ascii_lower(pstrdup(value));
	int			wlen = Min(strlen(wanted), 255);
	int			max_d = Max(2, wlen / 3);
	int			best[3] = {INT_MAX, INT_MAX, INT_MAX};
	char	   *best_value[3] = {NULL, NULL, NULL};
	StringInfoData out;

	if (SPI_execute(psprintf("SELECT DISTINCT b.%s::pg_catalog.text FROM dlpg.benchmarks b "
							 "WHERE b.status OPERATOR(pg_catalog.=) 'ok' AND b.%s IS NOT NULL",
							 axis->column, axis->column), true, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed on a dlpg check");
	for (uint64 r = 0; r < SPI_processed; r++)
	{
		char	   *candidate = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1);
		char	   *lower = ascii_lower(pstrdup(candidate));
		int			d = varstr_levenshtein_less_equal(wanted, wlen, lower, Min(strlen(lower), 255),
													  1, 1, 1, max_d, true);

		CHECK_FOR_INTERRUPTS();
		if (d > max_d)
			continue;
		for (int k = 0; k < 3; k++)
			if (d < best[k] || (d == best[k] && strcmp(candidate, best_value[k]) < 0))
			{
				for (int m = 2; m > k; m--)
				{
					best[m] = best[m - 1];
					best_value[m] = best_value[m - 1];
				}
				best[k] = d;
				best_value[k] = candidate;
				break;
			}
	}
	initStringInfo(&out);
	for (int k = 0; k < 3 && best_value[k]; k++)
		appendStringInfo(&out, "%s\"%s\"", k ? ", " : "",
						 dlpg_clip_quote(best_value[k], strlen(best_value[k])));
	return out.data;
}

/*
 * A filter value that matches no ok benchmark is most often a typo: a NOTICE
 * says so, with the axis' closest values.  One EXISTS per text value, which
 * stops at the first benchmark that has it; the list of values is read only
 * for a value nobody has.  (Numbers are not checked: a batch size nobody ran
 * is not a typo.)  The LIMIT 1 changes nothing on one node; on Citus it is
 * what makes the check stop early: Citus plans an EXISTS subquery over a
 * distributed table as a subplan that first copies every matching row to the
 * coordinator (700 ms a filter for 1M benchmarks, bench/citus_bench.sh), and
 * with LIMIT 1 each shard sends at most one row (20 ms).
 */
void
dlpg_notice_unmatched_filters(Jsonb *filters)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (filters == NULL || !JB_ROOT_IS_OBJECT(filters))
		return;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	it = JsonbIteratorInit(&filters->root);
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		const AxisDef *axis;
		StringInfoData pred;
		char	   *value;
		char	   *suggestions;

		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_KEY)
			key = pnstrdup(v.val.string.val, v.val.string.len);
		if ((tok != WJB_VALUE && tok != WJB_ELEM) || v.type != jbvString || is_unknown(&v) ||
			(axis = dlpg_find_axis(key)) == NULL || axis->kind == AXIS_INT)
			continue;
		initStringInfo(&pred);
		append_predicate(&pred, key, axis, &v);
		if (spi_bool(psprintf("SELECT EXISTS (SELECT 1 FROM dlpg.benchmarks b WHERE %s"
							  "b.status OPERATOR(pg_catalog.=) 'ok' LIMIT 1)", pred.data)))
			continue;
		value = pnstrdup(v.val.string.val, v.val.string.len);
		suggestions = closest_values(axis, value);
		ereport(NOTICE,
				(errmsg("no benchmark has %s \"%s\"", axis->name, dlpg_clip_quote(value, strlen(value))),
				 suggestions[0] ? errhint("Did you mean %s?", suggestions) :
				 errhint("dlpg.axis_values lists the values of %s.", axis->name)));
	}
	SPI_finish();
}

static char *series_label_sql(const AxisDef *group, const char *grouped_column);
static void run_into_result(FunctionCallInfo fcinfo, const char *sql);

/* See series.h. */
char *
dlpg_filters_where(Jsonb *filters)
{
	return filters_where(filters, SCALING_NONE, OK_RUNS);
}

const YMeasureDef *
dlpg_y_axis_arg(const char *name)
{
	return y_axis_arg(name);
}

const AxisDef *
dlpg_group_by_arg(const char *name)
{
	return name ? group_by_arg(name) : NULL;
}

char *
dlpg_series_label_sql(const AxisDef *group, const char *grouped_column)
{
	return series_label_sql(group, grouped_column);
}

void
dlpg_run_into_result(FunctionCallInfo fcinfo, const char *sql)
{
	run_into_result(fcinfo, sql);
}

/* SQL for a group's series name: its label, or 'unknown' for NULL. */
static char *
series_label_sql(const AxisDef *group, const char *grouped_column)
{
	return psprintf("COALESCE(dlpg.axis_label(%s, %s::pg_catalog.text), 'unknown')",
					quote_literal_cstr(group->name), grouped_column);
}

/*
 * The arguments of dlpg.point_summary (configs, mixed) for a point: the names
 * (sorted) and columns of every axis but those fixed within the point
 * (the X axis, group_by, ...; NULL entries are ignored).  A configuration
 * is a value of every axis; the fixed ones are the same throughout a point.
 */
static char *
config_args(const AxisDef *fixed1, const AxisDef *fixed2, const AxisDef *fixed3)
{
	int			naxes;
	const AxisDef *const *config = dlpg_config_axes(&naxes);
	StringInfoData names,
				columns;

	initStringInfo(&names);
	initStringInfo(&columns);
	for (int i = 0; i < naxes; i++)
	{
		if (config[i] == fixed1 || config[i] == fixed2 || config[i] == fixed3)
			continue;
		appendStringInfo(&names, "%s%s", names.len ? ", " : "", quote_literal_cstr(config[i]->name));
		appendStringInfo(&columns, ", b.%s", config[i]->column);
	}
	/*
	 * Where Citus is, the values go as one record (the form it can push down
	 * to its workers: fixed argument types); elsewhere as arguments, which
	 * saves building a row per benchmark.
	 */
	if (OidIsValid(get_extension_oid("citus", true)))
		return psprintf("ARRAY[%s]::pg_catalog.text[], ROW(%s)", names.data,
						columns.len ? columns.data + 2 : "");
	return psprintf("ARRAY[%s]::pg_catalog.text[]%s", names.data, columns.data);
}

/* How values of an axis sort: numbers as numbers, text bytewise. */
static const char *
value_order(const AxisDef *axis, const char *column)
{
	return axis->kind == AXIS_INT ? column : psprintf("%s COLLATE pg_catalog.\"C\"", column);
}

/*
 * Run a query built here and send its rows straight into the function's
 * result (as PL/pgSQL's RETURN QUERY EXECUTE does, parallel plans allowed):
 * no text goes through another language and back.
 */
static void
run_into_result(FunctionCallInfo fcinfo, const char *sql)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	DestReceiver *dest;
	SPIExecuteOptions options;

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	dest = CreateDestReceiver(DestTuplestore);
	SetTuplestoreDestReceiverParams(dest, rsinfo->setResult,
									rsinfo->econtext->ecxt_per_query_memory, false,
									rsinfo->setDesc,
									gettext_noop("dlpg query does not return the function's columns"));
	memset(&options, 0, sizeof(options));
	options.read_only = true;
	options.dest = dest;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (SPI_execute_extended(sql, &options) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_extended failed on a dlpg query");
	SPI_finish();
	dest->rDestroy(dest);
}

void
dlpg_mixed_add(MixedPoints *points, Datum mixed, bool isnull)
{
	Datum	   *names;
	int			n;

	points->npoints++;
	if (isnull)
		return;
	deconstruct_array(DatumGetArrayTypeP(mixed), TEXTOID, -1, false, TYPALIGN_INT,
					  &names, NULL, &n);
	if (n > 0)
		points->nmixed++;
	for (int i = 0; i < n; i++)
	{
		char	   *name = TextDatumGetCString(names[i]);
		ListCell   *lc;
		bool		seen = false;

		foreach(lc, points->axes)
			seen = seen || strcmp(lfirst(lc), name) == 0;
		if (!seen)
			points->axes = lappend(points->axes, name);
	}
}

static int
compare_cstrings(const ListCell *a, const ListCell *b)
{
	return strcmp(lfirst(a), lfirst(b));
}

/* "precision and phase", "a, b and c" */
char *
dlpg_mixed_axes_text(const MixedPoints *points)
{
	StringInfoData s;
	List	   *axes = list_copy(points->axes);
	ListCell   *lc;

	list_sort(axes, compare_cstrings);
	initStringInfo(&s);
	foreach(lc, axes)
		appendStringInfo(&s, "%s%s",
						 foreach_current_index(lc) == 0 ? "" :
						 lnext(axes, lc) ? ", " : " and ", (char *) lfirst(lc));
	return s.data;
}

void
dlpg_mixed_notice(const MixedPoints *points, const char *what)
{
	char	   *axes;

	if (points->nmixed == 0)
		return;
	axes = dlpg_mixed_axes_text(points);
	ereport(NOTICE,
			(errmsg("%d of %d %s mix benchmarks that differ in %s",
					points->nmixed, points->npoints, what, axes),
			 errdetail("Their y is one number over several configurations; the mixed column names the axes of each."),
			 errhint("Add filters on %s (dlpg.axis_values lists their values), or group by one of them.",
					 axes)));
}

/* Read back a result's mixed column (attribute mixed_col), then rewind it. */
static void
notice_mixed_rows(FunctionCallInfo fcinfo, int mixed_col, const char *what)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TupleTableSlot *slot = MakeSingleTupleTableSlot(rsinfo->setDesc, &TTSOpsMinimalTuple);
	MixedPoints points = {0, 0, NIL};

	tuplestore_rescan(rsinfo->setResult);
	while (tuplestore_gettupleslot(rsinfo->setResult, true, false, slot))
	{
		bool		isnull;
		Datum		mixed = slot_getattr(slot, mixed_col, &isnull);

		CHECK_FOR_INTERRUPTS();
		dlpg_mixed_add(&points, mixed, isnull);
	}
	tuplestore_rescan(rsinfo->setResult);
	ExecDropSingleTupleTableSlot(slot);
	dlpg_mixed_notice(&points, what);
}

/*
 * dlpg.series_query(x_axis, y_axis, filters, agg, group_by, series_name) -> text
 */
char *
dlpg_series_sql(FunctionCallInfo fcinfo)
{
	return dlpg_series_sql_extents(fcinfo, false);
}

/*
 * The spread behind each point, for error bars: the 10th and 90th
 * percentiles of the samples of the point's benchmarks pooled (batch times
 * from batch_times_ms; throughputs effective_batch * 1000 / t), or, where
 * the benchmarks have none or the measure has no samples, the range of
 * their values.  A subquery grouped like the series' own, to join on.
 */
static char *
extents_sql(const AxisDef *x, const YMeasureDef *y, const AxisDef *group, const char *where)
{
	const char *sample = !dlpg_y_per_iteration(y) ? NULL
		: strcmp(y->name, "batch_time") == 0 ? "t.ms"
		: "b.effective_batch OPERATOR(pg_catalog.*) 1000.0::pg_catalog.float8 OPERATOR(pg_catalog./) t.ms";

	return psprintf("(SELECT %s AS grp, b.%s AS x,\n"
					"               %s AS p10, %s AS p90,\n"
					"               pg_catalog.min(b.%s) AS lo, pg_catalog.max(b.%s) AS hi\n"
					"          FROM dlpg.benchmarks b%s\n"
					"         WHERE %s\n"
					"           AND b.%s IS NOT NULL AND b.%s IS NOT NULL\n"
					"         GROUP BY 1, 2)",
					group ? psprintf("b.%s", group->column) : "NULL::pg_catalog.text",
					x->column,
					sample ? "pg_catalog.percentile_cont(0.1::pg_catalog.float8) WITHIN GROUP (ORDER BY s.v)" : "NULL::pg_catalog.float8",
					sample ? "pg_catalog.percentile_cont(0.9::pg_catalog.float8) WITHIN GROUP (ORDER BY s.v)" : "NULL::pg_catalog.float8",
					y->column, y->column,
					sample ? psprintf("\n          LEFT JOIN LATERAL (SELECT %s AS v FROM pg_catalog.unnest(b.batch_times_ms) AS t(ms)\n"
									  "                              WHERE t.ms OPERATOR(pg_catalog.>) 0 AND t.ms OPERATOR(pg_catalog.<) 'Infinity') s ON true",
									  sample) : "",
					where, x->column, y->column);
}

/*
 * dlpg.series' query; with extents, two more columns, lo and hi, for
 * dlpg.chart's error bars (the points, their order and every other column
 * unchanged).
 */
char *
dlpg_series_sql_extents(FunctionCallInfo fcinfo, bool extents)
{
	const AxisDef *x = x_axis_arg(arg_cstring(fcinfo, 0));
	const YMeasureDef *y = y_axis_arg(arg_cstring(fcinfo, 1));
	Jsonb	   *filters = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);
	const char *method = arg_cstring(fcinfo, 3);
	const char *aggregate = aggregate_sql(method, y, y->column);
	bool		olympic = method && strcmp(method, "olympic") == 0;
	char	   *group_name = arg_cstring(fcinfo, 4);
	char	   *series_name = arg_cstring(fcinfo, 5);
	const AxisDef *group = group_name ? group_by_arg(group_name) : NULL;
	char	   *where;
	char	   *configs = config_args(x, group, NULL);
	StringInfoData sql;

	if (group && series_name)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("series_name and group_by cannot be used together"),
				 errdetail("group_by names one series per value of \"%s\"; series_name names the one series of an ungrouped chart.",
						   group->name),
				 errhint("Pass one of them; with positional arguments the sixth is series_name, so name the others (format => 'vega-lite').")));
	where = filters_where(filters, SCALING_NONE, olympic ? OK_OR_FAILED_RUNS : OK_RUNS);

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT (%s)::pg_catalog.text COLLATE pg_catalog.\"C\" AS series,\n"
					 "       dlpg.axis_label(%s, g.x::pg_catalog.text) AS x,\n"
					 "       (pg_catalog.dense_rank() OVER (ORDER BY %s))::pg_catalog.int4 AS x_rank,\n"
					 "       g.y, g.n, %s AS x_value, (g.summary).configs, (g.summary).mixed%s\n"
					 "  FROM (SELECT %s AS grp, b.%s AS x, %s AS y, pg_catalog.count(*) AS n,\n"
					 "               dlpg.point_summary(%s) AS summary\n"
					 "          FROM dlpg.benchmarks b\n"
					 "         WHERE %s\n"
					 "           AND b.%s IS NOT NULL AND %s\n"
					 "         GROUP BY 1, 2) g%s\n"
					 " ORDER BY %s, 3",
					 group ? series_label_sql(group, "g.grp")
					 : quote_literal_cstr(series_name ? series_name : y->label),
					 quote_literal_cstr(x->name),
					 value_order(x, "g.x"),
					 x->kind == AXIS_INT ? "g.x::pg_catalog.float8" : "NULL::pg_catalog.float8",
					 extents ? ",\n       COALESCE(e.p10, e.lo) AS lo, COALESCE(e.p90, e.hi) AS hi" : "",
					 group ? psprintf("b.%s", group->column) : "NULL::pg_catalog.text",
					 x->column, aggregate,
					 configs,
					 where,
					 x->column,
					 olympic ? psprintf("(b.%s IS NOT NULL OR b.status OPERATOR(pg_catalog.=) 'failed')", y->column)
					 : psprintf("b.%s IS NOT NULL", y->column),
					 extents ? psprintf("\n  LEFT JOIN %s e\n    ON e.grp IS NOT DISTINCT FROM g.grp AND e.x OPERATOR(pg_catalog.=) g.x",
										extents_sql(x, y, group,
													/* error bars: the ok runs' values only */
													olympic ? filters_where(filters, SCALING_NONE, OK_RUNS) : where)) : "",
					 group ? value_order(group, "g.grp") : "1");
	return sql.data;
}

/* dlpg.series_query(x_axis, y_axis, filters, agg, group_by, series_name) -> text */
Datum
dlpg_series_query(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(dlpg_series_sql(fcinfo)));
}

/* dlpg.series(x_axis, y_axis, filters, agg, group_by, series_name) -> TABLE (...) */
Datum
dlpg_series(PG_FUNCTION_ARGS)
{
	run_into_result(fcinfo, dlpg_series_sql(fcinfo));
	dlpg_notice_unmatched_filters(PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2));
	notice_mixed_rows(fcinfo, SERIES_COL_MIXED, "points");
	return (Datum) 0;
}

/*
 * dlpg.scaling_query(scaling, filters, group_by) -> text
 *
 * DLBS's scaling reports: for each series and batch size, speedup against
 * the smallest device count N0, and efficiency: t(N0)/t(N) when the replica
 * batch is fixed (weak), t(N0)*N0/(t(N)*N) when the effective one is (strong).
 */
static char *
scaling_sql(FunctionCallInfo fcinfo)
{
	Scaling		scaling = scaling_value(arg_cstring(fcinfo, 0));
	Jsonb	   *filters = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	char	   *group_name = arg_cstring(fcinfo, 2);
	const AxisDef *group = group_name ? group_by_arg(group_name) : NULL;
	const char *batch = scaling == SCALING_WEAK ? "replica_batch" : "effective_batch";
	char	   *where = filters_where(filters, scaling, OK_RUNS);
	/* the ratio first, then the percentage: the baseline row is exactly 100 */
	const char *efficiency = scaling == SCALING_WEAK
		? "100.0 OPERATOR(pg_catalog.*) (pg_catalog.first_value(p.batch_time) OVER w"
		" OPERATOR(pg_catalog./) p.batch_time)"
		: "100.0 OPERATOR(pg_catalog.*) (pg_catalog.first_value(p.batch_time OPERATOR(pg_catalog.*) p.num_devices) OVER w"
		" OPERATOR(pg_catalog./) (p.batch_time OPERATOR(pg_catalog.*) p.num_devices))";
	char	   *configs = config_args(group, dlpg_find_axis(batch), dlpg_find_axis("num_devices"));
	StringInfoData sql;

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "SELECT p.series, p.batch_size, p.num_devices, p.batch_time, p.throughput,\n"
					 "       p.throughput OPERATOR(pg_catalog./) pg_catalog.first_value(p.throughput) OVER w AS speedup,\n"
					 "       %s AS efficiency,\n"
					 "       p.n, p.configs, p.mixed\n"
					 "  FROM (SELECT (%s)::pg_catalog.text COLLATE pg_catalog.\"C\" AS series,\n"
					 "               g.batch_size, g.num_devices, g.batch_time, g.throughput, g.n,\n"
					 "               (g.summary).configs, (g.summary).mixed\n"
					 "          FROM (SELECT %s AS grp, b.%s AS batch_size, b.num_devices,\n"
					 "                       dlpg.trial_avg(b.batch_time_ms) AS batch_time,\n"
					 "                       dlpg.trial_avg(b.throughput) AS throughput,\n"
					 "                       pg_catalog.count(*) AS n,\n"
					 "                       dlpg.point_summary(%s) AS summary\n"
					 "                  FROM dlpg.benchmarks b\n"
					 "                 WHERE %s\n"
					 "                   AND b.%s IS NOT NULL AND b.num_devices IS NOT NULL\n"
					 "                 GROUP BY 1, 2, 3) g) p\n"
					 "WINDOW w AS (PARTITION BY p.series, p.batch_size ORDER BY p.num_devices)\n"
					 " ORDER BY 1, 2, 3",
					 efficiency,
					 group ? series_label_sql(group, "g.grp") : "'all'::pg_catalog.text",
					 group ? psprintf("b.%s", group->column) : "NULL::pg_catalog.text",
					 batch, configs, where, batch);
	return sql.data;
}

/* dlpg.scaling_query(scaling, filters, group_by) -> text */
Datum
dlpg_scaling_query(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(scaling_sql(fcinfo)));
}

/* dlpg.scaling_report(scaling, filters, group_by) -> TABLE (...) */
Datum
dlpg_scaling_report(PG_FUNCTION_ARGS)
{
	run_into_result(fcinfo, scaling_sql(fcinfo));
	dlpg_notice_unmatched_filters(PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1));
	notice_mixed_rows(fcinfo, SCALING_COL_MIXED, "rows");
	return (Datum) 0;
}
