/*
 * series.h
 *		The Guide's series as SQL (src/series.c), for dlpg.chart.
 */
#ifndef DLPG_SERIES_H
#define DLPG_SERIES_H

#include "axes.h"
#include "fmgr.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"

/*
 * The query of dlpg.series for a call with its six arguments (x_axis,
 * y_axis, filters, agg, group_by, series_name) as arguments 0-5 of fcinfo;
 * every argument is checked, with errors naming the valid values.
 */
extern char *dlpg_series_sql(FunctionCallInfo fcinfo);
/* The same with extents: two more columns, lo and hi, for error bars. */
extern char *dlpg_series_sql_extents(FunctionCallInfo fcinfo, bool extents);

/*
 * The WHERE clause (on dlpg.benchmarks b) of a filters object as dlpg.series
 * takes it, ending in "b.status = 'ok'"; every key and value checked, with
 * errors naming the valid ones.  NULL filters: only the status.
 */
extern char *dlpg_filters_where(Jsonb *filters);

/* The Y measure of a y_axis argument, or an error listing the valid ones. */
extern const YMeasureDef *dlpg_y_axis_arg(const char *name);
/* The axis of a group_by argument (NULL for NULL), or an error listing the valid ones. */
extern const AxisDef *dlpg_group_by_arg(const char *name);
/* SQL for a series name from a group's value: its label, 'unknown' for NULL. */
extern char *dlpg_series_label_sql(const AxisDef *group, const char *grouped_column);
/* Run a query built by dlpg and put its rows into the SRF's result (parallel plans allowed). */
extern void dlpg_run_into_result(FunctionCallInfo fcinfo, const char *sql);

/* A NOTICE for each text filter value that matches no ok benchmark, with the closest values. */
extern void dlpg_notice_unmatched_filters(Jsonb *filters);

/* The columns of dlpg.series' query, from 1 (SPI and tuple attribute numbers). */
#define SERIES_COL_SERIES	1
#define SERIES_COL_X		2
#define SERIES_COL_X_RANK	3
#define SERIES_COL_Y		4
#define SERIES_COL_N		5
#define SERIES_COL_X_VALUE	6
#define SERIES_COL_CONFIGS	7
#define SERIES_COL_MIXED	8
#define SERIES_COL_LO		9	/* with extents only */
#define SERIES_COL_HI		10

/*
 * Points whose benchmarks are several configurations: count them with
 * dlpg_mixed_add (the mixed column of each point), then say so with
 * dlpg_mixed_notice (a NOTICE naming the axes, with the filters that would
 * separate them; nothing when no point mixes).
 */
typedef struct MixedPoints
{
	int			npoints;
	int			nmixed;
	List	   *axes;			/* of char *, sorted, each once */
} MixedPoints;

extern void dlpg_mixed_add(MixedPoints *points, Datum mixed, bool isnull);
extern void dlpg_mixed_notice(const MixedPoints *points, const char *what);
extern char *dlpg_mixed_axes_text(const MixedPoints *points);

#endif							/* DLPG_SERIES_H */
