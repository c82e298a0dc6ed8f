/*
 * ingest.c
 *		The SQL entry points that take inputs in: dlpg.ingest, dlpg.ingest_json
 *		(and their _detailed forms) and dlpg.load, for every input format.
 *
 * Each runs an input source (source.h) into a SourceSink that stores the
 * benchmarks (store.c) and decides what a problem becomes:
 *   dlpg.ingest*	a problem of the whole input is an error naming its
 *					line and key; a bad element of a bulk document is a row
 *					of dlpg.rejects, and the rest goes on;
 *   dlpg.load		every problem is a row of dlpg.rejects, with line and key
 *					in their columns, and so is any error of class 22 or 54
 *					raised while reading the input (bad input the source
 *					could not describe as data).  Other errors describe the
 *					server's state, not the input, and are raised.
 * Problems are data, so a bulk document needs no subtransaction per element;
 * dlpg.load takes one per input, to catch what is raised.
 */
#include "postgres.h"

#include "access/xact.h"
#include "clip.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "source.h"
#include "store.h"
#include "utils/builtins.h"
#include "utils/resowner.h"

PG_FUNCTION_INFO_V1(dlpg_ingest);
PG_FUNCTION_INFO_V1(dlpg_ingest_json);
PG_FUNCTION_INFO_V1(dlpg_ingest_detailed);
PG_FUNCTION_INFO_V1(dlpg_ingest_json_detailed);
PG_FUNCTION_INFO_V1(dlpg_load);

/* The result rows: ids (dlpg.ingest_json), or (element, id, outcome, status). */
typedef enum ResultShape
{
	RESULT_ID,					/* dlpg.ingest: the one id, kept in the sink */
	RESULT_IDS,					/* SETOF bigint: stored benchmarks only */
	RESULT_DETAILED				/* a row per benchmark, rejected ones too */
} ResultShape;

struct SourceSink
{
	OnConflict	on_conflict;
	bool		reject_whole_input; /* dlpg.load: whole-input problems are rejects */
	text	   *source;			/* the source label, or NULL */
	text	   *input;			/* the input as text, for rejects.raw, or NULL */
	ResultShape shape;
	ReturnSetInfo *rsinfo;		/* RESULT_IDS, RESULT_DETAILED */
	int64		id;				/* RESULT_ID */
};

static OnConflict
on_conflict_arg(FunctionCallInfo fcinfo, int argno)
{
	char	   *s;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("on_conflict must not be null"),
				 errhint("Valid values are skip, replace and error.")));
	s = text_to_cstring(PG_GETARG_TEXT_PP(argno));
	if (pg_strcasecmp(s, "skip") == 0)
		return ON_CONFLICT_SKIP;
	if (pg_strcasecmp(s, "replace") == 0)
		return ON_CONFLICT_REPLACE;
	if (pg_strcasecmp(s, "error") == 0)
		return ON_CONFLICT_ERROR;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid on_conflict value \"%s\"", s),
			 errhint("Valid values are skip, replace and error.")));
	return ON_CONFLICT_SKIP;	/* keep compiler quiet */
}

/* A result row; elemno 0 (the whole input) is a NULL element. */
static void
emit(SourceSink *sink, int elemno, int64 id, const char *outcome, const char *status)
{
	bool		rejected = strcmp(outcome, "rejected") == 0;
	Datum		values[4];
	bool		nulls[4] = {elemno == 0, rejected, false, status == NULL};

	switch (sink->shape)
	{
		case RESULT_ID:
			sink->id = id;
			break;
		case RESULT_IDS:
			if (!rejected)
			{
				values[0] = Int64GetDatum(id);
				tuplestore_putvalues(sink->rsinfo->setResult, sink->rsinfo->setDesc,
									 values, &nulls[1]);
			}
			break;
		case RESULT_DETAILED:
			values[0] = Int32GetDatum(elemno);
			values[1] = Int64GetDatum(id);
			values[2] = CStringGetTextDatum(outcome);
			values[3] = status ? CStringGetTextDatum(status) : (Datum) 0;
			tuplestore_putvalues(sink->rsinfo->setResult, sink->rsinfo->setDesc, values, nulls);
			break;
	}
}

