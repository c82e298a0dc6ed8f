/*
 * state_text.h
 *		The text form of dlpg's aggregate state types: their wire bytes in
 *		hexadecimal.  Exact (every bit of every float8, NaN payloads and -0
 *		included), and checked by the same decoder as the binary form.
 */
#ifndef DLPG_STATE_TEXT_H
#define DLPG_STATE_TEXT_H

#include "postgres.h"

#include "lib/stringinfo.h"

/* Hex digits (two per byte, nothing else) -> bytes, or an error naming typname. */
extern bytea *dlpg_state_text_in(const char *str, const char *typname);
/* Bytes -> lowercase hex. */
extern char *dlpg_state_text_out(const bytea *bytes);

/*
 * The four I/O functions of a state type whose flat form is its wire bytes
 * (dlpg.trial_values, dlpg.config_state): check raises on bytes that are not
 * a state of the type (the type's checked decoder).
 */
typedef void (*StateWireCheck) (const unsigned char *bytes, size_t len);

extern Datum dlpg_wire_state_in(const char *str, const char *typname, StateWireCheck check);
extern char *dlpg_wire_state_out(Datum state);
extern Datum dlpg_wire_state_recv(StringInfo buf, StateWireCheck check);
extern bytea *dlpg_wire_state_send(Datum state);

#endif							/* DLPG_STATE_TEXT_H */
