/*
 * chart.c
 *		dlpg.chart: a series of the Guide drawn as SVG, or as a Vega-Lite v5
 *		spec with the data inline.
 *
 * The points come from dlpg.series (so filters, aggregation and errors are
 * exactly the table's), the axis titles from dlpg.x_axes and dlpg.y_axes.
 * Categorical X axes give grouped bars, numeric ones (batch sizes, device
 * counts) lines with a point per value.  Every point is one element with
 * class "mark".
 */
#include "dlpg.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/json.h"

PG_FUNCTION_INFO_V1(dlpg_chart);

#define SVG_WIDTH 880
#define SVG_HEIGHT 480
#define PLOT_LEFT 80
#define PLOT_RIGHT 680			/* the legend lives to the right */
#define PLOT_TOP 70
#define PLOT_BOTTOM 390

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
	char	  **series;
	int			nx;
	char	  **xs;				/* x labels by rank - 1 */
} Chart;

/*
 * An axis title from dlpg.x_axes or dlpg.y_axes (a Y title with its unit,
 * when the label does not say it), or the name itself.
 */
static char *
axis_title(const char *view, const char *name)
{
	Datum		arg = CStringGetTextDatum(name);
	Oid			argtype = TEXTOID;
	char	   *sql = strcmp(view, "dlpg.y_axes") == 0
		? "SELECT CASE WHEN pg_catalog.strpos(label, '(') OPERATOR(pg_catalog.>) 0 THEN label"
		"  ELSE label OPERATOR(pg_catalog.||) ' (' OPERATOR(pg_catalog.||) unit OPERATOR(pg_catalog.||) ')' END"
		"  FROM dlpg.y_axes WHERE name OPERATOR(pg_catalog.=) $1"
		: "SELECT label FROM dlpg.x_axes WHERE name OPERATOR(pg_catalog.=) $1";

	if (SPI_execute_with_args(sql, 1, &argtype, &arg, NULL, true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		char	   *label = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

		if (label)
			return label;
	}
	return pstrdup(name);
}

/* The Guide's names for the filters that are not X axes. */
static char *
group_title(const char *group_by)
{
	if (strcmp(group_by, "cluster_size") == 0)
		return pstrdup("Cluster size");
	if (strcmp(group_by, "interconnect") == 0)
		return pstrdup("Interconnect");
	if (strcmp(group_by, "devices_per_node") == 0)
		return pstrdup("Count");
	return axis_title("dlpg.x_axes", group_by);
}

static int
find_or_add(char ***names, int *count, const char *name)
{
	for (int i = 0; i < *count; i++)
		if (strcmp((*names)[i], name) == 0)
			return i;
	*names = *count ? repalloc(*names, sizeof(char *) * (*count + 1)) : palloc(sizeof(char *));
	(*names)[*count] = pstrdup(name);
	return (*count)++;
}

/* Run dlpg.series with the chart's arguments and keep its rows. */
static void
load_points(Chart *chart, FunctionCallInfo fcinfo)
{
	Oid			types[6] = {TEXTOID, TEXTOID, JSONBOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		values[6];
	char		nulls[6];

	for (int i = 0; i < 6; i++)
	{
		nulls[i] = PG_ARGISNULL(i) ? 'n' : ' ';
		values[i] = PG_ARGISNULL(i) ? (Datum) 0 : PG_GETARG_DATUM(i);
	}
	if (SPI_execute_with_args("SELECT series, x, x_rank, y, n "
							  "FROM dlpg.series($1, $2, $3, $4, $5, $6)",
							  6, types, values, nulls, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "SPI_execute_with_args failed on dlpg.series");

	chart->npoints = (int) SPI_processed;
	chart->points = palloc0(sizeof(ChartPoint) * Max(chart->npoints, 1));
	chart->nx = 0;
	for (int i = 0; i < chart->npoints; i++)
	{
		HeapTuple	tuple = SPI_tuptable->vals[i];
		TupleDesc	desc = SPI_tuptable->tupdesc;
		bool		isnull;
		ChartPoint *p = &chart->points[i];
		char	   *x = SPI_getvalue(tuple, desc, 2);

		p->series = find_or_add(&chart->series, &chart->nseries, SPI_getvalue(tuple, desc, 1));
		p->x_rank = DatumGetInt32(SPI_getbinval(tuple, desc, 3, &isnull));
		p->y = DatumGetFloat8(SPI_getbinval(tuple, desc, 4, &isnull));
		p->n = DatumGetInt64(SPI_getbinval(tuple, desc, 5, &isnull));
		if (p->x_rank > chart->nx)
		{
			chart->xs = chart->nx ? repalloc(chart->xs, sizeof(char *) * p->x_rank)
				: palloc(sizeof(char *) * p->x_rank);
			for (int r = chart->nx; r < p->x_rank; r++)
				chart->xs[r] = NULL;
			chart->nx = p->x_rank;
		}
		chart->xs[p->x_rank - 1] = x;
	}
}

/*
 * Text as XML character data.  What XML 1.0 cannot hold at all (control
 * characters other than tab and newlines, U+FFFE, U+FFFF) becomes U+FFFD.
 */
static void
append_xml(StringInfo out, const char *s)
{
	for (; *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			(c == 0xEF && (unsigned char) s[1] == 0xBF &&
			 ((unsigned char) s[2] == 0xBE || (unsigned char) s[2] == 0xBF)))
		{
			appendStringInfoString(out, "\xEF\xBF\xBD");
			if (c == 0xEF)
				s += 2;
			continue;
		}
		switch (*s)
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
				appendStringInfoChar(out, *s);
		}
	}
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
svg_frame(StringInfo out, const Chart *chart, double top, double step)
{
	appendStringInfo(out,
					 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
					 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
					 "viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">\n"
					 "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n",
					 SVG_WIDTH, SVG_HEIGHT, SVG_WIDTH, SVG_HEIGHT);
	appendStringInfo(out, "<text class=\"title\" x=\"%d\" y=\"28\" font-size=\"18\" font-weight=\"bold\">",
					 PLOT_LEFT);
	append_xml(out, chart->title);
	appendStringInfoString(out, "</text>\n");
	if (chart->subtitle)
	{
		appendStringInfo(out, "<text class=\"subtitle\" x=\"%d\" y=\"48\" fill=\"#555\">", PLOT_LEFT);
		append_xml(out, chart->subtitle);
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
	append_xml(out, chart->y_title);
	appendStringInfoString(out, "</text>\n");
	appendStringInfo(out,
					 "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
					 PLOT_LEFT, PLOT_RIGHT, PLOT_BOTTOM, PLOT_BOTTOM);

	/* X labels and title */
	for (int r = 0; r < chart->nx; r++)
	{
		double		band = (double) (PLOT_RIGHT - PLOT_LEFT) / chart->nx;
		double		x = PLOT_LEFT + band * (r + 0.5);

		appendStringInfo(out,
						 "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" transform=\"rotate(-30 %.1f %d)\">",
						 x, PLOT_BOTTOM + 16, x, PLOT_BOTTOM + 16);
		append_xml(out, chart->xs[r] ? chart->xs[r] : "");
		appendStringInfoString(out, "</text>\n");
	}
	appendStringInfo(out, "<text class=\"x-title\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
					 (PLOT_LEFT + PLOT_RIGHT) / 2, SVG_HEIGHT - 12);
	append_xml(out, chart->x_title);
	appendStringInfoString(out, "</text>\n");

	/* Legend */
	appendStringInfo(out, "<g class=\"legend\"><text x=\"%d\" y=\"%d\" font-weight=\"bold\">",
					 PLOT_RIGHT + 20, PLOT_TOP);
	append_xml(out, chart->legend_title);
	appendStringInfoString(out, "</text>\n");
	for (int s = 0; s < chart->nseries; s++)
	{
		int			y = PLOT_TOP + 18 + 18 * s;

		appendStringInfo(out,
						 "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
						 "<text x=\"%d\" y=\"%d\">",
						 PLOT_RIGHT + 20, y - 10, palette[s % lengthof(palette)],
						 PLOT_RIGHT + 38, y);
		append_xml(out, chart->series[s]);
		appendStringInfoString(out, "</text>\n");
	}
	appendStringInfoString(out, "</g>\n");
	if (chart->npoints == 0)
		appendStringInfo(out, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#999\">no data</text>\n",
						 (PLOT_LEFT + PLOT_RIGHT) / 2, (PLOT_TOP + PLOT_BOTTOM) / 2);
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

static char *
render_svg(const Chart *chart)
{
	StringInfoData out;
	double		top,
				step,
				max = 0;
	double		band = chart->nx ? (double) (PLOT_RIGHT - PLOT_LEFT) / chart->nx : 0;

	for (int i = 0; i < chart->npoints; i++)
		if (isfinite(chart->points[i].y) && chart->points[i].y > max)
			max = chart->points[i].y;
	nice_scale(max, &top, &step);

	initStringInfo(&out);
	svg_frame(&out, chart, top, step);

#define Y_PIXEL(v) (PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * (Max((v), 0) / top))
	if (chart->numeric_x)
	{
		/* lines: one polyline per series through its points, in x order */
		for (int s = 0; s < chart->nseries; s++)
		{
			appendStringInfo(&out, "<polyline fill=\"none\" stroke-width=\"2\" stroke=\"%s\" points=\"",
							 palette[s % lengthof(palette)]);
			for (int i = 0; i < chart->npoints; i++)
				if (chart->points[i].series == s)
					appendStringInfo(&out, "%.1f,%.1f ",
									 PLOT_LEFT + band * (chart->points[i].x_rank - 0.5),
									 Y_PIXEL(chart->points[i].y));
			appendStringInfoString(&out, "\"/>\n");
		}
		for (int i = 0; i < chart->npoints; i++)
		{
			const ChartPoint *p = &chart->points[i];

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
			double		y = Y_PIXEL(p->y);

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
	escape_json(&out, chart->title);
	if (chart->subtitle)
	{
		appendStringInfoString(&out, ", \"subtitle\": ");
		escape_json(&out, chart->subtitle);
	}
	appendStringInfoString(&out, "}, \"width\": 600, \"height\": 360, \"data\": {\"values\": [");
	for (int i = 0; i < chart->npoints; i++)
	{
		const ChartPoint *p = &chart->points[i];

		appendStringInfoString(&out, i ? ", {\"series\": " : "{\"series\": ");
		escape_json(&out, chart->series[p->series]);
		appendStringInfoString(&out, ", \"x\": ");
		escape_json(&out, chart->xs[p->x_rank - 1]);
		appendStringInfo(&out, ", \"x_rank\": %d, \"y\": ", p->x_rank);
		append_json_number(&out, p->y);
		appendStringInfo(&out, ", \"n\": %lld}", (long long) p->n);
	}
	appendStringInfo(&out, "]}, \"mark\": %s, \"encoding\": {\"x\": {\"field\": \"x\", \"type\": \"ordinal\", "
					 "\"sort\": {\"field\": \"x_rank\", \"op\": \"min\"}, \"title\": ",
					 chart->numeric_x ? "{\"type\": \"line\", \"point\": true, \"tooltip\": true}"
					 : "{\"type\": \"bar\", \"tooltip\": true}");
	escape_json(&out, chart->x_title);
	appendStringInfoString(&out, "}, \"y\": {\"field\": \"y\", \"type\": \"quantitative\", \"title\": ");
	escape_json(&out, chart->y_title);
	appendStringInfoString(&out, "}, \"color\": {\"field\": \"series\", \"type\": \"nominal\", \"title\": ");
	escape_json(&out, chart->legend_title);
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
						format ? format : "NULL")));

	memset(&chart, 0, sizeof(chart));
	SPI_connect();
	load_points(&chart, fcinfo);	/* checks every argument */
	chart.x_title = axis_title("dlpg.x_axes", x_name);
	chart.y_title = axis_title("dlpg.y_axes", y_name);
	chart.numeric_x = dlpg_find_axis(x_name)->kind == AXIS_INT;
	chart.title = psprintf("%s by %s", chart.y_title, chart.x_title);
	chart.legend_title = group_by ? group_title(group_by) : pstrdup("Series");
	if (!PG_ARGISNULL(2) && JsonContainerSize(&PG_GETARG_JSONB_P(2)->root) > 0)
		chart.subtitle = JsonbToCString(NULL, &PG_GETARG_JSONB_P(2)->root, -1);

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
