/*
 * log_lines.h
 *		The DLBS log line grammar, in plain C (no PostgreSQL headers), so the
 *		fuzzers can drive exactly the code the extension runs.
 */
#ifndef DLPG_LOG_LINES_H
#define DLPG_LOG_LINES_H

#include <stdbool.h>

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

extern void log_cursor_init(LogCursor *c, char *text, int len);
extern bool log_next_param_line(LogCursor *c, LogLine *out);

#endif							/* DLPG_LOG_LINES_H */
