/*
 * ingest.c
 *		dlpg.ingest and dlpg.ingest_json: store benchmarks, reject bad ones.
 *
 * A benchmark is stored with one INSERT ... ON CONFLICT on dedup_key, so the
 * unique index, not a check-then-insert, decides between concurrent loads of
 * the same benchmark.  Problems found while deriving columns come back as
 * data (DlpgProblem): a single ingest raises them, a bulk ingest writes them
 * to dlpg.rejects and carries on, with no subtransaction per element.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "clip.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "derive.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "log_parser.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(dlpg_ingest);
PG_FUNCTION_INFO_V1(dlpg_ingest_json);
PG_FUNCTION_INFO_V1(dlpg_ingest_detailed);
PG_FUNCTION_INFO_V1(dlpg_ingest_json_detailed);
PG_FUNCTION_INFO_V1(dlpg_reject);

/* What to do when a benchmark is already stored. */
typedef enum OnConflict
{
	ON_CONFLICT_SKIP,
	ON_CONFLICT_REPLACE,
	ON_CONFLICT_ERROR
} OnConflict;

/* Where a column's value comes from: the kinds of benchmark_columns.h. */
typedef enum ColumnKind
{
	DLPG_COL_TEXT,
	DLPG_COL_POSINT,
	DLPG_COL_FLOAT8,
	DLPG_COL_BOOL,
	DLPG_COL_ARRAY,
	DLPG_COL_SOURCE,
	DLPG_COL_PARAMS,
	DLPG_COL_DEDUP_KEY
} ColumnKind;

/* The parameter number (from 0) of each column: COLUMN_exp_id, ..., NCOLUMNS. */
enum
{
#define DLPG_COLUMN(name, sqltype, kind) COLUMN_##name,
#include "benchmark_columns.h"
#undef DLPG_COLUMN
	NCOLUMNS
};

/* offsetof the member a kind reads in BenchmarkRow, and of its has_ flag */
#define ROW_OFFSET_DLPG_COL_TEXT(name)		offsetof(BenchmarkRow, name)
#define ROW_OFFSET_DLPG_COL_POSINT(name)	offsetof(BenchmarkRow, name)
#define ROW_OFFSET_DLPG_COL_FLOAT8(name)	offsetof(BenchmarkRow, name)
#define ROW_OFFSET_DLPG_COL_BOOL(name)		offsetof(BenchmarkRow, name)
#define ROW_OFFSET_DLPG_COL_ARRAY(name)		offsetof(BenchmarkRow, name)
#define ROW_OFFSET_DLPG_COL_SOURCE(name)	0
#define ROW_OFFSET_DLPG_COL_PARAMS(name)	0
#define ROW_OFFSET_DLPG_COL_DEDUP_KEY(name) 0
#define ROW_FLAG_DLPG_COL_FLOAT8(name)		offsetof(BenchmarkRow, has_##name)
#define ROW_FLAG_DLPG_COL_TEXT(name)		0
#define ROW_FLAG_DLPG_COL_POSINT(name)		0
#define ROW_FLAG_DLPG_COL_BOOL(name)		0
#define ROW_FLAG_DLPG_COL_ARRAY(name)		0
#define ROW_FLAG_DLPG_COL_SOURCE(name)		0
#define ROW_FLAG_DLPG_COL_PARAMS(name)		0
#define ROW_FLAG_DLPG_COL_DEDUP_KEY(name)	0

/*
 * The columns an ingest writes, in parameter order (benchmark_columns.h):
 * one table drives the statements and the fill of their parameters.
 */
