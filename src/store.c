/*
 * store.c
 *		Writing dlpg.benchmarks and dlpg.rejects: the one place that knows
 *		their layout.
 *
 * A benchmark is stored with one INSERT ... ON CONFLICT on dedup_key, so the
 * unique index, not a check-then-insert, decides between concurrent loads of
 * the same benchmark.  The statements are built from benchmark_columns.h and
 * prepared once per backend.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "clip.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "store.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(dlpg_reject);

/* Where a column's value comes from: the kinds of benchmark_columns.h. */
typedef enum ColumnKind
{
	DLPG_COL_TEXT,
	DLPG_COL_POSINT,
	DLPG_COL_FLOAT8,
	DLPG_COL_TIMESTAMP,
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
#define ROW_OFFSET_DLPG_COL_TIMESTAMP(name)	offsetof(BenchmarkRow, name)
#define ROW_OFFSET_DLPG_COL_BOOL(name)		offsetof(BenchmarkRow, name)
#define ROW_OFFSET_DLPG_COL_ARRAY(name)		offsetof(BenchmarkRow, name)
#define ROW_OFFSET_DLPG_COL_SOURCE(name)	0
#define ROW_OFFSET_DLPG_COL_PARAMS(name)	0
#define ROW_OFFSET_DLPG_COL_DEDUP_KEY(name) 0
#define ROW_FLAG_DLPG_COL_FLOAT8(name)		offsetof(BenchmarkRow, has_##name)
#define ROW_FLAG_DLPG_COL_TIMESTAMP(name)	offsetof(BenchmarkRow, has_##name)
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
	size_t		flag_offset;	/* of has_<name>, for DLPG_COL_FLOAT8 and _TIMESTAMP */
}			benchmark_columns[NCOLUMNS] = {
#define DLPG_COLUMN(name, sqltype, kind) \
	{#name, sqltype, kind, ROW_OFFSET_##kind(name), ROW_FLAG_##kind(name)},
#include "benchmark_columns.h"
#undef DLPG_COLUMN
};

const char *const dlpg_outcome_names[] = {"inserted", "replaced", "duplicate"};

/*
 * Prepared once per backend; names are schema-qualified, operators too.
 * The statements write the columns of benchmark_columns.h that the table
 * has: a newer dlpg.so keeps ingesting into a database whose ALTER
 * EXTENSION UPDATE has not run yet (the new columns stay unset until it
 * has).  A change to the table (an update adding columns) makes them stale.
 */
static SPIPlanPtr insert_plan = NULL;
static SPIPlanPtr replace_plan = NULL;
static SPIPlanPtr lookup_plan = NULL;
static SPIPlanPtr reject_plan = NULL;
static int	param_of[NCOLUMNS];	/* a column's parameter (from 0), -1 when the table lacks it */
static int	nparams;
static Oid	benchmarks_relid = InvalidOid;
static bool plans_stale = false;

/* Relcache callback: dlpg.benchmarks (or everything) changed. */
static void
invalidate_plans(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == benchmarks_relid)
		plans_stale = true;
}

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
	Oid			types[NCOLUMNS + 1];
	Oid			text_type = TEXTOID;
	Oid			reject_types[] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT4OID, TEXTOID, TEXTOID};
	SPIPlanPtr	plans[4];
	static bool callback_registered = false;

	if (insert_plan && !plans_stale)
		return;
	if (insert_plan)
	{
		SPIPlanPtr	old[] = {insert_plan, replace_plan, lookup_plan, reject_plan};

		insert_plan = NULL;		/* first: "not prepared" from here on */
		for (size_t i = 0; i < lengthof(old); i++)
			SPI_freeplan(old[i]);
	}
	if (!callback_registered)
	{
		CacheRegisterRelcacheCallback(invalidate_plans, (Datum) 0);
		callback_registered = true;
	}
	plans_stale = false;
	benchmarks_relid = get_relname_relid("benchmarks", get_namespace_oid("dlpg", false));
	if (!OidIsValid(benchmarks_relid))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_TABLE),
				 errmsg("relation \"dlpg.benchmarks\" does not exist")));

	initStringInfo(&cols);
	initStringInfo(&vals);
	initStringInfo(&excluded);
	nparams = 0;
	for (int i = 0; i < NCOLUMNS; i++)
	{
		const char *sep = nparams ? ", " : "";

		param_of[i] = -1;
		if (get_attnum(benchmarks_relid, benchmark_columns[i].name) == InvalidAttrNumber)
			continue;
		param_of[i] = nparams;
		types[nparams++] = benchmark_columns[i].type;
		appendStringInfo(&cols, "%s%s", sep, benchmark_columns[i].name);
		appendStringInfo(&vals, "%s$%d", sep, nparams);
		appendStringInfo(&excluded, "%sEXCLUDED.%s", sep, benchmark_columns[i].name);
	}
	types[nparams] = TIMESTAMPTZOID;	/* replace: the new ingested_at */

	initStringInfo(&sql);
	appendStringInfo(&sql,
					 "INSERT INTO dlpg.benchmarks (%s) VALUES (%s) "
					 "ON CONFLICT (dedup_key) DO NOTHING RETURNING id, true",
					 cols.data, vals.data);
	plans[0] = prepare_plan(sql.data, nparams, types);

	/*
	 * The replaced row's ingested_at is a parameter (the last one, the
	 * transaction's start: what now() gives), not now() in the DO UPDATE:
	 * Citus refuses a function that is not IMMUTABLE there.
	 */
	resetStringInfo(&sql);
	appendStringInfo(&sql,
					 "INSERT INTO dlpg.benchmarks (%s) VALUES (%s) "
					 "ON CONFLICT (dedup_key) DO UPDATE SET (%s, ingested_at) = "
					 "ROW(%s, $%d) "
					 "RETURNING id, xmax OPERATOR(pg_catalog.=) '0'::pg_catalog.xid",
					 cols.data, vals.data, cols.data, excluded.data, nparams + 1);
	plans[1] = prepare_plan(sql.data, nparams + 1, types);

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
 * The source's identity when it gives one (benchmark.h); else exp.id when
 * there is one (hashed when too long for a btree entry); else a SHA-256 of
 * the (canonical) jsonb bytes.
 */
