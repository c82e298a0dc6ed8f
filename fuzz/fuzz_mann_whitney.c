/*
 * fuzz/fuzz_mann_whitney.c -- libFuzzer harness for dlpg.compare's statistics
 * (src/core/mann_whitney.c): the Mann-Whitney U test, the sort and the median.
 *
 * The input is a recipe: byte 0 splits the samples between x and y; then float8s, each
 * raw bits or one of the values that matter most (0, -0, +-inf, NaNs, DBL_MAX, the
 * smallest subnormal) or a small number (ties), up to 600 values.  For every input
 * (abort() on a violation, so libFuzzer reports it):
 *   - mw_sort: the finite values come first, ascending, the count returned is theirs, the
 *     rest are the non-finite ones, and the finite ones are the input's (the same multiset
 *     of bit patterns, -0 and 0 apart);
 *   - mw_median_sorted is the middle value, or percentile_cont's interpolation of the two
 *     middle ones; NaN only for no value;
 *   - mw_test: non-finite samples are left out (nx, ny count the others); no sample on a side:
 *     MW_NONE with u and p NaN; else p in [0, 1], U1 in [0, nx ny] and a multiple of 0.5, the
 *     method scipy's "auto" picks (exact iff min(nx, ny) <= 8 and no two values tie);
 *   - swapping x and y gives the same p bit for bit and U1' = nx ny - U1;
 *   - mw_test_sorted on the sorted copies gives the same result as mw_test.
 */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mann_whitney.h"

#define FUZZ_NAME "fuzz_mann_whitney"
#include "fuzz_common.h"

#define MAX_VALUES 600


static int
cmp_bits(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	if (x < y)
		return -1;
	if (x > y)
		return 1;
	/* -0 before 0: a total order on the bit patterns of equal values */
	return (signbit(y) != 0) - (signbit(x) != 0);
}

/* mw_sort of a copy of v, checked; returns the sorted copy (non-NaN prefix of *m). */
static double *
check_sort(const double *v, size_t n, size_t *m)
{
	double	   *s = xmalloc(n * sizeof(double));
	double	   *ref = xmalloc(n * sizeof(double));
	size_t		nref = 0;

	memcpy(s, v, n * sizeof(double));
	*m = mw_sort(s, n);
	for (size_t i = 0; i < n; i++)
		if (isfinite(v[i]))
			ref[nref++] = v[i];
	if (*m != nref)
		FAIL("mw_sort returned %zu of %zu values, %zu are finite", *m, n, nref);
	for (size_t i = *m; i < n; i++)
		if (isfinite(s[i]))
			FAIL("value %zu after the sorted prefix of %zu is finite", i, *m);
	for (size_t i = 1; i < *m; i++)
		if (!(s[i - 1] <= s[i]))
			FAIL("not sorted at %zu: %.17g > %.17g", i, s[i - 1], s[i]);
	qsort(ref, nref, sizeof(double), cmp_bits);
	{
		double	   *mine = xmalloc(n * sizeof(double));

		memcpy(mine, s, *m * sizeof(double));
		qsort(mine, *m, sizeof(double), cmp_bits);
		for (size_t i = 0; i < nref; i++)
			if (bits_of(mine[i]) != bits_of(ref[i]))
				FAIL("mw_sort changed the values: %zu-th is %.17g, was %.17g", i, mine[i], ref[i]);
		free(mine);
	}
	free(ref);
	return s;
}

static void
check_median(const double *s, size_t m)
{
	double		med = mw_median_sorted(s, m);

	if (m == 0)
	{
		if (!isnan(med))
			FAIL("median of nothing is %.17g, not NaN", med);
		return;
	}
	if (m % 2 == 1)
	{
		if (bits_of(med) != bits_of(s[m / 2]))
			FAIL("median of %zu values is %.17g, not the middle one %.17g", m, med, s[m / 2]);
		return;
	}
	{
		double		lo = s[m / 2 - 1],
					hi = s[m / 2];
		double		want = lo + (hi - lo) * 0.5;

		if (bits_of(med) != bits_of(want))
			FAIL("median of %zu values is %.17g, not %.17g", m, med, want);
	}
}

