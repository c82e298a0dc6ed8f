/*
 * series.h
 *		The Guide's series as SQL (src/series.c), for dlpg.chart.
 */
#ifndef DLPG_SERIES_H
#define DLPG_SERIES_H

#include "fmgr.h"

/*
 * The query of dlpg.series for a call with its six arguments (x_axis,
 * y_axis, filters, agg, group_by, series_name) as arguments 0-5 of fcinfo;
 * every argument is checked, with errors naming the valid values.
 */
extern char *dlpg_series_sql(FunctionCallInfo fcinfo);

#endif							/* DLPG_SERIES_H */
