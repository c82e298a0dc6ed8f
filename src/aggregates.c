/*
 * aggregates.c
 *		Reducing repeated trials to one point: dlpg.trial_min, trial_max,
 *		trial_avg and trial_median.
 *
 * Their states are types of their own, not `internal`, so that a
 * distributed engine can ship them (Citus pushes a custom aggregate down to
 * its workers only when its state type is a real type with text input and
 * output; it sends each group's partial state as text):
 *
 *   dlpg.trial_state	trial_min/max/avg: count, a compensated sum (and a
 *						scaled-down one, for the rare mean of values whose
 *						sum passes DBL_MAX), min, max.  Fixed length (48
 *						bytes), native layout, updated in place by the
 *						transition function: no copy per row.
 *   dlpg.trial_values	trial_median: the same summary and every value.  A
 *						varlena whose flat form is the wire format; while
 *						an aggregate runs it is an expanded object (a
 *						growing array in a memory context of its own), so
 *						adding a value copies nothing either.
 *
 * Both have the same text and binary forms: the checked format of
 * core/trial_wire.h (big-endian, versioned), in hex as text.  Every way in
 * (text, binary, a flat value read back) goes through trial_wire_decode,
 * which the fuzzer checks: garbage is an error, never a state.
 */
#include "postgres.h"

#include <math.h>

#include "agg_context.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "state_text.h"
#include "trial_wire.h"
#include "utils/expandeddatum.h"
#include "utils/float.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(dlpg_trials_accum);
PG_FUNCTION_INFO_V1(dlpg_trials_combine);
PG_FUNCTION_INFO_V1(dlpg_trials_min_final);
PG_FUNCTION_INFO_V1(dlpg_trials_max_final);
PG_FUNCTION_INFO_V1(dlpg_trials_avg_final);
PG_FUNCTION_INFO_V1(dlpg_trial_state_in);
PG_FUNCTION_INFO_V1(dlpg_trial_state_out);
PG_FUNCTION_INFO_V1(dlpg_trial_state_recv);
PG_FUNCTION_INFO_V1(dlpg_trial_state_send);
PG_FUNCTION_INFO_V1(dlpg_trial_values_accum);
PG_FUNCTION_INFO_V1(dlpg_trial_values_combine);
PG_FUNCTION_INFO_V1(dlpg_trial_values_median_final);
PG_FUNCTION_INFO_V1(dlpg_olympic_mean);
PG_FUNCTION_INFO_V1(dlpg_trial_values_in);
PG_FUNCTION_INFO_V1(dlpg_trial_values_out);
PG_FUNCTION_INFO_V1(dlpg_trial_values_recv);
PG_FUNCTION_INFO_V1(dlpg_trial_values_send);

/* dlpg.trial_state, as stored (INTERNALLENGTH 48, ALIGNMENT double) */
typedef struct TrialSummary
{
	int64		n;
	double		sum;			/* Neumaier's compensated sum: sum + comp */
	double		comp;
	double		scaled;			/* sum of x * 2^-64: finite when sum is not */
	double		min;
	double		max;
} TrialSummary;

StaticAssertDecl(sizeof(TrialSummary) == 48, "dlpg.trial_state is declared INTERNALLENGTH = 48");

/* dlpg.trial_values while an aggregate runs: an expanded object */
typedef struct TrialValues
{
	ExpandedObjectHeader hdr;
	TrialSummary summary;
	int64		nvalues;
	int64		capacity;
	double	   *values;
} TrialValues;

/* PostgreSQL's float order: NaN above everything. */
static inline bool
float_lt(double a, double b)
{
	if (isnan(a))
		return false;
	return isnan(b) || a < b;
}

static inline MemoryContext
aggregate_context(FunctionCallInfo fcinfo)
{
	return dlpg_aggregate_context(fcinfo, "trial");
}

static inline void
add_to_sum(TrialSummary *s, double x)
{
	double		t = s->sum + x;

	if (fabs(s->sum) >= fabs(x))
		s->comp += (s->sum - t) + x;
	else
		s->comp += (x - t) + s->sum;
	s->sum = t;
}

static inline void
add_value(TrialSummary *s, double x)
{
	if (s->n == 0 || float_lt(x, s->min))
		s->min = x;
	if (s->n == 0 || float_lt(s->max, x))
		s->max = x;
	s->n++;
	add_to_sum(s, x);
	s->scaled += ldexp(x, -64);
}

