/*
 * mllog.c
 *		MLPerf's MLLOG records: dlpg.parse_mllog.
 *
 * A result file is text with records on some lines: "<anything> :::MLLOG
 * <json>" (line grammar in core/log_lines.c).  Each record is kept as its
 * JSON object, whatever its key order, repeated keys (the last wins, as in
 * any jsonb), missing event_type or the types of its values; integers of
 * any size stay exact (jsonb numeric).  A record that is not a JSON object
 * is not dropped: it is listed with the reason, for the source to judge.
 */
#include "postgres.h"

#include "clip.h"
#include "fmgr.h"
#include "json_syntax.h"
#include "log_lines.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(dlpg_parse_mllog);

/* QUOTE_LIMIT bytes of a record that is not JSON are kept, cut on a character. */
#define QUOTE_LIMIT 200

static void
check_interrupts(void)
{
	CHECK_FOR_INTERRUPTS();
}

/* The reader's events, dropped: only whether the text is JSON matters here. */
static void
ignore_event(void *arg, JsonEventType type, char *text, int len)
{
}

static void *
palloc_for_reader(void *arg, size_t size)
{
	return palloc(size);
}

static void
push_text(JsonbParseState **st, const char *key, const char *value, int len)
{
	JsonbValue	k,
				v;

	k.type = jbvString;
	k.val.string.val = unconstify(char *, key);
	k.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &k);
	v.type = jbvString;
	v.val.string.val = unconstify(char *, value);
	v.val.string.len = len;
	pushJsonbValue(st, WJB_VALUE, &v);
}

/*
 * dlpg.parse_mllog(log text) -> jsonb: the MLLOG records of a result file,
 * in file order, as [{"line": N, "record": {...}}, ...]; a record that is
 * not a JSON object as {"line": N, "invalid": "<its text, cut>", "reason":
 * "..."}.  Lines without the token are not records.
 */
Datum
dlpg_parse_mllog(PG_FUNCTION_ARGS)
{
	text	   *log = PG_GETARG_TEXT_PP(0);
	char	   *data = VARDATA_ANY(log);
	int			len = VARSIZE_ANY_EXHDR(log);
	JsonbParseState *st = NULL;
	JsonSink	sink = {NULL, ignore_event, palloc_for_reader};
	LogCursor	cursor;
	LogLine		line;
	JsonbValue *result;

	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	log_cursor_init(&cursor, data, len);
	cursor.check = check_interrupts;
	while (log_next_mllog_line(&cursor, &line))
	{
		JsonReadResult r;
		JsonbValue	k,
					v;

		CHECK_FOR_INTERRUPTS();
		r = line.valuelen == 0 ? JSON_READ_INVALID
			: json_read_value(line.value, line.valuelen, DLPG_MAX_JSON_DEPTH,
							  GetDatabaseEncoding() == PG_UTF8, &sink);
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		k.type = jbvString;
		k.val.string.val = "line";
		k.val.string.len = 4;
		pushJsonbValue(&st, WJB_KEY, &k);
		v.type = jbvNumeric;
		v.val.numeric = int64_to_numeric(line.lineno);
		pushJsonbValue(&st, WJB_VALUE, &v);
		if (r == JSON_READ_OK && line.value[0] == '{')
		{
			Jsonb	   *record = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
																	CStringGetDatum(pnstrdup(line.value, line.valuelen))));

			k.val.string.val = "record";
			k.val.string.len = 6;
			pushJsonbValue(&st, WJB_KEY, &k);
			v.type = jbvBinary;
			v.val.binary.data = &record->root;
			v.val.binary.len = VARSIZE(record) - VARHDRSZ;
			pushJsonbValue(&st, WJB_VALUE, &v);
		}
		else
		{
			char	   *cut = dlpg_clip(line.value, line.valuelen, QUOTE_LIMIT);

			push_text(&st, "invalid", cut, strlen(cut));
			push_text(&st, "reason",
					  r == JSON_READ_TOO_DEEP ? "nested too deep" :
					  r == JSON_READ_OK ? "not a JSON object" : "not JSON",
					  strlen(r == JSON_READ_TOO_DEEP ? "nested too deep" :
							 r == JSON_READ_OK ? "not a JSON object" : "not JSON"));
		}
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	result = pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	PG_RETURN_JSONB_P(JsonbValueToJsonb(result));
}
