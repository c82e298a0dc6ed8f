/*
 * hex_digit.h
 *		The value of a hexadecimal digit (either case), or -1: shared by the
 *		JSON reader's \u escapes and the state types' text form.
 */
#ifndef DLPG_HEX_DIGIT_H
#define DLPG_HEX_DIGIT_H

static inline int
hex_digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif							/* DLPG_HEX_DIGIT_H */