static void
merge_summary(TrialSummary *a, const TrialSummary *b)
{
	if (b->n == 0)
		return;
	if (a->n == 0 || float_lt(b->min, a->min))
		a->min = b->min;
	if (a->n == 0 || float_lt(a->max, b->max))
		a->max = b->max;
	a->n += b->n;
	add_to_sum(a, b->sum);
	a->comp += b->comp;
	a->scaled += b->scaled;
}

/* ---------------------------------------------------------------------
 * The wire format, for both types
 * --------------------------------------------------------------------- */

static void
summary_to_wire(const TrialSummary *s, bool keep_values, int64 nvalues, TrialWire *w)
{
	if (nvalues > PG_INT32_MAX || trial_wire_size(nvalues) > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many trials in one aggregate state: %lld", (long long) nvalues)));
	w->keep_values = keep_values;
	w->n = s->n;
	w->sum = s->sum;
	w->comp = s->comp;
	w->scaled = s->scaled;
	w->min = s->min;
	w->max = s->max;
	w->nvalues = (int32) nvalues;
}

static void
wire_to_summary(const TrialWire *w, TrialSummary *s)
{
	s->n = w->n;
	s->sum = w->sum;
	s->comp = w->comp;
	s->scaled = w->scaled;
	s->min = w->min;
	s->max = w->max;
}

/* Check bytes as a state of the type (with or without values), or raise. */
static void
decode_or_error(const unsigned char *bytes, size_t len, bool keep_values, TrialWire *w)
{
	const char *why = trial_wire_decode(bytes, len, w);

	if (why == NULL && w->keep_values != keep_values)
		why = keep_values ? "The state has no values (a dlpg.trial_state)."
			: "The state has values (a dlpg.trial_values).";
	if (why)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid %s value", keep_values ? "dlpg.trial_values" : "dlpg.trial_state"),
				 errdetail("%s", why)));
}

/* ---------------------------------------------------------------------
 * dlpg.trial_state: trial_min, trial_max, trial_avg
 * --------------------------------------------------------------------- */

/*
 * dlpg_internal.trials_accum(trial_state, float8): inside an aggregate the
 * state is the aggregate's own copy (in its context), so it is updated in
 * place and handed back: PostgreSQL then copies nothing.
 */
Datum
dlpg_trials_accum(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	TrialSummary *s = PG_ARGISNULL(0) ? MemoryContextAllocZero(cxt, sizeof(TrialSummary))
		: (TrialSummary *) PG_GETARG_POINTER(0);

	if (!PG_ARGISNULL(1))
		add_value(s, PG_GETARG_FLOAT8(1));
	PG_RETURN_POINTER(s);
}

/* Merge two partial states; either may be absent (a worker that saw no rows). */
Datum
dlpg_trials_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	TrialSummary *a;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	a = PG_ARGISNULL(0) ? MemoryContextAllocZero(cxt, sizeof(TrialSummary))
		: (TrialSummary *) PG_GETARG_POINTER(0);
	merge_summary(a, (const TrialSummary *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(a);
}

static const TrialSummary *
final_summary(FunctionCallInfo fcinfo)
{
	const TrialSummary *s = PG_ARGISNULL(0) ? NULL : (const TrialSummary *) PG_GETARG_POINTER(0);

	return (s == NULL || s->n == 0) ? NULL : s;
}

Datum
dlpg_trials_min_final(PG_FUNCTION_ARGS)
{
	const TrialSummary *s = final_summary(fcinfo);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s->min);
}

Datum
dlpg_trials_max_final(PG_FUNCTION_ARGS)
{
	const TrialSummary *s = final_summary(fcinfo);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s->max);
}

/*
 * The mean, as avg(float8) gives it for non-finite values: NaN when any
 * value is NaN or both infinities occur, else the infinity there is.  The
 * extremes tell (NaN sorts above everything), so the sums, which such
 * values spoil, are not read then.
 */
