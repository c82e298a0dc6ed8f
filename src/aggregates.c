/*
 * aggregates.c
 *		Reducing repeated trials to one point: dlpg.trial_min, trial_max,
 *		trial_avg and trial_median.
 *
 * One internal state serves all four: count, a compensated sum (and a
 * scaled-down one, for the rare mean of values whose sum passes DBL_MAX),
 * min, max, and, for the median only, the values themselves.  Every aggregate has a
 * combine function and a (de)serializer, so PostgreSQL can split the work
 * across parallel workers (or a distributed engine built on it).  The
 * deserializer trusts nothing: every length and count is checked.
 */
#include "postgres.h"

#include <math.h>

#include "agg_context.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "trial_wire.h"
#include "utils/float.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(dlpg_trials_accum);
PG_FUNCTION_INFO_V1(dlpg_trials_accum_keep);
PG_FUNCTION_INFO_V1(dlpg_trials_combine);
PG_FUNCTION_INFO_V1(dlpg_trials_serialize);
PG_FUNCTION_INFO_V1(dlpg_trials_deserialize);
PG_FUNCTION_INFO_V1(dlpg_trials_min_final);
PG_FUNCTION_INFO_V1(dlpg_trials_max_final);
PG_FUNCTION_INFO_V1(dlpg_trials_avg_final);
PG_FUNCTION_INFO_V1(dlpg_trials_median_final);

typedef struct TrialState
{
	int64		n;
	double		sum;			/* Neumaier's compensated sum: sum + comp */
	double		comp;
	double		scaled;			/* sum of x * 2^-64: finite when sum is not */
	double		min;
	double		max;
	bool		keep_values;	/* the median needs every value */
	int64		nvalues;
	int64		capacity;
	double	   *values;
} TrialState;

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

static TrialState *
new_state(MemoryContext cxt, bool keep_values)
{
	TrialState *s = MemoryContextAllocZero(cxt, sizeof(TrialState));

	s->keep_values = keep_values;
	return s;
}

static void
reserve_values(TrialState *s, int64 needed, MemoryContext cxt)
{
	int64		capacity = Max(s->capacity, 16);

	if (needed <= s->capacity)
		return;
	while (capacity < needed)
		capacity *= 2;
	if (s->values == NULL)
		s->values = MemoryContextAllocHuge(cxt, capacity * sizeof(double));
	else
		s->values = repalloc_huge(s->values, capacity * sizeof(double));
	s->capacity = capacity;
}

static inline void
add_to_sum(TrialState *s, double x)
{
	double		t = s->sum + x;

	if (fabs(s->sum) >= fabs(x))
		s->comp += (s->sum - t) + x;
	else
		s->comp += (x - t) + s->sum;
	s->sum = t;
}

static inline void
add_value(TrialState *s, double x, MemoryContext cxt)
{
	if (s->n == 0 || float_lt(x, s->min))
		s->min = x;
	if (s->n == 0 || float_lt(s->max, x))
		s->max = x;
	s->n++;
	add_to_sum(s, x);
	s->scaled += ldexp(x, -64);
	if (s->keep_values)
	{
		reserve_values(s, s->nvalues + 1, cxt);
		s->values[s->nvalues++] = x;
	}
}

static Datum
accumulate(FunctionCallInfo fcinfo, bool keep_values)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	TrialState *s = PG_ARGISNULL(0) ? new_state(cxt, keep_values)
		: (TrialState *) PG_GETARG_POINTER(0);

	if (!PG_ARGISNULL(1))
		add_value(s, PG_GETARG_FLOAT8(1), cxt);
	PG_RETURN_POINTER(s);
}

/* Transition functions: one keeps only the summary, one also the values. */
Datum
dlpg_trials_accum(PG_FUNCTION_ARGS)
{
	return accumulate(fcinfo, false);
}

Datum
dlpg_trials_accum_keep(PG_FUNCTION_ARGS)
{
	return accumulate(fcinfo, true);
}