static char *
dedup_key(const BenchmarkRow *row, Jsonb *params)
{
	if (row->identity)
		return sha256_key("identity-sha256:", row->identity, row->identity_len);
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

/* See store.h. */
int64
dlpg_store_benchmark(const BenchmarkRow *row, text *source, Jsonb *params,
					 OnConflict mode, StoreOutcome *outcome)
{
	Datum		values[NCOLUMNS + 1];
	char		nulls[NCOLUMNS + 1];

	prepare_plans();

	/* replace_plan's last parameter: the new ingested_at, now()'s value */
	values[nparams] = TimestampTzGetDatum(GetCurrentTransactionStartTimestamp());
	nulls[nparams] = ' ';

	for (int i = 0; i < NCOLUMNS; i++)
	{
		const char *field = (const char *) row + benchmark_columns[i].offset;
		int			p = param_of[i];

		if (p < 0)
			continue;			/* a column this database does not have yet */
		switch (benchmark_columns[i].kind)
		{
			case DLPG_COL_TEXT:
				set_text(values, nulls, p, *(char *const *) field);
				break;
			case DLPG_COL_POSINT:
				set_int(values, nulls, p, *(const int32 *) field);
				break;
			case DLPG_COL_FLOAT8:
				nulls[p] = *(const bool *) ((const char *) row + benchmark_columns[i].flag_offset) ? ' ' : 'n';
				values[p] = Float8GetDatum(*(const double *) field);
				break;
			case DLPG_COL_TIMESTAMP:
				nulls[p] = *(const bool *) ((const char *) row + benchmark_columns[i].flag_offset) ? ' ' : 'n';
				values[p] = TimestampTzGetDatum(*(const TimestampTz *) field);
				break;
			case DLPG_COL_BOOL:
				nulls[p] = ' ';
				values[p] = BoolGetDatum(*(const bool *) field);
				break;
			case DLPG_COL_ARRAY:
				nulls[p] = *(const Datum *) field ? ' ' : 'n';
				values[p] = *(const Datum *) field;
				break;
			case DLPG_COL_SOURCE:
				nulls[p] = source ? ' ' : 'n';
				values[p] = PointerGetDatum(source);
				break;
			case DLPG_COL_PARAMS:
				nulls[p] = ' ';
				values[p] = JsonbPGetDatum(params);
				break;
			case DLPG_COL_DEDUP_KEY:
				set_text(values, nulls, p, dedup_key(row, params));
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
		if (SPI_execute_plan(lookup_plan, &values[param_of[COLUMN_dedup_key]], NULL, false, 1) != SPI_OK_SELECT)
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

/*
 * The one writer of dlpg.rejects: every SQL entry point of ingest.c, and
 * through dlpg.reject() dlpg-load.  See store.h.
 */
void
dlpg_write_reject(text *source, const char *reason, const char *detail, const char *sqlstate,
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
	dlpg_write_reject(PG_ARGISNULL(0) ? NULL : PG_GETARG_TEXT_PP(0),
				 text_to_cstring(PG_GETARG_TEXT_PP(1)),
				 PG_ARGISNULL(2) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(2)),
				 sqlstate,
				 line,
				 PG_ARGISNULL(5) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(5)),
				 PG_ARGISNULL(6) ? NULL : PG_GETARG_TEXT_PP(6));
	SPI_finish();
	PG_RETURN_VOID();
}

