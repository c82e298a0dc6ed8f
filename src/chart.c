/*
 * chart.c
 *		dlpg.chart: a series of the Guide drawn as SVG, or as a Vega-Lite v5
 *		spec with the data inline.
 *
 * The points come from dlpg.series's own query (so filters, aggregation and
 * errors are exactly the table's), the axis titles from the axes tables (axes.h).
 * Categorical X axes give grouped bars, numeric ones (batch sizes, device
 * counts) lines with a point per value.  Every point is one element with
 * class "mark"; a point whose value is not finite has none (it cannot be
 * placed), and the SVG says how many were left out.
 *
 * The SVG's layout (svg_layout) is sized from its widest texts, estimated
 * from DejaVu Sans's widths: long labels are cut (whole in a tooltip), X
 * labels slant and thin out, the legend wraps into columns below the plot
 * and the canvas grows to hold it.  Every mark's tooltip says what the point
 * is, a line per fact.
 *
 * Both formats are pure ASCII: text is first made valid UTF-8 (converted
 * from the database encoding; in SQL_ASCII, or wherever bytes are not UTF-8,
 * each invalid sequence becomes U+FFFD), then written as XML character
 * references or JSON \u escapes.  So the declared UTF-8 is true whatever the
 * database and client encodings are, and no conversion can fail on output.
 */
#include "postgres.h"

#include <math.h>

#include "axes.h"
#include "benchmark.h"
#include "clip.h"
#include "series.h"

#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/string.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/jsonb.h"

PG_FUNCTION_INFO_V1(dlpg_chart);
PG_FUNCTION_INFO_V1(dlpg_compare_chart);

#define SVG_WIDTH 880
#define PAD 16					/* empty border around everything drawn */
#define PLOT_HEIGHT 320
#define FONT 12					/* the SVG's font size */
#define TITLE_FONT 18
#define BOLD 1.12				/* DejaVu Sans Bold is about this much wider */
#define ROW 18					/* a legend entry, a line of notes */
#define SIN45 0.70710678

/* Characters of a text drawn in the SVG; longer ones end in an ellipsis (full in a tooltip). */
#define LABEL_CHARS 24			/* legend entries and X labels */
#define TITLE_CHARS 120			/* titles; they are also cut to the canvas' width */

/* Legend entries drawn; beyond, the first LEGEND_MAX - 1 and "+ N more". */
#define LEGEND_MAX 40
/* Entries a legend beside the plot holds (under its title); more go below the plot. */
#define LEGEND_SIDE_ROWS ((PLOT_HEIGHT - ROW) / ROW)

/*
 * 22 colours, no two alike: Tableau's ten (the colours of dlpg's first
 * charts), then darker and lighter hues that none of them is close to.
 */
static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
	"#393b79", "#e7ba52", "#637939", "#843c39", "#7b4173",
	"#000000", "#00a087", "#aec7e8", "#ff9896", "#98df8a",
	"#c5b0d5", "#f7b6d2"
};

/*
 * Advance widths of the printable ASCII characters in DejaVu Sans (what
 * "sans-serif" usually is on Linux, and wider than Arial or Helvetica), in
 * thousandths of an em.  The layout sizes margins from them; other
 * characters count as 0.7 em, wide scripts and symbols as 1 em.
 */
static const uint16 ascii_em[95] = {
	318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337,	/* sp to / */
	636, 636, 636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531,	/* 0 to ? */
	1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787,	/* @ to O */
	603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500,	/* P to _ */
	500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612,	/* ` to o */
	635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838	/* p to ~ */
};

typedef struct ChartPoint
{
	int			series;			/* index into Chart.series */
	int			x_rank;			/* 1-based */
	double		y;
	int64		n;				/* benchmarks */
	int			configs;		/* configurations among them */
	char	   *mixed;			/* the axes that differ among them, "a, b"; NULL: none */
	bool		has_extent;		/* error_bars: lo..hi, the spread behind y */
	double		lo;
	double		hi;
} ChartPoint;

/* Every text of a Chart is valid UTF-8 (chart_utf8). */
typedef struct Chart
{
	char	   *title;
	char	   *subtitle;
	char	   *x_title;
	char	   *y_title;
	char	   *legend_title;
	bool		numeric_x;
	int			npoints;
	ChartPoint *points;
	int			nseries;
	char	  **series;			/* names in order of first appearance */
	int			nx;
	char	  **xs;				/* x labels by rank - 1 */
	MixedPoints mixed;			/* points whose benchmarks are several configurations */
	bool		error_bars;		/* draw each point's extent (p10-p90 of its samples) */
} Chart;

/* Series names to their index: a chart may have as many series as points. */
typedef struct SeriesEntry
{
	const char *name;			/* as the database gave it */
	int			index;
	uint32		hash;
	char		status;
} SeriesEntry;

#define SH_PREFIX series_hash
#define SH_ELEMENT_TYPE SeriesEntry
#define SH_KEY_TYPE const char *
#define SH_KEY name
#define SH_HASH_KEY(tb, key) hash_bytes((const unsigned char *) (key), strlen(key))
#define SH_EQUAL(tb, a, b) (strcmp((a), (b)) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

static const char replacement_utf8[] = "\xEF\xBF\xBD";	/* U+FFFD */

/*
 * s[0..len) with each invalid UTF-8 sequence (a bad lead byte and the
 * continuation bytes after it, or a truncated or overlong sequence) replaced
 * by U+FFFD.  Valid text is returned as it is.
 */
static char *
repair_utf8(const char *s, int len)
{
	StringInfoData out;
	int			valid = pg_encoding_verifymbstr(PG_UTF8, s, len);

	if (valid == len)
		return unconstify(char *, s);
	initStringInfo(&out);
	while (len > 0)
	{
		appendBinaryStringInfo(&out, s, valid);
		s += valid;
		len -= valid;
		if (len == 0)
			break;
		appendStringInfoString(&out, replacement_utf8);
		s++;
		len--;
		while (len > 0 && ((unsigned char) *s & 0xC0) == 0x80)
		{
			s++;
			len--;
		}
		valid = pg_encoding_verifymbstr(PG_UTF8, s, len);
	}
	return out.data;
}

/*
 * Text of the database as valid UTF-8.  UTF8 databases hold it already;
 * SQL_ASCII ones hold bytes of no declared encoding, taken as UTF-8 where
 * they are; others are converted, a character with no Unicode equivalent
 * becoming U+FFFD.
 */
static char *
chart_utf8(const char *s)
{
	int			encoding = GetDatabaseEncoding();
	int			len;
	Oid			proc;
	StringInfoData out;
	unsigned char *buf;

	if (s == NULL)
		return "";
	len = strlen(s);
	if (encoding == PG_UTF8 || encoding == PG_SQL_ASCII)
		return repair_utf8(s, len);
	if (pg_is_ascii(s))
		return unconstify(char *, s);

	proc = FindDefaultConversionProc(encoding, PG_UTF8);
	initStringInfo(&out);
	buf = palloc((Size) len * MAX_CONVERSION_GROWTH + 8);
	while (len > 0)
	{
		int			done = 0;
		int			skip;

		if (OidIsValid(proc))
			done = pg_do_encoding_conversion_buf(proc, encoding, PG_UTF8,
												 (unsigned char *) s, len, buf,
												 len * MAX_CONVERSION_GROWTH + 8, true);
		if (done > 0)
			appendStringInfoString(&out, (char *) buf);
		s += done;
		len -= done;
		if (len == 0)
			break;
		/* a character that does not convert: one U+FFFD */
		if ((unsigned char) *s < 0x80 && !OidIsValid(proc))
		{
			appendStringInfoChar(&out, *s);
			skip = 1;
		}
		else
		{
			appendStringInfoString(&out, replacement_utf8);
			skip = Min(Max(pg_encoding_mblen(encoding, s), 1), len);
		}
		s += skip;
		len -= skip;
	}
	pfree(buf);
	return out.data;
}