static const struct
{
	const char *name;
	Oid			type;
	ColumnKind	kind;
	size_t		offset;			/* of the value in BenchmarkRow, for kinds kept there */
	size_t		flag_offset;	/* of has_<name>, for DLPG_COL_FLOAT8 */
}			benchmark_columns[NCOLUMNS] = {
#define DLPG_COLUMN(name, sqltype, kind) \
	{#name, sqltype, kind, ROW_OFFSET_##kind(name), ROW_FLAG_##kind(name)},
#include "benchmark_columns.h"
#undef DLPG_COLUMN
};

/* What storing a benchmark did. */
typedef enum StoreOutcome
{
	STORED_NEW,
	STORED_REPLACED,			/* on_conflict replace overwrote the stored row */
	ALREADY_STORED				/* the stored row was kept (skip), or refused (error) */
} StoreOutcome;

static const char *const outcome_names[] = {"inserted", "replaced", "duplicate"};

/* Prepared once per backend; names are schema-qualified, operators too. */
static SPIPlanPtr insert_plan = NULL;
static SPIPlanPtr replace_plan = NULL;
static SPIPlanPtr lookup_plan = NULL;
static SPIPlanPtr reject_plan = NULL;

/*
 * Prepare every plan, or none: a plan left missing by an error (a lock
 * timeout on dlpg.rejects, a cancel) would otherwise poison the backend, as
 * the others' presence says "prepared".  Plans are made in the SPI call's
 * memory and kept only once all four exist.
 */
static SPIPlanPtr
prepare_plan(const char *sql, int nargs, Oid *argtypes)
{
	SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

	if (plan == NULL)
		elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
			 SPI_result_code_string(SPI_result));
	return plan;
}

/* Must run inside SPI_connect. */
static void
prepare_plans(void)
{
	StringInfoData cols,
				vals,
				excluded,
				sql;
	Oid			types[NCOLUMNS];
	Oid			text_type = TEXTOID;
	Oid			reject_types[] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT4OID, TEXTOID, TEXTOID};
	SPIPlanPtr	plans[4];

	if (insert_plan)
		return;

	initStringInfo(&cols);
	initStringInfo(&vals);
	initStringInfo(&excluded);
	for (int i = 0; i < NCOLUMNS; i++)
	{
		const char *sep = i ? ", " : "";

		appendStringInfo(&cols, "%s%s", sep, benchmark_columns[i].name);
		appendStringInfo(&vals, "%s$%d", sep, i + 1);
		appendStringInfo(&excluded, "%sEXCLUDED.%s", sep, benchmark_columns[i].name);
		types[i] = benchmark_columns[i].type;
	}

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "INSERT INTO dlpg.benchmarks (%s) VALUES (%s) "
					 "ON CONFLICT (dedup_key) DO NOTHING RETURNING id, true",
					 cols.data, vals.data);
	plans[0] = prepare_plan(sql.data, NCOLUMNS, types);

	resetStringInfo(&sql);
	appendStringInfo(&sql,
					 "INSERT INTO dlpg.benchmarks (%s) VALUES (%s) "
					 "ON CONFLICT (dedup_key) DO UPDATE SET (%s, ingested_at) = "
					 "ROW(%s, pg_catalog.now()) "
					 "RETURNING id, xmax OPERATOR(pg_catalog.=) '0'::pg_catalog.xid",
					 cols.data, vals.data, cols.data, excluded.data);
	plans[1] = prepare_plan(sql.data, NCOLUMNS, types);

	plans[2] = prepare_plan("SELECT id FROM dlpg.benchmarks "
							"WHERE dedup_key OPERATOR(pg_catalog.=) $1",
							1, &text_type);
	plans[3] = prepare_plan("INSERT INTO dlpg.rejects "
							"(source, reason, detail, sqlstate, line, key, raw) "
							"VALUES ($1, $2, $3, $4, $5, $6, $7)",
							lengthof(reject_types), reject_types);

	/* SPI_keepplan only moves memory: nothing can fail between the first and the last */
	for (size_t i = 0; i < lengthof(plans); i++)
		if (SPI_keepplan(plans[i]) != 0)
			elog(ERROR, "SPI_keepplan failed");
	replace_plan = plans[1];
	lookup_plan = plans[2];
	reject_plan = plans[3];
	insert_plan = plans[0];		/* last: its presence means "all prepared" */
}

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

/* prefix followed by the SHA-256 of the bytes, in hex. */
static char *
sha256_key(const char *prefix, const void *bytes, size_t len)
{
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	char	   *key;
	char	   *p;

	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, bytes, len) < 0 ||
		pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute SHA-256");
	pg_cryptohash_free(ctx);

	key = palloc(strlen(prefix) + 2 * sizeof(digest) + 1);
	p = key + sprintf(key, "%s", prefix);
	for (size_t i = 0; i < sizeof(digest); i++)
		p += sprintf(p, "%02x", digest[i]);
	return key;
}

/*
 * exp.id when there is one (hashed when too long for a btree entry); else a
 * SHA-256 of the (canonical) jsonb bytes.
 */
