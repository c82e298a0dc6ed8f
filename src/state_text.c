/*
 * state_text.c
 *		Hexadecimal text of the aggregate states' wire bytes (state_text.h).
 *		Strict: an odd length, a space or any other character is an error,
 *		so a text form is read back as exactly the bytes it was made of.
 */
#include "postgres.h"

#include "state_text.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

static inline int
hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bytea *
dlpg_state_text_in(const char *str, const char *typname)
{
	size_t		len = strlen(str);
	bytea	   *out;
	unsigned char *p;

	if (len % 2 != 0 || len / 2 > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", typname),
				 errdetail("The text form is an even number of hexadecimal digits.")));
	out = palloc(VARHDRSZ + len / 2);
	SET_VARSIZE(out, VARHDRSZ + len / 2);
	p = (unsigned char *) VARDATA(out);
	for (size_t i = 0; i < len; i += 2)
	{
		int			hi = hex_digit(str[i]);
		int			lo = hex_digit(str[i + 1]);

		if (hi < 0 || lo < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s", typname),
					 errdetail("Character %zu is not a hexadecimal digit.", i + 1 + (hi >= 0))));
		p[i / 2] = (unsigned char) (hi << 4 | lo);
	}
	return out;
}

char *
dlpg_state_text_out(const bytea *bytes)
{
	size_t		len = VARSIZE_ANY_EXHDR(bytes);
	char	   *out = palloc(2 * len + 1);

	hex_encode(VARDATA_ANY(bytes), len, out);
	out[2 * len] = '\0';
	return out;
}