/* The number of characters of valid UTF-8 text. */
static int
utf8_chars(const char *s)
{
	int			n = 0;

	for (; *s; s++)
		if (((unsigned char) *s & 0xC0) != 0x80)
			n++;
	return n;
}

/* Would append_xml shorten s to max_chars? */
static bool
is_clipped(const char *s, int max_chars)
{
	return max_chars > 0 && (int) strlen(s) > max_chars && utf8_chars(s) > max_chars;
}

/*
 * The width in pixels of the first nchars characters of valid UTF-8 text s
 * (all of it with -1), in a font of size pixels: an estimate, from ascii_em.
 */
static double
text_width(const char *s, int nchars, double size)
{
	double		em = 0;

	for (; *s && nchars != 0; nchars--)
	{
		unsigned char c = (unsigned char) *s;

		if (c >= 0x20 && c < 0x7F)
			em += ascii_em[c - 0x20];
		else if (c < 0x80)
			em += 1000;			/* drawn as U+FFFD */
		else
			em += utf8_to_unicode((const unsigned char *) s) >= 0x1100 ? 1000 : 700;
		s += c < 0x80 ? 1 : pg_utf_mblen((const unsigned char *) s);
	}
	return em * size / 1000;
}

/* The width of s as append_xml_clipped draws it with max_chars. */
static double
label_width(const char *s, int max_chars, double size)
{
	if (is_clipped(s, max_chars))
		return text_width(s, max_chars - 1, size) + size;	/* the ellipsis is an em */
	return text_width(s, -1, size);
}

/*
 * The max_chars for append_xml_clipped that draws s within max_width pixels
 * and at most limit characters (limit 0: any number): 0, s whole, when it
 * fits; else the characters that fit before an ellipsis.
 */
static int
fit_label(const char *s, int limit, double max_width, double size)
{
	double		w = 0;			/* of the first n characters */
	int			n = 0;
	int			keep = 0;

	while (*s)
	{
		unsigned char c = (unsigned char) *s;

		if (w + size <= max_width && (limit <= 0 || n < limit))
			keep = n;
		if (w > max_width || (limit > 0 && n > limit))
			return keep + 1;	/* more characters follow: clipped */
		w += text_width(s, 1, size);
		s += c < 0x80 ? 1 : pg_utf_mblen((const unsigned char *) s);
		n++;
	}
	if (w <= max_width && (limit <= 0 || n <= limit))
		return 0;
	/* keep + 1 must be fewer than n characters, or nothing is cut */
	return Max(Min(keep, n - 2), 0) + 1;
}

/* The index of a series, added in order of first appearance. */
static int
series_index(Chart *chart, series_hash_hash *names, const char *name, int *capacity)
{
	bool		found;
	SeriesEntry *e = series_hash_insert(names, name, &found);

	if (found)
		return e->index;
	if (chart->nseries == *capacity)
	{
		*capacity = Max(16, *capacity * 2);
		chart->series = chart->series ? repalloc_huge(chart->series, sizeof(char *) * *capacity)
			: palloc_extended(sizeof(char *) * *capacity, MCXT_ALLOC_HUGE);
	}
	e->index = chart->nseries;
	chart->series[chart->nseries] = chart_utf8(name);
	return chart->nseries++;
}

/* A point's mixed axes as "a, b" (NULL when none), counted into mixed. */
static char *
point_mixed_text(MixedPoints *mixed, Datum axes, bool isnull)
{
	MixedPoints one = {0, 0, NIL};

	dlpg_mixed_add(mixed, axes, isnull);
	dlpg_mixed_add(&one, axes, isnull);
	return one.nmixed ? chart_utf8(dlpg_mixed_axes_text(&one)) : NULL;
}

