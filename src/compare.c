/*
 * compare.c
 *		dlpg.compare: is the candidate really faster than the baseline, or is
 *		it noise?  (issue 12, item 3)
 *
 * dlpg.compare(baseline, candidate, y_axis, filters) takes two filter
 * objects (the syntax of dlpg.series) choosing the two sides, and filters
 * for both.  Benchmarks of the two sides are compared when they agree on
 * every configuration axis (axes.h: dlpg_config_axes) except those the sides
 * name; one row per such configuration.  A side's samples in a configuration
 * are its benchmarks' per-iteration values pooled: the batch times of
 * batch_times_ms, or for throughput effective_batch * 1000 / t; a benchmark
 * without usable per-iteration times (none, or none finite and > 0) gives
 * its one value (batch_time_ms or throughput).  The row holds each side's
 * median, the change, the two-sided Mann-Whitney U test's p-value (scipy's,
 * src/core/mann_whitney.c) and a verdict.
 *
 * One query (built here, schema-qualified, as series.c builds dlpg.series')
 * returns the benchmarks of both sides with their configuration's axes,
 * ordered by one key, the axes as a row's text (ROW(...)::text, which tells
 * every configuration apart: record_out quotes what needs it and writes NULL
 * as nothing; one text key sorts several times faster than the thirteen
 * columns), then side.  Its rows stream into a DestReceiver that pools the
 * samples of one configuration at a time and computes its row when the next
 * configuration starts; the samples are then forgotten (memory: one
 * configuration's samples), and the query may run in parallel.  The rows,
 * one per configuration, are sorted by the text of config at the end.
 *
 * dlpg_internal.mann_whitney(x, y) exposes the test itself, for the tests
 * against scipy (test/compare.sql, test/lib/mannwhitney_cases.py).
 */
#include "postgres.h"

#include <math.h>

#include "axes.h"
#include "clip.h"
#include "mann_whitney.h"
#include "series.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "tcop/dest.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

PG_FUNCTION_INFO_V1(dlpg_compare);
PG_FUNCTION_INFO_V1(dlpg_mann_whitney);

/* The verdict's thresholds (LNT's: a change under 1% is noise; alpha 0.05). */
#define COMPARE_MIN_SAMPLES 3
#define COMPARE_ALPHA 0.05
#define COMPARE_MIN_CHANGE 0.01

/*
 * The columns of the query: the configuration's key, side (0 baseline, 1
 * candidate), times, value, batch, then the configuration's axes.
 */
#define Q_KEY 1
#define Q_SIDE 2
#define Q_TIMES 3
#define Q_VALUE 4
#define Q_BATCH 5
#define Q_AXES 6

/* The result's columns. */
#define R_CONFIG 0
#define R_BASELINE 1
#define R_CANDIDATE 2
#define R_CHANGE 3
#define R_P_VALUE 4
#define R_VERDICT 5
#define R_N_BASELINE 6
#define R_N_CANDIDATE 7
#define R_NCOLS 8

typedef struct Samples
{
	double	   *v;
	size_t		n;
	size_t		cap;
	int64		benchmarks;		/* how many benchmarks gave them */
} Samples;

/* A row of the result, kept until all are sorted by the text of config. */
typedef struct CompareRow
{
	char	   *config_text;
	Datum		values[R_NCOLS];
	bool		nulls[R_NCOLS];
} CompareRow;

typedef struct CompareReceiver
{
	DestReceiver pub;
	bool		per_iteration;	/* y is sampled by batch_times_ms (dlpg_y_per_iteration) */
	bool		throughput;		/* samples are effective_batch * 1000 / t */
	bool		lower_is_better;
	const AxisDef **axes;		/* the configuration's axes: query columns Q_AXES... */
	int			naxes;
	MemoryContext result_cxt;	/* the rows */
	MemoryContext group_cxt;	/* the current configuration: its key, config and samples */
	MemoryContext row_cxt;		/* one row of the query */
	char	   *key;			/* the current configuration's key, NULL before the first */
	int			key_len;
	char	   *config_json;	/* its config as JSON text */
	Samples		side[2];
	CompareRow *rows;
	int64		nrows;
	int64		rows_cap;
	int64		only_one_side[2];	/* configurations with benchmarks on one side only */
} CompareReceiver;

