/*
 * mllog.c
 *		MLPerf's result texts: the MLLOG records of a result file
 *		(dlpg.parse_mllog) and the "label : value" lines of an inference
 *		summary (dlpg.parse_mlperf_summary).
 *
 * A result file is text with records on some lines: "<anything> :::MLLOG
 * <json>" (line grammar in core/log_lines.c).  Each record is kept as its
 * JSON object, whatever its key order, repeated keys (the last wins, as in
 * any jsonb), missing event_type or the types of its values; integers of
 * any size stay exact (jsonb numeric).  A record that is not a JSON object
 * is not dropped: it is listed with the reason, for the source to judge.
 * A summary's sections and "label : value" lines are found by
 * core/summary_lines.c (plain C, fuzzed by fuzz/fuzz_summary.c); this file
 * only turns them into jsonb.
 */
#include "postgres.h"

#include "clip.h"
#include "mlperf.h"
#include "fmgr.h"
#include "json_syntax.h"
#include "log_lines.h"
#include "summary_lines.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(dlpg_parse_mllog);
PG_FUNCTION_INFO_V1(dlpg_parse_mlperf_summary);

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

static void
push_int_pair(JsonbParseState **st, const char *key, int64 n)
{
	JsonbValue	k,
				v;

	k.type = jbvString;
	k.val.string.val = unconstify(char *, key);
	k.val.string.len = strlen(key);
	pushJsonbValue(st, WJB_KEY, &k);
	v.type = jbvNumeric;
	v.val.numeric = int64_to_numeric(n);
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

	PG_RETURN_JSONB_P(mlperf_mllog_records(VARDATA_ANY(log), VARSIZE_ANY_EXHDR(log)));
}

/* See mlperf.h: dlpg.parse_mllog's result, for the sources. */
Jsonb *
mlperf_mllog_records(const char *data, int len)
{
	JsonbParseState *st = NULL;
	JsonSink	sink = {NULL, ignore_event, palloc_for_reader};
	LogCursor	cursor;
	LogLine		line;
	JsonbValue *result;

	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	log_cursor_init(&cursor, unconstify(char *, data), len);
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
		push_int_pair(&st, "line", line.lineno);
		if (r == JSON_READ_OK && line.value[0] == '{')
		{
			Jsonb	   *record = DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
																	CStringGetDatum(pnstrdup(line.value, line.valuelen))));

			k.type = jbvString;
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
			const char *reason = r == JSON_READ_TOO_DEEP ? "nested too deep" :
				r == JSON_READ_OK ? "not a JSON object" : "not JSON";

			push_text(&st, "invalid", cut, strlen(cut));
			push_text(&st, "reason", reason, strlen(reason));
		}
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	result = pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	return JsonbValueToJsonb(result);
}

/*
 * dlpg.parse_mlperf_summary(summary text) -> jsonb: the lines of a LoadGen
 * mlperf_log_summary.txt, in order: "label : value" lines (split at the
 * first colon) as {"line", "section", "label", "value"}, other text lines as
 * {"line", "section", "text"}; the "=====" rules and blank lines are left
 * out, and the line after a rule names the section.  Values stay text
 * (numbers as written: the caller casts what it needs).
 */
Datum
dlpg_parse_mlperf_summary(PG_FUNCTION_ARGS)
{
	text	   *summary = PG_GETARG_TEXT_PP(0);

	PG_RETURN_JSONB_P(mlperf_summary_lines(VARDATA_ANY(summary), VARSIZE_ANY_EXHDR(summary)));
}

/* See mlperf.h: dlpg.parse_mlperf_summary's result, for the sources. */
Jsonb *
mlperf_summary_lines(const char *data, int len)
{
	JsonbParseState *st = NULL;
	SummaryCursor cursor;
	SummaryLine line;
	JsonbValue *result;

	pushJsonbValue(&st, WJB_BEGIN_ARRAY, NULL);
	summary_cursor_init(&cursor, unconstify(char *, data), len);
	cursor.lines.check = check_interrupts;
	while (summary_next_line(&cursor, &line))
	{
		CHECK_FOR_INTERRUPTS();
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		push_int_pair(&st, "line", line.lineno);
		push_text(&st, "section", line.section, line.sectionlen);
		if (line.kind == SUMMARY_PAIR)
		{
			push_text(&st, "label", line.label, line.labellen);
			push_text(&st, "value", line.value, line.valuelen);
		}
		else
			push_text(&st, "text", line.text, line.textlen);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	result = pushJsonbValue(&st, WJB_END_ARRAY, NULL);
	return JsonbValueToJsonb(result);
}
