/*
 * fuzz/fuzz_log.c -- libFuzzer harness for the DLBS line grammar (src/core/log_lines.c) and the
 * JSON reader (src/core/json_syntax.c), driven the way src/dlbs/log_parser.c drives them: every
 * parameter line of a log is found with log_next_param_line (and every MLPerf MLLOG line with
 * log_next_mllog_line: token and record inside one line, stripped) and its value is read with
 * json_read_value (max depth DLPG_MAX_JSON_DEPTH, from json_syntax.h).
 *
 * Input: byte 0 holds options, the rest is the log.
 *   bit 0      utf8: the database encoding is UTF-8 ("\u" escapes above ASCII allowed)
 *   bits 1-3   depth for the small-depth oracle: 1 + this (1..8)
 *   bit 4      the rest is one JSON value, not a log (reaches what a log line cannot hold:
 *              newlines and leading or trailing blanks around a value)
 *   bit 5      the re-serialization oracle puts whitespace between tokens
 *   bit 6      the re-serialization oracle writes non-ASCII characters as "\u" escapes
 *
 * Checked for every input (abort() on a violation, so libFuzzer reports it):
 *   lines    key and value of every LogLine lie inside the log, key before value, neither
 *            crosses a line end, both stripped; line numbers strictly increase; the lines are
 *            exactly those of an independent, plain implementation of DLBS's regex
 *            ^[ \t]*__(.+?(?=__[ \t]*[=]))__[ \t]*=(.+) over Python's universal newlines.
 *   events   (a checking JsonSink) properly nested: BEGIN/END balance and match, keys only
 *            directly inside objects, a key followed by exactly one value, one top-level
 *            value; never deeper than max_depth; text of KEY/STRING/NUMBER inside the value
 *            being read or inside one block the sink allocated (each block is an exact-size
 *            malloc, so ASan catches a decoded string longer than the escaped form the reader
 *            sized it by; and oracle 1 checks that size is the body as written and the decoded
 *            string no longer than it); strings that point into the input are the raw body between two
 *            quotes with no escape or control character; no string contains a NUL byte; on
 *            JSON_READ_OK the events are one complete value, on JSON_READ_TOO_DEEP exactly
 *            max_depth containers are open.  Each value is read from its own exact-size copy,
 *            so ASan catches any read past its end.
 *   oracle 1 an independent recursive-descent JSON reader with the rules json_syntax.h
 *            promises (RFC 8259; no "\u0000"; paired surrogates only; "\u" above ASCII only
 *            when utf8; numbers exactly as PostgreSQL 15's numeric_in takes them) gives the
 *            same result and the same events; json_is_number agrees with an independent
 *            check of the number grammar on the whole value and on every NUMBER event.
 *   oracle 2 the events of an accepted value, written back as JSON (optionally with
 *            whitespace and "\u" escapes), read again give the same events.
 *   oracle 3 read again with the small max depth d: if the events at depth 1000 open a
 *            container at depth d + 1, the result is JSON_READ_TOO_DEEP with the events before
 *            it; otherwise the same result and the same events.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_syntax.h"
#include "log_lines.h"

#define FUZZ_NAME "fuzz_log"
#include "fuzz_common.h"

#define OPT_UTF8		0x01
#define OPT_RAW_JSON	0x10
#define OPT_SER_SPACE	0x20
#define OPT_SER_UESC	0x40


static const char *
ev_name(int t)
{
	static const char *names[] = {"BEGIN_OBJECT", "END_OBJECT", "BEGIN_ARRAY", "END_ARRAY", "KEY",
	"STRING", "NUMBER", "TRUE", "FALSE", "NULL"};

	return t >= 0 && t < 10 ? names[t] : "?";
}

/* ------------------------------------------------------------------ event lists */

typedef struct Ev
{
	int			type;
	int			depth;			/* containers open when the event came (BEGIN: before it) */
	size_t		off;			/* its text, copied into bytes */
	int			len;
	int			raw;			/* KEY, STRING: bytes of the body as written (escaped) */
} Ev;

typedef struct EvList
{
	Ev		   *ev;
	size_t		n;
	size_t		cap;
	char	   *bytes;
	size_t		nbytes;
	size_t		capbytes;
} EvList;

static void
evl_reset(EvList *l)
{
	l->n = 0;
	l->nbytes = 0;
}

static void
evl_add(EvList *l, int type, int depth, const char *text, int len, int raw)
{
	Ev		   *e;

	if (l->n == l->cap)
	{
		l->cap = l->cap ? 2 * l->cap : 256;
		l->ev = xrealloc(l->ev, l->cap * sizeof(Ev));
	}
	if (len < 0)
		len = 0;
	if (l->nbytes + (size_t) len > l->capbytes)
	{
		while (l->nbytes + (size_t) len > l->capbytes)
			l->capbytes = l->capbytes ? 2 * l->capbytes : 4096;
		l->bytes = xrealloc(l->bytes, l->capbytes);
	}
	e = &l->ev[l->n++];
	e->type = type;
	e->depth = depth;
	e->off = l->nbytes;
	e->len = len;
	e->raw = raw;
	if (len > 0)
		memcpy(l->bytes + l->nbytes, text, len);
	l->nbytes += len;
}

static bool
ev_same(const EvList *a, size_t i, const EvList *b, size_t j)
{
	const Ev   *x = &a->ev[i];
	const Ev   *y = &b->ev[j];

	if (x->type != y->type || x->depth != y->depth)
		return false;
	if (x->type != JSON_EV_KEY && x->type != JSON_EV_STRING && x->type != JSON_EV_NUMBER)
		return true;
	return x->len == y->len && memcmp(a->bytes + x->off, b->bytes + y->off, x->len) == 0;
}

