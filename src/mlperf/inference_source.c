/*
 * inference_source.c
 *		Input format "mlperf_inference": one MLPerf inference performance
 *		run (a performance/run_1 folder: LoadGen's summary and detail logs),
 *		one benchmark.
 *
 * The input is a JSON object (the loader builds it from the repository):
 *   {"path": "<[repo/]division/Submitter/results/system/model/scenario/performance/run_1>",
 *    "summary": "<mlperf_log_summary.txt>", "detail": "<mlperf_log_detail.txt> or null",
 *    "system": <systems/<system>.json or null>}
 * The summary's lines (mllog.c) and the detail's MLLOG records are kept
 * whole in params.  The run is ok iff the summary says "Result is : VALID".
 * The headline metric is the one MLCommons' submission checker takes, from
 * the detail's records when there is a detail (else the summary's line of
 * the same value):
 *   Offline		result_samples_per_second, or result_tokens_per_second
 *					when the run reports tokens (LLMs)		-> throughput
 *   Server		result_completed_samples_per_sec (from round 4.1; 4.0:
 *					for the LLMs, others result_scheduled_samples_per_sec
 *					as before 4.0), or from 4.1
 *					result_completed_tokens_per_second		-> throughput
 *   SingleStream	early_stopping_latency_ss (ns; result_90.00_percentile_latency_ns
 *					before early stopping)					-> mlperf_latency, ms
 *   MultiStream	early_stopping_latency_ms (ns; result_99.00_percentile_latency_ns
 *					before)									-> mlperf_latency, ms
 *					(before 2.0 the checker's result is samples per query:
 *					kept in params' headline, mlperf_latency is the 99th
 *					percentile)
 * (headline() below has the rules by round.)
 * The summary's latency percentiles (ns) become latency_p50 ... latency_p99_9 (ms).
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "mlperf.h"
#include "utils/builtins.h"

/* The summary labels read, in the order of the Label enum. */
typedef enum SummaryLabel
{
	L_SUT,
	L_SCENARIO,
	L_MODE,
	L_RESULT,
	L_SAMPLES,
	L_TOKENS,
	L_COMPLETED_SAMPLES,
	L_SCHEDULED_SAMPLES,
	L_COMPLETED_TOKENS,
	L_P90_LATENCY,
	L_P99_LATENCY,
	L_ES_P90,
	L_ES_P99,
	L_PCT_50,
	L_PCT_90,
	L_PCT_95,
	L_PCT_97,
	L_PCT_99,
	L_PCT_99_9,
	L_SAMPLES_PER_QUERY,
	NLABELS
} SummaryLabel;

static const char *const label_text[NLABELS] = {
	"SUT name", "Scenario", "Mode", "Result is",
	"Samples per second", "Tokens per second",
	"Completed samples per second", "Scheduled samples per second", "Completed tokens per second",
	"90th percentile latency (ns)", "99th percentile latency (ns)",
	"Early stopping 90th percentile estimate", "Early stopping 99th percentile estimate",
	"50.00 percentile latency (ns)", "90.00 percentile latency (ns)", "95.00 percentile latency (ns)",
	"97.00 percentile latency (ns)", "99.00 percentile latency (ns)", "99.90 percentile latency (ns)",
	"Samples per query",
};

/* The detail keys read. */
typedef enum DetailKey
{
	D_SCENARIO,
	D_LOADGEN_VERSION,
	D_SAMPLES,
	D_TOKENS,
	D_COMPLETED_SAMPLES,
	D_SCHEDULED_SAMPLES,
	D_COMPLETED_TOKENS,
	D_ES_SS,
	D_ES_MS,
	D_P90,
	D_P99,
	D_INFERRED_TOKENS,
	D_INFERRED_COMPLETED_TOKENS,
	D_SAMPLES_PER_QUERY,
	NDETAIL
} DetailKey;

static const char *const detail_key[NDETAIL] = {
	"effective_scenario", "loadgen_version",
	"result_samples_per_second", "result_tokens_per_second",
	"result_completed_samples_per_sec", "result_scheduled_samples_per_sec",
	"result_completed_tokens_per_second",
	"early_stopping_latency_ss", "early_stopping_latency_ms",
	"result_90.00_percentile_latency_ns", "result_99.00_percentile_latency_ns",
	"result_inferred_tokens_per_second", "result_inferred_completed_tokens_per_second",
	"effective_samples_per_query",
};

