/*
 * aggregates.c
 *		Reducing repeated trials to one point: dlpg.trial_min, trial_max,
 *		trial_avg and trial_median.
 *
 * One internal state serves all four: count, a compensated sum, min, max,
 * and, for the median only, the values themselves.  Every aggregate has a
 * combine function and a (de)serializer, so PostgreSQL can split the work
 * across parallel workers (or a distributed engine built on it).  The
 * deserializer trusts nothing: every length and count is checked.
 */
#include "dlpg.h"

#include <math.h>

#include "fmgr.h"
#include "libpq/pqformat.h"
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

#define TRIALS_STATE_VERSION 1
#define TRIALS_FLAG_KEEP_VALUES 0x01
/* version, flags, n, sum, compensation, min, max, nvalues */
#define TRIALS_HEADER_SIZE (1 + 1 + 8 + 4 * 8 + 4)

typedef struct TrialState
{
	int64		n;
	double		sum;			/* Neumaier's compensated sum: sum + comp */
	double		comp;
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

static MemoryContext
aggregate_context(FunctionCallInfo fcinfo)
{
	MemoryContext cxt;

	if (!AggCheckCallContext(fcinfo, &cxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("dlpg trial aggregate support function called outside an aggregate")));
	return cxt;
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
	}
	if (a->keep_values && b->nvalues > 0)
	{
		reserve_values(a, a->nvalues + b->nvalues, cxt);
		memcpy(a->values + a->nvalues, b->values, b->nvalues * sizeof(double));
		a->nvalues += b->nvalues;
	}
	PG_RETURN_POINTER(a);
}

/* State -> bytea, for parallel workers. */
Datum
dlpg_trials_serialize(PG_FUNCTION_ARGS)
{
	TrialState *s = (TrialState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	aggregate_context(fcinfo);
	pq_begintypsend(&buf);
	enlargeStringInfo(&buf, TRIALS_HEADER_SIZE + s->nvalues * sizeof(double));
	pq_sendbyte(&buf, TRIALS_STATE_VERSION);
	pq_sendbyte(&buf, s->keep_values ? TRIALS_FLAG_KEEP_VALUES : 0);
	pq_sendint64(&buf, s->n);
	pq_sendfloat8(&buf, s->sum);
	pq_sendfloat8(&buf, s->comp);
	pq_sendfloat8(&buf, s->min);
	pq_sendfloat8(&buf, s->max);
	pq_sendint32(&buf, (int32) s->nvalues);
	for (int64 i = 0; i < s->nvalues; i++)
		pq_sendfloat8(&buf, s->values[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
invalid_state(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid dlpg trials aggregate state"),
			 errdetail("%s", why)));
}

/* bytea -> state; every field is checked before it is trusted. */
Datum
dlpg_trials_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	MemoryContext cxt = aggregate_context(fcinfo);
	StringInfoData buf;
	TrialState *s;
	int			version;
	int			flags;
	int64		n;
	int32		nvalues;

	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < TRIALS_HEADER_SIZE)
		invalid_state("The state is shorter than its header.");

	version = pq_getmsgbyte(&buf);
	flags = pq_getmsgbyte(&buf);
	if (version != TRIALS_STATE_VERSION)
		invalid_state("Unknown state version.");
	if (flags & ~TRIALS_FLAG_KEEP_VALUES)
		invalid_state("Unknown state flags.");
	n = pq_getmsgint64(&buf);
	if (n < 0)
		invalid_state("Negative trial count.");

	s = new_state(cxt, (flags & TRIALS_FLAG_KEEP_VALUES) != 0);
	s->n = n;
	s->sum = pq_getmsgfloat8(&buf);
	s->comp = pq_getmsgfloat8(&buf);
	s->min = pq_getmsgfloat8(&buf);
	s->max = pq_getmsgfloat8(&buf);
	nvalues = pq_getmsgint(&buf, 4);
	if (nvalues < 0 || nvalues != (s->keep_values ? n : 0))
		invalid_state("The value count does not match the trial count.");
	if ((int64) (buf.len - buf.cursor) != (int64) nvalues * (int64) sizeof(double))
		invalid_state("The state's length does not match its value count.");

	if (nvalues > 0)
	{
		reserve_values(s, nvalues, cxt);
		for (int32 i = 0; i < nvalues; i++)
			s->values[i] = pq_getmsgfloat8(&buf);
		s->nvalues = nvalues;
	}
	pq_getmsgend(&buf);
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

Datum
dlpg_trials_avg_final(PG_FUNCTION_ARGS)
{
	TrialState *s = final_state(fcinfo);

	if (s == NULL)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((s->sum + s->comp) / (double) s->n);
}

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return float_lt(x, y) ? -1 : (float_lt(y, x) ? 1 : 0);
}

/* The middle value; of an even count, the mean of the two middle ones. */
Datum
dlpg_trials_median_final(PG_FUNCTION_ARGS)
{
	TrialState *s = final_state(fcinfo);
	int64		mid;

	if (s == NULL)
		PG_RETURN_NULL();
	if (!s->keep_values || s->nvalues != s->n)
		elog(ERROR, "dlpg trial_median state holds no values");
	/* sorting leaves the same multiset: the state stays valid for more rows */
	qsort(s->values, s->nvalues, sizeof(double), compare_doubles);
	mid = s->nvalues / 2;
	if (s->nvalues % 2 == 1)
		PG_RETURN_FLOAT8(s->values[mid]);
	PG_RETURN_FLOAT8((s->values[mid - 1] + s->values[mid]) / 2.0);
}