/* Merge two partial states; either may be absent (a worker that saw no rows). */
Datum
dlpg_trials_combine(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = aggregate_context(fcinfo);
	TrialState *a = PG_ARGISNULL(0) ? NULL : (TrialState *) PG_GETARG_POINTER(0);
	TrialState *b = PG_ARGISNULL(1) ? NULL : (TrialState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
		a = new_state(cxt, b->keep_values);
	if (b->n > 0)
	{
		if (a->n == 0 || float_lt(b->min, a->min))
			a->min = b->min;
		if (a->n == 0 || float_lt(a->max, b->max))
			a->max = b->max;
		a->n += b->n;
		add_to_sum(a, b->sum);
		a->comp += b->comp;
		a->scaled += b->scaled;
	}
	if (a->keep_values && b->nvalues > 0)
	{
		reserve_values(a, a->nvalues + b->nvalues, cxt);
		memcpy(a->values + a->nvalues, b->values, b->nvalues * sizeof(double));
		a->nvalues += b->nvalues;
	}
	PG_RETURN_POINTER(a);
}

/* State -> bytea, for parallel workers (format: trial_wire.h). */
Datum
dlpg_trials_serialize(PG_FUNCTION_ARGS)
{
	TrialState *s = (TrialState *) PG_GETARG_POINTER(0);
	TrialWire	w;
	size_t		size = trial_wire_size(s->nvalues);
	bytea	   *out;

	aggregate_context(fcinfo);
	if (size > MaxAllocSize - VARHDRSZ || s->nvalues > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many trials to pass between parallel workers: %lld",
						(long long) s->nvalues)));
	w.keep_values = s->keep_values;
	w.n = s->n;
	w.sum = s->sum;
	w.comp = s->comp;
	w.scaled = s->scaled;
	w.min = s->min;
	w.max = s->max;
	w.nvalues = (int32) s->nvalues;
	out = palloc(VARHDRSZ + size);
	SET_VARSIZE(out, VARHDRSZ + size);
	trial_wire_encode(&w, s->values, (unsigned char *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

/* bytea -> state; trial_wire_decode checks every field before it is trusted. */
Datum
dlpg_trials_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext cxt = aggregate_context(fcinfo);
	TrialWire	w;
	const char *invalid = trial_wire_decode((const unsigned char *) VARDATA_ANY(bytes),
											VARSIZE_ANY_EXHDR(bytes), &w);
	TrialState *s;

	if (invalid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid dlpg trials aggregate state"),
				 errdetail("%s", invalid)));
	s = new_state(cxt, w.keep_values);
	s->n = w.n;
	s->sum = w.sum;
	s->comp = w.comp;
	s->scaled = w.scaled;
	s->min = w.min;
	s->max = w.max;
	if (w.nvalues > 0)
	{
		reserve_values(s, w.nvalues, cxt);
		for (int32 i = 0; i < w.nvalues; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			s->values[i] = trial_wire_value(&w, i);
		}
		s->nvalues = w.nvalues;
	}
	PG_RETURN_POINTER(s);
}

static TrialState *
final_state(FunctionCallInfo fcinfo)
{
	TrialState *s = PG_ARGISNULL(0) ? NULL : (TrialState *) PG_GETARG_POINTER(0);

	aggregate_context(fcinfo);
	return (s == NULL || s->n == 0) ? NULL : s;
}

Datum
dlpg_trials_min_final(PG_FUNCTION_ARGS)
{
	TrialState *s = final_state(fcinfo);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s->min);
}

Datum
dlpg_trials_max_final(PG_FUNCTION_ARGS)
{
	TrialState *s = final_state(fcinfo);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(s->max);
}

/*
 * The mean, as avg(float8) gives it for non-finite values: NaN when any
 * value is NaN or both infinities occur, else the infinity there is.  The
 * extremes tell (NaN sorts above everything), so the sums, which such
 * values spoil, are not read then, and the state format stays as it is.
 */
Datum
dlpg_trials_avg_final(PG_FUNCTION_ARGS)
{
	TrialState *s = final_state(fcinfo);
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
dlpg_trials_median_final(PG_FUNCTION_ARGS)
{
	TrialState *s = final_state(fcinfo);
	int64		mid;
	double		lo,
				hi;

	if (s == NULL)
		PG_RETURN_NULL();
	if (!s->keep_values || s->nvalues != s->n)
		elog(ERROR, "dlpg trial_median state holds no values");
	/* sorting leaves the same multiset: the state stays valid for more rows */
	sort_doubles(s->values, s->nvalues);
	mid = s->nvalues / 2;
	if (s->nvalues % 2 == 1)
		PG_RETURN_FLOAT8(s->values[mid]);
	lo = s->values[mid - 1];
	hi = s->values[mid];
	if (isinf(lo) && lo == hi)
		PG_RETURN_FLOAT8(lo);
	PG_RETURN_FLOAT8(lo / 2.0 + hi / 2.0);	/* no overflow */
}
