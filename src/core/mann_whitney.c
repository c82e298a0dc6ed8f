/*
 * mann_whitney.c
 *		The two-sided Mann-Whitney U test as scipy.stats.mannwhitneyu(x, y,
 *		alternative='two-sided', method='auto') computes it, and the median
 *		(mann_whitney.h says exactly what, and how NaN and infinities count).
 *
 * Plain C, no PostgreSQL headers: dlpg.compare (src/compare.c) and the fuzz
 * harness (fuzz/fuzz_mann_whitney.c) run this very code.  Nothing here
 * allocates but the exact distribution's coefficients (malloc, freed before
 * returning; -1 when refused), so no error can leave memory behind.
 */
#include "mann_whitney.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * Sorting: an LSD radix sort on the doubles' bits mapped to unsigned integers
 * that order as the doubles do (sign bit flipped for positives, every bit for
 * negatives), 11 bits a pass (6 passes, the six histograms counted in one read
 * first; a pass where every key has the same digit is skipped).  Linear in n:
 * dlpg.compare sorts millions of samples.  -0 sorts before 0, which are still
 * tied (compared with ==).  The non-finite values are moved out first.
 */
bool		(*mw_stop_requested) (void) = NULL;

/* Every 64k samples: is the work to stop? */
static inline bool
stop_now(size_t i)
{
	return (i & 0xFFFF) == 0 && mw_stop_requested != NULL && mw_stop_requested();
}

#define RADIX_BITS 11
#define RADIX_SIZE (1 << RADIX_BITS)
#define RADIX_PASSES ((64 + RADIX_BITS - 1) / RADIX_BITS)

static inline uint64_t
order_key(double d)
{
	uint64_t	b;

	memcpy(&b, &d, sizeof(b));
	return (b & UINT64_C(0x8000000000000000)) ? ~b : b | UINT64_C(0x8000000000000000);
}

