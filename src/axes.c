/*
 * axes.c
 *		The Guide's variables: X axes, filters and Y measures, with their
 *		columns, display labels and descriptions.
 *
 * The tables here are the one place they are declared: dlpg.x_axes and
 * dlpg.y_axes read them through dlpg.axis_defs() and dlpg.y_measure_defs(),
 * dlpg.series checks its arguments against them and dlpg.chart takes its
 * titles from them.  Labels are the Guide's own spelling ("single (FP32)",
 * "Synthetic (DRAM)"); newer precisions get labels in the same style.
 */
#include "postgres.h"

#include "axes.h"
#include "catalog/pg_type.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "nodes/primnodes.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(dlpg_axis_label_sql);
PG_FUNCTION_INFO_V1(dlpg_ci_match);
PG_FUNCTION_INFO_V1(dlpg_axis_defs);
PG_FUNCTION_INFO_V1(dlpg_y_measure_defs);

/* The eleven X variables of the Guide in its order, then the other filters; MLPerf's last. */
static const AxisDef axes[] = {
	{"data_type", "data_type", AXIS_VOCAB, true, "Data Type",
	"What and where the training dataset is: synthetic data, or a real dataset in DRAM, on local SSD or NVMe, or on Weka IO storage"},
	{"effective_batch", "effective_batch", AXIS_INT, true, "Effective batch size",
	"Total number of data samples in one batch processed in one iteration (replica batch times number of devices)"},
	{"framework", "framework", AXIS_TEXT, true, "Framework",
	"A deep learning or other software framework"},
	{"model", "model", AXIS_TEXT, true, "Model",
	"A neural network model"},
	{"num_devices", "num_devices", AXIS_INT, true, "Num processing units",
	"Number of compute devices used in a benchmark, in most cases GPUs; the variable for weak and strong scaling charts"},
	{"phase", "phase", AXIS_VOCAB, true, "Phase",
	"Either training or inference"},
	{"precision", "precision", AXIS_VOCAB, true, "Precision",
	"Type the network stores its parameters in: single (FP32), half (FP16), bfloat16 (BF16), INT8, ..."},
	{"processing_unit", "processing_unit", AXIS_TEXT, true, "Processing unit",
	"Main compute device for training or inference, from CPUs to GPU models"},
	{"replica_batch", "replica_batch", AXIS_INT, true, "Replica Batch Size",
	"Batch used by each worker, usually per GPU"},
	{"server", "server", AXIS_TEXT, true, "Server",
	"Model of a server"},
	{"software", "software", AXIS_TEXT, true, "Software",
	"The benchmark software: framework and its version, back end and how it ran (container or bare metal)"},
	{"devices_per_node", "devices_per_node", AXIS_INT, false, "Count",
	"Devices used in one node"},
	{"cluster_size", "num_nodes", AXIS_INT, false, "Cluster size",
	"Number of nodes the benchmark ran on"},
	{"interconnect", "interconnect", AXIS_TEXT, false, "Interconnect",
	"Network between the nodes"},
	{"run_at", "run_at", AXIS_TIME, false, "Run time",
	"When the benchmark ran (DLBS results.start_time, read as UTC; MLPerf training: run_start); filters run_after and run_before take ISO 8601 times"},
	{"scenario", "scenario", AXIS_TEXT, false, "Scenario",
	"MLPerf inference scenario: Offline, Server, SingleStream or MultiStream"},
	{"submitter", "submitter", AXIS_TEXT, false, "Submitter",
	"Organisation that submitted an MLPerf result (its system description's submitter, else its folder)"},
	{"division", "division", AXIS_TEXT, false, "Division",
	"MLPerf division: closed (the reference model and rules) or open"},
	{"round", "round", AXIS_TEXT, false, "Round",
	"MLPerf round, as training v3.0 or inference v4.1 (from the results repository's folder name)"},
};

