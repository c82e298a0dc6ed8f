/*
 * state_text.c
 *		The text form of the aggregate state types (state_text.h), over the
 *		plain-C hex code of core/state_hex.c.
 */
#include "postgres.h"

#include "state_hex.h"
#include "state_text.h"
#include "fmgr.h"
#include "utils/memutils.h"

bytea *
dlpg_state_text_in(const char *str, const char *typname)
{
	size_t		len = strlen(str);
	bytea	   *out;
	size_t		bad;

	if (len / 2 > MaxAllocSize - VARHDRSZ)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s value too long", typname)));
	out = palloc(VARHDRSZ + len / 2);
	SET_VARSIZE(out, VARHDRSZ + len / 2);
	bad = state_hex_decode(str, len, (unsigned char *) VARDATA(out));
	if (bad > len)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", typname),
				 errdetail("The text form is an even number of hexadecimal digits (got %zu).", len)));
	if (bad > 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s", typname),
				 errdetail("Character %zu is not a hexadecimal digit.", bad)));
	return out;
}

char *
dlpg_state_text_out(const bytea *bytes)
{
	size_t		len = VARSIZE_ANY_EXHDR(bytes);
	char	   *out = palloc(2 * len + 1);

	state_hex_encode((const unsigned char *) VARDATA_ANY(bytes), len, out);
	out[2 * len] = '\0';
	return out;
}

/* A flat state of checked wire bytes. */
static Datum
wire_state_from_bytes(const unsigned char *bytes, size_t len, StateWireCheck check)
{
	struct varlena *flat;

	check(bytes, len);
	flat = palloc(VARHDRSZ + len);
	SET_VARSIZE(flat, VARHDRSZ + len);
	memcpy(VARDATA(flat), bytes, len);
	return PointerGetDatum(flat);
}

Datum
dlpg_wire_state_in(const char *str, const char *typname, StateWireCheck check)
{
	bytea	   *bytes = dlpg_state_text_in(str, typname);

	return wire_state_from_bytes((unsigned char *) VARDATA(bytes), VARSIZE(bytes) - VARHDRSZ, check);
}

/* (PG_DETOAST_DATUM flattens an expanded state into its wire bytes) */
char *
dlpg_wire_state_out(Datum state)
{
	return dlpg_state_text_out(dlpg_wire_state_send(state));
}

Datum
dlpg_wire_state_recv(StringInfo buf, StateWireCheck check)
{
	Datum		d = wire_state_from_bytes((unsigned char *) buf->data + buf->cursor,
										  buf->len - buf->cursor, check);

	buf->cursor = buf->len;
	return d;
}

bytea *
dlpg_wire_state_send(Datum state)
{
	return (bytea *) PG_DETOAST_DATUM(state);
}
