/*
 * fuzz/fuzz_config_state.c -- libFuzzer harness for the configuration aggregates' state bytes
 * (src/core/config_wire.c): what dlpg_internal.configs_deserialize decodes from parallel
 * workers.
 *
 * For every input (abort() on a violation, so libFuzzer reports it):
 *   1. the input as state bytes, in an exact-size buffer (ASan reports any read past it):
 *      when config_wire_decode accepts it, walking the names, the first configuration's values
 *      (config_tuple_differs against itself and against an all-NULL tuple) and the hashes stays
 *      inside the buffer, and encoding the decoded fields again gives the input byte for byte;
 *      when it refuses, a non-empty reason.
 *   2. the input as the recipe of a valid state (up to 40 names, a first configuration of
 *      NULLs and byte strings, flags, up to 300 hashes): it is accepted and decodes to the same
 *      fields; a copy one byte short, one byte longer, or with a byte flipped never reads
 *      outside its buffer.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_wire.h"

#define FUZZ_NAME "fuzz_config_state"
#include "fuzz_common.h"

static void
put32(GrowBuf *b, uint32_t v)
{
	unsigned char x[4];

	config_wire_put_u32(x, v);
	grow_put(b, x, 4);
}

/* Encode decoded fields again: the format has one spelling of a state. */
static void
reencode(const ConfigWire *w, GrowBuf *out)
{
	const unsigned char *cursor = w->names;
	unsigned char x[8];

	out->n = 0;
	x[0] = CONFIG_WIRE_VERSION;
	x[1] = (unsigned char) (w->nnames >> 8);
	x[2] = (unsigned char) w->nnames;
	grow_put(out, x, 3);
	for (int i = 0; i < w->nnames; i++)
	{
		ConfigWireItem name = config_wire_next(&cursor);

		put32(out, name.len);
		grow_put(out, name.bytes, name.len);
	}
	x[0] = w->has_first ? 1 : 0;
	grow_put(out, x, 1);
	if (w->has_first)
	{
		put32(out, w->first_len);
		grow_put(out, w->first, w->first_len);
	}
	grow_put(out, w->differs, w->nnames);
	put32(out, w->nhashes);
	for (uint32_t i = 0; i < w->nhashes; i++)
	{
		config_wire_put_u64(x, config_wire_get_u64(w->hashes + 8 * (size_t) i));
		grow_put(out, x, 8);
	}
}

/* Decode buf (exact size); when accepted, walk everything and round-trip. */
static bool
check_decode(const unsigned char *buf, size_t len, GrowBuf *scratch)
{
	ConfigWire	w;
	const char *why = config_wire_decode(buf, len, &w);

	if (why != NULL)
	{
		if (*why == '\0')
			FAIL("refused with an empty reason");
		return false;
	}
	if (w.nnames < 0 || w.nnames > CONFIG_MAX_VALUES)
		FAIL("accepted %d names", w.nnames);
	if (w.has_first)
	{
		bool	   *differs = xmalloc(sizeof(bool) * (size_t) (w.nnames + 1));
		unsigned char *nulls = xmalloc((size_t) w.nnames + 1);

		memset(differs, 0, sizeof(bool) * (size_t) (w.nnames + 1));
		config_tuple_differs(w.first, w.first, w.nnames, differs);
		for (int i = 0; i < w.nnames; i++)
			if (differs[i])
				FAIL("value %d differs from itself", i);
		memset(nulls, CONFIG_NULL, (size_t) w.nnames + 1);
		if (!config_tuple_check(nulls, (size_t) w.nnames, w.nnames))
			FAIL("an all-NULL tuple of %d values is refused", w.nnames);
		config_tuple_differs(w.first, nulls, w.nnames, differs);
		free(differs);
		free(nulls);
	}
	reencode(&w, scratch);
	if (scratch->n != len || memcmp(scratch->p, buf, len) != 0)
		FAIL("an accepted state of %zu bytes encodes back to %zu other bytes", len, scratch->n);
	return true;
}

/* A valid state from the recipe. */
static void
build_state(Recipe *r, GrowBuf *b)
{
	int			nnames = take8(r) % 41;
	bool		has_first = (take8(r) & 1) || nnames == 0;
	uint32_t	nhashes = has_first ? (uint32_t) (take8(r) | (take8(r) << 8)) % 301 : 0;
	unsigned char x[8];

	b->n = 0;
	x[0] = CONFIG_WIRE_VERSION;
	x[1] = (unsigned char) (nnames >> 8);
	x[2] = (unsigned char) nnames;
	grow_put(b, x, 3);
	for (int i = 0; i < nnames; i++)
	{
		uint32_t	len = take8(r) % 9;

		put32(b, len);
		for (uint32_t k = 0; k < len; k++)
		{
			x[0] = take8(r);
			grow_put(b, x, 1);
		}
	}
	x[0] = has_first ? 1 : 0;
	grow_put(b, x, 1);
	if (has_first)
	{
		GrowBuf		t = {0};

		for (int i = 0; i < nnames; i++)
		{
			uint32_t	len = take8(r) % 6;

			if (len == 5)
			{
				x[0] = CONFIG_NULL;
				grow_put(&t, x, 1);
				continue;
			}
			x[0] = CONFIG_VALUE;
			grow_put(&t, x, 1);
			put32(&t, len);
			for (uint32_t k = 0; k < len; k++)
			{
				x[0] = take8(r);
				grow_put(&t, x, 1);
			}
		}
		put32(b, (uint32_t) t.n);
		grow_put(b, t.p, t.n);
		free(t.p);
	}
	for (int i = 0; i < nnames; i++)
	{
		x[0] = take8(r) & 1;
		grow_put(b, x, 1);
	}
	put32(b, nhashes);
	for (uint32_t i = 0; i < nhashes; i++)
	{
		for (int k = 0; k < 8; k++)
			x[k] = take8(r);
		grow_put(b, x, 8);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static GrowBuf scratch;
	GrowBuf		state = {0};
	Recipe		r = {data, size};
	unsigned char *copy = xmalloc(size);

	memcpy(copy, data, size);
	check_decode(copy, size, &scratch);
	free(copy);

	build_state(&r, &state);
	{
		unsigned char *exact = xmalloc(state.n + 1);
		size_t		flip = size ? data[0] % (state.n ? state.n : 1) : 0;

		memcpy(exact, state.p, state.n);
		if (!check_decode(exact, state.n, &scratch))
			FAIL("a state built from the format (%zu bytes) is refused", state.n);
		if (state.n > 0)
			check_decode(exact, state.n - 1, &scratch);
		exact[state.n] = 0;
		check_decode(exact, state.n + 1, &scratch);
		if (state.n > 0)
		{
			exact[flip] ^= 0x5A;
			check_decode(exact, state.n, &scratch);
		}
		free(exact);
	}
	free(state.p);
	return 0;
}
