/*
 * config_wire.h
 *		The bytes of dlpg.point_configs' state (the configurations of a chart
 *		point) between parallel workers, in plain C (no PostgreSQL headers),
 *		so the fuzzer checks the very decoder the server runs.
 *
 * A configuration is a tuple of values, encoded the same way in memory and
 * on the wire: per value a tag byte (CONFIG_NULL, or CONFIG_VALUE followed
 * by a big-endian uint32 length and the bytes).  Two configurations are
 * equal exactly when their encodings are; a state keeps the first one whole
 * and the others as 64-bit hashes of their encodings.
 *
 * A state: version (1 byte), nnames (uint16), each name (uint32 length,
 * bytes), has_first (1 byte, 0 or 1), the first configuration (uint32
 * length, its encoding of nnames values) when has_first, one byte per name
 * (1: its value differs among the configurations, else 0), nhashes (uint32),
 * the hashes (uint64 each, distinct); big-endian, nothing after them.
 */
#ifndef DLPG_CONFIG_WIRE_H
#define DLPG_CONFIG_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CONFIG_WIRE_VERSION 2		/* 2: hashes instead of whole configurations */
#define CONFIG_NULL 0
#define CONFIG_VALUE 1
#define CONFIG_MAX_VALUES 1024	/* more axes than that is not a configuration */

/* A decoded state: pointers into the checked buffer. */
typedef struct ConfigWire
{
	int			nnames;
	const unsigned char *names;		/* the first name's length field */
	bool		has_first;
	const unsigned char *first;		/* the first configuration's encoding */
	uint32_t	first_len;
	const unsigned char *differs;	/* nnames bytes, 0 or 1 */
	uint32_t	nhashes;
	const unsigned char *hashes;	/* nhashes big-endian uint64 */
} ConfigWire;

/* Walking a decoded state (no checks needed: config_wire_decode did them all). */
typedef struct ConfigWireItem
{
	const unsigned char *bytes;
	uint32_t	len;
} ConfigWireItem;

extern void config_wire_put_u32(unsigned char *p, uint32_t v);
extern uint32_t config_wire_get_u32(const unsigned char *p);
extern void config_wire_put_u64(unsigned char *p, uint64_t v);
extern uint64_t config_wire_get_u64(const unsigned char *p);

/* Check a tuple encoding of nvalues values; true when it is exactly that. */
extern bool config_tuple_check(const unsigned char *buf, size_t len, int nvalues);

/*
 * Mark in differs[] (nvalues flags) the values that differ between two
 * checked encodings of nvalues values each (NULL counting as a value).
 */
extern void config_tuple_differs(const unsigned char *a, const unsigned char *b, int nvalues,
								 bool *differs);

/* Check and read a state; NULL when valid, else why not. */
extern const char *config_wire_decode(const unsigned char *buf, size_t len, ConfigWire *out);

/* The next length-prefixed name at *cursor, advancing it. */
extern ConfigWireItem config_wire_next(const unsigned char **cursor);

#endif							/* DLPG_CONFIG_WIRE_H */
