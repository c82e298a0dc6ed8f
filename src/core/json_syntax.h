/*
 * json_syntax.h
 *		A JSON reader in plain C (no PostgreSQL headers) that reports what it
 *		reads as events, so the same code builds jsonb in the extension and
 *		is driven directly by the fuzzers.
 */
#ifndef DLPG_JSON_SYNTAX_H
#define DLPG_JSON_SYNTAX_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The depth the extension reads log values with (log_parser.c); values
 * nested deeper are refused (DLBS writes at most 4).  The fuzz harness
 * fuzz/fuzz_log.c drives json_read_value with it too.
 */
#define DLPG_MAX_JSON_DEPTH 1000

typedef enum JsonEventType
{
	JSON_EV_BEGIN_OBJECT,
	JSON_EV_END_OBJECT,
	JSON_EV_BEGIN_ARRAY,
	JSON_EV_END_ARRAY,
	JSON_EV_KEY,				/* text, len: the decoded key */
	JSON_EV_STRING,				/* text, len: the decoded string */
	JSON_EV_NUMBER,				/* text, len: the number as written */
	JSON_EV_TRUE,
	JSON_EV_FALSE,
	JSON_EV_NULL
} JsonEventType;

typedef struct JsonSink
{
	void	   *arg;
	/* Text points into the input, or into memory from alloc; it is not NUL-terminated. */
	void		(*event) (void *arg, JsonEventType type, char *text, int len);
	/* Scratch memory for decoded strings; the sink owns and frees it. */
	void	   *(*alloc) (void *arg, size_t size);
} JsonSink;

typedef enum JsonReadResult
{
	JSON_READ_OK,
	JSON_READ_INVALID,			/* not JSON (as jsonb_in judges): keep the text */
	JSON_READ_TOO_DEEP			/* nested deeper than max_depth */
} JsonReadResult;

/*
 * Read one JSON value that fills [text, text + len).  utf8: whether "\u"
 * escapes above ASCII may be decoded (a UTF-8 database).  Events stop at the
 * first problem; the sink must then drop what it built.
 */
extern JsonReadResult json_read_value(char *text, int len, int max_depth, bool utf8,
									  const JsonSink *sink);

/* Is [s, s + len) exactly a JSON number (RFC 8259 grammar)? */
extern bool json_is_number(const char *s, int len);

#endif							/* DLPG_JSON_SYNTAX_H */
