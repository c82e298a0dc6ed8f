/*
 * log_parser.c
 *		The DLBS log grammar: parameter lines to one flat jsonb object.
 *
 * DLBS's own parser applies ^[ \t]*__(.+?(?=__[ \t]*[=]))__[ \t]*=(.+) to
 * every line of a log opened in Python's text mode, strips key and value,
 * and keeps the value as JSON when it parses, as text otherwise.  The last
 * value of a key wins.  This file follows that exactly, in one pass over the
 * text, reading each value (json_reader.c) straight into the jsonb being
 * built.
 */
#include "dlpg.h"

#include "fmgr.h"

PG_FUNCTION_INFO_V1(dlpg_parse_log);

/* One parameter line: pointers into the log text, stripped. */
typedef struct LogLine
{
	char	   *key;
	int			keylen;
	char	   *value;
	int			valuelen;
	int			lineno;
} LogLine;

/* Walks the lines of a log the way Python's universal newlines do. */
typedef struct LogCursor
{
	char	   *p;
	char	   *end;
	int			lineno;
} LogCursor;

typedef struct LogParseState
{
	JsonbParseState *pstate;	/* the log's object, nested values above it */
	const LogLine *line;		/* the line being parsed, for errors */
} LogParseState;

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

/* The next parameter line, or false at the end of the log. */
static bool
next_param_line(LogCursor *c, LogLine *out)
{
	while (c->p < c->end)
	{
		char	   *s = c->p;
		char	   *nl = memchr(s, '\n', c->end - s);
		char	   *e = nl ? nl : c->end;
		char	   *cr = memchr(s, '\r', e - s);

		if (cr)
		{
			/* "\r\n" ends one line; a lone "\r" ends a line too */
			e = cr;
			c->p = (cr + 1 < c->end && cr[1] == '\n') ? cr + 2 : cr + 1;
		}
		else
			c->p = nl ? nl + 1 : c->end;
		c->lineno++;

		if (match_param_line(s, e, out))
		{
			out->lineno = c->lineno;
			return true;
		}
	}
	return false;
}

/* Any error raised while a value is parsed says where it is. */
static void
log_error_context(void *arg)
{
	LogParseState *st = (LogParseState *) arg;

	if (st->line)
		errcontext("DLBS log line %d, key \"%.*s\"",
				   st->line->lineno, st->line->keylen, st->line->key);
}

/*
 * Parse one value into the log's object under the key already pushed.  When
 * it is not JSON, whatever the reader built of it is dropped and the text is
 * kept as a string.
 */
static void
add_value(LogParseState *st, const LogLine *line)
{
	JsonbParseState *top = st->pstate;
	int			npairs_before = top->contVal.val.object.nPairs;
	JsonReadResult result = dlpg_read_json_value(&st->pstate, line->value, line->valuelen);
	JsonbValue	v;

	if (result == JSON_READ_OK)
		return;
	if (result == JSON_READ_TOO_DEEP)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("value nested deeper than %d levels", DLPG_MAX_JSON_DEPTH),
				 errdetail("line %d, key \"%.*s\"",
						   line->lineno, line->keylen, line->key)));

	/*
	 * Unwind: containers begun for this value were never attached to the
	 * log's object, and a scalar followed by garbage ("1 2") was; the key
	 * itself stays in its slot (nPairs counts only completed pairs).
	 */
	st->pstate = top;
	top->contVal.val.object.nPairs = npairs_before;

	v.type = jbvString;
	v.val.string.len = line->valuelen;
	dlpg_check_jsonb_string_length(v.val.string.len);
	v.val.string.val = line->value;
	pushJsonbValue(&st->pstate, WJB_VALUE, &v);
}

/*
 * Parse a DLBS log into a flat jsonb object.  *nparams, when not NULL, gets
 * the number of parameter lines (repeated keys counted each time).
 */
Jsonb *
dlbs_parse_log(char *text, int len, int *nparams)
{
	LogParseState st;
	ErrorContextCallback errcb;
	LogCursor	cursor;
	LogLine		line;
	JsonbValue *result;
	int			count = 0;

	memset(&st, 0, sizeof(st));

	errcb.callback = log_error_context;
	errcb.arg = &st;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	pushJsonbValue(&st.pstate, WJB_BEGIN_OBJECT, NULL);

	cursor.p = text;
	cursor.end = text + len;
	cursor.lineno = 0;
	while (next_param_line(&cursor, &line))
	{
		JsonbValue	k;

		st.line = &line;
		k.type = jbvString;
		k.val.string.len = line.keylen;
		dlpg_check_jsonb_string_length(k.val.string.len);
		k.val.string.val = line.key;
		pushJsonbValue(&st.pstate, WJB_KEY, &k);
		add_value(&st, &line);
		st.line = NULL;
		count++;
	}

	dlpg_presort_object_pairs(&st.pstate->contVal);
	result = pushJsonbValue(&st.pstate, WJB_END_OBJECT, NULL);
	error_context_stack = errcb.previous;

	if (nparams)
		*nparams = count;
	return JsonbValueToJsonb(result);
}

/* The line number of the last value of key in the log, or 0 if none. */
int
dlbs_last_line_of_key(const char *text, int len, const char *key)
{
	LogCursor	cursor;
	LogLine		line;
	int			keylen = strlen(key);
	int			found = 0;

	cursor.p = unconstify(char *, text);
	cursor.end = cursor.p + len;
	cursor.lineno = 0;
	while (next_param_line(&cursor, &line))
		if (line.keylen == keylen && memcmp(line.key, key, keylen) == 0)
			found = line.lineno;
	return found;
}

/* dlpg.parse_log(text) -> jsonb */
Datum
dlpg_parse_log(PG_FUNCTION_ARGS)
{
	text	   *log = PG_GETARG_TEXT_PP(0);

	PG_RETURN_JSONB_P(dlbs_parse_log(VARDATA_ANY(log), VARSIZE_ANY_EXHDR(log), NULL));
}
