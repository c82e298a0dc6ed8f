/*
 * fuzz/fuzz_state_text.c -- libFuzzer harness for the text form of the aggregate state types
 * (src/core/state_hex.c): what dlpg.trial_state, dlpg.trial_values and dlpg.config_state's
 * input functions run on a text before the checked decoders (trial_wire.c, config_wire.c).
 *
 * For every input, read as text (abort() on a violation, so libFuzzer reports it):
 *   1. state_hex_decode accepts it exactly when an independent check does (even length, every
 *      character in [0-9a-fA-F]); when refused, the position it gives is the first character
 *      that is not a digit, or length + 1 when all are digits and the length is odd; it writes
 *      only inside the output buffer (exact size: ASan reports any write past it).
 *   2. when accepted: every byte is the value of its two digits; state_hex_encode of the bytes
 *      gives the input lowercased; the bytes go through trial_wire_decode and config_wire_decode
 *      (each accepts or gives a reason, reading only inside the buffer), and a state either
 *      accepts is encoded back (trial_wire_encode) to the same bytes.
 *   3. the input as bytes: encode -> decode gives them back.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_wire.h"
#include "state_hex.h"
#include "trial_wire.h"

#define FUZZ_NAME "fuzz_state_text"
#include "fuzz_common.h"

static int
digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char
lower(char c)
{
	return (c >= 'A' && c <= 'F') ? (char) (c - 'A' + 'a') : c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text = xmalloc(size);
	unsigned char *bytes = xmalloc(size / 2);
	size_t		want_bad = 0;
	size_t		bad;

	memcpy(text, data, size);
	for (size_t i = 0; i < size && want_bad == 0; i++)
		if (digit_value(text[i]) < 0)
			want_bad = i + 1;
	if (want_bad == 0 && size % 2 == 1)
		want_bad = size + 1;

	bad = state_hex_decode(text, size, bytes);
	if (bad != want_bad)
		FAIL("state_hex_decode gave %zu, the independent check %zu (length %zu)", bad, want_bad, size);
	if (bad == 0)
	{
		char	   *again = xmalloc(size);
		TrialWire	tw;
		ConfigWire	cw;
		const char *why;

		for (size_t i = 0; i < size / 2; i++)
			if (bytes[i] != (unsigned char) (digit_value(text[2 * i]) * 16 + digit_value(text[2 * i + 1])))
				FAIL("byte %zu is not the value of its digits", i);
		state_hex_encode(bytes, size / 2, again);
		for (size_t i = 0; i < size; i++)
			if (again[i] != lower(text[i]))
				FAIL("encode(decode(text)) differs from the text lowercased at %zu", i);
		free(again);

		why = trial_wire_decode(bytes, size / 2, &tw);
		if (why == NULL)
		{
			unsigned char *re = xmalloc(trial_wire_size(tw.nvalues));
			double	   *values = xmalloc(sizeof(double) * (size_t) (tw.nvalues > 0 ? tw.nvalues : 1));

			for (int32_t i = 0; i < tw.nvalues; i++)
				values[i] = trial_wire_value(&tw, i);
			if (trial_wire_size(tw.nvalues) != size / 2)
				FAIL("a decoded trial state's size is not its length");
			trial_wire_encode(&tw, values, re);
			if (memcmp(re, bytes, size / 2) != 0)
				FAIL("a trial state read from text is not encoded back to its bytes");
			free(re);
			free(values);
		}
		else if (why[0] == '\0')
			FAIL("trial_wire_decode refused with an empty reason");
		why = config_wire_decode(bytes, size / 2, &cw);
		if (why != NULL && why[0] == '\0')
			FAIL("config_wire_decode refused with an empty reason");
	}

	/* the input as bytes: its text decodes back to it */
	{
		char	   *hex = xmalloc(2 * size);
		unsigned char *back = xmalloc(size);

		state_hex_encode(data, size, hex);
		if (state_hex_decode(hex, 2 * size, back) != 0 || memcmp(back, data, size) != 0)
			FAIL("decode(encode(bytes)) is not the bytes");
		free(hex);
		free(back);
	}
	free(text);
	free(bytes);
	return 0;
}
