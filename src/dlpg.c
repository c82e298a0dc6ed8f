/*
 * dlpg.c
 *		Module entry point of dlpg, the Deep Learning Performance Guide in
 *		PostgreSQL.  This is the one map of the sources (src/, src/core/).
 *
 * One benchmark's way in:
 *   log text --(log_parser.c: core/log_lines.c, core/json_syntax.c)--> jsonb params
 *            --(derive.c)--> BenchmarkRow --(ingest.c)--> a row of
 *            dlpg.benchmarks, or of dlpg.rejects
 *
 * Extension modules (include postgres.h first; each .h declares what its .c
 * shares and includes what it needs, but not postgres.h):
 *   dlpg.c				PG_MODULE_MAGIC; this map
 *   log_parser.c/.h	DLBS log text -> jsonb parameters (dlpg.parse_log)
 *   derive.c/.h		parameters -> typed columns and status (BenchmarkRow,
 *						DlpgProblem)
 *   benchmark_columns.h	the columns an ingest writes, declared once
 *						(DLPG_COLUMN entries, expanded by derive.h and ingest.c)
 *   ingest.c			storing benchmarks and rejects (dlpg.ingest,
 *						dlpg.ingest_json and their _detailed forms)
 *   axes.c/.h			the Guide's variables, declared once: X axes, filters
 *						and Y measures (dlpg.axis_defs, dlpg.y_measure_defs,
 *						dlpg.axis_label, dlpg.ci_match)
 *   aggregates.c		dlpg.trial_min/max/avg/median over repeated trials
 *   series.c/.h		dlpg.series, dlpg.scaling_report and their _query forms
 *   chart.c			dlpg.chart: a series as SVG or Vega-Lite
 *   clip.h				quoting user text in messages, cut on a character
 *
 * Plain-C cores in src/core/ (no PostgreSQL headers, and none may be added:
 * the fuzz harnesses in fuzz/ build them without PostgreSQL):
 *   log_lines.c/.h		the DLBS line grammar
 *   json_syntax.c/.h	JSON values as events; DLPG_MAX_JSON_DEPTH
 *   trial_wire.c/.h	the bytes of a trial aggregate's state between workers
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
