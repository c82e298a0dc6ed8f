/*
 * trial_wire.h
 *		The bytes of a trial aggregate's state between parallel workers, in
 *		plain C (no PostgreSQL headers), so the fuzzers check the very decoder
 *		that dlpg_internal.trials_deserialize runs.
 *
 *		version (1 byte), flags (1), n (int64), sum, compensation, scaled sum,
 *		min, max (float8 each), nvalues (int32), then nvalues float8;
 *		big-endian.
 */
#ifndef DLPG_TRIAL_WIRE_H
#define DLPG_TRIAL_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TRIAL_WIRE_VERSION 2		/* 2: the scaled sum */
#define TRIAL_WIRE_KEEP_VALUES 0x01
#define TRIAL_WIRE_HEADER_SIZE (1 + 1 + 8 + 5 * 8 + 4)

typedef struct TrialWire
{
	bool		keep_values;
	int64_t		n;
	double		sum;
	double		comp;
	double		scaled;			/* the sum of x * 2^-64, for means beyond DBL_MAX */
	double		min;
	double		max;
	int32_t		nvalues;
	const unsigned char *values;	/* nvalues big-endian float8, inside the buffer */
} TrialWire;

/* Bytes needed for a state with nvalues values. */
extern size_t trial_wire_size(int64_t nvalues);
/* Write w (values taken from the doubles in values) into buf of trial_wire_size bytes. */
extern void trial_wire_encode(const TrialWire *w, const double *values, unsigned char *buf);
/* Check and read a state; NULL when valid, else why not. */
extern const char *trial_wire_decode(const unsigned char *buf, size_t len, TrialWire *out);
/* The i-th value of a decoded state. */
extern double trial_wire_value(const TrialWire *w, int32_t i);

#endif							/* DLPG_TRIAL_WIRE_H */