static void
evl_dump(const char *title, const EvList *l)
{
	fprintf(stderr, "%s (%zu events):\n", title, l->n);
	for (size_t i = 0; i < l->n && i < 60; i++)
	{
		const Ev   *e = &l->ev[i];

		fprintf(stderr, "  %*s%s", 2 * e->depth, "", ev_name(e->type));
		if (e->type == JSON_EV_KEY || e->type == JSON_EV_STRING || e->type == JSON_EV_NUMBER)
		{
			fprintf(stderr, " [%d] \"", e->len);
			for (int k = 0; k < e->len && k < 80; k++)
			{
				unsigned char c = (unsigned char) l->bytes[e->off + k];

				if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
					fputc(c, stderr);
				else
					fprintf(stderr, "\\x%02x", c);
			}
			fprintf(stderr, e->len > 80 ? "...\"" : "\"");
		}
		fputc('\n', stderr);
	}
}

/* The first n events of a and of b are the same (a and b have at least n events). */
static bool
evl_prefix_equal(const EvList *a, const EvList *b, size_t n)
{
	if (a->n < n || b->n < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!ev_same(a, i, b, i))
			return false;
	return true;
}

static bool
evl_equal(const EvList *a, const EvList *b)
{
	return a->n == b->n && evl_prefix_equal(a, b, a->n);
}

/* ------------------------------------------------------------------ the checking sink */

typedef struct Frame
{
	char		kind;			/* 'o' or 'a' */
	bool		after_key;		/* object: a key came, its value has not */
} Frame;

typedef struct Block
{
	char	   *p;
	size_t		size;
} Block;

typedef struct Checker
{
	const char *lo;				/* the value being read: [lo, hi) */
	const char *hi;
	int			max_depth;
	Frame		stack[DLPG_MAX_JSON_DEPTH + 2];
	int			depth;
	bool		done;			/* the top-level value is complete */
	Block	   *blocks;			/* what alloc handed out for this value */
	size_t		nblocks;
	size_t		capblocks;
	EvList	   *log;
} Checker;

static void
checker_start(Checker *c, const char *text, int len, int max_depth, EvList *log)
{
	if (max_depth > DLPG_MAX_JSON_DEPTH)
		FAIL("harness: max_depth %d above %d", max_depth, DLPG_MAX_JSON_DEPTH);
	c->lo = text;
	c->hi = text + len;
	c->max_depth = max_depth;
	c->depth = 0;
	c->done = false;
	c->nblocks = 0;
	c->log = log;
	evl_reset(log);
}

/* Free what the reader allocated through the sink (the arena of one value). */
static void
checker_free_blocks(Checker *c)
{
	for (size_t i = 0; i < c->nblocks; i++)
		free(c->blocks[i].p);
	c->nblocks = 0;
}

static void *
sink_alloc(void *arg, size_t size)
{
	Checker    *c = arg;
	Block	   *b;

	/* only a string with an escape needs scratch memory: its body is >= 2 bytes of the value */
	if (size < 2 || size > (size_t) (c->hi - c->lo))
		FAIL("alloc of %zu bytes for a value of %td bytes", size, c->hi - c->lo);
	if (c->nblocks == c->capblocks)
	{
		c->capblocks = c->capblocks ? 2 * c->capblocks : 64;
		c->blocks = xrealloc(c->blocks, c->capblocks * sizeof(Block));
	}
	b = &c->blocks[c->nblocks++];
	b->p = xmalloc(size);		/* exact size: ASan reports a write or read past it */
	b->size = size;
	memset(b->p, 0xBE, size);
	return b->p;
}

static void
value_allowed(Checker *c, int type)
{
	if (c->depth == 0)
	{
		if (c->done)
			FAIL("%s after the complete top-level value", ev_name(type));
		return;
	}
	if (c->stack[c->depth - 1].kind == 'o' && !c->stack[c->depth - 1].after_key)
		FAIL("%s inside an object where a key or the end must come", ev_name(type));
}

static void
value_complete(Checker *c)
{
	if (c->depth == 0)
		c->done = true;
	else if (c->stack[c->depth - 1].kind == 'o')
		c->stack[c->depth - 1].after_key = false;
}

/* [text, text + len) inside the value, or inside one allocated block: where it is. */
static bool
in_input(const Checker *c, const char *text, int len)
{
	return text != NULL && text >= c->lo && len <= c->hi - text;
}

static const Block *
in_block(const Checker *c, const char *text, int len)
{
	if (text == NULL)
		return NULL;
	for (size_t i = c->nblocks; i-- > 0;)
	{
		const Block *b = &c->blocks[i];

		if (text >= b->p && text <= b->p + b->size && (size_t) len <= b->size - (size_t) (text - b->p))
			return b;
	}
	return NULL;
}

/* Checks a KEY or STRING; the length of its body as written (the alloc size when decoded). */
static int
check_string(Checker *c, int type, const char *text, int len)
{
	const Block *b = NULL;

	if (len < 0)
		FAIL("%s with length %d", ev_name(type), len);
	if (in_input(c, text, len))
	{
		/* handed over as is: the raw body between two quotes, nothing to decode in it */
		if (text == c->lo || text[-1] != '"' || len >= c->hi - text || text[len] != '"')
			FAIL("%s at offset %td (%d bytes) is not a body between quotes", ev_name(type),
				 text - c->lo, len);
		for (int i = 0; i < len; i++)
			if (text[i] == '"' || text[i] == '\\' || (unsigned char) text[i] < 0x20)
				FAIL("%s handed over raw contains byte 0x%02x at %d", ev_name(type),
					 (unsigned char) text[i], i);
	}
	else if ((b = in_block(c, text, len)) == NULL)
		FAIL("%s text %p (%d bytes) neither inside the value [%p, %p) nor inside an allocated block",
			 ev_name(type), (const void *) text, len, (const void *) c->lo, (const void *) c->hi);
	if (len > 0 && memchr(text, '\0', len) != NULL)
		FAIL("%s contains a NUL byte", ev_name(type));
	return b ? (int) b->size : len;
}

