/*
 * source.h
 *		Input sources: what turns one input of a format (a DLBS log, a DLBS
 *		JSON document, ...) into benchmarks.
 *
 * A source reads the input and hands each benchmark it finds, as parameters
 * (kept whole in dlpg.benchmarks.params) and derived columns, or the problem
 * that keeps it out, to the sink.  Storing, rejecting, raising and the
 * result rows are the sink's business (ingest.c), so every SQL entry point
 * (dlpg.ingest*, dlpg.load*, hence dlpg-load) treats every format alike.
 * A new format is one file implementing InputSource and one entry of the
 * list in source.c.
 */
#ifndef DLPG_SOURCE_H
#define DLPG_SOURCE_H

#include "benchmark.h"

/* What receives the benchmarks (ingest.c). */
typedef struct SourceSink SourceSink;

/* One input: its text, and the same input as jsonb when the caller has it. */
typedef struct SourceInput
{
	const char *data;			/* the input's bytes (not NUL-terminated) */
	int			len;
	Jsonb	   *doc;			/* dlpg.ingest_json's argument, else NULL */
} SourceInput;

typedef struct InputSource
{
	const char *name;			/* dlpg.load's format, a row of dlpg.sources() */
	const char *description;

	/*
	 * Read one input, calling dlpg_source_benchmark or dlpg_source_problem
	 * for each benchmark.  Errors the input cannot be blamed for as data
	 * (out of memory, jsonb_in's syntax errors, ...) may be raised: dlpg.load
	 * turns those of classes 22 and 54 into a reject of the whole input.
	 */
	void		(*read) (const SourceInput *input, SourceSink *sink);
} InputSource;

/*
 * A benchmark read from the input.  elemno is 0 when the benchmark is the
 * whole input, else its number (from 1) within it; params are every
 * parameter, stored as they are.
 */
extern void dlpg_source_benchmark(SourceSink *sink, int elemno,
								  const BenchmarkRow *row, Jsonb *params);

/*
 * Something that cannot be stored.  elemno as above (0: the whole input is
 * refused); raw is that element's text for dlpg.rejects.raw, NULL for the
 * input itself.
 */
extern void dlpg_source_problem(SourceSink *sink, int elemno,
								const DlpgProblem *problem, const char *raw);

/* The source of a format name, or an error listing the known ones. */
extern const InputSource *dlpg_find_source(const char *name);

/* The formats of DLBS (src/dlbs/). */
extern const InputSource dlbs_log_source;
extern const InputSource dlbs_json_source;

/* The formats of MLPerf (src/mlperf/). */
extern const InputSource mlperf_training_source;
extern const InputSource mlperf_inference_source;

#endif							/* DLPG_SOURCE_H */