static void
samples_add(Samples *s, double v)
{
	if (s->n == s->cap)
	{
		size_t		cap = s->cap ? 2 * s->cap : 1024;

		s->v = s->v ? repalloc_huge(s->v, cap * sizeof(double))
			: MemoryContextAllocHuge(CurrentMemoryContext, cap * sizeof(double));
		s->cap = cap;
	}
	s->v[s->n++] = v;
}

/* A per-iteration batch time that counts: finite and positive. */
static inline bool
usable_time(double t)
{
	return isfinite(t) && t > 0;
}

/* One benchmark's samples into side s (in the group's memory). */
static void
add_benchmark(CompareReceiver *cr, Samples *s, Datum times, bool times_null,
			  Datum value, bool value_null, Datum batch, bool batch_null)
{
	bool		per_iteration = cr->per_iteration && !times_null &&
		!(cr->throughput && (batch_null || DatumGetInt32(batch) <= 0));
	double		factor = per_iteration && cr->throughput ? (double) DatumGetInt32(batch) * 1000.0 : 0;
	size_t		before = s->n;

	if (per_iteration)
	{
		MemoryContext old = MemoryContextSwitchTo(cr->row_cxt);
		ArrayType  *a = DatumGetArrayTypeP(times);
		int			n = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));
		/* ARR_DATA_PTR, without its mixed signedness */
		double	   *t = (double *) ((char *) a + (a->dataoffset != 0 ? (size_t) a->dataoffset
												  : ARR_OVERHEAD_NONULLS(ARR_NDIM(a))));
		bits8	   *nulls = ARR_NULLBITMAP(a);
		int			k = 0;			/* index among the non-null elements */

		MemoryContextSwitchTo(cr->group_cxt);
		for (int i = 0; i < n; i++)
		{
			double		v;

			if (nulls && !(nulls[i / 8] & (1 << (i % 8))))
				continue;
			v = t[k++];
			if (!usable_time(v))
				continue;
			samples_add(s, cr->throughput ? factor / v : v);
		}
		MemoryContextSwitchTo(old);
	}
	if (s->n == before && !value_null && isfinite(DatumGetFloat8(value)))
	{
		MemoryContext old = MemoryContextSwitchTo(cr->group_cxt);

		samples_add(s, DatumGetFloat8(value));
		MemoryContextSwitchTo(old);
	}
	s->benchmarks++;
}

/* The current configuration's row, if both sides have benchmarks; then forget it. */
/* mw_stop_requested: a cancel (or termination) is pending, to be raised once the core returns */
static bool
cancel_pending(void)
{
	/* not any interrupt: one CHECK_FOR_INTERRUPTS handles and returns from (a worker's message) */
	return (QueryCancelPending || ProcDiePending) && INTERRUPTS_CAN_BE_PROCESSED();
}