static void
sink_event(void *arg, JsonEventType type, char *text, int len)
{
	Checker    *c = arg;
	int			depth_before = c->depth;
	int			raw = 0;

	switch (type)
	{
		case JSON_EV_BEGIN_OBJECT:
		case JSON_EV_BEGIN_ARRAY:
			value_allowed(c, type);
			if (c->depth >= c->max_depth)
				FAIL("%s at depth %d, beyond max_depth %d", ev_name(type), c->depth + 1, c->max_depth);
			c->stack[c->depth].kind = type == JSON_EV_BEGIN_OBJECT ? 'o' : 'a';
			c->stack[c->depth].after_key = false;
			c->depth++;
			break;
		case JSON_EV_END_OBJECT:
		case JSON_EV_END_ARRAY:
			if (c->depth == 0)
				FAIL("%s with no container open", ev_name(type));
			if (c->stack[c->depth - 1].kind != (type == JSON_EV_END_OBJECT ? 'o' : 'a'))
				FAIL("%s closes a%s", ev_name(type), c->stack[c->depth - 1].kind == 'o' ? "n object" : "n array");
			if (c->stack[c->depth - 1].after_key)
				FAIL("END_OBJECT right after a key (a key without a value)");
			c->depth--;
			depth_before = c->depth;
			value_complete(c);
			break;
		case JSON_EV_KEY:
			if (c->depth == 0 || c->stack[c->depth - 1].kind != 'o')
				FAIL("KEY outside an object");
			if (c->stack[c->depth - 1].after_key)
				FAIL("KEY right after a key");
			raw = check_string(c, type, text, len);
			c->stack[c->depth - 1].after_key = true;
			break;
		case JSON_EV_STRING:
			value_allowed(c, type);
			raw = check_string(c, type, text, len);
			value_complete(c);
			break;
		case JSON_EV_NUMBER:
			value_allowed(c, type);
			if (len <= 0 || !in_input(c, text, len))
				FAIL("NUMBER text (%d bytes) not inside the value", len);
			if (!((text[0] >= '0' && text[0] <= '9') || text[0] == '-') ||
				!(text[len - 1] >= '0' && text[len - 1] <= '9'))
				FAIL("NUMBER text does not start with a digit or '-' and end with a digit");
			value_complete(c);
			break;
		case JSON_EV_TRUE:
		case JSON_EV_FALSE:
		case JSON_EV_NULL:
			value_allowed(c, type);
			value_complete(c);
			break;
		default:
			FAIL("unknown event type %d", (int) type);
	}
	evl_add(c->log, type, depth_before, text, len, raw);
}

/* Read [text, text + len) through the checking sink; events in log. */
static JsonReadResult
checked_read(Checker *c, char *text, int len, int max_depth, bool utf8, EvList *log)
{
	JsonSink	sink = {c, sink_event, sink_alloc};
	JsonReadResult res;

	checker_start(c, text, len, max_depth, log);
	res = json_read_value(text, len, max_depth, utf8, &sink);
	switch (res)
	{
		case JSON_READ_OK:
			if (!c->done || c->depth != 0)
				FAIL("JSON_READ_OK but the events are not one complete value (depth %d)", c->depth);
			break;
		case JSON_READ_TOO_DEEP:
			if (c->depth != max_depth)
				FAIL("JSON_READ_TOO_DEEP with %d containers open, max_depth %d", c->depth, max_depth);
			break;
		case JSON_READ_INVALID:
			break;
		default:
			FAIL("json_read_value returned %d", (int) res);
	}
	return res;
}

/* ------------------------------------------------------------------ oracle 1: a plain JSON reader */

/*
 * Written from the rules, not from json_syntax.c: one character at a time, escapes decoded
 * as they come.  Numbers are judged as PostgreSQL 15's numeric_in judges them
 * (set_var_from_str + make_result): |exponent| < INT_MAX / 2, display scale <= 16383, and the
 * weight (in base-10000 digits) of the first non-zero digit within int16 -- checked against a
 * PostgreSQL 15 server: 1e-16383, 1e131071, 0e1073741822 are taken; 1e-16384, 10e-16384,
 * 1e131072, 0e1073741823 are not.
 */