/* The problem's errdetail: its own, or where it is (line or element) and its key. */
static char *
problem_detail(const DlpgProblem *problem, int elemno)
{
	if (problem->detail || problem->key == NULL)
		return problem->detail;
	if (elemno > 0)
		return psprintf("element %d, key \"%s\"", elemno, problem->key);
	if (problem->line > 0)
		return psprintf("line %d, key \"%s\"", problem->line, problem->key);
	return psprintf("key \"%s\"", problem->key);
}

static void
reject(SourceSink *sink, int elemno, const char *reason, const char *detail, int sqlerrcode,
	   int line, const char *key, const char *raw)
{
	dlpg_write_reject(sink->source, reason, detail, unpack_sql_state(sqlerrcode), line, key,
					  raw ? cstring_to_text(raw) : sink->input);
	emit(sink, elemno, 0, "rejected", NULL);
}

void
dlpg_source_problem(SourceSink *sink, int elemno, const DlpgProblem *problem, const char *raw)
{
	char	   *detail = problem_detail(problem, elemno);

	if (elemno == 0 && !sink->reject_whole_input)
		ereport(ERROR,
				(errcode(problem->sqlerrcode),
				 errmsg("%s", problem->message),
				 detail ? errdetail("%s", detail) : 0,
				 problem->hint ? errhint("%s", problem->hint) : 0));
	reject(sink, elemno, problem->message, detail, problem->sqlerrcode, problem->line,
		   problem->key, raw);
}

void
dlpg_source_benchmark(SourceSink *sink, int elemno, const BenchmarkRow *row, Jsonb *params)
{
	StoreOutcome outcome;
	int64		id = dlpg_store_benchmark(row, sink->source, params, sink->on_conflict, &outcome);
	char	   *detail;

	if (outcome == ALREADY_STORED && sink->on_conflict == ON_CONFLICT_ERROR)
	{
		detail = psprintf("dlpg.benchmarks row %lld has %s", (long long) id,
						  row->exp_id ? psprintf("exp.id \"%s\"", row->exp_id) :
						  row->identity ? "the same result file" : "the same parameters");
		if (elemno == 0 && !sink->reject_whole_input)
			ereport(ERROR,
					(errcode(ERRCODE_UNIQUE_VIOLATION),
					 errmsg("benchmark is already stored"),
					 errdetail("%s.", detail),
					 errhint("Use on_conflict => 'skip' to keep the stored row or 'replace' to overwrite it.")));
		reject(sink, elemno, "benchmark is already stored",
			   elemno > 0 ? psprintf("element %d: %s", elemno, detail) : psprintf("%s.", detail),
			   ERRCODE_UNIQUE_VIOLATION, 0, row->exp_id ? "exp.id" : NULL,
			   elemno > 0 ? JsonbToCString(NULL, &params->root, VARSIZE(params)) : NULL);
		return;
	}
	emit(sink, elemno, id, dlpg_outcome_names[outcome], row->status);
}

/* Read one input with source into sink, in SPI. */
static void
read_input(const InputSource *source, const SourceInput *input, SourceSink *sink)
{
	SPI_connect();
	source->read(input, sink);
	SPI_finish();
}

static void
init_sink(SourceSink *sink, FunctionCallInfo fcinfo, ResultShape shape, int on_conflict_argno,
		  int source_argno)
{
	memset(sink, 0, sizeof(*sink));
	sink->on_conflict = on_conflict_arg(fcinfo, on_conflict_argno);
	sink->source = PG_ARGISNULL(source_argno) ? NULL : PG_GETARG_TEXT_PP(source_argno);
	sink->shape = shape;
	if (shape != RESULT_ID)
	{
		InitMaterializedSRF(fcinfo, shape == RESULT_IDS ? MAT_SRF_USE_EXPECTED_DESC : 0);
		sink->rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	}
}

/* A log (dlbs_log) as dlpg.ingest and dlpg.ingest_detailed take it. */
static void
ingest_log(FunctionCallInfo fcinfo, SourceSink *sink)
{
	text	   *log = PG_GETARG_TEXT_PP(0);
	SourceInput input = {VARDATA_ANY(log), VARSIZE_ANY_EXHDR(log), NULL};

	read_input(&dlbs_log_source, &input, sink);
}

/* dlpg.ingest(log text, source text, on_conflict text) -> bigint */
Datum
dlpg_ingest(PG_FUNCTION_ARGS)
{
	SourceSink	sink;

	init_sink(&sink, fcinfo, RESULT_ID, 2, 1);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	ingest_log(fcinfo, &sink);
	PG_RETURN_INT64(sink.id);
}