static char *
dedup_key(const BenchmarkRow *row, Jsonb *params)
{
	if (row->exp_id && strlen(row->exp_id) <= 256)
		return psprintf("exp.id:%s", row->exp_id);
	if (row->exp_id)
		return sha256_key("exp.id-sha256:", row->exp_id, strlen(row->exp_id));
	return sha256_key("sha256:", VARDATA(params), VARSIZE(params) - VARHDRSZ);
}

static inline void
set_text(Datum *values, char *nulls, int i, const char *s)
{
	nulls[i] = s ? ' ' : 'n';
	values[i] = s ? CStringGetTextDatum(s) : (Datum) 0;
}

static inline void
set_int(Datum *values, char *nulls, int i, int32 n)
{
	nulls[i] = n > 0 ? ' ' : 'n';
	values[i] = Int32GetDatum(n);
}

/* The id in the first column of the one row returned; the second says if it is new. */
static int64
returned_id(bool *is_new)
{
	bool		isnull;
	Datum		id = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

	if (is_new)
		*is_new = DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	SPI_freetuptable(SPI_tuptable);
	return DatumGetInt64(id);
}

/*
 * Store one benchmark and return its row id.  *outcome tells what happened;
 * when the benchmark was there before, the id is the stored row's (under
 * ON_CONFLICT_ERROR nothing was written).  Must run inside SPI_connect.
 */
static int64
store_benchmark(const BenchmarkRow *row, text *source, Jsonb *params,
				OnConflict mode, StoreOutcome *outcome)
{
	Datum		values[NCOLUMNS];
	char		nulls[NCOLUMNS];

	prepare_plans();

	for (int i = 0; i < NCOLUMNS; i++)
	{
		const char *field = (const char *) row + benchmark_columns[i].offset;

		switch (benchmark_columns[i].kind)
		{
			case DLPG_COL_TEXT:
				set_text(values, nulls, i, *(char *const *) field);
				break;
			case DLPG_COL_POSINT:
				set_int(values, nulls, i, *(const int32 *) field);
				break;
			case DLPG_COL_FLOAT8:
				nulls[i] = *(const bool *) ((const char *) row + benchmark_columns[i].flag_offset) ? ' ' : 'n';
				values[i] = Float8GetDatum(*(const double *) field);
				break;
			case DLPG_COL_BOOL:
				nulls[i] = ' ';
				values[i] = BoolGetDatum(*(const bool *) field);
				break;
			case DLPG_COL_ARRAY:
				nulls[i] = *(const Datum *) field ? ' ' : 'n';
				values[i] = *(const Datum *) field;
				break;
			case DLPG_COL_SOURCE:
				nulls[i] = source ? ' ' : 'n';
				values[i] = PointerGetDatum(source);
				break;
			case DLPG_COL_PARAMS:
				nulls[i] = ' ';
				values[i] = JsonbPGetDatum(params);
				break;
			case DLPG_COL_DEDUP_KEY:
				set_text(values, nulls, i, dedup_key(row, params));
				break;
		}
	}

	/* A row deleted between the conflict and the lookup: try again. */
	for (int attempt = 0; attempt < 3; attempt++)
	{
		SPIPlanPtr	plan = mode == ON_CONFLICT_REPLACE ? replace_plan : insert_plan;

		if (SPI_execute_plan(plan, values, nulls, false, 1) != SPI_OK_INSERT_RETURNING)
			elog(ERROR, "SPI_execute_plan failed on dlpg.benchmarks");
		if (SPI_processed == 1)
		{
			bool		is_new;
			int64		id = returned_id(&is_new);

			*outcome = is_new ? STORED_NEW : STORED_REPLACED;
			return id;
		}
		if (SPI_execute_plan(lookup_plan, &values[COLUMN_dedup_key], NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "SPI_execute_plan failed on dlpg.benchmarks lookup");
		if (SPI_processed == 1)
		{
			*outcome = ALREADY_STORED;
			return returned_id(NULL);
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_T_R_SERIALIZATION_FAILURE),
			 errmsg("could not store benchmark: its row was deleted concurrently, three times")));
	return 0;					/* keep compiler quiet */
}