static bool
isdig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static bool
pg_numeric_takes(const unsigned char *s, size_t n)
{
	size_t		i = 0;
	size_t		int_digits = 0;
	size_t		frac_digits = 0;
	long long	exponent = 0;
	bool		exp_huge = false;
	long long	dweight;
	long long	dscale;
	long long	first_nonzero = -1;	/* index among all digits */
	long long	k = 0;

	if (i < n && s[i] == '-')
		i++;
	for (; i < n && isdig(s[i]); i++, k++, int_digits++)
		if (first_nonzero < 0 && s[i] != '0')
			first_nonzero = k;
	if (i < n && s[i] == '.')
		for (i++; i < n && isdig(s[i]); i++, k++, frac_digits++)
			if (first_nonzero < 0 && s[i] != '0')
				first_nonzero = k;
	if (i < n && (s[i] == 'e' || s[i] == 'E'))
	{
		bool		neg = false;

		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			neg = s[i++] == '-';
		for (; i < n && isdig(s[i]); i++)
		{
			if (exponent > 100000000000LL)
				exp_huge = true;
			else
				exponent = exponent * 10 + (s[i] - '0');
		}
		if (neg)
			exponent = -exponent;
	}
	/* numeric_in: "exponent >= INT_MAX / 2 || exponent <= -(INT_MAX / 2)" overflows */
	if (exp_huge || exponent >= INT_MAX / 2 || exponent <= -(INT_MAX / 2))
		return false;
	dweight = (long long) int_digits - 1 + exponent;
	dscale = (long long) frac_digits - exponent;
	if (dscale < 0)
		dscale = 0;
	if (dscale > 0x3FFF)		/* NUMERIC_DSCALE_MAX */
		return false;
	if (first_nonzero >= 0)
	{
		long long	p = dweight - first_nonzero;	/* decimal exponent of the first non-zero digit */
		long long	weight = p >= 0 ? p / 4 : -((-p + 3) / 4);

		if (weight > 32767 || weight < -32768)
			return false;
	}
	return true;				/* zero: weight 0 */
}

/* The RFC 8259 number grammar, as a little state machine: is [s, s + n) one number? */
static bool
ref_is_number(const unsigned char *s, size_t n)
{
	enum
	{
		BAD = -1, START, MINUS, ZERO, INT, DOT, FRAC, E, ESIGN, EXP
	}			st = START;

	for (size_t i = 0; i < n; i++)
	{
		unsigned char c = s[i];
		bool		d = c >= '0' && c <= '9';

		switch (st)
		{
			case START:
				st = c == '-' ? MINUS : c == '0' ? ZERO : d ? INT : BAD;
				break;
			case MINUS:
				st = c == '0' ? ZERO : d ? INT : BAD;
				break;
			case ZERO:
				st = c == '.' ? DOT : (c == 'e' || c == 'E') ? E : BAD;
				break;
			case INT:
				st = d ? INT : c == '.' ? DOT : (c == 'e' || c == 'E') ? E : BAD;
				break;
			case DOT:
				st = d ? FRAC : BAD;
				break;
			case FRAC:
				st = d ? FRAC : (c == 'e' || c == 'E') ? E : BAD;
				break;
			case E:
				st = (c == '+' || c == '-') ? ESIGN : d ? EXP : BAD;
				break;
			case ESIGN:
			case EXP:
				st = d ? EXP : BAD;
				break;
			default:
				return false;
		}
		if (st == BAD)
			return false;
	}
	return st == ZERO || st == INT || st == FRAC || st == EXP;
}

typedef struct Ref
{
	const unsigned char *s;
	size_t		n;
	size_t		i;
	int			depth;
	int			max_depth;
	bool		utf8;
	EvList	   *log;
	char	   *scratch;		/* n bytes: a decoded string */
} Ref;

static void
ref_ws(Ref *r)
{
	while (r->i < r->n &&
		   (r->s[r->i] == ' ' || r->s[r->i] == '\t' || r->s[r->i] == '\n' || r->s[r->i] == '\r'))
		r->i++;
}

