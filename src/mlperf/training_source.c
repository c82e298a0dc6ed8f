/*
 * training_source.c
 *		Input format "mlperf_training": one MLPerf training result file
 *		(result_N.txt), one benchmark.
 *
 * The input is a JSON object (the loader builds it from the repository):
 *   {"path": "<[repo/]Submitter/results/system/benchmark/result_N.txt>",
 *    "result": "<the file's text>", "system": <systems/<system>.json or null>,
 *    "scaling": <the scaling.json beside the result files, or null>}
 * The file's MLLOG records (mllog.c) are kept whole in params, with the
 * system description, scaling.json and its factor (which MLPerf's olympic
 * mean multiplies a set's score by).  The run's time to train is what
 * MLCommons' result summarizer computes: (run_stop.time_ms -
 * run_start.time_ms) / 60000 minutes; the run is ok when run_stop's
 * metadata.status is "success".  A record that is not JSON makes the run
 * failed (MLCommons' checker refuses such a file) but the file is stored.
 */
#include "postgres.h"

#include "utils/formatting.h"

#include <math.h>

#include "miscadmin.h"
#include "mlperf.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

/* What a result file's records say. */
typedef struct TrainingRun
{
	bool		has_start,
				has_stop;
	bool		start_time_ok,	/* time_ms a finite number */
				stop_time_ok;
	double		start_ms,
				stop_ms;
	char	   *stop_status;	/* run_stop's metadata.status, or NULL */
	char	   *benchmark;		/* submission_benchmark */
	char	   *org;			/* submission_org */
	char	   *division;		/* submission_division */
	int32		global_batch;	/* global_batch_size, 0: none or not a count */
	int			invalid_line;	/* the first record that is not a JSON object, 0: none */
	char	   *invalid_reason;
} TrainingRun;

/* A record's value of key as text (submission_* values are strings). */
static char *
record_string(JsonbContainer *record, const char *key)
{
	JsonbValue	buf;

	return mlperf_string(mlperf_get(record, key, &buf));
}

/* Walk the records (dlpg.parse_mllog's array); the last run_start and run_stop count. */
static void
scan_records(Jsonb *records, TrainingRun *run)
{
	JsonbIterator *it = JsonbIteratorInit(&records->root);
	JsonbValue	elem;
	JsonbIteratorToken tok;

	memset(run, 0, sizeof(*run));
	while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
	{
		JsonbValue	buf,
					kbuf;
		JsonbValue *recv,
				   *v;
		JsonbContainer *record;
		char	   *key;

		CHECK_FOR_INTERRUPTS();
		if (tok != WJB_ELEM || elem.type != jbvBinary)
			continue;
		recv = mlperf_get(elem.val.binary.data, "record", &buf);
		if (recv == NULL)
		{
			if (run->invalid_line == 0)
			{
				run->invalid_line = mlperf_count(mlperf_get(elem.val.binary.data, "line", &kbuf));
				run->invalid_reason = record_string(elem.val.binary.data, "reason");
			}
			continue;
		}
		record = recv->val.binary.data;
		key = record_string(record, "key");
		if (key == NULL)
			continue;
		if (strcmp(key, "run_start") == 0)
		{
			run->has_start = true;
			run->start_time_ok = mlperf_number(mlperf_get(record, "time_ms", &kbuf), &run->start_ms);
		}
		else if (strcmp(key, "run_stop") == 0)
		{
			run->has_stop = true;
			run->stop_time_ok = mlperf_number(mlperf_get(record, "time_ms", &kbuf), &run->stop_ms);
			v = mlperf_get(record, "metadata", &kbuf);
			run->stop_status = v && v->type == jbvBinary ? record_string(v->val.binary.data, "status") : NULL;
		}
		else if (strcmp(key, "submission_benchmark") == 0)
			run->benchmark = record_string(record, "value");
		else if (strcmp(key, "submission_org") == 0)
			run->org = record_string(record, "value");
		else if (strcmp(key, "submission_division") == 0)
			run->division = record_string(record, "value");
		else if (strcmp(key, "global_batch_size") == 0)
			run->global_batch = mlperf_count(mlperf_get(record, "value", &kbuf));
	}
}