/* Run dlpg.series with the chart's arguments and keep its rows. */
static void
load_points(Chart *chart, FunctionCallInfo fcinfo)
{
	series_hash_hash *names;
	const char *previous = NULL;
	int			capacity = 0;
	int			xs_capacity = 0;

	/* the series' own query, built here: arguments 0-5 are dlpg.series's */
	if (SPI_execute(dlpg_series_sql_extents(fcinfo, chart->error_bars), true, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed on the series query");

	if (SPI_processed > (uint64) (MaxAllocHugeSize / sizeof(ChartPoint)) ||
		SPI_processed > (uint64) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many points for one chart: %llu",
						(unsigned long long) SPI_processed)));
	chart->npoints = (int) SPI_processed;
	chart->points = palloc_extended(sizeof(ChartPoint) * Max(chart->npoints, 1),
									MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	chart->nx = 0;
	names = series_hash_create(CurrentMemoryContext, 64, NULL);
	for (int i = 0; i < chart->npoints; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		ChartPoint *p = &chart->points[i];
		char	   *x = SPI_getvalue(tuple, desc, 2);
		char	   *name = SPI_getvalue(tuple, desc, 1);

		CHECK_FOR_INTERRUPTS();
		/* dlpg.series orders by series: most points belong to the one before */
		if (name == NULL)
			name = "";
		if (i > 0 && strcmp(name, previous) == 0)
			p->series = chart->points[i - 1].series;
		else
			p->series = series_index(chart, names, name, &capacity);
		previous = name;
		p->x_rank = DatumGetInt32(SPI_getbinval(tuple, desc, 3, &isnull));
		p->y = DatumGetFloat8(SPI_getbinval(tuple, desc, 4, &isnull));
		p->n = DatumGetInt64(SPI_getbinval(tuple, desc, 5, &isnull));
		if (isnull || p->x_rank < 1 || p->x_rank > chart->npoints)
			elog(ERROR, "dlpg.series gave an x rank out of range");
		p->configs = DatumGetInt32(SPI_getbinval(tuple, desc, SERIES_COL_CONFIGS, &isnull));
		p->mixed = point_mixed_text(&chart->mixed,
									SPI_getbinval(tuple, desc, SERIES_COL_MIXED, &isnull), isnull);
		if (chart->error_bars)
		{
			bool		lo_null,
						hi_null;

			p->lo = DatumGetFloat8(SPI_getbinval(tuple, desc, SERIES_COL_LO, &lo_null));
			p->hi = DatumGetFloat8(SPI_getbinval(tuple, desc, SERIES_COL_HI, &hi_null));
			p->has_extent = !lo_null && !hi_null && isfinite(p->lo) && isfinite(p->hi);
		}
		if (p->x_rank > chart->nx)
		{
			if (p->x_rank > xs_capacity)
			{
				int			grown = Max(Max(16, xs_capacity * 2), p->x_rank);

				chart->xs = chart->xs ? repalloc_huge(chart->xs, sizeof(char *) * grown)
					: palloc_extended(sizeof(char *) * grown, MCXT_ALLOC_HUGE);
				xs_capacity = grown;
			}
			for (int r = chart->nx; r < p->x_rank; r++)
				chart->xs[r] = NULL;
			chart->nx = p->x_rank;
		}
		if (chart->xs[p->x_rank - 1] == NULL)
			chart->xs[p->x_rank - 1] = chart_utf8(x);
	}
	series_hash_destroy(names);
}

/*
 * Valid UTF-8 text as XML character data, in ASCII: markup characters as
 * entities, everything above ASCII as a character reference.  What XML 1.0
 * cannot hold at all (control characters other than tab and newlines,
 * U+FFFE, U+FFFF) becomes U+FFFD.  With max_chars > 0, a text longer than
 * that keeps max_chars - 1 characters and ends in an ellipsis: cut between
 * characters, never inside one.
 */
static void
append_xml_clipped(StringInfo out, const char *s, int max_chars)
{
	int			keep = is_clipped(s, max_chars) ? max_chars - 1 : -1;

	for (int nchars = 0; *s; nchars++)
	{
		unsigned char c = (unsigned char) *s;

		if (nchars == keep)
		{
			appendStringInfoString(out, "&#x2026;");
			return;
		}
		if (c >= 0x80)
		{
			pg_wchar	u = utf8_to_unicode((const unsigned char *) s);

			if (u == 0xFFFE || u == 0xFFFF)
				u = 0xFFFD;
			appendStringInfo(out, "&#x%X;", (unsigned int) u);
			s += pg_utf_mblen((const unsigned char *) s);
			continue;
		}
		s++;
		if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
		{
			appendStringInfoString(out, "&#xFFFD;");
			continue;
		}
		switch (c)
		{
			case '&':
				appendStringInfoString(out, "&amp;");
				break;
			case '<':
				appendStringInfoString(out, "&lt;");
				break;
			case '>':
				appendStringInfoString(out, "&gt;");
				break;
			case '"':
				appendStringInfoString(out, "&quot;");
				break;
			default:
				appendStringInfoChar(out, (char) c);
		}
	}
}

static void
append_xml(StringInfo out, const char *s)
{
	append_xml_clipped(out, s, 0);
}

/* A drawn label: clipped, with the whole text as its tooltip when it was. */
static void
append_xml_label(StringInfo out, const char *s, int max_chars)
{
	append_xml_clipped(out, s, max_chars);
	if (is_clipped(s, max_chars))
	{
		appendStringInfoString(out, "<title>");
		append_xml(out, s);
		appendStringInfoString(out, "</title>");
	}
}

/*
 * Valid UTF-8 text as a JSON string, in ASCII: every character above it as
 * a \u escape (a surrogate pair beyond the BMP).
 */
static void
append_json_string(StringInfo out, const char *s)
{
	appendStringInfoChar(out, '"');
	while (*s)
	{
		unsigned char c = (unsigned char) *s;

		if (c >= 0x80)
		{
			pg_wchar	u = utf8_to_unicode((const unsigned char *) s);

			if (u > 0xFFFF)
				appendStringInfo(out, "\\u%04X\\u%04X",
								 (unsigned int) (0xD800 + ((u - 0x10000) >> 10)),
								 (unsigned int) (0xDC00 + ((u - 0x10000) & 0x3FF)));
			else
				appendStringInfo(out, "\\u%04X", (unsigned int) u);
			s += pg_utf_mblen((const unsigned char *) s);
			continue;
		}
		s++;
		switch (c)
		{
			case '"':
				appendStringInfoString(out, "\\\"");
				break;
			case '\\':
				appendStringInfoString(out, "\\\\");
				break;
			case '\n':
				appendStringInfoString(out, "\\n");
				break;
			case '\r':
				appendStringInfoString(out, "\\r");
				break;
			case '\t':
				appendStringInfoString(out, "\\t");
				break;
			default:
				if (c < 0x20 || c == 0x7F)
					appendStringInfo(out, "\\u%04X", (unsigned int) c);
				else
					appendStringInfoChar(out, (char) c);
		}
	}
	appendStringInfoChar(out, '"');
}

/* A round top for the Y axis and its tick step: 1, 2 or 5 times a power of ten. */
static void
nice_scale(double max, double *top, double *step)
{
	double		raw,
				magnitude,
				residual;

	if (!(max > 0) || !isfinite(max))
		max = 1;
	raw = max / 5;
	magnitude = pow(10, floor(log10(raw)));
	residual = raw / magnitude;
	*step = magnitude * (residual > 5 ? 10 : residual > 2 ? 5 : residual > 1 ? 2 : 1);
	*top = ceil(max / *step) * *step;
	if (!isfinite(*top) || !isfinite(*step) || *step <= 0)
	{
		/* near DBL_MAX the round numbers overflow: use the maximum itself */
		*top = max;
		*step = max / 5;
	}
}

static char *
format_number(double v)
{
	return psprintf("%.6g", v);
}

/*
 * Where everything of an SVG chart goes.  The canvas is SVG_WIDTH wide and
 * as high as its parts: title, the plot (PLOT_HEIGHT), X labels, X title,
 * notes and, when it does not fit beside the plot, the legend.  Margins come
 * from the widest texts as drawn (text_width), so nothing runs off the
 * canvas or over another text.
 */
typedef struct Layout
{
	int			height;
	double		left,
				right,
				top,
				bottom;			/* the plot */
	double		band;			/* width of one X value */
	bool		rotate;			/* X labels at 45 degrees */
	int			x_step;			/* every x_step-th X label is drawn */
	double		x_title_y;
	double		notes_y;		/* baseline of the first note */
	int			legend_shown;	/* entries drawn, without "+ N more" */
	int			legend_items;	/* with it */
	bool		legend_beside;	/* beside the plot, else below it */
	int			legend_rows;	/* rows per column */
	double		legend_x,
				legend_y,		/* baseline of its title */
				legend_col;		/* width of a column */
} Layout;

static void
svg_layout(const Chart *chart, double top, double step, int nnotes, Layout *l)
{
	double		widest_y = 0,
				widest_x = 0,
				widest_entry,
				y;

	/* Y tick labels, as svg_frame draws them */
	for (int tick = 0; tick <= 10 && tick * step <= top * (1 + 1e-9); tick++)
		widest_y = Max(widest_y, text_width(format_number(tick * step), -1, FONT));

	/* the legend: one column beside the plot, or columns below it */
	l->legend_shown = chart->nseries <= LEGEND_MAX ? chart->nseries : LEGEND_MAX - 1;
	l->legend_items = l->legend_shown + (chart->nseries > l->legend_shown ? 1 : 0);
	widest_entry = l->legend_items > l->legend_shown ? text_width("+ 2147483647 more", -1, FONT) : 0;
	for (int s = 0; s < l->legend_shown; s++)
		widest_entry = Max(widest_entry, label_width(chart->series[s], LABEL_CHARS, FONT));
	l->legend_col = Max(18 + widest_entry, label_width(chart->legend_title, LABEL_CHARS, FONT * BOLD)) + 16;
	l->legend_beside = l->legend_items <= LEGEND_SIDE_ROWS;
	if (chart->nseries == 0)
	{
		l->legend_items = 0;
		l->legend_col = 0;
		l->legend_beside = true;
	}

	/* Y title, tick labels, plot; the legend on the right when beside */
	l->left = PAD + FONT + 4 + 8 + widest_y + 6;
	l->right = SVG_WIDTH - PAD - (l->legend_beside ? l->legend_col : 0);

	/*
	 * X labels: level when the widest fits its band, else at 45 degrees,
	 * every x_step-th so that neighbours keep a line apart.  A slanted label
	 * hangs left of its value: the first one sets the least left margin.
	 */
	for (int r = 0; r < chart->nx; r++)
	{
		CHECK_FOR_INTERRUPTS();
		widest_x = Max(widest_x, label_width(chart->xs[r] ? chart->xs[r] : "", LABEL_CHARS, FONT));
	}
	l->band = chart->nx ? (l->right - l->left) / chart->nx : 0;
	l->rotate = chart->nx > 0 && widest_x + 8 > l->band;
	l->x_step = 1;
	if (l->rotate)
	{
		l->left = Max(l->left, PAD / 2 + SIN45 * (widest_x + FONT));
		l->band = (l->right - l->left) / chart->nx;
		l->x_step = (int) Min(ceil((FONT + 3) / (l->band * SIN45)), (double) chart->nx);
	}

	l->top = chart->subtitle ? 66 : 48;
	l->bottom = l->top + PLOT_HEIGHT;
	y = l->bottom + (l->rotate ? 10 + SIN45 * (widest_x + 4) : 18);
	l->x_title_y = y + 22;
	l->notes_y = l->x_title_y + ROW;
	y = l->x_title_y + ROW * nnotes;

	if (l->legend_beside)
	{
		l->legend_x = l->right + 12;
		l->legend_y = l->top + 4;
		l->legend_rows = Max(l->legend_items, 1);
	}
	else
	{
		int			cols = Max(1, (int) ((SVG_WIDTH - 2 * PAD) / l->legend_col));

		l->legend_rows = (l->legend_items + cols - 1) / cols;
		l->legend_x = PAD;
		l->legend_y = y + 28;
		y = l->legend_y + ROW * l->legend_rows;
	}
	l->height = (int) ceil(y + PAD);
}

/* The note of a chart with points that mix configurations (chart->mixed). */
static char *
mixed_note(const Chart *chart)
{
	return chart_utf8(psprintf("%d of %d points mix configurations: filter or group by %s",
							   chart->mixed.nmixed, chart->mixed.npoints,
							   dlpg_mixed_axes_text(&chart->mixed)));
}

/* A text of the frame, cut to fit max_width pixels and limit characters. */
static void
svg_text(StringInfo out, const char *attrs, const char *s, int limit,
		 double max_width, double size)
{
	appendStringInfo(out, "<text %s>", attrs);
	append_xml_label(out, s, fit_label(s, limit, max_width, size));
	appendStringInfoString(out, "</text>\n");
}

static void
svg_frame(StringInfo out, const Chart *chart, const Layout *l, double top,
		  double step, int not_drawn)
{
	double		plot_mid = (l->left + l->right) / 2;
	int			note = 0;

	appendStringInfo(out,
					 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
					 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
					 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"%d\">\n"
					 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
					 SVG_WIDTH, l->height, SVG_WIDTH, l->height, FONT);
	svg_text(out, psprintf("class=\"title\" x=\"%d\" y=\"26\" font-size=\"%d\" font-weight=\"bold\"",
						   PAD, TITLE_FONT),
			 chart->title, TITLE_CHARS, SVG_WIDTH - 2 * PAD, TITLE_FONT * BOLD);
	if (chart->subtitle)
		svg_text(out, psprintf("class=\"subtitle\" x=\"%d\" y=\"46\" fill=\"#555\"", PAD),
				 chart->subtitle, TITLE_CHARS, SVG_WIDTH - 2 * PAD, FONT);

	/* Y grid, ticks and title; counted, so no rounding can loop */
	for (int tick = 0; tick <= 10 && tick * step <= top * (1 + 1e-9); tick++)
	{
		double		v = tick * step;
		double		y = l->bottom - (l->bottom - l->top) * (v / top);

		appendStringInfo(out,
						 "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
						 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" dy=\"4\">%s</text>\n",
						 l->left, l->right, y, y, l->left - 6, y, format_number(v));
	}
	svg_text(out, psprintf("class=\"y-title\" x=\"%d\" y=\"%.1f\" transform=\"rotate(-90 %d %.1f)\" "
						   "text-anchor=\"middle\"",
						   PAD + FONT, (l->top + l->bottom) / 2, PAD + FONT, (l->top + l->bottom) / 2),
			 chart->y_title, TITLE_CHARS, PLOT_HEIGHT, FONT);
	appendStringInfo(out,
					 "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#333\"/>\n",
					 l->left, l->right, l->bottom, l->bottom);

	/* X labels (every x_step-th) and title */
	for (int r = 0; r < chart->nx; r += l->x_step)
	{
		double		x = l->left + l->band * (r + 0.5);
		const char *s = chart->xs[r] ? chart->xs[r] : "";

		CHECK_FOR_INTERRUPTS();
		if (l->rotate)
			svg_text(out, psprintf("class=\"x-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\" "
								   "transform=\"rotate(-45 %.1f %.1f)\"",
								   x, l->bottom + 10, x, l->bottom + 10),
					 s, LABEL_CHARS, SVG_WIDTH, FONT);
		else
			svg_text(out, psprintf("class=\"x-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"",
								   x, l->bottom + 16),
					 s, LABEL_CHARS, SVG_WIDTH, FONT);
	}
	svg_text(out, psprintf("class=\"x-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"",
						   plot_mid, l->x_title_y),
			 chart->x_title, TITLE_CHARS, 2 * Min(plot_mid - PAD, SVG_WIDTH - PAD - plot_mid), FONT);

	/* Legend: in columns, entry s at row s % rows of column s / rows */
	if (chart->nseries > 0)
	{
		appendStringInfoString(out, "<g class=\"legend\">");
		svg_text(out, psprintf("class=\"legend-title\" x=\"%.1f\" y=\"%.1f\" font-weight=\"bold\"",
							   l->legend_x, l->legend_y),
				 chart->legend_title, LABEL_CHARS, l->legend_col - 16, FONT * BOLD);
		for (int s = 0; s < l->legend_items; s++)
		{
			double		x = l->legend_x + l->legend_col * (s / l->legend_rows);
			double		y = l->legend_y + ROW * (1 + s % l->legend_rows);

			CHECK_FOR_INTERRUPTS();
			if (s == l->legend_shown)
			{
				appendStringInfo(out, "<text class=\"more\" x=\"%.1f\" y=\"%.1f\" fill=\"#555\">+ %d more</text>\n",
								 x, y, chart->nseries - l->legend_shown);
				break;
			}
			appendStringInfo(out,
							 "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>",
							 x, y - 10, palette[s % lengthof(palette)]);
			svg_text(out, psprintf("class=\"legend-entry\" x=\"%.1f\" y=\"%.1f\"", x + 18, y),
					 chart->series[s], LABEL_CHARS, SVG_WIDTH, FONT);
		}
		appendStringInfoString(out, "</g>\n");
	}

	if (chart->npoints == 0)
		appendStringInfo(out, "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
						 "font-size=\"16\" fill=\"#555\">no data: no benchmark matched</text>\n",
						 plot_mid, (l->top + l->bottom) / 2);
	if (not_drawn > 0)
		appendStringInfo(out, "<text class=\"not-drawn\" x=\"%d\" y=\"%.1f\" fill=\"#555\">"
						 "%d point%s not drawn: value not finite</text>\n",
						 PAD, l->notes_y + ROW * note++, not_drawn, not_drawn == 1 ? "" : "s");
	if (chart->mixed.nmixed > 0)
		svg_text(out, psprintf("class=\"mixed\" x=\"%d\" y=\"%.1f\" fill=\"#b45309\"",
							   PAD, l->notes_y + ROW * note++),
				 mixed_note(chart), TITLE_CHARS * 2, SVG_WIDTH - 2 * PAD, FONT);
}

/*
 * The tooltip of a mark, a line per fact; a point of several configurations
 * says how many, and which axes differ.
 */
static void
svg_point_title(StringInfo out, const Chart *chart, const ChartPoint *p)
{
	appendStringInfoString(out, "<title>");
	append_xml(out, chart->series[p->series]);
	appendStringInfoChar(out, '\n');
	append_xml(out, chart->x_title);
	appendStringInfoString(out, ": ");
	append_xml(out, chart->xs[p->x_rank - 1]);
	appendStringInfoChar(out, '\n');
	append_xml(out, chart->y_title);
	appendStringInfo(out, ": %s\nn: %lld benchmark%s", format_number(p->y),
					 (long long) p->n, p->n == 1 ? "" : "s");
	if (p->mixed)
	{
		appendStringInfo(out, "\nconfigurations: %d, differing in ", p->configs);
		append_xml(out, p->mixed);
	}
	if (p->has_extent)
		appendStringInfo(out, "\nspread (error bar): %s to %s", format_number(p->lo), format_number(p->hi));
	appendStringInfoString(out, "</title>");
}

/*
 * The points in series order (within a series, in the order dlpg.series
 * gave them: by x), by a counting sort: drawing a line per series costs one
 * pass, however many series there are.
 */
static int *
points_by_series(const Chart *chart)
{
	int		   *start = palloc_extended(sizeof(int) * ((Size) chart->nseries + 1),
										MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	int		   *order = palloc_extended(sizeof(int) * Max(chart->npoints, 1), MCXT_ALLOC_HUGE);

	for (int i = 0; i < chart->npoints; i++)
		start[chart->points[i].series + 1]++;
	for (int s = 1; s <= chart->nseries; s++)
		start[s] += start[s - 1];
	for (int i = 0; i < chart->npoints; i++)
		order[start[chart->points[i].series]++] = i;
	pfree(start);
	return order;
}

static char *
render_svg(const Chart *chart)
{
	StringInfoData out;
	double		top,
				step,
				max = 0;
	double		band;
	int			not_drawn = 0;
	Layout		l;

	for (int i = 0; i < chart->npoints; i++)
	{
		if (!isfinite(chart->points[i].y))
			not_drawn++;
		else if (chart->points[i].y > max)
			max = chart->points[i].y;
		if (chart->points[i].has_extent && chart->points[i].hi > max)
			max = chart->points[i].hi;
	}
	nice_scale(max, &top, &step);

	svg_layout(chart, top, step, (not_drawn > 0 ? 1 : 0) + (chart->mixed.nmixed > 0 ? 1 : 0), &l);
	band = l.band;

	initStringInfo(&out);
	svg_frame(&out, chart, &l, top, step, not_drawn);

	/* only finite values reach it: a non-finite one has no place on the axis */
#define Y_PIXEL(v) (l.bottom - (l.bottom - l.top) * (Max((v), 0) / top))
	if (chart->numeric_x)
	{
		int		   *order = points_by_series(chart);
		int			i = 0;

		/* lines: one polyline per series through its points, in x order */
		for (int s = 0; s < chart->nseries; s++)
		{
			CHECK_FOR_INTERRUPTS();
			appendStringInfo(&out, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" points=\"",
							 palette[s % lengthof(palette)]);
			for (; i < chart->npoints && chart->points[order[i]].series == s; i++)
			{
				const ChartPoint *p = &chart->points[order[i]];

				if (isfinite(p->y))
					appendStringInfo(&out, "%.1f,%.1f ",
									 l.left + band * (p->x_rank - 0.5), Y_PIXEL(p->y));
			}
			appendStringInfoString(&out, "\"/>\n");
		}
		pfree(order);
		for (i = 0; i < chart->npoints; i++)
		{
			const ChartPoint *p = &chart->points[i];

			CHECK_FOR_INTERRUPTS();
			if (!isfinite(p->y))
				continue;
			appendStringInfo(&out, "<circle class=\"mark\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\" fill=\"%s\">",
							 l.left + band * (p->x_rank - 0.5), Y_PIXEL(p->y),
							 palette[p->series % lengthof(palette)]);
			svg_point_title(&out, chart, p);
			appendStringInfoString(&out, "</circle>\n");
		}
	}
	else
	{
		/* grouped bars: one band per x, one bar per series inside it */
		double		bar = band * 0.8 / Max(chart->nseries, 1);

		for (int i = 0; i < chart->npoints; i++)
		{
			const ChartPoint *p = &chart->points[i];
			double		y;

			CHECK_FOR_INTERRUPTS();
			if (!isfinite(p->y))
				continue;
			y = Y_PIXEL(p->y);
			appendStringInfo(&out,
							 "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">",
							 l.left + band * (p->x_rank - 1) + band * 0.1 + bar * p->series,
							 y, bar, l.bottom - y, palette[p->series % lengthof(palette)]);
			svg_point_title(&out, chart, p);
			appendStringInfoString(&out, "</rect>\n");
		}
	}
	if (chart->error_bars)
	{
		double		bar = band * 0.8 / Max(chart->nseries, 1);

		for (int i = 0; i < chart->npoints; i++)
		{
			const ChartPoint *p = &chart->points[i];
			double		x = chart->numeric_x ? l.left + band * (p->x_rank - 0.5)
				: l.left + band * (p->x_rank - 1) + band * 0.1 + bar * (p->series + 0.5);
			double		cap = Min(6, chart->numeric_x ? band / 4 : bar / 3);

			CHECK_FOR_INTERRUPTS();
			if (!p->has_extent || !isfinite(p->y))
				continue;
			appendStringInfo(&out,
							 "<path class=\"error-bar\" stroke=\"#333\" stroke-width=\"1.5\" fill=\"none\" "
							 "d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fH%.1f\"/>\n",
							 x, Y_PIXEL(p->lo), Y_PIXEL(p->hi),
							 x - cap, Y_PIXEL(p->lo), x + cap, x - cap, Y_PIXEL(p->hi), x + cap);
		}
	}
	appendStringInfoString(&out, "</svg>\n");
	return out.data;
}

static void
append_json_number(StringInfo out, double v)
{
	if (isfinite(v))
		appendStringInfoString(out, float8out_internal(v));
	else
		appendStringInfoString(out, "null");
}

/*
 * A Vega-Lite spec.  An empty chart says so in its subtitle and gets a fixed
 * Y domain: Vega warns of an infinite extent otherwise.
 */
static char *
render_vega_lite(const Chart *chart)
{
	StringInfoData out;
	bool		any_finite = false;

	for (int i = 0; i < chart->npoints && !any_finite; i++)
		any_finite = isfinite(chart->points[i].y);

	initStringInfo(&out);
	appendStringInfoString(&out, "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v5.json\", \"title\": {\"text\": ");
	append_json_string(&out, chart->title);
	if (chart->subtitle || chart->npoints == 0 || chart->mixed.nmixed > 0)
	{
		appendStringInfoString(&out, ", \"subtitle\": [");
		if (chart->subtitle)
			append_json_string(&out, chart->subtitle);
		if (chart->npoints == 0)
			appendStringInfo(&out, "%s\"no data: no benchmark matched\"", chart->subtitle ? ", " : "");
		if (chart->mixed.nmixed > 0)
		{
			appendStringInfoString(&out, chart->subtitle ? ", " : "");
			append_json_string(&out, mixed_note(chart));
		}
		appendStringInfoChar(&out, ']');
	}
	appendStringInfoString(&out, "}, \"width\": 600, \"height\": 360, \"data\": {\"values\": [");
	for (int i = 0; i < chart->npoints; i++)
	{
		const ChartPoint *p = &chart->points[i];

		CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&out, i ? ", {\"series\": " : "{\"series\": ");
		append_json_string(&out, chart->series[p->series]);
		appendStringInfoString(&out, ", \"x\": ");
		append_json_string(&out, chart->xs[p->x_rank - 1]);
		appendStringInfo(&out, ", \"x_rank\": %d, \"y\": ", p->x_rank);
		append_json_number(&out, p->y);
		appendStringInfo(&out, ", \"n\": %lld, \"configs\": %d, \"mixed\": ", (long long) p->n, p->configs);
		append_json_string(&out, p->mixed ? p->mixed : "");
		if (p->has_extent)
		{
			appendStringInfoString(&out, ", \"lo\": ");
			append_json_number(&out, p->lo);
			appendStringInfoString(&out, ", \"hi\": ");
			append_json_number(&out, p->hi);
		}
		appendStringInfoChar(&out, '}');
	}
	appendStringInfo(&out, "]}, %s\"mark\": %s, \"encoding\": {\"x\": {\"field\": \"x\", \"type\": \"ordinal\", "
					 "\"sort\": {\"field\": \"x_rank\", \"op\": \"min\"}, \"title\": ",
					 chart->error_bars ? "\"layer\": [{" : "",
					 chart->numeric_x ? "{\"type\": \"line\", \"point\": true, \"tooltip\": true}"
					 : "{\"type\": \"bar\", \"tooltip\": true}");
	append_json_string(&out, chart->x_title);
	appendStringInfoString(&out, "}, \"y\": {\"field\": \"y\", \"type\": \"quantitative\", \"title\": ");
	append_json_string(&out, chart->y_title);
	if (!any_finite)
		appendStringInfoString(&out, ", \"scale\": {\"domain\": [0, 1]}");
	appendStringInfoString(&out, "}, \"color\": {\"field\": \"series\", \"type\": \"nominal\", \"title\": ");
	append_json_string(&out, chart->legend_title);
	appendStringInfoChar(&out, '}');
	if (!chart->numeric_x)
		appendStringInfoString(&out, ", \"xOffset\": {\"field\": \"series\"}");

	/* the SVG's tooltip lines; configs and mixed (issue 10) go after n */
	appendStringInfoString(&out, ", \"tooltip\": [{\"field\": \"series\", \"type\": \"nominal\", \"title\": ");
	append_json_string(&out, chart->legend_title);
	appendStringInfoString(&out, "}, {\"field\": \"x\", \"type\": \"ordinal\", \"title\": ");
	append_json_string(&out, chart->x_title);
	appendStringInfoString(&out, "}, {\"field\": \"y\", \"type\": \"quantitative\", \"title\": ");
	append_json_string(&out, chart->y_title);
	appendStringInfoString(&out, "}, {\"field\": \"n\", \"type\": \"quantitative\", \"title\": \"n (benchmarks)\"}, "
						   "{\"field\": \"configs\", \"type\": \"quantitative\", \"title\": \"configurations\"}, "
						   "{\"field\": \"mixed\", \"type\": \"nominal\", \"title\": \"differing in\"}]}");
	/* error bars: a rule from lo to hi over each point, in a layer of their own */
	if (chart->error_bars)
		appendStringInfo(&out, "}, {\"mark\": {\"type\": \"rule\", \"color\": \"#333\"}, \"encoding\": {"
						 "\"x\": {\"field\": \"x\", \"type\": \"ordinal\", \"sort\": {\"field\": \"x_rank\", \"op\": \"min\"}}, "
						 "%s\"y\": {\"field\": \"lo\", \"type\": \"quantitative\"}, \"y2\": {\"field\": \"hi\"}}}]",
						 chart->numeric_x ? "" : "\"xOffset\": {\"field\": \"series\"}, ");
	appendStringInfoChar(&out, '}');
	return out.data;
}

/* One scalar of a filter (checked by dlpg.series: a string or a number) as text. */
static char *
filter_value_text(const AxisDef *axis, JsonbValue *v)
{
	char	   *s;

	if (v->type == jbvString)
		s = pnstrdup(v->val.string.val, v->val.string.len);
	else if (v->type == jbvNumeric)
		s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	else						/* not a filter dlpg.series takes; said as JSON */
		s = v->type == jbvBool ? (v->val.boolean ? "true" : "false") : "null";
	if (axis && axis->kind == AXIS_VOCAB)
		s = unconstify(char *, dlpg_axis_label(axis, dlpg_vocab_canonical(axis, s)));
	return chart_utf8(s);
}

/*
 * The subtitle: the filters as the Guide names them, "Phase: training ·
 * Precision: single (FP32)" (arguments checked by dlpg.series already).
 * Each piece is made UTF-8 before the separator joins them.
 */
static char *
filters_subtitle(Jsonb *filters)
{
	StringInfoData out;
	JsonbIterator *it = JsonbIteratorInit(&filters->root);
	JsonbValue	v;
	JsonbIteratorToken tok;
	const AxisDef *axis = NULL;
	int			depth = 0;
	int			nvalues = 0;

	initStringInfo(&out);
	while ((tok = JsonbIteratorNext(&it, &v, false)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_BEGIN_OBJECT || tok == WJB_BEGIN_ARRAY)
			depth++;
		else if (tok == WJB_END_OBJECT || tok == WJB_END_ARRAY)
		{
			if (tok == WJB_END_ARRAY && nvalues == 0)
				appendStringInfoString(&out, "none");
			depth--;
		}
		else if (tok == WJB_KEY && depth == 1)
		{
			char	   *key = pnstrdup(v.val.string.val, v.val.string.len);

			axis = dlpg_find_axis(key);
			if (out.len > 0)
				appendStringInfoString(&out, " \xC2\xB7 ");	/* U+00B7 middle dot */
			appendStringInfo(&out, "%s: ",
							 axis ? axis->label
							 : strcmp(key, "batch_size") == 0 ? "Batch size"
							 : strcmp(key, "scaling") == 0 ? "Scaling"
							 : strcmp(key, "run_after") == 0 ? "Run after"
							 : strcmp(key, "run_before") == 0 ? "Run before" : chart_utf8(key));
			nvalues = 0;
		}
		else if (tok == WJB_VALUE || tok == WJB_ELEM)
		{
			if (nvalues++ > 0)
				appendStringInfoString(&out, ", ");
			appendStringInfoString(&out, filter_value_text(axis, &v));
		}
	}
	return out.len > 0 ? out.data : NULL;
}

/* A chart's format argument: true for svg, false for vega-lite, else an error. */
static bool
format_is_svg(const char *format)
{
	if (format && pg_strcasecmp(format, "svg") == 0)
		return true;
	if (format && pg_strcasecmp(format, "vega-lite") == 0)
		return false;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown chart format \"%s\" (valid: svg, vega-lite)",
					format ? dlpg_clip_quote(format, strlen(format)) : "NULL")));
	return false;				/* keep compiler quiet */
}