static int
ref_hex4(Ref *r)
{
	int			v = 0;

	if (r->n - r->i < 4)
		return -1;
	for (int k = 0; k < 4; k++)
	{
		unsigned char c = r->s[r->i + k];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	r->i += 4;
	return v;
}

static size_t
utf8_encode(unsigned long cp, char *o)
{
	if (cp <= 0x7F)
	{
		o[0] = (char) cp;
		return 1;
	}
	if (cp <= 0x7FF)
	{
		o[0] = (char) (0xC0 + (cp >> 6));
		o[1] = (char) (0x80 + (cp & 0x3F));
		return 2;
	}
	if (cp <= 0xFFFF)
	{
		o[0] = (char) (0xE0 + (cp >> 12));
		o[1] = (char) (0x80 + ((cp >> 6) & 0x3F));
		o[2] = (char) (0x80 + (cp & 0x3F));
		return 3;
	}
	o[0] = (char) (0xF0 + (cp >> 18));
	o[1] = (char) (0x80 + ((cp >> 12) & 0x3F));
	o[2] = (char) (0x80 + ((cp >> 6) & 0x3F));
	o[3] = (char) (0x80 + (cp & 0x3F));
	return 4;
}

static bool
ref_string(Ref *r, int type)
{
	size_t		len = 0;
	size_t		body = ++r->i;

	for (;;)
	{
		unsigned char c;

		if (r->i >= r->n)
			return false;
		c = r->s[r->i++];
		if (c == '"')
			break;
		if (c < 0x20)
			return false;
		if (c != '\\')
		{
			r->scratch[len++] = (char) c;
			continue;
		}
		if (r->i >= r->n)
			return false;
		c = r->s[r->i++];
		switch (c)
		{
			case '"':
			case '\\':
			case '/':
				r->scratch[len++] = (char) c;
				break;
			case 'b':
				r->scratch[len++] = 0x08;
				break;
			case 'f':
				r->scratch[len++] = 0x0C;
				break;
			case 'n':
				r->scratch[len++] = 0x0A;
				break;
			case 'r':
				r->scratch[len++] = 0x0D;
				break;
			case 't':
				r->scratch[len++] = 0x09;
				break;
			case 'u':
				{
					long		cp = ref_hex4(r);

					if (cp < 0)
						return false;
					if (cp >= 0xDC00 && cp <= 0xDFFF)
						return false;	/* a low surrogate with no high one before it */
					if (cp >= 0xD800 && cp <= 0xDBFF)
					{
						long		lo;

						if (r->n - r->i < 2 || r->s[r->i] != '\\' || r->s[r->i + 1] != 'u')
							return false;
						r->i += 2;
						lo = ref_hex4(r);
						if (lo < 0xDC00 || lo > 0xDFFF)
							return false;
						cp = 0x10000 + (cp - 0xD800) * 0x400 + (lo - 0xDC00);
					}
					if (cp == 0)
						return false;
					if (cp > 0x7F && !r->utf8)
						return false;
					len += utf8_encode((unsigned long) cp, r->scratch + len);
				}
				break;
			default:
				return false;
		}
	}
	evl_add(r->log, type, r->depth, r->scratch, (int) len, (int) (r->i - 1 - body));
	return true;
}

static bool
ref_number(Ref *r)
{
	size_t		start = r->i;

	if (r->i < r->n && r->s[r->i] == '-')
		r->i++;
	if (r->i >= r->n || !isdig(r->s[r->i]))
		return false;
	if (r->s[r->i] == '0')
		r->i++;
	else
		while (r->i < r->n && isdig(r->s[r->i]))
			r->i++;
	if (r->i < r->n && r->s[r->i] == '.')
	{
		r->i++;
		if (r->i >= r->n || !isdig(r->s[r->i]))
			return false;
		while (r->i < r->n && isdig(r->s[r->i]))
			r->i++;
	}
	if (r->i < r->n && (r->s[r->i] == 'e' || r->s[r->i] == 'E'))
	{
		r->i++;
		if (r->i < r->n && (r->s[r->i] == '+' || r->s[r->i] == '-'))
			r->i++;
		if (r->i >= r->n || !isdig(r->s[r->i]))
			return false;
		while (r->i < r->n && isdig(r->s[r->i]))
			r->i++;
	}
	if (!pg_numeric_takes(r->s + start, r->i - start))
		return false;
	evl_add(r->log, JSON_EV_NUMBER, r->depth, (const char *) r->s + start, (int) (r->i - start), 0);
	return true;
}

static bool
ref_word(Ref *r, const char *w, int type)
{
	size_t		k = strlen(w);

	if (r->n - r->i < k || memcmp(r->s + r->i, w, k) != 0)
		return false;
	r->i += k;
	evl_add(r->log, type, r->depth, NULL, 0, 0);
	return true;
}

static JsonReadResult
ref_value(Ref *r)
{
	JsonReadResult res;
	unsigned char open;

	ref_ws(r);
	if (r->i >= r->n)
		return JSON_READ_INVALID;
	open = r->s[r->i];
	switch (open)
	{
		case '{':
		case '[':
			if (r->depth + 1 > r->max_depth)
				return JSON_READ_TOO_DEEP;
			evl_add(r->log, open == '{' ? JSON_EV_BEGIN_OBJECT : JSON_EV_BEGIN_ARRAY, r->depth, NULL, 0, 0);
			r->depth++;
			r->i++;
			ref_ws(r);
			if (r->i < r->n && r->s[r->i] == (open == '{' ? '}' : ']'))
				r->i++;
			else
				for (;;)
				{
					if (open == '{')
					{
						ref_ws(r);
						if (r->i >= r->n || r->s[r->i] != '"' || !ref_string(r, JSON_EV_KEY))
							return JSON_READ_INVALID;
						ref_ws(r);
						if (r->i >= r->n || r->s[r->i] != ':')
							return JSON_READ_INVALID;
						r->i++;
					}
					if ((res = ref_value(r)) != JSON_READ_OK)
						return res;
					ref_ws(r);
					if (r->i >= r->n)
						return JSON_READ_INVALID;
					if (r->s[r->i] == ',')
					{
						r->i++;
						continue;
					}
					if (r->s[r->i] != (open == '{' ? '}' : ']'))
						return JSON_READ_INVALID;
					r->i++;
					break;
				}
			r->depth--;
			evl_add(r->log, open == '{' ? JSON_EV_END_OBJECT : JSON_EV_END_ARRAY, r->depth, NULL, 0, 0);
			return JSON_READ_OK;
		case '"':
			return ref_string(r, JSON_EV_STRING) ? JSON_READ_OK : JSON_READ_INVALID;
		case 't':
			return ref_word(r, "true", JSON_EV_TRUE) ? JSON_READ_OK : JSON_READ_INVALID;
		case 'f':
			return ref_word(r, "false", JSON_EV_FALSE) ? JSON_READ_OK : JSON_READ_INVALID;
		case 'n':
			return ref_word(r, "null", JSON_EV_NULL) ? JSON_READ_OK : JSON_READ_INVALID;
		default:
			return ref_number(r) ? JSON_READ_OK : JSON_READ_INVALID;
	}
}

static JsonReadResult
ref_read(const char *text, size_t len, int max_depth, bool utf8, EvList *log)
{
	Ref			r;
	JsonReadResult res;

	memset(&r, 0, sizeof(r));
	r.s = (const unsigned char *) text;
	r.n = len;
	r.max_depth = max_depth;
	r.utf8 = utf8;
	r.log = log;
	r.scratch = xmalloc(len);
	evl_reset(log);
	res = ref_value(&r);
	if (res == JSON_READ_OK)
	{
		ref_ws(&r);
		if (r.i != r.n)
			res = JSON_READ_INVALID;
	}
	free(r.scratch);
	return res;
}

/* ------------------------------------------------------------------ oracle 2: write back, read again */

typedef struct Out
{
	GrowBuf		b;
	unsigned	turn;			/* picks the next whitespace / escape variant */
} Out;

static void
out_put(Out *o, const char *s, size_t k)
{
	grow_put(&o->b, s, k);
}

static void
out_ws(Out *o, bool space)
{
	static const char *ws[] = {"", " ", "\n", "\t", "\r\n  ", ""};

	if (space)
	{
		const char *w = ws[o->turn++ % 6];

		out_put(o, w, strlen(w));
	}
}

/* A valid UTF-8 character at s (no overlong form, no surrogate, <= U+10FFFF): its length. */
static int
utf8_char(const unsigned char *s, size_t n, unsigned long *cp)
{
	int			k;
	unsigned long v;

	if (s[0] < 0x80)
		return 0;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		k = 2, v = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		k = 3, v = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		k = 4, v = s[0] & 0x07;
	else
		return 0;
	if (n < (size_t) k)
		return 0;
	for (int i = 1; i < k; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((k == 3 && v < 0x800) || (k == 4 && v < 0x10000) || v > 0x10FFFF ||
		(v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return k;
}

static void
out_string(Out *o, const char *text, int len, bool uesc)
{
	char		tmp[16];

	out_put(o, "\"", 1);
	for (int i = 0; i < len; i++)
	{
		unsigned char c = (unsigned char) text[i];
		unsigned long cp;
		int			k;

		if (c == '"' || c == '\\')
		{
			tmp[0] = '\\';
			tmp[1] = (char) c;
			out_put(o, tmp, 2);
		}
		else if (c < 0x20)
		{
			const char *shortest = c == '\n' ? "\\n" : c == '\t' ? "\\t" : c == '\r' ? "\\r" :
				c == '\b' ? "\\b" : c == '\f' ? "\\f" : NULL;

			if (shortest && (o->turn++ & 1))
				out_put(o, shortest, 2);
			else
			{
				snprintf(tmp, sizeof(tmp), (o->turn++ & 1) ? "\\u%04x" : "\\u%04X", c);
				out_put(o, tmp, 6);
			}
		}
		else if (c == '/' && uesc && (o->turn++ & 1))
			out_put(o, "\\/", 2);
		else if (uesc && c < 0x80 && (o->turn++ % 7) == 0)
		{
			snprintf(tmp, sizeof(tmp), "\\u%04x", c);
			out_put(o, tmp, 6);
		}
		else if (uesc && (k = utf8_char((const unsigned char *) text + i, len - i, &cp)) > 0)
		{
			if (cp >= 0x10000)
				snprintf(tmp, sizeof(tmp), "\\u%04lX\\u%04lx", 0xD800 + ((cp - 0x10000) >> 10),
						 0xDC00 + ((cp - 0x10000) & 0x3FF));
			else
				snprintf(tmp, sizeof(tmp), "\\u%04lx", cp);
			out_put(o, tmp, strlen(tmp));
			i += k - 1;
		}
		else
			out_put(o, (const char *) &c, 1);
	}
	out_put(o, "\"", 1);
}

static void
serialize(const EvList *l, Out *o, bool space, bool uesc)
{
	/* per open container: its kind, and how many members (values or keys) it has so far */
	static char kind[DLPG_MAX_JSON_DEPTH + 2];
	static int	count[DLPG_MAX_JSON_DEPTH + 2];
	int			depth = 0;

	o->b.n = 0;
	o->turn = 0;
	out_ws(o, space);
	for (size_t i = 0; i < l->n; i++)
	{
		const Ev   *e = &l->ev[i];
		const char *t = l->bytes + e->off;

		if (e->type == JSON_EV_KEY)
		{
			if (count[depth - 1]++ > 0)
				out_put(o, ",", 1);
			out_ws(o, space);
			out_string(o, t, e->len, uesc);
			out_ws(o, space);
			out_put(o, ":", 1);
			out_ws(o, space);
			continue;
		}
		if (e->type == JSON_EV_END_OBJECT || e->type == JSON_EV_END_ARRAY)
		{
			out_ws(o, space);
			out_put(o, e->type == JSON_EV_END_OBJECT ? "}" : "]", 1);
			out_ws(o, space);
			depth--;
			continue;
		}
		/* a value: in an array, after a comma unless it is the first (in an object the key did it) */
		if (depth > 0 && kind[depth - 1] == 'a' && count[depth - 1]++ > 0)
			out_put(o, ",", 1);
		switch (e->type)
		{
			case JSON_EV_BEGIN_OBJECT:
			case JSON_EV_BEGIN_ARRAY:
				out_ws(o, space);
				out_put(o, e->type == JSON_EV_BEGIN_OBJECT ? "{" : "[", 1);
				kind[depth] = e->type == JSON_EV_BEGIN_OBJECT ? 'o' : 'a';
				count[depth++] = 0;
				break;
			case JSON_EV_STRING:
				out_string(o, t, e->len, uesc);
				break;
			case JSON_EV_NUMBER:
				out_put(o, t, e->len);
				break;
			case JSON_EV_TRUE:
				out_put(o, "true", 4);
				break;
			case JSON_EV_FALSE:
				out_put(o, "false", 5);
				break;
			case JSON_EV_NULL:
				out_put(o, "null", 4);
				break;
		}
		out_ws(o, space);
	}
}

/* ------------------------------------------------------------------ one value, every check */

static Checker checker;
static EvList ev_main, ev_ref, ev_again;
static Out out;

static int
max_open_depth_index(const EvList *l, int d)
{
	/* index of the first BEGIN event opening a container at depth d + 1, or -1 */
	for (size_t i = 0; i < l->n; i++)
		if ((l->ev[i].type == JSON_EV_BEGIN_OBJECT || l->ev[i].type == JSON_EV_BEGIN_ARRAY) &&
			l->ev[i].depth == d)
			return (int) i;
	return -1;
}

static const char *
res_name(JsonReadResult r)
{
	return r == JSON_READ_OK ? "OK" : r == JSON_READ_INVALID ? "INVALID" : r == JSON_READ_TOO_DEEP ? "TOO_DEEP" : "?";
}

static void
check_value(const char *value, int len, unsigned opts)
{
	bool		utf8 = (opts & OPT_UTF8) != 0;
	int			small = 1 + ((opts >> 1) & 7);
	char	   *text = xmalloc(len);	/* exact size: ASan reports a read past the value */
	JsonReadResult res;
	JsonReadResult ref;
	JsonReadResult again;
	int			k;

	memcpy(text, value, len);

	res = checked_read(&checker, text, len, DLPG_MAX_JSON_DEPTH, utf8, &ev_main);
	checker_free_blocks(&checker);

	/* oracle 1 */
	ref = ref_read(text, len, DLPG_MAX_JSON_DEPTH, utf8, &ev_ref);
	if (res != ref || !evl_equal(&ev_main, &ev_ref))
	{
		evl_dump("json_read_value", &ev_main);
		evl_dump("oracle", &ev_ref);
		FAIL("json_read_value says %s, the independent reader %s (utf8 %d, %d bytes)",
			 res_name(res), res_name(ref), utf8, len);
	}
	if (json_is_number(text, len) != ref_is_number((const unsigned char *) text, len))
		FAIL("json_is_number and the number grammar disagree on the value (grammar: %d)",
			 ref_is_number((const unsigned char *) text, len));
	for (size_t i = 0; i < ev_main.n; i++)
	{
		const Ev   *e = &ev_main.ev[i];

		if (e->type == JSON_EV_NUMBER && !json_is_number(ev_main.bytes + e->off, e->len))
			FAIL("json_is_number refuses the NUMBER event %zu", i);
		/* decoded strings: the reader sized its buffer by the escaped body, and fits in it */
		if ((e->type == JSON_EV_KEY || e->type == JSON_EV_STRING) &&
			(e->raw != ev_ref.ev[i].raw || e->len > e->raw))
			FAIL("%s event %zu: %d bytes decoded into a buffer of %d; the body as written has %d bytes",
				 ev_name(e->type), i, e->len, e->raw, ev_ref.ev[i].raw);
	}

	/* oracle 2 */
	if (res == JSON_READ_OK)
	{
		serialize(&ev_main, &out, (opts & OPT_SER_SPACE) != 0, utf8 && (opts & OPT_SER_UESC));
		if (out.b.n > INT_MAX)
			FAIL("harness: serialized value too long");
		{
			char	   *again_text = xmalloc(out.b.n);

			memcpy(again_text, (char *) out.b.p, out.b.n);
			again = checked_read(&checker, again_text, (int) out.b.n, DLPG_MAX_JSON_DEPTH, utf8, &ev_again);
			checker_free_blocks(&checker);
			if (again != JSON_READ_OK || !evl_equal(&ev_main, &ev_again))
			{
				fprintf(stderr, "written back: %.*s\n", (int) (out.b.n > 400 ? 400 : out.b.n), (char *) out.b.p);
				evl_dump("first read", &ev_main);
				evl_dump("read again", &ev_again);
				FAIL("the value written back reads as %s with other events", res_name(again));
			}
			free(again_text);
		}
	}

	/* oracle 3 */
	again = checked_read(&checker, text, len, small, utf8, &ev_again);
	checker_free_blocks(&checker);
	k = max_open_depth_index(&ev_main, small);
	if (k >= 0)
	{
		if (again != JSON_READ_TOO_DEEP || ev_again.n != (size_t) k || !evl_prefix_equal(&ev_main, &ev_again, k))
			FAIL("max_depth %d: %s after %zu events; expected TOO_DEEP after %d", small,
				 res_name(again), ev_again.n, k);
	}
	else if (again != res || !evl_equal(&ev_main, &ev_again))
		FAIL("max_depth %d: %s, %zu events; at max depth %d: %s, %zu events", small,
			 res_name(again), ev_again.n, DLPG_MAX_JSON_DEPTH, res_name(res), ev_main.n);

	free(text);
}

/* ------------------------------------------------------------------ the line grammar, plainly */

/* Python's str.isspace() for code points below 128 (what str.strip() removes there) */
static bool
py_space(unsigned char c)
{
	switch (c)
	{
		case 0x09:
		case 0x0A:
		case 0x0B:
		case 0x0C:
		case 0x0D:
		case 0x1C:
		case 0x1D:
		case 0x1E:
		case 0x1F:
		case 0x20:
			return true;
		default:
			return false;
	}
}

typedef struct RefLines
{
	const char *s;
	size_t		n;
	size_t		pos;
	int			lineno;
} RefLines;

typedef struct RefLine
{
	const char *key;
	int			keylen;
	const char *value;
	int			valuelen;
	int			lineno;
} RefLine;

static void
py_strip(const char **p, int *len)
{
	while (*len > 0 && py_space((unsigned char) (*p)[0]))
		(*p)++, (*len)--;
	while (*len > 0 && py_space((unsigned char) (*p)[*len - 1]))
		(*len)--;
}

/* ^[ \t]*__(.+?(?=__[ \t]*[=]))__[ \t]*=(.+) on one line [b, e), as re.match does it */
static bool
ref_match(const char *b, const char *e, RefLine *out)
{
	size_t		n = (size_t) (e - b);
	size_t		j = 0;
	size_t		ks;

	while (j < n && (b[j] == ' ' || b[j] == '\t'))
		j++;
	if (j + 2 > n || b[j] != '_' || b[j + 1] != '_')
		return false;
	ks = j + 2;
	/* the lazy group: the shortest key (>= 1 character) for which the rest matches */
	for (size_t kend = ks + 1; kend <= n; kend++)
	{
		size_t		u;

		if (kend + 2 > n || b[kend] != '_' || b[kend + 1] != '_')
			continue;
		u = kend + 2;
		while (u < n && (b[u] == ' ' || b[u] == '\t'))
			u++;
		if (u >= n || b[u] != '=')
			continue;
		if (u + 1 >= n)
			continue;			/* (.+) needs a character: backtrack to a longer key */
		out->key = b + ks;
		out->keylen = (int) (kend - ks);
		out->value = b + u + 1;
		out->valuelen = (int) (n - (u + 1));
		py_strip(&out->key, &out->keylen);
		py_strip(&out->value, &out->valuelen);
		return true;
	}
	return false;
}

/* Lines as Python's universal newlines make them: "\n", "\r\n" and "\r" each end one. */
static bool
ref_next_line(RefLines *r, RefLine *out)
{
	while (r->pos < r->n)
	{
		size_t		b = r->pos;
		size_t		e = b;

		while (e < r->n && r->s[e] != '\n' && r->s[e] != '\r')
			e++;
		if (e < r->n && r->s[e] == '\r' && e + 1 < r->n && r->s[e + 1] == '\n')
			r->pos = e + 2;
		else
			r->pos = e < r->n ? e + 1 : e;
		r->lineno++;
		if (ref_match(r->s + b, r->s + e, out))
		{
			out->lineno = r->lineno;
			return true;
		}
	}
	return false;
}

static void
check_log(char *text, int len, unsigned opts)
{
	LogCursor	cursor;
	LogLine		line;
	RefLines	rl = {text, (size_t) len, 0, 0};
	RefLine		ref;
	int			prev = 0;
	const char *end = text + len;

	/* the MLLOG lines of the same text: the token, then the JSON text, inside one line, stripped */
	log_cursor_init(&cursor, text, len);
	while (log_next_mllog_line(&cursor, &line))
	{
		if (line.key < text || line.keylen != 8 || line.key > end - 8 || memcmp(line.key, ":::MLLOG", 8) != 0)
			FAIL("MLLOG line %d: the token is not where the line says", line.lineno);
		if (line.value < line.key + 8 || line.valuelen < 0 || line.value > end || line.valuelen > end - line.value)
			FAIL("MLLOG line %d: the record lies outside the text", line.lineno);
		if (memchr(line.key, '\n', line.value + line.valuelen - line.key) ||
			memchr(line.key, '\r', line.value + line.valuelen - line.key))
			FAIL("MLLOG line %d: the record spans a line end", line.lineno);
		if (line.valuelen > 0 && (py_space(line.value[0]) || py_space(line.value[line.valuelen - 1])))
			FAIL("MLLOG line %d: the record is not stripped", line.lineno);
		if (line.lineno <= prev)
			FAIL("MLLOG line numbers do not increase: %d after %d", line.lineno, prev);
		prev = line.lineno;
	}
	prev = 0;

	log_cursor_init(&cursor, text, len);
	for (;;)
	{
		bool		got;
		bool		want;

		memset(&line, 0x5A, sizeof(line));
		got = log_next_param_line(&cursor, &line);
		want = ref_next_line(&rl, &ref);
		if (got != want)
			FAIL("log_next_param_line says %s, the plain matcher %s (line %d)",
				 got ? "another line" : "no more lines", want ? "another line" : "no more lines",
				 want ? ref.lineno : got ? line.lineno : -1);
		if (!got)
			break;
		if (line.keylen < 0 || line.valuelen < 0 || line.key < text || line.key > end ||
			line.keylen > end - line.key || line.value < text || line.value > end ||
			line.valuelen > end - line.value)
			FAIL("line %d: key or value outside the log", line.lineno);
		if (line.key + line.keylen > line.value)
			FAIL("line %d: key does not end before the value", line.lineno);
		if (memchr(line.key, '\n', line.value + line.valuelen - line.key) ||
			memchr(line.key, '\r', line.value + line.valuelen - line.key))
			FAIL("line %d: key and value span a line end", line.lineno);
		if ((line.keylen > 0 && (py_space(line.key[0]) || py_space(line.key[line.keylen - 1]))) ||
			(line.valuelen > 0 && (py_space(line.value[0]) || py_space(line.value[line.valuelen - 1]))))
			FAIL("line %d: key or value not stripped", line.lineno);
		if (line.lineno <= prev)
			FAIL("line numbers do not increase: %d after %d", line.lineno, prev);
		prev = line.lineno;
		if (line.lineno != ref.lineno || line.key != ref.key || line.keylen != ref.keylen ||
			line.value != ref.value || line.valuelen != ref.valuelen)
			FAIL("line %d: key at %td (%d bytes), value at %td (%d bytes); the plain matcher: "
				 "line %d, key at %td (%d bytes), value at %td (%d bytes)",
				 line.lineno, line.key - text, line.keylen, line.value - text, line.valuelen,
				 ref.lineno, ref.key - text, ref.keylen, ref.value - text, ref.valuelen);
		check_value(line.value, line.valuelen, opts);
	}
	if (cursor.p != cursor.end)
		FAIL("the cursor stopped at %td of %d", cursor.p - text, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned	opts;
	char	   *text;
	int			len;

	if (size < 1 || size - 1 > (size_t) INT_MAX / 2)
		return 0;
	opts = data[0];
	len = (int) (size - 1);
	text = xmalloc(len);		/* exact size: ASan reports a read past the log */
	memcpy(text, data + 1, len);
	if (opts & OPT_RAW_JSON)
		check_value(text, len, opts);
	else
		check_log(text, len, opts);
	free(text);
	return 0;
}
