/*
 * log_parser.c
 *		The DLBS log grammar: parameter lines to one flat jsonb object.
 *
 * DLBS's own parser applies ^[ \t]*__(.+?(?=__[ \t]*[=]))__[ \t]*=(.+) to
 * every line of a log opened in Python's text mode, strips key and value,
 * and keeps the value as JSON when it parses, as text otherwise.  The last
 * value of a key wins.  This file follows that exactly, in one pass, feeding
 * each value straight from PostgreSQL's JSON lexer into the jsonb being
 * built, so a log costs about what its key/values cast to jsonb would.
 */
#include "dlpg.h"

#include "common/jsonapi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(dlpg_parse_log);

/* Semantic actions return an error code from PostgreSQL 16 on. */
#if PG_VERSION_NUM >= 160000
#define SEM_ACTION_RESULT JsonParseErrorType
#define SEM_ACTION_DONE return JSON_SUCCESS
#else
#define SEM_ACTION_RESULT void
#define SEM_ACTION_DONE return
#endif

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
	int			depth;			/* nesting inside the current value */
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

static void
check_jsonb_string_length(size_t len)
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
 * a number beyond them (1e-99999) is kept as a string rather than failing
 * the whole log.
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
	for (; *p >= '0' && *p <= '9'; p++)
		int_digits++;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			frac_digits++;
	if (*p == 'e' || *p == 'E')
	{
		bool		negative = false;

		p++;
		if (*p == '+' || *p == '-')
			negative = (*p++ == '-');
		for (; *p >= '0' && *p <= '9'; p++)
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

/* A JSON number token as jsonb: numeric, or a string when numeric can't hold it. */
static void
number_value(char *token, JsonbValue *v)
{
	if (json_number_fits_numeric(token))
	{
		v->type = jbvNumeric;
		v->val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
															 CStringGetDatum(token),
															 ObjectIdGetDatum(InvalidOid),
															 Int32GetDatum(-1)));
	}
	else
	{
		v->type = jbvString;
		v->val.string.len = strlen(token);
		v->val.string.val = token;
	}
}

/* Adds a scalar to whatever container is open: an array, or an object. */
static void
push_scalar(JsonbParseState **pstate, JsonbValue *v)
{
	pushJsonbValue(pstate,
				   (*pstate)->contVal.type == jbvArray ? WJB_ELEM : WJB_VALUE,
				   v);
}

static void
enter_container(LogParseState *st, JsonbIteratorToken token)
{
	if (++st->depth > DLPG_MAX_JSON_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("value nested deeper than %d levels", DLPG_MAX_JSON_DEPTH),
				 errdetail("line %d, key \"%.*s\"",
						   st->line->lineno, st->line->keylen, st->line->key)));
	pushJsonbValue(&st->pstate, token, NULL);
}

static SEM_ACTION_RESULT
on_object_start(void *arg)
{
	enter_container((LogParseState *) arg, WJB_BEGIN_OBJECT);
	SEM_ACTION_DONE;
}

static SEM_ACTION_RESULT
on_array_start(void *arg)
{
	enter_container((LogParseState *) arg, WJB_BEGIN_ARRAY);
	SEM_ACTION_DONE;
}

static SEM_ACTION_RESULT
on_object_end(void *arg)
{
	LogParseState *st = (LogParseState *) arg;

	st->depth--;
	pushJsonbValue(&st->pstate, WJB_END_OBJECT, NULL);
	SEM_ACTION_DONE;
}

static SEM_ACTION_RESULT
on_array_end(void *arg)
{
	LogParseState *st = (LogParseState *) arg;

	st->depth--;
	pushJsonbValue(&st->pstate, WJB_END_ARRAY, NULL);
	SEM_ACTION_DONE;
}

static SEM_ACTION_RESULT
on_object_field_start(void *arg, char *fname, bool isnull)
{
	LogParseState *st = (LogParseState *) arg;
	JsonbValue	k;

	k.type = jbvString;
	k.val.string.len = strlen(fname);
	check_jsonb_string_length(k.val.string.len);
	k.val.string.val = fname;
	pushJsonbValue(&st->pstate, WJB_KEY, &k);
	SEM_ACTION_DONE;
}

