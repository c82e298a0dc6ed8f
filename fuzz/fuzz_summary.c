/*
 * fuzz/fuzz_summary.c -- libFuzzer harness for the line grammar of an MLPerf inference summary
 * (src/core/summary_lines.c, what dlpg.parse_mlperf_summary and the mlperf_inference source run).
 *
 * Input: the whole input is the summary text (any bytes, NULs included), read from an exact-size
 * copy so ASan catches a read past its end.
 *
 * Checked for every input (abort() on a violation, so libFuzzer reports it):
 *   bounds   every pointer of a SummaryLine (section, label, value, text) lies inside the text,
 *            inside one line (no '\n' or '\r' in it), with a length >= 0.
 *   shape    label and value are the stripped parts of one line around its first colon: the label
 *            holds no colon, the bytes between label and value are blanks, one ':', blanks; a
 *            text line holds no colon and is not empty; nothing starts or ends with a blank
 *            (' ', '\t', '\f', '\v'); line numbers strictly increase.
 *   oracle   an independent reading of LoadGen's layout, written from its description, not from
 *            summary_lines.c (index arithmetic over a private line splitter): lines as Python's
 *            universal newlines make them ("\n", "\r\n", "\r"); a line is stripped of blanks;
 *            blank lines say nothing; three or more '=' and nothing else is a rule; the first
 *            line that says something after a rule is the title of a section when it has no
 *            colon; any other line is "label : value" split at its first colon, or text.  The
 *            grammar must give exactly the oracle's lines: kind, line number, section, label,
 *            value and text, byte for byte.
 *   checks   the cursor's interrupt callback is called once per LOG_LINES_CHECK_EVERY lines.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "summary_lines.h"

#define FUZZ_NAME "fuzz_summary"
#include "fuzz_common.h"

/* ------------------------------------------------------------------ the oracle */

typedef struct RefLine
{
	int			kind;			/* SUMMARY_PAIR or SUMMARY_TEXT */
	int			lineno;
	size_t		sec_off,
				sec_len;
	size_t		a_off,			/* label (PAIR) or text (TEXT) */
				a_len;
	size_t		b_off,			/* value (PAIR) */
				b_len;
} RefLine;

static bool
ref_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v';
}

/* [*b, *e) of s without blanks at either end */
static void
ref_strip(const unsigned char *s, size_t *b, size_t *e)
{
	while (*b < *e && ref_blank(s[*b]))
		++*b;
	while (*e > *b && ref_blank(s[*e - 1]))
		--*e;
}

/* The oracle's lines of s (n bytes) into *out; returns how many, *nlines the lines seen. */
static size_t
ref_read(const unsigned char *s, size_t n, RefLine **out, int *nlines)
{
	size_t		cap = 16,
				k = 0,
				pos = 0;
	size_t		sec_off = 0,
				sec_len = 0;
	bool		after_rule = false;
	int			lineno = 0;
	RefLine    *v = xmalloc(cap * sizeof(RefLine));

	while (pos < n)
	{
		size_t		b = pos,
					e = pos,
					colon,
					i;
		bool		rule;

		while (e < n && s[e] != '\n' && s[e] != '\r')
			e++;
		pos = (e < n && s[e] == '\r' && e + 1 < n && s[e + 1] == '\n') ? e + 2 : (e < n ? e + 1 : e);
		lineno++;

		ref_strip(s, &b, &e);
		if (b == e)
			continue;
		rule = e - b >= 3;
		for (i = b; rule && i < e; i++)
			rule = s[i] == '=';
		if (rule)
		{
			after_rule = true;
			continue;
		}
		for (colon = b; colon < e && s[colon] != ':'; colon++)
			;
		if (after_rule && colon == e)
		{
			sec_off = b;
			sec_len = e - b;
			after_rule = false;
			continue;
		}
		after_rule = false;
		if (k == cap)
			v = xrealloc(v, (cap *= 2) * sizeof(RefLine));
		v[k].lineno = lineno;
		v[k].sec_off = sec_off;
		v[k].sec_len = sec_len;
		if (colon < e)
		{
			size_t		lb = b,
						le = colon,
						vb = colon + 1,
						ve = e;

			ref_strip(s, &lb, &le);
			ref_strip(s, &vb, &ve);
			v[k].kind = SUMMARY_PAIR;
			v[k].a_off = lb;
			v[k].a_len = le - lb;
			v[k].b_off = vb;
			v[k].b_len = ve - vb;
		}
		else
		{
			v[k].kind = SUMMARY_TEXT;
			v[k].a_off = b;
			v[k].a_len = e - b;
			v[k].b_off = v[k].b_len = 0;
		}
		k++;
	}
	*out = v;
	*nlines = lineno;
	return k;
}

/* ------------------------------------------------------------------ the checks */

