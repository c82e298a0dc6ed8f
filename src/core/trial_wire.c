/*
 * trial_wire.c
 *		Encoding and checked decoding of trial aggregate states.
 *
 * The decoder trusts nothing: version, flags, counts and the exact length
 * are checked before a value is read.
 */
#include "trial_wire.h"

#include <string.h>

static void
put_u64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char) (v & 0xFF);
}

static uint64_t
get_u64(const unsigned char *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

static void
put_double(unsigned char *p, double d)
{
	uint64_t	bits;

	memcpy(&bits, &d, sizeof(bits));
	put_u64(p, bits);
}

static double
get_double(const unsigned char *p)
{
	uint64_t	bits = get_u64(p);
	double		d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

size_t
trial_wire_size(int64_t nvalues)
{
	return TRIAL_WIRE_HEADER_SIZE + (size_t) nvalues * 8;
}

void
trial_wire_encode(const TrialWire *w, const double *values, unsigned char *buf)
{
	unsigned char *p = buf;

	*p++ = TRIAL_WIRE_VERSION;
	*p++ = w->keep_values ? TRIAL_WIRE_KEEP_VALUES : 0;
	put_u64(p, (uint64_t) w->n);
	p += 8;
	put_double(p, w->sum);
	p += 8;
	put_double(p, w->comp);
	p += 8;
	put_double(p, w->scaled);
	p += 8;
	put_double(p, w->min);
	p += 8;
	put_double(p, w->max);
	p += 8;
	for (int i = 3; i >= 0; i--)
		p[3 - i] = (unsigned char) (((uint32_t) w->nvalues >> (8 * i)) & 0xFF);
	p += 4;
	for (int32_t i = 0; i < w->nvalues; i++, p += 8)
		put_double(p, values[i]);
}

const char *
trial_wire_decode(const unsigned char *buf, size_t len, TrialWire *out)
{
	const unsigned char *p = buf;
	uint32_t	nvalues;

	if (len < TRIAL_WIRE_HEADER_SIZE)
		return "The state is shorter than its header.";
	if (p[0] != TRIAL_WIRE_VERSION)
		return "Unknown state version.";
	if (p[1] & ~TRIAL_WIRE_KEEP_VALUES)
		return "Unknown state flags.";
	out->keep_values = (p[1] & TRIAL_WIRE_KEEP_VALUES) != 0;
	p += 2;
	out->n = (int64_t) get_u64(p);
	p += 8;
	if (out->n < 0)
		return "Negative trial count.";
	out->sum = get_double(p);
	p += 8;
	out->comp = get_double(p);
	p += 8;
	out->scaled = get_double(p);
	p += 8;
	out->min = get_double(p);
	p += 8;
	out->max = get_double(p);
	p += 8;
	nvalues = ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
	p += 4;
	if (nvalues > INT32_MAX || (int64_t) nvalues != (out->keep_values ? out->n : 0))
		return "The value count does not match the trial count.";
	if (len - TRIAL_WIRE_HEADER_SIZE != (size_t) nvalues * 8)
		return "The state's length does not match its value count.";
	out->nvalues = (int32_t) nvalues;
	out->values = p;
	return NULL;
}

double
trial_wire_value(const TrialWire *w, int32_t i)
{
	return get_double(w->values + (size_t) i * 8);
}
