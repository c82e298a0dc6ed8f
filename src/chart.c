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
 * Both formats are pure ASCII: text is first made valid UTF-8 (converted
 * from the database encoding; in SQL_ASCII, or wherever bytes are not UTF-8,
 * each invalid sequence becomes U+FFFD), then written as XML character
 * references or JSON \u escapes.  So the declared UTF-8 is true whatever the
 * database and client encodings are, and no conversion can fail on output.
 */
#include "postgres.h"

#include <math.h>

#include "axes.h"
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

#define SVG_WIDTH 880
#define SVG_HEIGHT 480
#define PLOT_LEFT 80
#define PLOT_RIGHT 680			/* the legend lives to the right */
#define PLOT_TOP 70
#define PLOT_BOTTOM 390

/* Characters of a text drawn in the SVG; longer ones end in an ellipsis (full in a tooltip). */
#define LABEL_CHARS 24			/* legend entries and X labels */
#define TITLE_CHARS 80			/* title and subtitle */

static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"
};

typedef struct ChartPoint
{
	int			series;			/* index into Chart.series */
	int			x_rank;			/* 1-based */
	double		y;
	int64		n;
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

/* Run dlpg.series with the chart's arguments and keep its rows. */
static void
load_points(Chart *chart, FunctionCallInfo fcinfo)
{
	series_hash_hash *names;
	const char *previous = NULL;
	int			capacity = 0;
	int			xs_capacity = 0;

	/* the series' own query, built here: arguments 0-5 are dlpg.series's */
	if (SPI_execute(dlpg_series_sql(fcinfo), true, 0) != SPI_OK_SELECT)
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

static void
svg_frame(StringInfo out, const Chart *chart, double top, double step, int not_drawn)
{
	appendStringInfo(out,
					 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
					 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
					 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
					 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
					 SVG_WIDTH, SVG_HEIGHT, SVG_WIDTH, SVG_HEIGHT);
	appendStringInfo(out, "<text class=\"title\" x=\"%d\" y=\"28\" font-size=\"18\" font-weight=\"bold\">",
					 PLOT_LEFT);
	append_xml_label(out, chart->title, TITLE_CHARS);
	appendStringInfoString(out, "</text>\n");
	if (chart->subtitle)
	{
		appendStringInfo(out, "<text class=\"subtitle\" x=\"%d\" y=\"48\" fill=\"#555\">", PLOT_LEFT);
		append_xml_label(out, chart->subtitle, TITLE_CHARS);
		appendStringInfoString(out, "</text>\n");
	}

	/* Y grid, ticks and title; counted, so no rounding can loop */
	for (int tick = 0; tick <= 10 && tick * step <= top * (1 + 1e-9); tick++)
	{
		double		v = tick * step;
		double		y = PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (v / top);

		appendStringInfo(out,
						 "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
						 "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dy=\"4\">%s</text>\n",
						 PLOT_LEFT, PLOT_RIGHT, y, y, PLOT_LEFT - 6, y, format_number(v));
	}
	appendStringInfo(out,
					 "<text class=\"y-title\" transform=\"translate(20,%d) rotate(-90)\" text-anchor=\"middle\">",
					 (PLOT_TOP + PLOT_BOTTOM) / 2);
	append_xml_label(out, chart->y_title, TITLE_CHARS);
	appendStringInfoString(out, "</text>\n");
	appendStringInfo(out,
					 "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
					 PLOT_LEFT, PLOT_RIGHT, PLOT_BOTTOM, PLOT_BOTTOM);

	/* X labels and title */
	for (int r = 0; r < chart->nx; r++)
	{
		double		band = (double) (PLOT_RIGHT - PLOT_LEFT) / chart->nx;
		double		x = PLOT_LEFT + band * (r + 0.5);

		CHECK_FOR_INTERRUPTS();
		appendStringInfo(out,
						 "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-30 %.1f %d)\">",
						 x, PLOT_BOTTOM + 16, x, PLOT_BOTTOM + 16);
		append_xml_label(out, chart->xs[r] ? chart->xs[r] : "", LABEL_CHARS);
		appendStringInfoString(out, "</text>\n");
	}
	appendStringInfo(out, "<text class=\"x-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
					 (PLOT_LEFT + PLOT_RIGHT) / 2, SVG_HEIGHT - 12);
	append_xml_label(out, chart->x_title, TITLE_CHARS);
	appendStringInfoString(out, "</text>\n");

	/* Legend */
	appendStringInfo(out, "<g class=\"legend\"><text x=\"%d\" y=\"%d\" font-weight=\"bold\">",
					 PLOT_RIGHT + 20, PLOT_TOP);
	append_xml_label(out, chart->legend_title, LABEL_CHARS);
	appendStringInfoString(out, "</text>\n");
	for (int s = 0; s < chart->nseries; s++)
	{
		int64		y = PLOT_TOP + 18 + 18 * (int64) s;

		CHECK_FOR_INTERRUPTS();

		appendStringInfo(out,
						 "<rect x=\"%d\" y=\"%lld\" width=\"12\" height=\"12\" fill=\"%s\"/>"
						 "<text x=\"%d\" y=\"%lld\">",
						 PLOT_RIGHT + 20, (long long) (y - 10), palette[s % lengthof(palette)],
						 PLOT_RIGHT + 38, (long long) y);
		append_xml_label(out, chart->series[s], LABEL_CHARS);
		appendStringInfoString(out, "</text>\n");
	}
	appendStringInfoString(out, "</g>\n");
	if (chart->npoints == 0)
		appendStringInfo(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#999\">no data</text>\n",
						 (PLOT_LEFT + PLOT_RIGHT) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2);
	if (not_drawn > 0)
		appendStringInfo(out, "<text class=\"not-drawn\" x=\"%d\" y=\"%d\" fill=\"#999\">"
						 "%d point%s not drawn: value not finite</text>\n",
						 PLOT_LEFT, SVG_HEIGHT - 12, not_drawn, not_drawn == 1 ? "" : "s");
}

/* The tooltip of a mark. */
static void
svg_point_title(StringInfo out, const Chart *chart, const ChartPoint *p)
{
	appendStringInfoString(out, "<title>");
	append_xml(out, chart->series[p->series]);
	appendStringInfoString(out, ", ");
	append_xml(out, chart->xs[p->x_rank - 1]);
	appendStringInfo(out, ": %s (n=%lld)</title>", format_number(p->y), (long long) p->n);
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
	double		band = chart->nx ? (double) (PLOT_RIGHT - PLOT_LEFT) / chart->nx : 0;
	int			not_drawn = 0;

	for (int i = 0; i < chart->npoints; i++)
	{
		if (!isfinite(chart->points[i].y))
			not_drawn++;
		else if (chart->points[i].y > max)
			max = chart->points[i].y;
	}
	nice_scale(max, &top, &step);

	initStringInfo(&out);
	svg_frame(&out, chart, top, step, not_drawn);

	/* only finite values reach it: a non-finite one has no place on the axis */
#define Y_PIXEL(v) (PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (Max((v), 0) / top))
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
									 PLOT_LEFT + band * (p->x_rank - 0.5), Y_PIXEL(p->y));
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
							 PLOT_LEFT + band * (p->x_rank - 0.5), Y_PIXEL(p->y),
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
							 PLOT_LEFT + band * (p->x_rank - 1) + band * 0.1 + bar * p->series,
							 y, bar, PLOT_BOTTOM - y, palette[p->series % lengthof(palette)]);
			svg_point_title(&out, chart, p);
			appendStringInfoString(&out, "</rect>\n");
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

static char *
render_vega_lite(const Chart *chart)
{
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfoString(&out, "{\"$schema\": \"https://vega.github.io/schema/vega-lite/v5.json\", \"title\": {\"text\": ");
	append_json_string(&out, chart->title);
	if (chart->subtitle)
	{
		appendStringInfoString(&out, ", \"subtitle\": ");
		append_json_string(&out, chart->subtitle);
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
		appendStringInfo(&out, ", \"n\": %lld}", (long long) p->n);
	}
	appendStringInfo(&out, "]}, \"mark\": %s, \"encoding\": {\"x\": {\"field\": \"x\", \"type\": \"ordinal\", "
					 "\"sort\": {\"field\": \"x_rank\", \"op\": \"min\"}, \"title\": ",
					 chart->numeric_x ? "{\"type\": \"line\", \"point\": true, \"tooltip\": true}"
					 : "{\"type\": \"bar\", \"tooltip\": true}");
	append_json_string(&out, chart->x_title);
	appendStringInfoString(&out, "}, \"y\": {\"field\": \"y\", \"type\": \"quantitative\", \"title\": ");
	append_json_string(&out, chart->y_title);
	appendStringInfoString(&out, "}, \"color\": {\"field\": \"series\", \"type\": \"nominal\", \"title\": ");
	append_json_string(&out, chart->legend_title);
	appendStringInfoChar(&out, '}');
	if (!chart->numeric_x)
		appendStringInfoString(&out, ", \"xOffset\": {\"field\": \"series\"}");
	appendStringInfoString(&out, ", \"tooltip\": [{\"field\": \"series\"}, {\"field\": \"x\"}, "
						   "{\"field\": \"y\", \"type\": \"quantitative\"}, {\"field\": \"n\", \"type\": \"quantitative\"}]}}");
	return out.data;
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

	if (format && pg_strcasecmp(format, "svg") == 0)
		svg = true;
	else if (format && pg_strcasecmp(format, "vega-lite") == 0)
		svg = false;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown chart format \"%s\" (valid: svg, vega-lite)",
						format ? dlpg_clip_quote(format, strlen(format)) : "NULL")));

	memset(&chart, 0, sizeof(chart));
	SPI_connect();
	load_points(&chart, fcinfo);	/* checks every argument */
	/* the arguments are checked: the names are in the axes tables */
	chart.x_title = chart_utf8(dlpg_find_axis(x_name)->label);
	chart.y_title = chart_utf8(dlpg_y_title(dlpg_find_y_measure(y_name)));
	chart.numeric_x = dlpg_find_axis(x_name)->kind == AXIS_INT;
	chart.title = psprintf("%s by %s", chart.y_title, chart.x_title);
	chart.legend_title = chart_utf8(group_by ? dlpg_find_axis(group_by)->label : "Series");
	if (!PG_ARGISNULL(2) && JsonContainerSize(&PG_GETARG_JSONB_P(2)->root) > 0)
		chart.subtitle = chart_utf8(JsonbToCString(NULL, &PG_GETARG_JSONB_P(2)->root, -1));

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