/* The Y measures: what a chart compares. */
static const YMeasureDef y_measures[] = {
	{"batch_time", "batch_time_ms", "Batch time (ms)", "ms", true},
	{"throughput", "throughput", "Throughput", "samples/s", false},
	{"batch_time_p50", "batch_time_p50", "Batch time p50 (ms)", "ms", true},
	{"batch_time_p90", "batch_time_p90", "Batch time p90 (ms)", "ms", true},
	{"batch_time_p99", "batch_time_p99", "Batch time p99 (ms)", "ms", true},
	{"batch_time_cv", "batch_time_cv", "Batch time CV", "ratio", true},
	{"time_to_train", "time_to_train", "Time to train (min)", "min", true},
	{"mlperf_latency", "mlperf_latency", "MLPerf latency (ms)", "ms", true},
	{"latency_p50", "latency_p50", "Latency p50 (ms)", "ms", true},
	{"latency_p90", "latency_p90", "Latency p90 (ms)", "ms", true},
	{"latency_p95", "latency_p95", "Latency p95 (ms)", "ms", true},
	{"latency_p97", "latency_p97", "Latency p97 (ms)", "ms", true},
	{"latency_p99", "latency_p99", "Latency p99 (ms)", "ms", true},
	{"latency_p99_9", "latency_p99_9", "Latency p99.9 (ms)", "ms", true},
};

typedef struct Label
{
	const char *value;
	const char *label;
} Label;

static const Label precision_labels[] = {
	{"fp32", "single (FP32)"},
	{"fp16", "half (FP16)"},
	{"int8", "INT8"},
	{"bf16", "bfloat16 (BF16)"},
	{"fp64", "double (FP64)"},
	{"tf32", "TensorFloat-32 (TF32)"},
	{"fp8", "FP8"},
	{NULL, NULL}
};

static const Label data_type_labels[] = {
	{"synthetic", "Synthetic (DRAM)"},
	{"synthetic/device", "Synthetic (device memory)"},
	{"real", "Real"},
	{"real/dram", "Real (DRAM)"},
	{"real/ssd", "Real (local SSD)"},
	{"real/nvme", "Real (local NVMe)"},
	{"real/weka", "Real (Weka IO)"},
	{NULL, NULL}
};

static const Label *
labels_of(const AxisDef *axis)
{
	if (strcmp(axis->name, "precision") == 0)
		return precision_labels;
	if (strcmp(axis->name, "data_type") == 0)
		return data_type_labels;
	return NULL;
}

const AxisDef *
dlpg_find_axis(const char *name)
{
	for (size_t i = 0; i < lengthof(axes); i++)
		if (strcmp(axes[i].name, name) == 0)
			return &axes[i];
	return NULL;
}

const AxisDef *
dlpg_all_axes(int *n)
{
	*n = lengthof(axes);
	return axes;
}

static int
compare_axis_names(const void *a, const void *b)
{
	return strcmp((*(const AxisDef *const *) a)->name, (*(const AxisDef *const *) b)->name);
}

/* See axes.h.  Sorted once: the table is constant. */
const AxisDef *const *
dlpg_config_axes(int *n)
{
	static const AxisDef *config[lengthof(axes)];
	static int	nconfig = -1;

	if (nconfig < 0)
	{
		int			k = 0;

		for (size_t i = 0; i < lengthof(axes); i++)
			if (axes[i].kind != AXIS_TIME)
				config[k++] = &axes[i];
		qsort(config, k, sizeof(AxisDef *), compare_axis_names);
		nconfig = k;
	}
	*n = nconfig;
	return config;
}

/*
 * A benchmark's per-iteration times (batch_times_ms) are samples of its batch
 * time, and of its throughput (effective_batch * 1000 / t); of no other
 * measure (a percentile or a CV is one number per benchmark).
 */
bool
dlpg_y_per_iteration(const YMeasureDef *y)
{
	return strcmp(y->name, "batch_time") == 0 || strcmp(y->name, "throughput") == 0;
}

const YMeasureDef *
dlpg_find_y_measure(const char *name)
{
	for (size_t i = 0; name && i < lengthof(y_measures); i++)
		if (strcmp(y_measures[i].name, name) == 0)
			return &y_measures[i];
	return NULL;
}

/* "batch_time, throughput" for error messages. */
const char *
dlpg_y_measure_names(void)
{
	StringInfoData s;

	initStringInfo(&s);
	for (size_t i = 0; i < lengthof(y_measures); i++)
		appendStringInfo(&s, "%s%s", i ? ", " : "", y_measures[i].name);
	return s.data;
}

