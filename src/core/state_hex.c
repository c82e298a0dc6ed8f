/*
 * state_hex.c
 *		Hexadecimal text of the aggregate states' wire bytes (state_hex.h).
 *		Strict: a space, a sign, an odd length is not a state's text, so
 *		text read back is exactly the bytes it was made of.
 */
#include "state_hex.h"
#include "hex_digit.h"

size_t
state_hex_decode(const char *str, size_t len, unsigned char *out)
{
	for (size_t i = 0; i < len; i += 2)
	{
		int			hi = hex_digit_value(str[i]);
		int			lo;

		if (hi < 0)
			return i + 1;
		if (i + 1 == len)
			return len + 1;
		lo = hex_digit_value(str[i + 1]);
		if (lo < 0)
			return i + 2;
		out[i / 2] = (unsigned char) (hi << 4 | lo);
	}
	return 0;
}

void
state_hex_encode(const unsigned char *bytes, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++)
	{
		out[2 * i] = digits[bytes[i] >> 4];
		out[2 * i + 1] = digits[bytes[i] & 0x0F];
	}
}
