/*
 * state_text.h
 *		The text form of dlpg's aggregate state types: their wire bytes in
 *		hexadecimal.  Exact (every bit of every float8, NaN payloads and -0
 *		included), and checked by the same decoder as the binary form.
 */
#ifndef DLPG_STATE_TEXT_H
#define DLPG_STATE_TEXT_H

#include "postgres.h"

/* Hex digits (two per byte, nothing else) -> bytes, or an error naming typname. */
extern bytea *dlpg_state_text_in(const char *str, const char *typname);
/* Bytes -> lowercase hex. */
extern char *dlpg_state_text_out(const bytea *bytes);

#endif							/* DLPG_STATE_TEXT_H */