Datum
dlpg_trials_avg_final(PG_FUNCTION_ARGS)
{
	const TrialSummary *s = final_summary(fcinfo);
	double		sum;

	if (s == NULL)
		PG_RETURN_NULL();
	if (isnan(s->max) || (isinf(s->min) && isinf(s->max) && s->min < 0 && s->max > 0))
		PG_RETURN_FLOAT8(get_float8_nan());
	if (isinf(s->max) && s->max > 0)
		PG_RETURN_FLOAT8(s->max);
	if (isinf(s->min) && s->min < 0)
		PG_RETURN_FLOAT8(s->min);
	sum = s->sum + s->comp;
	/* finite values whose sum overflows: their mean is still finite */
	if (!isfinite(sum) && isfinite(s->min) && isfinite(s->max))
		PG_RETURN_FLOAT8(ldexp(s->scaled / (double) s->n, 64));
	PG_RETURN_FLOAT8(sum / (double) s->n);
}

static TrialSummary *
trial_state_from_bytes(const unsigned char *bytes, size_t len)
{
	TrialWire	w;
	TrialSummary *s = palloc(sizeof(TrialSummary));

	decode_or_error(bytes, len, false, &w);
	wire_to_summary(&w, s);
	return s;
}

static bytea *
trial_state_to_bytes(const TrialSummary *s)
{
	TrialWire	w;
	bytea	   *out = palloc(VARHDRSZ + TRIAL_WIRE_HEADER_SIZE);

	summary_to_wire(s, false, 0, &w);
	SET_VARSIZE(out, VARHDRSZ + TRIAL_WIRE_HEADER_SIZE);
	trial_wire_encode(&w, NULL, (unsigned char *) VARDATA(out));
	return out;
}

Datum
dlpg_trial_state_in(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = dlpg_state_text_in(PG_GETARG_CSTRING(0), "dlpg.trial_state");

	PG_RETURN_POINTER(trial_state_from_bytes((unsigned char *) VARDATA(bytes), VARSIZE(bytes) - VARHDRSZ));
}

Datum
dlpg_trial_state_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(dlpg_state_text_out(trial_state_to_bytes((TrialSummary *) PG_GETARG_POINTER(0))));
}

Datum
dlpg_trial_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TrialSummary *s = trial_state_from_bytes((unsigned char *) buf->data + buf->cursor,
											 buf->len - buf->cursor);

	buf->cursor = buf->len;
	PG_RETURN_POINTER(s);
}

Datum
dlpg_trial_state_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(trial_state_to_bytes((TrialSummary *) PG_GETARG_POINTER(0)));
}

/* ---------------------------------------------------------------------
 * dlpg.trial_values: trial_median
 * --------------------------------------------------------------------- */

static Size
trial_values_flat_size(ExpandedObjectHeader *eohptr)
{
	TrialValues *tv = (TrialValues *) eohptr;
	TrialWire	w;

	summary_to_wire(&tv->summary, true, tv->nvalues, &w);	/* checks the size */
	return VARHDRSZ + trial_wire_size(tv->nvalues);
}

static void
trial_values_flatten(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	TrialValues *tv = (TrialValues *) eohptr;
	TrialWire	w;

	summary_to_wire(&tv->summary, true, tv->nvalues, &w);
	Assert(allocated_size == VARHDRSZ + trial_wire_size(tv->nvalues));
	SET_VARSIZE(result, allocated_size);
	trial_wire_encode(&w, tv->values, (unsigned char *) VARDATA(result));
}

static const ExpandedObjectMethods trial_values_methods = {
	trial_values_flat_size,
	trial_values_flatten
};

static void
reserve_values(TrialValues *tv, int64 needed)
{
	int64		capacity = Max(tv->capacity, 16);

	if (needed <= tv->capacity)
		return;
	while (capacity < needed)
		capacity *= 2;
	if (tv->values == NULL)
		tv->values = MemoryContextAllocHuge(tv->hdr.eoh_context, capacity * sizeof(double));
	else
		tv->values = repalloc_huge(tv->values, capacity * sizeof(double));
	tv->capacity = capacity;
}

/* A new expanded state in a context of its own under parent. */
static TrialValues *
new_trial_values(MemoryContext parent)
{
	MemoryContext objcxt = AllocSetContextCreate(parent, "dlpg trial values",
												 ALLOCSET_SMALL_SIZES);
	TrialValues *tv = MemoryContextAllocZero(objcxt, sizeof(TrialValues));

	EOH_init_header(&tv->hdr, &trial_values_methods, objcxt);
	return tv;
}

/* Add the values of a flat (checked) state. */
static void
add_flat_values(TrialValues *tv, const TrialWire *w)
{
	TrialSummary s;

	wire_to_summary(w, &s);
	merge_summary(&tv->summary, &s);
	reserve_values(tv, tv->nvalues + w->nvalues);
	for (int32 i = 0; i < w->nvalues; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		tv->values[tv->nvalues++] = trial_wire_value(w, i);
	}
}

