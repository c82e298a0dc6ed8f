/*
 * benchmark.h
 *		What every input source produces: one benchmark's typed columns
 *		(BenchmarkRow) or the problem that keeps it out (DlpgProblem).
 */
#ifndef DLPG_BENCHMARK_H
#define DLPG_BENCHMARK_H

#include "datatype/timestamp.h"
#include "utils/jsonb.h"

/*
 * A problem found in an input that makes a benchmark impossible to store,
 * kept as data rather than thrown: a bulk path records it in dlpg.rejects
 * (line and key in their own columns) and goes on without a subtransaction
 * per element; a single ingest raises it.
 */
typedef struct DlpgProblem
{
	int			sqlerrcode;
	char	   *message;		/* errmsg: lower case, no period */
	char	   *key;			/* the parameter it is about, or NULL */
	int			line;			/* the input's line it is on (from 1), or 0 */
	char	   *detail;			/* errdetail; NULL: written from line, element, key */
	char	   *hint;			/* errhint, or NULL */
} DlpgProblem;

/* Fill *problem (key is copied) and return false, for "return set_problem(...)". */
extern bool dlpg_set_problem(DlpgProblem *problem, int sqlerrcode, const char *key,
							 char *message);

/*
 * The typed columns of dlpg.benchmarks derived from one benchmark: one
 * member per column of benchmark_columns.h whose kind lives in the row (see
 * there for how each kind spells NULL).
 */
#define DLPG_ROW_MEMBER_DLPG_COL_TEXT(name)		char *name;
#define DLPG_ROW_MEMBER_DLPG_COL_POSINT(name)	int32 name;
#define DLPG_ROW_MEMBER_DLPG_COL_FLOAT8(name)	bool has_##name; double name;
#define DLPG_ROW_MEMBER_DLPG_COL_TIMESTAMP(name)	bool has_##name; TimestampTz name;
#define DLPG_ROW_MEMBER_DLPG_COL_BOOL(name)		bool name;
#define DLPG_ROW_MEMBER_DLPG_COL_ARRAY(name)	Datum name;
#define DLPG_ROW_MEMBER_DLPG_COL_SOURCE(name)
#define DLPG_ROW_MEMBER_DLPG_COL_PARAMS(name)
#define DLPG_ROW_MEMBER_DLPG_COL_DEDUP_KEY(name)

typedef struct BenchmarkRow
{
#define DLPG_COLUMN(name, sqltype, kind) DLPG_ROW_MEMBER_##kind(name)
#include "benchmark_columns.h"
#undef DLPG_COLUMN

	/*
	 * Not a column: what makes the benchmark itself, for a source whose
	 * parameters are not its identity (MLPerf: the format, the result's path
	 * from its repository folder and the result text).  When set, the dedup
	 * key is its SHA-256 instead of exp_id's or the parameters'; NULL: those.
	 */
	const char *identity;
	int			identity_len;
} BenchmarkRow;

/*
 * The spread of a benchmark's per-iteration batch times (a float8[] Datum,
 * or 0; NULL and non-finite elements skipped): batch_time_p50, _p90, _p99
 * (percentile_cont's interpolation, from one sort) and batch_time_cv (sample
 * standard deviation over mean, from two values on).  Unset without times.
 */
extern void dlpg_sample_measures(Datum samples, BenchmarkRow *row);

/* v as JSON text, for messages and dlpg.rejects.raw. */
extern char *dlpg_json_text(const JsonbValue *v);

/* What v is ("a string", "an array", ...), for messages. */
extern const char *dlpg_json_type_name(const JsonbValue *v);

#endif							/* DLPG_BENCHMARK_H */
