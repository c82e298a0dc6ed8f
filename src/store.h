/*
 * store.h
 *		Writing dlpg.benchmarks and dlpg.rejects (store.c).  Both calls must
 *		run inside SPI_connect.
 */
#ifndef DLPG_STORE_H
#define DLPG_STORE_H

#include "benchmark.h"

/* What to do when a benchmark is already stored. */
typedef enum OnConflict
{
	ON_CONFLICT_SKIP,
	ON_CONFLICT_REPLACE,
	ON_CONFLICT_ERROR
} OnConflict;

/* What storing a benchmark did. */
typedef enum StoreOutcome
{
	STORED_NEW,
	STORED_REPLACED,			/* on_conflict replace overwrote the stored row */
	ALREADY_STORED				/* the stored row was kept (skip), or refused (error) */
} StoreOutcome;

/* The outcome column of the _detailed functions and dlpg.load, by StoreOutcome. */
extern const char *const dlpg_outcome_names[];

/*
 * Store one benchmark and return its row id.  *outcome tells what happened;
 * when the benchmark was there before, the id is the stored row's (under
 * ON_CONFLICT_ERROR nothing was written).
 */
extern int64 dlpg_store_benchmark(const BenchmarkRow *row, text *source, Jsonb *params,
								  OnConflict mode, StoreOutcome *outcome);

/* A row of dlpg.rejects; line 0 is unknown, NULL pointers are NULL columns. */
extern void dlpg_write_reject(text *source, const char *reason, const char *detail,
							  const char *sqlstate, int32 line, const char *key, text *raw);

#endif							/* DLPG_STORE_H */
