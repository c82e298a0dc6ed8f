/*
 * log_parser.c
 *		DLBS log text to one flat jsonb object: dlpg.parse_log.
 *
 * The line grammar (log_lines.c) and the JSON syntax (json_syntax.c) are
 * plain C; this file turns what they find into jsonb: each value is read
 * straight into the jsonb being built, a value that is not JSON is kept as
 * text, and the last value of a key wins.
 */
#include "postgres.h"

#include "clip.h"
#include "fmgr.h"
#include "json_syntax.h"
#include "log_lines.h"
#include "log_parser.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(dlpg_parse_log);

typedef struct LogParseState
{
	JsonbParseState *pstate;	/* the log's object, nested values above it */
	const LogLine *line;		/* the line being parsed, for errors */
} LogParseState;

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
static void
presort_object_pairs(JsonbValue *object)
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

/* Adds a scalar to whatever container is open: an array, or an object. */
static void
push_scalar(JsonbParseState **pstate, JsonbValue *v)
{
	pushJsonbValue(pstate,
				   (*pstate)->contVal.type == jbvArray ? WJB_ELEM : WJB_VALUE,
				   v);
}

/* The JSON reader's events, as jsonb. */
static void
jsonb_event(void *arg, JsonEventType type, char *text, int len)
{
	JsonbParseState **pstate = (JsonbParseState **) arg;
	JsonbValue	v;

	/* a value can hold millions of elements */
	CHECK_FOR_INTERRUPTS();
	switch (type)
	{
		case JSON_EV_BEGIN_OBJECT:
			check_stack_depth();
			pushJsonbValue(pstate, WJB_BEGIN_OBJECT, NULL);
			return;
		case JSON_EV_BEGIN_ARRAY:
			check_stack_depth();
			pushJsonbValue(pstate, WJB_BEGIN_ARRAY, NULL);
			return;
		case JSON_EV_END_OBJECT:
			presort_object_pairs(&(*pstate)->contVal);
			pushJsonbValue(pstate, WJB_END_OBJECT, NULL);
			return;
		case JSON_EV_END_ARRAY:
			pushJsonbValue(pstate, WJB_END_ARRAY, NULL);
			return;
		case JSON_EV_KEY:
			v.type = jbvString;
			v.val.string.val = text;
			v.val.string.len = len;
			check_jsonb_string_length(len);
			pushJsonbValue(pstate, WJB_KEY, &v);
			return;
		case JSON_EV_STRING:
			v.type = jbvString;
			v.val.string.val = text;
			v.val.string.len = len;
			check_jsonb_string_length(len);
			break;
		case JSON_EV_NUMBER:
			v.type = jbvNumeric;
			v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in,
																CStringGetDatum(pnstrdup(text, len)),
																ObjectIdGetDatum(InvalidOid),
																Int32GetDatum(-1)));
			break;
		case JSON_EV_TRUE:
		case JSON_EV_FALSE:
			v.type = jbvBool;
			v.val.boolean = (type == JSON_EV_TRUE);
			break;
		case JSON_EV_NULL:
			v.type = jbvNull;
			break;
	}
	push_scalar(pstate, &v);
}

/* The log cursor's periodic check: a log's length is the caller's to choose. */
static void
check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

static void *
palloc_for_sink(void *arg, size_t size)
{
	return palloc(size);
}

/* Any error raised while a value is parsed says where it is. */
static void
log_error_context(void *arg)
{
	LogParseState *st = (LogParseState *) arg;

	if (st->line)
		errcontext("DLBS log line %d, key \"%s\"", st->line->lineno,
				   dlpg_clip_quote(st->line->key, st->line->keylen));
}

/*
 * Parse one value into the log's object under the key already pushed.  When
 * it is not JSON, whatever the reader built of it is dropped and the text is
 * kept as a string.  A value nested too deep is a problem of its line and
 * key: false, with *problem filled in.
 */
static bool
add_value(LogParseState *st, const LogLine *line, DlpgProblem *problem)
{
	JsonbParseState *top = st->pstate;
	int			npairs_before = top->contVal.val.object.nPairs;
	JsonSink	sink = {&st->pstate, jsonb_event, palloc_for_sink};
	JsonReadResult result;
	JsonbValue	v;

	/* DLBS: json.loads(value) if len(value) > 0 else None */
	if (line->valuelen == 0)
	{
		v.type = jbvNull;
		pushJsonbValue(&st->pstate, WJB_VALUE, &v);
		return true;
	}
	result = json_read_value(line->value, line->valuelen, DLPG_MAX_JSON_DEPTH,
							 GetDatabaseEncoding() == PG_UTF8, &sink);
	if (result == JSON_READ_OK)
		return true;
	if (result == JSON_READ_TOO_DEEP)
	{
		dlpg_set_problem(problem, ERRCODE_PROGRAM_LIMIT_EXCEEDED,
						 dlpg_clip_quote(line->key, line->keylen),
						 psprintf("value nested deeper than %d levels", DLPG_MAX_JSON_DEPTH));
		problem->line = line->lineno;
		return false;
	}

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
	return true;
}

/* See log_parser.h. */
Jsonb *
dlbs_parse_log(char *text, int len, int *nparams, DlpgProblem *problem)
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

	log_cursor_init(&cursor, text, len);
	cursor.check = check_interrupts;
	while (log_next_param_line(&cursor, &line))
	{
		JsonbValue	k;

		CHECK_FOR_INTERRUPTS();

		st.line = &line;
		k.type = jbvString;
		k.val.string.len = line.keylen;
		check_jsonb_string_length(k.val.string.len);
		k.val.string.val = line.key;
		pushJsonbValue(&st.pstate, WJB_KEY, &k);
		if (!add_value(&st, &line, problem))
		{
			error_context_stack = errcb.previous;
			return NULL;
		}
		st.line = NULL;
		count++;
	}

	presort_object_pairs(&st.pstate->contVal);
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

	log_cursor_init(&cursor, unconstify(char *, text), len);
	cursor.check = check_interrupts;
	while (log_next_param_line(&cursor, &line))
		if (line.keylen == keylen && memcmp(line.key, key, keylen) == 0)
			found = line.lineno;
	return found;
}

/* dlpg.parse_log(text) -> jsonb */
Datum
dlpg_parse_log(PG_FUNCTION_ARGS)
{
	text	   *log = PG_GETARG_TEXT_PP(0);
	DlpgProblem problem;
	Jsonb	   *params = dlbs_parse_log(VARDATA_ANY(log), VARSIZE_ANY_EXHDR(log), NULL, &problem);

	if (params == NULL)
		ereport(ERROR,
				(errcode(problem.sqlerrcode),
				 errmsg("%s", problem.message),
				 errdetail("line %d, key \"%s\"", problem.line, problem.key)));
	PG_RETURN_JSONB_P(params);
}
