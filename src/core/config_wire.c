/*
 * config_wire.c
 *		Configuration encodings and checked decoding of dlpg.point_configs
 *		states (config_wire.h).
 *
 * The decoder trusts nothing: every length is checked against what is left
 * of the buffer, the first configuration against the number of names, every
 * flag byte against 0 and 1, the hash count against the bytes that remain,
 * before anything is read.
 */
#include "config_wire.h"

#include <string.h>

void
config_wire_put_u32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char) (v >> 24);
	p[1] = (unsigned char) (v >> 16);
	p[2] = (unsigned char) (v >> 8);
	p[3] = (unsigned char) v;
}

uint32_t
config_wire_get_u32(const unsigned char *p)
{
	return ((uint32_t) p[0] << 24) | ((uint32_t) p[1] << 16) | ((uint32_t) p[2] << 8) | p[3];
}

void
config_wire_put_u64(unsigned char *p, uint64_t v)
{
	config_wire_put_u32(p, (uint32_t) (v >> 32));
	config_wire_put_u32(p + 4, (uint32_t) v);
}

uint64_t
config_wire_get_u64(const unsigned char *p)
{
	return ((uint64_t) config_wire_get_u32(p) << 32) | config_wire_get_u32(p + 4);
}

bool
config_tuple_check(const unsigned char *buf, size_t len, int nvalues)
{
	size_t		pos = 0;

	for (int i = 0; i < nvalues; i++)
	{
		uint32_t	vlen;

		if (pos >= len)
			return false;
		if (buf[pos] == CONFIG_NULL)
		{
			pos++;
			continue;
		}
		if (buf[pos] != CONFIG_VALUE || len - pos - 1 < 4)
			return false;
		vlen = config_wire_get_u32(buf + pos + 1);
		pos += 5;
		if (vlen > len - pos)
			return false;
		pos += vlen;
	}
	return pos == len;
}

/* The value at *p of a checked encoding, advancing *p; NULL bytes for SQL NULL. */
static const unsigned char *
next_value(const unsigned char **p, uint32_t *len)
{
	const unsigned char *v;

	if (**p == CONFIG_NULL)
	{
		(*p)++;
		*len = 0;
		return NULL;
	}
	*len = config_wire_get_u32(*p + 1);
	v = *p + 5;
	*p = v + *len;
	return v;
}

void
config_tuple_differs(const unsigned char *a, const unsigned char *b, int nvalues, bool *differs)
{
	for (int i = 0; i < nvalues; i++)
	{
		uint32_t	alen,
					blen;
		const unsigned char *av = next_value(&a, &alen);
		const unsigned char *bv = next_value(&b, &blen);

		if ((av == NULL) != (bv == NULL) ||
			(av && (alen != blen || memcmp(av, bv, alen) != 0)))
			differs[i] = true;
	}
}

ConfigWireItem
config_wire_next(const unsigned char **cursor)
{
	ConfigWireItem item;

	item.len = config_wire_get_u32(*cursor);
	item.bytes = *cursor + 4;
	*cursor += 4 + item.len;
	return item;
}

/* A length-prefixed item at buf[*pos], within len: its length, or false. */
static bool
check_item(const unsigned char *buf, size_t len, size_t *pos, uint32_t *itemlen)
{
	if (len - *pos < 4)
		return false;
	*itemlen = config_wire_get_u32(buf + *pos);
	*pos += 4;
	if (*itemlen > len - *pos)
		return false;
	*pos += *itemlen;
	return true;
}

const char *
config_wire_decode(const unsigned char *buf, size_t len, ConfigWire *out)
{
	size_t		pos = 3;
	uint32_t	itemlen;

	memset(out, 0, sizeof(*out));
	if (len < 3)
		return "too short for a header";
	if (buf[0] != CONFIG_WIRE_VERSION)
		return "unknown version";
	out->nnames = (buf[1] << 8) | buf[2];
	if (out->nnames > CONFIG_MAX_VALUES)
		return "too many names";
	out->names = buf + pos;
	for (int i = 0; i < out->nnames; i++)
		if (!check_item(buf, len, &pos, &itemlen))
			return "a name runs past the end";
	if (len - pos < 1 || buf[pos] > 1)
		return "no first-configuration flag";
	out->has_first = buf[pos++] == 1;
	if (out->has_first)
	{
		size_t		start = pos + 4;

		if (!check_item(buf, len, &pos, &out->first_len))
			return "the first configuration runs past the end";
		if (!config_tuple_check(buf + start, out->first_len, out->nnames))
			return "the first configuration does not hold one value per name";
		out->first = buf + start;
	}
	if (len - pos < (size_t) out->nnames)
		return "no flags for the names";
	out->differs = buf + pos;
	for (int i = 0; i < out->nnames; i++)
		if (buf[pos + i] > 1)
			return "a flag is neither 0 nor 1";
	pos += out->nnames;
	if (len - pos < 4)
		return "no hash count";
	out->nhashes = config_wire_get_u32(buf + pos);
	pos += 4;
	if ((len - pos) / 8 != out->nhashes || (len - pos) % 8 != 0)
		return "the hash count does not match the bytes that follow";
	if (out->nhashes > 0 && !out->has_first)
		return "hashes without a first configuration";
	out->hashes = buf + pos;
	return NULL;
}