static SEM_ACTION_RESULT
on_scalar(void *arg, char *token, JsonTokenType tokentype)
{
	LogParseState *st = (LogParseState *) arg;
	JsonbValue	v;

	switch (tokentype)
	{
		case JSON_TOKEN_STRING:
			v.type = jbvString;
			v.val.string.len = strlen(token);
			check_jsonb_string_length(v.val.string.len);
			v.val.string.val = token;
			break;
		case JSON_TOKEN_NUMBER:
			number_value(token, &v);
			break;
		case JSON_TOKEN_TRUE:
			v.type = jbvBool;
			v.val.boolean = true;
			break;
		case JSON_TOKEN_FALSE:
			v.type = jbvBool;
			v.val.boolean = false;
			break;
		default:
			v.type = jbvNull;
			break;
	}
	push_scalar(&st->pstate, &v);
	SEM_ACTION_DONE;
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
 * Most values in a log are plain scalars: a string without escapes, a
 * number, true, false or null.  Those are taken here without setting up the
 * JSON lexer, the string pointing straight into the log text.  Returns false
 * for anything else, which then goes through the full parser.
 */
static bool
add_plain_scalar(LogParseState *st, const LogLine *line)
{
	char	   *s = line->value;
	int			n = line->valuelen;
	JsonbValue	v;

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"')
	{
		for (int i = 1; i < n - 1; i++)
		{
			unsigned char c = (unsigned char) s[i];

			if (c == '"' || c == '\\' || c < 0x20)
				return false;
		}
		v.type = jbvString;
		v.val.string.val = s + 1;
		v.val.string.len = n - 2;
	}
	else if (n == 4 && memcmp(s, "true", 4) == 0)
	{
		v.type = jbvBool;
		v.val.boolean = true;
	}
	else if (n == 5 && memcmp(s, "false", 5) == 0)
	{
		v.type = jbvBool;
		v.val.boolean = false;
	}
	else if (n == 4 && memcmp(s, "null", 4) == 0)
		v.type = jbvNull;
	else if (n > 0 && (s[0] == '-' || (s[0] >= '0' && s[0] <= '9')) &&
			 IsValidJsonNumber(s, n))
		number_value(pnstrdup(s, n), &v);
	else
		return false;

	pushJsonbValue(&st->pstate, WJB_VALUE, &v);
	return true;
}

/*
 * Parse one value into the log's object under the key already pushed.  When
 * it is not JSON, whatever the parser built of it is dropped and the text is
 * kept as a string.
 */
static void
add_value(LogParseState *st, JsonSemAction *sem, const LogLine *line)
{
	JsonbParseState *top = st->pstate;
	int			npairs_before = top->contVal.val.object.nPairs;
	JsonParseErrorType result;
	JsonLexContext *lex;

#if PG_VERSION_NUM >= 170000
	JsonLexContext lexbuf;

	lex = makeJsonLexContextCstringLen(&lexbuf, line->value, line->valuelen,
									   GetDatabaseEncoding(), true);
#else
	lex = makeJsonLexContextCstringLen(line->value, line->valuelen,
									   GetDatabaseEncoding(), true);
#endif
	st->depth = 0;
	result = pg_parse_json(lex, sem);
#if PG_VERSION_NUM >= 170000
	freeJsonLexContext(lex);
#else
	pfree(lex->strval->data);
	pfree(lex->strval);
	pfree(lex);
#endif

	if (result != JSON_SUCCESS)
	{
		JsonbValue	v;

		/*
		 * Unwind: containers begun for this value were never attached to the
		 * log's object, and a scalar followed by garbage ("1 2") was; the key
		 * itself stays in its slot (nPairs counts only completed pairs).
		 */
		st->pstate = top;
		top->contVal.val.object.nPairs = npairs_before;

		v.type = jbvString;
		v.val.string.len = line->valuelen;
		check_jsonb_string_length(v.val.string.len);
		v.val.string.val = line->value;
		pushJsonbValue(&st->pstate, WJB_VALUE, &v);
	}
}

/*
 * Parse a DLBS log into a flat jsonb object.  *nparams, when not NULL, gets
 * the number of parameter lines (repeated keys counted each time).
 */
Jsonb *
dlbs_parse_log(char *text, int len, int *nparams)
{
	LogParseState st;
	JsonSemAction sem;
	ErrorContextCallback errcb;
	LogCursor	cursor;
	LogLine		line;
	JsonbValue *result;
	int			count = 0;

	memset(&st, 0, sizeof(st));
	memset(&sem, 0, sizeof(sem));
	sem.semstate = &st;
	sem.object_start = on_object_start;
	sem.object_end = on_object_end;
	sem.array_start = on_array_start;
	sem.array_end = on_array_end;
	sem.object_field_start = on_object_field_start;
	sem.scalar = on_scalar;

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
		check_jsonb_string_length(k.val.string.len);
		k.val.string.val = line.key;
		pushJsonbValue(&st.pstate, WJB_KEY, &k);
		if (!add_plain_scalar(&st, &line))
			add_value(&st, &sem, &line);
		st.line = NULL;
		count++;
	}

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
