/*
 * derive.h
 *		DLBS parameters to the typed columns of dlpg.benchmarks (derive.c).
 */
#ifndef DLPG_DERIVE_H
#define DLPG_DERIVE_H

#include "benchmark.h"

/*
 * Derive every typed column from a DLBS benchmark's parameters.  Returns
 * false, with *problem filled in, when a key the columns need holds a value
 * of the wrong type.
 */
extern bool dlpg_derive_row(JsonbContainer *params, BenchmarkRow *row,
							DlpgProblem *problem);

/* A DLBS time stamp ("2026-11-26:21:33:44:447", UTC); false when it is not one. */
extern bool dlbs_time(const char *s, TimestampTz *out);

#endif							/* DLPG_DERIVE_H */
