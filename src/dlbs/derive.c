/*
 * derive.c
 *		From a DLBS benchmark's parameters to the typed columns of dlpg.benchmarks.
 *
 * Which DLBS keys feed which column, with their fallbacks, is written up in
 * the project's fixtures README; where keys are missing a column is NULL or
 * a documented fallback, never a guess.  Status comes from the results, as
 * DLBS itself decides success (results.time > 0), not from exp.status.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "catalog/pg_type.h"
#include "clip.h"
#include "derive.h"
#include "json_syntax.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(dlpg_dlbs_time);

/* Longest piece of an offending value quoted back in an error message. */
#define QUOTE_LIMIT 60

static JsonbValue *
get_param(JsonbContainer *params, const char *key, JsonbValue *buf)
{
	return getKeyJsonValueFromContainer(params, key, strlen(key), buf);
}

/* A value that DLBS uses for "not set": missing, null or "". */
static bool
is_unset(const JsonbValue *v)
{
	return v == NULL || v->type == jbvNull ||
		(v->type == jbvString && v->val.string.len == 0);
}

/* The value as short JSON text, for error messages. */
static char *
quote_value(const JsonbValue *v)
{
	char	   *s = dlpg_json_text(v);

	return dlpg_clip(s, strlen(s), QUOTE_LIMIT);
}

/*
 * A text column from a key: strings as they are, numbers and booleans in
 * their JSON spelling, unset as NULL.  Objects and arrays are an error.
 */
static bool
text_param(JsonbContainer *params, const char *key, char **out, DlpgProblem *problem)
{
	JsonbValue	buf;
	JsonbValue *v = get_param(params, key, &buf);

	*out = NULL;
	if (is_unset(v))
		return true;
	switch (v->type)
	{
		case jbvString:
			*out = pnstrdup(v->val.string.val, v->val.string.len);
			return true;
		case jbvNumeric:
			*out = DatumGetCString(DirectFunctionCall1(numeric_out,
													   NumericGetDatum(v->val.numeric)));
			return true;
		case jbvBool:
			*out = pstrdup(v->val.boolean ? "true" : "false");
			return true;
		default:
			return dlpg_set_problem(problem, ERRCODE_INVALID_TEXT_REPRESENTATION, key,
							   psprintf("invalid value for \"%s\": expected a string, got %s",
										key, dlpg_json_type_name(v)));
	}
}

/* The first of several keys that is set (DLBS's fallback chains). */
static bool
first_text_param(JsonbContainer *params, const char *const *keys, char **out,
				 DlpgProblem *problem)
{
	for (; *keys; keys++)
	{
		if (!text_param(params, *keys, out, problem))
			return false;
		if (*out)
			return true;
	}
	return true;
}

static char *
lowercase(char *s)
{
	char	   *p;

	if (s)
		for (p = s; *p; p++)
			*p = pg_ascii_tolower((unsigned char) *p);
	return s;
}

/*
 * A measure: a JSON number, or a string holding one, or one of the words a
 * C back end prints for what is no number ("nan", "inf", "-Infinity").
 * Returns false when the value is set but is none of these; nothing else
 * strtod would take (hex, a leading "+", blanks) counts.
 */
static bool
double_value(const JsonbValue *v, double *out)
{
	static const char *const words[] = {"nan", "inf", "infinity", "-nan", "-inf", "-infinity"};
	char	   *s;

	if (v->type == jbvNumeric)
	{
		*out = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
												  NumericGetDatum(v->val.numeric)));
		return true;
	}
	if (v->type != jbvString || v->val.string.len == 0)
		return false;
	s = pnstrdup(v->val.string.val, v->val.string.len);
	if (json_is_number(s, v->val.string.len))
	{
		*out = strtod(s, NULL);
		return true;
	}
	for (size_t i = 0; i < lengthof(words); i++)
		if (pg_strcasecmp(s, words[i]) == 0)
		{
			*out = strtod(s, NULL);
			return true;
		}
	return false;
}

/*
 * The value of a JSON number as written, when it is an integer of at most 18
 * digits.  Judged on the decimal text, exactly (128.000000000000000000001 is
 * no integer, though a double rounds it to 128), and without building a
 * numeric, which a long or far-exponent number would overflow.
 */