/* An expanded state of ours, or NULL. */
static inline TrialValues *
as_trial_values(Datum d)
{
	return (TrialValues *) dlpg_expanded(d, &trial_values_methods);
}

/*
 * The state argument argno as a state this aggregate may change: its own
 * read-write expanded object, or a new one (in the aggregate's context)
 * holding a copy of whatever came (a flat value from a table, another node,
 * a parallel worker).
 */
static TrialValues *
writable_trial_values(FunctionCallInfo fcinfo, int argno, MemoryContext aggcxt)
{
	TrialValues *tv;
	TrialWire	w;
	struct varlena *flat;

	if (PG_ARGISNULL(argno))
		return new_trial_values(aggcxt);
	tv = (TrialValues *) dlpg_own_expanded(PG_GETARG_DATUM(argno), &trial_values_methods, aggcxt);
	if (tv != NULL)
		return tv;
	flat = PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	decode_or_error((unsigned char *) VARDATA(flat), VARSIZE(flat) - VARHDRSZ, true, &w);
	tv = new_trial_values(aggcxt);
	add_flat_values(tv, &w);
	return tv;
}

Datum
dlpg_trial_values_accum(PG_FUNCTION_ARGS)
{
	TrialValues *tv = writable_trial_values(fcinfo, 0, aggregate_context(fcinfo));

	if (!PG_ARGISNULL(1))
	{
		double		x = PG_GETARG_FLOAT8(1);

		add_value(&tv->summary, x);
		reserve_values(tv, tv->nvalues + 1);
		tv->values[tv->nvalues++] = x;
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&tv->hdr));
}

Datum
dlpg_trial_values_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	TrialValues *a;
	TrialValues *b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	a = writable_trial_values(fcinfo, 0, cxt);
	b = as_trial_values(PG_GETARG_DATUM(1));
	if (b != NULL)
	{
		merge_summary(&a->summary, &b->summary);
		reserve_values(a, a->nvalues + b->nvalues);
		memcpy(a->values + a->nvalues, b->values, b->nvalues * sizeof(double));
		a->nvalues += b->nvalues;
	}
	else
	{
		struct varlena *flat = PG_DETOAST_DATUM(PG_GETARG_DATUM(1));
		TrialWire	w;

		decode_or_error((unsigned char *) VARDATA(flat), VARSIZE(flat) - VARHDRSZ, true, &w);
		add_flat_values(a, &w);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&a->hdr));
}

static inline int
compare_doubles(const double *a, const double *b)
{
	return float_lt(*a, *b) ? -1 : (float_lt(*b, *a) ? 1 : 0);
}

