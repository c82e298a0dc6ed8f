/*
 * state_hex.h
 *		The text form of dlpg's aggregate states: their wire bytes as
 *		hexadecimal digits, two per byte, nothing else.  Plain C (no
 *		PostgreSQL headers), so fuzz_state_text checks the very code that
 *		the types' input functions run.
 */
#ifndef DLPG_STATE_HEX_H
#define DLPG_STATE_HEX_H

#include <stddef.h>

/*
 * Decode len characters of str into out (len / 2 bytes).  0 when every
 * character is a hex digit and len is even; else the 1-based position of
 * the first character that is not a digit, or len + 1 for an odd length.
 */
extern size_t state_hex_decode(const char *str, size_t len, unsigned char *out);
/* Encode len bytes as 2 * len lowercase hex digits (no terminator). */
extern void state_hex_encode(const unsigned char *bytes, size_t len, char *out);

#endif							/* DLPG_STATE_HEX_H */