static bool
json_number_integer(const char *s, int len, int64 *out)
{
	const char *p = s;
	const char *end = s + len;
	char	   *digits = palloc(len + 1);	/* the significant digits, point dropped */
	int			ndigits = 0;
	int			nfrac = 0;
	long		exponent = 0;
	bool		negative = false;
	long		shift;
	int64		value = 0;

	if (!json_is_number(s, len))
		return false;
	if (*p == '-')
	{
		negative = true;
		p++;
	}
	for (; p < end && isdigit((unsigned char) *p); p++)
		if (ndigits > 0 || *p != '0')
			digits[ndigits++] = *p;
	if (p < end && *p == '.')
		for (p++; p < end && isdigit((unsigned char) *p); p++)
		{
			if (ndigits > 0 || *p != '0')
				digits[ndigits++] = *p;
			nfrac++;
		}
	if (p < end && (*p == 'e' || *p == 'E'))
	{
		bool		exponent_negative = false;

		p++;
		if (*p == '+' || *p == '-')
			exponent_negative = (*p++ == '-');
		for (; p < end; p++)
			if (exponent < 1000000)		/* beyond that, only the sign matters */
				exponent = exponent * 10 + (*p - '0');
		if (exponent_negative)
			exponent = -exponent;
	}

	/* value = digits * 10^shift; drop trailing zeros while shift < 0 */
	shift = exponent - nfrac;
	while (shift < 0 && ndigits > 0 && digits[ndigits - 1] == '0')
	{
		ndigits--;
		shift++;
	}
	if (ndigits == 0)
		shift = 0;				/* zero, however written */
	if (shift < 0 || ndigits + shift > 18)
		return false;
	for (int i = 0; i < ndigits; i++)
		value = value * 10 + (digits[i] - '0');
	for (; shift > 0; shift--)
		value *= 10;
	*out = negative ? -value : value;
	return true;
}

/*
 * A positive integer column: a JSON number, or a string holding one, that
 * is integral (32 and 32.0 alike).  Anything else (text, fractions, zero,
 * negatives, beyond int4) is an error: the benchmark could not be placed on
 * the Guide's axes.
 */
static bool
int_param(JsonbContainer *params, const char *key, int32 *out, DlpgProblem *problem)
{
	JsonbValue	buf;
	JsonbValue *v = get_param(params, key, &buf);
	char	   *number = NULL;
	int64		value;

	*out = 0;
	if (is_unset(v))
		return true;
	if (v->type == jbvNumeric)
		number = DatumGetCString(DirectFunctionCall1(numeric_out,
													 NumericGetDatum(v->val.numeric)));
	else if (v->type == jbvString)
		number = pnstrdup(v->val.string.val, v->val.string.len);
	if (number && json_number_integer(number, strlen(number), &value) &&
		value >= 1 && value <= PG_INT32_MAX)
	{
		*out = (int32) value;
		return true;
	}
	return dlpg_set_problem(problem, ERRCODE_INVALID_TEXT_REPRESENTATION, key,
					   psprintf("invalid value for \"%s\": expected a positive integer, got %s",
								key, quote_value(v)));
}

