/*
 * measures.c
 *		Measures derived from a benchmark's per-iteration batch times: the
 *		latency percentiles and the coefficient of variation, whatever the
 *		input format that gave the times.
 */
#include "postgres.h"

#include <math.h>

#include "benchmark.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(dlpg_sample_measures_sql);

static int
compare_doubles(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* percentile_cont(p) of n sorted values: interpolated between neighbours. */
static double
percentile(const double *sorted, int n, double p)
{
	double		pos = p * (n - 1);
	int			lo = (int) floor(pos);
	int			hi = (int) ceil(pos);

	if (lo == hi)
		return sorted[lo];
	return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
}

void
dlpg_sample_measures(Datum samples, BenchmarkRow *row)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			nelems;
	double	   *v;
	int			n = 0;
	double		mean = 0,
				ss = 0;

	row->has_batch_time_p50 = row->has_batch_time_p90 = row->has_batch_time_p99 = false;
	row->has_batch_time_cv = false;
	if (samples == (Datum) 0)
		return;
	arr = DatumGetArrayTypeP(samples);
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &nelems);
	v = palloc(sizeof(double) * Max(nelems, 1));
	for (int i = 0; i < nelems; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!nulls[i] && isfinite(DatumGetFloat8(elems[i])))
			v[n++] = DatumGetFloat8(elems[i]);
	}
	if (n == 0)
		return;
	CHECK_FOR_INTERRUPTS();
	qsort(v, n, sizeof(double), compare_doubles);	/* once, for all three */
	row->batch_time_p50 = percentile(v, n, 0.50);
	row->batch_time_p90 = percentile(v, n, 0.90);
	row->batch_time_p99 = percentile(v, n, 0.99);
	row->has_batch_time_p50 = row->has_batch_time_p90 = row->has_batch_time_p99 = true;

	for (int i = 0; i < n; i++)
		mean += v[i] / n;
	for (int i = 0; i < n; i++)
		ss += (v[i] - mean) * (v[i] - mean);
	if (n >= 2 && mean > 0 && isfinite(ss))
	{
		row->batch_time_cv = sqrt(ss / (n - 1)) / mean;
		row->has_batch_time_cv = isfinite(row->batch_time_cv);
	}
	pfree(v);
}

/*
 * dlpg_internal.sample_measures(float8[]) -> float8[]: {p50, p90, p99, cv}
 * as an ingest derives them, for the update script's existing rows.
 */
Datum
dlpg_sample_measures_sql(PG_FUNCTION_ARGS)
{
	BenchmarkRow row;
	Datum		out[4];
	bool		nulls[4];
	int			dims[1] = {4};
	int			lbs[1] = {1};

	memset(&row, 0, sizeof(row));
	dlpg_sample_measures(PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0), &row);
	out[0] = Float8GetDatum(row.batch_time_p50);
	out[1] = Float8GetDatum(row.batch_time_p90);
	out[2] = Float8GetDatum(row.batch_time_p99);
	out[3] = Float8GetDatum(row.batch_time_cv);
	nulls[0] = !row.has_batch_time_p50;
	nulls[1] = !row.has_batch_time_p90;
	nulls[2] = !row.has_batch_time_p99;
	nulls[3] = !row.has_batch_time_cv;
	PG_RETURN_ARRAYTYPE_P(construct_md_array(out, nulls, 1, dims, lbs, FLOAT8OID, sizeof(float8),
											 FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
