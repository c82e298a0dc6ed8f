/*
 * config_wire.h
 *		The bytes of dlpg.point_configs' state (the distinct configurations of
 *		a chart point) between parallel workers, in plain C (no PostgreSQL
 *		headers), so the fuzzer checks the very decoder the server runs.
 *
 * A configuration is a tuple of values, encoded the same way in memory and
 * on the wire: per value a tag byte (CONFIG_NULL, or CONFIG_VALUE followed
 * by a big-endian uint32 length and the bytes).  Two configurations are
 * equal exactly when their encodings are.
 *
 * A state: version (1 byte), nnames (uint16), each name (uint32 length,
 * bytes), ntuples (uint32), each tuple (uint32 length, its encoding of
 * nnames values); big-endian, nothing after the last tuple.
 */
#ifndef DLPG_CONFIG_WIRE_H
#define DLPG_CONFIG_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_WIRE_VERSION 1
#define CONFIG_NULL 0
#define CONFIG_VALUE 1
#define CONFIG_MAX_VALUES 1024	/* more axes than that is not a configuration */

/* A decoded state: pointers into the checked buffer. */
typedef struct ConfigWire
{
	int			nnames;
	uint32_t	ntuples;
	const unsigned char *names;		/* the first name's length field */
	const unsigned char *tuples;	/* the first tuple's length field */
} ConfigWire;

/* Walking a decoded state (no checks needed: config_wire_decode did them all). */
typedef struct ConfigWireItem
{
	const unsigned char *bytes;
	uint32_t	len;
} ConfigWireItem;

extern void config_wire_put_u32(unsigned char *p, uint32_t v);
extern uint32_t config_wire_get_u32(const unsigned char *p);

/* Check a tuple encoding of nvalues values; true when it is exactly that. */
extern bool config_tuple_check(const unsigned char *buf, size_t len, int nvalues);

/*
 * The i-th value of a checked tuple: false for NULL, else true with the
 * value's bytes.
 */
extern bool config_tuple_value(const unsigned char *buf, int i,
							   const unsigned char **bytes, uint32_t *len);

/* Check and read a state; NULL when valid, else why not. */
extern const char *config_wire_decode(const unsigned char *buf, size_t len, ConfigWire *out);

/* The next length-prefixed item (name or tuple) at *cursor, advancing it. */
extern ConfigWireItem config_wire_next(const unsigned char **cursor);

#endif							/* DLPG_CONFIG_WIRE_H */