static bool
has_tie(const double *xs, size_t nx, const double *ys, size_t ny)
{
	double	   *all = xmalloc((nx + ny) * sizeof(double));
	bool		tie = false;

	memcpy(all, xs, nx * sizeof(double));
	memcpy(all + nx, ys, ny * sizeof(double));
	qsort(all, nx + ny, sizeof(double), cmp_bits);
	for (size_t i = 1; i < nx + ny; i++)
		tie = tie || all[i - 1] == all[i];
	free(all);
	return tie;
}

static void
same_result(const MwResult *a, const MwResult *b, const char *what)
{
	if (bits_of(a->u) != bits_of(b->u) || bits_of(a->p) != bits_of(b->p) ||
		a->method != b->method || a->nx != b->nx || a->ny != b->ny)
		FAIL("%s: u %.17g / %.17g, p %.17g / %.17g, method %d / %d", what, a->u, b->u, a->p, b->p,
			 (int) a->method, (int) b->method);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	Recipe		r = {data, size};
	uint8_t		split = take8(&r);
	size_t		n = 0;
	double	   *v = xmalloc(MAX_VALUES * sizeof(double));
	size_t		nx,
				mx,
				my;
	double	   *xs,
			   *ys;
	MwResult	res,
				swapped,
				sorted;

	while (r.n > 0 && n < MAX_VALUES)
		v[n++] = take_double(&r, 200);
	nx = n ? split % (n + 1) : 0;

	xs = check_sort(v, nx, &mx);
	ys = check_sort(v + nx, n - nx, &my);
	check_median(xs, mx);
	check_median(ys, my);

	if (mw_test(v, nx, v + nx, n - nx, &res) != 0)
		FAIL("mw_test: out of memory on %zu values", n);
	if (res.nx != mx || res.ny != my)
		FAIL("mw_test used %zu and %zu samples, not the %zu and %zu finite ones", res.nx, res.ny, mx, my);
	if (mx == 0 || my == 0)
	{
		if (res.method != MW_NONE || !isnan(res.u) || !isnan(res.p))
			FAIL("no sample on a side, yet method %d, u %.17g, p %.17g", (int) res.method, res.u, res.p);
	}
	else
	{
		bool		exact = (mx <= 8 || my <= 8) && !has_tie(xs, mx, ys, my);

		if (!(res.p >= 0 && res.p <= 1))
			FAIL("p = %.17g is not in [0, 1]", res.p);
		if (!(res.u >= 0 && res.u <= (double) mx * (double) my) || res.u * 2 != floor(res.u * 2))
			FAIL("U1 = %.17g is not a multiple of 0.5 in [0, %zu]", res.u, mx * my);
		if (res.method != (exact ? MW_EXACT : MW_ASYMPTOTIC))
			FAIL("method %d, scipy's auto picks %s", (int) res.method, exact ? "exact" : "asymptotic");
	}

	if (mw_test(v + nx, n - nx, v, nx, &swapped) != 0)
		FAIL("mw_test (swapped): out of memory");
	if (res.method != MW_NONE)
	{
		if (bits_of(swapped.p) != bits_of(res.p) || swapped.method != res.method ||
			swapped.u != (double) mx * (double) my - res.u)
			FAIL("swapping x and y: p %.17g -> %.17g, U1 %.17g -> %.17g", res.p, swapped.p, res.u, swapped.u);
	}
	else if (swapped.method != MW_NONE)
		FAIL("swapping x and y made a test of no sample");

	if (mw_test_sorted(xs, mx, ys, my, &sorted) != 0)
		FAIL("mw_test_sorted: out of memory");
	same_result(&res, &sorted, "mw_test vs mw_test_sorted");

	free(xs);
	free(ys);
	free(v);
	return 0;
}
