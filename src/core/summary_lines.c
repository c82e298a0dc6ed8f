/*
 * summary_lines.c
 *		Which lines of a LoadGen summary (mlperf_log_summary.txt) are
 *		"label : value" pairs, which are text, and which section each is in.
 *
 * LoadGen writes its summary as sections under a rule of '=' and a title
 * line ("MLPerf Results Summary", "Additional Stats", "Test Parameters
 * Used"), each line "label : value" or free text.  Lines come from
 * log_next_line (Python's universal newlines).  Plain C, shared by the
 * extension (src/mlperf/mllog.c) and the fuzzer.
 */
#include "summary_lines.h"

#include <string.h>

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* Is [s, e) a rule of '=' only? */
static bool
all_rule(const char *s, const char *e)
{
	for (; s < e; s++)
		if (*s != '=')
			return false;
	return true;
}

/* [*s, *e) without blanks at either end */
static void
trim(char **s, char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

void
summary_cursor_init(SummaryCursor *c, char *text, int len)
{
	log_cursor_init(&c->lines, text, len);
	c->section = "";
	c->sectionlen = 0;
	c->after_rule = false;
}

bool
summary_next_line(SummaryCursor *c, SummaryLine *out)
{
	char	   *s,
			   *e;

	while (log_next_line(&c->lines, &s, &e))
	{
		char	   *colon;

		trim(&s, &e);
		if (s == e)
			continue;
		if (e - s >= 3 && all_rule(s, e))
		{
			c->after_rule = true;	/* a rule: the next text line is a section title */
			continue;
		}
		colon = memchr(s, ':', e - s);
		if (c->after_rule && colon == NULL)
		{
			c->section = s;
			c->sectionlen = (int) (e - s);
			c->after_rule = false;
			continue;
		}
		c->after_rule = false;
		out->lineno = c->lines.lineno;
		out->section = c->section;
		out->sectionlen = c->sectionlen;
		if (colon)
		{
			char	   *ls = s,
					   *le = colon,
					   *vs = colon + 1,
					   *ve = e;

			trim(&ls, &le);
			trim(&vs, &ve);
			out->kind = SUMMARY_PAIR;
			out->label = ls;
			out->labellen = (int) (le - ls);
			out->value = vs;
			out->valuelen = (int) (ve - vs);
			out->text = NULL;
			out->textlen = 0;
		}
		else
		{
			out->kind = SUMMARY_TEXT;
			out->text = s;
			out->textlen = (int) (e - s);
			out->label = out->value = NULL;
			out->labellen = out->valuelen = 0;
		}
		return true;
	}
	return false;
}
