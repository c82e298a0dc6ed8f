/*
 * log_lines.c
 *		Which lines of a DLBS log are parameters, and their keys and values.
 *
 * DLBS's own parser applies ^[ \t]*__(.+?(?=__[ \t]*[=]))__[ \t]*=(.+) to
 * every line of a log opened in Python's text mode and strips key and
 * value.  This follows it exactly; it is plain C, shared by the extension
 * and the fuzzers.
 */
#include "log_lines.h"

#include <string.h>

/* Python's str.strip() set, ASCII part. */
static inline bool
is_strip_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
		c == '\v' || c == '\f' || (c >= 0x1c && c <= 0x1f);
}

static void
strip(char **s, int *len)
{
	char	   *b = *s;
	char	   *e = *s + *len;

	while (b < e && is_strip_space(*b))
		b++;
	while (e > b && is_strip_space(e[-1]))
		e--;
	*s = b;
	*len = (int) (e - b);
}

/*
 * Match one line against the DLBS pattern.  The key is the shortest
 * non-empty run that is followed by "__", optional blanks and "=" (the lazy
 * group and its look-ahead); the value is everything after the "=", and must
 * not be empty before stripping.
 */
static bool
match_param_line(char *s, char *e, LogLine *out)
{
	char	   *key_start;
	char	   *q;

	while (s < e && (*s == ' ' || *s == '\t'))
		s++;
	if (e - s < 2 || s[0] != '_' || s[1] != '_')
		return false;
	key_start = s + 2;

	for (q = key_start + 1; q + 1 < e; q++)
	{
		char	   *r;

		if (q[0] != '_' || q[1] != '_')
			continue;
		r = q + 2;
		while (r < e && (*r == ' ' || *r == '\t'))
			r++;
		if (r < e && *r == '=')
		{
			if (r + 1 >= e)
				return false;	/* "(.+)" needs a character */
			out->key = key_start;
			out->keylen = (int) (q - key_start);
			out->value = r + 1;
			out->valuelen = (int) (e - (r + 1));
			strip(&out->key, &out->keylen);
			strip(&out->value, &out->valuelen);
			return true;
		}
	}
	return false;
}

void
log_cursor_init(LogCursor *c, char *text, int len)
{
	c->p = text;
	c->end = text + len;
	c->lineno = 0;
	c->next_lf = NULL;
	c->next_cr = NULL;
	c->check = NULL;
}

/* The first ch at or after s (end when none), searched again only once passed. */
static inline char *
next_of(char **cache, char *s, char *end, int ch)
{
	if (*cache == NULL || *cache < s)
	{
		char	   *found = memchr(s, ch, end - s);

		*cache = found ? found : end;
	}
	return *cache;
}

/* The next line (without its end), or false at the end of the text. */
bool
log_next_line(LogCursor *c, char **start, char **end)
{
	char	   *s = c->p;
	char	   *lf,
			   *cr;

	if (c->p >= c->end)
		return false;
	lf = next_of(&c->next_lf, s, c->end, '\n');
	cr = next_of(&c->next_cr, s, c->end, '\r');
	if (cr < lf)
	{
		/* "\r\n" ends one line; a lone "\r" ends a line too */
		*end = cr;
		c->p = (cr + 1 < c->end && cr[1] == '\n') ? cr + 2 : cr + 1;
	}
	else
	{
		*end = lf;
		c->p = lf < c->end ? lf + 1 : c->end;
	}
	*start = s;
	c->lineno++;
	if (c->check && c->lineno % LOG_LINES_CHECK_EVERY == 0)
		c->check();
	return true;
}

/* The next parameter line, or false at the end of the log. */
bool
log_next_param_line(LogCursor *c, LogLine *out)
{
	char	   *s,
			   *e;

	while (log_next_line(c, &s, &e))
		if (match_param_line(s, e, out))
		{
			out->lineno = c->lineno;
			return true;
		}
	return false;
}

/*
 * MLPerf's MLLOG lines: "<anything> :::MLLOG <json>" (the reference parser
 * cuts everything up to the token).  The next one, its JSON text stripped,
 * or false at the end of the text.
 */
bool
log_next_mllog_line(LogCursor *c, LogLine *out)
{
	static const char token[] = ":::MLLOG";
	char	   *s,
			   *e;

	while (log_next_line(c, &s, &e))
	{
		char	   *t = s;

		while ((t = memchr(t, ':', e - t)) != NULL && e - t >= (long) sizeof(token) - 1)
		{
			if (memcmp(t, token, sizeof(token) - 1) == 0)
			{
				out->key = t;
				out->keylen = sizeof(token) - 1;
				out->value = t + sizeof(token) - 1;
				out->valuelen = (int) (e - out->value);
				strip(&out->value, &out->valuelen);
				out->lineno = c->lineno;
				return true;
			}
			t++;
		}
	}
	return false;
}