/* The first value of each label (NULL: not in the summary). */
static void
scan_summary(Jsonb *lines, char **values)
{
	JsonbIterator *it = JsonbIteratorInit(&lines->root);
	JsonbValue	elem;
	JsonbIteratorToken tok;

	memset(values, 0, sizeof(char *) * NLABELS);
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		JsonbValue	buf;
		JsonbValue *label;

		CHECK_FOR_INTERRUPTS();
		if (tok != WJB_ELEM || elem.type != jbvBinary)
			continue;
		label = mlperf_get(elem.val.binary.data, "label", &buf);
		if (label == NULL || label->type != jbvString)
			continue;
		for (int i = 0; i < NLABELS; i++)
			if (values[i] == NULL && label->val.string.len == (int) strlen(label_text[i]) &&
				memcmp(label->val.string.val, label_text[i], label->val.string.len) == 0)
			{
				JsonbValue	vbuf;

				values[i] = mlperf_string(mlperf_get(elem.val.binary.data, "value", &vbuf));
				break;
			}
	}
}

/* The last value of each detail key (NULL: absent), as jsonb values. */
static void
scan_detail(Jsonb *records, JsonbValue **values)
{
	JsonbIterator *it = JsonbIteratorInit(&records->root);
	JsonbValue	elem;
	JsonbIteratorToken tok;

	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		JsonbValue	buf,
					kbuf;
		JsonbValue *rec,
				   *key;

		CHECK_FOR_INTERRUPTS();
		if (tok != WJB_ELEM || elem.type != jbvBinary)
			continue;
		rec = mlperf_get(elem.val.binary.data, "record", &buf);
		if (rec == NULL)
			continue;
		key = mlperf_get(rec->val.binary.data, "key", &kbuf);
		if (key == NULL || key->type != jbvString)
			continue;
		for (int i = 0; i < NDETAIL; i++)
			if (key->val.string.len == (int) strlen(detail_key[i]) &&
				memcmp(key->val.string.val, detail_key[i], key->val.string.len) == 0)
			{
				JsonbValue	vbuf;
				JsonbValue *v = mlperf_get(rec->val.binary.data, "value", &vbuf);

				if (v)
				{
					values[i] = palloc(sizeof(JsonbValue));
					*values[i] = *v;
				}
				break;
			}
	}
}

/* "Offline", "Server", "SingleStream", "MultiStream" for any spelling ("offline", "Single Stream"); else NULL. */
static const char *
canonical_scenario(const char *s)
{
	static const char *const names[] = {"Offline", "Server", "SingleStream", "MultiStream"};
	char		squeezed[32];
	int			n = 0;

	if (s == NULL)
		return NULL;
	for (; *s && n < (int) sizeof(squeezed) - 1; s++)
		if (*s != ' ' && *s != '_' && *s != '-')
			squeezed[n++] = *s;
	squeezed[n] = '\0';
	for (size_t i = 0; i < lengthof(names); i++)
		if (pg_strcasecmp(squeezed, names[i]) == 0)
			return names[i];
	return NULL;
}

/* A summary value as a number (values stay text in the summary's lines). */
static bool
summary_number(const char *s, double *out)
{
	JsonbValue	v;

	if (s == NULL)
		return false;
	v.type = jbvString;
	v.val.string.val = unconstify(char *, s);
	v.val.string.len = strlen(s);
	return mlperf_number(&v, out);
}

/* major * 100 + minor of "4.1 @ 2ed9555be0" or "inference v4.1"; 0 unknown. */
static int
version_of(const char *s)
{
	int			major,
				minor;

	if (s == NULL)
		return 0;
	while (*s && !isdigit((unsigned char) *s))
		s++;
	if (sscanf(s, "%d.%d", &major, &minor) != 2 || major < 0 || major > 1000 || minor < 0 || minor > 99)
		return 0;
	return major * 100 + minor;
}

typedef struct Headline
{
	const char *key;			/* the checker's detail key (or the summary's label) */
	const char *unit;			/* samples/s, tokens/s, ms; samples/query (MultiStream before 2.0) */
	double		value;			/* in unit */
} Headline;

/*
 * The checker's headline metric (its RESULT_FIELD_NEW and
 * RESULT_FIELD_BENCHMARK_OVERWRITE by round): the detail's value of its key
 * when there is a detail, else the summary's line of the same metric.
 * version is the round as major * 100 + minor (0: unknown, taken as the
 * newest).  false when the metric is not there.
 *   Offline	tokens/s when the run reports tokens (result_tokens_per_second,
 *				or result_inferred_tokens_per_second), else samples/s
 *   Server		from 4.1: completed tokens/s when reported, else completed
 *				samples/s; 4.0: completed samples/s for the runs that report
 *				tokens (llama2), else scheduled; before 4.0: scheduled
 *   SingleStream / MultiStream: the early-stopping estimate (from 2.0), else
 *				the 90th / 99th percentile; MultiStream before 2.0: samples
 *				per query
 */
