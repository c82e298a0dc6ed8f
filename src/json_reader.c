/*
 * json_reader.c
 *		A JSON reader that builds jsonb straight from text, for log values.
 *
 * It accepts exactly what PostgreSQL's jsonb input accepts (RFC 8259 JSON;
 * no "\u0000"; a "\u" escape above ASCII only in a UTF-8 database) and
 * gives the same jsonb, which the tests check value by value against
 * jsonb_in.  It exists because it is several times cheaper than going
 * through the generic JSON lexer: strings without escapes are not copied
 * but point into the log text, which outlives the jsonb being built, and
 * nothing is appended byte by byte.
 *
 * Invalid JSON is not an error here: the caller keeps such a value as a
 * string.  Only limits raise errors (a string too long for jsonb, the stack).
 * A number numeric cannot hold counts as invalid, as jsonb_in refuses it.
 */
#include "dlpg.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

typedef struct JsonReader
{
	char	   *p;
	char	   *end;
	int			depth;
	JsonbParseState **pstate;
} JsonReader;

static JsonReadResult read_value(JsonReader *r, JsonbIteratorToken scalar_token);

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

void
dlpg_check_jsonb_string_length(size_t len)
{
	if (len > JENTRY_OFFLENMASK)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("string too long to represent as jsonb string"),
				 errdetail("jsonb strings cannot exceed %d bytes.",
						   JENTRY_OFFLENMASK)));
}

/*
 * Would numeric_in take this JSON number?  Its scale and weight are bounded;
 * jsonb_in fails on a number beyond them (1e-99999), so it is no JSON here
 * and the value is kept as text rather than failing the whole log.
 */
static bool
json_number_fits_numeric(const char *token)
{
	const char *p = token;
	long		int_digits = 0;
	long		frac_digits = 0;
	long		exponent = 0;

	if (*p == '-')
		p++;
	for (; is_digit(*p); p++)
		int_digits++;
	if (*p == '.')
		for (p++; is_digit(*p); p++)
			frac_digits++;
	if (*p == 'e' || *p == 'E')
	{
		bool		negative = false;

		p++;
		if (*p == '+' || *p == '-')
			negative = (*p++ == '-');
		for (; is_digit(*p); p++)
		{
			exponent = exponent * 10 + (*p - '0');
			if (exponent > 1000000)
				return false;
		}
		if (negative)
			exponent = -exponent;
	}
	return frac_digits - exponent <= 16000 && int_digits + exponent <= 130000;
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits after "\u" at p, or -1. */
static int
read_hex4(const char *p, const char *end)
{
	int			cp = 0;

	if (end - p < 4)
		return -1;
	for (int i = 0; i < 4; i++)
	{
		int			h = hex_value(p[i]);

		if (h < 0)
			return -1;
		cp = (cp << 4) | h;
	}
	return cp;
}

/* Decode the escapes of a string whose raw body is [s, e) into out; its length, or -1. */
static int
decode_escapes(const char *s, const char *e, char *out)
{
	char	   *o = out;

	while (s < e)
	{
		int			cp;

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
			int			low;

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
		if (GetDatabaseEncoding() == PG_UTF8)
		{
			unicode_to_utf8((pg_wchar) cp, (unsigned char *) o);
			o += pg_utf_mblen((unsigned char *) o);
		}
		else if (cp <= 0x7F)
			*o++ = (char) cp;
		else
			return -1;
	}
	return (int) (o - out);
}

/*
 * Eight bytes at a time: does any byte need a closer look (a quote, a
 * backslash, or a control character)?  The classic SWAR tests for a zero
 * byte and for a byte below n; UTF-8 bytes (>= 0x80) never trigger them.
 */
#define SWAR_ONES UINT64CONST(0x0101010101010101)
#define SWAR_HIGHS UINT64CONST(0x8080808080808080)
#define SWAR_HAS_ZERO(w) ((((w) - SWAR_ONES) & ~(w) & SWAR_HIGHS) != 0)
#define SWAR_HAS_LESS(w, n) ((((w) - SWAR_ONES * (n)) & ~(w) & SWAR_HIGHS) != 0)

static inline bool
word_is_plain(uint64 w)
{
	return !SWAR_HAS_ZERO(w ^ (SWAR_ONES * '"')) &&
		!SWAR_HAS_ZERO(w ^ (SWAR_ONES * '\\')) &&
		!SWAR_HAS_LESS(w, 0x20);
}

/* A string at r->p (on its opening quote) into v. */
static bool
read_string(JsonReader *r, JsonbValue *v)
{
	char	   *body = ++r->p;
	bool		escaped = false;

	for (;;)
	{
		uint64		w;
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

	v->type = jbvString;
	if (!escaped)
	{
		v->val.string.val = body;
		v->val.string.len = (int) (r->p - body);
	}
	else
	{
		/* decoded text is never longer than the escaped one */
		char	   *out = palloc(r->p - body);
		int			len = decode_escapes(body, r->p, out);

		if (len < 0)
			return false;
		v->val.string.val = out;
		v->val.string.len = len;
	}
	dlpg_check_jsonb_string_length(v->val.string.len);
	r->p++;						/* closing quote */
	return true;
}

static bool
read_number(JsonReader *r, JsonbValue *v)
{
	char	   *start = r->p;
	char	   *token;

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
	token = pnstrdup(start, r->p - start);
	if (!json_number_fits_numeric(token))
		return false;
	v->type = jbvNumeric;
	v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
														 CStringGetDatum(token),
														 ObjectIdGetDatum(InvalidOid),
														 Int32GetDatum(-1)));
	return true;
}