static inline double
key_double(uint64_t k)
{
	uint64_t	b = (k & UINT64_C(0x8000000000000000)) ? k & ~UINT64_C(0x8000000000000000) : ~k;
	double		d;

	memcpy(&d, &b, sizeof(d));
	return d;
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

size_t
mw_sort(double *values, size_t n)
{
	size_t		m = 0;
	uint64_t   *block;
	uint64_t   *keys;
	uint64_t   *tmp;
	size_t	   *count;

	/* the non-finite values to the end, the finite ones in front */
	for (size_t i = 0; i < n; i++)
		if (isfinite(values[i]))
		{
			double		v = values[i];

			values[i] = values[m];
			values[m++] = v;
		}
	if (m < 2)
		return m;
	if (m < 512)
	{
		qsort(values, m, sizeof(double), cmp_double);
		return m;
	}
	block = malloc(2 * m * sizeof(uint64_t) + RADIX_PASSES * RADIX_SIZE * sizeof(size_t));
	if (block == NULL)
	{
		/* no memory for the radix sort: the comparison sort needs none */
		qsort(values, m, sizeof(double), cmp_double);
		return m;
	}
	keys = block;
	tmp = block + m;
	count = (size_t *) (block + 2 * m);
	memset(count, 0, RADIX_PASSES * RADIX_SIZE * sizeof(size_t));
	for (size_t i = 0; i < m; i++)
	{
		uint64_t	k = order_key(values[i]);

		if (stop_now(i))
		{
			free(block);
			return MW_STOPPED;
		}
		keys[i] = k;
		for (int p = 0; p < RADIX_PASSES; p++)
			count[p * RADIX_SIZE + ((k >> (p * RADIX_BITS)) & (RADIX_SIZE - 1))]++;
	}
	for (int p = 0; p < RADIX_PASSES; p++)
	{
		size_t	   *c = count + p * RADIX_SIZE;
		int			shift = p * RADIX_BITS;
		size_t		sum = 0;
		bool		one_digit = false;
		uint64_t   *t;

		for (size_t b = 0; b < RADIX_SIZE; b++)
		{
			size_t		cb = c[b];

			if (cb == m)
				one_digit = true;
			c[b] = sum;
			sum += cb;
		}
		if (one_digit)
			continue;			/* every key has this digit: nothing to move */
		if (stop_now(0))
		{
			free(block);
			return MW_STOPPED;
		}
		for (size_t i = 0; i < m; i++)
			tmp[c[(keys[i] >> shift) & (RADIX_SIZE - 1)]++] = keys[i];
		t = keys;
		keys = tmp;
		tmp = t;
	}
	for (size_t i = 0; i < m; i++)
		values[i] = key_double(keys[i]);
	free(block);
	return m;
}

double
mw_median_sorted(const double *sorted, size_t n)
{
	double		lo,
				hi;

	if (n == 0)
		return NAN;
	if (n % 2 == 1)
		return sorted[n / 2];
	lo = sorted[n / 2 - 1];
	hi = sorted[n / 2];
	/* percentile_cont's interpolation, bit for bit */
	return lo + (hi - lo) * 0.5;
}

/*
 * P(U' <= k) * C(m + n, m) for the null distribution of U with samples of m
 * and n: the coefficients up to degree k of the q-binomial coefficient
 * [m + n choose m] = prod_{i=1..m} (1 - q^(n+i)) / (1 - q^i), each step a
 * polynomial with non-negative integer coefficients ([n + i choose i]).  As
 * only lower degrees feed a degree, the product cut at degree k is exact.
 * Integers below 2^64 are exact in long double (x86's 64-bit significand).
 * Returns -1 when out of memory.
 */
static int
exact_cdf_count(size_t m, size_t n, size_t k, long double *count)
{
	long double *c = malloc((k + 1) * sizeof(long double));
	long double sum = 0;

	if (c == NULL)
		return -1;
	c[0] = 1;
	for (size_t j = 1; j <= k; j++)
		c[j] = 0;
	for (size_t i = 1; i <= m; i++)
	{
		size_t		shift = n + i;

		for (size_t j = k; j >= shift && j <= k; j--)
			c[j] -= c[j - shift];
		for (size_t j = i; j <= k; j++)
			c[j] += c[j - i];
	}
	for (size_t j = 0; j <= k; j++)
		sum += c[j];
	free(c);
	*count = sum;
	return 0;
}

/* C(m + n, m) = prod (n + i) / i, each partial product an integer */
static long double
binomial(size_t m, size_t n)
{
	long double b = 1;

	for (size_t i = 1; i <= m; i++)
		b = b * (long double) (n + i) / (long double) i;
	return b;
}

/*
 * scipy's stats.norm.sf(z), which is special.ndtr(-z): cephes' ndtr, with
 * erf near 0 and erfc in the tails.
 */
static double
norm_sf(double z)
{
	double		x = -z;
	double		t = x * M_SQRT1_2;
	double		a = fabs(t);

	if (isnan(x))
		return NAN;
	if (a < M_SQRT1_2)
		return 0.5 + 0.5 * erf(t);
	if (t > 0)
		return 1.0 - 0.5 * erfc(a);
	return 0.5 * erfc(a);
}

int
mw_test_sorted(const double *xs, size_t nx, const double *ys, size_t ny, MwResult *r)
{
	size_t		i = 0,
				j = 0,
				pos = 0,
				groups = 0;
	long double r1_twice = 0;	/* 2 R1: an integer */
	long double tie_term = 0;	/* sum t^3 - t */
	bool		ties = false;
	double		u1,
				u;
	double		p;
	MwMethod	method;

	if (nx == 0 || ny == 0)
	{
		r->u = NAN;
		r->p = NAN;
		r->method = MW_NONE;
		r->nx = nx;
		r->ny = ny;
		return 0;
	}

	/* ranks: walk both sorted samples together, a group of equal values at a time */
	while (i < nx || j < ny)
	{
		double		v = i < nx && (j >= ny || xs[i] <= ys[j]) ? xs[i] : ys[j];
		size_t		cx = 0,
					cy = 0,
					t;

		if (stop_now(++groups))
			return -2;

		while (i < nx && xs[i] == v)
			i++, cx++;
		while (j < ny && ys[j] == v)
			j++, cy++;
		t = cx + cy;
		/* the group holds ranks pos + 1 .. pos + t: average pos + (t + 1) / 2 */
		r1_twice += (long double) cx * (long double) (2 * pos + t + 1);
		if (t > 1)
		{
			ties = true;
			tie_term += (long double) t * t * t - t;
		}
		pos += t;
	}

	u1 = (double) ((r1_twice - (long double) nx * (nx + 1)) / 2);
	u = fmax(u1, (double) nx * (double) ny - u1);

	method = (nx > 8 && ny > 8) || ties ? MW_ASYMPTOTIC : MW_EXACT;
	if (method == MW_EXACT)
	{
		size_t		m = nx < ny ? nx : ny;
		size_t		n = nx < ny ? ny : nx;
		size_t		k = m * n - (size_t) u;
		long double count;

		if (exact_cdf_count(m, n, k, &count) != 0)
			return -1;
		p = (double) (count / binomial(m, n)) * 2;
	}
	else
	{
		double		n = (double) nx + (double) ny;
		double		mu = (double) nx * (double) ny / 2;
		double		s = sqrt((double) nx * (double) ny / 12 *
							 ((n + 1) - (double) tie_term / (n * (n - 1))));
		double		numerator = u - mu - 0.5;

		p = 2 * norm_sf(numerator / s);
		if (isnan(p))
			p = 1;				/* s rounded below 0: all but nothing tied */
	}
	r->u = u1;
	r->p = p < 0 ? 0 : p > 1 ? 1 : p;
	r->method = method;
	r->nx = nx;
	r->ny = ny;
	return 0;
}

int
mw_test(const double *x, size_t nx, const double *y, size_t ny, MwResult *r)
{
	double	   *xs = malloc((nx + ny ? nx + ny : 1) * sizeof(double));
	double	   *ys = xs + nx;
	size_t		mx,
				my;
	int			rc;

	if (xs == NULL)
		return -1;
	if (nx)
		memcpy(xs, x, nx * sizeof(double));
	if (ny)
		memcpy(ys, y, ny * sizeof(double));
	mx = mw_sort(xs, nx);
	my = mw_sort(ys, ny);
	rc = mw_test_sorted(xs, mx, ys, my, r);
	free(xs);
	return rc;
}
