/*
 * summary_lines.h
 *		The line grammar of a LoadGen mlperf_log_summary.txt (MLPerf
 *		inference), in plain C (no PostgreSQL headers), so the fuzzer
 *		(fuzz/fuzz_summary.c) drives exactly the code the extension runs.
 */
#ifndef DLPG_SUMMARY_LINES_H
#define DLPG_SUMMARY_LINES_H

#include <stdbool.h>

#include "log_lines.h"

/*
 * One line of a summary that says something: pointers into the text,
 * without blanks (' ', '\t', '\f', '\v') at either end.  A "label : value"
 * line is split at its first colon (the label holds none); a line without
 * a colon is text.  section is the title of the section the line is in
 * (empty, length 0, before the first).
 */
typedef enum SummaryKind
{
	SUMMARY_PAIR,				/* label, value */
	SUMMARY_TEXT				/* text */
} SummaryKind;

typedef struct SummaryLine
{
	SummaryKind kind;
	int			lineno;
	const char *section;
	int			sectionlen;
	char	   *label;
	int			labellen;
	char	   *value;
	int			valuelen;
	char	   *text;
	int			textlen;
} SummaryLine;

typedef struct SummaryCursor
{
	LogCursor	lines;			/* set lines.check for an interrupt check */
	const char *section;
	int			sectionlen;
	bool		after_rule;		/* the last line that said anything was a rule */
} SummaryCursor;

extern void summary_cursor_init(SummaryCursor *c, char *text, int len);

/*
 * The next line that says something, or false at the end of the text.
 * Blank lines, the rules ("===", three or more '=' and nothing else) and
 * the section titles (the first non-blank line after a rule, when it has
 * no colon) are not returned: a title becomes the section of the lines
 * after it.
 */
extern bool summary_next_line(SummaryCursor *c, SummaryLine *out);

#endif							/* DLPG_SUMMARY_LINES_H */
