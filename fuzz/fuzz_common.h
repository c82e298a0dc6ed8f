/*
 * fuzz_common.h
 *		What every harness needs: a loud invariant failure, allocation that
 *		cannot fail quietly, a growable byte buffer, and a reader of the
 *		fuzzer's input as a recipe of bytes.  Define FUZZ_NAME before
 *		including it.
 */
#ifndef DLPG_FUZZ_COMMON_H
#define DLPG_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAIL(...) \
	do { \
		fprintf(stderr, "\n" FUZZ_NAME ": invariant violated (%s:%d): ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} while (0)

static inline void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
		FAIL("out of memory (%zu bytes)", n);
	return p;
}

static inline void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		FAIL("out of memory (%zu bytes)", n);
	return p;
}

/* A double's bits and back (NaN payloads and -0 kept). */
static inline uint64_t
bits_of(double d)
{
	uint64_t	b;

	memcpy(&b, &d, 8);
	return b;
}

static inline double
double_of(uint64_t b)
{
	double		d;

	memcpy(&d, &b, 8);
	return d;
}

/* A byte buffer that grows by doubling; reset with n = 0. */
typedef struct GrowBuf
{
	unsigned char *p;
	size_t		n;
	size_t		cap;
} GrowBuf;

static inline void
grow_put(GrowBuf *b, const void *s, size_t k)
{
	if (b->n + k > b->cap)
	{
		while (b->n + k > b->cap)
			b->cap = b->cap ? 2 * b->cap : 4096;
		b->p = xrealloc(b->p, b->cap);
	}
	if (k > 0)
		memcpy(b->p + b->n, s, k);
	b->n += k;
}

/* The fuzzer's input read as a recipe: bytes taken one by one, 0 once used up. */
typedef struct Recipe
{
	const uint8_t *p;
	size_t		n;
} Recipe;

static inline uint8_t
take8(Recipe *r)
{
	if (r->n == 0)
		return 0;
	r->n--;
	return *r->p++;
}

/* 64 bits from the recipe, big-endian. */
static inline uint64_t
take64(Recipe *r)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | take8(r);
	return v;
}

/*
 * A float8 from the recipe: one of the values that matter most (zeros,
 * infinities, NaNs, the extremes), a small value in quarters when the
 * selector byte is below small (ties, for the statistics), else raw bits.
 */
static inline double
take_double(Recipe *r, uint8_t small)
{
	static const uint64_t special[] = {
		0x0000000000000000ULL,	/* 0 */
		0x8000000000000000ULL,	/* -0 */
		0x7FF0000000000000ULL,	/* inf */
		0xFFF0000000000000ULL,	/* -inf */
		0x7FF8000000000000ULL,	/* NaN */
		0x7FF0000000000001ULL,	/* signalling NaN */
		0xFFFFFFFFFFFFFFFFULL,	/* NaN, all bits */
		0x0000000000000001ULL,	/* smallest subnormal */
		0x7FEFFFFFFFFFFFFFULL,	/* DBL_MAX */
		0xFFEFFFFFFFFFFFFFULL,	/* -DBL_MAX */
		0x3FF0000000000000ULL,	/* 1 */
	};
	uint8_t		how = take8(r);

	if (how < sizeof(special) / sizeof(special[0]))
		return double_of(special[how]);
	if (how < small)
		return (double) (int8_t) take8(r) / 4.0;
	return double_of(take64(r));
}

#endif							/* DLPG_FUZZ_COMMON_H */