/* results.time_data: per-iteration times; what is not a number is NULL. */
static Datum
batch_times(JsonbContainer *params)
{
	JsonbValue	buf;
	JsonbValue *v = get_param(params, "results.time_data", &buf);
	JsonbContainer *arr;
	int			n,
				i;
	Datum	   *elems;
	bool	   *nulls;
	int			dims[1];
	int			lbs[1] = {1};

	if (v == NULL || v->type != jbvBinary || !JsonContainerIsArray(v->val.binary.data))
		return (Datum) 0;
	arr = v->val.binary.data;
	n = JsonContainerSize(arr);
	elems = palloc(sizeof(Datum) * Max(n, 1));
	nulls = palloc(sizeof(bool) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		JsonbValue *e;
		double		d;

		CHECK_FOR_INTERRUPTS();	/* time_data can hold millions of values */
		e = getIthJsonbValueFromContainer(arr, i);

		nulls[i] = !double_value(e, &d);
		elems[i] = nulls[i] ? (Datum) 0 : Float8GetDatum(d);
	}
	dims[0] = n;
	return PointerGetDatum(construct_md_array(elems, nulls, 1, dims, lbs,
											  FLOAT8OID, sizeof(float8),
											  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* n decimal digits at *s into *out, advancing *s; false if there are not n. */
static bool
take_digits(const char **s, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++, (*s)++)
	{
		if (**s < '0' || **s > '9')
			return false;
		*out = *out * 10 + (**s - '0');
	}
	return true;
}

/*
 * DLBS's time stamps, "2026-11-26:21:33:44:447" (strftime "%Y-%m-%d:%H:%M:%S"
 * and milliseconds; 1 to 6 fraction digits taken), without a zone: read as
 * UTC.  false for anything else, or a date that does not exist.
 */
bool
dlbs_time(const char *s, TimestampTz *out)
{
	struct pg_tm tm;
	int			frac = 0,
				ndigits = 0;

	memset(&tm, 0, sizeof(tm));
	if (!take_digits(&s, 4, &tm.tm_year) || *s++ != '-' ||
		!take_digits(&s, 2, &tm.tm_mon) || *s++ != '-' ||
		!take_digits(&s, 2, &tm.tm_mday) || *s++ != ':' ||
		!take_digits(&s, 2, &tm.tm_hour) || *s++ != ':' ||
		!take_digits(&s, 2, &tm.tm_min) || *s++ != ':' ||
		!take_digits(&s, 2, &tm.tm_sec))
		return false;
	if (*s == ':' || *s == '.')
	{
		for (s++; *s >= '0' && *s <= '9' && ndigits < 6; s++, ndigits++)
			frac = frac * 10 + (*s - '0');
		if (ndigits == 0)
			return false;
		for (int i = ndigits; i < 6; i++)
			frac *= 10;
	}
	if (*s != '\0' || tm.tm_year < 1 || tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
		tm.tm_mday > day_tab[isleap(tm.tm_year)][tm.tm_mon - 1] ||
		tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return false;
	return tm2timestamp(&tm, frac, NULL, out) == 0 && IS_VALID_TIMESTAMP(*out);
}

/* run_at and run_seconds from results.start_time / end_time; NULL when unreadable. */
static void
derive_run_time(JsonbContainer *params, BenchmarkRow *row)
{
	JsonbValue	sbuf,
				ebuf;
	JsonbValue *start = get_param(params, "results.start_time", &sbuf);
	JsonbValue *end = get_param(params, "results.end_time", &ebuf);
	TimestampTz end_ts;

	row->has_run_at = start && start->type == jbvString &&
		dlbs_time(pnstrdup(start->val.string.val, start->val.string.len), &row->run_at);
	if (row->has_run_at && end && end->type == jbvString &&
		dlbs_time(pnstrdup(end->val.string.val, end->val.string.len), &end_ts) &&
		end_ts >= row->run_at)
	{
		row->run_seconds = (double) (end_ts - row->run_at) / USECS_PER_SEC;
		row->has_run_seconds = true;
	}
}

/* dlpg_internal.dlbs_time(text) -> timestamptz: a DLBS time stamp, NULL when unreadable. */
Datum
dlpg_dlbs_time(PG_FUNCTION_ARGS)
{
	TimestampTz ts;

	if (!dlbs_time(text_to_cstring(PG_GETARG_TEXT_PP(0)), &ts))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(ts);
}

/* Canonical precision names; unknown ones are kept, lower-cased. */
static char *
canonical_precision(char *dtype)
{
	static const char *const map[][2] = {
		{"float", "fp32"}, {"float32", "fp32"}, {"fp32", "fp32"}, {"single", "fp32"},
		{"float16", "fp16"}, {"fp16", "fp16"}, {"half", "fp16"},
		{"bfloat16", "bf16"}, {"bf16", "bf16"},
		{"int8", "int8"},
	};

	if (dtype == NULL)
		return NULL;
	lowercase(dtype);
	for (size_t i = 0; i < lengthof(map); i++)
		if (strcmp(dtype, map[i][0]) == 0)
			return pstrdup(map[i][1]);
	return dtype;
}

static char *
canonical_phase(char *phase)
{
	if (phase == NULL)
		return NULL;
	lowercase(phase);
	if (strcmp(phase, "train") == 0)
		return pstrdup("training");
	if (strcmp(phase, "inferencing") == 0 || strcmp(phase, "infer") == 0)
		return pstrdup("inference");
	return phase;
}

/*
 * data_type: exp.data (else synthetic when exp.data_dir is empty, real when
 * it is not) refined by exp.data_store.
 */
static bool
derive_data_type(JsonbContainer *params, BenchmarkRow *row, DlpgProblem *problem)
{
	char	   *data;
	char	   *data_dir;
	char	   *store;
	JsonbValue	buf;

	if (!text_param(params, "exp.data", &data, problem) ||
		!text_param(params, "exp.data_dir", &data_dir, problem) ||
		!text_param(params, "exp.data_store", &store, problem))
		return false;
	lowercase(data);
	lowercase(store);
	if (data == NULL)
	{
		if (data_dir)
			data = pstrdup("real");
		else if (get_param(params, "exp.data_dir", &buf) != NULL)
			data = pstrdup("synthetic");
	}
	if (data && store)
	{
		if (strcmp(data, "synthetic") == 0)
		{
			if (strcmp(store, "device") == 0 || strcmp(store, "gpu") == 0)
				data = pstrdup("synthetic/device");
		}
		else if (strcmp(data, "real") == 0)
			data = psprintf("real/%s", store);
	}
	row->data_type = data;
	return true;
}

/* The GPU's "Product Name" in hw.nvidiasmi (the lowest bus id first). */
static char *
gpu_from_nvidiasmi(JsonbContainer *params)
{
	JsonbValue	buf;
	JsonbValue *smi = get_param(params, "hw.nvidiasmi", &buf);
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	bool		is_gpu_key = false;

	if (smi == NULL || smi->type != jbvBinary || !JsonContainerIsObject(smi->val.binary.data))
		return NULL;
	it = JsonbIteratorInit(smi->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		CHECK_FOR_INTERRUPTS();
		if (tok == WJB_KEY)
			is_gpu_key = v.val.string.len > 4 && strncmp(v.val.string.val, "GPU ", 4) == 0;
		else if (tok == WJB_VALUE && is_gpu_key && v.type == jbvBinary &&
				 JsonContainerIsObject(v.val.binary.data))
		{
			JsonbValue	namebuf;
			JsonbValue *name = get_param(v.val.binary.data, "Product Name", &namebuf);

			if (name && name->type == jbvString && name->val.string.len > 0)
				return pnstrdup(name->val.string.val, name->val.string.len);
		}
	}
	return NULL;
}

/* The first CPU's "model name" in hw.cpuinfo. */
static char *
cpu_from_cpuinfo(JsonbContainer *params)
{
	JsonbValue	buf;
	JsonbValue *info = get_param(params, "hw.cpuinfo", &buf);
	JsonbValue *first;
	JsonbValue	namebuf;
	JsonbValue *name;

	if (info == NULL || info->type != jbvBinary ||
		!JsonContainerIsArray(info->val.binary.data) ||
		JsonContainerSize(info->val.binary.data) == 0)
		return NULL;
	first = getIthJsonbValueFromContainer(info->val.binary.data, 0);
	if (first->type != jbvBinary || !JsonContainerIsObject(first->val.binary.data))
		return NULL;
	name = get_param(first->val.binary.data, "model name", &namebuf);
	if (name == NULL || name->type != jbvString || name->val.string.len == 0)
		return NULL;
	return pnstrdup(name->val.string.val, name->val.string.len);
}

/* The product name in hw.dmi, flat or under dmidecode's "System Information". */
static char *
server_from_dmi(JsonbContainer *params)
{
	static const char *const name_keys[] = {"product_name", "Product Name", "product name"};
	JsonbValue	buf;
	JsonbValue *dmi = get_param(params, "hw.dmi", &buf);
	JsonbContainer *c;
	JsonbValue	sysbuf;
	JsonbValue *sys;

	if (dmi == NULL || dmi->type != jbvBinary || !JsonContainerIsObject(dmi->val.binary.data))
		return NULL;
	c = dmi->val.binary.data;
	sys = get_param(c, "System Information", &sysbuf);
	if (sys && sys->type == jbvBinary && JsonContainerIsObject(sys->val.binary.data))
		c = sys->val.binary.data;
	for (size_t i = 0; i < lengthof(name_keys); i++)
	{
		JsonbValue	namebuf;
		JsonbValue *name = get_param(c, name_keys[i], &namebuf);

		if (name && name->type == jbvString && name->val.string.len > 0)
			return pnstrdup(name->val.string.val, name->val.string.len);
	}
	return NULL;
}

/* exp.software, else "<framework> <version> (docker <image>|bare metal)". */
static bool
derive_software(JsonbContainer *params, BenchmarkRow *row, DlpgProblem *problem)
{
	char	   *image;
	JsonbValue	buf;
	JsonbValue *docker;
	StringInfoData s;

	if (!text_param(params, "exp.software", &row->software, problem))
		return false;
	if (row->software || row->framework == NULL)
		return true;
	if (!text_param(params, "exp.docker_image", &image, problem))
		return false;

	initStringInfo(&s);
	appendStringInfoString(&s, row->framework);
	if (row->framework_version)
		appendStringInfo(&s, " %s", row->framework_version);
	docker = get_param(params, "exp.docker", &buf);
	if (docker && docker->type == jbvBool)
	{
		if (!docker->val.boolean)
			appendStringInfoString(&s, " (bare metal)");
		else if (image)
			appendStringInfo(&s, " (docker %s)", image);
		else
			appendStringInfoString(&s, " (docker)");
	}
	row->software = s.data;
	return true;
}

/* Devices, nodes and batches: the numbers the Guide's axes and filters use. */
static bool
derive_counts(JsonbContainer *params, BenchmarkRow *row, DlpgProblem *problem)
{
	bool		on_cpu = row->device_type && strcmp(row->device_type, "cpu") == 0;
	int32		num_gpus;
	int32		num_local_gpus;
	int32		num_replicas;

	if (!int_param(params, "exp.num_nodes", &row->num_nodes, problem) ||
		!int_param(params, "exp.num_gpus", &num_gpus, problem) ||
		!int_param(params, "exp.num_local_gpus", &num_local_gpus, problem) ||
		!int_param(params, "exp.num_replicas", &num_replicas, problem) ||
		!int_param(params, "exp.replica_batch", &row->replica_batch, problem) ||
		!int_param(params, "exp.effective_batch", &row->effective_batch, problem))
		return false;

	if (row->num_nodes == 0)
		row->num_nodes = 1;
	row->devices_per_node = on_cpu ? 1 : num_local_gpus;
	row->num_devices = on_cpu ? row->num_nodes : num_gpus;

	/* DLBS: effective = replicas x replica batch (GPU), nodes x replica batch (CPU) */
	if (row->effective_batch == 0 && row->replica_batch > 0)
	{
		int64		multiplier = on_cpu ? row->num_nodes : num_replicas;
		int64		effective = multiplier * row->replica_batch;

		if (multiplier > 0 && effective > PG_INT32_MAX)
			return dlpg_set_problem(problem, ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE, "exp.replica_batch",
							   psprintf("effective batch out of range: exp.replica_batch %d times %s %lld is beyond integer range",
										row->replica_batch,
										on_cpu ? "exp.num_nodes" : "exp.num_replicas",
										(long long) multiplier));
		if (multiplier > 0)
			row->effective_batch = (int32) effective;
	}
	return true;
}

/*
 * Status from the results.  ok needs a positive batch time and throughput;
 * a throughput that is missing or not positive (PyTorch prints int(), so a
 * slow run says 0) is derived from the effective batch, as DLBS computes it.
 */
static bool
derive_status(JsonbContainer *params, BenchmarkRow *row, DlpgProblem *problem)
{
	JsonbValue	tbuf,
				pbuf;
	JsonbValue *time = get_param(params, "results.time", &tbuf);
	JsonbValue *thr = get_param(params, "results.throughput", &pbuf);
	double		throughput = 0;
	bool		throughput_ok;

	row->has_throughput = thr && double_value(thr, &throughput);
	row->throughput = throughput;
	throughput_ok = row->has_throughput && isfinite(throughput) && throughput > 0;

	if (is_unset(time))
	{
		char	   *exp_status;
		char	   *status_msg;

		if (!text_param(params, "exp.status", &exp_status, problem) ||
			!text_param(params, "exp.status_msg", &status_msg, problem))
			return false;
		lowercase(exp_status);
		if (exp_status && strcmp(exp_status, "skipped") == 0)
			row->status = "skipped";
		else if (exp_status && (strcmp(exp_status, "disabled") == 0 ||
								strcmp(exp_status, "inactive") == 0))
			row->status = "disabled";
		else
			row->status = "failed";
		row->status_reason = psprintf("no results.time in the log (exp.status \"%s\"%s%s)",
									  exp_status ? exp_status : "",
									  status_msg ? ", " : "",
									  status_msg ? status_msg : "");
		return true;
	}

	row->has_batch_time_ms = double_value(time, &row->batch_time_ms);
	row->status = "failed";
	if (!row->has_batch_time_ms)
		row->status_reason = psprintf("results.time is not a number: %s", quote_value(time));
	else if (isnan(row->batch_time_ms) || row->batch_time_ms <= 0 || isinf(row->batch_time_ms))
		row->status_reason = psprintf("results.time is not a positive number: %s",
									  quote_value(time));
	else if (throughput_ok)
		row->status = "ok";
	else if (row->has_throughput && !isfinite(throughput))
		row->status_reason = psprintf("results.throughput is not a finite number: %s",
									  quote_value(thr));
	else if (row->effective_batch > 0)
	{
		double		derived = row->effective_batch * 1000.0 / row->batch_time_ms;

		if (!isfinite(derived))
		{
			/* a results.time such as 1e-320: no chart can show the quotient */
			row->status_reason = psprintf("throughput derived as effective_batch * 1000 / results.time is not finite (results.time is %s)",
										  quote_value(time));
			return true;
		}
		row->throughput = derived;
		row->has_throughput = true;
		row->throughput_derived = true;
		row->status = "ok";
		row->status_reason = psprintf("throughput derived as effective_batch * 1000 / results.time (results.throughput was %s)",
									  thr ? quote_value(thr) : "missing");
	}
	else
		row->status_reason = pstrdup("results.throughput is missing or not positive, and there is no effective batch to derive it from");
	return true;
}

/*
 * Derive every typed column.  Returns false, with *problem filled in, when
 * a key the columns need holds a value of the wrong type.
 */
bool
dlpg_derive_row(JsonbContainer *params, BenchmarkRow *row, DlpgProblem *problem)
{
	static const char *const framework_keys[] = {"exp.framework_title", "exp.framework", NULL};
	static const char *const model_keys[] = {"exp.model_title", "exp.model", NULL};

	memset(row, 0, sizeof(*row));

	if (!text_param(params, "exp.id", &row->exp_id, problem) ||
		!first_text_param(params, framework_keys, &row->framework, problem) ||
		!text_param(params, "exp.framework_ver", &row->framework_version, problem) ||
		!first_text_param(params, model_keys, &row->model, problem) ||
		!text_param(params, "exp.phase", &row->phase, problem) ||
		!text_param(params, "exp.dtype", &row->precision, problem) ||
		!text_param(params, "exp.device_type", &row->device_type, problem) ||
		!text_param(params, "exp.device_title", &row->processing_unit, problem) ||
		!text_param(params, "exp.node_nic", &row->interconnect, problem) ||
		!text_param(params, "exp.node_title", &row->server, problem) ||
		!derive_data_type(params, row, problem))
		return false;

	row->phase = canonical_phase(row->phase);
	row->precision = canonical_precision(row->precision);
	lowercase(row->device_type);

	if (!derive_counts(params, row, problem) ||
		!derive_software(params, row, problem))
		return false;

	if (row->processing_unit == NULL)
	{
		bool		on_cpu = row->device_type && strcmp(row->device_type, "cpu") == 0;

		row->processing_unit = on_cpu ? cpu_from_cpuinfo(params) : gpu_from_nvidiasmi(params);
	}
	if (row->server == NULL)
	{
		row->server = server_from_dmi(params);
		if (row->server == NULL &&
			!text_param(params, "exp.node_id", &row->server, problem))
			return false;
	}

	if (!derive_status(params, row, problem))
		return false;
	row->batch_times_ms = batch_times(params);
	dlpg_sample_measures(row->batch_times_ms, row);
	derive_run_time(params, row);
	return true;
}
