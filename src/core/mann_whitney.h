/*
 * mann_whitney.h
 *		The two-sided Mann-Whitney U test as SciPy computes it, and the median,
 *		in plain C (no PostgreSQL headers): dlpg.compare's statistics, fuzzed
 *		as they run (fuzz/fuzz_mann_whitney.c).
 *
 * mw_test(x, y) is scipy.stats.mannwhitneyu(x, y, alternative='two-sided',
 * method='auto') of Debian 12's python3-scipy (1.10, scipy/stats/_mannwhitneyu.py):
 *   - U1 = R1 - n1 (n1 + 1) / 2, R1 the sum of x's ranks among x and y together
 *     (average ranks for ties); U = max(U1, n1 n2 - U1);
 *   - "auto": the exact distribution of U when min(n1, n2) <= 8 and no two
 *     values are equal (scipy: asymptotic if n1 > 8 and n2 > 8, or if there
 *     are ties); p = 2 P(U' >= U) from the counts of the null distribution
 *     (the q-binomial coefficient [n1+n2 choose n1], computed up to the degree
 *     needed; exact integers while they stay below 2^64, long double beyond);
 *   - otherwise the normal approximation with tie and continuity correction:
 *     z = (U - n1 n2 / 2 - 0.5) / sqrt(n1 n2 / 12 ((n + 1) - T / (n (n - 1)))),
 *     T = sum of t^3 - t over the groups of t tied values, p = erfc(z / sqrt 2);
 *   - p clipped to [0, 1].
 * Samples: non-finite ones (NaN, +-Infinity) are dropped before anything, by
 * the test and by the median: scipy has no answer to match there (it refuses
 * NaN, and 1.10's rankdata makes every rank NaN when a sample is infinite, so
 * U and p come out NaN).  -0 and 0 are tied.  When all values are tied (the
 * standard deviation of the approximation is 0) p is 1, as scipy's z = -inf gives.
 */
#ifndef DLPG_MANN_WHITNEY_H
#define DLPG_MANN_WHITNEY_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Asked now and then inside the loops over the samples, when not NULL: true
 * stops the work, and mw_sort returns MW_STOPPED, mw_test_sorted -2 (the
 * server sets it to "a cancel is pending" and raises the cancel itself once
 * the function has returned: nothing may longjmp out of these functions,
 * which free their own memory).
 */
extern bool (*mw_stop_requested) (void);

#define MW_STOPPED ((size_t) -1)

typedef enum MwMethod
{
	MW_NONE = 0,				/* a side has no (non-NaN) sample: no test */
	MW_EXACT,
	MW_ASYMPTOTIC
} MwMethod;

typedef struct MwResult
{
	double		u;				/* U1, the statistic of x (as scipy reports it) */
	double		p;				/* two-sided p-value in [0, 1] */
	MwMethod	method;
	size_t		nx;				/* samples used: non-finite ones left out */
	size_t		ny;
} MwResult;

/*
 * Sort values in place, ascending, the non-finite ones (NaN, +-Infinity) moved
 * to the end; returns how many are finite (the sorted prefix the functions
 * below take).
 */
extern size_t mw_sort(double *values, size_t n);	/* or MW_STOPPED */

/*
 * The median of sorted finite values with percentile_cont(0.5)'s arithmetic
 * (lo + (hi - lo) * 0.5 for an even count); NaN when n is 0.
 */
extern double mw_median_sorted(const double *sorted, size_t n);

/*
 * The test on two sorted samples of finite values (mw_sort's prefixes).  Returns 0,
 * -1 when memory for the exact distribution could not be allocated, or -2 when
 * mw_stop_requested stopped it (then *r is untouched).  A side with no sample: method MW_NONE, u and p NaN.
 */
extern int	mw_test_sorted(const double *xs, size_t nx, const double *ys, size_t ny, MwResult *r);

/* The same on any samples (copied and sorted; non-finite values dropped); -1 when out of memory. */
extern int	mw_test(const double *x, size_t nx, const double *y, size_t ny, MwResult *r);

#endif							/* DLPG_MANN_WHITNEY_H */
