/*
 * dlpg.h
 *		Shared declarations of the dlpg extension.
 *
 * The pipeline of one benchmark is:
 *   log text --(log_parser.c: log_lines.c, json_syntax.c)--> jsonb params --(derive.c)--> BenchmarkRow
 *            --(ingest.c)--> a row of dlpg.benchmarks, or of dlpg.rejects.
 */
#ifndef DLPG_H
#define DLPG_H

#include "postgres.h"

#include "utils/jsonb.h"

/* Values nested deeper than this in a log are refused (DLBS writes at most 4). */
#define DLPG_MAX_JSON_DEPTH 1000

/*
 * A problem found in one benchmark that makes it impossible to store, kept
 * as data rather than thrown, so that bulk paths can record it in
 * dlpg.rejects and go on without a subtransaction per element.
 */
typedef struct DlpgProblem
{
	int			sqlerrcode;
	char	   *message;		/* errmsg: lower case, no period */
	char	   *key;			/* the parameter it is about, or NULL */
} DlpgProblem;

/*
 * The typed columns of dlpg.benchmarks derived from one benchmark's
 * parameters: one member per column of benchmark_columns.h whose kind lives
 * in the row (see there for how each kind spells NULL).
 */
#define DLPG_ROW_MEMBER_DLPG_COL_TEXT(name)	char *name;
#define DLPG_ROW_MEMBER_DLPG_COL_POSINT(name) int32 name;
#define DLPG_ROW_MEMBER_DLPG_COL_FLOAT8(name) bool has_##name; double name;
#define DLPG_ROW_MEMBER_DLPG_COL_BOOL(name) bool name;
#define DLPG_ROW_MEMBER_DLPG_COL_ARRAY(name) Datum name;
#define DLPG_ROW_MEMBER_DLPG_COL_SOURCE(name)
#define DLPG_ROW_MEMBER_DLPG_COL_PARAMS(name)
#define DLPG_ROW_MEMBER_DLPG_COL_DEDUP_KEY(name)

typedef struct BenchmarkRow
{
#define DLPG_COLUMN(name, sqltype, kind) DLPG_ROW_MEMBER_##kind(name)
#include "benchmark_columns.h"
#undef DLPG_COLUMN
} BenchmarkRow;

/* What to do when a benchmark is already stored. */
typedef enum OnConflict
{
	ON_CONFLICT_SKIP,
	ON_CONFLICT_REPLACE,
	ON_CONFLICT_ERROR
} OnConflict;

/* log_parser.c */
extern Jsonb *dlbs_parse_log(char *text, int len, int *nparams);
extern int	dlbs_last_line_of_key(const char *text, int len, const char *key);

/* derive.c */
extern char *dlpg_json_text(const JsonbValue *v);
extern bool dlpg_derive_row(JsonbContainer *params, BenchmarkRow *row,
							DlpgProblem *problem);

#endif							/* DLPG_H */