static bool
headline(const char *scenario, int version, char **sv, JsonbValue **dv, bool has_detail, Headline *h)
{
	DetailKey	dk;
	SummaryLabel sl;
	bool		latency = false;

	if (version == 0)
		version = 9999;
	if (strcmp(scenario, "Offline") == 0)
	{
		bool		tokens = has_detail ? (dv[D_TOKENS] || dv[D_INFERRED_TOKENS]) : sv[L_TOKENS] != NULL;

		dk = !tokens ? D_SAMPLES : dv[D_TOKENS] || !has_detail ? D_TOKENS : D_INFERRED_TOKENS;
		sl = tokens ? L_TOKENS : L_SAMPLES;
		h->unit = tokens ? "tokens/s" : "samples/s";
	}
	else if (strcmp(scenario, "Server") == 0)
	{
		bool		tokens = has_detail ? (dv[D_COMPLETED_TOKENS] || dv[D_INFERRED_COMPLETED_TOKENS])
			: sv[L_COMPLETED_TOKENS] != NULL;
		bool		use_tokens = tokens && version >= 401;
		bool		completed = version >= 401 || (version == 400 && tokens);

		if (use_tokens)
		{
			dk = dv[D_COMPLETED_TOKENS] || !has_detail ? D_COMPLETED_TOKENS : D_INFERRED_COMPLETED_TOKENS;
			sl = L_COMPLETED_TOKENS;
		}
		else
		{
			dk = completed ? D_COMPLETED_SAMPLES : D_SCHEDULED_SAMPLES;
			sl = completed ? L_COMPLETED_SAMPLES : L_SCHEDULED_SAMPLES;
		}
		h->unit = use_tokens ? "tokens/s" : "samples/s";
	}
	else if (strcmp(scenario, "MultiStream") == 0 && version < 200)
	{
		dk = D_SAMPLES_PER_QUERY;
		sl = L_SAMPLES_PER_QUERY;
		h->unit = "samples/query";
	}
	else
	{
		bool		ss = strcmp(scenario, "SingleStream") == 0;
		bool		early = has_detail ? dv[ss ? D_ES_SS : D_ES_MS] != NULL : sv[ss ? L_ES_P90 : L_ES_P99] != NULL;

		dk = early ? (ss ? D_ES_SS : D_ES_MS) : (ss ? D_P90 : D_P99);
		sl = early ? (ss ? L_ES_P90 : L_ES_P99) : (ss ? L_P90_LATENCY : L_P99_LATENCY);
		h->unit = "ms";
		latency = true;
	}
	if (has_detail)
	{
		h->key = detail_key[dk];
		if (!mlperf_number(dv[dk], &h->value))
			return false;
	}
	else
	{
		h->key = label_text[sl];
		if (!summary_number(sv[sl], &h->value))
			return false;
	}
	if (latency)
		h->value /= 1e6;		/* ns -> ms */
	return true;
}

