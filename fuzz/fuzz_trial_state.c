/*
 * fuzz/fuzz_trial_state.c -- libFuzzer harness for the trial aggregates' state bytes
 * (src/core/trial_wire.c): what dlpg_internal.trials_deserialize decodes from parallel workers.
 *
 * For every input (abort() on a violation, so libFuzzer reports it):
 *   1. the input as state bytes, in an exact-size buffer (ASan reports any read past it):
 *      trial_wire_decode accepts it exactly when an independent check written from the format
 *      in trial_wire.h does (version TRIAL_WIRE_VERSION; flags 0 or KEEP_VALUES; n >= 0; nvalues <= INT32_MAX
 *      and equal to n with KEEP_VALUES, 0 without; length 54 + 8 * nvalues).  When accepted:
 *      every field and every value (trial_wire_value) is bit for bit the big-endian field,
 *      values lie inside the buffer, and trial_wire_encode of the decoded state gives back
 *      the input byte for byte.  When refused: a non-empty reason.
 *   2. the input as the recipe of a valid state (flags, n, any float8 bit patterns, NaNs and
 *      infinities included, up to 300 values): trial_wire_size is 54 + 8 * nvalues;
 *      encode -> decode is accepted and gives the same state bit for bit; encode again gives
 *      the same bytes; and damaged copies (one byte short, 8 bytes more, version, flags,
 *      n, nvalues changed, a byte chosen by the input flipped) are judged exactly as the
 *      independent check judges them.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trial_wire.h"

#define FUZZ_NAME "fuzz_trial_state"
#include "fuzz_common.h"


/* the format of trial_wire.h: version, flags, n, sum, comp, scaled, min, max, nvalues, values */
#define OFF_N 2
#define OFF_SUM 10
#define OFF_COMP 18
#define OFF_SCALED 26
#define OFF_MIN 34
#define OFF_MAX 42
#define OFF_NVALUES 50
#define HDR 54
_Static_assert(HDR == TRIAL_WIRE_HEADER_SIZE, "trial_wire.h changed the format: update this harness");
#define MAX_RECIPE_VALUES 300

static uint64_t
be64(const unsigned char *p)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
		v = v * 256 + p[i];
	return v;
}

static uint32_t
be32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) + ((uint32_t) p[1] << 16) + ((uint32_t) p[2] << 8) + p[3];
}

/* The format of trial_wire.h, checked field by field. */
static bool
ref_valid(const unsigned char *b, size_t len)
{
	uint64_t	n;
	uint32_t	nvalues;

	if (len < HDR || b[0] != TRIAL_WIRE_VERSION || (b[1] != 0 && b[1] != 1))
		return false;
	n = be64(b + OFF_N);
	if (n > (uint64_t) INT64_MAX)
		return false;
	nvalues = be32(b + OFF_NVALUES);
	if (nvalues > (uint32_t) INT32_MAX)
		return false;
	if (b[1] == 1 ? (uint64_t) nvalues != n : nvalues != 0)
		return false;
	return (uint64_t) len - HDR == (uint64_t) nvalues * 8;
}

/*
 * Decode buf (exact size len); check against the independent judgement; when accepted, the
 * fields, the values and the round trip.  Returns whether it was accepted.
 */
static bool
check_decode(const unsigned char *buf, size_t len)
{
	TrialWire	w;
	const char *why;
	bool		want = ref_valid(buf, len);
	volatile double sink = 0;

	memset(&w, 0xA5, sizeof(w));
	why = trial_wire_decode(buf, len, &w);
	if ((why == NULL) != want)
		FAIL("trial_wire_decode %s %zu bytes (%s) that the format %s", why ? "refused" : "accepted",
			 len, why ? why : "no reason", want ? "allows" : "forbids");
	if (why != NULL)
	{
		if (*why == '\0')
			FAIL("refused with an empty reason");
		return false;
	}
	if (w.keep_values != (buf[1] == 1) || (uint64_t) w.n != be64(buf + OFF_N) ||
		bits_of(w.sum) != be64(buf + OFF_SUM) || bits_of(w.comp) != be64(buf + OFF_COMP) ||
		bits_of(w.scaled) != be64(buf + OFF_SCALED) ||
		bits_of(w.min) != be64(buf + OFF_MIN) || bits_of(w.max) != be64(buf + OFF_MAX) ||
		w.nvalues < 0 || (uint32_t) w.nvalues != be32(buf + OFF_NVALUES))
		FAIL("decoded header fields differ from the bytes");
	if (w.values != buf + HDR)
		FAIL("values at %p, not right after the header (%p)", (const void *) w.values, (const void *) (buf + HDR));
	if (trial_wire_size(w.nvalues) != len)
		FAIL("trial_wire_size(%d) = %zu for a state of %zu bytes", (int) w.nvalues, trial_wire_size(w.nvalues), len);

	{
		double	   *values = xmalloc(sizeof(double) * (size_t) w.nvalues);
		unsigned char *again = xmalloc(len);

		for (int32_t i = 0; i < w.nvalues; i++)
		{
			values[i] = trial_wire_value(&w, i);
			if (bits_of(values[i]) != be64(buf + HDR + 8 * (size_t) i))
				FAIL("value %d differs from its bytes", (int) i);
			sink += values[i];
		}
		memset(again, 0xEE, len);
		trial_wire_encode(&w, values, again);
		if (memcmp(again, buf, len) != 0)
		{
			size_t		k = 0;

			while (again[k] == buf[k])
				k++;
			FAIL("decode -> encode changed byte %zu of %zu: 0x%02x -> 0x%02x", k, len, buf[k], again[k]);
		}
		free(again);
		free(values);
	}
	(void) sink;
	return true;
}