static void
report_already_stored(const BenchmarkRow *row, int64 id)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNIQUE_VIOLATION),
			 errmsg("benchmark is already stored"),
			 row->exp_id ?
			 errdetail("dlpg.benchmarks row %lld has exp.id \"%s\".", (long long) id, row->exp_id) :
			 errdetail("dlpg.benchmarks row %lld has the same parameters.", (long long) id),
			 errhint("Use on_conflict => 'skip' to keep the stored row or 'replace' to overwrite it.")));
}

/*
 * Parse, derive and store one log; problems raise errors naming the line
 * and key.  Returns the row id; *row gets the derived columns.
 */
static int64
ingest_log(text *log, text *source, OnConflict mode, BenchmarkRow *row,
		   StoreOutcome *outcome)
{
	char	   *data = VARDATA_ANY(log);
	int			len = VARSIZE_ANY_EXHDR(log);
	int			nparams;
	Jsonb	   *params;
	DlpgProblem problem;
	int64		id;

	params = dlbs_parse_log(data, len, &nparams);
	if (nparams == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid DLBS log: no parameter lines"),
				 len == 0 ? errdetail("The log is empty.") :
				 errdetail("No line has the form __key__=value."),
				 errhint("Pass the text of a log written by DLBS.")));

	if (!dlpg_derive_row(&params->root, row, &problem))
		ereport(ERROR,
				(errcode(problem.sqlerrcode),
				 errmsg("%s", problem.message),
				 errdetail("line %d, key \"%s\"",
						   dlbs_last_line_of_key(data, len, problem.key), problem.key)));

	SPI_connect();
	id = store_benchmark(row, source, params, mode, outcome);
	if (*outcome == ALREADY_STORED && mode == ON_CONFLICT_ERROR)
		report_already_stored(row, id);
	SPI_finish();
	return id;
}

/* dlpg.ingest(log text, source text, on_conflict text) -> bigint */
Datum
dlpg_ingest(PG_FUNCTION_ARGS)
{
	OnConflict	mode = on_conflict_arg(fcinfo, 2);
	BenchmarkRow row;
	StoreOutcome outcome;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_INT64(ingest_log(PG_GETARG_TEXT_PP(0),
							   PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
							   mode, &row, &outcome));
}

/*
 * Where the ids go: SETOF bigint for dlpg.ingest_json, or rows of
 * (element, id, outcome, status) for the loader's functions, where rejected
 * elements get a row too.
 */
typedef struct ResultSink
{
	ReturnSetInfo *rsinfo;
	bool		detailed;
} ResultSink;

static void
emit(ResultSink *sink, int elemno, int64 id, const char *outcome, const char *status)
{
	Datum		values[4];
	bool		nulls[4] = {elemno == 0, outcome == NULL || strcmp(outcome, "rejected") == 0,
	false, status == NULL};

	if (!sink->detailed)
	{
		if (!nulls[1])
		{
			values[0] = Int64GetDatum(id);
			tuplestore_putvalues(sink->rsinfo->setResult, sink->rsinfo->setDesc, values, &nulls[1]);
		}
		return;
	}
	values[0] = Int32GetDatum(elemno);
	values[1] = Int64GetDatum(id);
	values[2] = CStringGetTextDatum(outcome);
	values[3] = status ? CStringGetTextDatum(status) : (Datum) 0;
	tuplestore_putvalues(sink->rsinfo->setResult, sink->rsinfo->setDesc, values, nulls);
}

/* dlpg.ingest_detailed(log, source, on_conflict) -> TABLE (element, id, outcome, status) */
Datum
dlpg_ingest_detailed(PG_FUNCTION_ARGS)
{
	OnConflict	mode = on_conflict_arg(fcinfo, 2);
	ResultSink	sink = {(ReturnSetInfo *) fcinfo->resultinfo, true};
	BenchmarkRow row;
	StoreOutcome outcome;
	int64		id;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	id = ingest_log(PG_GETARG_TEXT_PP(0), PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1),
					mode, &row, &outcome);
	emit(&sink, 0, id, outcome_names[outcome], row.status);
	return (Datum) 0;
}

/*
 * The one writer of dlpg.rejects: the bulk JSON path here, and through
 * dlpg.reject() dlpg.load_input and dlpg-load.  line 0 is unknown.  Must run
 * inside SPI_connect.
 */