/* A Y axis title: the label, with the unit when the label does not say it. */
char *
dlpg_y_title(const YMeasureDef *y)
{
	if (strchr(y->label, '('))
		return pstrdup(y->label);
	return psprintf("%s (%s)", y->label, y->unit);
}

/* "data_type, effective_batch, ..." for error messages. */
const char *
dlpg_axis_names(bool x_only)
{
	StringInfoData s;

	initStringInfo(&s);
	for (size_t i = 0; i < lengthof(axes); i++)
		if (axes[i].is_x_axis || (!x_only && axes[i].kind != AXIS_TIME))
			appendStringInfo(&s, "%s%s", s.len ? ", " : "", axes[i].name);
	return s.data;
}

/* The display label of a canonical value. */
const char *
dlpg_axis_label(const AxisDef *axis, const char *value)
{
	const Label *labels = labels_of(axis);

	if (labels == NULL)
		return value;
	for (; labels->value; labels++)
		if (strcmp(labels->value, value) == 0)
			return labels->label;
	if (strcmp(axis->name, "precision") == 0)
	{
		char	   *upper = pstrdup(value);

		for (char *p = upper; *p; p++)
			*p = pg_ascii_toupper((unsigned char) *p);
		return upper;
	}
	/* data_type: "real/<store>" -> "Real (<store>)" */
	if (strncmp(value, "real/", 5) == 0)
		return psprintf("Real (%s)", value + 5);
	if (strncmp(value, "synthetic/", 10) == 0)
		return psprintf("Synthetic (%s)", value + 10);
	return value;
}

/*
 * A filter value of a vocabulary axis as the canonical value stored: the
 * value itself or its label, in any case.  Unknown values are lower-cased,
 * as ingest stores them.
 */
const char *
dlpg_vocab_canonical(const AxisDef *axis, const char *value)
{
	const Label *labels = labels_of(axis);
	char	   *lower;

	int			len = strlen(value);

	if (labels)
		for (; labels->value; labels++)
			if (pg_strcasecmp(labels->value, value) == 0 ||
				pg_strcasecmp(labels->label, value) == 0)
				return labels->value;
	lower = pstrdup(value);
	for (char *p = lower; *p; p++)
		*p = pg_ascii_tolower((unsigned char) *p);

	/* the generic data_type labels: "Real (<store>)" is real/<store> */
	if (strcmp(axis->name, "data_type") == 0 && len > 0 && lower[len - 1] == ')')
	{
		lower[len - 1] = '\0';
		if (strncmp(lower, "real (", 6) == 0)
			return psprintf("real/%s", lower + 6);
		if (strncmp(lower, "synthetic (", 11) == 0)
			return psprintf("synthetic/%s", lower + 11);
		lower[len - 1] = ')';
	}
	return lower;
}

/* dlpg.axis_label(axis text, value text) -> text */
Datum
dlpg_axis_label_sql(PG_FUNCTION_ARGS)
{
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	const AxisDef *axis = dlpg_find_axis(name);

	if (axis == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown axis \"%s\" (valid: %s)", name, dlpg_axis_names(false))));
	PG_RETURN_TEXT_P(cstring_to_text(dlpg_axis_label(axis, text_to_cstring(PG_GETARG_TEXT_PP(1)))));
}

/*
 * The candidates of dlpg.ci_match, deconstructed once per call site and kept
 * while the array is the same.  The cache is keyed on the array's bytes: an
 * argument that looks constant to the executor (a PL/pgSQL variable) still
 * changes between calls.
 */
typedef struct CiCandidates
{
	MemoryContext cxt;			/* holds everything below; reset on a new array */
	bool		is_const;		/* the argument is a Const: the list never changes */
	ArrayType  *key;			/* a copy of the array the list was built from */
	int			n;
	char	  **values;
	int		   *lengths;
} CiCandidates;

