/*
 * mlperf.h
 *		What the MLPerf sources share (src/mlperf/): the parsers of mllog.c,
 *		the input object both formats take, where a result sits in its
 *		repository (the folders of its path), the system description's
 *		columns (system.c), and small JSON readers.
 */
#ifndef DLPG_MLPERF_H
#define DLPG_MLPERF_H

#include "benchmark.h"
#include "source.h"

/* mllog.c: dlpg.parse_mllog's and dlpg.parse_mlperf_summary's results. */
extern Jsonb *mlperf_mllog_records(const char *data, int len);
extern Jsonb *mlperf_summary_lines(const char *data, int len);

/*
 * Where a result sits, from the folders of its path (NULL: not in the
 * path).  Training: [<repo>/]<Submitter>/results/<system>/<benchmark>/<file>;
 * inference: [<repo>/]<division>/<Submitter>/results/<system>/<model>/
 * <scenario>/performance/run_N.
 */
typedef struct MlperfPath
{
	char	   *relative;		/* from the submitter folder on: the path part
								 * of the dedup identity; the path as given
								 * when it is not in the layout */
	char	   *round;			/* "training v3.0" from training_results_v3.0 */
	char	   *division;		/* the division folder (inference) */
	char	   *submitter;		/* the submitter folder */
	char	   *system;			/* the system folder: systems/<system>.json */
	char	   *benchmark;		/* the benchmark (training) or model (inference) folder */
	char	   *scenario;		/* the scenario folder (inference) */
} MlperfPath;

/* One input of an MLPerf format: a JSON object, read and checked. */
typedef struct MlperfInput
{
	const char *format;			/* "mlperf_training", "mlperf_inference" */
	Jsonb	   *doc;			/* the whole input object */
	char	   *path;			/* its "path" */
	MlperfPath	where;
	JsonbContainer *system;		/* its "system" object; NULL when null or missing */
} MlperfInput;

/*
 * Read the input object: a JSON object with a string "path" and "system" an
 * object or null (or missing).  false with *problem when it is not.
 * jsonb_in's syntax errors are raised (dlpg.load makes them a reject).
 */
extern bool mlperf_read_input(const SourceInput *input, const char *format, bool inference,
							  MlperfInput *in, DlpgProblem *problem);

/*
 * The input's member key as text: a string; null or missing gives NULL
 * unless required.  false with *problem for another type (or a missing
 * required one).
 */
extern bool mlperf_input_text(const MlperfInput *in, const char *key, bool required,
							  char **out, int *len, DlpgProblem *problem);

/* The input's member key: an object, or NULL for null or missing; false for another type. */
extern bool mlperf_input_object(const MlperfInput *in, const char *key, JsonbContainer **out,
								DlpgProblem *problem);

/*
 * The columns the system description gives (processing unit, counts,
 * framework, software, submitter, division), then the path's for what it
 * lacks (server, submitter, division, round).  Without a description: a
 * NOTICE, and *warning says it (the source keeps it in params' "warnings").
 */
extern void mlperf_system_columns(const MlperfInput *in, BenchmarkRow *row, char **warning);

/*
 * The benchmark's identity (dedup key, benchmark.h): the format, the path
 * from the submitter folder and the given texts, so the same
 * files from two copies of a repository are one benchmark.
 */
extern void mlperf_identity(BenchmarkRow *row, const MlperfInput *in,
							const char *const *texts, const int *lens, int ntexts);

/* JSON readers over jsonb containers. */
extern JsonbValue *mlperf_get(JsonbContainer *c, const char *key, JsonbValue *buf);
/* A string value as a C string; NULL for anything else. */
extern char *mlperf_string(const JsonbValue *v);
/* A finite number, or a string holding one (system descriptions write both). */
extern bool mlperf_number(const JsonbValue *v, double *out);
/* A positive integer that fits int32 (number or string), else 0. */
extern int32 mlperf_count(const JsonbValue *v);

/* Building params: one key and its value. */
extern void mlperf_put_key(JsonbParseState **st, const char *key);
extern void mlperf_put_text(JsonbParseState **st, const char *key, const char *value);
extern void mlperf_put_container(JsonbParseState **st, const char *key, JsonbContainer *c);
extern void mlperf_put_number(JsonbParseState **st, const char *key, double value);
extern void mlperf_put_warning(JsonbParseState **st, const char *warning);

#endif							/* DLPG_MLPERF_H */