/* sort_doubles(): PostgreSQL's float order, inlined, and cancellable on big sets */
#define ST_SORT sort_doubles
#define ST_ELEMENT_TYPE double
#define ST_COMPARE(a, b) compare_doubles(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * The middle value; of an even count, the mean of the two middle ones, as
 * avg(float8) takes it (two equal infinities give that infinity, both give
 * NaN; percentile_cont's interpolation would give NaN for the former).
 */
Datum
dlpg_trial_values_median_final(PG_FUNCTION_ARGS)
{
	TrialValues *tv;
	int64		mid;
	double		lo,
				hi;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	/*
	 * The aggregate's own state comes as a read-only pointer, yet the
	 * aggregate is FINALFUNC_MODIFY = READ_WRITE: its values are sorted in
	 * place, which leaves the same multiset, a valid state for more rows (a
	 * copy would cost as much again as the values).  A flat state is read
	 * into a copy.
	 */
	tv = as_trial_values(PG_GETARG_DATUM(0));
	if (tv == NULL)
		tv = writable_trial_values(fcinfo, 0, aggregate_context(fcinfo));
	if (tv->nvalues == 0)
		PG_RETURN_NULL();
	sort_doubles(tv->values, tv->nvalues);
	mid = tv->nvalues / 2;
	if (tv->nvalues % 2 == 1)
		PG_RETURN_FLOAT8(tv->values[mid]);
	lo = tv->values[mid - 1];
	hi = tv->values[mid];
	if (isinf(lo) && lo == hi)
		PG_RETURN_FLOAT8(lo);
	PG_RETURN_FLOAT8(lo / 2.0 + hi / 2.0);	/* no overflow */
}

/*
 * dlpg.olympic_mean(sample dlpg.trial_values, drop integer) -> float8:
 * MLPerf's olympic mean (mlperf_logging's result summarizer).  Sort the
 * runs, drop the drop fastest and the drop slowest, average the rest.  A
 * run that did not succeed comes as an infinity on its worse side (dlpg.series
 * passes +Infinity for a time, -Infinity for a throughput) and is one of the
 * dropped; more of them than drop, or nothing left, is no score (NULL).
 */
Datum
dlpg_olympic_mean(PG_FUNCTION_ARGS)
{
	TrialValues *tv;
	double	   *values;
	int64		n,
				failed = 0;
	int32		drop;
	double		sum = 0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	drop = PG_GETARG_INT32(1);
	if (drop < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("olympic_mean drops a negative number of runs: %d", drop)));
	tv = as_trial_values(PG_GETARG_DATUM(0));
	if (tv != NULL)
	{
		/* the aggregate's own state may be read-only: sort a copy */
		n = tv->nvalues;
		values = palloc(sizeof(double) * Max(n, 1));
		memcpy(values, tv->values, sizeof(double) * n);
	}
	else
	{
		struct varlena *flat = PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
		TrialWire	w;

		decode_or_error((unsigned char *) VARDATA(flat), VARSIZE(flat) - VARHDRSZ, true, &w);
		n = w.nvalues;
		values = palloc(sizeof(double) * Max(n, 1));
		for (int32 i = 0; i < w.nvalues; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			values[i] = trial_wire_value(&w, i);
		}
	}
	for (int64 i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		failed += isinf(values[i]) ? 1 : 0;
	}
	if (failed > drop || n <= 2 * (int64) drop)
		PG_RETURN_NULL();
	sort_doubles(values, n);
	for (int64 i = drop; i < n - drop; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sum += values[i];
	}
	PG_RETURN_FLOAT8(sum / (double) (n - 2 * (int64) drop));
}

/* Raise unless bytes are a dlpg.trial_values. */
static void
check_trial_values(const unsigned char *bytes, size_t len)
{
	TrialWire	w;

	decode_or_error(bytes, len, true, &w);
}

Datum
dlpg_trial_values_in(PG_FUNCTION_ARGS)
{
	return dlpg_wire_state_in(PG_GETARG_CSTRING(0), "dlpg.trial_values", check_trial_values);
}

Datum
dlpg_trial_values_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(dlpg_wire_state_out(PG_GETARG_DATUM(0)));
}

Datum
dlpg_trial_values_recv(PG_FUNCTION_ARGS)
{
	return dlpg_wire_state_recv((StringInfo) PG_GETARG_POINTER(0), check_trial_values);
}

Datum
dlpg_trial_values_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(dlpg_wire_state_send(PG_GETARG_DATUM(0)));
}

/* ---------------------------------------------------------------------
 * Entry points of 0.2.0 and 0.3.0 that 0.4.0 dropped (the `internal` states'
 * serialization, the median's old functions).  A new install runs every
 * update script, and CREATE FUNCTION needs the symbol, so they stay; they are
 * dropped before anyone can call them, except in a database whose library
 * was replaced but whose extension was not yet updated.
 * --------------------------------------------------------------------- */
PG_FUNCTION_INFO_V1(dlpg_trials_accum_keep);
PG_FUNCTION_INFO_V1(dlpg_trials_serialize);
PG_FUNCTION_INFO_V1(dlpg_trials_deserialize);
PG_FUNCTION_INFO_V1(dlpg_trials_median_final);

static Datum
dropped_entry_point(const char *name)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s belongs to an older version of dlpg than its library", name),
			 errhint("Run ALTER EXTENSION dlpg UPDATE.")));
	pg_unreachable();
}

Datum
dlpg_trials_accum_keep(PG_FUNCTION_ARGS)
{
	return dropped_entry_point("trials_accum_keep");
}

Datum
dlpg_trials_serialize(PG_FUNCTION_ARGS)
{
	return dropped_entry_point("trials_serialize");
}

Datum
dlpg_trials_deserialize(PG_FUNCTION_ARGS)
{
	return dropped_entry_point("trials_deserialize");
}

Datum
dlpg_trials_median_final(PG_FUNCTION_ARGS)
{
	return dropped_entry_point("trials_median_final");
}