/* dlpg.chart(x_axis, y_axis, filters, agg, group_by, series_name, format) -> text */
Datum
dlpg_chart(PG_FUNCTION_ARGS)
{
	char	   *format = PG_ARGISNULL(6) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(6));
	char	   *x_name = PG_ARGISNULL(0) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *y_name = PG_ARGISNULL(1) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(1));
	char	   *group_by = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	bool		svg;
	Chart		chart;
	char	   *result;
	MemoryContext caller = CurrentMemoryContext;

	svg = format_is_svg(format);

	memset(&chart, 0, sizeof(chart));
	chart.error_bars = PG_NARGS() > 7 && !PG_ARGISNULL(7) && PG_GETARG_BOOL(7);
	SPI_connect();
	load_points(&chart, fcinfo);	/* checks every argument */
	/* the arguments are checked: the names are in the axes tables */
	chart.x_title = chart_utf8(dlpg_find_axis(x_name)->label);
	chart.y_title = chart_utf8(dlpg_y_title(dlpg_find_y_measure(y_name)));
	chart.numeric_x = dlpg_find_axis(x_name)->kind == AXIS_INT;
	chart.title = psprintf("%s by %s", chart.y_title, chart.x_title);
	chart.legend_title = chart_utf8(group_by ? dlpg_find_axis(group_by)->label : "Series");
	if (!PG_ARGISNULL(2))
		chart.subtitle = filters_subtitle(PG_GETARG_JSONB_P(2));
	/* what dlpg.series says about these points, the chart says too */
	dlpg_notice_unmatched_filters(PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2));
	dlpg_mixed_notice(&chart.mixed, "points");

	result = svg ? render_svg(&chart) : render_vega_lite(&chart);
	{
		/* the result must outlive SPI's memory */
		MemoryContext spi = MemoryContextSwitchTo(caller);
		text	   *t = cstring_to_text(result);

		MemoryContextSwitchTo(spi);
		SPI_finish();
		PG_RETURN_TEXT_P(t);
	}
}

