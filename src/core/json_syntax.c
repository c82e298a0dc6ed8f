/*
 * json_syntax.c
 *		A JSON reader for log values, reporting events to a sink.
 *
 * It accepts exactly what PostgreSQL's jsonb input accepts (RFC 8259 JSON;
 * no "\u0000"; a "\u" escape above ASCII only in a UTF-8 database; numbers
 * that numeric can hold), which the tests check value by value against
 * jsonb_in.  It exists because it is several times cheaper than the generic
 * JSON lexer: strings without escapes are handed over as pointers into the
 * input, scanned eight bytes at a time, and nothing is appended byte by byte.
 *
 * Invalid JSON is not an error here: the caller keeps such a value as text.
 * Plain C with no PostgreSQL headers, so the fuzzers run this very code.
 */
#include "json_syntax.h"
#include "hex_digit.h"

#include <stdint.h>
#include <string.h>

typedef struct JsonReader
{
	char	   *p;
	char	   *end;
	int			depth;
	int			max_depth;
	bool		utf8;
	const JsonSink *sink;
} JsonReader;

static JsonReadResult read_value(JsonReader *r);

static inline void
emit(JsonReader *r, JsonEventType type, char *text, int len)
{
	r->sink->event(r->sink->arg, type, text, len);
}

static inline void
skip_whitespace(JsonReader *r)
{
	while (r->p < r->end &&
		   (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * Would numeric_in take this JSON number?  jsonb_in refuses one it cannot
 * hold, so it is no JSON here.  numeric's limits, as numeric_in applies
 * them: an exponent below INT_MAX / 2 in size, a display scale (digits after
 * the point, less the exponent) of at most 16383, and the most significant
 * non-zero digit at most at 10^131071.
 */
static bool
number_fits_numeric(const char *p, const char *end)
{
	const char *int_start,
			   *int_end,
			   *frac_start,
			   *frac_end;
	long long	exponent = 0;
	long long	dweight;

	if (p < end && *p == '-')
		p++;
	int_start = p;
	while (p < end && is_digit(*p))
		p++;
	int_end = frac_start = frac_end = p;
	if (p < end && *p == '.')
	{
		frac_start = ++p;
		while (p < end && is_digit(*p))
			p++;
		frac_end = p;
	}
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		bool		negative = false;

		p++;
		if (p < end && (*p == '+' || *p == '-'))
			negative = (*p++ == '-');
		for (; p < end && is_digit(*p); p++)
		{
			exponent = exponent * 10 + (*p - '0');
			if (exponent >= 1073741823)		/* INT_MAX / 2 */
				return false;
		}
		if (negative)
			exponent = -exponent;
	}
	if ((frac_end - frac_start) - exponent > 16383)
		return false;

	for (p = int_start; p < int_end && *p == '0'; p++)
		;
	if (p < int_end)
		dweight = (int_end - p - 1) + exponent;
	else
	{
		for (p = frac_start; p < frac_end && *p == '0'; p++)
			;
		if (p == frac_end)
			return true;		/* zero */
		dweight = -(p - frac_start + 1) + exponent;
	}
	return dweight <= 131071;
}

/* Is [s, s + len) exactly a JSON number? */
bool
json_is_number(const char *s, int len)
{
	const char *p = s;
	const char *end = s + len;

	if (p < end && *p == '-')
		p++;
	if (p >= end || !is_digit(*p))
		return false;
	if (*p == '0')
		p++;
	else
		while (p < end && is_digit(*p))
			p++;
	if (p < end && *p == '.')
	{
		if (++p >= end || !is_digit(*p))
			return false;
		while (p < end && is_digit(*p))
			p++;
	}
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p >= end || !is_digit(*p))
			return false;
		while (p < end && is_digit(*p))
			p++;
	}
	return p == end;
}

/* Four hex digits at p, or -1. */
static long
read_hex4(const char *p, const char *end)
{
	long		cp = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++)
	{
		int			h = hex_digit_value(p[i]);

		if (h < 0)
			return -1;
		cp = (cp << 4) | h;
	}
	return cp;
}

