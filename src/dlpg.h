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
 * parameters.  NULL text is a SQL NULL; integers use 0 for NULL (every one of
 * them must be positive when present).
 */
typedef struct BenchmarkRow
{
	char	   *exp_id;
	const char *status;
	char	   *status_reason;
	char	   *framework;
	char	   *framework_version;
	char	   *model;
	char	   *phase;
	char	   *precision;
	char	   *data_type;
	char	   *device_type;
	char	   *processing_unit;
	int32		devices_per_node;
	int32		num_nodes;
	int32		num_devices;
	char	   *interconnect;
	int32		replica_batch;
	int32		effective_batch;
	char	   *server;
	char	   *software;
	bool		has_batch_time;
	double		batch_time_ms;
	bool		has_throughput;
	double		throughput;
	bool		throughput_derived;
	Datum		batch_times_ms; /* float8[] or 0 */
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