/* Decode a damaged copy: bytes of len (copied into an exact-size buffer). */
static void
check_damaged(const unsigned char *bytes, size_t len)
{
	unsigned char *b = xmalloc(len);

	memcpy(b, bytes, len);
	check_decode(b, len);
	free(b);
}




static void
check_recipe(const uint8_t *data, size_t size)
{
	Recipe		r = {data, size};
	uint8_t		flags = take8(&r);
	TrialWire	w;
	double	   *values;
	unsigned char *buf;
	unsigned char *again;
	unsigned char *tmp;
	size_t		len;
	TrialWire	d;
	uint8_t		flip_at;
	uint8_t		flip_mask;

	memset(&w, 0, sizeof(w));
	w.keep_values = (flags & 1) != 0;
	if (w.keep_values)
	{
		uint8_t		lo = take8(&r);
		uint8_t		hi = take8(&r);

		w.nvalues = (int32_t) (lo + 256 * (hi & 1)) % (MAX_RECIPE_VALUES + 1);
		w.n = w.nvalues;
	}
	else
	{
		uint64_t	n = take64(&r);

		w.nvalues = 0;
		/* small counts, and counts up to INT64_MAX */
		w.n = (flags & 2) ? (int64_t) (n & INT64_MAX) : (int64_t) (n % 1000);
	}
	w.sum = take_double(&r, 40);
	w.comp = take_double(&r, 40);
	w.scaled = take_double(&r, 40);
	w.min = take_double(&r, 40);
	w.max = take_double(&r, 40);
	values = xmalloc(sizeof(double) * (size_t) w.nvalues);
	for (int32_t i = 0; i < w.nvalues; i++)
		values[i] = take_double(&r, 40);
	flip_at = take8(&r);
	flip_mask = take8(&r);

	len = trial_wire_size(w.nvalues);
	if (len != HDR + 8 * (size_t) w.nvalues)
		FAIL("trial_wire_size(%d) = %zu", (int) w.nvalues, len);
	buf = xmalloc(len);			/* exact size: ASan reports a write past it */
	memset(buf, 0xEE, len);
	trial_wire_encode(&w, values, buf);
	if (!ref_valid(buf, len))
		FAIL("trial_wire_encode wrote a state the format forbids");

	memset(&d, 0x5A, sizeof(d));
	if (trial_wire_decode(buf, len, &d) != NULL)
		FAIL("a freshly encoded state is refused");
	if (d.keep_values != w.keep_values || d.n != w.n || d.nvalues != w.nvalues ||
		bits_of(d.sum) != bits_of(w.sum) || bits_of(d.comp) != bits_of(w.comp) ||
		bits_of(d.scaled) != bits_of(w.scaled) || bits_of(d.min) != bits_of(w.min) || bits_of(d.max) != bits_of(w.max))
		FAIL("encode -> decode changed a header field");
	for (int32_t i = 0; i < d.nvalues; i++)
		if (bits_of(trial_wire_value(&d, i)) != bits_of(values[i]))
			FAIL("encode -> decode changed value %d", (int) i);
	again = xmalloc(len);
	trial_wire_encode(&d, values, again);
	if (memcmp(again, buf, len) != 0)
		FAIL("encode -> decode -> encode changed the bytes");
	free(again);
	check_decode(buf, len);

	/* damaged copies */
	tmp = xmalloc(len + 8);
	memcpy(tmp, buf, len);
	check_damaged(tmp, len - 1);	/* one byte short */
	check_damaged(tmp, HDR - 1);	/* shorter than the header */
	memset(tmp + len, (int) flip_mask, 8);
	check_damaged(tmp, len + 8);	/* one value too many */
	memcpy(tmp, buf, len);
	tmp[0] ^= (uint8_t) (flip_mask | 1);	/* version */
	check_damaged(tmp, len);
	memcpy(tmp, buf, len);
	tmp[1] ^= (uint8_t) (flip_mask | 1);	/* flags */
	check_damaged(tmp, len);
	memcpy(tmp, buf, len);
	tmp[OFF_N + flip_at % 8] ^= (uint8_t) (flip_mask | 1);	/* n */
	check_damaged(tmp, len);
	memcpy(tmp, buf, len);
	tmp[OFF_NVALUES + flip_at % 4] ^= (uint8_t) (flip_mask | 1);	/* nvalues */
	check_damaged(tmp, len);
	memcpy(tmp, buf, len);
	tmp[flip_at % len] ^= flip_mask;	/* anywhere */
	check_damaged(tmp, len);
	free(tmp);

	free(buf);
	free(values);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *buf = xmalloc(size);

	/* 1: the bytes as they came, in a buffer of exactly their size */
	memcpy(buf, data, size);
	check_decode(buf, size);
	free(buf);

	/* 2: a valid state made from them */
	check_recipe(data, size);
	return 0;
}
