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

/*
 * Walks the lines of a log the way Python's universal newlines do.  The
 * next '\n' and '\r' at or after p are remembered, so each byte is searched
 * once whichever line ends the log uses.
 */
typedef struct LogCursor
{
	char	   *p;
	char	   *end;
	int			lineno;
	char	   *next_lf;		/* the next '\n' (end: none), NULL: not searched */
	char	   *next_cr;		/* the next '\r', likewise */
	/* called every LOG_LINES_CHECK_EVERY lines when set: the extension's interrupt check */
	void		(*check) (void);
} LogCursor;

#define LOG_LINES_CHECK_EVERY 4096

extern void log_cursor_init(LogCursor *c, char *text, int len);
extern bool log_next_param_line(LogCursor *c, LogLine *out);
/* Any line, [*start, *end) without its line end. */
extern bool log_next_line(LogCursor *c, char **start, char **end);
/* The next MLPerf MLLOG line: key is the ":::MLLOG" token, value the JSON text after it. */
extern bool log_next_mllog_line(LogCursor *c, LogLine *out);

#endif							/* DLPG_LOG_LINES_H */