static void
read_mlperf_inference(const SourceInput *input, SourceSink *sink)
{
	MlperfInput in;
	DlpgProblem problem;
	char	   *summary,
			   *detail;
	int			summary_len,
				detail_len;
	Jsonb	   *lines;
	Jsonb	   *records = NULL;
	char	   *sv[NLABELS];
	JsonbValue *dv[NDETAIL] = {NULL};
	BenchmarkRow row;
	char	   *warning;
	const char *scenario;
	Headline	h = {NULL, NULL, 0};
	bool		has_headline = false;
	JsonbParseState *st = NULL;
	JsonbValue *params;
	static const SummaryLabel pct_label[] = {L_PCT_50, L_PCT_90, L_PCT_95, L_PCT_97, L_PCT_99, L_PCT_99_9};

	if (!mlperf_read_input(input, "mlperf_inference", true, &in, &problem) ||
		!mlperf_input_text(&in, "summary", true, &summary, &summary_len, &problem) ||
		!mlperf_input_text(&in, "detail", false, &detail, &detail_len, &problem))
	{
		dlpg_source_problem(sink, 0, &problem, NULL);
		return;
	}
	lines = mlperf_summary_lines(summary, summary_len);
	scan_summary(lines, sv);
	if (sv[L_RESULT] == NULL && sv[L_SCENARIO] == NULL)
	{
		dlpg_set_problem(&problem, ERRCODE_INVALID_TEXT_REPRESENTATION, "summary",
						 "invalid MLPerf inference summary: no \"Scenario\" and no \"Result is\" line");
		problem.detail = psprintf("The summary of \"%s\" is not LoadGen's mlperf_log_summary.txt.", in.path);
		problem.hint = "Pass the text of mlperf_log_summary.txt as \"summary\".";
		dlpg_source_problem(sink, 0, &problem, NULL);
		return;
	}
	if (detail)
	{
		records = mlperf_mllog_records(detail, detail_len);
		scan_detail(records, dv);
	}

	memset(&row, 0, sizeof(row));
	mlperf_system_columns(&in, &row, &warning);
	row.phase = "inference";
	row.model = in.where.benchmark;
	scenario = canonical_scenario(sv[L_SCENARIO]);
	if (scenario == NULL)
		scenario = canonical_scenario(mlperf_string(dv[D_SCENARIO]));
	if (scenario == NULL)
		scenario = canonical_scenario(in.where.scenario);
	row.scenario = unconstify(char *, scenario);

	{
		bool	   *has[] = {&row.has_latency_p50, &row.has_latency_p90, &row.has_latency_p95,
		&row.has_latency_p97, &row.has_latency_p99, &row.has_latency_p99_9};
		double	   *ms[] = {&row.latency_p50, &row.latency_p90, &row.latency_p95,
		&row.latency_p97, &row.latency_p99, &row.latency_p99_9};

		for (size_t i = 0; i < lengthof(pct_label); i++)
		{
			double		ns = 0;

			*has[i] = summary_number(sv[pct_label[i]], &ns);
			*ms[i] = ns / 1e6;	/* ns -> ms */
		}
	}

	if (scenario)
	{
		int			version = version_of(in.where.round);

		if (version == 0)
			version = version_of(mlperf_string(dv[D_LOADGEN_VERSION]));
		/* a detail without records (empty, cut short) leaves the headline to the summary */
		has_headline = headline(scenario, version, sv, dv, records != NULL && JB_ROOT_COUNT(records) > 0, &h);
		if (has_headline && strcmp(h.unit, "ms") == 0)
			row.has_mlperf_latency = true, row.mlperf_latency = h.value;
		else if (has_headline && strcmp(h.unit, "samples/query") == 0)
		{
			/* no column of its own: the latency MultiStream measures since 2.0, if the summary has it */
			row.has_mlperf_latency = row.has_latency_p99;
			row.mlperf_latency = row.latency_p99;
		}
		else if (has_headline)
			row.has_throughput = true, row.throughput = h.value;
	}

	row.status = "failed";
	if (sv[L_RESULT] == NULL)
		row.status_reason = "the summary has no \"Result is\" line";
	else if (strcmp(sv[L_RESULT], "VALID") != 0)
		row.status_reason = psprintf("Result is %s", sv[L_RESULT]);
	else if (scenario == NULL)
		row.status_reason = sv[L_SCENARIO] ? psprintf("unknown scenario \"%s\"", sv[L_SCENARIO])
			: "no scenario in the summary, the detail or the path";
	else if (!has_headline || !(h.value > 0) ||
			 !((row.has_throughput && row.throughput > 0) || (row.has_mlperf_latency && row.mlperf_latency > 0)))
		row.status_reason = psprintf("no finite, positive %s (the %s headline metric)", h.key ? h.key : "result", scenario);
	else
		row.status = "ok";

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	mlperf_put_text(&st, "format", in.format);
	mlperf_put_text(&st, "path", in.path);
	mlperf_put_container(&st, "summary", &lines->root);
	mlperf_put_container(&st, "detail", records ? &records->root : NULL);
	mlperf_put_container(&st, "system", in.system);
	if (has_headline)
	{
		mlperf_put_key(&st, "headline");
		pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
		mlperf_put_text(&st, "key", h.key);
		mlperf_put_number(&st, "value", h.value);
		mlperf_put_text(&st, "unit", h.unit);
		pushJsonbValue(&st, WJB_END_OBJECT, NULL);
	}
	if (warning)
		mlperf_put_warning(&st, warning);
	params = pushJsonbValue(&st, WJB_END_OBJECT, NULL);

	{
		const char *texts[2] = {summary, detail};
		int			lens[2] = {summary_len, detail_len};

		mlperf_identity(&row, &in, texts, lens, 2);
	}
	dlpg_source_benchmark(sink, 0, &row, JsonbValueToJsonb(params));
}

const InputSource mlperf_inference_source = {
	.name = "mlperf_inference",
	.description = "an MLPerf inference performance run as {\"path\", \"summary\", \"detail\", \"system\"}: one scenario run, one benchmark",
	.read = read_mlperf_inference,
};