static bool
read_literal(JsonReader *r, const char *word, int len)
{
	if (r->end - r->p < len || memcmp(r->p, word, len) != 0)
		return false;
	r->p += len;
	return true;
}

/* jsonb's key order: shorter first, then bytewise; the later of equal keys first. */
static inline int
compare_pairs(const JsonbPair *a, const JsonbPair *b)
{
	int			res;

	if (a->key.val.string.len != b->key.val.string.len)
		return a->key.val.string.len < b->key.val.string.len ? -1 : 1;
	res = memcmp(a->key.val.string.val, b->key.val.string.val, a->key.val.string.len);
	if (res != 0)
		return res;
	return a->order > b->order ? -1 : 1;
}

static int
compare_pairs_qsort(const void *a, const void *b)
{
	return compare_pairs((const JsonbPair *) a, (const JsonbPair *) b);
}

/*
 * Put an object's pairs in jsonb's order before it is closed.  jsonb sorts
 * them anyway, through a comparator called by pointer; found already sorted
 * it only checks.  Keys are bucketed by length (a counting sort) and each
 * bucket, short in practice, sorted by insertion, which costs a fraction of
 * the general sort on the hundreds of keys of a log.  Correctness does not
 * depend on this: it only saves time.
 */
void
dlpg_presort_object_pairs(JsonbValue *object)
{
#define MAX_BUCKETED_KEY 255
	int			n = object->val.object.nPairs;
	JsonbPair  *pairs = object->val.object.pairs;
	JsonbPair  *sorted;
	int			start[MAX_BUCKETED_KEY + 2] = {0};

	if (n < 8)
		return;					/* jsonb's insertion sort is as good */
	for (int i = 0; i < n; i++)
	{
		int			len = pairs[i].key.val.string.len;

		if (len > MAX_BUCKETED_KEY)
			return;				/* leave unusual objects to jsonb */
		start[len + 1]++;
	}
	for (int len = 1; len <= MAX_BUCKETED_KEY + 1; len++)
		start[len] += start[len - 1];

	sorted = palloc(sizeof(JsonbPair) * n);
	for (int i = 0; i < n; i++)
		sorted[start[pairs[i].key.val.string.len]++] = pairs[i];

	/* start[len] now marks the end of bucket len */
	for (int len = 0, from = 0; len <= MAX_BUCKETED_KEY; from = start[len], len++)
	{
		int			size = start[len] - from;
		JsonbPair  *b = sorted + from;

		if (size > 16)
			qsort(b, size, sizeof(JsonbPair), compare_pairs_qsort);
		else
			for (int i = 1; i < size; i++)
			{
				JsonbPair	x = b[i];
				int			j = i;

				for (; j > 0 && compare_pairs(&b[j - 1], &x) > 0; j--)
					b[j] = b[j - 1];
				b[j] = x;
			}
	}
	memcpy(pairs, sorted, sizeof(JsonbPair) * n);
	pfree(sorted);
}

