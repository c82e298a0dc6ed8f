/*
 * axes.h
 *		The Guide's variables, declared once (src/axes.c): the X axes and
 *		filters, and the Y measures.  The views dlpg.x_axes and dlpg.y_axes,
 *		the argument checks of dlpg.series and the titles of dlpg.chart all
 *		read these tables; adding an axis or a measure is one entry there
 *		(plus the column it reads).
 */
#ifndef DLPG_AXES_H
#define DLPG_AXES_H

typedef enum AxisKind
{
	AXIS_TEXT,					/* free text: model, framework, ... matched case-insensitively */
	AXIS_VOCAB,					/* a known vocabulary with display labels: phase, precision, data_type */
	AXIS_INT,					/* a count or batch size */
	AXIS_TIME					/* when it ran: filtered by range (run_after, run_before), no
								 * part of a configuration */
} AxisKind;

typedef struct AxisDef
{
	const char *name;			/* axis name and filter key */
	const char *column;			/* its column in dlpg.benchmarks */
	AxisKind	kind;
	bool		is_x_axis;		/* one of the Guide's X variables (else a filter only) */
	const char *label;			/* the Guide's display label */
	const char *description;	/* what the variable means */
} AxisDef;

typedef struct YMeasureDef
{
	const char *name;			/* the y_axis argument */
	const char *column;			/* its column in dlpg.benchmarks */
	const char *label;			/* the Guide's display label */
	const char *unit;
	bool		lower_is_better;	/* best = min, else max */
} YMeasureDef;

extern const AxisDef *dlpg_find_axis(const char *name);
/* Every axis, in declaration order (*n of them). */
extern const AxisDef *dlpg_all_axes(int *n);
/*
 * The configuration axes, by name (*n of them): every axis but the run time.
 * A configuration is a value of each: dlpg.point_configs / point_mixed,
 * dlpg.history's config, dlpg.compare's grouping all take them from here.
 */
extern const AxisDef *const *dlpg_config_axes(int *n);
extern const char *dlpg_axis_names(bool x_only);
extern const char *dlpg_axis_label(const AxisDef *axis, const char *value);
extern const char *dlpg_vocab_canonical(const AxisDef *axis, const char *value);

extern const YMeasureDef *dlpg_find_y_measure(const char *name);
/* Is y sampled per iteration by batch_times_ms (batch time, and throughput from it)? */
extern bool dlpg_y_per_iteration(const YMeasureDef *y);
extern const char *dlpg_y_measure_names(void);
extern char *dlpg_y_title(const YMeasureDef *y);

#endif							/* DLPG_AXES_H */
