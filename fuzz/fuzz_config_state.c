/*
 * fuzz/fuzz_config_state.c -- libFuzzer harness for the state bytes of dlpg.point_configs /
 * dlpg.point_mixed (src/core/config_wire.c): what dlpg_internal.configs_deserialize decodes
 * from parallel workers.
 *
 * For every input (abort() on a violation, so libFuzzer reports it):
 *   1. the input as state bytes, in an exact-size buffer (ASan reports any read past it):
 *      config_wire_decode accepts it exactly when an independent check written here from the
 *      format in config_wire.h does (version CONFIG_WIRE_VERSION; nnames <= CONFIG_MAX_VALUES;
 *      each name a u32 length and its bytes; ntuples; each tuple a u32 length and exactly
 *      nnames values, each a NULL tag or a VALUE tag, u32 length and bytes; nothing after the
 *      last tuple).  When accepted: nnames and ntuples are the header's fields, the names and
 *      the tuples walked with config_wire_next stay inside the buffer and end exactly at its
 *      end, each tuple passes config_tuple_check, every value read with config_tuple_value
 *      (NULL or bytes) lies inside its tuple and is the value the reference walk found, and
 *      writing the decoded state again gives back the input byte for byte.  When refused: a
 *      non-empty reason.
 *   2. the input as the recipe of a valid state (up to 12 names, up to 40 tuples, values NULL
 *      or up to 300 bytes): it is accepted and decodes to what was written; and damaged copies
 *      (one byte short, a byte more, nnames and ntuples changed, a byte chosen by the input
 *      flipped) are judged exactly as the independent check judges them.
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

#define MAX_RECIPE_NAMES 12
#define MAX_RECIPE_TUPLES 40
#define MAX_RECIPE_VALUE 300

static uint32_t
be32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) + ((uint32_t) p[1] << 16) + ((uint32_t) p[2] << 8) + p[3];
}

static void
put32(GrowBuf *b, uint32_t v)
{
	unsigned char p[4] = {(unsigned char) (v >> 24), (unsigned char) (v >> 16), (unsigned char) (v >> 8), (unsigned char) v};

	grow_put(b, p, 4);
}

/* one value of a tuple at t[*pos], within len; false when it does not fit */
static bool
ref_value(const unsigned char *t, size_t len, size_t *pos)
{
	uint32_t	vlen;

	if (*pos >= len)
		return false;
	if (t[*pos] == CONFIG_NULL)
	{
		(*pos)++;
		return true;
	}
	if (t[*pos] != CONFIG_VALUE || len - *pos < 5)
		return false;
	vlen = be32(t + *pos + 1);
	*pos += 5;
	if ((uint64_t) vlen > (uint64_t) (len - *pos))
		return false;
	*pos += vlen;
	return true;
}

/* The format of config_wire.h, checked item by item (64-bit arithmetic, no shortcuts). */
static bool
ref_valid(const unsigned char *b, size_t len)
{
	uint64_t	pos = 3;
	uint32_t	nnames;
	uint32_t	ntuples;

	if (len < 3 || b[0] != CONFIG_WIRE_VERSION)
		return false;
	nnames = ((uint32_t) b[1] << 8) | b[2];
	if (nnames > CONFIG_MAX_VALUES)
		return false;
	for (uint32_t i = 0; i < nnames; i++)
	{
		if (pos + 4 > len)
			return false;
		pos += 4 + (uint64_t) be32(b + pos);
		if (pos > len)
			return false;
	}
	if (pos + 4 > len)
		return false;
	ntuples = be32(b + pos);
	pos += 4;
	for (uint64_t t = 0; t < ntuples; t++)
	{
		uint64_t	tlen;
		size_t		vpos = 0;

		if (pos + 4 > len)
			return false;
		tlen = be32(b + pos);
		pos += 4;
		if (pos + tlen > len)
			return false;
		for (uint32_t v = 0; v < nnames; v++)
			if (!ref_value(b + pos, (size_t) tlen, &vpos))
				return false;
		if (vpos != tlen)
			return false;
		pos += tlen;
	}
	return pos == len;
}