static const char *text_start,
		   *text_end;
static int	checks;

static void
on_check(void)
{
	checks++;
}

/* [p, p + len) inside the text and inside one line */
static void
check_span(const char *what, int lineno, const char *p, int len)
{
	if (len < 0 || p < text_start || p > text_end || len > text_end - p)
		FAIL("line %d: %s lies outside the text", lineno, what);
	if (memchr(p, '\n', (size_t) len) || memchr(p, '\r', (size_t) len))
		FAIL("line %d: %s spans a line end", lineno, what);
	if (len > 0 && (ref_blank((unsigned char) p[0]) || ref_blank((unsigned char) p[len - 1])))
		FAIL("line %d: %s is not stripped", lineno, what);
}

static void
check_same(const char *what, int lineno, const char *got, int gotlen, size_t off, size_t len)
{
	if ((size_t) gotlen != len || (len > 0 && memcmp(got, text_start + off, len) != 0))
		FAIL("line %d: %s is \"%.*s\", the oracle says \"%.*s\"", lineno, what,
			 gotlen, got, (int) len, text_start + off);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *text;
	SummaryCursor cursor;
	SummaryLine line;
	RefLine    *ref;
	int			nlines;
	size_t		nref,
				k = 0;
	int			prev = 0;

	if (size > 1 << 20)
		return 0;
	text = xmalloc(size);
	memcpy(text, data, size);
	text_start = text;
	text_end = text + size;
	checks = 0;

	nref = ref_read((const unsigned char *) text, size, &ref, &nlines);

	summary_cursor_init(&cursor, text, (int) size);
	cursor.lines.check = on_check;
	while (summary_next_line(&cursor, &line))
	{
		const RefLine *r;

		if (line.lineno <= prev)
			FAIL("line numbers do not increase: %d after %d", line.lineno, prev);
		prev = line.lineno;
		if (line.sectionlen > 0)
			check_span("the section", line.lineno, line.section, line.sectionlen);
		else if (line.sectionlen != 0)
			FAIL("line %d: section length %d", line.lineno, line.sectionlen);
		if (line.kind == SUMMARY_PAIR)
		{
			const char *colon;

			check_span("the label", line.lineno, line.label, line.labellen);
			check_span("the value", line.lineno, line.value, line.valuelen);
			if (memchr(line.label, ':', (size_t) line.labellen))
				FAIL("line %d: the label holds a colon", line.lineno);
			/* between them: blanks, the colon, blanks */
			if (line.value < line.label + line.labellen)
				FAIL("line %d: the value starts before the label ends", line.lineno);
			colon = memchr(line.label + line.labellen, ':', (size_t) (line.value - (line.label + line.labellen)));
			if (colon == NULL)
				FAIL("line %d: no colon between label and value", line.lineno);
			for (const char *q = line.label + line.labellen; q < line.value; q++)
				if (q != colon && !ref_blank((unsigned char) *q))
					FAIL("line %d: byte 0x%02x between label and value", line.lineno, (unsigned char) *q);
		}
		else if (line.kind == SUMMARY_TEXT)
		{
			check_span("the text", line.lineno, line.text, line.textlen);
			if (line.textlen == 0)
				FAIL("line %d: empty text line", line.lineno);
			if (memchr(line.text, ':', (size_t) line.textlen))
				FAIL("line %d: a text line holds a colon", line.lineno);
		}
		else
			FAIL("line %d: kind %d", line.lineno, (int) line.kind);

		if (k >= nref)
			FAIL("line %d: a line the oracle does not have (it has %zu)", line.lineno, nref);
		r = &ref[k++];
		if (line.lineno != r->lineno || (int) line.kind != r->kind)
			FAIL("line %d kind %d, the oracle says line %d kind %d", line.lineno, (int) line.kind,
				 r->lineno, r->kind);
		check_same("the section", line.lineno, line.section, line.sectionlen, r->sec_off, r->sec_len);
		if (line.kind == SUMMARY_PAIR)
		{
			check_same("the label", line.lineno, line.label, line.labellen, r->a_off, r->a_len);
			check_same("the value", line.lineno, line.value, line.valuelen, r->b_off, r->b_len);
		}
		else
			check_same("the text", line.lineno, line.text, line.textlen, r->a_off, r->a_len);
	}
	if (k != nref)
		FAIL("%zu lines, the oracle has %zu (the first missing at line %d)", k, nref, ref[k].lineno);
	if (cursor.lines.lineno != nlines)
		FAIL("the cursor saw %d lines, the oracle %d", cursor.lines.lineno, nlines);
	if (checks != nlines / LOG_LINES_CHECK_EVERY)
		FAIL("%d interrupt checks for %d lines (want %d)", checks, nlines, nlines / LOG_LINES_CHECK_EVERY);
	free(ref);
	free(text);
	return 0;
}