/* dlpg.ingest_detailed(log, source, on_conflict) -> TABLE (element, id, outcome, status) */
Datum
dlpg_ingest_detailed(PG_FUNCTION_ARGS)
{
	SourceSink	sink;

	init_sink(&sink, fcinfo, RESULT_DETAILED, 2, 1);
	if (!PG_ARGISNULL(0))
		ingest_log(fcinfo, &sink);
	return (Datum) 0;
}

/* A JSON document (dlbs_json) as dlpg.ingest_json and its _detailed form take it. */
static void
ingest_document(FunctionCallInfo fcinfo, ResultShape shape)
{
	SourceSink	sink;
	SourceInput input = {NULL, 0, NULL};

	init_sink(&sink, fcinfo, shape, 2, 1);
	if (PG_ARGISNULL(0))
		return;
	input.doc = PG_GETARG_JSONB_P(0);
	read_input(&dlbs_json_source, &input, &sink);
}

/* dlpg.ingest_json(doc jsonb, source text, on_conflict text) -> SETOF bigint */
Datum
dlpg_ingest_json(PG_FUNCTION_ARGS)
{
	ingest_document(fcinfo, RESULT_IDS);
	return (Datum) 0;
}

/* dlpg.ingest_json_detailed(doc, source, on_conflict) -> TABLE (element, id, outcome, status) */
Datum
dlpg_ingest_json_detailed(PG_FUNCTION_ARGS)
{
	ingest_document(fcinfo, RESULT_DETAILED);
	return (Datum) 0;
}

/* Is an error raised while reading an input the input's fault? */
static bool
input_fault(int sqlerrcode, OnConflict on_conflict)
{
	return ERRCODE_TO_CATEGORY(sqlerrcode) == ERRCODE_DATA_EXCEPTION ||
		ERRCODE_TO_CATEGORY(sqlerrcode) == ERRCODE_PROGRAM_LIMIT_EXCEEDED ||
		(sqlerrcode == ERRCODE_UNIQUE_VIOLATION && on_conflict == ON_CONFLICT_ERROR);
}

/*
 * dlpg.load(format text, input text, source text, on_conflict text)
 *		-> TABLE (element, id, outcome, status)
 *
 * The input is read in a subtransaction: an error that is the input's fault
 * rolls back what it stored and becomes one reject of the whole input.  The
 * result's tuplestore was made outside it, so its files survive the
 * subtransaction's resource owner.
 */
Datum
dlpg_load(PG_FUNCTION_ARGS)
{
	const InputSource *source;
	SourceSink	sink;
	SourceInput input;
	MemoryContext outer_cxt = CurrentMemoryContext;
	ResourceOwner outer_owner = CurrentResourceOwner;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("format must not be null"),
				 errhint("dlpg.sources() lists the formats.")));
	source = dlpg_find_source(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	init_sink(&sink, fcinfo, RESULT_DETAILED, 3, 2);
	if (PG_ARGISNULL(1))
		return (Datum) 0;
	sink.reject_whole_input = true;
	sink.input = PG_GETARG_TEXT_PP(1);
	input.data = VARDATA_ANY(sink.input);
	input.len = VARSIZE_ANY_EXHDR(sink.input);
	input.doc = NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(outer_cxt);
	PG_TRY();
	{
		read_input(source, &input, &sink);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(outer_cxt);
		CurrentResourceOwner = outer_owner;
	}
	PG_CATCH();
	{
		ErrorData  *error;

		MemoryContextSwitchTo(outer_cxt);
		error = CopyErrorData();
		FlushErrorState();
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(outer_cxt);
		CurrentResourceOwner = outer_owner;

		if (!input_fault(error->sqlerrcode, sink.on_conflict))
			ReThrowError(error);

		/* the rows of elements stored before the error are gone */
		tuplestore_clear(sink.rsinfo->setResult);
		SPI_connect();
		reject(&sink, 0, error->message,
			   error->detail && error->detail[0] ? error->detail : NULL,
			   error->sqlerrcode, 0, NULL, NULL);
		SPI_finish();
		FreeErrorData(error);
	}
	PG_END_TRY();
	return (Datum) 0;
}