static void
flush_config(CompareReceiver *cr)
{
	Samples    *b = &cr->side[0];
	Samples    *c = &cr->side[1];
	MemoryContext old;

	if (cr->key == NULL)
		return;
	if (b->benchmarks == 0 || c->benchmarks == 0)
		cr->only_one_side[b->benchmarks == 0 ? 1 : 0]++;
	else
	{
		size_t		nb,
					nc;
		double		mb,
					mc;
		MwResult	res;
		double		change = 0;
		int			rc;
		bool		has_change;
		const char *verdict;
		CompareRow *row;
		Jsonb	   *config;

		old = MemoryContextSwitchTo(cr->group_cxt);
		CHECK_FOR_INTERRUPTS();
		mw_stop_requested = cancel_pending;
		nb = mw_sort(b->v, b->n);
		nc = nb == MW_STOPPED ? MW_STOPPED : mw_sort(c->v, c->n);
		CHECK_FOR_INTERRUPTS();	/* raises the cancel that stopped a sort */
		if (nb == MW_STOPPED || nc == MW_STOPPED)
		{
			/* a cancel that was not raised after all: sort again, to the end (values only permuted) */
			mw_stop_requested = NULL;
			nb = mw_sort(b->v, b->n);
			nc = mw_sort(c->v, c->n);
			mw_stop_requested = cancel_pending;
		}
		if (nb > PG_INT32_MAX || nc > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("a configuration has more than %d samples on a side", PG_INT32_MAX)));
		mb = mw_median_sorted(b->v, nb);
		mc = mw_median_sorted(c->v, nc);
		rc = mw_test_sorted(b->v, nb, c->v, nc, &res);
		CHECK_FOR_INTERRUPTS();
		if (rc == -2)
		{
			mw_stop_requested = NULL;
			rc = mw_test_sorted(b->v, nb, c->v, nc, &res);
		}
		mw_stop_requested = NULL;	/* the hook is this call's: nothing else may see it */
		if (rc != 0)
			ereport(ERROR,
					(errcode(ERRCODE_OUT_OF_MEMORY),
					 errmsg("out of memory"),
					 errdetail("The exact distribution of the Mann-Whitney U statistic for %zu and %zu samples did not fit.",
							   nb, nc)));
		has_change = nb > 0 && nc > 0 && mb != 0;
		if (has_change)
			change = (mc - mb) / mb;

		if (nb < COMPARE_MIN_SAMPLES || nc < COMPARE_MIN_SAMPLES)
			verdict = "insufficient";
		else if (res.method != MW_NONE && res.p < COMPARE_ALPHA && has_change &&
				 fabs(change) >= COMPARE_MIN_CHANGE)
			verdict = (change < 0) == cr->lower_is_better ? "improved" : "regressed";
		else
			verdict = "unchanged";

		MemoryContextSwitchTo(cr->result_cxt);
		if (cr->nrows == cr->rows_cap)
		{
			cr->rows_cap = cr->rows_cap ? 2 * cr->rows_cap : 64;
			cr->rows = cr->rows ? repalloc_huge(cr->rows, cr->rows_cap * sizeof(CompareRow))
				: MemoryContextAllocHuge(cr->result_cxt, cr->rows_cap * sizeof(CompareRow));
		}
		row = &cr->rows[cr->nrows++];
		memset(row->nulls, 0, sizeof(row->nulls));
		config = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(cr->config_json)));
		row->config_text = JsonbToCString(NULL, &config->root, VARSIZE(config));
		row->values[R_CONFIG] = JsonbPGetDatum(config);
		row->values[R_BASELINE] = Float8GetDatum(mb);
		row->nulls[R_BASELINE] = nb == 0;
		row->values[R_CANDIDATE] = Float8GetDatum(mc);
		row->nulls[R_CANDIDATE] = nc == 0;
		row->values[R_CHANGE] = Float8GetDatum(change);
		row->nulls[R_CHANGE] = !has_change;
		row->values[R_P_VALUE] = Float8GetDatum(res.p);
		row->nulls[R_P_VALUE] = res.method == MW_NONE;
		row->values[R_VERDICT] = CStringGetTextDatum(verdict);
		row->values[R_N_BASELINE] = Int32GetDatum((int32) nb);
		row->values[R_N_CANDIDATE] = Int32GetDatum((int32) nc);
		MemoryContextSwitchTo(old);
	}
	MemoryContextReset(cr->group_cxt);
	cr->key = NULL;
	memset(cr->side, 0, sizeof(cr->side));
}