static void
ci_candidates_build(CiCandidates *c, ArrayType *arr)
{
	MemoryContext old;
	Datum	   *elems;
	bool	   *nulls;
	int			n;

	MemoryContextReset(c->cxt);
	old = MemoryContextSwitchTo(c->cxt);
	c->key = (ArrayType *) palloc(VARSIZE(arr));
	memcpy(c->key, arr, VARSIZE(arr));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	c->n = 0;
	c->values = palloc(sizeof(char *) * Max(n, 1));
	c->lengths = palloc(sizeof(int) * Max(n, 1));
	for (int i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();	/* a filter may list any number of values */
		if (!nulls[i])
		{
			c->values[c->n] = text_to_cstring(DatumGetTextPP(elems[i]));
			c->lengths[c->n] = strlen(c->values[c->n]);
			c->n++;
		}
	}
	MemoryContextSwitchTo(old);
}

/*
 * Is argument argnum of the call a Const?  Only then is it the same on every
 * call: get_fn_expr_arg_stable also says yes for a PL/pgSQL variable.
 */
static bool
arg_is_const(FmgrInfo *flinfo, int argnum)
{
	Node	   *expr = flinfo->fn_expr;
	List	   *args;

	if (expr == NULL)
		return false;
	if (IsA(expr, FuncExpr))
		args = ((FuncExpr *) expr)->args;
	else if (IsA(expr, OpExpr))
		args = ((OpExpr *) expr)->args;
	else
		return false;
	return argnum < list_length(args) && IsA(list_nth(args, argnum), Const);
}

/*
 * dlpg.ci_match(value text, candidates text[]) -> boolean: is value one of
 * the candidates, ignoring ASCII case?  What lower(value) = ANY(...) says,
 * without allocating per row.
 */
Datum
dlpg_ci_match(PG_FUNCTION_ARGS)
{
	text	   *value = PG_GETARG_TEXT_PP(0);
	const char *v = VARDATA_ANY(value);
	int			len = VARSIZE_ANY_EXHDR(value);
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	CiCandidates *c = (CiCandidates *) fcinfo->flinfo->fn_extra;

	if (c == NULL)
	{
		c = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(CiCandidates));
		c->cxt = AllocSetContextCreate(fcinfo->flinfo->fn_mcxt, "dlpg ci_match candidates",
									   ALLOCSET_SMALL_SIZES);
		c->is_const = arg_is_const(fcinfo->flinfo, 1);
		fcinfo->flinfo->fn_extra = c;
	}
	if (c->key == NULL ||
		(!c->is_const && (VARSIZE(c->key) != VARSIZE(arr) ||
						  memcmp(c->key, arr, VARSIZE(arr)) != 0)))
		ci_candidates_build(c, arr);
	for (int i = 0; i < c->n; i++)
		if (c->lengths[i] == len && pg_strncasecmp(c->values[i], v, len) == 0)
			PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(false);
}

static const char *const kind_names[] = {"text", "vocabulary", "integer", "time"};

/*
 * dlpg.axis_defs() -> TABLE (name, label, description, ord, kind, x_axis,
 * column_name): the axes table, for the views.
 */
Datum
dlpg_axis_defs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (size_t i = 0; i < lengthof(axes); i++)
	{
		Datum		values[7];
		bool		nulls[7] = {false};

		values[0] = CStringGetTextDatum(axes[i].name);
		values[1] = CStringGetTextDatum(axes[i].label);
		values[2] = CStringGetTextDatum(axes[i].description);
		values[3] = Int32GetDatum((int32) i + 1);
		values[4] = CStringGetTextDatum(kind_names[axes[i].kind]);
		values[5] = BoolGetDatum(axes[i].is_x_axis);
		values[6] = CStringGetTextDatum(axes[i].column);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* dlpg.y_measure_defs() -> TABLE (name, label, unit, better, column_name) */
Datum
dlpg_y_measure_defs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	InitMaterializedSRF(fcinfo, 0);
	for (size_t i = 0; i < lengthof(y_measures); i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false};

		values[0] = CStringGetTextDatum(y_measures[i].name);
		values[1] = CStringGetTextDatum(y_measures[i].label);
		values[2] = CStringGetTextDatum(y_measures[i].unit);
		values[3] = CStringGetTextDatum(y_measures[i].lower_is_better ? "lower" : "higher");
		values[4] = CStringGetTextDatum(y_measures[i].column);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
