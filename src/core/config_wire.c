/*
 * config_wire.c
 *		Checked decoding of dlpg.point_configs states (config_wire.h).
 *
 * The decoder trusts nothing: every length is checked against what is left
 * of the buffer, every tuple against the number of names, before anything
 * is read, and nothing may follow the last tuple.
 */
#include "config_wire.h"

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

bool
config_tuple_value(const unsigned char *buf, int i, const unsigned char **bytes, uint32_t *len)
{
	const unsigned char *p = buf;

	for (;;)
	{
		bool		isnull = *p == CONFIG_NULL;
		uint32_t	vlen = isnull ? 0 : config_wire_get_u32(p + 1);

		if (i-- == 0)
		{
			*bytes = isnull ? NULL : p + 5;
			*len = vlen;
			return !isnull;
		}
		p += isnull ? 1 : 5 + vlen;
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
	if (len - pos < 4)
		return "no tuple count";
	out->ntuples = config_wire_get_u32(buf + pos);
	pos += 4;
	/* each tuple takes at least 4 + nnames bytes: bound the count before walking */
	if (out->ntuples > (len - pos) / (4 + (size_t) out->nnames))
		return "more tuples than bytes";
	out->tuples = buf + pos;
	for (uint32_t t = 0; t < out->ntuples; t++)
	{
		size_t		start = pos + 4;

		if (!check_item(buf, len, &pos, &itemlen))
			return "a tuple runs past the end";
		if (!config_tuple_check(buf + start, itemlen, out->nnames))
			return "a tuple does not hold one value per name";
	}
	if (pos != len)
		return "bytes after the last tuple";
	return NULL;
}
