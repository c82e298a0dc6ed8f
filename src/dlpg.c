/*
 * dlpg.c
 *		Module entry point of dlpg, the Deep Learning Performance Guide in
 *		PostgreSQL.  This is the one map of the sources (src/, src/core/).
 *
 * One benchmark's way in: an input source (source.h) per format reads an
 * input into parameters and derived columns; ingest.c's SQL functions run
 * a source and store what it found (store.c):
 *   DLBS log --(dlbs/log_source.c: dlbs/log_parser.c, core/log_lines.c,
 *            core/json_syntax.c)--> jsonb params --(dlbs/derive.c)-->
 *            BenchmarkRow --(ingest.c, store.c)--> a row of dlpg.benchmarks,
 *            or of dlpg.rejects
 *
 * Extension modules (include postgres.h first; each .h declares what its .c
 * shares and includes what it needs, but not postgres.h):
 *   dlpg.c				PG_MODULE_MAGIC; this map
 *   source.c/.h		the input source interface, the list of formats
 *						(dlpg.sources)
 *   benchmark.h		what a source produces: BenchmarkRow, DlpgProblem
 *   benchmark_columns.h	the columns an ingest writes, declared once
 *						(DLPG_COLUMN entries, expanded by benchmark.h and store.c)
 *   ingest.c			the SQL entry points that run a source: dlpg.ingest,
 *						dlpg.ingest_json, their _detailed forms, dlpg.load;
 *						what a problem becomes (an error or a reject)
 *   store.c/.h			writing dlpg.benchmarks and dlpg.rejects (dlpg.reject)
 *   dlbs/				the DLBS formats:
 *     log_source.c		"dlbs_log": a log is one benchmark
 *     json_source.c	"dlbs_json": an object, an array, {"data": [...]}
 *     log_parser.c/.h	DLBS log text -> jsonb parameters (dlpg.parse_log)
 *     derive.c/.h		DLBS keys -> typed columns and status
 *   mlperf/			MLPerf's formats (mlperf.h: what they share):
 *     mllog.c			MLLOG records and summary lines (dlpg.parse_mllog,
 *						dlpg.parse_mlperf_summary), also for the sources
 *     training_source.c	"mlperf_training": a result_N.txt is one run
 *     inference_source.c	"mlperf_inference": a performance/run_1 is one run
 *     system.c			the input object, the path's folders, the system
 *						description's columns, the dedup identity
 *   axes.c/.h			the Guide's variables, declared once: X axes, filters
 *						and Y measures (dlpg.axis_defs, dlpg.y_measure_defs,
 *						dlpg.axis_label, dlpg.ci_match)
 *   measures.c			percentiles and CV of per-iteration times (any format)
 *   aggregates.c		dlpg.trial_min/max/avg/median over repeated trials
 *   configs.c			dlpg.point_configs / point_mixed: what a point is made of
 *   series.c/.h		dlpg.series, dlpg.scaling_report and their _query forms;
 *						the filters every query builder shares
 *   history.c			dlpg.history and dlpg.changes (lookback z-score)
 *   chart.c			dlpg.chart: a series as SVG or Vega-Lite
 *   compare.c			dlpg.compare: two setups per configuration, medians and
 *						the Mann-Whitney U test (dlpg_internal.mann_whitney)
 *   clip.h				quoting user text in messages, cut on a character
 *
 * Plain-C cores in src/core/ (no PostgreSQL headers, and none may be added:
 * the fuzz harnesses in fuzz/ build them without PostgreSQL):
 *   log_lines.c/.h		the DLBS line grammar; MLPerf's MLLOG lines
 *   summary_lines.c/.h	the lines of an MLPerf inference summary
 *   json_syntax.c/.h	JSON values as events; DLPG_MAX_JSON_DEPTH
 *   trial_wire.c/.h	the bytes of a trial aggregate's state between workers
 *   config_wire.c/.h	the bytes of a configuration aggregate's state
 *   mann_whitney.c/.h	scipy's two-sided Mann-Whitney U test, the median
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