/* config as JSON text: the axes' canonical values, numbers as numbers, NULL as null. */
static char *
config_json(CompareReceiver *cr, TupleTableSlot *slot)
{
	StringInfoData js;

	initStringInfo(&js);
	appendStringInfoChar(&js, '{');
	for (int i = 0; i < cr->naxes; i++)
	{
		bool		isnull;
		Datum		d = slot_getattr(slot, Q_AXES + i, &isnull);

		if (i > 0)
			appendStringInfoString(&js, ", ");
		escape_json(&js, cr->axes[i]->name);
		appendStringInfoString(&js, ": ");
		if (isnull)
			appendStringInfoString(&js, "null");
		else if (cr->axes[i]->kind == AXIS_INT)
			appendStringInfo(&js, "%d", DatumGetInt32(d));
		else
			escape_json(&js, TextDatumGetCString(d));
	}
	appendStringInfoChar(&js, '}');
	return js.data;
}

static bool
compare_receive(TupleTableSlot *slot, DestReceiver *self)
{
	CompareReceiver *cr = (CompareReceiver *) self;
	bool		isnull;
	Datum		d;
	text	   *key;
	int			side;
	Datum		times,
				value,
				batch;
	bool		times_null,
				value_null,
				batch_null;
	MemoryContext old;

	CHECK_FOR_INTERRUPTS();
	MemoryContextReset(cr->row_cxt);
	old = MemoryContextSwitchTo(cr->row_cxt);
	d = slot_getattr(slot, Q_KEY, &isnull);
	if (isnull)
		elog(ERROR, "dlpg.compare: a benchmark without a configuration");
	key = DatumGetTextPP(d);
	side = DatumGetInt32(slot_getattr(slot, Q_SIDE, &isnull));
	if (isnull || side < 0 || side > 1)
		elog(ERROR, "dlpg.compare: a benchmark on no side");
	times = slot_getattr(slot, Q_TIMES, &times_null);
	value = slot_getattr(slot, Q_VALUE, &value_null);
	batch = slot_getattr(slot, Q_BATCH, &batch_null);

	if (cr->key == NULL || (size_t) cr->key_len != VARSIZE_ANY_EXHDR(key) ||
		memcmp(cr->key, VARDATA_ANY(key), cr->key_len) != 0)
	{
		flush_config(cr);
		MemoryContextSwitchTo(cr->group_cxt);
		cr->key_len = VARSIZE_ANY_EXHDR(key);
		cr->key = palloc(cr->key_len + 1);
		memcpy(cr->key, VARDATA_ANY(key), cr->key_len);
		cr->key[cr->key_len] = '\0';
		cr->config_json = config_json(cr, slot);
		MemoryContextSwitchTo(cr->row_cxt);
	}
	add_benchmark(cr, &cr->side[side], times, times_null, value, value_null, batch, batch_null);
	MemoryContextSwitchTo(old);
	return true;
}

static void
compare_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
}

static void
compare_shutdown(DestReceiver *self)
{
}

static void
compare_destroy(DestReceiver *self)
{
}

static void
invalid_side(const char *which, const char *fmt_key)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 fmt_key ? errmsg("unknown %s key \"%s\" (valid: %s, run_after, run_before)", which,
							  dlpg_clip_quote(fmt_key, strlen(fmt_key)), dlpg_axis_names(false))
			 : errmsg("%s must be a JSON object of axis values (valid keys: %s, run_after, run_before)", which,
					  dlpg_axis_names(false)),
			 errdetail("baseline and candidate choose the two sides with filters on the configuration axes; the axes they name are what is compared.")));
}

/*
 * Check a side's filter object: an object whose keys are all axes (the
 * values are checked by dlpg_filters_where); mark the axes it names.
 */
static void
side_axes(Jsonb *side, const char *which, bool *named, const AxisDef *all, int naxes)
{
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;

	if (side == NULL || !JB_ROOT_IS_OBJECT(side))
		invalid_side(which, NULL);
	it = JsonbIteratorInit(&side->root);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *key;
		const AxisDef *axis;

		CHECK_FOR_INTERRUPTS();
		if (tok != WJB_KEY)
			continue;
		key = pnstrdup(v.val.string.val, v.val.string.len);
		/* a time window per side (before / after a change) names no configuration axis */
		if (strcmp(key, "run_after") == 0 || strcmp(key, "run_before") == 0)
			continue;
		axis = dlpg_find_axis(key);
		if (axis == NULL || axis->kind == AXIS_TIME)
			invalid_side(which, key);
		named[axis - all] = true;
	}
}

