/*
 * derive.h
 *		Parameters to the typed columns of dlpg.benchmarks (derive.c).
 */
#ifndef DLPG_DERIVE_H
#define DLPG_DERIVE_H

#include "utils/jsonb.h"

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
#define DLPG_ROW_MEMBER_DLPG_COL_TEXT(name)		char *name;
#define DLPG_ROW_MEMBER_DLPG_COL_POSINT(name)	int32 name;
#define DLPG_ROW_MEMBER_DLPG_COL_FLOAT8(name)	bool has_##name; double name;
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
} BenchmarkRow;

/* v as JSON text, for messages and dlpg.rejects.raw. */
extern char *dlpg_json_text(const JsonbValue *v);

/*
 * Derive every typed column.  Returns false, with *problem filled in, when
 * a key the columns need holds a value of the wrong type.
 */
extern bool dlpg_derive_row(JsonbContainer *params, BenchmarkRow *row,
							DlpgProblem *problem);

#endif							/* DLPG_DERIVE_H */