/* ------------------------------------------------------------------------
 * dlpg.compare_chart: dlpg.compare as a picture, one bar per configuration,
 * the change from baseline to candidate in percent, coloured by verdict.
 * ------------------------------------------------------------------------ */

typedef struct CompareBar
{
	char	   *label;			/* the configuration: its axes that differ among the rows */
	double		change;			/* percent; NaN when there is none (a zero baseline) */
	char	   *verdict;
	double		p_value;
	int			n_baseline;
	int			n_candidate;
} CompareBar;

static const char *const verdicts[] = {"improved", "regressed", "unchanged", "insufficient"};
static const char *const verdict_colours[] = {"#2ca02c", "#d62728", "#7f7f7f", "#c7c7c7"};

static const char *
verdict_colour(const char *verdict)
{
	for (size_t i = 0; i < lengthof(verdicts); i++)
		if (strcmp(verdict, verdicts[i]) == 0)
			return verdict_colours[i];
	return verdict_colours[2];
}

/*
 * The rows of dlpg.compare, each configuration named by the axes whose
 * values differ among them ("Replica Batch Size: 64 · Model: ResNet50"),
 * "all" when there is one.
 */
static CompareBar *
load_comparison(FunctionCallInfo fcinfo, int *nbars)
{
	Oid			types[4] = {JSONBOID, JSONBOID, TEXTOID, JSONBOID};
	Datum		values[4];
	char		nulls[4];
	CompareBar *bars;
	Jsonb	  **configs;
	int			n;

	for (int i = 0; i < 4; i++)
	{
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		values[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	if (SPI_execute_with_args("SELECT config, change, verdict, p_value, n_baseline, n_candidate "
							  "FROM dlpg.compare($1, $2, $3, $4)",
							  4, types, values, nulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute failed on dlpg.compare");
	if (SPI_processed > 100000)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many configurations for one comparison chart: %llu",
						(unsigned long long) SPI_processed),
				 errhint("Add filters, or read dlpg.compare's rows.")));
	n = (int) SPI_processed;
	bars = palloc0(sizeof(CompareBar) * Max(n, 1));
	configs = palloc0(sizeof(Jsonb *) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		HeapTuple	t = SPI_tuptable->vals[i];
		TupleDesc	d = SPI_tuptable->tupdesc;
		bool		isnull;
		Datum		v;

		CHECK_FOR_INTERRUPTS();
		configs[i] = DatumGetJsonbPCopy(SPI_getbinval(t, d, 1, &isnull));
		v = SPI_getbinval(t, d, 2, &isnull);
		bars[i].change = isnull ? NAN : 100 * DatumGetFloat8(v);
		bars[i].verdict = SPI_getvalue(t, d, 3);
		v = SPI_getbinval(t, d, 4, &isnull);
		bars[i].p_value = isnull ? NAN : DatumGetFloat8(v);
		bars[i].n_baseline = DatumGetInt32(SPI_getbinval(t, d, 5, &isnull));
		bars[i].n_candidate = DatumGetInt32(SPI_getbinval(t, d, 6, &isnull));
	}

	/*
	 * Label each configuration by the axes that differ among the rows: which
	 * ones is decided once, each row against the first (every row has the
	 * same keys), then each label looks up just those.
	 */
	{
		List	   *varying = NIL;
		JsonbIterator *it = n > 0 ? JsonbIteratorInit(&configs[0]->root) : NULL;
		JsonbValue	k,
					v;
		JsonbIteratorToken tok;

		while (it && (tok = JsonbIteratorNext(&it, &k, true)) != WJB_DONE)
		{
			char	   *key;
			char	   *first;
			bool		varies = false;

			if (tok != WJB_KEY)
				continue;
			key = pnstrdup(k.val.string.val, k.val.string.len);
			(void) JsonbIteratorNext(&it, &v, true);
			first = dlpg_json_text(&v);
			for (int j = 1; j < n && !varies; j++)
			{
				JsonbValue	buf;
				JsonbValue *other = getKeyJsonValueFromContainer(&configs[j]->root, key, strlen(key), &buf);

				CHECK_FOR_INTERRUPTS();
				varies = other == NULL || strcmp(dlpg_json_text(other), first) != 0;
			}
			if (varies)
				varying = lappend(varying, key);
		}
		for (int i = 0; i < n; i++)
		{
			StringInfoData label;
			ListCell   *lc;

			CHECK_FOR_INTERRUPTS();
			initStringInfo(&label);
			foreach(lc, varying)
			{
				char	   *key = lfirst(lc);
				const AxisDef *axis = dlpg_find_axis(key);
				JsonbValue	buf;
				JsonbValue *value = getKeyJsonValueFromContainer(&configs[i]->root, key, strlen(key), &buf);

				if (label.len > 0)
					appendStringInfoString(&label, " \xC2\xB7 ");	/* U+00B7 middle dot */
				appendStringInfo(&label, "%s: %s", chart_utf8(axis ? axis->label : key),
								 value == NULL || value->type == jbvNull ? "unknown" : filter_value_text(axis, value));
			}
			bars[i].label = label.len > 0 ? label.data : "all";
		}
	}
	*nbars = n;
	return bars;
}

static char *
render_comparison_svg(const char *title, const char *subtitle, const CompareBar *bars, int n)
{
	StringInfoData out;
	double		max_abs = 0,
				top,
				step,
				label_w = 0,
				left,
				right,
				zero,
				plot_top = subtitle ? 84 : 66;
	int			height;

	for (int i = 0; i < n; i++)
	{
		if (isfinite(bars[i].change) && fabs(bars[i].change) > max_abs)
			max_abs = fabs(bars[i].change);
		label_w = Max(label_w, label_width(bars[i].label, 2 * LABEL_CHARS, FONT));
	}
	nice_scale(max_abs, &top, &step);
	left = PAD + Min(label_w, 360) + 10;
	right = SVG_WIDTH - PAD - 60;
	zero = (left + right) / 2;
	height = (int) ceil(plot_top + ROW * 1.5 * Max(n, 1) + 40 + ROW + PAD);

#define CX(v) (zero + (right - left) / 2 * ((v) / top))
	initStringInfo(&out);
	appendStringInfo(&out,
					 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
					 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
					 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"%d\">\n"
					 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
					 SVG_WIDTH, height, SVG_WIDTH, height, FONT);
	svg_text(&out, psprintf("class=\"title\" x=\"%d\" y=\"26\" font-size=\"%d\" font-weight=\"bold\"", PAD, TITLE_FONT),
			 title, TITLE_CHARS, SVG_WIDTH - 2 * PAD, TITLE_FONT * BOLD);
	if (subtitle)
		svg_text(&out, psprintf("class=\"subtitle\" x=\"%d\" y=\"46\" fill=\"#555\"", PAD),
				 subtitle, TITLE_CHARS * 2, SVG_WIDTH - 2 * PAD, FONT);
	/* the legend: the four verdicts in a line */
	for (size_t v = 0; v < lengthof(verdicts); v++)
	{
		double		x = PAD + 120 * v;

		appendStringInfo(&out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>"
						 "<text class=\"legend-entry\" x=\"%.1f\" y=\"%.1f\">%s</text>\n",
						 x, plot_top - 24, verdict_colours[v], x + 18, plot_top - 14, verdicts[v]);
	}
	/* grid: ticks at multiples of step on both sides of zero */
	for (int k = -10; k <= 10; k++)
	{
		double		v = k * step;

		if (fabs(v) > top * (1 + 1e-9))
			continue;
		appendStringInfo(&out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>"
						 "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" fill=\"#555\">%s%%</text>\n",
						 CX(v), plot_top, CX(v), plot_top + ROW * 1.5 * Max(n, 1),
						 k == 0 ? "#333" : "#e0e0e0",
						 CX(v), plot_top + ROW * 1.5 * Max(n, 1) + 16, format_number(v));
	}
	appendStringInfo(&out, "<text class=\"x-title\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
					 "Change from baseline to candidate (%%)</text>\n",
					 zero, plot_top + ROW * 1.5 * Max(n, 1) + 36);
	if (n == 0)
		appendStringInfo(&out, "<text class=\"empty\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
						 "font-size=\"16\" fill=\"#555\">no data: no configuration on both sides</text>\n",
						 zero, plot_top + ROW);
	for (int i = 0; i < n; i++)
	{
		const CompareBar *b = &bars[i];
		double		y = plot_top + ROW * 1.5 * i;
		double		c = isfinite(b->change) ? b->change : 0;

		CHECK_FOR_INTERRUPTS();
		svg_text(&out, psprintf("class=\"y-label\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\"", left - 10, y + 18),
				 b->label, 2 * LABEL_CHARS, left - 10 - PAD, FONT);
		appendStringInfo(&out, "<rect class=\"mark\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
						 "<title>", Min(CX(0), CX(c)), y + 5, fabs(CX(c) - CX(0)), ROW * 1.0,
						 verdict_colour(b->verdict));
		append_xml(&out, b->label);
		appendStringInfo(&out, "\nchange: %s%%\nverdict: %s\np-value: %s\nsamples: %d baseline, %d candidate</title></rect>\n",
						 isfinite(b->change) ? format_number(b->change) : "none",
						 b->verdict, isfinite(b->p_value) ? format_number(b->p_value) : "none",
						 b->n_baseline, b->n_candidate);
		appendStringInfo(&out, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" fill=\"#333\">%s%s</text>\n",
						 CX(c) + (c < 0 ? -4 : 4), y + 18, c < 0 ? "end" : "start",
						 isfinite(b->change) && b->change > 0 ? "+" : "",
						 isfinite(b->change) ? psprintf("%.1f%%", b->change) : "n/a");
	}
#undef CX
	appendStringInfoString(&out, "</svg>\n");
	return out.data;
}

static char *
render_comparison_vega(const char *title, const char *subtitle, const CompareBar *bars, int n)
{
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfoString(&out, "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v5.json\", \"title\": {\"text\": ");
	append_json_string(&out, title);
	if (subtitle || n == 0)
	{
		appendStringInfoString(&out, ", \"subtitle\": ");
		append_json_string(&out, n == 0 ? "no data: no configuration on both sides" : subtitle);
	}
	appendStringInfoString(&out, "}, \"width\": 500, \"data\": {\"values\": [");
	for (int i = 0; i < n; i++)
	{
		appendStringInfoString(&out, i ? ", {\"config\": " : "{\"config\": ");
		append_json_string(&out, bars[i].label);
		appendStringInfoString(&out, ", \"change\": ");
		append_json_number(&out, bars[i].change);
		appendStringInfoString(&out, ", \"verdict\": ");
		append_json_string(&out, bars[i].verdict);
		appendStringInfoString(&out, ", \"p_value\": ");
		append_json_number(&out, bars[i].p_value);
		appendStringInfo(&out, ", \"n_baseline\": %d, \"n_candidate\": %d}", bars[i].n_baseline, bars[i].n_candidate);
	}
	appendStringInfoString(&out, "]}, \"mark\": {\"type\": \"bar\", \"tooltip\": true}, \"encoding\": {"
						   "\"y\": {\"field\": \"config\", \"type\": \"nominal\", \"sort\": null, \"title\": \"Configuration\"}, "
						   "\"x\": {\"field\": \"change\", \"type\": \"quantitative\", \"title\": \"Change from baseline to candidate (%)\"");
	if (n == 0)
		appendStringInfoString(&out, ", \"scale\": {\"domain\": [-1, 1]}");
	appendStringInfoString(&out, "}, \"color\": {\"field\": \"verdict\", \"type\": \"nominal\", \"title\": \"Verdict\", "
						   "\"scale\": {\"domain\": [");
	for (size_t v = 0; v < lengthof(verdicts); v++)
		appendStringInfo(&out, "%s\"%s\"", v ? ", " : "", verdicts[v]);
	appendStringInfoString(&out, "], \"range\": [");
	for (size_t v = 0; v < lengthof(verdicts); v++)
		appendStringInfo(&out, "%s\"%s\"", v ? ", " : "", verdict_colours[v]);
	appendStringInfoString(&out, "]}}}}");
	return out.data;
}

static const char *
coalesce_text(const char *s, const char *otherwise)
{
	return s ? s : otherwise;
}

/* dlpg.compare_chart(baseline, candidate, y_axis, filters, format) -> text */
Datum
dlpg_compare_chart(PG_FUNCTION_ARGS)
{
	char	   *format = PG_ARGISNULL(4) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(4));
	const YMeasureDef *y;
	CompareBar *bars;
	int			n;
	char	   *title,
			   *subtitle,
			   *common,
			   *result;
	bool		svg;
	MemoryContext caller = CurrentMemoryContext;
	text	   *t;

	svg = format_is_svg(format);
	SPI_connect();
	bars = load_comparison(fcinfo, &n);	/* dlpg.compare checks every argument */
	y = dlpg_y_axis_arg(text_to_cstring(PG_GETARG_TEXT_PP(2)));	/* dlpg.compare took it */
	title = psprintf("%s: candidate against baseline", chart_utf8(dlpg_y_title(y)));
	common = PG_ARGISNULL(3) ? NULL : filters_subtitle(PG_GETARG_JSONB_P(3));
	subtitle = psprintf("Baseline: %s \xC2\xB7 Candidate: %s%s%s",
						PG_ARGISNULL(0) ? "all" : coalesce_text(filters_subtitle(PG_GETARG_JSONB_P(0)), "all"),
						PG_ARGISNULL(1) ? "all" : coalesce_text(filters_subtitle(PG_GETARG_JSONB_P(1)), "all"),
						common ? " \xC2\xB7 " : "", common ? common : "");
	result = svg ? render_comparison_svg(title, subtitle, bars, n)
		: render_comparison_vega(title, subtitle, bars, n);
	MemoryContextSwitchTo(caller);
	t = cstring_to_text(result);
	SPI_finish();
	PG_RETURN_TEXT_P(t);
}