/* Epoch milliseconds as a timestamptz; false out of range. */
static bool
epoch_ms_timestamp(double ms, TimestampTz *out)
{
	double		us = ms * 1000.0 -
		(double) (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * USECS_PER_DAY;

	if (!(us >= (double) MIN_TIMESTAMP && us < (double) END_TIMESTAMP))
		return false;
	*out = (TimestampTz) us;
	return true;
}

/* Status, its reason, time to train and run time from what the records say. */
static void
derive_run(const TrainingRun *run, BenchmarkRow *row)
{
	bool		timed = run->has_start && run->has_stop && run->start_time_ok && run->stop_time_ok &&
		run->stop_ms >= run->start_ms;

	if (timed)
	{
		/* as MLCommons' summarizer: the difference of the times, then / 60000 */
		row->has_time_to_train = true;
		row->time_to_train = (run->stop_ms - run->start_ms) / 60000.0;
		row->has_run_seconds = true;
		row->run_seconds = (run->stop_ms - run->start_ms) / 1000.0;
	}
	if (run->has_start && run->start_time_ok)
		row->has_run_at = epoch_ms_timestamp(run->start_ms, &row->run_at);

	row->status = "failed";
	if (!run->has_start)
		row->status_reason = "no run_start record";
	else if (!run->has_stop)
		row->status_reason = "no run_stop record: the run did not finish";
	else if (run->stop_status == NULL)
		row->status_reason = "run_stop has no metadata.status";
	else if (strcmp(run->stop_status, "success") != 0)
		row->status_reason = psprintf("run_stop status \"%s\"", run->stop_status);
	else if (!run->start_time_ok || !run->stop_time_ok)
		row->status_reason = "run_start or run_stop has no numeric time_ms";
	else if (!timed || !(row->time_to_train > 0) || !isfinite(row->time_to_train))
		row->status_reason = "run_stop is not after run_start";
	else if (run->invalid_line > 0)
		row->status_reason = psprintf("line %d: an MLLOG record that is not a JSON object (%s)",
									  run->invalid_line, run->invalid_reason ? run->invalid_reason : "invalid");
	else
	{
		row->status = "ok";
		row->status_reason = NULL;
	}
}

static void
read_mlperf_training(const SourceInput *input, SourceSink *sink)
{
	MlperfInput in;
	DlpgProblem problem;
	char	   *result;
	int			result_len;
	JsonbContainer *scaling;
	Jsonb	   *records;
	TrainingRun run;
	BenchmarkRow row;
	char	   *warning;
	double		factor;
	JsonbValue	buf;
	bool		has_factor;
	JsonbParseState *st = NULL;
	JsonbValue *params;

	if (!mlperf_read_input(input, "mlperf_training", false, &in, &problem) ||
		!mlperf_input_text(&in, "result", true, &result, &result_len, &problem) ||
		!mlperf_input_object(&in, "scaling", &scaling, &problem))
	{
		dlpg_source_problem(sink, 0, &problem, NULL);
		return;
	}
	records = mlperf_mllog_records(result, result_len);
	if (JB_ROOT_COUNT(records) == 0)
	{
		dlpg_set_problem(&problem, ERRCODE_INVALID_TEXT_REPRESENTATION, "result",
						 "invalid MLPerf training result: no :::MLLOG records");
		problem.detail = result_len == 0 ? psprintf("\"%s\" is empty.", in.path)
			: psprintf("No line of \"%s\" has a \":::MLLOG {json}\" record.", in.path);
		problem.hint = "Pass the text of a result_N.txt written by MLPerf's logger.";
		dlpg_source_problem(sink, 0, &problem, NULL);
		return;
	}

	memset(&row, 0, sizeof(row));
	scan_records(records, &run);
	mlperf_system_columns(&in, &row, &warning);
	row.phase = "training";
	row.model = run.benchmark ? run.benchmark : in.where.benchmark;
	/*
	 * Submitter and division: the system description's, as MLPerf's result
	 * tables show them, then the path's; the log's submission_org last, as
	 * reference code logs "reference_implementation" there.
	 */
	if (row.submitter == NULL && run.org && strcmp(run.org, "reference_implementation") != 0)
		row.submitter = run.org;
	/* as the system's: lower case ("Closed" and "closed" are one division) */
	if (row.division == NULL && run.division)
		row.division = asc_tolower(run.division, strlen(run.division));
	derive_run(&run, &row);
	if (run.global_batch > 0)
	{
		row.effective_batch = run.global_batch;
		if (row.num_devices > 0 && run.global_batch % row.num_devices == 0)
			row.replica_batch = run.global_batch / row.num_devices;
	}
	has_factor = mlperf_number(mlperf_get(scaling, "scaling_factor", &buf), &factor);

	pushJsonbValue(&st, WJB_BEGIN_OBJECT, NULL);
	mlperf_put_text(&st, "format", in.format);
	mlperf_put_text(&st, "path", in.path);
	mlperf_put_container(&st, "records", &records->root);
	mlperf_put_container(&st, "system", in.system);
	mlperf_put_container(&st, "scaling", scaling);
	if (has_factor)
		mlperf_put_number(&st, "scaling_factor", factor);
	if (warning)
		mlperf_put_warning(&st, warning);
	params = pushJsonbValue(&st, WJB_END_OBJECT, NULL);

	{
		const char *texts[1] = {result};
		int			lens[1] = {result_len};

		mlperf_identity(&row, &in, texts, lens, 1);
	}
	dlpg_source_benchmark(sink, 0, &row, JsonbValueToJsonb(params));
}

const InputSource mlperf_training_source = {
	.name = "mlperf_training",
	.description = "an MLPerf training result file as {\"path\", \"result\", \"system\", \"scaling\"}: one run, one benchmark",
	.read = read_mlperf_training,
};