static void
write_reject(text *source, const char *reason, const char *detail, const char *sqlstate,
			 int32 line, const char *key, text *raw)
{
	Datum		values[7];
	char		nulls[7];

	nulls[0] = source ? ' ' : 'n';
	values[0] = PointerGetDatum(source);
	set_text(values, nulls, 1, reason);
	set_text(values, nulls, 2, detail);
	set_text(values, nulls, 3, sqlstate);
	nulls[4] = line > 0 ? ' ' : 'n';
	values[4] = Int32GetDatum(line);
	set_text(values, nulls, 5, key);
	nulls[6] = raw ? ' ' : 'n';
	values[6] = PointerGetDatum(raw);
	prepare_plans();
	if (SPI_execute_plan(reject_plan, values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "SPI_execute_plan failed on dlpg.rejects");
}

/* A bulk JSON element that cannot be stored (JSON has no lines). */
static void
record_reject(text *source, const char *reason, const char *detail, int sqlerrcode,
			  const char *key, const char *raw)
{
	write_reject(source, reason, detail, unpack_sql_state(sqlerrcode), 0, key,
				 raw ? cstring_to_text(raw) : NULL);
}

/*
 * dlpg.reject(source, reason, detail, sqlstate, line, key, raw) -> void:
 * record an input that could not be ingested.  reason and sqlstate are
 * required, the rest may be NULL.
 */
Datum
dlpg_reject(PG_FUNCTION_ARGS)
{
	char	   *sqlstate;
	int32		line;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a reject needs a reason and a sqlstate")));
	sqlstate = text_to_cstring(PG_GETARG_TEXT_PP(3));
	line = PG_ARGISNULL(4) ? 0 : PG_GETARG_INT32(4);
	if (!PG_ARGISNULL(4) && line < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid line %d: lines are numbered from 1", line),
				 errhint("Pass NULL when the line is not known.")));
	if (strlen(sqlstate) != 5 || strspn(sqlstate, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 5)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid sqlstate \"%s\"", dlpg_clip_quote(sqlstate, strlen(sqlstate))),
				 errhint("A SQLSTATE is five digits or upper-case letters.")));
	SPI_connect();
	write_reject(PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0),
				 text_to_cstring(PG_GETARG_TEXT_PP(1)),
				 PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)),
				 sqlstate,
				 line,
				 PG_ARGISNULL(5) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(5)),
				 PG_ARGISNULL(6) ? NULL : PG_GETARG_TEXT_PP(6));
	SPI_finish();
	PG_RETURN_VOID();
}

/*
 * One element of a bulk document: stored (its id goes to the result) or
 * recorded in dlpg.rejects.
 */
static void
ingest_element(JsonbValue *elem, int elemno, text *source, OnConflict mode,
			   ResultSink *sink)
{
	BenchmarkRow row;
	DlpgProblem problem;
	Jsonb	   *params;
	StoreOutcome outcome;
	int64		id;

	if (elem->type != jbvBinary || !JsonContainerIsObject(elem->val.binary.data))
	{
		record_reject(source, "benchmark is not a JSON object",
					  psprintf("element %d is %s", elemno,
							   elem->type == jbvBinary ? "an array" : "a scalar"),
					  ERRCODE_INVALID_PARAMETER_VALUE, NULL, dlpg_json_text(elem));
		emit(sink, elemno, 0, "rejected", NULL);
		return;
	}
	if (JsonContainerSize(elem->val.binary.data) == 0)
	{
		record_reject(source, "benchmark object has no parameters",
					  psprintf("element %d is {}", elemno),
					  ERRCODE_INVALID_PARAMETER_VALUE, NULL, "{}");
		emit(sink, elemno, 0, "rejected", NULL);
		return;
	}
	if (!dlpg_derive_row(elem->val.binary.data, &row, &problem))
	{
		record_reject(source, problem.message,
					  psprintf("element %d, key \"%s\"", elemno, problem.key),
					  problem.sqlerrcode, problem.key, dlpg_json_text(elem));
		emit(sink, elemno, 0, "rejected", NULL);
		return;
	}
	params = JsonbValueToJsonb(elem);
	id = store_benchmark(&row, source, params, mode, &outcome);
	if (outcome == ALREADY_STORED && mode == ON_CONFLICT_ERROR)
	{
		record_reject(source, "benchmark is already stored",
					  psprintf("element %d: dlpg.benchmarks row %lld has %s", elemno,
							   (long long) id,
							   row.exp_id ? psprintf("exp.id \"%s\"", row.exp_id) : "the same parameters"),
					  ERRCODE_UNIQUE_VIOLATION, row.exp_id ? "exp.id" : NULL,
					  dlpg_json_text(elem));
		emit(sink, elemno, 0, "rejected", NULL);
		return;
	}
	emit(sink, elemno, id, outcome_names[outcome], row.status);
}