/* The query: both sides' benchmarks with their configuration, by configuration, then side. */
static char *
compare_sql(const YMeasureDef *y, const char *where_base, const char *where_cand,
			const char *where_filters, const AxisDef **axes, int naxes)
{
	StringInfoData key;
	StringInfoData columns;
	StringInfoData sql;

	initStringInfo(&key);
	initStringInfo(&columns);
	for (int i = 0; i < naxes; i++)
	{
		appendStringInfo(&key, "%sb.%s", i ? ", " : "", axes[i]->column);
		appendStringInfo(&columns, ", b.%s", axes[i]->column);
	}

	initStringInfo(&sql);
	for (int side = 0; side < 2; side++)
		appendStringInfo(&sql,
						 "%sSELECT (ROW(%s))::pg_catalog.text COLLATE pg_catalog.\"C\" AS key,\n"
						 "       %d AS side, b.batch_times_ms AS times, b.%s AS value,\n"
						 "       b.effective_batch AS batch%s\n"
						 "  FROM dlpg.benchmarks b\n"
						 " WHERE (%s)\n"
						 "   AND (%s)\n",
						 side ? "UNION ALL\n" : "",
						 key.data,
						 side, y->column, columns.data,
						 side ? where_cand : where_base, where_filters);
	appendStringInfoString(&sql, " ORDER BY 1, 2");
	return sql.data;
}

static int
compare_rows(const void *a, const void *b)
{
	return strcmp(((const CompareRow *) a)->config_text, ((const CompareRow *) b)->config_text);
}

/*
 * dlpg.compare(baseline jsonb, candidate jsonb, y_axis text, filters jsonb)
 *   -> TABLE (config jsonb, baseline float8, candidate float8, change float8,
 *             p_value float8, verdict text, n_baseline int4, n_candidate int4)
 */