/* Is [p, p + n) inside [lo, hi)? */
static bool
inside(const unsigned char *p, size_t n, const unsigned char *lo, const unsigned char *hi)
{
	return p >= lo && p <= hi && n <= (size_t) (hi - p);
}

/*
 * Decode buf (exact size len); check against the independent judgement; when accepted, walk
 * everything and write it again.  Returns whether it was accepted.
 */
static bool
check_decode(const unsigned char *buf, size_t len)
{
	ConfigWire	w;
	const char *why;
	bool		want = ref_valid(buf, len);
	const unsigned char *end = buf + len;
	const unsigned char *cursor;
	GrowBuf		again = {0};

	memset(&w, 0xA5, sizeof(w));
	why = config_wire_decode(buf, len, &w);
	if ((why == NULL) != want)
		FAIL("config_wire_decode %s %zu bytes (%s) that the format %s", why ? "refused" : "accepted",
			 len, why ? why : "no reason", want ? "allows" : "forbids");
	if (why != NULL)
	{
		if (*why == '\0')
			FAIL("refused with an empty reason");
		return false;
	}
	if (w.nnames < 0 || (uint32_t) w.nnames != (((uint32_t) buf[1] << 8) | buf[2]))
		FAIL("nnames %d differs from the header", w.nnames);
	if (w.names != buf + 3)
		FAIL("names do not start right after the header");

	grow_put(&again, buf, 3);
	cursor = w.names;
	for (int i = 0; i < w.nnames; i++)
	{
		ConfigWireItem name;

		if (!inside(cursor, 4, buf, end))
			FAIL("name %d: its length field lies outside the buffer", i);
		name = config_wire_next(&cursor);
		if (!inside(name.bytes, name.len, buf, end))
			FAIL("name %d (%u bytes) runs outside the buffer", i, (unsigned) name.len);
		put32(&again, name.len);
		grow_put(&again, name.bytes, name.len);
	}
	if (!inside(cursor, 4, buf, end) || be32(cursor) != w.ntuples)
		FAIL("ntuples %u is not the field after the names", (unsigned) w.ntuples);
	if (w.tuples != cursor + 4)
		FAIL("tuples do not start right after ntuples");
	put32(&again, w.ntuples);
	cursor = w.tuples;
	for (uint32_t t = 0; t < w.ntuples; t++)
	{
		ConfigWireItem tuple;
		size_t		vpos = 0;

		if (!inside(cursor, 4, buf, end))
			FAIL("tuple %u: its length field lies outside the buffer", (unsigned) t);
		tuple = config_wire_next(&cursor);
		if (!inside(tuple.bytes, tuple.len, buf, end))
			FAIL("tuple %u (%u bytes) runs outside the buffer", (unsigned) t, (unsigned) tuple.len);
		if (!config_tuple_check(tuple.bytes, tuple.len, w.nnames))
			FAIL("tuple %u of an accepted state fails config_tuple_check", (unsigned) t);
		for (int i = 0; i < w.nnames; i++)
		{
			const unsigned char *v = (const unsigned char *) 1;
			uint32_t	vlen = 0xEEEEEEEE;
			size_t		at = vpos;
			bool		set = config_tuple_value(tuple.bytes, i, &v, &vlen);

			if (!ref_value(tuple.bytes, tuple.len, &vpos))
				FAIL("tuple %u value %d: the reference walk fails", (unsigned) t, i);
			if (set != (tuple.bytes[at] == CONFIG_VALUE))
				FAIL("tuple %u value %d: config_tuple_value says %s, the tag says otherwise",
					 (unsigned) t, i, set ? "set" : "NULL");
			if (set)
			{
				if (v != tuple.bytes + at + 5 || vlen != be32(tuple.bytes + at + 1))
					FAIL("tuple %u value %d: not the bytes the reference walk found", (unsigned) t, i);
				if (!inside(v, vlen, tuple.bytes, tuple.bytes + tuple.len))
					FAIL("tuple %u value %d (%u bytes) runs outside its tuple", (unsigned) t, i, (unsigned) vlen);
			}
			else if (v != NULL || vlen != 0)
				FAIL("tuple %u value %d: NULL with bytes or a length", (unsigned) t, i);
		}
		if (vpos != tuple.len)
			FAIL("tuple %u: %zu of its %u bytes hold its values", (unsigned) t, vpos, (unsigned) tuple.len);
		put32(&again, tuple.len);
		grow_put(&again, tuple.bytes, tuple.len);
	}
	if (cursor != end)
		FAIL("the walk ends %td bytes from the end of the buffer", end - cursor);
	if (again.n != len || memcmp(again.p, buf, len) != 0)
		FAIL("writing the decoded state again does not give the input back");
	free(again.p);
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
	GrowBuf		s = {0};
	GrowBuf		tuple = {0};
	int			nnames = take8(&r) % (MAX_RECIPE_NAMES + 1);
	int			ntuples = take8(&r) % (MAX_RECIPE_TUPLES + 1);
	unsigned char *buf;
	unsigned char *tmp;
	size_t		len;
	ConfigWire	w;
	uint8_t		flip_at;
	uint8_t		flip_mask;
	unsigned char hdr[3] = {CONFIG_WIRE_VERSION, 0, (unsigned char) nnames};

	grow_put(&s, hdr, 3);
	for (int i = 0; i < nnames; i++)
	{
		int			nlen = take8(&r) % 20;

		put32(&s, (uint32_t) nlen);
		for (int k = 0; k < nlen; k++)
		{
			uint8_t		c = take8(&r);

			grow_put(&s, &c, 1);
		}
	}
	put32(&s, (uint32_t) ntuples);
	for (int t = 0; t < ntuples; t++)
	{
		tuple.n = 0;
		for (int i = 0; i < nnames; i++)
		{
			uint8_t		how = take8(&r);

			if (how % 4 == 0)
			{
				uint8_t		tag = CONFIG_NULL;

				grow_put(&tuple, &tag, 1);
			}
			else
			{
				uint8_t		tag = CONFIG_VALUE;
				int			vlen = how % 4 == 1 ? 4 : (take8(&r) * 7) % (MAX_RECIPE_VALUE + 1);

				grow_put(&tuple, &tag, 1);
				put32(&tuple, (uint32_t) vlen);
				for (int k = 0; k < vlen; k++)
				{
					uint8_t		c = (uint8_t) (k + how);

					grow_put(&tuple, &c, 1);
				}
			}
		}
		put32(&s, (uint32_t) tuple.n);
		grow_put(&s, tuple.p, tuple.n);
	}
	flip_at = take8(&r);
	flip_mask = take8(&r);

	len = s.n;
	buf = xmalloc(len);			/* exact size */
	memcpy(buf, s.p, len);
	if (!ref_valid(buf, len))
		FAIL("the reference check refuses a state written from the format");
	if (config_wire_decode(buf, len, &w) != NULL)
		FAIL("a state written from the format is refused: %s", config_wire_decode(buf, len, &w));
	if (w.nnames != nnames || w.ntuples != (uint32_t) ntuples)
		FAIL("decoded %d names and %u tuples, wrote %d and %d", w.nnames, (unsigned) w.ntuples, nnames, ntuples);
	check_decode(buf, len);

	/* damaged copies */
	tmp = xmalloc(len + 1);
	memcpy(tmp, buf, len);
	check_damaged(tmp, len - 1);	/* one byte short */
	tmp[len] = flip_mask;
	check_damaged(tmp, len + 1);	/* a byte more */
	tmp[2] ^= (uint8_t) (flip_mask | 1);	/* nnames */
	check_damaged(tmp, len);
	memcpy(tmp, buf, len);
	if (len >= 3 + 4)
	{
		/* ntuples: find it by walking the names */
		size_t		pos = 3;

		for (int i = 0; i < nnames; i++)
			pos += 4 + be32(buf + pos);
		tmp[pos + flip_at % 4] ^= (uint8_t) (flip_mask | 1);
		check_damaged(tmp, len);
		memcpy(tmp, buf, len);
	}
	tmp[flip_at % len] ^= flip_mask;	/* anywhere */
	check_damaged(tmp, len);
	free(tmp);
	free(buf);
	free(s.p);
	free(tuple.p);
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