/* One benchmark object, an array of them, or {"data": [...]}, into sink. */
static void
ingest_document(FunctionCallInfo fcinfo, ResultSink *sink)
{
	OnConflict	mode;
	Jsonb	   *doc;
	text	   *source;
	JsonbContainer *elements = NULL;
	JsonbValue	databuf;

	mode = on_conflict_arg(fcinfo, 2);
	InitMaterializedSRF(fcinfo, sink->detailed ? 0 : MAT_SRF_USE_EXPECTED_DESC);
	if (PG_ARGISNULL(0))
		return;
	doc = PG_GETARG_JSONB_P(0);
	source = PG_ARGISNULL(1) ? NULL : PG_GETARG_TEXT_PP(1);

	if (JB_ROOT_IS_SCALAR(doc))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("benchmark document must be an object or an array"),
				 errhint("Pass one benchmark object, an array of them, or {\"data\": [...]}.")));
	if (JB_ROOT_IS_ARRAY(doc))
		elements = &doc->root;
	else
	{
		JsonbValue *data = getKeyJsonValueFromContainer(&doc->root, "data", 4, &databuf);

		if (data)
		{
			if (data->type != jbvBinary || !JsonContainerIsArray(data->val.binary.data))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("\"data\" must be an array of benchmark objects"),
						 errdetail("\"data\" is %s.", data->type == jbvBinary ? "an object" : "a scalar")));
			elements = data->val.binary.data;
		}
	}

	SPI_connect();
	if (elements == NULL)
	{
		/* One benchmark: its problems are errors. */
		BenchmarkRow row;
		DlpgProblem problem;
		StoreOutcome outcome;
		int64		id;

		if (JB_ROOT_COUNT(doc) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("benchmark object has no parameters"),
					 errhint("Pass one benchmark object, an array of them, or {\"data\": [...]}.")));
		if (!dlpg_derive_row(&doc->root, &row, &problem))
			ereport(ERROR,
					(errcode(problem.sqlerrcode),
					 errmsg("%s", problem.message),
					 errdetail("key \"%s\"", problem.key)));
		id = store_benchmark(&row, source, doc, mode, &outcome);
		if (outcome == ALREADY_STORED && mode == ON_CONFLICT_ERROR)
			report_already_stored(&row, id);
		emit(sink, 0, id, outcome_names[outcome], row.status);
	}
	else
	{
		/* Many: each bad one is a row of dlpg.rejects; memory stays flat. */
		JsonbIterator *it = JsonbIteratorInit(elements);
		MemoryContext per_element = AllocSetContextCreate(CurrentMemoryContext,
														  "dlpg ingest_json element",
														  ALLOCSET_DEFAULT_SIZES);
		MemoryContext outer = MemoryContextSwitchTo(per_element);
		JsonbValue	elem;
		JsonbIteratorToken tok;
		int			elemno = 0;

		while ((tok = JsonbIteratorNext(&it, &elem, true)) != WJB_DONE)
		{
			CHECK_FOR_INTERRUPTS();
			if (tok != WJB_ELEM)
				continue;
			ingest_element(&elem, ++elemno, source, mode, sink);
			MemoryContextReset(per_element);
		}
		MemoryContextSwitchTo(outer);
		MemoryContextDelete(per_element);
	}
	SPI_finish();
}

/* dlpg.ingest_json(doc jsonb, source text, on_conflict text) -> SETOF bigint */
Datum
dlpg_ingest_json(PG_FUNCTION_ARGS)
{
	ResultSink	sink = {(ReturnSetInfo *) fcinfo->resultinfo, false};

	ingest_document(fcinfo, &sink);
	return (Datum) 0;
}

/* dlpg.ingest_json_detailed(doc, source, on_conflict) -> TABLE (element, id, outcome, status) */
Datum
dlpg_ingest_json_detailed(PG_FUNCTION_ARGS)
{
	ResultSink	sink = {(ReturnSetInfo *) fcinfo->resultinfo, true};

	ingest_document(fcinfo, &sink);
	return (Datum) 0;
}