Datum
dlpg_compare(PG_FUNCTION_ARGS)
{
	Jsonb	   *baseline = PG_ARGISNULL(0) ? NULL : PG_GETARG_JSONB_P(0);
	Jsonb	   *candidate = PG_ARGISNULL(1) ? NULL : PG_GETARG_JSONB_P(1);
	const YMeasureDef *y = dlpg_y_axis_arg(PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)));
	Jsonb	   *filters = PG_ARGISNULL(3) ? NULL : PG_GETARG_JSONB_P(3);
	int			naxes,
				nall;
	const AxisDef *all = dlpg_all_axes(&nall);
	const AxisDef *const *candidates = dlpg_config_axes(&naxes);
	bool	   *named = palloc0(sizeof(bool) * nall);
	const AxisDef **config_axes = palloc(sizeof(AxisDef *) * naxes);
	int			nconfig = 0;
	char	   *where_base,
			   *where_cand,
			   *where_filters;
	char	   *sql;
	CompareReceiver *cr;
	SPIExecuteOptions options;
	int			rc;

	side_axes(baseline, "baseline", named, all, nall);
	side_axes(candidate, "candidate", named, all, nall);
	where_base = dlpg_filters_where(baseline);
	where_cand = dlpg_filters_where(candidate);
	where_filters = dlpg_filters_where(filters);
	for (int i = 0; i < naxes; i++)
		if (!named[candidates[i] - all])
			config_axes[nconfig++] = candidates[i];
	sql = compare_sql(y, where_base, where_cand, where_filters, config_axes, nconfig);

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	cr = palloc0(sizeof(CompareReceiver));
	cr->pub.receiveSlot = compare_receive;
	cr->pub.rStartup = compare_startup;
	cr->pub.rShutdown = compare_shutdown;
	cr->pub.rDestroy = compare_destroy;
	cr->pub.mydest = DestTuplestore;
	cr->per_iteration = dlpg_y_per_iteration(y);
	cr->throughput = strcmp(y->name, "throughput") == 0;
	cr->lower_is_better = y->lower_is_better;
	cr->axes = config_axes;
	cr->naxes = nconfig;
	cr->result_cxt = CurrentMemoryContext;
	cr->group_cxt = AllocSetContextCreate(CurrentMemoryContext, "dlpg.compare configuration",
										  ALLOCSET_DEFAULT_SIZES);
	cr->row_cxt = AllocSetContextCreate(CurrentMemoryContext, "dlpg.compare row",
										ALLOCSET_DEFAULT_SIZES);

	memset(&options, 0, sizeof(options));
	options.read_only = true;
	options.dest = (DestReceiver *) cr;
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	rc = SPI_execute_extended(sql, &options);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_extended failed on dlpg.compare's query: %s", SPI_result_code_string(rc));
	flush_config(cr);
	SPI_finish();
	MemoryContextDelete(cr->group_cxt);
	MemoryContextDelete(cr->row_cxt);

	/* the rows, ordered by the text of config */
	if (cr->nrows > 1)
		qsort(cr->rows, cr->nrows, sizeof(CompareRow), compare_rows);
	for (int64 i = 0; i < cr->nrows; i++)
	{
		ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, cr->rows[i].values, cr->rows[i].nulls);
	}

	dlpg_notice_unmatched_filters(baseline);
	dlpg_notice_unmatched_filters(candidate);
	dlpg_notice_unmatched_filters(filters);
	if (cr->only_one_side[0] > 0 || cr->only_one_side[1] > 0)
		ereport(NOTICE,
				(errmsg("not compared: %lld configuration%s with baseline benchmarks only, %lld with candidate benchmarks only",
						(long long) cr->only_one_side[0], cr->only_one_side[0] == 1 ? "" : "s",
						(long long) cr->only_one_side[1]),
				 errdetail("A baseline and a candidate benchmark are compared when they agree on every configuration axis except those that baseline or candidate name."),
				 errhint("Filter on the axes where the sides differ (dlpg.axis_values lists their values), or name them in baseline and candidate.")));
	return (Datum) 0;
}

/*
 * dlpg_internal.mann_whitney(x float8[], y float8[], OUT u float8, OUT p float8,
 * OUT method text): the test alone (NULL and non-finite elements left out), for the
 * tests against scipy.  u is U1, the statistic of x, as scipy reports it.
 */
Datum
dlpg_mann_whitney(PG_FUNCTION_ARGS)
{
	ArrayType  *arrays[2] = {PG_GETARG_ARRAYTYPE_P(0), PG_GETARG_ARRAYTYPE_P(1)};
	double	   *v[2];
	int			n[2];
	TupleDesc	desc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	MwResult	res;

	for (int s = 0; s < 2; s++)
	{
		Datum	   *elems;
		bool	   *elem_nulls;
		int			count;

		if (ARR_NDIM(arrays[s]) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
					 errmsg("samples must be one-dimensional arrays")));
		deconstruct_array(arrays[s], FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &elems, &elem_nulls, &count);
		v[s] = palloc(sizeof(double) * (count + 1));
		n[s] = 0;
		for (int i = 0; i < count; i++)
			if (!elem_nulls[i])
				v[s][n[s]++] = DatumGetFloat8(elems[i]);
	}
	mw_stop_requested = NULL;	/* runs to the end: its inputs are arrays already in memory */
	if (mw_test(v[0], n[0], v[1], n[1], &res) != 0)
		ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "dlpg_internal.mann_whitney must return a record");
	desc = BlessTupleDesc(desc);
	values[0] = Float8GetDatum(res.u);
	values[1] = Float8GetDatum(res.p);
	nulls[0] = nulls[1] = res.method == MW_NONE;
	values[2] = CStringGetTextDatum(res.method == MW_EXACT ? "exact" :
									res.method == MW_ASYMPTOTIC ? "asymptotic" : "none");
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