static char *
put_utf8(char *o, long cp)
{
	if (cp < 0x80)
		*o++ = (char) cp;
	else if (cp < 0x800)
	{
		*o++ = (char) (0xC0 | (cp >> 6));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	else if (cp < 0x10000)
	{
		*o++ = (char) (0xE0 | (cp >> 12));
		*o++ = (char) (0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	else
	{
		*o++ = (char) (0xF0 | (cp >> 18));
		*o++ = (char) (0x80 | ((cp >> 12) & 0x3F));
		*o++ = (char) (0x80 | ((cp >> 6) & 0x3F));
		*o++ = (char) (0x80 | (cp & 0x3F));
	}
	return o;
}

/*
 * Decode the escapes of a string whose raw body is [s, e) into out (at least
 * e - s bytes: decoded text is never longer); its length, or -1.
 */
static int
decode_escapes(const char *s, const char *e, char *out, bool utf8)
{
	char	   *o = out;

	while (s < e)
	{
		long		cp;

		if (*s != '\\')
		{
			*o++ = *s++;
			continue;
		}
		s++;					/* the backslash; the scan guaranteed a character after it */
		switch (*s++)
		{
			case '"':
				*o++ = '"';
				continue;
			case '\\':
				*o++ = '\\';
				continue;
			case '/':
				*o++ = '/';
				continue;
			case 'b':
				*o++ = '\b';
				continue;
			case 'f':
				*o++ = '\f';
				continue;
			case 'n':
				*o++ = '\n';
				continue;
			case 'r':
				*o++ = '\r';
				continue;
			case 't':
				*o++ = '\t';
				continue;
			case 'u':
				break;
			default:
				return -1;
		}
		cp = read_hex4(s, e);
		if (cp < 0)
			return -1;
		s += 4;
		if (cp >= 0xD800 && cp <= 0xDBFF)
		{
			long		low;

			/* a high surrogate must be followed by "\u" and a low one */
			if (e - s < 6 || s[0] != '\\' || s[1] != 'u')
				return -1;
			low = read_hex4(s + 2, e);
			if (low < 0xDC00 || low > 0xDFFF)
				return -1;
			s += 6;
			cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
		}
		else if (cp >= 0xDC00 && cp <= 0xDFFF)
			return -1;
		if (cp == 0)
			return -1;			/* jsonb has no \u0000 */
		if (!utf8 && cp > 0x7F)
			return -1;			/* as jsonb_in in a database that is not UTF-8 */
		o = put_utf8(o, cp);
	}
	return (int) (o - out);
}

/*
 * Eight bytes at a time: does any byte need a closer look (a quote, a
 * backslash, or a control character)?  The classic SWAR tests for a zero
 * byte and for a byte below n; UTF-8 bytes (>= 0x80) never trigger them.
 */
#define SWAR_ONES UINT64_C(0x0101010101010101)
#define SWAR_HIGHS UINT64_C(0x8080808080808080)
#define SWAR_HAS_ZERO(w) ((((w) - SWAR_ONES) & ~(w) & SWAR_HIGHS) != 0)
#define SWAR_HAS_LESS(w, n) ((((w) - SWAR_ONES * (n)) & ~(w) & SWAR_HIGHS) != 0)

static inline bool
word_is_plain(uint64_t w)
{
	return !SWAR_HAS_ZERO(w ^ (SWAR_ONES * '"')) &&
		!SWAR_HAS_ZERO(w ^ (SWAR_ONES * '\\')) &&
		!SWAR_HAS_LESS(w, 0x20);
}

/* A string at r->p (on its opening quote), reported as type. */
static bool
read_string(JsonReader *r, JsonEventType type)
{
	char	   *body = ++r->p;
	bool		escaped = false;

	for (;;)
	{
		uint64_t	w;
		unsigned char c;

		while (r->end - r->p >= 8)
		{
			memcpy(&w, r->p, 8);
			if (!word_is_plain(w))
				break;
			r->p += 8;
		}
		if (r->p >= r->end)
			return false;
		c = (unsigned char) *r->p;
		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		if (c == '\\')
		{
			escaped = true;
			if (++r->p >= r->end)
				return false;
		}
		r->p++;
	}

	if (!escaped)
		emit(r, type, body, (int) (r->p - body));
	else
	{
		char	   *out = r->sink->alloc(r->sink->arg, r->p - body);
		int			len = decode_escapes(body, r->p, out, r->utf8);

		if (len < 0)
			return false;
		emit(r, type, out, len);
	}
	r->p++;						/* closing quote */
	return true;
}

static bool
read_number(JsonReader *r)
{
	char	   *start = r->p;

	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end || !is_digit(*r->p))
		return false;
	if (*r->p == '0')
		r->p++;
	else
		while (r->p < r->end && is_digit(*r->p))
			r->p++;
	if (r->p < r->end && *r->p == '.')
	{
		r->p++;
		if (r->p >= r->end || !is_digit(*r->p))
			return false;
		while (r->p < r->end && is_digit(*r->p))
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
	{
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (r->p >= r->end || !is_digit(*r->p))
			return false;
		while (r->p < r->end && is_digit(*r->p))
			r->p++;
	}
	if (!number_fits_numeric(start, r->p))
		return false;
	emit(r, JSON_EV_NUMBER, start, (int) (r->p - start));
	return true;
}

static bool
read_literal(JsonReader *r, const char *word, int len, JsonEventType type)
{
	if (r->end - r->p < len || memcmp(r->p, word, len) != 0)
		return false;
	r->p += len;
	emit(r, type, NULL, 0);
	return true;
}

static JsonReadResult
read_object(JsonReader *r)
{
	JsonReadResult res;

	if (++r->depth > r->max_depth)
		return JSON_READ_TOO_DEEP;
	r->p++;						/* the brace */
	emit(r, JSON_EV_BEGIN_OBJECT, NULL, 0);
	skip_whitespace(r);
	if (r->p < r->end && *r->p == '}')
		r->p++;
	else
		for (;;)
		{
			skip_whitespace(r);
			if (r->p >= r->end || *r->p != '"' || !read_string(r, JSON_EV_KEY))
				return JSON_READ_INVALID;
			skip_whitespace(r);
			if (r->p >= r->end || *r->p != ':')
				return JSON_READ_INVALID;
			r->p++;
			if ((res = read_value(r)) != JSON_READ_OK)
				return res;
			skip_whitespace(r);
			if (r->p >= r->end)
				return JSON_READ_INVALID;
			if (*r->p == '}')
			{
				r->p++;
				break;
			}
			if (*r->p++ != ',')
				return JSON_READ_INVALID;
		}
	r->depth--;
	emit(r, JSON_EV_END_OBJECT, NULL, 0);
	return JSON_READ_OK;
}

static JsonReadResult
read_array(JsonReader *r)
{
	JsonReadResult res;

	if (++r->depth > r->max_depth)
		return JSON_READ_TOO_DEEP;
	r->p++;						/* the bracket */
	emit(r, JSON_EV_BEGIN_ARRAY, NULL, 0);
	skip_whitespace(r);
	if (r->p < r->end && *r->p == ']')
		r->p++;
	else
		for (;;)
		{
			if ((res = read_value(r)) != JSON_READ_OK)
				return res;
			skip_whitespace(r);
			if (r->p >= r->end)
				return JSON_READ_INVALID;
			if (*r->p == ']')
			{
				r->p++;
				break;
			}
			if (*r->p++ != ',')
				return JSON_READ_INVALID;
		}
	r->depth--;
	emit(r, JSON_EV_END_ARRAY, NULL, 0);
	return JSON_READ_OK;
}

static JsonReadResult
read_value(JsonReader *r)
{
	bool		ok;

	skip_whitespace(r);
	if (r->p >= r->end)
		return JSON_READ_INVALID;
	switch (*r->p)
	{
		case '{':
			return read_object(r);
		case '[':
			return read_array(r);
		case '"':
			ok = read_string(r, JSON_EV_STRING);
			break;
		case 't':
			ok = read_literal(r, "true", 4, JSON_EV_TRUE);
			break;
		case 'f':
			ok = read_literal(r, "false", 5, JSON_EV_FALSE);
			break;
		case 'n':
			ok = read_literal(r, "null", 4, JSON_EV_NULL);
			break;
		default:
			ok = read_number(r);
			break;
	}
	return ok ? JSON_READ_OK : JSON_READ_INVALID;
}

JsonReadResult
json_read_value(char *text, int len, int max_depth, bool utf8, const JsonSink *sink)
{
	JsonReader	r;
	JsonReadResult res;

	r.p = text;
	r.end = text + len;
	r.depth = 0;
	r.max_depth = max_depth;
	r.utf8 = utf8;
	r.sink = sink;
	res = read_value(&r);
	if (res != JSON_READ_OK)
		return res;
	skip_whitespace(&r);
	return r.p == r.end ? JSON_READ_OK : JSON_READ_INVALID;
}