static JsonReadResult
enter_container(JsonReader *r, JsonbIteratorToken begin)
{
	if (++r->depth > DLPG_MAX_JSON_DEPTH)
		return JSON_READ_TOO_DEEP;
	check_stack_depth();
	r->p++;						/* the bracket */
	pushJsonbValue(r->pstate, begin, NULL);
	return JSON_READ_OK;
}

static JsonReadResult
read_object(JsonReader *r)
{
	JsonReadResult res = enter_container(r, WJB_BEGIN_OBJECT);

	if (res != JSON_READ_OK)
		return res;
	skip_whitespace(r);
	if (r->p < r->end && *r->p == '}')
		r->p++;
	else
		for (;;)
		{
			JsonbValue	key;

			skip_whitespace(r);
			if (r->p >= r->end || *r->p != '"' || !read_string(r, &key))
				return JSON_READ_INVALID;
			pushJsonbValue(r->pstate, WJB_KEY, &key);
			skip_whitespace(r);
			if (r->p >= r->end || *r->p != ':')
				return JSON_READ_INVALID;
			r->p++;
			if ((res = read_value(r, WJB_VALUE)) != JSON_READ_OK)
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
	dlpg_presort_object_pairs(&(*r->pstate)->contVal);
	pushJsonbValue(r->pstate, WJB_END_OBJECT, NULL);
	return JSON_READ_OK;
}

static JsonReadResult
read_array(JsonReader *r)
{
	JsonReadResult res = enter_container(r, WJB_BEGIN_ARRAY);

	if (res != JSON_READ_OK)
		return res;
	skip_whitespace(r);
	if (r->p < r->end && *r->p == ']')
		r->p++;
	else
		for (;;)
		{
			if ((res = read_value(r, WJB_ELEM)) != JSON_READ_OK)
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
	pushJsonbValue(r->pstate, WJB_END_ARRAY, NULL);
	return JSON_READ_OK;
}

/* One value; a scalar is pushed as scalar_token (WJB_VALUE in an object, WJB_ELEM in an array). */
static JsonReadResult
read_value(JsonReader *r, JsonbIteratorToken scalar_token)
{
	JsonbValue	v;
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
			ok = read_string(r, &v);
			break;
		case 't':
			v.type = jbvBool;
			v.val.boolean = true;
			ok = read_literal(r, "true", 4);
			break;
		case 'f':
			v.type = jbvBool;
			v.val.boolean = false;
			ok = read_literal(r, "false", 5);
			break;
		case 'n':
			v.type = jbvNull;
			ok = read_literal(r, "null", 4);
			break;
		default:
			ok = read_number(r, &v);
			break;
	}
	if (!ok)
		return JSON_READ_INVALID;
	pushJsonbValue(r->pstate, scalar_token, &v);
	return JSON_READ_OK;
}

/*
 * Read the JSON text [text, text + len) and push it into *pstate as the
 * value of the key just pushed into the object there.  On anything but
 * JSON_READ_OK, *pstate may hold half-built containers the caller must drop.
 * Strings may point into text, which must outlive the jsonb built.
 */
JsonReadResult
dlpg_read_json_value(JsonbParseState **pstate, char *text, int len)
{
	JsonReader	r;
	JsonReadResult res;

	r.p = text;
	r.end = text + len;
	r.depth = 0;
	r.pstate = pstate;
	res = read_value(&r, WJB_VALUE);
	if (res != JSON_READ_OK)
		return res;
	skip_whitespace(&r);
	return r.p == r.end ? JSON_READ_OK : JSON_READ_INVALID;
}
